package reminders_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"steerbot/reminders"
	"steerbot/tasks"
)

// The indicators of memTx.

func (tx *memTx) Indicator(code string) (tasks.Indicator, error) {
	ind, ok := tx.d.inds[tasks.NormalizeCode(code)]
	if !ok {
		return tasks.Indicator{}, notFound("indicator " + code)
	}
	return ind, nil
}

func (tx *memTx) Indicators(f tasks.IndicatorFilter) ([]tasks.Indicator, error) {
	var out []tasks.Indicator
	for _, ind := range tx.d.inds {
		if (f.Unit == "" || ind.Unit == f.Unit) && !(f.ActiveOnly && ind.State == tasks.IndicatorStopped) {
			out = append(out, ind)
		}
	}
	slices.SortFunc(out, func(a, b tasks.Indicator) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

func (tx *memTx) PutIndicator(ind tasks.Indicator) error {
	if err := tx.check(); err != nil {
		return err
	}
	if tx.d.inds == nil {
		tx.d.inds = map[string]tasks.Indicator{}
	}
	tx.d.inds[ind.Code] = ind
	return nil
}

func (tx *memTx) AddIndicatorValue(v *tasks.IndicatorValue) error {
	if err := tx.check(); err != nil {
		return err
	}
	v.ID = uint64(len(tx.d.values) + 1)
	tx.d.values = append(tx.d.values, *v)
	return nil
}

func (tx *memTx) IndicatorValues(code string, _ int) ([]tasks.IndicatorValue, error) {
	var out []tasks.IndicatorValue
	for _, v := range tx.d.values {
		if v.Indicator == code {
			out = append(out, v)
		}
	}
	return out, nil
}

func TestScheduler_IndicatorsAskMissingValues(t *testing.T) {
	now := at(hcm, 2026, 9, 9, 12, 0)
	w := newWorld(t, now)
	ge95 := tasks.Target{Cmp: tasks.AtLeast, Value: 95, Measure: "%"}
	w.store.mustUpdate(t, func(tx tasks.Tx) error {
		for _, ind := range []tasks.Indicator{
			{Code: "CT-01", Name: "Hồ sơ đúng hạn", Unit: "SNV", Target: ge95, Period: tasks.CadenceMonth},
			{Code: "CT-02", Name: "Có số liệu tháng này", Unit: "SNV", Target: ge95, Period: tasks.CadenceMonth},
			{Code: "CT-03", Name: "Đã dừng", Unit: "STTTT", Target: ge95, State: tasks.IndicatorStopped},
			{Code: "CT-04", Name: "Số liệu của tháng trước", Unit: "STTTT", Target: ge95, Period: tasks.CadenceMonth},
		} {
			if err := tx.PutIndicator(ind); err != nil {
				return err
			}
		}
		for _, v := range []tasks.IndicatorValue{
			{Indicator: "CT-02", Value: 97, Measure: "%", AsOf: tasks.Date{Year: 2026, Month: 9, Day: 5}},
			{Indicator: "CT-04", Value: 97, Measure: "%", AsOf: tasks.Date{Year: 2026, Month: 8, Day: 30}},
		} {
			if err := tx.AddIndicatorValue(&v); err != nil {
				return err
			}
		}
		return nil
	})
	s := w.scheduler(t, hcm, reminders.Rules{Indicators: "0 9 10 * *", QuietFrom: 20 * time.Hour, QuietTo: 7 * time.Hour})
	w.tick(t, s) // a new database has missed nothing
	// Down over the firing at 09:00 on the 10th, back at 21:00, in quiet
	// hours: nothing until 07:00 the next day, then once.
	w.clock.Set(at(hcm, 2026, 9, 10, 21, 0))
	w.tick(t, s)
	if len(w.n.reminders) != 0 {
		t.Fatalf("%d reminders in quiet hours, want none", len(w.n.reminders))
	}
	when := w.tickEachMinute(t, s, at(hcm, 2026, 9, 11, 9, 0))
	if len(when) != 1 || !when[0].Equal(at(hcm, 2026, 9, 11, 7, 0)) {
		t.Fatalf("reminders went out at %v, want once at 07:00", when)
	}
	byMember := map[int64][]string{}
	for _, r := range w.n.reminders {
		if r.Kind != tasks.RemindIndicators {
			t.Errorf("kind %s, want indicators", r.Kind)
		}
		for _, x := range r.Indicators {
			byMember[r.Member.TelegramID] = append(byMember[r.Member.TelegramID], x.Indicator.Code)
		}
	}
	want := map[int64][]string{tgHeadSNV: {"CT-01"}, tgDelegate: {"CT-01"}, tgHeadSTTTT: {"CT-04"}}
	if len(byMember) != len(want) {
		t.Fatalf("asked %v, want %v", byMember, want)
	}
	for id, codes := range want {
		if !slices.Equal(byMember[id], codes) {
			t.Errorf("member %d asked for %v, want %v (not the stopped one, not one with this month's value)", id, byMember[id], codes)
		}
	}
}
