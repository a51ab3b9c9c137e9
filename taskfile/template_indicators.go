package taskfile

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"steerbot/tasks"
)

// isIndicatorExample reports whether a row of the indicator sheet, its
// code column at pos, is an example (code beginning ExamplePrefix), which
// the import skips as it skips the task sheet's examples.
func isIndicatorExample(cells []string, pos map[indColumn]int) bool {
	i, ok := pos[icCode]
	if !ok || i >= len(cells) {
		return false
	}
	return strings.HasPrefix(tasks.NormalizeCode(cells[i]), ExamplePrefix)
}

// templateCadences and templateIndStates are what the indicator sheet's
// lists offer, in the order a secretariat meets them.
var (
	templateCadences  = []tasks.Cadence{tasks.CadenceYear, tasks.CadenceHalf, tasks.CadenceQuarter, tasks.CadenceMonth}
	templateIndStates = []tasks.IndicatorState{tasks.IndicatorAssigned, tasks.IndicatorNew, tasks.IndicatorStopped}
)

// indTemplateText is the wording of the template's indicator sheet and of
// its part of the instructions, in one language.
type indTemplateText struct {
	sheet       string // the sheet's name: one the import recognises
	title       string // the instructions' heading for the sheet
	columns     [icCount][3]string
	targetTitle string
	targets     [][2]string // written, meaning
	notes       []string
	listPeriod  string // the lists' headers
	listState   string
	example     [icCount]string
	validation  [3][2]string // period, state, unit: title, message
}

