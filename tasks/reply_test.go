package tasks_test

import (
	"bufio"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"steerbot/tasks"
)

// replyToday is the day every reply test is read on: "30/11" is 2026-11-30
// and "10/01" is 2027-01-10.
var replyToday = tasks.Date{Year: 2026, Month: time.November, Day: 24}

// replyCase is a reply and what the reader must make of it.
type replyCase struct {
	text       string
	status     tasks.Status // "" for none
	progress   int          // -1 for none
	date       string       // YYYY-MM-DD, "" for none
	blocker    string
	understood bool
}

const none = -1

// replyCases are phrasings a unit head could send, grouped by what they
// test. Each asserts every field.
var replyCases = []replyCase{
	// Done, with and without diacritics, politeness, emoji, English.
	{"đã hoàn thành", tasks.Done, none, "", "", true},
	{"da hoan thanh", tasks.Done, none, "", "", true},
	{"xong", tasks.Done, none, "", "", true},
	{"XONG", tasks.Done, none, "", "", true},
	{"Đã Hoàn Thành", tasks.Done, none, "", "", true},
	{"done", tasks.Done, none, "", "", true},
	{"Done ✅", tasks.Done, none, "", "", true},
	{"All done 🎉", tasks.Done, none, "", "", true},
	{"finished", tasks.Done, none, "", "", true},
	{"đã xong rồi ạ", tasks.Done, none, "", "", true},
	{"Dạ em báo cáo anh: nhiệm vụ đã hoàn thành 100% ạ 👍", tasks.Done, 100, "", "", true},
	{"hoàn thành 100%", tasks.Done, 100, "", "", true},
	{"xong 100% rồi nhé 😊", tasks.Done, 100, "", "", true},
	{"Báo cáo chị: đã triển khai xong ✅", tasks.Done, none, "", "", true},
	{"Hoàn tất rồi anh", tasks.Done, none, "", "", true},
	{"The task is completed, report sent on 20/11", tasks.Done, none, "", "", true},
	{"đã hoàn thành trước 15/11", tasks.Done, none, "", "", true},
	{"hoàn thành 15/11", tasks.Done, none, "", "", true},
	{"xong 24/11", tasks.Done, none, "", "", true},
	{"hoàn thành 30/11", "", none, "", "", false},
	{"hoàn thành không đúng hạn", tasks.Done, none, "", "", true},
	{"Đã hoàn thành, đang chờ nghiệm thu", "", none, "", "chờ nghiệm thu", true}, // done yet waiting: no certain status
	{"Tuần này bên em chốt xong báo cáo, còn chờ ký", "", none, "", "chờ ký", true},
	{"vướng: chờ Sở Tài chính bố trí kinh phí", "", none, "", "chờ Sở Tài chính bố trí kinh phí", true},
	{"đã thực hiện", tasks.Done, none, "", "", true},
	{"Task này em đã done rồi anh nhé", tasks.Done, none, "", "", true},
	{"em đã finish rồi ạ", tasks.Done, none, "", "", true},

	// In progress and percentages.
	{"đang triển khai, được 60%", tasks.InProgress, 60, "", "", true},
	{"dang trien khai dat 60%", tasks.InProgress, 60, "", "", true},
	{"80%", "", 80, "", "", true},
	{"80", "", 80, "", "", true},
	{"80 ạ", "", 80, "", "", true},
	{"đạt 45 %", "", 45, "", "", true},
	{"tiến độ 70 phần trăm", "", 70, "", "", true},
	{"Tiến độ: đạt 65%", "", 65, "", "", true},
	{"tiến độ 70", "", 70, "", "", true},
	{"Progress: 45", "", 45, "", "", true},
	{"in progress 30%", tasks.InProgress, 30, "", "", true},
	{"Ongoing, 55%", tasks.InProgress, 55, "", "", true},
	{"working on it, 30 percent", tasks.InProgress, 30, "", "", true},
	{"in_progress", tasks.InProgress, none, "", "", true},
	{"Nhiệm vụ đang được triển khai tích cực, đến nay đạt khoảng 60% khối lượng.", tasks.InProgress, 60, "", "", true},
	{"Sở đang khẩn trương thực hiện\nđạt 74,5%", tasks.InProgress, 74, "", "", true},
	{"từ 40% lên 60%", "", 60, "", "", true},
	{"chưa xong, đang triển khai", tasks.InProgress, none, "", "", true},
	{"It's not finished yet, about 70% so far", "", 70, "", "", true},
	{"Almost done – 95%", "", 95, "", "", true},
	{"Dạ, em xin báo cáo:\n- Đã hoàn thành khảo sát\n- Đang xây dựng dự thảo, đạt 40%", "", 40, "", "", true},

	// Not started.
	{"chưa triển khai", tasks.NotStarted, none, "", "", true},
	{"Chưa triển khai do chưa có hướng dẫn của Bộ.", tasks.NotStarted, none, "", "", true},
	{"chua thuc hien a", tasks.NotStarted, none, "", "", true},
	{"not started yet", tasks.NotStarted, none, "", "", true},
	{"We haven't started yet because of funding", tasks.NotStarted, none, "", "", true},
	{"not_started", tasks.NotStarted, none, "", "", true},

	// Proposals.
	{"đề xuất dừng", tasks.ProposedStop, none, "", "", true},
	{"đề nghị dừng thực hiện nhiệm vụ này", tasks.ProposedStop, none, "", "", true},
	{"Kính đề nghị Ban Chỉ đạo xem xét cho dừng thực hiện nhiệm vụ", tasks.ProposedStop, none, "", "", true},
	{"Sở đề nghị cho dừng thực hiện nhiệm vụ này vì không còn phù hợp", tasks.ProposedStop, none, "", "", true},
	{"de xuat dung thuc hien", tasks.ProposedStop, none, "", "", true},
	{"de xuat dung, khong con phu hop", tasks.ProposedStop, none, "", "", true},
	{"de nghi chuyen tiep sang nam 2027", tasks.ProposedCarryover, none, "", "", true},
	{"We propose to stop this task", tasks.ProposedStop, none, "", "", true},
	{"xin chuyển tiếp sang 2025", tasks.ProposedCarryover, none, "", "", true},
	{"Đơn vị xin đề xuất chuyển tiếp nhiệm vụ sang năm 2027 do chưa bố trí được kinh phí", tasks.ProposedCarryover, none, "", "", true},
	{"Đang triển khai nhưng đề nghị chuyển tiếp sang năm sau", tasks.ProposedCarryover, none, "", "", true},
	{"carry over to 2027 please", tasks.ProposedCarryover, none, "", "", true},
	{"Chúng tôi không đề xuất dừng, vẫn đang triển khai", tasks.InProgress, none, "", "", true},

	// Expected dates.
	{"dự kiến xong 30/11", "", none, "2026-11-30", "", true},
	{"du kien xong 30/11/2026", "", none, "2026-11-30", "", true},
	{"dự kiến 10/01 xong", "", none, "2027-01-10", "", true},
	{"2026-12-15 sẽ xong", "", none, "2026-12-15", "", true},
	{"hoàn thành trước 30/11", "", none, "2026-11-30", "", true},
	{"dự kiến hoàn thành ngày 30 tháng 12 năm 2026", "", none, "2026-12-30", "", true},
	{"Đang tích cực triển khai, dự kiến hoàn thành trước 15/12/2026 ạ", tasks.InProgress, none, "2026-12-15", "", true},
	{"Đạt 60% khối lượng, dự kiến xong 20/12", "", 60, "2026-12-20", "", true},
	{"We will finish by 30/11", "", none, "2026-11-30", "", true},
	{"ETA 2026-12-05", "", none, "2026-12-05", "", true},
	{"xin gia hạn đến 31/12", "", none, "2026-12-31", "", true},
	{"Chưa thể xong trước 30/11", "", none, "", "", false},
	{"Chưa triển khai, dự kiến bắt đầu 15/12", tasks.NotStarted, none, "", "", true},
	{"dự kiến xong 30/11/2025", "", none, "", "", false},

	// Blockers.
	{"vướng mặt bằng, chưa có kinh phí", "", none, "", "mặt bằng, chưa có kinh phí", true},
	{"we are stuck on funding", "", none, "", "funding", true},
	{"blocked by procurement, 40% done", "", 40, "", "procurement", true},
	{"Đang vướng giải phóng mặt bằng nên chưa triển khai được", tasks.NotStarted, none, "", "giải phóng mặt bằng nên chưa triển khai được", true},
	{"Khó khăn về kinh phí, dự kiến xong 30/12", "", none, "2026-12-30", "kinh phí", true},
	{"khó khăn: thiếu nhân lực; vướng thủ tục đầu tư", "", none, "", "thiếu nhân lực; thủ tục đầu tư", true},
	{"Đang gặp khó khăn ạ.", "", none, "", "Đang gặp khó khăn", true},
	{"vuong mat bang anh a", "", none, "", "mat bang", true},
	{"đã hoàn thành 100%, trước đó vướng mặt bằng", tasks.Done, 100, "", "", true},
	{"Hiện chưa có khó khăn vướng mắc gì ạ", "", none, "", "", false},
	{"Không có khó khăn, vướng mắc", "", none, "", "", false},
	{"Có vướng mắc gì không?", "", none, "", "", false},
	{"no blockers, 50%", "", 50, "", "", true},

	// Negations, hedges and questions: never a status.
	{"chưa xong", "", none, "", "", false},
	{"chưa hoàn thành", "", none, "", "", false},
	{"chua hoan thanh a", "", none, "", "", false},
	{"vẫn chưa được hoàn thành", "", none, "", "", false},
	{"not done yet", "", none, "", "", false},
	{"not in progress", "", none, "", "", false},
	{"sắp xong", "", none, "", "", false},
	{"sắp xong rồi anh, được 90%", "", 90, "", "", true},
	{"gần xong", "", none, "", "", false},
	{"almost done", "", none, "", "", false},
	{"Cơ bản hoàn thành, còn khâu nghiệm thu", "", none, "", "", false},
	{"Đã hoàn thành giai đoạn 1", "", none, "", "", false},
	{"Sẽ hoàn thành trong tháng 12", "", none, "", "", false},
	{"khi nào xong?", "", none, "", "", false},
	{"xong chưa anh?", "", none, "", "", false},
	{"Đã xong chưa ạ", "", none, "", "", false},
	{"xong chưa vậy anh", "", none, "", "", false},
	{"done?", "", none, "", "", false},
	{"Is it done yet", "", none, "", "", false},
	{"có cần dừng không?", "", none, "", "", false},
	{"không đề xuất dừng", "", none, "", "", false},
	{"Có nên đề xuất dừng không anh?", "", none, "", "", false},
	{"đề xuất tạm dừng", "", none, "", "", false},
	{"đã xong phần 1, chưa xong phần 2", "", none, "", "", false},
	{"chua thi cong xong", "", none, "", "", false},
	{"Mặt bằng chưa bàn giao thì chưa thể triển khai", "", none, "", "", false},
	{"ok anh", "", none, "", "", false},

	// Promises, plans and instructions: a time ahead, a hope or an order is
	// not a report, so never a status (nor progress from a target).
	{"mai xong ạ", "", none, "", "", false},
	{"Mai xong ạ", "", none, "", "", false},
	{"tuần sau xong", "", none, "", "", false},
	{"cuối tháng xong", "", none, "", "", false},
	{"thứ 6 xong", "", none, "", "", false},
	{"da thu 6 xong", "", none, "", "", false}, // "dạ, thứ 6 xong": "da" is no "đã"
	{"thứ 6 tuần sau xong", "", none, "", "", false},
	{"tháng sau hoàn thành", "", none, "", "", false},
	{"hoàn thành tháng 12", "", none, "", "", false},
	{"trong tuần này xong", "", none, "", "", false},
	{"xong trước Tết", "", none, "", "", false},
	{"quý IV hoàn thành", "", none, "", "", false},
	{"hoàn thành quý 4/2026", "", none, "", "", false},
	{"khoảng 2 tuần nữa xong", "", none, "", "", false},
	{"next week done", "", none, "", "", false},
	{"done by Friday", "", none, "", "", false},
	{"done in 2 days", "", none, "", "", false},
	{"đề nghị hoàn thành", "", none, "", "", false},
	{"Đề nghị Sở Nội vụ khẩn trương hoàn thành trong tuần này", "", none, "", "", false},
	{"Đề nghị Sở Kế hoạch và Đầu tư hoàn thành", "", none, "", "", false},
	{"khó hoàn thành", "", none, "", "", false},
	{"đợi xong", "", none, "", "", false},
	{"phấn đấu hoàn thành", "", none, "", "", false},
	{"cố gắng xong sớm", "", none, "", "", false},
	{"hy vọng xong", "", none, "", "", false},
	{"chắc là xong", "", none, "", "", false},
	{"có lẽ xong rồi", "", none, "", "", false},
	{"xong rồi thì phải", "", none, "", "", false},
	{"mong sớm hoàn thành", "", none, "", "", false},
	{"hôm nay sẽ xong", "", none, "", "", false},
	{"chiều nay xong", "", none, "", "", false},
	{"sáng mai hoàn thành", "", none, "", "", false},
	{"will be done tomorrow", "", none, "", "", false},
	{"should be done", "", none, "", "", false},
	{"hopefully done", "", none, "", "", false},
	{"to be completed by 30/11", "", none, "2026-11-30", "", true},
	{"mai xong 100%", "", none, "", "", false}, // 100% would close the task
	{"2 ngày nữa xong 100%", "", none, "", "", false},
	{"tuần sau lên 80%", "", none, "", "", false},
	{"tuần sau tiến độ 100", "", none, "", "", false},
	{"Đang triển khai, khẩn trương hoàn thành trước 15/12", tasks.InProgress, none, "2026-12-15", "", true},
	{"đang triển khai, tuần sau xong", tasks.InProgress, none, "", "", true},
	{"trong tháng trước ngày 30 xong", "", none, "", "", false},
	{"Thứ 6 rồi xong", "", none, "", "", false},

	// Reports in the past tense stay done, whatever time they name.
	{"đã xong", tasks.Done, none, "", "", true},
	{"xong rồi", tasks.Done, none, "", "", true},
	{"vừa xong", tasks.Done, none, "", "", true},
	{"đã hoàn thành hôm qua", tasks.Done, none, "", "", true},
	{"hoàn thành ngày 15/11", tasks.Done, none, "", "", true},
	{"hoàn thành tháng 10", tasks.Done, none, "", "", true},
	{"đã hoàn thành tháng 12/2025", tasks.Done, none, "", "", true},
	{"xong từ tuần trước", tasks.Done, none, "", "", true},
	{"xong từ thứ 6 tuần trước", tasks.Done, none, "", "", true},
	{"cuối tháng trước xong", tasks.Done, none, "", "", true},
	{"chiều nay xong rồi ạ", tasks.Done, none, "", "", true},
	{"sáng nay đã xong", tasks.Done, none, "", "", true},
	{"trong tuần này đã hoàn thành", tasks.Done, none, "", "", true},
	{"đã hoàn thành trước Tết", tasks.Done, none, "", "", true},
	{"đã xong, mai nộp báo cáo", tasks.Done, none, "", "", true},
	{"chị Mai đã hoàn thành", tasks.Done, none, "", "", true},
	{"Theo yêu cầu của Ban, Sở đã hoàn thành báo cáo", tasks.Done, none, "", "", true},
	{"Báo cáo Ban Chỉ đạo: đã hoàn thành", tasks.Done, none, "", "", true},
	{"Gặp nhiều khó khăn nhưng đã hoàn thành", tasks.Done, none, "", "", true},
	{"Kho bạc Nhà nước đã hoàn thành", tasks.Done, none, "", "", true},
	{"Thực hiện chỉ đạo của Ban, Sở đã hoàn thành báo cáo.", tasks.Done, none, "", "", true},
	{"completed last week", tasks.Done, none, "", "", true},
	{"completed this morning", tasks.Done, none, "", "", true},
	{"It was done last Friday", tasks.Done, none, "", "", true},
	{"finished in 2 days", tasks.Done, none, "", "", true},
	{"done yesterday", tasks.Done, none, "", "", true},
	{"đã đạt 60% trong tháng này", "", 60, "", "", true},

	// Words inside other words and look-alikes.
	{"xongxong", "", none, "", "", false},
	{"undone", "", none, "", "", false},
	{"đã sử dụng hết kinh phí", "", none, "", "", false},
	{"de xuat su dung kinh phi", "", none, "", "", false},
	{"xin dùng kinh phí dự phòng", "", none, "", "", false},
	{"Dạ vâng ạ, em nhận được rồi", "", none, "", "", false},

	// Conflicts between status and percentage.
	{"xong 50%", "", 50, "", "", true},
	{"Hoàn thành 50% khối lượng", "", 50, "", "", true},
	{"chưa triển khai, 30%", "", 30, "", "", true},
	{"đang triển khai, đạt 100%", "", 100, "", "", true},

	// Percentages that are not progress.
	{"150%", "", none, "", "", false},
	{"-5%", "", none, "", "", false},
	{"Phấn đấu đạt 80% trong tháng này", "", none, "", "", false},
	{"còn 40% nữa", "", none, "", "", false},
	{"tăng 10% so với tuần trước", "", none, "", "", false},
	{"đạt 60% chưa?", "", none, "", "", false},
	{"Đạt 30%. Sau đó lên 50%?", "", 30, "", "", true},
	{"đạt 30%, sau đó lên 50%?", "", none, "", "", false},
	{"40% -> 60%", "", none, "", "", false},
	{"2025", "", none, "", "", false},
	{"đang triển khai, 150% kế hoạch", tasks.InProgress, none, "", "", true},

	// Empty and padded.
	{"", "", none, "", "", false},
	{"  \n\t ", "", none, "", "", false},
	{"  Đã hoàn thành  \n", tasks.Done, none, "", "", true},
}

