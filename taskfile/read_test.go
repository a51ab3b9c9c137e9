package taskfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"steerbot/taskfile"
	"steerbot/tasks"
)

func TestRead_VietnameseCSV(t *testing.T) {
	rows, err := taskfile.ReadFile(filepath.Join("testdata", "good_vi.csv"), today)
	if err != nil {
		t.Fatalf("ReadFile: %v", err)
	}
	want := []struct {
		line     int
		task     tasks.Task
		unitName string
		has      taskfile.Column
	}{
		{2, tasks.Task{
			Code: "CCHC-01", Title: "Rà soát, đơn giản hóa thủ tục hành chính", Unit: "SNV",
			CoUnits: []string{"STP", "VPUB"}, Group: "Kế hoạch CCHC 2023", Source: "QĐ 7028/QĐ-UBND",
			Deadline: date(2023, 12, 31), Status: tasks.Done, Progress: 100,
		}, "Sở Nội vụ", taskfile.ColCode | taskfile.ColTitle | taskfile.ColUnit | taskfile.ColUnitName |
			taskfile.ColDeadline | taskfile.ColStatus | taskfile.ColProgress | taskfile.ColGroup |
			taskfile.ColCoUnits | taskfile.ColSource},
		{3, tasks.Task{
			Code: "CCHC-02", Title: `Triển khai "Ngày thứ 7 cùng dân"`, Unit: "STTTT",
			CoUnits: []string{"SNV"}, Group: "Chuyển đổi số",
			Deadline: date(2024, 3, 15), Status: tasks.InProgress, Progress: 60,
		}, "Sở Thông tin và Truyền thông", taskfile.ColCode | taskfile.ColTitle | taskfile.ColUnit |
			taskfile.ColUnitName | taskfile.ColDeadline | taskfile.ColStatus | taskfile.ColProgress |
			taskfile.ColGroup | taskfile.ColCoUnits},
		// Row 4 is blank; row 5 spans two lines of the file.
		{5, tasks.Task{
			Code: "CCHC-03", Title: "Số hóa hồ sơ, kết quả giải quyết TTHC\n(nhiều dòng)", Unit: "UBND-Q1",
			Group: "Kế hoạch CCHC 2023", Source: "KH 123/KH-UBND",
			Deadline: date(2024, 6, 15), Status: tasks.NotStarted, Progress: 0,
		}, "UBND Quận 1", taskfile.ColCode | taskfile.ColTitle | taskfile.ColUnit | taskfile.ColUnitName |
			taskfile.ColDeadline | taskfile.ColStatus | taskfile.ColProgress | taskfile.ColGroup | taskfile.ColSource},
		{6, tasks.Task{
			Code: "CĐS-04", Title: "Đề xuất dừng dự án cũ", Unit: "SỞ TÀI CHÍNH",
			CoUnits: []string{"SNV", "STTTT"}, Group: "Chuyển đổi số", Status: tasks.ProposedStop,
		}, "", taskfile.ColCode | taskfile.ColTitle | taskfile.ColUnit | taskfile.ColStatus |
			taskfile.ColGroup | taskfile.ColCoUnits},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d: %+v", len(rows), len(want), rows)
	}
	for i, w := range want {
		got := rows[i]
		if got.Line != w.line {
			t.Errorf("row %d: Line=%d, want %d", i, got.Line, w.line)
		}
		if !reflect.DeepEqual(got.Task, w.task) {
			t.Errorf("row %d: Task=\n%+v, want\n%+v", w.line, got.Task, w.task)
		}
		if got.UnitName != w.unitName {
			t.Errorf("row %d: UnitName=%q, want %q", w.line, got.UnitName, w.unitName)
		}
		if got.Has != w.has {
			t.Errorf("row %d: Has=%q, want %q", w.line, got.Has, w.has)
		}
	}
}

