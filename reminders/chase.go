package reminders

import (
	"fmt"
	"time"

	"steerbot/tasks"
)

// chase enqueues the second reminder of firing f: to the units that have
// reported on none of their open tasks since the last weekly reminder (see
// tasks.ReportedUnits), their open tasks again. Without a weekly reminder
// yet, nobody is chased.
func (s *Scheduler) chase(tx roundTx, f, now time.Time) (int, error) {
	since, err := tx.Marker(markerName(ruleWeekly))
	if err != nil {
		return 0, fmt.Errorf("read weekly marker: %w", err)
	}
	if since.IsZero() {
		return 0, nil
	}
	sn, err := readSnapshot(tx)
	if err != nil {
		return 0, err
	}
	var all []tasks.Task
	for _, code := range sn.unitCodes() {
		all = append(all, sn.open[code]...)
	}
	reported, err := tasks.ReportedUnits(tx, all, sn.members, since)
	if err != nil {
		return 0, err
	}
	tl := s.timeline(now)
	date := s.dateKey(f)
	n := 0
	for _, code := range sn.unitCodes() {
		if reported[code] {
			continue
		}
		k, err := s.remindUnit(tx, sn, tasks.RemindChase, code, tl.ReminderOrder(sn.open[code]), tl,
			func(id int64) string { return fmt.Sprintf("chase:%s:%d:%s", code, id, date) })
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// remindUnit hands the notifier one reminder of kind about list for each
// member who receives unit's reminders today (see tasks.UnitContactsAt),
// saying for whom they stand in, under key(member id). It returns how
// many it handed over.
func (s *Scheduler) remindUnit(tx tasks.OutboxStore, sn snapshot, kind tasks.ReminderKind, unit string, list []tasks.Task, tl tasks.Timeline, key func(int64) string) (int, error) {
	n := 0
	for _, c := range sn.recipients(unit, tl.Today()) {
		r := tasks.Reminder{
			Kind: kind, Key: key(c.Member.ID),
			Member: c.Member, For: c.For, Unit: sn.unit(unit), Tasks: list, Timeline: tl,
		}
		if err := s.Notifier.Remind(tx, r); err != nil {
			return n, fmt.Errorf("remind %s: %w", r.Key, err)
		}
		n++
	}
	return n, nil
}
