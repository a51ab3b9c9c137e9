package tasks_test

import (
	"testing"
	"time"

	"steerbot/tasks"
)

func TestParseCadence(t *testing.T) {
	tests := []struct {
		in   string
		want tasks.Cadence
	}{
		{"", tasks.CadenceYear}, {"year", tasks.CadenceYear}, {"Năm", tasks.CadenceYear}, {"hằng năm", tasks.CadenceYear},
		{"hàng năm", tasks.CadenceYear}, {"half", tasks.CadenceHalf}, {"6 tháng", tasks.CadenceHalf},
		{"6 THÁNG", tasks.CadenceHalf}, {"quarter", tasks.CadenceQuarter}, {"Quý", tasks.CadenceQuarter},
		{"hằng quý", tasks.CadenceQuarter}, {"month", tasks.CadenceMonth}, {"tháng", tasks.CadenceMonth},
		{"Hằng tháng", tasks.CadenceMonth},
	}
	for _, tt := range tests {
		got, ok := tasks.ParseCadence(tt.in)
		if !ok || got != tt.want {
			t.Errorf("ParseCadence(%q) = %q %v, want %q", tt.in, got, ok, tt.want)
		}
	}
	for _, in := range []string{"tuần", "week", "3 tháng", "quý IV"} {
		if got, ok := tasks.ParseCadence(in); ok {
			t.Errorf("ParseCadence(%q) = %q, want not a period", in, got)
		}
	}
}

func TestParseIndicatorState(t *testing.T) {
	tests := []struct {
		in   string
		want tasks.IndicatorState
	}{
		{"", tasks.IndicatorAssigned}, {"assigned", tasks.IndicatorAssigned}, {"Đang triển khai", tasks.IndicatorAssigned},
		{"new", tasks.IndicatorNew}, {"mới giao", tasks.IndicatorNew}, {"Mới giao bổ sung", tasks.IndicatorNew},
		{"stopped", tasks.IndicatorStopped}, {"Dừng", tasks.IndicatorStopped}, {"dừng thực hiện", tasks.IndicatorStopped},
	}
	for _, tt := range tests {
		got, ok := tasks.ParseIndicatorState(tt.in)
		if !ok || got != tt.want {
			t.Errorf("ParseIndicatorState(%q) = %q %v, want %q", tt.in, got, ok, tt.want)
		}
	}
	for _, in := range []string{"đã hoàn thành", "xong", "done"} {
		if got, ok := tasks.ParseIndicatorState(in); ok {
			t.Errorf("ParseIndicatorState(%q) = %q, want not a state", in, got)
		}
	}
}

func TestCadence_SpanOf(t *testing.T) {
	tests := []struct {
		p           tasks.Cadence
		d           tasks.Date
		first, last tasks.Date
		n           int
	}{
		{tasks.CadenceYear, day(2023, 10, 16), day(2023, 1, 1), day(2023, 12, 31), 1},
		{"", day(2023, 10, 16), day(2023, 1, 1), day(2023, 12, 31), 1},
		{tasks.CadenceHalf, day(2023, 10, 16), day(2023, 7, 1), day(2023, 12, 31), 2},
		{tasks.CadenceHalf, day(2023, 6, 30), day(2023, 1, 1), day(2023, 6, 30), 1},
		{tasks.CadenceQuarter, day(2023, 10, 16), day(2023, 10, 1), day(2023, 12, 31), 4},
		{tasks.CadenceQuarter, day(2023, 9, 30), day(2023, 7, 1), day(2023, 9, 30), 3},
		{tasks.CadenceQuarter, day(2023, 1, 1), day(2023, 1, 1), day(2023, 3, 31), 1},
		{tasks.CadenceMonth, day(2024, 2, 10), day(2024, 2, 1), day(2024, 2, 29), 2},
		{tasks.CadenceMonth, day(2023, 2, 28), day(2023, 2, 1), day(2023, 2, 28), 2},
		{tasks.CadenceMonth, day(2023, 12, 31), day(2023, 12, 1), day(2023, 12, 31), 12},
	}
	for _, tt := range tests {
		s := tt.p.SpanOf(tt.d)
		if s.First != tt.first || s.Last != tt.last || s.N != tt.n || s.Year != tt.d.Year {
			t.Errorf("%q.SpanOf(%v) = %v–%v n=%d, want %v–%v n=%d", tt.p, tt.d, s.First, s.Last, s.N, tt.first, tt.last, tt.n)
		}
		if !s.Contains(tt.d) || s.Contains(tt.first.AddDays(-1)) || s.Contains(tt.last.AddDays(1)) {
			t.Errorf("%q.SpanOf(%v) does not hold exactly its days", tt.p, tt.d)
		}
	}
}

func TestIndicator_Validate(t *testing.T) {
	good := tasks.Indicator{Code: "CT-01", Name: "Hồ sơ đúng hạn", Unit: "VP", Target: tasks.Target{Cmp: tasks.AtLeast, Value: 95, Measure: "%"}}
	if err := good.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	for name, mod := range map[string]func(*tasks.Indicator){
		"code":   func(i *tasks.Indicator) { i.Code = " " },
		"name":   func(i *tasks.Indicator) { i.Name = "" },
		"unit":   func(i *tasks.Indicator) { i.Unit = "" },
		"target": func(i *tasks.Indicator) { i.Target = tasks.Target{} },
		"period": func(i *tasks.Indicator) { i.Period = "week" },
		"state":  func(i *tasks.Indicator) { i.State = "done" },
	} {
		ind := good
		mod(&ind)
		var e *tasks.Error
		if err := ind.Validate(); !asError(err, &e) || e.Code != tasks.EINVALID || e.Args[1] != name {
			t.Errorf("%s: Validate = %v, want EINVALID naming %s", name, err, name)
		}
	}
}

// hcmNoon returns noon on d in Hồ Chí Minh City's time.
func hcmNoon(tb testing.TB, d tasks.Date) time.Time { return d.Start(hcm(tb)).Add(12 * time.Hour) }
