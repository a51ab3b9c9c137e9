package tasks_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"steerbot/tasks"
)

func TestParseDeadline(t *testing.T) {
	today := day(2023, time.October, 17)
	tests := []struct {
		in      string
		date    tasks.Date
		text    string // "" for a plain date
		ongoing bool
	}{
		// Plain dates, as ParseDate reads them; no words to keep.
		{"31/12/2023", day(2023, 12, 31), "", false},
		{"2023-12-31", day(2023, 12, 31), "", false},
		{"15/12", day(2023, 12, 15), "", false},
		// Quarters.
		{"Quý IV/2023", day(2023, 12, 31), "Quý IV/2023", false},
		{"Quý 4/2023", day(2023, 12, 31), "Quý 4/2023", false},
		{"quý IV năm 2023", day(2023, 12, 31), "quý IV năm 2023", false},
		{"QUÝ I/2024", day(2024, 3, 31), "QUÝ I/2024", false},
		{"quy ii/2024", day(2024, 6, 30), "quy ii/2024", false},
		{"Quy III nam 2024", day(2024, 9, 30), "Quy III nam 2024", false},
		{"Quý  IV /  2023", day(2023, 12, 31), "Quý IV / 2023", false},
		{"Quý IV-2023", day(2023, 12, 31), "Quý IV-2023", false},
		// Months.
		{"Tháng 12/2023", day(2023, 12, 31), "Tháng 12/2023", false},
		{"tháng 12 năm 2023", day(2023, 12, 31), "tháng 12 năm 2023", false},
		{"T12/2023", day(2023, 12, 31), "T12/2023", false},
		{"t2/2024", day(2024, 2, 29), "t2/2024", false},
		{"thang 02/2023", day(2023, 2, 28), "thang 02/2023", false},
		{"THÁNG 4 NĂM 2024", day(2024, 4, 30), "THÁNG 4 NĂM 2024", false},
		// Halves and years.
		{"6 tháng đầu năm 2024", day(2024, 6, 30), "6 tháng đầu năm 2024", false},
		{"6 tháng cuối năm 2024", day(2024, 12, 31), "6 tháng cuối năm 2024", false},
		{"6 thang dau nam 2024", day(2024, 6, 30), "6 thang dau nam 2024", false},
		{"6 THÁNG CUỐI 2024", day(2024, 12, 31), "6 THÁNG CUỐI 2024", false},
		{"Năm 2024", day(2024, 12, 31), "Năm 2024", false},
		{"nam 2024", day(2024, 12, 31), "nam 2024", false},
		// Before a day.
		{"trước 15/12/2023", day(2023, 12, 15), "trước 15/12/2023", false},
		{"trước ngày 15/12/2023", day(2023, 12, 15), "trước ngày 15/12/2023", false},
		{"Truoc ngay 15/12/2023", day(2023, 12, 15), "Truoc ngay 15/12/2023", false},
		{"TRƯỚC 2023-12-15", day(2023, 12, 15), "TRƯỚC 2023-12-15", false},
		// Ongoing.
		{"Thường xuyên", tasks.Date{}, "Thường xuyên", true},
		{"thuong xuyen", tasks.Date{}, "thuong xuyen", true},
		{"THƯỜNG XUYÊN", tasks.Date{}, "THƯỜNG XUYÊN", true},
		{"Hằng năm", tasks.Date{}, "Hằng năm", true},
		{"Hàng năm", tasks.Date{}, "Hàng năm", true},
		{"hang nam", tasks.Date{}, "hang nam", true},
		{"Định kỳ", tasks.Date{}, "Định kỳ", true},
		{"dinh ky", tasks.Date{}, "dinh ky", true},
		// Decomposed input, as some phones send it.
		{"Quy\u0301 IV/2023", day(2023, 12, 31), "Quy\u0301 IV/2023", false},
		{"Thu\u031bo\u031b\u0300ng xuye\u0302n", tasks.Date{}, "Thu\u031bo\u031b\u0300ng xuye\u0302n", true},
	}
	for _, tt := range tests {
		got, err := tasks.ParseDeadline(tt.in, today)
		if err != nil {
			t.Errorf("ParseDeadline(%q): %v", tt.in, err)
			continue
		}
		if want := (tasks.Deadline{Date: tt.date, Text: tt.text, Ongoing: tt.ongoing}); got != want {
			t.Errorf("ParseDeadline(%q)=%+v, want %+v", tt.in, got, want)
		}
	}
}

