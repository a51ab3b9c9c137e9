package tasks_test

import (
	"math"
	"testing"

	"steerbot/tasks"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in      string
		cmp     tasks.Comparison
		value   float64
		measure string
	}{
		{"≥ 95 %", tasks.AtLeast, 95, "%"},
		{">= 95%", tasks.AtLeast, 95, "%"},
		{"≥95 %", tasks.AtLeast, 95, "%"},
		{"=> 95 %", tasks.AtLeast, 95, "%"},
		{"100%", tasks.AtLeast, 100, "%"},
		{"100 %", tasks.AtLeast, 100, "%"},
		{"= 100 %", tasks.Exactly, 100, "%"},
		{"<= 5 ngày", tasks.AtMost, 5, "ngày"},
		{"≤ 5 ngày", tasks.AtMost, 5, "ngày"},
		{"≤5 ngày làm việc", tasks.AtMost, 5, "ngày làm việc"},
		{"≥ 2 hội nghị", tasks.AtLeast, 2, "hội nghị"},
		{"Tối thiểu 95%", tasks.AtLeast, 95, "%"},
		{"TỐI THIỂU 95 %", tasks.AtLeast, 95, "%"},
		{"toi thieu 95%", tasks.AtLeast, 95, "%"},
		{"Tối đa 5 ngày", tasks.AtMost, 5, "ngày"},
		{"Không quá 15 ngày", tasks.AtMost, 15, "ngày"},
		{"ít nhất 2 lần/năm", tasks.AtLeast, 2, "lần/năm"},
		{"Phấn đấu 100%", tasks.AtLeast, 100, "%"},
		{"95% trở lên", tasks.AtLeast, 95, "%"},
		{"từ 95 % trở lên", tasks.AtLeast, 95, "%"},
		{"5 ngày trở xuống", tasks.AtMost, 5, "ngày"},
		{"≥ 99,5 %", tasks.AtLeast, 99.5, "%"},
		{"≥ 99.5%", tasks.AtLeast, 99.5, "%"},
		{"≥ 1.250 hồ sơ", tasks.AtLeast, 1250, "hồ sơ"},
		{"≥ 1.250,5", tasks.AtLeast, 1250.5, ""},
		{"≥ 95 phần trăm", tasks.AtLeast, 95, "%"},
		{"≥ 95 %.", tasks.AtLeast, 95, "%"},
		{"  ≥ 95   %  ", tasks.AtLeast, 95, "%"},
		{"Tối thiểu: 30%", tasks.AtLeast, 30, "%"},
		{"≤ 52 %", tasks.AtMost, 52, "%"},
	}
	for _, tt := range tests {
		got, err := tasks.ParseTarget(tt.in)
		if err != nil {
			t.Errorf("ParseTarget(%q): %v", tt.in, err)
			continue
		}
		if got.Cmp != tt.cmp || got.Value != tt.value || got.Measure != tt.measure {
			t.Errorf("ParseTarget(%q) = %q %v %q, want %q %v %q", tt.in, got.Cmp, got.Value, got.Measure, tt.cmp, tt.value, tt.measure)
		}
	}
}

func TestParseTarget_Bad(t *testing.T) {
	for _, in := range []string{
		"", "   ", "%", "cao", "tối thiểu", "> 95%", "< 5 ngày", "trên 50%", "-5 ngày",
		"50% - 52%", "95% hồ sơ", "1,250.5", "1.25.0", "95,,5 %", "≥ ≤ 5",
		"≥ 95 % trở xuống", "≤ 5 ngày trở lên", "1234567890123456 hồ sơ",
		"≥ 2 hội nghị đối thoại với người dân về giải quyết thủ tục hành chính hằng năm",
	} {
		_, err := tasks.ParseTarget(in)
		var e *tasks.Error
		if !asError(err, &e) || e.Code != tasks.EINVALID || e.Key != "bad_target" {
			t.Errorf("ParseTarget(%q) error = %v, want EINVALID bad_target", in, err)
		}
	}
}

func TestTarget_StringRoundTrip(t *testing.T) {
	for _, in := range []string{"≥ 95 %", "≤ 5 ngày", "= 100 %", "≥ 1.250,5 hồ sơ", "≥ 2", "≥ 0,26 %", "≥ 1.207.000"} {
		tg, err := tasks.ParseTarget(in)
		if err != nil {
			t.Fatalf("ParseTarget(%q): %v", in, err)
		}
		if got := tg.String(); got != in {
			t.Errorf("ParseTarget(%q).String() = %q, want it unchanged", in, got)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {5, "5"}, {95, "95"}, {96.2, "96,2"}, {99.74, "99,74"}, {1250, "1.250"},
		{1250.5, "1.250,5"}, {1207000, "1.207.000"}, {0.26, "0,26"}, {100, "100"}, {-3.5, "-3,5"},
	}
	for _, tt := range tests {
		if got := tasks.FormatNumber(tt.v); got != tt.want {
			t.Errorf("FormatNumber(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestTarget_Meets(t *testing.T) {
	pct := func(s string) tasks.Target {
		t.Helper()
		tg, err := tasks.ParseTarget(s)
		if err != nil {
			t.Fatalf("ParseTarget(%q): %v", s, err)
		}
		return tg
	}
	tests := []struct {
		target string
		value  float64
		want   bool
	}{
		{"≥ 95 %", 95, true}, // the boundary is achieved
		{"≥ 95 %", 94.99, false},
		{"≥ 95 %", 96.2, true},
		{"≥ 95 %", 95 - 1e-12, true}, // float noise, not a shortfall
		{"≥ 95 %", 0, false},
		{"100 %", 100, true},
		{"100 %", 99.9, false},
		{"= 100 %", 100, true},
		{"= 100 %", 99.99, false},
		{"≤ 5 ngày", 5, true},
		{"≤ 5 ngày", 5.01, false},
		{"≤ 5 ngày", 2.5, true},
		{"≥ 2 hội nghị", 2, true},
		{"≥ 2 hội nghị", 1, false},
		{"≥ 99,5 %", 99.5, true},
		{"≥ 0,1 %", 0.1, true},
		{"≤ 0,3 %", 0.1 + 0.2, true}, // 0.30000000000000004
		{"≥ 1.250 hồ sơ", 1249, false},
	}
	for _, tt := range tests {
		if got := pct(tt.target).Meets(tt.value); got != tt.want {
			t.Errorf("%q meets %v = %v, want %v", tt.target, tt.value, got, tt.want)
		}
	}
	if (tasks.Target{}).Meets(0) {
		t.Error("a target with no comparison is met")
	}
	if !math.IsNaN(math.NaN()) || (tasks.Target{Cmp: tasks.AtLeast}).Meets(math.NaN()) {
		t.Error("NaN meets a target")
	}
}