func TestImport_VietnameseCSV(t *testing.T) {
	tx := newFakeTx(baseUnits()...)
	f, err := os.Open(filepath.Join("testdata", "good_vi.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := taskfile.Import(tx, f, taskfile.CSV, clerk, now, hcm)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if want := (taskfile.Result{Created: 4, UnitsCreated: 1}); res != want {
		t.Errorf("result=%+v, want %+v", res, want)
	}
	if u, ok := tx.units["UBND-Q1"]; !ok || u.Name != "UBND Quận 1" {
		t.Errorf("unit UBND-Q1=%+v (present %v), want it created as UBND Quận 1", u, ok)
	}
	if u := tx.units["SNV"]; u.Name != "Sở Nội vụ" {
		t.Errorf("SNV renamed to %q", u.Name)
	}
	done := tx.tasks["CCHC-01"]
	if done.Status != tasks.Done || done.Progress != 100 || !done.CompletedAt.IsZero() {
		t.Errorf("CCHC-01: status=%s progress=%d completed=%v, want done 100, completion unknown", done.Status, done.Progress, done.CompletedAt)
	}
	byName := tx.tasks["CĐS-04"]
	if byName.Unit != "STC" || byName.Status != tasks.ProposedStop || byName.Progress != 0 {
		t.Errorf("CĐS-04: unit=%s status=%s progress=%d, want STC proposed_stop 0 (unit given by its name)", byName.Unit, byName.Status, byName.Progress)
	}
	if len(tx.updates) != 4 {
		t.Fatalf("got %d updates, want one per created task (4)", len(tx.updates))
	}
	for _, u := range tx.updates {
		if u.Via != tasks.ViaImport || u.By != clerk.ID || u.ByName != clerk.Name || !u.At.Equal(now) || u.OldStatus != "" {
			t.Errorf("update %+v: want via import by %d %q at %v from no status", u, clerk.ID, clerk.Name, now)
		}
		if got := tx.tasks[u.Task]; u.NewStatus != got.Status || u.NewProgress != got.Progress || u.NewDeadline != got.Deadline {
			t.Errorf("update of %s says %s/%d/%v, task is %s/%d/%v", u.Task, u.NewStatus, u.NewProgress, u.NewDeadline, got.Status, got.Progress, got.Deadline)
		}
	}
}

func TestRead_BadRows(t *testing.T) {
	want := []string{
		`row 3, title: missing`,
		`row 3, deadline: "31/02/2024" is not a date`,
		`row 4, code: "A-1" repeats row 2`,
		`row 5, code: "A 4" is not a task code (letters, digits and - _ . / # only, not beginning with -, at most 32 bytes)`,
		`row 5, status: "finished?" is not a status`,
		`row 5, progress: "120%" is not a whole number from 0 to 100`,
		`row 7, progress: "60" contradicts status "done"`,
		`row 8, unit: missing`,
	}
	t.Run("Read", func(t *testing.T) {
		rows, err := taskfile.ReadFile(filepath.Join("testdata", "bad.csv"), today)
		if rows != nil {
			t.Errorf("got %d rows with the error, want none", len(rows))
		}
		checkProblems(t, err, want)
	})
	t.Run("Import", func(t *testing.T) {
		// Import also checks units against the store, and writes nothing.
		tx := newFakeTx(baseUnits()...)
		f, err := os.Open(filepath.Join("testdata", "bad.csv"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		_, err = taskfile.Import(tx, f, taskfile.CSV, clerk, now, hcm)
		withUnit := append(want[:6:6], `row 6, unit: "XYZ" is not a known unit (give unit_name to create it)`)
		checkProblems(t, err, append(withUnit, want[6:]...))
		if tx.writes != 0 || len(tx.tasks) != 0 {
			t.Errorf("bad file wrote %d times (%d tasks), want nothing written", tx.writes, len(tx.tasks))
		}
	})
}

// checkProblems checks that err is a *ValidationError listing want, one
// line each, and that it reads as the user's mistake.
func checkProblems(t *testing.T, err error, want []string) {
	t.Helper()
	var verr *taskfile.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("err=%v (%T), want a *ValidationError", err, err)
	}
	if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(verr.Problems) != len(want) {
		t.Errorf("%d Problems, want %d", len(verr.Problems), len(want))
	}
	if code := tasks.ErrorCode(err); code != tasks.EINVALID {
		t.Errorf("ErrorCode=%s, want %s", code, tasks.EINVALID)
	}
}

func TestRead_Headers(t *testing.T) {
	tests := []struct {
		name   string
		header string // columns after code,title,unit
		value  string
		check  func(taskfile.Row) bool
	}{
		{"deadline", "deadline", "2024-07-01", func(r taskfile.Row) bool { return r.Task.Deadline == date(2024, 7, 1) }},
		{"han", "HẠN", "01/07/2024", func(r taskfile.Row) bool { return r.Task.Deadline == date(2024, 7, 1) }},
		{"thoi han", "Thời hạn", "1/7/2024", func(r taskfile.Row) bool { return r.Task.Deadline == date(2024, 7, 1) }},
		{"han hoan thanh", "hạn hoàn thành", "2024-07-01", func(r taskfile.Row) bool { return r.Task.Deadline == date(2024, 7, 1) }},
		{"thoi han unaccented", "thoi han hoan thanh", "2024-07-01", func(r taskfile.Row) bool { return r.Task.Deadline == date(2024, 7, 1) }},
		{"status", "Status", "done", func(r taskfile.Row) bool { return r.Task.Status == tasks.Done }},
		{"trang thai", "Trạng thái", "Hoàn thành", func(r taskfile.Row) bool { return r.Task.Status == tasks.Done }},
		{"progress", "progress", "45", func(r taskfile.Row) bool { return r.Task.Progress == 45 }},
		{"tien do percent", "Tiến độ (%)", "45%", func(r taskfile.Row) bool { return r.Task.Progress == 45 }},
		{"tien do", "TIEN DO", "45 %", func(r taskfile.Row) bool { return r.Task.Progress == 45 }},
		{"group", "group", "G", func(r taskfile.Row) bool { return r.Task.Group == "G" }},
		{"nhom", "Nhóm", "G", func(r taskfile.Row) bool { return r.Task.Group == "G" }},
		{"ke hoach", "Kế hoạch", "G", func(r taskfile.Row) bool { return r.Task.Group == "G" }},
		{"co_units", "co_units", "stp;vpub", func(r taskfile.Row) bool { return reflect.DeepEqual(r.Task.CoUnits, []string{"STP", "VPUB"}) }},
		{"don vi phoi hop", "Đơn vị phối hợp", "STP, VPUB, STP", func(r taskfile.Row) bool { return reflect.DeepEqual(r.Task.CoUnits, []string{"STP", "VPUB"}) }},
		{"source", "source", "QĐ 1", func(r taskfile.Row) bool { return r.Task.Source == "QĐ 1" }},
		{"van ban", "Văn bản", "QĐ 1", func(r taskfile.Row) bool { return r.Task.Source == "QĐ 1" }},
		{"unit_name", "unit_name", "Sở X", func(r taskfile.Row) bool { return r.UnitName == "Sở X" }},
		{"ten don vi", "Tên đơn vị", "Sở X", func(r taskfile.Row) bool { return r.UnitName == "Sở X" }},
		{"unknown column ignored", "Ghi chú", "anything", func(r taskfile.Row) bool { return r.Has == taskfile.ColCode|taskfile.ColTitle|taskfile.ColUnit }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "Mã nhiệm vụ,Nội dung,ĐƠN VỊ CHỦ TRÌ," + tt.header + "\nX-1,Làm việc,SNV,\"" + tt.value + "\"\n"
			rows, err := taskfile.Read(strings.NewReader(in), taskfile.CSV, today)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if len(rows) != 1 || rows[0].Task.Code != "X-1" || rows[0].Task.Title != "Làm việc" || rows[0].Task.Unit != "SNV" {
				t.Fatalf("rows=%+v, want one row X-1 / Làm việc / SNV", rows)
			}
			if !tt.check(rows[0]) {
				t.Errorf("header %q value %q: row=%+v", tt.header, tt.value, rows[0])
			}
		})
	}
}

func TestRead_FileProblems(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // the error, whole
	}{
		{"missing required", "code;deadline\nA;2024-01-01\n", "row 1: missing required columns: title, unit"},
		{"empty", "\n\n", "row 1: no header row: the file is empty"},
		{"duplicate column", "code,title,unit,nhiệm vụ\n", `row 1, title: "nhiệm vụ" names the same column as "title"`},
		{"title row above header", "DANH MỤC NHIỆM VỤ\n\nma,nhiem vu,don vi chu tri,han\nA,T,SNV,32/01/2024\n", `row 4, deadline: "32/01/2024" is not a date`},
		{"sep line hidden by Excel", "sep=;\ncode;title;unit;progress\nA;T;SNV;x\n", `row 2, progress: "x" is not a whole number from 0 to 100`},
		{"not utf-8", "code,title,unit\nA,Nhi\xeam v\xf5,SNV\n", "line 2 of the CSV file is not UTF-8 text: save it as CSV UTF-8"},
		{"utf-16", "\xff\xfec\x00o\x00", "the CSV file is UTF-16: save it as CSV UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := taskfile.Read(strings.NewReader(tt.in), taskfile.CSV, today)
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("err=%q, want %q", err, tt.want)
			}
			if code := tasks.ErrorCode(err); code != tasks.EINVALID {
				t.Errorf("ErrorCode=%s, want %s", code, tasks.EINVALID)
			}
		})
	}
}

