package report

import (
	"fmt"
	"strings"

	"steerbot/tasks"
)

// catalog is the report's wording in one language. The bot's catalogs are
// not importable from here (adapters never import each other), and a
// report's wording is that of an administrative document, not of a chat:
// it lives here, Vietnamese first.
type catalog struct {
	motto1, motto2 string // the national motto block
	number         string // "Số:", before the blank number and the symbol
	title          string // "BÁO CÁO"
	subject        string // %s: the period
	intro          string // %s: committee, period, from, to, as of
	introFirst     string // a meeting period with no start: committee, period, as of
	closing        string // %s: period, committee

	monthPeriod   string // %d: month, year
	quarterPeriod string // %s: roman numeral, %d: year
	halfPeriod    [2]string
	yearPeriod    string // %d: year
	meetingPeriod string // %s: the day of the previous meeting's digest, the cut-off day
	firstMeeting  string // %s: the cut-off day

	general, byUnit, overdue, blockers, proposals string // the section headings

	total        string // %d: tasks
	done         string // %d/%d: done/total, %d: percentage
	doneOnTime   string // %d, %d%%
	doneLate     string
	doneUndated  string
	notDone      string // %d tasks, %d%%
	notDoneIn    string // within the deadline
	notDoneLate  string // overdue
	awaitingConf string // reported done, awaiting the secretariat's confirmation; %d, %d%%
	ongoing      string // %d, %d%%
	stopped      string // %d, %d%%
	carriedOver  string // %d, %d%%
	dueInPeriod  string // %d due, %d%%, %d of them done
	unitHead     []string
	totalRow     string
	overdueIntro string // %d tasks
	noOverdue    string
	overdueHead  []string
	blockerLine  string // %s: unit, code, blocker
	noBlockers   string
	proposalsIn  string
	extension    string // unit, code, title, old deadline, new deadline
	reason       string // "; lý do: %s"
	proposal     string // unit, proposal (status name), code, title
	noProposals  string

	recipients string // "Nơi nhận:"
	signFor    string // "TM. BAN CHỈ ĐẠO"

	annex      string
	annexTitle string
	annexOf    string // %s: number line, date, committee
	annexHead  []string

	timeliness map[tasks.Timeliness]string
	ongoingDL  string // the deadline cell of a task with none

	// Indicators (chỉ tiêu), in section I: see indicatorBlocks.
	indAchieved    string // %d/%d achieved, %d%%
	indOf          string // %d indicators: before the parts not achieved and without a value
	indNot         string // %d/%d not achieved
	indNoValue     string // %d/%d without a value for the period
	indAssigned    string // before any value: %d indicators, %d/%d being carried out
	indNew         string // %d/%d newly assigned
	indNewOn       string // %s: the days they were assigned
	indNoneYet     string // no value yet
	indStopped     string // %d stopped
	indTableIn     string // the table's lead-in
	indHead        []string
	indNoValueCell string // the result cell of an indicator without a value

	placeDate func(place string, d tasks.Date) string
	dayLong   func(d tasks.Date) string
}

var romans = [...]string{"", "I", "II", "III", "IV"}

