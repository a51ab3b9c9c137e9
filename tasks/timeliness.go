package tasks

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Timeliness is where a task stands against its deadline, in the categories
// government task tracking uses. It is derived, never stored.
type Timeliness string

// The timeliness categories.
const (
	DoneOnTime  Timeliness = "done_on_time"
	DoneLate    Timeliness = "done_late"
	OnTrack     Timeliness = "on_track"
	DueSoon     Timeliness = "due_soon"
	Overdue     Timeliness = "overdue"
	NoDeadline  Timeliness = "no_deadline"  // open with no deadline
	Ongoing     Timeliness = "ongoing"      // open and a standing duty ("Thường xuyên"): never overdue
	Closed      Timeliness = "closed"       // stopped or carried over
	DoneUndated Timeliness = "done_undated" // done, with no deadline or no completion date to judge
	Reported    Timeliness = "reported"     // reported done, awaiting confirmation: neither overdue nor due soon
)

// Timeline computes timeliness against a clock reading in the committee's
// time zone. A deadline is due at the end of its day.
type Timeline struct {
	Now         time.Time
	Loc         *time.Location
	DueSoonDays int // open tasks due within this many days are DueSoon
}

// Of returns the timeliness of t.
func (tl Timeline) Of(t Task) Timeliness { return tl.of(&t, tl.Today()) }

// of is Of with today computed once by the caller: a deadline is due at the
// end of its day, so a task is overdue exactly when today is after it.
func (tl Timeline) of(t *Task, today Date) Timeliness {
	switch t.Status {
	case Stopped, CarriedOver:
		return Closed
	case DoneReported:
		return Reported
	case Done:
		if t.Deadline.IsZero() || t.CompletedAt.IsZero() {
			return DoneUndated
		}
		if !t.Deadline.Before(DateOf(t.CompletedAt, tl.Loc)) {
			return DoneOnTime
		}
		return DoneLate
	}
	if t.Ongoing() {
		return Ongoing
	}
	if t.Deadline.IsZero() {
		return NoDeadline
	}
	if t.Deadline.Before(today) {
		return Overdue
	}
	if today.DaysUntil(t.Deadline) < tl.DueSoonDays {
		return DueSoon
	}
	return OnTrack
}

// Today returns the current day in the committee's time zone.
func (tl Timeline) Today() Date { return DateOf(tl.Now, tl.Loc) }

// DaysLate returns how many days an open task is past its deadline (1 on
// the day after the deadline), or 0 when it is not overdue.
func (tl Timeline) DaysLate(t Task) int { return daysLate(&t, tl.Today()) }

func daysLate(t *Task, today Date) int {
	if !t.Status.Open() || t.Deadline.IsZero() {
		return 0
	}
	n := t.Deadline.DaysUntil(today)
	if n < 1 {
		return 0
	}
	return n
}

// DaysLeft returns the calendar days from today to the deadline (0 on the
// day itself, negative when past).
func (tl Timeline) DaysLeft(t Task) int { return tl.Today().DaysUntil(t.Deadline) }

// ReminderOrder returns ts in the order a reminder or a unit's list shows
// them: overdue first (most late first), then due soon, then the rest, each
// by deadline (none last) and then by code. ts is left as it is.
func (tl Timeline) ReminderOrder(ts []Task) []Task {
	today := tl.Today()
	rank := func(t *Task) int {
		switch tl.of(t, today) {
		case Overdue:
			return 0
		case DueSoon:
			return 1
		}
		return 2
	}
	out := slices.Clone(ts)
	slices.SortStableFunc(out, func(a, b Task) int {
		if c := cmp.Compare(rank(&a), rank(&b)); c != 0 {
			return c
		}
		// Overdue most late first is the same as earliest deadline first.
		if az, bz := a.Deadline.IsZero(), b.Deadline.IsZero(); az != bz {
			if az {
				return 1
			}
			return -1
		}
		if c := a.Deadline.Compare(b.Deadline); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out
}
