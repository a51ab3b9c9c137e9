package reminders

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"steerbot/tasks"
)

// defaultInviteTTL is how long the invites of an unreached-units message
// last, as the bot's own by default.
const defaultInviteTTL = 72 * time.Hour

// markerReach is the marker of the day the secretariat was last told of
// unreached units.
const markerReach = "sched:last:reach"

// WithInviteTTL sets how long the invites sent with an unreached-units
// message last (72 hours by default).
func WithInviteTTL(d time.Duration) SchedulerOption {
	return func(s *Scheduler) {
		if d > 0 {
			s.inviteTTL = d
		}
	}
}

// reach runs after a scheduled round, in its transaction: when some units
// with open tasks have nobody who can receive their reminders (see
// tasks.UnreachedUnits), the secretariat gets one message naming them, with
// a fresh invite for each unit's head, at most once a day. It returns how
// many messages it enqueued. The caller has checked quiet hours.
func (s *Scheduler) reach(tx tasks.Tx, now time.Time) (int, error) {
	last, err := tx.Marker(markerReach)
	if err != nil {
		return 0, fmt.Errorf("read marker: %w", err)
	}
	today := tasks.DateOf(now, s.loc)
	if !last.IsZero() && tasks.DateOf(last, s.loc) == today {
		return 0, nil
	}
	sn, err := readSnapshot(tx)
	if err != nil {
		return 0, err
	}
	codes := tasks.UnreachedUnits(sn.members, sn.unitCodes(), today)
	if len(codes) == 0 {
		return 0, nil
	}
	var to []tasks.Member
	for _, m := range sn.members {
		if m.Role == tasks.RoleSecretariat && m.Reachable() {
			to = append(to, m)
		}
	}
	if len(to) == 0 {
		s.log.Warn("scheduler: units nobody receives, and no secretariat to tell", "units", strings.Join(codes, ","))
		return 0, nil
	}
	if err := dropExpiredInvites(tx, now); err != nil {
		return 0, err
	}
	u := tasks.Unreached{Key: "unreached:" + today.String(), To: to}
	for _, code := range codes {
		inv, err := tasks.CreateInvite(tx, tasks.Invite{Role: tasks.RoleUnitHead, Unit: code}, now, s.inviteTTL)
		if err != nil {
			return 0, fmt.Errorf("invite for %s: %w", code, err)
		}
		u.Units = append(u.Units, tasks.UnreachedUnit{Unit: sn.unit(code), Invite: inv})
	}
	if err := s.Notifier.Unreached(tx, u); err != nil {
		return 0, fmt.Errorf("tell unreached: %w", err)
	}
	if err := putMarker(tx, markerReach, now); err != nil {
		return 0, err
	}
	return len(to), nil
}

// dropExpiredInvites deletes the expired invites the scheduler made
// (CreatedBy 0), so that a fresh set each day does not pile up.
func dropExpiredInvites(tx tasks.MemberStore, now time.Time) error {
	invs, err := tx.Invites()
	if err != nil {
		return fmt.Errorf("read invites: %w", err)
	}
	for _, inv := range invs {
		if inv.CreatedBy != 0 || now.Before(inv.Expires) {
			continue
		}
		if err := tx.DeleteInvite(inv.Token); err != nil {
			return fmt.Errorf("drop expired invite: %w", err)
		}
	}
	return nil
}

// escalation returns the escalation of t when it is overdue long enough
// and the committee chat was not told yet for its deadline.
func (s *Scheduler) escalation(tx tasks.StateStore, sn snapshot, t tasks.Task, tl tasks.Timeline) (tasks.Escalation, bool, error) {
	late := tl.DaysLate(t)
	if s.rules.EscalateAfterDays <= 0 || late < s.rules.EscalateAfterDays {
		return tasks.Escalation{}, false, nil
	}
	done, err := Escalated(tx, t.Code, t.Deadline)
	if err != nil || done {
		return tasks.Escalation{}, false, err
	}
	e := tasks.Escalation{
		Key: fmt.Sprintf("escalate:%s:%s", t.Code, t.Deadline), Task: t, Unit: sn.unit(t.Unit), DaysLate: late,
	}
	for _, c := range sn.recipients(t.Unit, tl.Today()) {
		if len(c.For) > 0 {
			e.Covers = append(e.Covers, c)
		}
	}
	return e, true, nil
}

// escalate posts the escalations of one run in one message, most days
// late first, and marks each (once per task and deadline).
func (s *Scheduler) escalate(tx roundTx, es []tasks.Escalation, tl tasks.Timeline) error {
	if len(es) == 0 {
		return nil
	}
	slices.SortStableFunc(es, func(a, b tasks.Escalation) int {
		if c := cmp.Compare(b.DaysLate, a.DaysLate); c != 0 {
			return c
		}
		return strings.Compare(a.Task.Code, b.Task.Code)
	})
	// The first task's mark is written once, so its key names this run.
	key := es[0].Key
	if err := s.Notifier.Escalate(tx, key, es); err != nil {
		return fmt.Errorf("escalate %s: %w", key, err)
	}
	for _, e := range es {
		if err := tx.PutReminderMark(tasks.ReminderMark{Kind: tasks.StateEscalation, Task: e.Task.Code, Deadline: e.Task.Deadline, At: tl.Now}); err != nil {
			return fmt.Errorf("mark escalation %s: %w", e.Task.Code, err)
		}
	}
	return nil
}

// countIn counts the codes that set holds.
func countIn(codes []string, set map[string]bool) int {
	n := 0
	for _, c := range codes {
		if set[c] {
			n++
		}
	}
	return n
}