// indTemplateTexts returns the indicator sheet's wording in lang, its
// example dated in year.
func indTemplateTexts(lang string, year int, unit1, unit2 string) indTemplateText {
	y := strconv.Itoa(year)
	ex := ExamplePrefix + "CT-01"
	if lang == "en" {
		return indTemplateText{
			sheet: "Indicators", title: "Sheet «Indicators»: one indicator (target) a row; leave it empty if the plan sets none.",
			columns: [icCount][3]string{
				{"yes", "A unique indicator code (codes beginning " + ExamplePrefix + " are examples and are not imported)", "CT-01"},
				{"yes", "The indicator as the plan words it", "Administrative files settled on time or early"},
				{"yes", "The lead unit's code: the unit that reports its values", unit1},
				{"yes", "What must be reached: a comparison, a number and a measure; see below", "Tối thiểu 95%"},
				{"no", "What a value is measured over: year (default), half, quarter, month", periodCell(tasks.CadenceMonth, lang)},
				{"no", "The latest value, if there is one (decimal comma 96,2%; thousands dot 1.250)", "96,2%"},
				{"no", "assigned (default), new (newly assigned), stopped", stateCell(tasks.IndicatorNew, lang)},
				{"no", "The day it was assigned; write it for a newly assigned indicator", "29/05/" + y},
				{"no", "The plan or programme the indicator belongs to", "Administrative reform plan " + y},
				{"no", "Coordinating units' codes, separated by commas", unit2},
				{"no", "The document that set the indicator", "Decision 7028/QĐ-UBND"},
			},
			targetTitle: "Targets may be written as plans write them (accents and case do not matter):",
			targets: [][2]string{
				{"≥ 95 %, >= 95%, Tối thiểu 95%, 95% trở lên", "achieved at 95 % or more (95 % itself is achieved)"},
				{"100%", "a number alone is to be reached: achieved at 100 %"},
				{"≤ 5 ngày, Tối đa 5 ngày, Không quá 5 ngày", "achieved at 5 days or fewer"},
				{"≥ 2 hội nghị", "any measure may follow the number; values are then reported in it"},
			},
			notes: []string{
				"Row 2 (code beginning " + ExamplePrefix + ") is an example: the import skips it; you may delete it or leave it.",
				"The units report values in chat (/value CODE VALUE, or by replying to the reminder); the bot judges each indicator against its target for the current period.",
			},
			listPeriod: "Periods", listState: "Indicator states",
			example: [icCount]string{ex, "Example: administrative files settled on time or early", unit1, "Tối thiểu 95%",
				periodCell(tasks.CadenceMonth, lang), "96,2%", stateCell(tasks.IndicatorAssigned, lang), "", "Administrative reform plan " + y, "", "Decision …/QĐ-UBND"},
			validation: [3][2]string{
				{"Period", "Choose a period from the list: year, half, quarter, month."},
				{"State", "Choose a state from the list: assigned, new, stopped."},
				{"Unit", "Choose a unit code from the list (sheet Lists)."},
			},
		}
	}
	return indTemplateText{
		sheet: "Chỉ tiêu", title: "Trang «Chỉ tiêu»: mỗi dòng một chỉ tiêu; để trống nếu kế hoạch không giao chỉ tiêu.",
		columns: [icCount][3]string{
			{"có", "Mã chỉ tiêu, không trùng nhau (mã bắt đầu bằng " + ExamplePrefix + " là dòng ví dụ, không được nhập)", "CT-01"},
			{"có", "Nội dung chỉ tiêu như kế hoạch ghi", "Hồ sơ thủ tục hành chính được giải quyết đúng hạn và trước hạn"},
			{"có", "Mã đơn vị chủ trì: đơn vị báo cáo số liệu", unit1},
			{"có", "Mức cần đạt: so sánh, con số và đơn vị tính; xem bên dưới", "Tối thiểu 95%"},
			{"không", "Kỳ đánh giá: năm (mặc định), 6 tháng, quý, tháng", periodCell(tasks.CadenceMonth, lang)},
			{"không", "Số liệu gần nhất, nếu đã có (dấu phẩy thập phân: 96,2%; dấu chấm hàng nghìn: 1.250)", "96,2%"},
			{"không", "đang triển khai (mặc định), mới giao (giao bổ sung), dừng", stateCell(tasks.IndicatorNew, lang)},
			{"không", "Ngày giao chỉ tiêu; ghi với chỉ tiêu mới giao bổ sung", "29/05/" + y},
			{"không", "Kế hoạch, chương trình mà chỉ tiêu thuộc về", "Kế hoạch CCHC năm " + y},
			{"không", "Mã các đơn vị phối hợp, cách nhau bởi dấu phẩy", unit2},
			{"không", "Văn bản giao chỉ tiêu", "QĐ 7028/QĐ-UBND"},
		},
		targetTitle: "Mục tiêu có thể ghi như kế hoạch thường ghi (không phân biệt dấu, chữ hoa/thường):",
		targets: [][2]string{
			{"≥ 95 %, >= 95%, Tối thiểu 95%, 95% trở lên", "đạt khi số liệu từ 95% trở lên (đúng 95% là đạt)"},
			{"100%", "chỉ ghi con số là phải đạt tới con số đó: đạt khi 100%"},
			{"≤ 5 ngày, Tối đa 5 ngày, Không quá 5 ngày", "đạt khi không quá 5 ngày"},
			{"≥ 2 hội nghị", "sau con số có thể ghi đơn vị tính bất kỳ; số liệu báo cáo theo đơn vị tính đó"},
		},
		notes: []string{
			"Dòng 2 (mã bắt đầu bằng " + ExamplePrefix + ") là ví dụ: khi nhập sẽ bỏ qua; có thể xóa hoặc để nguyên.",
			"Các đơn vị báo cáo số liệu qua bot (/value MÃ GIÁ_TRỊ, hoặc trả lời tin nhắc); bot so số liệu của kỳ với mục tiêu để biết chỉ tiêu đạt hay chưa đạt.",
		},
		listPeriod: "Kỳ", listState: "Trạng thái chỉ tiêu",
		example: [icCount]string{ex, "Ví dụ: Hồ sơ thủ tục hành chính được giải quyết đúng hạn và trước hạn", unit1, "Tối thiểu 95%",
			periodCell(tasks.CadenceMonth, lang), "96,2%", stateCell(tasks.IndicatorAssigned, lang), "", "Kế hoạch CCHC năm " + y, "", "QĐ số …/QĐ-UBND"},
		validation: [3][2]string{
			{"Kỳ", "Chọn kỳ trong danh sách: năm, 6 tháng, quý, tháng."},
			{"Trạng thái", "Chọn trạng thái trong danh sách: đang triển khai, mới giao, dừng."},
			{"Đơn vị", "Chọn mã đơn vị trong danh sách (trang Danh mục)."},
		},
	}
}

