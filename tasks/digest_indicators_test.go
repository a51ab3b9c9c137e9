package tasks_test

import (
	"testing"
	"time"

	"steerbot/tasks"
)

// The indicators of digestSource (tasks.IndicatorReader).
func (s digestSource) Indicators(tasks.IndicatorFilter) ([]tasks.Indicator, error) {
	return s.inds, nil
}

func (s digestSource) IndicatorValues(code string, _ int) ([]tasks.IndicatorValue, error) {
	return s.vals[code], nil
}

func TestComputeDigest_Indicators(t *testing.T) {
	tl := tasks.Timeline{Now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), Loc: time.UTC}
	ge95 := tasks.Target{Cmp: tasks.AtLeast, Value: 95, Measure: "%"}
	src := digestSource{
		inds: []tasks.Indicator{
			{Code: "CT-01", Name: "Hồ sơ đúng hạn", Unit: "SNV", Target: ge95, Period: tasks.CadenceMonth, Group: "CCHC"},
			{Code: "CT-02", Name: "Hồ sơ trực tuyến", Unit: "SNV", Target: ge95, Period: tasks.CadenceMonth, Group: "CCHC"},
			{Code: "CT-03", Name: "Khác", Unit: "STC", Target: ge95, Group: "Chuyển đổi số"},
		},
		vals: map[string][]tasks.IndicatorValue{
			"CT-01": {{ID: 1, Indicator: "CT-01", Value: 96.2, Measure: "%", AsOf: tasks.Date{Year: 2026, Month: 11, Day: 20}}},
			"CT-02": {{ID: 2, Indicator: "CT-02", Value: 90, Measure: "%", AsOf: tasks.Date{Year: 2026, Month: 11, Day: 20}}},
		},
	}
	in, err := tasks.LoadDigestInput(src, tl, "")
	if err != nil {
		t.Fatal(err)
	}
	d := tasks.ComputeDigest(in)
	if got := d.Indicators; got.Total != 3 || got.Achieved != 1 || len(got.NotAchieved) != 1 || len(got.NoValue) != 1 {
		t.Fatalf("summary = %d total, %d achieved, %d not, %d no value; want 3, 1, 1, 1",
			got.Total, got.Achieved, len(got.NotAchieved), len(got.NoValue))
	}
	if len(d.UnitIndicators) != 2 || d.UnitIndicators[0].Unit != "SNV" || d.UnitIndicators[0].Summary.Achieved != 1 {
		t.Fatalf("per unit = %+v, want SNV with 1 achieved, then STC", d.UnitIndicators)
	}
	in.Group = "chuyen doi so"
	if got := tasks.ComputeDigest(in).Indicators; got.Total != 1 || len(got.NoValue) != 1 {
		t.Fatalf("group digest: %d indicators, %d without value; want 1, 1", got.Total, len(got.NoValue))
	}
}
