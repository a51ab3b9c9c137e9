package taskfile

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"steerbot/tasks"
)

// ExamplePrefix begins the code of a template's example rows. Read skips a
// row whose code begins with it, so a template filled in and sent back
// imports without the secretariat deleting the examples. No real task
// should have a code beginning "VD-" (ví dụ, example).
const ExamplePrefix = "VD-"

// isExample reports whether a row, its code column at pos, is an example.
func isExample(cells []string, pos map[Column]int) bool {
	i, ok := pos[ColCode]
	if !ok || i >= len(cells) {
		return false
	}
	return strings.HasPrefix(tasks.NormalizeCode(cells[i]), ExamplePrefix)
}

// templateRows is how many rows under the header carry the data
// validation: a plan of the committee's size, with room.
const templateRows = 2000

// templateStatuses are the statuses the template's list offers, in the
// order of a task's life.
var templateStatuses = []tasks.Status{tasks.NotStarted, tasks.InProgress, tasks.Done,
	tasks.ProposedStop, tasks.ProposedCarryover, tasks.Stopped, tasks.CarriedOver}

// templateText is the template's wording in one language.
type templateText struct {
	tasks, help, lists string // sheet names
	helpHead           [4]string
	columns            [colCount][3]string // required, what, example
	deadlineTitle      string
	deadlines          [][2]string // written, meaning
	notes              []string
	listStat           string
	examples           [2][colCount]string
	validation         [3][2]string // status, progress, unit: title, message
}