func TestParseDeadline_Refused(t *testing.T) {
	today := day(2023, time.October, 17)
	for _, in := range []string{
		"", "2024", "Quý V/2023", "Quý 0/2023", "quý IV", "Tháng 13/2023", "Tháng 0/2023", "T12", "12/2023",
		"6 tháng giữa năm 2024", "5 tháng đầu năm 2024", "Năm 24", "năm 1800", "trước", "trước ngày 31/02/2024", "31/02/2024",
		"thường", "xuyên", "sớm", "Quý IV/2023 xong", strings.Repeat("Quý IV/2023 ", 10),
	} {
		_, err := tasks.ParseDeadline(in, today)
		var e *tasks.Error
		want := "bad_deadline"
		if in != "" && strings.IndexFunc(in, unicode.IsLetter) < 0 {
			want = "bad_date"
		}
		if !asError(err, &e) || e.Code != tasks.EINVALID || e.Key != want {
			t.Errorf("ParseDeadline(%q): err=%v, want EINVALID %s", in, err, want)
		}
	}
}

func TestCutDeadline(t *testing.T) {
	today := day(2023, time.October, 17)
	tests := []struct {
		in, text, rest string
		date           tasks.Date
	}{
		{"31/12/2023 Rà soát thủ tục", "", "Rà soát thủ tục", day(2023, 12, 31)},
		{"Quý IV/2023 Rà soát thủ tục", "Quý IV/2023", "Rà soát thủ tục", day(2023, 12, 31)},
		{"quý IV năm 2023 Rà soát", "quý IV năm 2023", "Rà soát", day(2023, 12, 31)},
		{"6 tháng đầu năm 2024 Báo cáo sơ kết", "6 tháng đầu năm 2024", "Báo cáo sơ kết", day(2024, 6, 30)},
		{"trước ngày 15/12/2023 vì chờ kinh phí", "trước ngày 15/12/2023", "vì chờ kinh phí", day(2023, 12, 15)},
		{"Thường xuyên Kiểm tra công vụ", "Thường xuyên", "Kiểm tra công vụ", tasks.Date{}},
		{"Năm 2024", "Năm 2024", "", day(2024, 12, 31)},
	}
	for _, tt := range tests {
		d, rest, err := tasks.CutDeadline(tt.in, today)
		if err != nil {
			t.Errorf("CutDeadline(%q): %v", tt.in, err)
			continue
		}
		if d.Text != tt.text || d.Date != tt.date || rest != tt.rest {
			t.Errorf("CutDeadline(%q)=%+v, %q; want %q %v, %q", tt.in, d, rest, tt.text, tt.date, tt.rest)
		}
	}
	for in, echo := range map[string]string{"sớm nhất Rà soát": "sớm", "Quý V/2023 Rà soát": "Quý V/2023", "Thường kỳ họp": "Thường kỳ"} {
		_, _, err := tasks.CutDeadline(in, today)
		var e *tasks.Error
		if !asError(err, &e) || e.Code != tasks.EINVALID || len(e.Args) != 1 || e.Args[0] != echo {
			t.Errorf("CutDeadline(%q): err=%#v, want EINVALID echoing %q", in, err, echo)
		}
	}
}

