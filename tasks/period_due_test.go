package tasks_test

import (
	"testing"
	"time"

	"steerbot/tasks"
)

func TestDuePeriod(t *testing.T) {
	d := func(y int, m time.Month, dd int) tasks.Date { return tasks.Date{Year: y, Month: m, Day: dd} }
	for _, c := range []struct {
		kind     tasks.PeriodKind
		today    tasks.Date
		from, to tasks.Date
	}{
		// From the 15th to the 20th the month just closed is the one reported.
		{tasks.PeriodMonth, d(2023, 10, 15), d(2023, 9, 15), d(2023, 10, 14)},
		{tasks.PeriodMonth, d(2023, 10, 16), d(2023, 9, 15), d(2023, 10, 14)},
		{tasks.PeriodMonth, d(2023, 10, 20), d(2023, 9, 15), d(2023, 10, 14)},
		// After the 20th, the month running.
		{tasks.PeriodMonth, d(2023, 10, 21), d(2023, 10, 15), d(2023, 11, 14)},
		// Before the 15th, the month running (it closes on the 14th).
		{tasks.PeriodMonth, d(2023, 10, 14), d(2023, 9, 15), d(2023, 10, 14)},
		{tasks.PeriodMonth, d(2024, 1, 3), d(2023, 12, 15), d(2024, 1, 14)},
		// A quarter: only around its own cut-off.
		{tasks.PeriodQuarter, d(2023, 10, 16), d(2023, 9, 15), d(2023, 12, 14)},
		{tasks.PeriodQuarter, d(2023, 9, 18), d(2023, 6, 15), d(2023, 9, 14)},
		{tasks.PeriodQuarter, d(2023, 12, 20), d(2023, 9, 15), d(2023, 12, 14)},
		{tasks.PeriodQuarter, d(2023, 12, 21), d(2023, 12, 15), d(2024, 3, 14)},
		{tasks.PeriodHalf, d(2023, 6, 17), d(2022, 12, 15), d(2023, 6, 14)},
		{tasks.PeriodYear, d(2023, 12, 16), d(2022, 12, 15), d(2023, 12, 14)},
		{tasks.PeriodYear, d(2023, 10, 16), d(2022, 12, 15), d(2023, 12, 14)},
	} {
		p, err := tasks.DuePeriod(c.kind, c.today)
		if err != nil {
			t.Fatalf("%s on %s: %v", c.kind, c.today, err)
		}
		if p.From != c.from || p.To != c.to || p.Kind != c.kind {
			t.Errorf("%s on %s: %s–%s, want %s–%s", c.kind, c.today, p.From, p.To, c.from, c.to)
		}
	}
	if _, err := tasks.DuePeriod(tasks.PeriodMeeting, d(2023, 10, 16)); tasks.ErrorCode(err) != tasks.EINVALID {
		t.Errorf("a meeting period of a day: %v, want EINVALID", err)
	}
}

func TestPreviousMeetingDigest(t *testing.T) {
	at := func(d, h int) time.Time { return time.Date(2023, 10, d, h, 0, 0, 0, time.UTC) }
	now := at(16, 15)
	for _, c := range []struct {
		name string
		ms   []tasks.Meeting
		want time.Time
	}{
		{"none", nil, time.Time{}},
		{"only one to come, its digest sent", []tasks.Meeting{{Start: at(17, 14), DigestSentAt: at(16, 14)}}, time.Time{}},
		{"the last held one", []tasks.Meeting{
			{Start: at(2, 14), DigestSentAt: at(1, 14)},
			{Start: at(9, 14), DigestSentAt: at(8, 14)},
			{Start: at(17, 14), DigestSentAt: at(16, 14)},
		}, at(8, 14)},
		{"held without a digest: the one before", []tasks.Meeting{
			{Start: at(2, 14), DigestSentAt: at(1, 14)},
			{Start: at(9, 14)},
		}, at(1, 14)},
	} {
		if got := tasks.PreviousMeetingDigest(c.ms, now); !got.Equal(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
