package bot

import (
	"testing"

	"steerbot/tasks"
)

func TestReportArgs(t *testing.T) {
	for _, c := range []struct {
		args   string
		format string
		kind   tasks.PeriodKind
		ok     bool
	}{
		{"", "docx", tasks.PeriodMonth, true},
		{"pdf", "pdf", tasks.PeriodMonth, true},
		{"PDF quý", "pdf", tasks.PeriodQuarter, true},
		{"quy pdf", "pdf", tasks.PeriodQuarter, true},
		{"6 tháng", "docx", tasks.PeriodHalf, true},
		{"pdf 6 thang", "pdf", tasks.PeriodHalf, true},
		{"năm word", "docx", tasks.PeriodYear, true},
		{"year", "docx", tasks.PeriodYear, true},
		{"phiên họp", "docx", tasks.PeriodMeeting, true},
		{"meeting pdf", "pdf", tasks.PeriodMeeting, true},
		{"Tháng", "docx", tasks.PeriodMonth, true},
		{"tuần", "", "", false},
		{"pdf hôm qua", "", "", false},
		{"2023", "", "", false},
	} {
		format, kind, ok := reportArgs(c.args)
		if ok != c.ok || ok && (format != c.format || kind != c.kind) {
			t.Errorf("reportArgs(%q) = %q, %q, %v; want %q, %q, %v", c.args, format, kind, ok, c.format, c.kind, c.ok)
		}
	}
}

func FuzzReportArgs(f *testing.F) {
	for _, s := range []string{"", "pdf", "pdf quý", "6 tháng", "phiên họp word", "q\u0301uy"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		format, kind, ok := reportArgs(s)
		if !ok {
			return
		}
		if format != "docx" && format != "pdf" {
			t.Fatalf("reportArgs(%q): format %q", s, format)
		}
		if _, valid := tasks.ParsePeriodKind(string(kind)); !valid {
			t.Fatalf("reportArgs(%q): kind %q", s, kind)
		}
	})
}