// templateTexts returns the template's wording in lang, its examples
// dated in year.
func templateTexts(lang string, year int, unit1, unit2 string) templateText {
	y, y1 := strconv.Itoa(year), strconv.Itoa(year+1)
	if lang == "en" {
		return templateText{
			tasks: "Tasks", help: "Instructions", lists: "Lists",
			helpHead: [4]string{"Column", "Required", "What to write", "Example"},
			columns: [colCount][3]string{
				{"yes", "A unique task code: letters, digits and - _ . / # (codes beginning " + ExamplePrefix + " are examples and are not imported)", "CCHC-01"},
				{"yes", "The task as the plan words it", "Review administrative procedures"},
				{"yes", "The lead unit's code (the list offers the committee's units)", unit1},
				{"no", "The lead unit's full name: creates the unit when its code is new", "Department of Home Affairs"},
				{"no", "A date (31/12/" + y + ") or as plans write it: see below", "Quý IV/" + y},
				{"no", "One of the words the list offers; empty: from the progress", "In progress"},
				{"no", "A whole number from 0 to 100", "30"},
				{"no", "The plan or programme the task belongs to", "Administrative reform plan " + y},
				{"no", "Coordinating units' codes, separated by commas", unit2},
				{"no", "The document that assigned the task", "Decision 7028/QĐ-UBND"},
			},
			deadlineTitle: "Deadlines may be written as plans write them (accents and case do not matter):",
			deadlines: [][2]string{
				{"31/12/" + y + " or " + y + "-12-31", "that day"},
				{"Quý IV/" + y + ", Quý 4/" + y, "the quarter's last day: 31/12/" + y},
				{"Tháng 12/" + y + ", T12/" + y, "the month's last day: 31/12/" + y},
				{"6 tháng đầu năm " + y1 + " · 6 tháng cuối năm " + y1, "30/06/" + y1 + " · 31/12/" + y1},
				{"Năm " + y1, "31/12/" + y1},
				{"trước 15/12/" + y + ", trước ngày 15/12/" + y, "15/12/" + y},
				{"Thường xuyên, Hằng năm, Định kỳ", "no deadline: an ongoing task, never overdue"},
			},
			notes: []string{
				"Rows 2 and 3 (codes beginning " + ExamplePrefix + ") are examples: the import skips them; you may delete them or leave them.",
				"The import is all or nothing: every problem is listed by row and column, and nothing is saved until every row is right.",
				"A code that already exists updates that task, only in the columns the row fills in.",
				"Send the filled-in file to the bot in a private chat: it shows what will change and asks you to Apply.",
			},
			listStat: "Statuses",
			examples: [2][colCount]string{
				{ExamplePrefix + "01", "Example: draft the administrative reform plan for " + y1, unit1, "", "Quý IV/" + y, tasks.NotStarted.Name(lang), "0", "Administrative reform plan " + y, "", "Decision …/QĐ-UBND"},
				{ExamplePrefix + "02", "Example: keep the public service portal's data up to date", unit1, "", "Thường xuyên", tasks.InProgress.Name(lang), "30", "Digital government", unit2, ""},
			},
			validation: [3][2]string{
				{"Status", "Choose a status from the list."},
				{"Progress", "A whole number from 0 to 100."},
				{"Unit", "Choose a unit code from the list (sheet Lists)."},
			},
		}
	}
	return templateText{
		tasks: "Nhiệm vụ", help: "Hướng dẫn", lists: "Danh mục",
		helpHead: [4]string{"Cột", "Bắt buộc", "Nội dung cần ghi", "Ví dụ"},
		columns: [colCount][3]string{
			{"có", "Mã nhiệm vụ, không trùng nhau: chữ, số và - _ . / # (mã bắt đầu bằng " + ExamplePrefix + " là dòng ví dụ, không được nhập)", "CCHC-01"},
			{"có", "Nội dung nhiệm vụ như kế hoạch ghi", "Rà soát, đơn giản hóa thủ tục hành chính"},
			{"có", "Mã đơn vị chủ trì (chọn trong danh sách các đơn vị của Ban chỉ đạo)", unit1},
			{"không", "Tên đầy đủ của đơn vị chủ trì: tạo đơn vị mới khi mã chưa có", "Sở Nội vụ"},
			{"không", "Một ngày (31/12/" + y + ") hoặc cách ghi của kế hoạch: xem bên dưới", "Quý IV/" + y},
			{"không", "Chọn trong danh sách; để trống: theo tiến độ", tasks.InProgress.Name(lang)},
			{"không", "Số nguyên từ 0 đến 100", "30"},
			{"không", "Kế hoạch, chương trình mà nhiệm vụ thuộc về", "Kế hoạch CCHC năm " + y},
			{"không", "Mã các đơn vị phối hợp, cách nhau bởi dấu phẩy", unit2},
			{"không", "Văn bản giao nhiệm vụ", "QĐ 7028/QĐ-UBND"},
		},
		deadlineTitle: "Thời hạn có thể ghi như kế hoạch thường ghi (không phân biệt dấu, chữ hoa/thường):",
		deadlines: [][2]string{
			{"31/12/" + y + " hoặc " + y + "-12-31", "đúng ngày đó"},
			{"Quý IV/" + y + ", Quý 4/" + y + ", quý IV năm " + y, "ngày cuối quý: 31/12/" + y},
			{"Tháng 12/" + y + ", tháng 12 năm " + y + ", T12/" + y, "ngày cuối tháng: 31/12/" + y},
			{"6 tháng đầu năm " + y1 + " · 6 tháng cuối năm " + y1, "30/06/" + y1 + " · 31/12/" + y1},
			{"Năm " + y1, "31/12/" + y1},
			{"trước 15/12/" + y + ", trước ngày 15/12/" + y, "15/12/" + y},
			{"Thường xuyên, Hằng năm, Định kỳ", "không có thời hạn: nhiệm vụ thường xuyên, không bao giờ quá hạn"},
		},
		notes: []string{
			"Dòng 2 và 3 (mã bắt đầu bằng " + ExamplePrefix + ") là ví dụ: khi nhập sẽ bỏ qua; có thể xóa hoặc để nguyên.",
			"Tệp được nhập toàn bộ hoặc không nhập gì: mọi lỗi được liệt kê theo dòng và cột, không lưu gì cho đến khi mọi dòng đều đúng.",
			"Mã đã có thì cập nhật nhiệm vụ đó, chỉ ở các cột mà dòng có ghi.",
			"Gửi tệp đã điền cho bot trong tin nhắn riêng: bot cho xem trước những gì sẽ thay đổi và hỏi có áp dụng không.",
		},
		listStat: "Trạng thái",
		examples: [2][colCount]string{
			{ExamplePrefix + "01", "Ví dụ: Xây dựng Kế hoạch cải cách hành chính năm " + y1, unit1, "", "Quý IV/" + y, tasks.NotStarted.Name(lang), "0", "Kế hoạch CCHC năm " + y, "", "QĐ số …/QĐ-UBND"},
			{ExamplePrefix + "02", "Ví dụ: Cập nhật dữ liệu trên Cổng dịch vụ công", unit1, "", "Thường xuyên", tasks.InProgress.Name(lang), "30", "Chính quyền số", unit2, ""},
		},
		validation: [3][2]string{
			{"Trạng thái", "Chọn một trạng thái trong danh sách."},
			{"Tiến độ", "Nhập số nguyên từ 0 đến 100."},
			{"Đơn vị", "Chọn mã đơn vị trong danh sách (trang Danh mục)."},
		},
	}
}