// indColLetter is the letter of the column c on the indicator sheet.
func indColLetter(c indColumn) string { return bitLetter(uint16(c), icCount) }

// templateIndicatorSheet fills the indicator sheet: the contract's headers
// in lang, one example row, and lists for the period, the state and the
// unit, whose entries it writes in columns D and E of the lists sheet.
func templateIndicatorSheet(f *excelize.File, it indTemplateText, lists, lang string, nunits int) error {
	sh := it.sheet
	labels := indColumnLabels[lang]
	widths := [icCount]float64{12, 50, 14, 16, 11, 12, 16, 12, 24, 18, 22}
	if err := sheetHead(f, sh, "E2EFDA", labels[:], widths[:], [][]string{it.example[:]}); err != nil {
		return err
	}

	// The lists: periods in column D, states in column E.
	if err := f.SetCellStr(lists, "D1", it.listPeriod); err != nil {
		return err
	}
	for i, p := range templateCadences {
		if err := f.SetCellStr(lists, cellName(4, i+2), periodCell(p, lang)); err != nil {
			return err
		}
	}
	if err := f.SetCellStr(lists, "E1", it.listState); err != nil {
		return err
	}
	for i, s := range templateIndStates {
		if err := f.SetCellStr(lists, cellName(5, i+2), stateCell(s, lang)); err != nil {
			return err
		}
	}
	for col, w := range map[string]float64{"D": 14, "E": 22} {
		if err := f.SetColWidth(lists, col, col, w); err != nil {
			return err
		}
	}

	rows := func(c indColumn) string {
		l := indColLetter(c)
		return fmt.Sprintf("%s2:%s%d", l, l, templateRows+1)
	}
	q := quoteSheet(lists)
	type list struct {
		col   indColumn
		ref   string
		style excelize.DataValidationErrorStyle
		text  [2]string
	}
	ls := []list{
		{icPeriod, fmt.Sprintf("%s!$D$2:$D$%d", q, len(templateCadences)+1), excelize.DataValidationErrorStyleStop, it.validation[0]},
		{icState, fmt.Sprintf("%s!$E$2:$E$%d", q, len(templateIndStates)+1), excelize.DataValidationErrorStyleStop, it.validation[1]},
	}
	if nunits > 0 {
		// A warning, as on the task sheet: a unit the task sheet creates
		// in the same file is allowed.
		ls = append(ls, list{icUnit, fmt.Sprintf("%s!$A$2:$A$%d", q, nunits+1), excelize.DataValidationErrorStyleWarning, it.validation[2]})
	}
	for _, l := range ls {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = rows(l.col)
		dv.SetSqrefDropList(l.ref)
		dv.SetError(l.style, l.text[0], l.text[1])
		if err := f.AddDataValidation(sh, dv); err != nil {
			return err
		}
	}
	return nil
}

// templateIndicatorHelp adds the indicator sheet's part to the
// instructions sheet, under what is there: each column, the target forms
// and the notes.
func templateIndicatorHelp(f *excelize.File, it indTemplateText, help, lang string) error {
	existing, err := f.GetRows(help)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	row := len(existing) + 2
	put := func(cells ...string) error {
		for i, c := range cells {
			if err := f.SetCellStr(help, cellName(i+1, row), c); err != nil {
				return err
			}
		}
		row++
		return nil
	}
	heading := func(s string) error {
		if err := f.SetCellStyle(help, cellName(1, row), cellName(1, row), bold); err != nil {
			return err
		}
		return put(s)
	}
	if err := heading(it.title); err != nil {
		return err
	}
	first := row
	labels := indColumnLabels[lang]
	for i := 0; i < icCount; i++ {
		c := it.columns[i]
		if err := put(labels[i], c[0], c[1], c[2]); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(help, cellName(1, first), cellName(4, row-1), wrap); err != nil {
		return err
	}
	row++
	if err := heading(it.targetTitle); err != nil {
		return err
	}
	for _, t := range it.targets {
		if err := put(t[0], "", t[1]); err != nil {
			return err
		}
	}
	row++
	for _, n := range it.notes {
		if err := put(n); err != nil {
			return err
		}
	}
	return nil
}
