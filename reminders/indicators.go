package reminders

import (
	"fmt"
	"time"

	"steerbot/tasks"
)

// ruleIndicators is the cron rule that asks units for indicator values.
const ruleIndicators = "indicators"

// indicatorTx is what the indicator round needs of a transaction: a
// round's, and the indicators.
type indicatorTx interface {
	roundTx
	tasks.IndicatorStore
}

// indicators enqueues what the indicator round of firing f sends: to the
// heads and delegates of every unit that leads indicators with no value
// for their current period (stopped ones left out), one reminder listing
// them, once per unit, member and day of firing. Quiet hours and catch-up
// are fire's, as for the other rules.
func (s *Scheduler) indicators(tx indicatorTx, f, now time.Time) (int, error) {
	tl := s.timeline(now)
	st, err := tasks.LoadIndicatorStandings(tx, tasks.IndicatorFilter{ActiveOnly: true}, tl.Today())
	if err != nil {
		return 0, err
	}
	per := tasks.IndicatorsByUnit(st)
	if len(per) == 0 {
		return 0, nil
	}
	units, err := tx.Units()
	if err != nil {
		return 0, fmt.Errorf("read units: %w", err)
	}
	members, err := tx.Members()
	if err != nil {
		return 0, fmt.Errorf("read members: %w", err)
	}
	sn := snapshot{units: map[string]tasks.Unit{}, members: members}
	for _, u := range units {
		sn.units[u.Code] = u
	}
	date := s.dateKey(f)
	n := 0
	for _, ui := range per {
		if len(ui.MissingNow) == 0 {
			continue
		}
		for _, c := range sn.recipients(ui.Unit, tl.Today()) {
			r := tasks.Reminder{
				Kind: tasks.RemindIndicators, Key: fmt.Sprintf("indicators:%s:%d:%s", ui.Unit, c.Member.ID, date),
				Member: c.Member, For: c.For, Unit: sn.unit(ui.Unit), Indicators: ui.MissingNow, Timeline: tl,
			}
			if err := s.Notifier.Remind(tx, r); err != nil {
				return n, fmt.Errorf("remind %s: %w", r.Key, err)
			}
			n++
		}
	}
	return n, nil
}
