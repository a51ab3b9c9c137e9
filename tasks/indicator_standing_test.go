package tasks_test

import (
	"errors"
	"slices"
	"testing"

	"steerbot/tasks"
)

func indicator(tb testing.TB, code, unit, target string, p tasks.Cadence) tasks.Indicator {
	tb.Helper()
	return tasks.Indicator{Code: code, Name: "Chỉ tiêu " + code, Unit: unit, Target: mustTarget(tb, target), Period: p}
}

func value(id uint64, code string, v float64, measure string, asOf tasks.Date) tasks.IndicatorValue {
	return tasks.IndicatorValue{ID: id, Indicator: code, Value: v, Measure: measure, AsOf: asOf}
}

func TestJudgeIndicator(t *testing.T) {
	today := day(2023, 10, 16)
	monthly := indicator(t, "CT-01", "VP", "≥ 95 %", tasks.CadenceMonth)
	quarterly := indicator(t, "CT-08", "STTTT", "≥ 80 %", tasks.CadenceQuarter)
	days := indicator(t, "CT-22", "SKHDT", "≤ 3 ngày", tasks.CadenceQuarter)
	tests := []struct {
		name    string
		ind     tasks.Indicator
		values  []tasks.IndicatorValue
		want    tasks.IndicatorResult
		current uint64 // id of the value judged; 0 for none
		last    uint64
	}{
		{"no values", monthly, nil, tasks.IndicatorNoValue, 0, 0},
		{"95 against ≥ 95 is achieved", monthly, []tasks.IndicatorValue{value(1, "CT-01", 95, "%", today)}, tasks.IndicatorAchieved, 1, 1},
		{"94,99 is not", monthly, []tasks.IndicatorValue{value(1, "CT-01", 94.99, "%", today)}, tasks.IndicatorNotAchieved, 1, 1},
		{"last month's value is no value this month", monthly,
			[]tasks.IndicatorValue{value(1, "CT-01", 99, "%", day(2023, 9, 30))}, tasks.IndicatorNoValue, 0, 1},
		{"a value as of a later day is not known yet (a report's cut-off)", monthly, []tasks.IndicatorValue{
			value(1, "CT-01", 90, "%", day(2023, 10, 10)), value(2, "CT-01", 99, "%", day(2023, 10, 17))}, tasks.IndicatorNotAchieved, 1, 1},
		{"the first day of the month counts", monthly,
			[]tasks.IndicatorValue{value(1, "CT-01", 99, "%", day(2023, 10, 1))}, tasks.IndicatorAchieved, 1, 1},
		{"the latest value of the period decides", monthly, []tasks.IndicatorValue{
			value(1, "CT-01", 99, "%", day(2023, 10, 5)), value(2, "CT-01", 93, "%", day(2023, 10, 12)),
		}, tasks.IndicatorNotAchieved, 2, 2},
		{"latest by as-of day, not by report order", monthly, []tasks.IndicatorValue{
			value(1, "CT-01", 96, "%", day(2023, 10, 12)), value(2, "CT-01", 90, "%", day(2023, 10, 3)),
		}, tasks.IndicatorAchieved, 1, 1},
		{"same day: the later report decides", monthly, []tasks.IndicatorValue{
			value(1, "CT-01", 90, "%", today), value(2, "CT-01", 96.2, "%", today),
		}, tasks.IndicatorAchieved, 2, 2},
		{"a quarter holds July to September", quarterly, []tasks.IndicatorValue{
			value(1, "CT-08", 74.2, "%", day(2023, 9, 30)),
		}, tasks.IndicatorNoValue, 0, 1},
		{"a quarter from October on", quarterly, []tasks.IndicatorValue{
			value(1, "CT-08", 74.2, "%", day(2023, 10, 2)),
		}, tasks.IndicatorNotAchieved, 1, 1},
		{"at most: fewer days achieves", days, []tasks.IndicatorValue{value(1, "CT-22", 2.5, "ngày", today)}, tasks.IndicatorAchieved, 1, 1},
		{"at most: more days does not", days, []tasks.IndicatorValue{value(1, "CT-22", 3.5, "ngày", today)}, tasks.IndicatorNotAchieved, 1, 1},
		{"a value in another measure is not counted", days, []tasks.IndicatorValue{value(1, "CT-22", 2, "%", today)}, tasks.IndicatorNoValue, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tasks.JudgeIndicator(tt.ind, tt.values, today)
			if s.Result != tt.want {
				t.Errorf("result = %q, want %q", s.Result, tt.want)
			}
			if got := idOf(s.Current); got != tt.current {
				t.Errorf("current value = %d, want %d", got, tt.current)
			}
			if got := idOf(s.Last); got != tt.last {
				t.Errorf("last value = %d, want %d", got, tt.last)
			}
		})
	}
	stopped := monthly
	stopped.State = tasks.IndicatorStopped
	if s := tasks.JudgeIndicator(stopped, []tasks.IndicatorValue{value(1, "CT-01", 99, "%", today)}, today); s.Result != tasks.IndicatorClosed {
		t.Errorf("stopped indicator: result = %q, want %q", s.Result, tasks.IndicatorClosed)
	}
}

