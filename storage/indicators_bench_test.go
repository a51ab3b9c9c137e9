package storage_test

import (
	"fmt"
	"testing"
	"time"

	"steerbot/tasks"
)

// BenchmarkLoadIndicatorStandings measures what every digest, /indicators
// and the indicator round now read: 100 indicators with two years of
// monthly values each (2.400 values), judged on one day.
func BenchmarkLoadIndicatorStandings(b *testing.B) {
	s := MustOpen(b)
	const nInd, nVal = 100, 24
	mustUpdate(b, s, func(tx tasks.Tx) error {
		for i := range nInd {
			ind := tasks.Indicator{
				Code: fmt.Sprintf("CT-%03d", i), Name: "Hồ sơ giải quyết đúng hạn", Unit: fmt.Sprintf("U%02d", i%10),
				Target: tasks.Target{Cmp: tasks.AtLeast, Value: 95, Measure: "%"}, Period: tasks.CadenceMonth,
			}
			if err := tx.PutIndicator(ind); err != nil {
				return err
			}
			for m := range nVal {
				v := tasks.IndicatorValue{Indicator: ind.Code, Value: 90 + float64(m%10), Measure: "%",
					AsOf: tasks.Date{Year: 2025 + m/12, Month: 1 + time.Month(m%12), Day: 10}}
				if err := tx.AddIndicatorValue(&v); err != nil {
					return err
				}
			}
		}
		return nil
	})
	today := tasks.Date{Year: 2026, Month: 12, Day: 3}
	for b.Loop() {
		mustView(b, s, func(tx tasks.Tx) error {
			st, err := tasks.LoadIndicatorStandings(tx, tasks.IndicatorFilter{}, today)
			if err == nil && len(st) != nInd {
				err = fmt.Errorf("%d standings, want %d", len(st), nInd)
			}
			return err
		})
	}
}