func TestReadFile_UnknownExtension(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tasks.xls")
	if err := os.WriteFile(path, []byte("code,title,unit\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := taskfile.ReadFile(path, today)
	if err == nil || tasks.ErrorCode(err) != tasks.EINVALID || !strings.Contains(err.Error(), "tasks.xls") {
		t.Errorf("err=%v, want EINVALID naming tasks.xls", err)
	}
}

func TestRead_Values(t *testing.T) {
	tests := []struct {
		deadline, status, progress string
		want                       tasks.Task
		wantErr                    string
	}{
		{"2024-12-31 00:00:00", "", "", tasks.Task{Deadline: date(2024, 12, 31)}, ""},
		{"31.12.2024", "", "", tasks.Task{Deadline: date(2024, 12, 31)}, ""},
		{"15/06", "", "", tasks.Task{Deadline: date(2024, 6, 15)}, ""}, // the coming 15 June
		{"29/02/2023", "", "", tasks.Task{}, `row 2, deadline: "29/02/2023" is not a date`},
		{"Quý IV/2024", "", "", tasks.Task{Deadline: date(2024, 12, 31)}, ""},
		{"Quý V/2024", "", "", tasks.Task{}, `row 2, deadline: "Quý V/2024" is not a deadline (e.g. 31/12/2024, Quý IV/2024, Thường xuyên)`},
		{"", "In Progress", "60.0", tasks.Task{Status: tasks.InProgress, Progress: 60}, ""},
		{"", "đề xuất chuyển tiếp", "", tasks.Task{Status: tasks.ProposedCarryover}, ""},
		{"", "", "100", tasks.Task{Progress: 100}, ""},
		{"", "", "-5", tasks.Task{}, `row 2, progress: "-5" is not a whole number from 0 to 100`},
		{"", "", "62.5%", tasks.Task{}, `row 2, progress: "62.5%" is not a whole number from 0 to 100`},
		{"", "not started", "10", tasks.Task{}, `row 2, progress: "10" contradicts status "not started"`},
		{"", "đang làm", "100", tasks.Task{}, `row 2, progress: "100" contradicts status "đang làm"`},
	}
	for _, tt := range tests {
		in := "code,title,unit,deadline,status,progress\nA,T,SNV," + tt.deadline + "," + tt.status + "," + tt.progress + "\n"
		rows, err := taskfile.Read(strings.NewReader(in), taskfile.CSV, today)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("%q/%q/%q: err=%v, want %q", tt.deadline, tt.status, tt.progress, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q/%q/%q: %v", tt.deadline, tt.status, tt.progress, err)
			continue
		}
		got := rows[0].Task
		if got.Deadline != tt.want.Deadline || got.Status != tt.want.Status || got.Progress != tt.want.Progress {
			t.Errorf("%q/%q/%q: got %v/%s/%d, want %v/%s/%d", tt.deadline, tt.status, tt.progress,
				got.Deadline, got.Status, got.Progress, tt.want.Deadline, tt.want.Status, tt.want.Progress)
		}
	}
}

func TestRead_Limits(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"too many rows", "code,title,unit\n" + strings.Repeat("A,T,SNV\n", taskfile.MaxRows), "the task file has more than 50000 rows"},
		{"too big", "code,title,unit\n" + strings.Repeat("x", taskfile.MaxSize), "the task file is larger than 32 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := taskfile.Read(strings.NewReader(tt.in), taskfile.CSV, today)
			if err == nil || err.Error() != tt.want || tasks.ErrorCode(err) != tasks.EINVALID {
				t.Errorf("err=%v, want EINVALID %q", err, tt.want)
			}
		})
	}
	t.Run("wide rows", func(t *testing.T) {
		// Columns past the 64th are ignored like unknown ones.
		in := "code,title,unit" + strings.Repeat(",", 100000) + "\nA,T,SNV" + strings.Repeat(",x", 100000) + "\n"
		rows, err := taskfile.Read(strings.NewReader(in), taskfile.CSV, today)
		if err != nil || len(rows) != 1 || rows[0].Task.Code != "A" {
			t.Errorf("rows=%+v err=%v, want row A", rows, err)
		}
	})
}

func TestRead_CodeLikeFormula(t *testing.T) {
	// An exported "-5" comes as '-5 and reads back as -5: refused either way.
	for _, code := range []string{"-5", "'-5"} {
		_, err := taskfile.Read(strings.NewReader("code,title,unit\n"+code+",T,SNV\n"), taskfile.CSV, today)
		want := `row 2, code: "-5" is not a task code (letters, digits and - _ . / # only, not beginning with -, at most 32 bytes)`
		if err == nil || err.Error() != want {
			t.Errorf("code %s: err=%v, want %q", code, err, want)
		}
	}
}
