package tasks

import (
	"fmt"
	"time"
)

// PeriodKind is the length of a reporting period.
type PeriodKind string

// The reporting periods. Month, quarter, half-year and year follow the
// cut-off dates of Nghị định 09/2019/NĐ-CP: a period ends on the 14th of
// its last month and starts on the 15th of the month before its first.
// A meeting period runs from the previous meeting's digest to now.
const (
	PeriodMonth   PeriodKind = "month"
	PeriodQuarter PeriodKind = "quarter"
	PeriodHalf    PeriodKind = "half"
	PeriodYear    PeriodKind = "year"
	PeriodMeeting PeriodKind = "meeting"
)

// PeriodKinds lists every kind of period, shortest first.
var PeriodKinds = []PeriodKind{PeriodMonth, PeriodQuarter, PeriodHalf, PeriodYear, PeriodMeeting}

// periodAliases maps folded words (see Fold) to kinds of period, in
// English and Vietnamese.
var periodAliases = func() map[string]PeriodKind {
	m := map[string]PeriodKind{}
	add := func(k PeriodKind, words ...string) {
		for _, w := range words {
			m[Fold(w)] = k
		}
	}
	for _, k := range PeriodKinds {
		add(k, string(k))
	}
	add(PeriodMonth, "tháng", "hằng tháng", "hàng tháng", "monthly")
	add(PeriodQuarter, "quý", "hằng quý", "hàng quý", "quarterly")
	add(PeriodHalf, "6 tháng", "sáu tháng", "nửa năm", "half-year", "half year", "halfyear")
	add(PeriodYear, "năm", "hằng năm", "hàng năm", "yearly", "annual")
	add(PeriodMeeting, "họp", "phiên họp", "cuộc họp", "kỳ họp")
	return m
}()

// ParsePeriodKind reads a kind of period from its English name or a
// Vietnamese word ("tháng", "quý", "6 tháng", "năm", "phiên họp"), with or
// without diacritics and in any case. ok is false for anything else.
func ParsePeriodKind(s string) (k PeriodKind, ok bool) {
	k, ok = periodAliases[Fold(s)]
	return k, ok
}

// Period is a reporting period: the days From to To, both included.
type Period struct {
	Kind PeriodKind
	Year int // the year the period is reported as (a December from the 15th on belongs to the next)
	N    int // the month (1–12), quarter (1–4) or half (1–2); 0 for a year or a meeting
	From Date
	To   Date // the cut-off day: the figures are those at its end
}

// PeriodOf returns the period of kind k that contains day d. A month runs
// from the 15th of the month before to the 14th: 15/09/2023 is in October's
// period. The meeting period is not a function of a day: see MeetingPeriod.
// It returns an EINVALID *Error for any other kind.
func PeriodOf(k PeriodKind, d Date) (Period, error) {
	// The reporting month of d: the calendar month, or the next one from
	// the 15th on.
	y, m := d.Year, d.Month
	if d.Day >= 15 {
		if m++; m > 12 {
			y, m = y+1, 1
		}
	}
	var first, last time.Month // the period's calendar months, in year y
	p := Period{Kind: k, Year: y}
	switch k {
	case PeriodMonth:
		first, last, p.N = m, m, int(m)
	case PeriodQuarter:
		p.N = (int(m)-1)/3 + 1
		first, last = time.Month(3*p.N-2), time.Month(3*p.N)
	case PeriodHalf:
		p.N = (int(m)-1)/6 + 1
		first, last = time.Month(6*p.N-5), time.Month(6*p.N)
	case PeriodYear:
		first, last = 1, 12
	default:
		return Period{}, NewError(EINVALID, "bad_period", fmt.Sprintf("%q is not a period of a day", k), string(k))
	}
	p.From = Date{y, first, 15}.AddMonths(-1)
	p.To = Date{y, last, 14}
	return p, nil
}

// AddMonths returns d moved by n calendar months; the day must exist in
// the month reached (callers pass days up to the 28th).
func (d Date) AddMonths(n int) Date {
	y, m, dd := time.Date(d.Year, d.Month+time.Month(n), d.Day, 12, 0, 0, 0, time.UTC).Date()
	return Date{y, m, dd}
}

// MeetingPeriod returns the period since the previous meeting's digest,
// sent at prev, to now. A zero prev (no meeting yet) gives a period with
// no start: everything up to now.
func MeetingPeriod(prev, now time.Time, loc *time.Location) Period {
	p := Period{Kind: PeriodMeeting, To: DateOf(now, loc)}
	if !prev.IsZero() {
		p.From = DateOf(prev, loc)
	}
	p.Year = p.To.Year
	return p
}

// Contains reports whether day d is in the period. A zero From is no lower
// bound.
func (p Period) Contains(d Date) bool {
	if d.IsZero() || p.To.Before(d) {
		return false
	}
	return p.From.IsZero() || !d.Before(p.From)
}

// Cutoff returns the instant whose figures a report on the period gives:
// the last instant of its last day, or now if that is earlier (a period
// still running). A meeting period's cut-off is now.
func (p Period) Cutoff(now time.Time, loc *time.Location) time.Time {
	last := p.To.End(loc).Add(-time.Nanosecond)
	if p.Kind == PeriodMeeting || now.Before(last) {
		return now
	}
	return last
}