func TestTask_DeadlineLabel(t *testing.T) {
	tests := []struct {
		task    tasks.Task
		want    string
		ongoing bool
	}{
		{tasks.Task{Deadline: day(2023, 12, 31), DeadlineText: "Quý IV/2023"}, "Quý IV/2023 (31/12/2023)", false},
		{tasks.Task{Deadline: day(2023, 12, 31)}, "31/12/2023", false},
		{tasks.Task{DeadlineText: "Thường xuyên"}, "Thường xuyên", true},
		{tasks.Task{}, "", false},
	}
	for _, tt := range tests {
		if got := tt.task.DeadlineLabel(); got != tt.want {
			t.Errorf("DeadlineLabel(%+v)=%q, want %q", tt.task, got, tt.want)
		}
		if got := tt.task.Ongoing(); got != tt.ongoing {
			t.Errorf("Ongoing(%+v)=%v, want %v", tt.task, got, tt.ongoing)
		}
	}
}

// An ongoing task is never overdue nor due soon, whatever the day, and
// digests count it on its own.
func TestOngoingTask(t *testing.T) {
	loc := hcm(t)
	ongoing := tasks.Task{Code: "TX-1", Unit: "SNV", Status: tasks.InProgress, DeadlineText: "Thường xuyên"}
	dated := tasks.Task{Code: "TX-2", Unit: "SNV", Status: tasks.InProgress, Deadline: day(2023, 12, 31), DeadlineText: "Quý IV/2023"}
	for _, now := range []time.Time{
		time.Date(2023, 12, 30, 9, 0, 0, 0, loc),
		time.Date(2030, 1, 1, 9, 0, 0, 0, loc),
	} {
		tl := tasks.Timeline{Now: now, Loc: loc, DueSoonDays: 7}
		if got := tl.Of(ongoing); got != tasks.Ongoing {
			t.Errorf("%s: ongoing task is %s, want %s", now.Format("2006-01-02"), got, tasks.Ongoing)
		}
		if got := tl.DaysLate(ongoing); got != 0 {
			t.Errorf("%s: ongoing task %d days late, want 0", now.Format("2006-01-02"), got)
		}
		d := tasks.ComputeDigest(tasks.DigestInput{Tasks: []tasks.Task{ongoing, dated}, Timeline: tl})
		if d.Total.Ongoing != 1 {
			t.Errorf("%s: digest counts %d ongoing, want 1", now.Format("2006-01-02"), d.Total.Ongoing)
		}
		for _, uo := range d.Overdue {
			for _, o := range uo.Tasks {
				if o.Code == ongoing.Code {
					t.Errorf("%s: ongoing task listed overdue", now.Format("2006-01-02"))
				}
			}
		}
	}
	// The dated one, past its quarter, is overdue like any task.
	tl := tasks.Timeline{Now: time.Date(2024, 1, 2, 9, 0, 0, 0, loc), Loc: loc, DueSoonDays: 7}
	if got := tl.Of(dated); got != tasks.Overdue {
		t.Errorf("Quý IV/2023 on 2024-01-02 is %s, want %s", got, tasks.Overdue)
	}
	d := tasks.ComputeDigest(tasks.DigestInput{Tasks: []tasks.Task{ongoing, dated}, Timeline: tl})
	if d.Total.Overdue != 1 || d.Total.Ongoing != 1 || d.Total.DueSoon != 0 {
		t.Errorf("digest overdue=%d ongoing=%d due soon=%d, want 1, 1, 0", d.Total.Overdue, d.Total.Ongoing, d.Total.DueSoon)
	}
}

// A change of deadline carries its words; a plain date clears them.
func TestPolicyApply_DeadlineText(t *testing.T) {
	now := time.Date(2023, 10, 17, 9, 0, 0, 0, hcm(t))
	sec := tasks.Member{ID: 1, Role: tasks.RoleSecretariat}
	task := tasks.Task{Code: "A-1", Unit: "SNV", Status: tasks.InProgress, Deadline: day(2023, 12, 31), DeadlineText: "Quý IV/2023"}
	d := day(2024, 3, 31)
	if _, err := (tasks.Policy{}).Apply(&task, tasks.Change{Deadline: &d, DeadlineText: "Quý I/2024"}, sec, tasks.ViaCommand, now); err != nil {
		t.Fatal(err)
	}
	if task.DeadlineLabel() != "Quý I/2024 (31/03/2024)" {
		t.Errorf("after Quý I/2024: %q", task.DeadlineLabel())
	}
	d = day(2024, 1, 15)
	if _, err := (tasks.Policy{}).Apply(&task, tasks.Change{Deadline: &d}, sec, tasks.ViaCommand, now); err != nil {
		t.Fatal(err)
	}
	if task.DeadlineLabel() != "15/01/2024" {
		t.Errorf("after 15/01/2024: %q", task.DeadlineLabel())
	}
}

