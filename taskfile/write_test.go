package taskfile_test

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"steerbot/taskfile"
	"steerbot/tasks"
)

// sampleTasks covers every column and status, and text that CSV must
// quote: commas, semicolons, quotes, line breaks, accents.
func sampleTasks() []tasks.Task {
	return []tasks.Task{
		{Code: "CCHC-01", Title: "Rà soát, đơn giản hóa thủ tục hành chính; giai đoạn 1", Unit: "SNV",
			CoUnits: []string{"STP", "VPUB"}, Group: "Kế hoạch CCHC 2023", Source: "QĐ 7028/QĐ-UBND",
			Deadline: date(2023, 12, 31), Status: tasks.Done, Progress: 100},
		{Code: "CCHC-02", Title: `Triển khai "Ngày thứ 7 cùng dân"`, Unit: "STTTT", CoUnits: []string{"SNV"},
			Group: "Chuyển đổi số", Deadline: date(2024, 3, 15), Status: tasks.InProgress, Progress: 60},
		{Code: "CCHC-03", Title: "Số hóa hồ sơ\nnhiều dòng", Unit: "STP", Deadline: date(2024, 6, 15),
			Status: tasks.NotStarted},
		{Code: "CĐS-04", Title: "Đề xuất dừng", Unit: "STC", Status: tasks.ProposedStop, Progress: 30},
		{Code: "CĐS-05", Title: "Đề xuất chuyển tiếp", Unit: "VPUB", Status: tasks.ProposedCarryover, Progress: 10,
			Deadline: date(2024, 2, 29)},
		{Code: "CĐS-06", Title: "Đã dừng", Unit: "SNV", Status: tasks.Stopped, Progress: 1},
		{Code: "CĐS-07", Title: "Đã chuyển tiếp", Unit: "STC", Status: tasks.CarriedOver, Progress: 50,
			Source: "KH 1/KH-BCĐ", Group: "Chuyển đổi số"},
	}
}

// fileColumns keeps the fields a task file carries.
func fileColumns(ts []tasks.Task) []tasks.Task {
	out := make([]tasks.Task, len(ts))
	for i, t := range ts {
		out[i] = tasks.Task{Code: t.Code, Title: t.Title, Unit: t.Unit, CoUnits: t.CoUnits, Group: t.Group,
			Source: t.Source, Deadline: t.Deadline, Status: t.Status, Progress: t.Progress}
		if len(out[i].CoUnits) == 0 {
			out[i].CoUnits = nil
		}
	}
	return out
}

func TestWrite_RoundTrip(t *testing.T) {
	for _, tt := range []struct {
		name   string
		format taskfile.Format
		lang   string
	}{
		{"csv vi", taskfile.CSV, "vi"},
		{"csv en", taskfile.CSV, "en"},
		{"xlsx vi", taskfile.XLSX, "vi"},
		{"xlsx en", taskfile.XLSX, "en"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := taskfile.Write(&buf, tt.format, sampleTasks(), baseUnits(), tt.lang); err != nil {
				t.Fatalf("Write: %v", err)
			}
			data := buf.Bytes()

			// Into an empty store: the units come back from unit_name.
			fresh := newFakeTx()
			res, err := taskfile.Import(fresh, bytes.NewReader(data), tt.format, clerk, now, hcm)
			if err != nil {
				t.Fatalf("Import into an empty store: %v", err)
			}
			if res.Created != len(sampleTasks()) || res.UnitsCreated != len(baseUnits()) {
				t.Errorf("result=%+v, want %d tasks and %d units created", res, len(sampleTasks()), len(baseUnits()))
			}
			if got, want := fileColumns(fresh.sortedTasks(t)), fileColumns(sampleTasks()); !reflect.DeepEqual(got, want) {
				t.Errorf("tasks read back:\n%+v\nwant\n%+v", got, want)
			}
			for _, u := range baseUnits() {
				if got := fresh.units[u.Code]; got != u {
					t.Errorf("unit %s read back as %+v, want %+v", u.Code, got, u)
				}
			}

			// Into the store it came from: nothing changes.
			same := newFakeTx(baseUnits()...)
			for _, task := range sampleTasks() {
				same.tasks[task.Code] = task
			}
			res, err = taskfile.Import(same, bytes.NewReader(data), tt.format, clerk, now, hcm)
			if err != nil {
				t.Fatalf("Import into the same store: %v", err)
			}
			if want := (taskfile.Result{Unchanged: len(sampleTasks())}); res != want || same.writes != 0 {
				t.Errorf("result=%+v with %d writes, want %+v and none", res, same.writes, want)
			}
		})
	}
}