func idOf(v *tasks.IndicatorValue) uint64 {
	if v == nil {
		return 0
	}
	return v.ID
}

// seedIndicators is the committee of seed 000: 28 indicators, 25 being
// carried out and 3 newly assigned on 29/5/2023.
func seedIndicators(tb testing.TB) []tasks.Indicator {
	var out []tasks.Indicator
	for i := 1; i <= 28; i++ {
		ind := indicator(tb, codeN(i), []string{"SNV", "VP", "QHK"}[i%3], "≥ 95 %", tasks.CadenceMonth)
		if i > 25 {
			ind.State, ind.AssignedOn = tasks.IndicatorNew, day(2023, 5, 29)
		}
		out = append(out, ind)
	}
	return out
}

func codeN(i int) string { return "CT-" + string(rune('0'+i/10)) + string(rune('0'+i%10)) }

func TestSummarizeIndicators(t *testing.T) {
	today := day(2023, 10, 16)
	inds := seedIndicators(t)
	judge := func(vals map[string][]tasks.IndicatorValue) []tasks.IndicatorStanding {
		var st []tasks.IndicatorStanding
		for _, ind := range inds {
			st = append(st, tasks.JudgeIndicator(ind, vals[ind.Code], today))
		}
		return st
	}

	t.Run("before any value: 25/28 being carried out, 3 new", func(t *testing.T) {
		s := tasks.SummarizeIndicators(judge(nil))
		if s.HasValues() || s.Total != 28 || s.Assigned != 25 || s.New != 3 || len(s.NoValue) != 28 || s.Achieved != 0 {
			t.Errorf("summary = total %d assigned %d new %d no value %d achieved %d has values %v, want 28 25 3 28 0 false",
				s.Total, s.Assigned, s.New, len(s.NoValue), s.Achieved, s.HasValues())
		}
		if !slices.Equal(s.NewOn, []tasks.Date{day(2023, 5, 29)}) {
			t.Errorf("new on %v, want 29/5/2023 once", s.NewOn)
		}
	})

	t.Run("25/28 achieved", func(t *testing.T) {
		vals := map[string][]tasks.IndicatorValue{}
		for i := 1; i <= 27; i++ {
			v := 96.2
			if i == 3 || i == 7 {
				v = 93.5
			}
			vals[codeN(i)] = []tasks.IndicatorValue{value(uint64(i), codeN(i), v, "%", today)}
		}
		stopped := inds[0]
		stopped.Code, stopped.State = "CT-99", tasks.IndicatorStopped
		s := tasks.SummarizeIndicators(append(judge(vals), tasks.JudgeIndicator(stopped, nil, today)))
		if s.Total != 28 || s.Achieved != 25 || s.Stopped != 1 || !s.HasValues() {
			t.Errorf("summary = %d/%d achieved, %d stopped, want 25/28 and 1", s.Achieved, s.Total, s.Stopped)
		}
		var not []string
		for _, x := range s.NotAchieved {
			not = append(not, x.Indicator.Code+" "+x.Current.Quantity().String()+" / "+x.Indicator.Target.String())
		}
		if want := []string{"CT-03 93,5 % / ≥ 95 %", "CT-07 93,5 % / ≥ 95 %"}; !slices.Equal(not, want) {
			t.Errorf("not achieved = %q, want %q", not, want)
		}
		if len(s.NoValue) != 1 || s.NoValue[0].Indicator.Code != "CT-28" {
			t.Errorf("no value = %v, want CT-28 alone", s.NoValue)
		}
	})
}

