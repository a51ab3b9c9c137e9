package sample_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"steerbot/sample"
	"steerbot/tasks"
)

// readIndicators reads sample.IndicatorsCSV the way the contract lays it
// out (Vietnamese headers, in the contract's order) into indicators and
// their values as of day.
func readIndicators(t *testing.T, day tasks.Date) ([]tasks.Indicator, map[string][]tasks.IndicatorValue) {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(sample.IndicatorsCSV)).ReadAll()
	if err != nil {
		t.Fatalf("read indicators.csv: %v", err)
	}
	var header []string
	for _, h := range rows[0] {
		header = append(header, tasks.Fold(h))
	}
	want := []string{"ma", "chi tieu", "don vi chu tri", "muc tieu", "ky", "gia tri", "trang thai", "ngay giao", "ke hoach", "don vi phoi hop", "van ban"}
	if !slices.Equal(header, want) {
		t.Fatalf("header %q, want the contract's columns %q", header, want)
	}
	units := map[string]bool{}
	for _, u := range sample.Units() {
		units[u.Code] = true
	}
	var inds []tasks.Indicator
	vals := map[string][]tasks.IndicatorValue{}
	for n, r := range rows[1:] {
		row := n + 2
		target, err := tasks.ParseTarget(r[3])
		if err != nil {
			t.Errorf("row %d: target: %v", row, err)
			continue
		}
		period, ok := tasks.ParseCadence(r[4])
		if !ok {
			t.Errorf("row %d: period %q", row, r[4])
		}
		state, ok := tasks.ParseIndicatorState(r[6])
		if !ok {
			t.Errorf("row %d: state %q", row, r[6])
		}
		var assigned tasks.Date
		if r[7] != "" {
			if assigned, err = tasks.ParseDate(r[7], day); err != nil {
				t.Errorf("row %d: assigned on: %v", row, err)
			}
		}
		ind := tasks.Indicator{Code: r[0], Name: r[1], Unit: r[2], Target: target, Period: period, State: state,
			AssignedOn: assigned, Group: r[8], Source: r[10]}
		if r[9] != "" {
			ind.CoUnits = strings.Split(r[9], ";")
		}
		for _, u := range append([]string{ind.Unit}, ind.CoUnits...) {
			if !units[u] {
				t.Errorf("row %d: unit %q is not a unit of the sample committee", row, u)
			}
		}
		if err := ind.Validate(); err != nil {
			t.Errorf("row %d: %v", row, err)
		}
		if r[5] != "" {
			q, err := tasks.ParseIndicatorValue(r[5], target)
			if err != nil {
				t.Errorf("row %d: value: %v", row, err)
			}
			vals[ind.Code] = []tasks.IndicatorValue{{Indicator: ind.Code, Value: q.Value, Measure: q.Measure, AsOf: day}}
		}
		inds = append(inds, ind)
	}
	return inds, vals
}

// TestIndicatorsCSV checks the sample committee's indicators against seed
// 000 ("trong 28 chỉ tiêu, có 25/28 chỉ tiêu đang được triển khai, 03/28
// chỉ tiêu mới được giao bổ sung ngày 29/5/2023") and pins the figures the
// demo's digest shows on the eve of the third meeting.
func TestIndicatorsCSV(t *testing.T) {
	eve := tasks.Date{Year: 2023, Month: 10, Day: 16}
	inds, vals := readIndicators(t, eve)
	var st []tasks.IndicatorStanding
	codes := map[string]bool{}
	for _, ind := range inds {
		if codes[ind.Code] {
			t.Errorf("code %s twice", ind.Code)
		}
		codes[ind.Code] = true
		st = append(st, tasks.JudgeIndicator(ind, vals[ind.Code], eve))
	}
	s := tasks.SummarizeIndicators(st)
	if s.Total != 28 || s.Assigned != 25 || s.New != 3 || s.Stopped != 0 {
		t.Errorf("%d indicators, %d assigned, %d new, %d stopped; want 28, 25, 3, 0", s.Total, s.Assigned, s.New, s.Stopped)
	}
	if !slices.Equal(s.NewOn, []tasks.Date{{Year: 2023, Month: 5, Day: 29}}) {
		t.Errorf("new ones assigned on %v, want 29/5/2023", s.NewOn)
	}
	if s.Achieved != 17 || len(s.NotAchieved) != 4 || len(s.NoValue) != 7 {
		t.Errorf("%d achieved, %d not, %d without a value; want 17, 4, 7", s.Achieved, len(s.NotAchieved), len(s.NoValue))
	}
	var onTime bool
	for _, ind := range inds {
		if ind.Target == (tasks.Target{Cmp: tasks.AtLeast, Value: 95, Measure: "%"}) && strings.Contains(ind.Name, "đúng hạn và trước hạn") {
			onTime = true
		}
	}
	if !onTime {
		t.Error("no indicator holds the 95 % on-time rule for administrative files")
	}
	// The demo's head of Hoàn Kiếm reports CT-02, which has no value yet.
	by := tasks.IndicatorsByUnit(st)
	i := slices.IndexFunc(by, func(u tasks.UnitIndicators) bool { return u.Unit == "QHK" })
	if i < 0 || len(by[i].MissingNow) != 1 || by[i].MissingNow[0].Indicator.Code != "CT-02" {
		t.Errorf("QHK's indicators without a value: want CT-02 alone")
	}
}