func TestReadReply(t *testing.T) {
	for _, c := range replyCases {
		t.Run(c.text, func(t *testing.T) {
			checkReading(t, c, tasks.ReadReply(c.text, replyToday))
		})
	}
}

// TestReadReply_Seeds reads the sentences taken from the committee reports
// (testdata/replies/seeds.txt).
func TestReadReply_Seeds(t *testing.T) {
	cases := loadSeedReplies(t)
	if len(cases) < 20 {
		t.Fatalf("seeds.txt has %d cases, want at least 20", len(cases))
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			checkReading(t, c, tasks.ReadReply(c.text, replyToday))
		})
	}
}

func checkReading(t *testing.T, c replyCase, got tasks.Reading) {
	t.Helper()
	gotStatus := tasks.Status("")
	if got.Status != nil {
		gotStatus = *got.Status
	}
	if gotStatus != c.status {
		t.Errorf("status=%q, want %q", gotStatus, c.status)
	}
	gotProgress := none
	if got.Progress != nil {
		gotProgress = *got.Progress
	}
	if gotProgress != c.progress {
		t.Errorf("progress=%d, want %d", gotProgress, c.progress)
	}
	if got.ExpectedDate.String() != c.date {
		t.Errorf("expected date=%q, want %q", got.ExpectedDate, c.date)
	}
	if got.Blocker != c.blocker {
		t.Errorf("blocker=%q, want %q", got.Blocker, c.blocker)
	}
	if got.Understood != c.understood {
		t.Errorf("understood=%v, want %v", got.Understood, c.understood)
	}
	if want := strings.TrimSpace(c.text); got.Note != want {
		t.Errorf("note=%q, want %q", got.Note, want)
	}
}