// Template writes an empty task file (XLSX) in lang ("vi" or "en"; anything
// else is Vietnamese): a first sheet with the headers, data validation
// where Excel offers it (a list of the statuses, a list of units' codes,
// progress 0–100) and two example rows that import skips (codes beginning
// ExamplePrefix); a second sheet, "Chỉ tiêu" ("Indicators"), for the
// indicators, with one example row and lists for period, state and unit;
// a third explaining each column of both, the accepted deadline and target
// forms; a fourth with the lists. Filled in, it imports both sheets.
func Template(w io.Writer, units []tasks.Unit, lang string, today tasks.Date) error {
	if lang != "en" {
		lang = "vi"
	}
	unit1, unit2 := "SNV", "STTTT"
	if len(units) > 0 {
		unit1 = units[0].Code
	}
	if len(units) > 1 {
		unit2 = units[1].Code
	}
	tt := templateTexts(lang, today.Year, unit1, unit2)
	it := indTemplateTexts(lang, today.Year, unit1, unit2)
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", tt.tasks); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	for _, name := range []string{it.sheet, tt.help, tt.lists} {
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("template: sheet %s: %w", name, err)
		}
	}
	if err := templateTasks(f, tt, lang, len(units)); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	if err := templateHelp(f, tt, lang); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	if err := templateLists(f, tt, units, lang); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	if err := templateIndicatorSheet(f, it, tt.lists, lang, len(units)); err != nil {
		return fmt.Errorf("template: indicators: %w", err)
	}
	if err := templateIndicatorHelp(f, it, tt.help, lang); err != nil {
		return fmt.Errorf("template: indicators: %w", err)
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("template: write: %w", err)
	}
	return nil
}

// cellName is the reference of column col (from 1) in row.
func cellName(col, row int) string {
	ref, _ := excelize.CoordinatesToCellName(col, row)
	return ref
}

// colLetter is the letter of the column c on the tasks sheet.
func colLetter(c Column) string { return bitLetter(uint16(c), colCount) }

// bitLetter is the sheet letter of the column whose flag is the bit c,
// among n columns in bit order; "" for none.
func bitLetter(c uint16, n int) string {
	for i := 0; i < n; i++ {
		if c == 1<<i {
			name, _ := excelize.ColumnNumberToName(i + 1)
			return name
		}
	}
	return ""
}

// sheetHead writes a template sheet's header row (bold on fill, frozen),
// its column widths and its example rows (grey italics) below.
func sheetHead(f *excelize.File, sh, fill string, labels []string, widths []float64, examples [][]string) error {
	head, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
	})
	if err != nil {
		return err
	}
	example, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "808080"}})
	if err != nil {
		return err
	}
	for i, label := range labels {
		if err := f.SetCellStr(sh, cellName(i+1, 1), label); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, col, col, widths[i]); err != nil {
			return err
		}
		for r, ex := range examples {
			if ex[i] == "" {
				continue
			}
			if err := f.SetCellStr(sh, cellName(i+1, r+2), ex[i]); err != nil {
				return err
			}
		}
	}
	last, _ := excelize.ColumnNumberToName(len(labels))
	if err := f.SetCellStyle(sh, "A1", last+"1", head); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "A2", last+strconv.Itoa(len(examples)+1), example); err != nil {
		return err
	}
	return f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// templateTasks fills the first sheet: headers, examples, validation.
