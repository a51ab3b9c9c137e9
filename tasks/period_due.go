package tasks

import "time"

// reportDueDay is the last day of the month on which a periodic report is
// sent (Nghị định 09/2019/NĐ-CP, Điều 12: no later than the 20th of the
// period's last month); its figures close on the 14th.
const reportDueDay = 20

// DuePeriod returns the period of kind k that a report asked for on day
// today, naming no period, is about: the period that closed on the 14th
// while its report is being written (from the 15th to the 20th, when it is
// due), and otherwise the period running, to date. On 16/10/2023 a month's
// report is October's (15/09–14/10); on 25/10/2023 it is November's, so
// far. A meeting period is not a function of a day: see MeetingPeriod. It
// returns an EINVALID *Error for any other kind.
func DuePeriod(k PeriodKind, today Date) (Period, error) {
	p, err := PeriodOf(k, today)
	if err != nil {
		return Period{}, err
	}
	prev, err := PeriodOf(k, p.From.AddDays(-1))
	if err != nil {
		return Period{}, err
	}
	if due := (Date{prev.To.Year, prev.To.Month, reportDueDay}); !due.Before(today) {
		return prev, nil
	}
	return p, nil
}

// PreviousMeetingDigest returns when the digest of the last meeting held
// before now was sent: where a meeting period starts (see MeetingPeriod).
// A meeting still to come does not count, even when its digest already
// went out: a report for it covers the time since the meeting before. The
// zero time means no meeting was held yet with its digest.
func PreviousMeetingDigest(ms []Meeting, now time.Time) time.Time {
	var last Meeting
	for _, m := range ms {
		if m.Start.After(now) || m.DigestSentAt.IsZero() {
			continue
		}
		if last.Start.IsZero() || m.Start.After(last.Start) {
			last = m
		}
	}
	return last.DigestSentAt
}