// loadSeedReplies parses testdata/replies/seeds.txt: one case a line,
// "TEXT => status=S progress=P date=D understood=yes|no blocker=TEXT".
func loadSeedReplies(t *testing.T) []replyCase {
	t.Helper()
	f, err := os.Open("testdata/replies/seeds.txt")
	if err != nil {
		t.Fatalf("open seeds: %v", err)
	}
	defer f.Close()
	var cases []replyCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for line := 1; sc.Scan(); line++ {
		s := sc.Text()
		if strings.TrimSpace(s) == "" || strings.HasPrefix(s, "#") {
			continue
		}
		i := strings.LastIndex(s, " => ")
		if i < 0 {
			t.Fatalf("seeds.txt:%d: no \" => \"", line)
		}
		c := replyCase{text: s[:i], progress: none}
		spec := s[i+len(" => "):]
		b := strings.Index(spec, "blocker=")
		if b < 0 {
			t.Fatalf("seeds.txt:%d: no blocker=", line)
		}
		if v := spec[b+len("blocker="):]; v != "-" {
			c.blocker = v
		}
		for _, kv := range strings.Fields(spec[:b]) {
			k, v, _ := strings.Cut(kv, "=")
			switch {
			case v == "-":
			case k == "status":
				c.status = tasks.Status(v)
			case k == "progress":
				if c.progress, err = strconv.Atoi(v); err != nil {
					t.Fatalf("seeds.txt:%d: progress %q: %v", line, v, err)
				}
			case k == "date":
				c.date = v
			case k == "understood":
				c.understood = v == "yes"
			default:
				t.Fatalf("seeds.txt:%d: unknown field %q", line, kv)
			}
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read seeds: %v", err)
	}
	return cases
}

// TestReadReply_Today checks that DD/MM means the coming such day.
func TestReadReply_Today(t *testing.T) {
	tests := []struct {
		today tasks.Date
		want  string
	}{
		{tasks.Date{Year: 2026, Month: time.November, Day: 24}, "2026-11-30"},
		{tasks.Date{Year: 2026, Month: time.November, Day: 30}, "2026-11-30"},
		{tasks.Date{Year: 2026, Month: time.December, Day: 1}, "2027-11-30"},
	}
	for _, tt := range tests {
		got := tasks.ReadReply("dự kiến xong 30/11", tt.today)
		if got.ExpectedDate.String() != tt.want {
			t.Errorf("today %s: expected date=%s, want %s", tt.today, got.ExpectedDate, tt.want)
		}
	}
}

func TestReading_Change(t *testing.T) {
	t.Run("Full", func(t *testing.T) {
		r := tasks.ReadReply("Đang triển khai, đạt 60%, vướng mặt bằng", replyToday)
		c := r.Change()
		if c.Status == nil || *c.Status != tasks.InProgress {
			t.Fatalf("status=%v, want in_progress", c.Status)
		}
		if c.Progress == nil || *c.Progress != 60 {
			t.Fatalf("progress=%v, want 60", c.Progress)
		}
		if c.Blocker != "mặt bằng" {
			t.Errorf("blocker=%q, want %q", c.Blocker, "mặt bằng")
		}
		if c.Note != r.Note || c.Deadline != nil || len(c.Attachments) != 0 {
			t.Errorf("change=%+v, want the note %q and no deadline or attachments", c, r.Note)
		}
		*c.Status, *c.Progress = tasks.Done, 100
		if *r.Status != tasks.InProgress || *r.Progress != 60 {
			t.Errorf("changing the Change changed the Reading: %v %v", *r.Status, *r.Progress)
		}
	})
	t.Run("NoteOnly", func(t *testing.T) {
		c := tasks.ReadReply(" chưa xong ạ ", replyToday).Change()
		if c.Status != nil || c.Progress != nil || c.Blocker != "" {
			t.Errorf("change=%+v, want the note only", c)
		}
		if c.Note != "chưa xong ạ" {
			t.Errorf("note=%q, want %q", c.Note, "chưa xong ạ")
		}
	})
	t.Run("AppliesToTask", func(t *testing.T) {
		// A reply read as "progress 50, no status" moves a task that had not
		// started into progress through Policy.Apply, not through the reader.
		task := tasks.Task{Code: "CCHC-1", Status: tasks.NotStarted}
		head := tasks.Member{ID: 1, Role: tasks.RoleUnitHead}
		now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
		var p tasks.Policy
		if _, err := p.Apply(&task, tasks.ReadReply("xong 50%", replyToday).Change(), head, tasks.ViaFreeText, now); err != nil {
			t.Fatalf("apply: %v", err)
		}
		if task.Status != tasks.InProgress || task.Progress != 50 {
			t.Errorf("task status=%s progress=%d, want in_progress 50", task.Status, task.Progress)
		}
	})
}

// TestParseValue_LongWord checks that the bad value echoed to the member is
// cut at a letter: cut at a byte, a Vietnamese word ends in garbage.
// (ParseValue's other cases are in status_test.go.)
func TestParseValue_LongWord(t *testing.T) {
	word := "Thànhphốđứngđầucơquanchịutráchnhiệmtrướcchủtịchủybannhândân"
	if utf8.ValidString(word[:40]) {
		t.Fatalf("%q: byte 40 falls between letters, the case tests nothing", word)
	}
	_, _, err := tasks.ParseValue(word)
	var e *tasks.Error
	if !errors.As(err, &e) || e.Key != "bad_value" {
		t.Fatalf("err=%v, want key bad_value", err)
	}
	if len(e.Args) != 1 {
		t.Fatalf("args=%v, want the value", e.Args)
	}
	got, _ := e.Args[0].(string)
	if want := string([]rune(word)[:40]); got != want {
		t.Errorf("value=%q, want the first 40 letters %q", got, want)
	}
	if !utf8.ValidString(e.Message) {
		t.Errorf("message=%q is not valid UTF-8", e.Message)
	}
}