func templateTasks(f *excelize.File, tt templateText, lang string, nunits int) error {
	sh := tt.tasks
	labels := columnLabels[lang]
	widths := [colCount]float64{12, 50, 14, 24, 18, 18, 11, 24, 18, 22}
	examples := make([][]string, len(tt.examples))
	for i := range tt.examples {
		examples[i] = tt.examples[i][:]
	}
	if err := sheetHead(f, sh, "DDEBF7", labels[:], widths[:], examples); err != nil {
		return err
	}
	rows := func(c Column) string {
		l := colLetter(c)
		return fmt.Sprintf("%s2:%s%d", l, l, templateRows+1)
	}
	lists := quoteSheet(tt.lists)

	status := excelize.NewDataValidation(true)
	status.Sqref = rows(ColStatus)
	status.SetSqrefDropList(fmt.Sprintf("%s!$C$2:$C$%d", lists, len(templateStatuses)+1))
	status.SetError(excelize.DataValidationErrorStyleStop, tt.validation[0][0], tt.validation[0][1])
	if err := f.AddDataValidation(sh, status); err != nil {
		return err
	}
	progress := excelize.NewDataValidation(true)
	progress.Sqref = rows(ColProgress)
	if err := progress.SetRange(0, 100, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween); err != nil {
		return err
	}
	progress.SetError(excelize.DataValidationErrorStyleStop, tt.validation[1][0], tt.validation[1][1])
	if err := f.AddDataValidation(sh, progress); err != nil {
		return err
	}
	if nunits > 0 {
		unit := excelize.NewDataValidation(true)
		unit.Sqref = rows(ColUnit)
		unit.SetSqrefDropList(fmt.Sprintf("%s!$A$2:$A$%d", lists, nunits+1))
		// A warning, not a stop: a new unit's code is allowed with its
		// name in the unit name column.
		unit.SetError(excelize.DataValidationErrorStyleWarning, tt.validation[2][0], tt.validation[2][1])
		if err := f.AddDataValidation(sh, unit); err != nil {
			return err
		}
	}
	return nil
}

// quoteSheet quotes a sheet name for a formula.
func quoteSheet(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }

// templateHelp fills the instructions sheet.
func templateHelp(f *excelize.File, tt templateText, lang string) error {
	sh := tt.help
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	for col, w := range map[string]float64{"A": 34, "B": 10, "C": 70, "D": 30} {
		if err := f.SetColWidth(sh, col, col, w); err != nil {
			return err
		}
	}
	row := 1
	put := func(cells ...string) error {
		for i, c := range cells {
			if err := f.SetCellStr(sh, cellName(i+1, row), c); err != nil {
				return err
			}
		}
		row++
		return nil
	}
	if err := put(tt.helpHead[:]...); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "A1", "D1", bold); err != nil {
		return err
	}
	labels := columnLabels[lang]
	for i := 0; i < colCount; i++ {
		c := tt.columns[i]
		if err := put(labels[i], c[0], c[1], c[2]); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sh, "A2", cellName(4, row-1), wrap); err != nil {
		return err
	}
	row++
	if err := f.SetCellStyle(sh, cellName(1, row), cellName(1, row), bold); err != nil {
		return err
	}
	if err := put(tt.deadlineTitle); err != nil {
		return err
	}
	for _, d := range tt.deadlines {
		if err := put(d[0], "", d[1]); err != nil {
			return err
		}
	}
	row++
	for _, n := range tt.notes {
		if err := put(n); err != nil {
			return err
		}
	}
	return nil
}

// templateLists fills the lists sheet: the units (code, name) and the
// statuses that the first sheet's validation offers.
func templateLists(f *excelize.File, tt templateText, units []tasks.Unit, lang string) error {
	sh := tt.lists
	labels := columnLabels[lang]
	for i, s := range []string{labels[2], labels[3], tt.listStat} {
		if err := f.SetCellStr(sh, cellName(i+1, 1), s); err != nil {
			return err
		}
	}
	for i, u := range units {
		if err := f.SetCellStr(sh, cellName(1, i+2), u.Code); err != nil {
			return err
		}
		if err := f.SetCellStr(sh, cellName(2, i+2), u.Name); err != nil {
			return err
		}
	}
	for i, st := range templateStatuses {
		if err := f.SetCellStr(sh, cellName(3, i+2), st.Name(lang)); err != nil {
			return err
		}
	}
	for col, w := range map[string]float64{"A": 14, "B": 40, "C": 30} {
		if err := f.SetColWidth(sh, col, col, w); err != nil {
			return err
		}
	}
	return nil
}
