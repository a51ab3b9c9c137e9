package reminders

import (
	"fmt"
	"time"

	"steerbot/tasks"
)

// Quiet says when messages sent on the bot's own schedule (reminders,
// escalations, meeting digests) may not go out: every day in the quiet
// hours and all day on holidays, in the committee's time zone. The
// scheduler does not fire in those times and the outbox holds the
// scheduled messages queued before them; answers to users are never held.
// The zero Quiet allows everything.
type Quiet struct {
	Loc *time.Location // the committee's time zone; nil means UTC
	// From and To bound the quiet hours, as wall-clock offsets from local
	// midnight in [0, 24h): equal means none, From after To wraps midnight
	// (20:00-07:00).
	From, To time.Duration
	Holidays map[tasks.Date]bool // nothing scheduled goes out on these days
}

// Quiet returns the quiet hours and holidays of r in loc, the same rules
// the scheduler keeps, for the outbox (WithQuiet).
func (r Rules) Quiet(loc *time.Location) Quiet {
	q := Quiet{Loc: loc, From: r.QuietFrom, To: r.QuietTo}
	if len(r.Holidays) > 0 {
		q.Holidays = make(map[tasks.Date]bool, len(r.Holidays))
		for _, h := range r.Holidays {
			q.Holidays[h] = true
		}
	}
	return q
}

// Validate reports a quiet-hours bound that is not a time of day.
func (q Quiet) Validate() error {
	for _, b := range []time.Duration{q.From, q.To} {
		if b < 0 || b >= 24*time.Hour {
			return fmt.Errorf("quiet_hours: %s is not a time of day", b)
		}
	}
	return nil
}

func (q Quiet) loc() *time.Location {
	if q.Loc == nil {
		return time.UTC
	}
	return q.Loc
}

// Allowed reports whether a scheduled message may go out at t: not in the
// quiet hours and not on a holiday. Times are compared to the second.
func (q Quiet) Allowed(t time.Time) bool {
	local := t.In(q.loc())
	if q.Holidays[tasks.DateOf(local, q.loc())] {
		return false
	}
	if q.From == q.To {
		return true
	}
	h, m, s := local.Clock()
	off := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second
	if q.From < q.To {
		return off < q.From || off >= q.To
	}
	return off < q.From && off >= q.To
}

// Next returns the first instant at or after t at which a scheduled
// message may go out: t itself when Allowed(t), otherwise the end of the
// quiet hours or the midnight after the holiday, whichever comes first
// that is itself allowed.
func (q Quiet) Next(t time.Time) time.Time {
	loc := q.loc()
	// Each step leaves a holiday or the quiet hours of one day; holidays
	// are finite, so a day that allows something comes within
	// len(Holidays)+1 days. The bound only guards against a bug.
	for range 3*len(q.Holidays) + 8 {
		if q.Allowed(t) {
			return t
		}
		local := t.In(loc)
		y, mo, d := local.Date()
		var next time.Time
		switch h, m, s := local.Clock(); {
		case q.Holidays[tasks.Date{Year: y, Month: mo, Day: d}]:
			next = wallTime(y, mo, d+1, 0, loc)
		default:
			next = wallTime(y, mo, d, q.To, loc)
			if off := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second; off < q.To && !next.After(t) {
				// The clock was set back (the end of summer time) and
				// reads To a second time later today.
				next = t.Truncate(time.Second).Add(q.To - off)
			} else if !next.After(t) {
				next = wallTime(y, mo, d+1, q.To, loc)
			}
		}
		if !next.After(t) {
			next = t.Truncate(time.Second).Add(time.Second) // never step back
		}
		t = next
	}
	return t
}

// wallTime returns the first instant of day y-mo-d in loc at which the
// wall clock reads off after midnight or later: when a change to summer
// time skips that reading, the instant of the change; when the end of
// summer time makes it read that twice, the first time.
func wallTime(y int, mo time.Month, d int, off time.Duration, loc *time.Location) time.Time {
	h, m, s := int(off/time.Hour), int(off%time.Hour/time.Minute), int(off%time.Minute/time.Second)
	t := time.Date(y, mo, d, h, m, s, int(off%time.Second), loc)
	start, _ := t.ZoneBounds()
	if th, tm, ts := t.Clock(); th != h || tm != m || ts != s {
		// time.Date moved a skipped reading past the gap.
		if start.Before(t) {
			return start
		}
		return t
	}
	_, now := t.Zone()
	if _, before := start.Add(-time.Second).Zone(); before > now {
		// The clock was set back at start: the reading may have come once
		// before it, in the earlier zone.
		e := t.Add(-time.Duration(before-now) * time.Second)
		if eh, em, es := e.Clock(); e.Before(start) && eh == h && em == m && es == s && e.Day() == t.Day() {
			return e
		}
	}
	return t
}