func TestWrite_CSV(t *testing.T) {
	for _, tt := range []struct{ lang, want string }{
		{"vi", "\ufeffMã,Nhiệm vụ,Đơn vị chủ trì,Tên đơn vị,Thời hạn,Trạng thái,Tiến độ (%),Kế hoạch,Đơn vị phối hợp,Văn bản," +
			`Cập nhật lần cuối,Ghi chú gần nhất,"Khó khăn, vướng mắc",Đánh giá tiến độ` + "\n" +
			`CCHC-01,"Rà soát, đơn giản hóa thủ tục hành chính; giai đoạn 1",SNV,Sở Nội vụ,2023-12-31,đã hoàn thành,100,Kế hoạch CCHC 2023,"STP, VPUB",QĐ 7028/QĐ-UBND,,,,` + "\n"},
		{"en", "\ufeffCode,Title,Unit,Unit name,Deadline,Status,Progress (%),Group,Co-units,Source,Last update,Latest note,Blocker,Timeliness\n" +
			`CCHC-01,"Rà soát, đơn giản hóa thủ tục hành chính; giai đoạn 1",SNV,Sở Nội vụ,2023-12-31,done,100,Kế hoạch CCHC 2023,"STP, VPUB",QĐ 7028/QĐ-UBND,,,,` + "\n"},
	} {
		var buf bytes.Buffer
		if err := taskfile.Write(&buf, taskfile.CSV, sampleTasks()[:1], baseUnits(), tt.lang); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != tt.want {
			t.Errorf("%s csv=\n%s\nwant\n%s", tt.lang, got, tt.want)
		}
	}
}