// Records stored before deadlines had words decode as plain dates.
func TestTask_OldRecordDecodes(t *testing.T) {
	old := `{"Code":"A-1","Title":"T","Unit":"SNV","CoUnits":null,"Group":"","Source":"","Deadline":"2023-12-31","Status":"in_progress","Progress":10}`
	var task tasks.Task
	if err := json.Unmarshal([]byte(old), &task); err != nil {
		t.Fatal(err)
	}
	if task.Deadline != day(2023, 12, 31) || task.DeadlineText != "" || task.Ongoing() || task.DeadlineLabel() != "31/12/2023" {
		t.Errorf("decoded %+v, want a plain deadline 31/12/2023", task)
	}
	var e tasks.ExtensionRequest
	if err := json.Unmarshal([]byte(`{"ID":3,"Task":"A-1","NewDeadline":"2024-01-31","State":"pending"}`), &e); err != nil || e.NewDeadlineText != "" {
		t.Errorf("extension decoded %+v, %v", e, err)
	}
}

// FuzzParseDeadline: any text gives a deadline whose parts agree, or
// EINVALID; never a panic. A deadline read again from its words is the
// same.
func FuzzParseDeadline(f *testing.F) {
	for _, s := range []string{
		"Quý IV/2023", "quý IV năm 2023", "Tháng 12/2023", "T12/2023", "6 tháng đầu năm 2024", "Năm 2024",
		"trước ngày 15/12/2023", "Thường xuyên", "Hằng năm", "Định kỳ", "31/12/2023", "2023-12-31", "15/12",
		"t/", "quy /", "6 thang  nam", "truoc ngay", "năm", "\u0301", "T99999/2023",
	} {
		f.Add(s)
	}
	today := day(2023, time.October, 17)
	f.Fuzz(func(t *testing.T, s string) {
		d, err := tasks.ParseDeadline(s, today)
		if err != nil {
			if tasks.ErrorCode(err) != tasks.EINVALID {
				t.Fatalf("ParseDeadline(%q): err=%v, want EINVALID", s, err)
			}
			if msg := err.Error(); utf8.ValidString(s) && !utf8.ValidString(msg) {
				t.Fatalf("ParseDeadline(%q): message %q is not UTF-8", s, msg)
			}
			return
		}
		if d.Ongoing != d.Date.IsZero() {
			t.Fatalf("ParseDeadline(%q)=%+v: ongoing exactly when there is no date", s, d)
		}
		if d.Ongoing && d.Text == "" {
			t.Fatalf("ParseDeadline(%q)=%+v: ongoing without words", s, d)
		}
		if !d.Date.IsZero() && (d.Date.Year < 1900 || d.Date.Year > 9999 || d.Date.AddDays(0) != d.Date) {
			t.Fatalf("ParseDeadline(%q)=%+v: not a real day", s, d)
		}
		if d.Text != "" {
			again, err := tasks.ParseDeadline(d.Text, today)
			if err != nil || again != d {
				t.Fatalf("ParseDeadline(%q)=%+v, but its words read %+v, %v", s, d, again, err)
			}
			var task tasks.Task
			task.SetDeadline(d)
			if task.Ongoing() != d.Ongoing {
				t.Fatalf("task with %+v: Ongoing()=%v", d, task.Ongoing())
			}
		}
	})
}