var vi = catalog{
	motto1:     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
	motto2:     "Độc lập - Tự do - Hạnh phúc",
	number:     "Số:",
	title:      "BÁO CÁO",
	subject:    "Kết quả thực hiện nhiệm vụ %s",
	intro:      "%s báo cáo kết quả thực hiện nhiệm vụ %s (kỳ báo cáo từ ngày %s đến ngày %s; số liệu tính đến ngày %s) như sau:",
	introFirst: "%s báo cáo kết quả thực hiện nhiệm vụ %s (số liệu tính đến ngày %s) như sau:",
	closing:    "Trên đây là báo cáo kết quả thực hiện nhiệm vụ %s của %s./.",

	monthPeriod:   "tháng %d năm %d",
	quarterPeriod: "quý %s năm %d",
	halfPeriod:    [2]string{"6 tháng đầu năm %d", "6 tháng cuối năm %d"},
	yearPeriod:    "năm %d",
	meetingPeriod: "từ phiên họp ngày %s đến ngày %s",
	firstMeeting:  "đến ngày %s",

	general:   "I. Tình hình chung",
	byUnit:    "II. Kết quả theo đơn vị",
	overdue:   "III. Nhiệm vụ quá hạn",
	blockers:  "IV. Khó khăn, vướng mắc",
	proposals: "V. Đề xuất, kiến nghị",

	total:        "- Tổng số nhiệm vụ: %d nhiệm vụ.",
	done:         "- Đã hoàn thành: %d/%d nhiệm vụ, chiếm %d%%, trong đó:",
	doneOnTime:   "+ Hoàn thành đúng hạn: %d nhiệm vụ (%d%%);",
	doneLate:     "+ Hoàn thành quá hạn: %d nhiệm vụ (%d%%);",
	doneUndated:  "+ Chưa xác định được thời điểm hoàn thành: %d nhiệm vụ (%d%%);",
	notDone:      "- Chưa hoàn thành: %d nhiệm vụ, chiếm %d%%, trong đó:",
	notDoneIn:    "+ Trong hạn: %d nhiệm vụ (%d%%);",
	notDoneLate:  "+ Quá hạn: %d nhiệm vụ (%d%%);",
	awaitingConf: "+ Đã báo cáo hoàn thành, chờ xác nhận: %d nhiệm vụ (%d%%);",
	ongoing:      "- Nhiệm vụ thường xuyên: %d nhiệm vụ, chiếm %d%%.",
	stopped:      "- Dừng thực hiện: %d nhiệm vụ, chiếm %d%%.",
	carriedOver:  "- Chuyển tiếp: %d nhiệm vụ, chiếm %d%%.",
	dueInPeriod:  "- Đến hạn trong kỳ: %d nhiệm vụ, chiếm %d%%; trong đó đã hoàn thành %d nhiệm vụ.",
	unitHead:     []string{"TT", "Đơn vị", "Tổng số nhiệm vụ", "Đã hoàn thành", "Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Quá hạn chưa hoàn thành", "Tỷ lệ hoàn thành"},
	totalRow:     "Tổng cộng",
	overdueIntro: "Có %d nhiệm vụ đã quá hạn nhưng chưa hoàn thành:",
	noOverdue:    "Không có nhiệm vụ quá hạn.",
	overdueHead:  []string{"TT", "Mã", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Số ngày quá hạn", "Tiến độ (%)", "Ghi chú gần nhất"},
	blockerLine:  "- %s (nhiệm vụ %s): %s",
	noBlockers:   "Các đơn vị không báo cáo khó khăn, vướng mắc.",
	proposalsIn:  "Các đề xuất của đơn vị đang chờ Ban Chỉ đạo xem xét, quyết định:",
	extension:    "- %s đề nghị gia hạn nhiệm vụ %s (%s) từ ngày %s đến ngày %s",
	reason:       "; lý do: %s",
	proposal:     "- %s %s nhiệm vụ %s (%s)",
	noProposals:  "Không có đề xuất, kiến nghị đang chờ quyết định.",

	recipients: "Nơi nhận:",
	signFor:    "TM. BAN CHỈ ĐẠO",

	annex:      "Phụ lục",
	annexTitle: "DANH MỤC NHIỆM VỤ VÀ TÌNH HÌNH THỰC HIỆN",
	annexOf:    "(Kèm theo Báo cáo số %s ngày %s của %s)",
	annexHead:  []string{"TT", "Mã", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tình trạng", "Tiến độ (%)", "Ghi chú gần nhất"},

	timeliness: map[tasks.Timeliness]string{
		tasks.DoneOnTime: "đúng hạn", tasks.DoneLate: "quá hạn", tasks.OnTrack: "trong hạn",
		tasks.DueSoon: "sắp đến hạn", tasks.Overdue: "quá hạn", tasks.NoDeadline: "thường xuyên",
		tasks.Ongoing: "thường xuyên",
	},
	ongoingDL: "Thường xuyên",

	indAchieved:    "- Chỉ tiêu: %d/%d đạt, chiếm %d%%",
	indOf:          "; trong %d chỉ tiêu, có ",
	indNot:         "%d/%d chỉ tiêu chưa đạt",
	indNoValue:     "%d/%d chỉ tiêu chưa có số liệu của kỳ",
	indAssigned:    "- Chỉ tiêu: trong %d chỉ tiêu, có %d/%d chỉ tiêu đang được triển khai",
	indNew:         ", %d/%d chỉ tiêu mới được giao bổ sung",
	indNewOn:       " ngày %s",
	indNoneYet:     "; chưa có số liệu của kỳ",
	indStopped:     "; %d chỉ tiêu dừng thực hiện",
	indTableIn:     "Các chỉ tiêu chưa đạt hoặc chưa có số liệu của kỳ:",
	indHead:        []string{"TT", "Mã", "Chỉ tiêu", "Đơn vị chủ trì", "Mục tiêu", "Kết quả"},
	indNoValueCell: "Chưa có số liệu",

	placeDate: func(place string, d tasks.Date) string {
		// Nghị định 30/2020: a zero before days under 10 and months 1 and 2.
		month := fmt.Sprint(int(d.Month))
		if d.Month < 3 {
			month = "0" + month
		}
		s := fmt.Sprintf("ngày %02d tháng %s năm %d", d.Day, month, d.Year)
		if place == "" {
			return strings.ToUpper(s[:1]) + s[1:]
		}
		return place + ", " + s
	},
	dayLong: func(d tasks.Date) string { return d.VN() },
}

var en = catalog{
	motto1:     "SOCIALIST REPUBLIC OF VIETNAM",
	motto2:     "Independence - Freedom - Happiness",
	number:     "No.:",
	title:      "REPORT",
	subject:    "Results of task implementation, %s",
	intro:      "%s reports the results of task implementation, %s (reporting period %s to %s; figures as of %s), as follows:",
	introFirst: "%s reports the results of task implementation, %s (figures as of %s), as follows:",
	closing:    "This concludes the report on the results of task implementation, %s, of %s.",

	monthPeriod:   "month %d of %d",
	quarterPeriod: "quarter %s of %d",
	halfPeriod:    [2]string{"the first half of %d", "the second half of %d"},
	yearPeriod:    "the year %d",
	meetingPeriod: "from the meeting of %s to %s",
	firstMeeting:  "up to %s",

	general:   "I. General situation",
	byUnit:    "II. Results by unit",
	overdue:   "III. Overdue tasks",
	blockers:  "IV. Difficulties and obstacles",
	proposals: "V. Proposals and recommendations",

	total:        "- Total tasks: %d.",
	done:         "- Done: %d/%d tasks, %d%%, of which:",
	doneOnTime:   "+ done on time: %d (%d%%);",
	doneLate:     "+ done late: %d (%d%%);",
	doneUndated:  "+ completion date unknown: %d (%d%%);",
	notDone:      "- Not done: %d tasks, %d%%, of which:",
	notDoneIn:    "+ within the deadline: %d (%d%%);",
	notDoneLate:  "+ overdue: %d (%d%%);",
	awaitingConf: "+ reported done, awaiting confirmation: %d (%d%%);",
	ongoing:      "- Ongoing tasks (no deadline): %d, %d%%.",
	stopped:      "- Stopped: %d, %d%%.",
	carriedOver:  "- Carried over: %d, %d%%.",
	dueInPeriod:  "- Due in the period: %d tasks, %d%%; %d of them done.",
	unitHead:     []string{"No.", "Unit", "Tasks", "Done", "Done on time", "Done late", "Overdue, not done", "Done rate"},
	totalRow:     "Total",
	overdueIntro: "%d tasks are past their deadline and not done:",
	noOverdue:    "No task is overdue.",
	overdueHead:  []string{"No.", "Code", "Task", "Lead unit", "Deadline", "Days late", "Progress (%)", "Latest note"},
	blockerLine:  "- %s (task %s): %s",
	noBlockers:   "No unit reported difficulties or obstacles.",
	proposalsIn:  "Proposals from units awaiting the Steering Committee's decision:",
	extension:    "- %s requests an extension of task %s (%s) from %s to %s",
	reason:       "; reason: %s",
	proposal:     "- %s: %s, task %s (%s)",
	noProposals:  "No proposal or request awaits a decision.",

	recipients: "Recipients:",
	signFor:    "ON BEHALF OF THE STEERING COMMITTEE",

	annex:      "Annex",
	annexTitle: "LIST OF TASKS AND THEIR IMPLEMENTATION",
	annexOf:    "(Attached to Report %s dated %s of %s)",
	annexHead:  []string{"No.", "Code", "Task", "Lead unit", "Deadline", "Status", "Progress (%)", "Latest note"},

	timeliness: map[tasks.Timeliness]string{
		tasks.DoneOnTime: "on time", tasks.DoneLate: "late", tasks.OnTrack: "on track",
		tasks.DueSoon: "due soon", tasks.Overdue: "overdue", tasks.NoDeadline: "ongoing",
		tasks.Ongoing: "ongoing",
	},
	ongoingDL: "Ongoing",

	indAchieved:    "- Indicators: %d/%d achieved, %d%%",
	indOf:          "; of the %d indicators, ",
	indNot:         "%d/%d not achieved",
	indNoValue:     "%d/%d have no value for the period",
	indAssigned:    "- Indicators: of the %d indicators, %d/%d are being carried out",
	indNew:         ", %d/%d were newly assigned",
	indNewOn:       " on %s",
	indNoneYet:     "; no value reported for the period yet",
	indStopped:     "; %d stopped",
	indTableIn:     "Indicators not achieved or without a value for the period:",
	indHead:        []string{"No.", "Code", "Indicator", "Lead unit", "Target", "Result"},
	indNoValueCell: "No value",

	placeDate: func(place string, d tasks.Date) string {
		s := fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year)
		if place == "" {
			return s
		}
		return place + ", " + s
	},
	dayLong: func(d tasks.Date) string { return fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year) },
}

// catalogFor returns the catalog of lang: English for "en", Vietnamese
// otherwise.
func catalogFor(lang string) *catalog {
	if lang == "en" {
		return &en
	}
	return &vi
}

// periodName names p in a sentence: "quý IV năm 2023".
func (c *catalog) periodName(p tasks.Period) string {
	switch p.Kind {
	case tasks.PeriodMonth:
		return fmt.Sprintf(c.monthPeriod, p.N, p.Year)
	case tasks.PeriodQuarter:
		if p.N >= 1 && p.N <= 4 {
			return fmt.Sprintf(c.quarterPeriod, romans[p.N], p.Year)
		}
	case tasks.PeriodHalf:
		if p.N == 1 || p.N == 2 {
			return fmt.Sprintf(c.halfPeriod[p.N-1], p.Year)
		}
	case tasks.PeriodYear:
		return fmt.Sprintf(c.yearPeriod, p.Year)
	}
	if p.From.IsZero() {
		return fmt.Sprintf(c.firstMeeting, c.dayLong(p.To))
	}
	return fmt.Sprintf(c.meetingPeriod, c.dayLong(p.From), c.dayLong(p.To))
}