// TestExport_MeetingColumns checks what an export shows a meeting beyond
// the task file: a title with the committee and the date above the header,
// the last update, the latest note, the blocker and the timeliness, in
// both languages and formats; and that it imports back all the same.
func TestExport_MeetingColumns(t *testing.T) {
	at := time.Date(2024, 3, 20, 9, 0, 0, 0, hcm)
	ts := sampleTasks()
	ts[1].Updated = time.Date(2024, 3, 18, 23, 30, 0, 0, hcm)
	ts[1].Note = "Đã họp với 12 phường"
	ts[1].Blocker = "Chờ kinh phí"
	ts[2].Updated = at
	for _, tt := range []struct {
		format                         taskfile.Format
		lang                           string
		header, note, overdue, updated string
	}{
		{taskfile.XLSX, "vi", "Ghi chú gần nhất", "Đã họp với 12 phường", "Quá hạn", "18/03/2024"},
		{taskfile.XLSX, "en", "Latest note", "Đã họp với 12 phường", "Overdue", "18/03/2024"},
		{taskfile.CSV, "vi", "Ghi chú gần nhất", "Đã họp với 12 phường", "Quá hạn", "2024-03-18"},
		{taskfile.CSV, "en", "Latest note", "Đã họp với 12 phường", "Overdue", "2024-03-18"},
	} {
		t.Run(tt.format.String()+" "+tt.lang, func(t *testing.T) {
			x := taskfile.Export{Lang: tt.lang, Committee: "Ban chỉ đạo CCHC", Timeline: tasks.Timeline{Now: at, Loc: hcm, DueSoonDays: 7}}
			var buf bytes.Buffer
			if err := x.Write(&buf, tt.format, ts, baseUnits()); err != nil {
				t.Fatal(err)
			}
			var rows [][]string
			if tt.format == taskfile.XLSX {
				f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if rows, err = f.GetRows(f.GetSheetName(0)); err != nil {
					t.Fatal(err)
				}
				if len(rows) < 4 || rows[0][0] != "Ban chỉ đạo CCHC" || !strings.Contains(rows[1][0], "20/03/2024") {
					t.Fatalf("title rows %q, want the committee and the date", rows[:min(len(rows), 3)])
				}
				rows = rows[3:]
				if panes, _ := f.GetPanes(f.GetSheetName(0)); panes.YSplit != 4 {
					t.Errorf("panes=%+v, want the rows down to the header frozen", panes)
				}
			} else {
				rec, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				rows = rec
			}
			if got := rows[0][11]; got != tt.header {
				t.Errorf("header %q, want %q", got, tt.header)
			}
			// CCHC-02: due 15/03/2024, 60 %, overdue on 20/03.
			if got := rows[2][10:14]; !reflect.DeepEqual(got, []string{tt.updated, tt.note, "Chờ kinh phí", tt.overdue}) {
				t.Errorf("CCHC-02's meeting columns %q", got)
			}
			fresh := newFakeTx()
			res, err := taskfile.Import(fresh, bytes.NewReader(buf.Bytes()), tt.format, clerk, now, hcm)
			if err != nil {
				t.Fatalf("the export does not import back: %v", err)
			}
			if res.Created != len(ts) {
				t.Errorf("imported %+v, want %d created", res, len(ts))
			}
			if got, want := fileColumns(fresh.sortedTasks(t)), fileColumns(ts); !reflect.DeepEqual(got, want) {
				t.Errorf("read back:\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func TestWrite_XLSXLayout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "export.xlsx")
	if err := taskfile.WriteFile(path, sampleTasks(), baseUnits(), "vi"); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)

	panes, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 {
		t.Errorf("panes=%+v, want the first row frozen", panes)
	}

	header, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := header[0], []string{"Mã", "Nhiệm vụ", "Đơn vị chủ trì", "Tên đơn vị", "Thời hạn", "Trạng thái",
		"Tiến độ (%)", "Kế hoạch", "Đơn vị phối hợp", "Văn bản",
		"Cập nhật lần cuối", "Ghi chú gần nhất", "Khó khăn, vướng mắc", "Đánh giá tiến độ"}; !reflect.DeepEqual(got, want) {
		t.Errorf("header=%q, want %q", got, want)
	}
	if style := cellStyle(t, f, sheet, "A1"); style.Font == nil || !style.Font.Bold {
		t.Errorf("header font=%+v, want bold", style.Font)
	}

	// E2 is CCHC-01's deadline, 31/12/2023: a real date, shown dd/mm/yyyy.
	if style := cellStyle(t, f, sheet, "E2"); style.CustomNumFmt == nil || *style.CustomNumFmt != "dd/mm/yyyy" {
		t.Errorf("deadline number format=%v, want dd/mm/yyyy", style.CustomNumFmt)
	}
	raw, err := f.GetCellValue(sheet, "E2", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	serial, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		t.Fatalf("deadline cell holds %q, want a date serial number", raw)
	}
	if d, _ := excelize.ExcelDateToTime(serial, false); !d.Equal(time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("deadline serial %v is %v, want 2023-12-31", serial, d)
	}
	if shown, _ := f.GetCellValue(sheet, "E2"); shown != "31/12/2023" {
		t.Errorf("deadline shown as %q, want 31/12/2023", shown)
	}
	if status, _ := f.GetCellValue(sheet, "F2"); status != "đã hoàn thành" {
		t.Errorf("status=%q, want the Vietnamese name", status)
	}
	if typ, _ := f.GetCellType(sheet, "G3"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("progress cell type=%v, want a number", typ)
	}
	if p, _ := f.GetCellValue(sheet, "G3", excelize.Options{RawCellValue: true}); p != "60" {
		t.Errorf("progress=%q, want 60", p)
	}
	if w, _ := f.GetColWidth(sheet, "B"); w < 40 {
		t.Errorf("title column width %v, want a wide column", w)
	}
	if layout, err := f.GetPageLayout(sheet); err != nil || layout.Orientation == nil || *layout.Orientation != "landscape" {
		t.Errorf("page layout=%+v (%v), want landscape", layout, err)
	}
	if !hasPrintTitles(f) {
		t.Errorf("defined names %+v, want the header row printed on every page", f.GetDefinedName())
	}
}

func hasPrintTitles(f *excelize.File) bool {
	for _, n := range f.GetDefinedName() {
		if n.Name == "_xlnm.Print_Titles" && strings.HasSuffix(n.RefersTo, "!$1:$1") {
			return true
		}
	}
	return false
}

func cellStyle(t *testing.T, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return style
}

// TestRead_XLSXFromExcel reads a workbook as a person makes it in Excel:
// a title above the header, dates typed as dates (built-in format 14) or
// as text, progress formatted as a percentage.
func TestRead_XLSXFromExcel(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	set := func(cell string, v any) {
		t.Helper()
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	builtinDate, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	percent, _ := f.NewStyle(&excelize.Style{NumFmt: 9})
	set("A1", "DANH MỤC NHIỆM VỤ NĂM 2024")
	for i, h := range []string{"STT", "Mã", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tiến độ"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 3)
		set(cell, h)
	}
	rows := [][]any{
		{1, "X-1", "Date cell", "SNV", time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), 0.6},
		{2, "X-2", "Text date", "SNV", "15/01/2025", 1},
		{3, "X-3", "Bad date", "SNV", "31/02/2024", 0},
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+4)
			set(cell, v)
		}
		_ = f.SetCellStyle(sheet, "E"+strconv.Itoa(r+4), "E"+strconv.Itoa(r+4), builtinDate)
		_ = f.SetCellStyle(sheet, "F"+strconv.Itoa(r+4), "F"+strconv.Itoa(r+4), percent)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}

	_, err := taskfile.Read(bytes.NewReader(buf.Bytes()), taskfile.XLSX, today)
	checkProblems(t, err, []string{`row 6, deadline: "31/02/2024" is not a date`})

	// Without the bad row, every value reads as it shows.
	if err := f.RemoveRow(sheet, 6); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := taskfile.Read(bytes.NewReader(buf.Bytes()), taskfile.XLSX, today)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	want := []struct {
		line     int
		code     string
		deadline tasks.Date
		progress int
	}{
		{4, "X-1", date(2024, 12, 31), 60},
		{5, "X-2", date(2025, 1, 15), 100},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i, w := range want {
		if g := got[i]; g.Line != w.line || g.Task.Code != w.code || g.Task.Deadline != w.deadline || g.Task.Progress != w.progress {
			t.Errorf("row %d: line %d %s %v %d%%, want line %d %s %v %d%%", i, g.Line, g.Task.Code, g.Task.Deadline, g.Task.Progress, w.line, w.code, w.deadline, w.progress)
		}
	}
}

// TestRead_XLSXProgress reads progress typed as whole numbers or as
// percentages (0.6 formatted 60%), as the column shows it.
func TestRead_XLSXProgress(t *testing.T) {
	tests := []struct {
		name    string
		values  []any
		percent bool // the progress cells have the 0% format
		want    []int
	}{
		{"whole numbers", []any{1, 60, 0}, false, []int{1, 60, 0}},
		{"only 0 and 1", []any{0, 1}, false, []int{0, 1}},
		{"percent", []any{0.6, 1, 0}, true, []int{60, 100, 0}},
		{"percent, only 0 and 1", []any{0, 1}, true, []int{0, 100}},
		{"percent typed as text", []any{"45%", "100 %"}, false, []int{45, 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := excelize.NewFile()
			defer f.Close()
			sheet := f.GetSheetName(0)
			style := 0
			if tt.percent {
				style, _ = f.NewStyle(&excelize.Style{NumFmt: 9})
			}
			if err := f.SetSheetRow(sheet, "A1", &[]any{"code", "title", "unit", "progress"}); err != nil {
				t.Fatal(err)
			}
			for i, v := range tt.values {
				row := strconv.Itoa(i + 2)
				if err := f.SetSheetRow(sheet, "A"+row, &[]any{"P-" + row, "T", "SNV", v}); err != nil {
					t.Fatal(err)
				}
				if err := f.SetCellStyle(sheet, "D"+row, "D"+row, style); err != nil {
					t.Fatal(err)
				}
			}
			var buf bytes.Buffer
			if _, err := f.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			rows, err := taskfile.Read(&buf, taskfile.XLSX, today)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			var got []int
			for _, r := range rows {
				got = append(got, r.Task.Progress)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("progress=%v, want %v", got, tt.want)
			}
		})
	}
}

func TestRead_NotAWorkbook(t *testing.T) {
	_, err := taskfile.Read(strings.NewReader("code,title,unit\n"), taskfile.XLSX, today)
	if err == nil || tasks.ErrorCode(err) != tasks.EINVALID {
		t.Errorf("err=%v, want EINVALID for a CSV given as XLSX", err)
	}
}

// TestWrite_FormulaCells: cells a spreadsheet would run as formulas are
// neutralised in the CSV with a leading apostrophe, read back as written,
// and stay plain text in the XLSX.
func TestWrite_FormulaCells(t *testing.T) {
	hostile := []tasks.Task{
		{Code: "CCHC-01", Title: "=cmd|' /C calc'!A0", Unit: "SNV", Group: "-5%", Source: "@SUM(1+1)", Status: tasks.InProgress, Progress: 5},
		{Code: "CCHC-02", Title: "+84 912 345 678", Unit: "SNV", Group: "'=already quoted", Source: "'plain", Status: tasks.NotStarted},
		{Code: "CCHC-03", Title: "Bình thường", Unit: "SNV", Group: "''-two", Status: tasks.NotStarted},
	}
	t.Run("csv", func(t *testing.T) {
		var buf bytes.Buffer
		if err := taskfile.Write(&buf, taskfile.CSV, hostile, baseUnits(), "vi"); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{",'=cmd|' /C calc'!A0,", ",'-5%,", ",'@SUM(1+1)", ",'+84 912 345 678,", ",''=already quoted,", ",'plain,", ",'''-two,"} {
			if !strings.Contains(buf.String(), want) {
				t.Errorf("csv lacks %s:\n%s", want, buf.String())
			}
		}
		for _, line := range strings.Split(strings.TrimPrefix(buf.String(), "\ufeff"), "\n") {
			for _, cell := range strings.Split(line, ",") {
				if c := strings.TrimPrefix(cell, `"`); c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
					t.Errorf("cell %q begins with a formula character", cell)
				}
			}
		}
		fresh := newFakeTx(baseUnits()...)
		if _, err := taskfile.Import(fresh, bytes.NewReader(buf.Bytes()), taskfile.CSV, clerk, now, hcm); err != nil {
			t.Fatalf("Import: %v", err)
		}
		if got, want := fileColumns(fresh.sortedTasks(t)), fileColumns(hostile); !reflect.DeepEqual(got, want) {
			t.Errorf("read back:\n%+v\nwant\n%+v", got, want)
		}
	})
	t.Run("xlsx", func(t *testing.T) {
		var buf bytes.Buffer
		if err := taskfile.Write(&buf, taskfile.XLSX, hostile, baseUnits(), "vi"); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sheet := f.GetSheetName(0)
		for _, ref := range []string{"B2", "H2", "J2", "B3"} {
			formula, err := f.GetCellFormula(sheet, ref)
			if err != nil || formula != "" {
				t.Errorf("%s: formula %q (%v), want none", ref, formula, err)
			}
			typ, err := f.GetCellType(sheet, ref)
			if err != nil || typ != excelize.CellTypeInlineString {
				t.Errorf("%s: type %v (%v), want an inline string", ref, typ, err)
			}
		}
		if v, _ := f.GetCellValue(sheet, "B2"); v != hostile[0].Title {
			t.Errorf("B2=%q, want %q as text", v, hostile[0].Title)
		}
		fresh := newFakeTx(baseUnits()...)
		if _, err := taskfile.Import(fresh, bytes.NewReader(buf.Bytes()), taskfile.XLSX, clerk, now, hcm); err != nil {
			t.Fatalf("Import: %v", err)
		}
		if got, want := fileColumns(fresh.sortedTasks(t)), fileColumns(hostile); !reflect.DeepEqual(got, want) {
			t.Errorf("read back:\n%+v\nwant\n%+v", got, want)
		}
	})
}

// TestWrite_DeadlineWords: deadlines as plans write them are read with
// their words, exported as written, and come back the same.
func TestWrite_DeadlineWords(t *testing.T) {
	in := "Mã,Nhiệm vụ,Đơn vị chủ trì,Thời hạn\n" +
		"A-1,Rà soát,SNV,Quý IV/2023\n" +
		"A-2,Kiểm tra công vụ,SNV,Thường xuyên\n" +
		"A-3,Báo cáo,SNV,trước ngày 15/12/2023\n" +
		"A-4,Sơ kết,SNV,6 thang dau nam 2024\n" +
		"A-5,Tổng kết,SNV,31/12/2024\n"
	want := []tasks.Task{
		{Code: "A-1", Deadline: date(2023, 12, 31), DeadlineText: "Quý IV/2023"},
		{Code: "A-2", DeadlineText: "Thường xuyên"},
		{Code: "A-3", Deadline: date(2023, 12, 15), DeadlineText: "trước ngày 15/12/2023"},
		{Code: "A-4", Deadline: date(2024, 6, 30), DeadlineText: "6 thang dau nam 2024"},
		{Code: "A-5", Deadline: date(2024, 12, 31)},
	}
	check := func(t *testing.T, got []tasks.Task) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%d tasks, want %d", len(got), len(want))
		}
		for i, w := range want {
			if g := got[i]; g.Code != w.Code || g.Deadline != w.Deadline || g.DeadlineText != w.DeadlineText {
				t.Errorf("%s: deadline %v %q, want %v %q", w.Code, g.Deadline, g.DeadlineText, w.Deadline, w.DeadlineText)
			}
		}
		if !got[1].Ongoing() {
			t.Errorf("A-2 is not ongoing")
		}
	}
	tx := newFakeTx(baseUnits()...)
	if _, err := importCSV(t, tx, now, in); err != nil {
		t.Fatalf("Import: %v", err)
	}
	stored := tx.sortedTasks(t)
	check(t, stored)
	for _, format := range []taskfile.Format{taskfile.CSV, taskfile.XLSX} {
		t.Run(format.String(), func(t *testing.T) {
			var buf bytes.Buffer
			if err := taskfile.Write(&buf, format, stored, baseUnits(), "vi"); err != nil {
				t.Fatal(err)
			}
			if format == taskfile.CSV && !strings.Contains(buf.String(), ",Quý IV/2023,") {
				t.Errorf("csv does not give the deadline as written:\n%s", buf.String())
			}
			fresh := newFakeTx(baseUnits()...)
			if _, err := taskfile.Import(fresh, bytes.NewReader(buf.Bytes()), format, clerk, now, hcm); err != nil {
				t.Fatalf("Import: %v", err)
			}
			check(t, fresh.sortedTasks(t))
			res, err := taskfile.Import(tx, bytes.NewReader(buf.Bytes()), format, clerk, now, hcm)
			if err != nil || res.Unchanged != len(want) {
				t.Errorf("re-import into the same store: %+v, %v; want all unchanged", res, err)
			}
		})
	}
	// The same day written otherwise is a change: the words shown change.
	res, err := importCSV(t, tx, now, "code,title,unit,deadline\nA-1,Rà soát,SNV,2023-12-31\n")
	if err != nil || res.Updated != 1 {
		t.Fatalf("result %+v, %v; want one update", res, err)
	}
	if got := tx.tasks["A-1"]; got.DeadlineText != "" || got.Deadline != date(2023, 12, 31) {
		t.Errorf("A-1 deadline %v %q, want 2023-12-31 with no words", got.Deadline, got.DeadlineText)
	}
}