func TestIndicatorsByUnit(t *testing.T) {
	today := day(2023, 10, 16)
	var st []tasks.IndicatorStanding
	for _, ind := range seedIndicators(t) {
		var vals []tasks.IndicatorValue
		if ind.Unit == "VP" {
			vals = []tasks.IndicatorValue{value(1, ind.Code, 99, "%", today)}
		}
		st = append(st, tasks.JudgeIndicator(ind, vals, today))
	}
	by := tasks.IndicatorsByUnit(st)
	var units []string
	for _, u := range by {
		units = append(units, u.Unit)
	}
	if !slices.Equal(units, []string{"QHK", "SNV", "VP"}) {
		t.Fatalf("units = %v, want QHK SNV VP", units)
	}
	for _, u := range by {
		wantMissing := len(u.Standings)
		if u.Unit == "VP" {
			wantMissing = 0
		}
		if len(u.MissingNow) != wantMissing || u.Summary.Total != len(u.Standings) {
			t.Errorf("%s: missing %d of %d, want %d", u.Unit, len(u.MissingNow), len(u.Standings), wantMissing)
		}
	}
}

// fakeIndicatorStore is a tasks.IndicatorStore with function fields.
type fakeIndicatorStore struct {
	tasks.IndicatorStore
	indicators func(tasks.IndicatorFilter) ([]tasks.Indicator, error)
	values     func(code string, limit int) ([]tasks.IndicatorValue, error)
}

func (f fakeIndicatorStore) Indicators(fl tasks.IndicatorFilter) ([]tasks.Indicator, error) {
	return f.indicators(fl)
}

func (f fakeIndicatorStore) IndicatorValues(code string, limit int) ([]tasks.IndicatorValue, error) {
	return f.values(code, limit)
}

func TestLoadIndicatorStandings(t *testing.T) {
	today := day(2023, 10, 16)
	inds := seedIndicators(t)[:2]
	tx := fakeIndicatorStore{
		indicators: func(f tasks.IndicatorFilter) ([]tasks.Indicator, error) {
			if f.Unit != "VP" {
				t.Errorf("filter unit = %q, want VP", f.Unit)
			}
			return inds, nil
		},
		values: func(code string, limit int) ([]tasks.IndicatorValue, error) {
			if limit != 0 {
				t.Errorf("limit = %d, want every value", limit)
			}
			if code == "CT-02" {
				return []tasks.IndicatorValue{value(1, code, 95, "%", today)}, nil
			}
			return nil, nil
		},
	}
	st, err := tasks.LoadIndicatorStandings(tx, tasks.IndicatorFilter{Unit: "VP"}, today)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if len(st) != 2 || st[0].Result != tasks.IndicatorNoValue || st[1].Result != tasks.IndicatorAchieved {
		t.Errorf("standings = %+v, want CT-01 no value, CT-02 achieved", st)
	}

	boom := errors.New("disk on fire")
	tx.values = func(string, int) ([]tasks.IndicatorValue, error) { return nil, boom }
	if _, err := tasks.LoadIndicatorStandings(tx, tasks.IndicatorFilter{Unit: "VP"}, today); !errors.Is(err, boom) {
		t.Errorf("load with a failing store = %v, want it to wrap the store's error", err)
	}
}
