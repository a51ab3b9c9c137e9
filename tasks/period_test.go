package tasks_test

import (
	"testing"
	"time"

	"steerbot/tasks"
)

func TestPeriodOf(t *testing.T) {
	cases := []struct {
		kind     tasks.PeriodKind
		day      tasks.Date
		year, n  int
		from, to tasks.Date
	}{
		// Months: the 14th closes a month, the 15th opens the next.
		{tasks.PeriodMonth, day(2023, 10, 14), 2023, 10, day(2023, 9, 15), day(2023, 10, 14)},
		{tasks.PeriodMonth, day(2023, 10, 15), 2023, 11, day(2023, 10, 15), day(2023, 11, 14)},
		{tasks.PeriodMonth, day(2023, 10, 1), 2023, 10, day(2023, 9, 15), day(2023, 10, 14)},
		{tasks.PeriodMonth, day(2023, 10, 31), 2023, 11, day(2023, 10, 15), day(2023, 11, 14)},
		// The year changes on 15 December, not on 1 January.
		{tasks.PeriodMonth, day(2023, 12, 14), 2023, 12, day(2023, 11, 15), day(2023, 12, 14)},
		{tasks.PeriodMonth, day(2023, 12, 15), 2024, 1, day(2023, 12, 15), day(2024, 1, 14)},
		{tasks.PeriodMonth, day(2024, 1, 1), 2024, 1, day(2023, 12, 15), day(2024, 1, 14)},
		{tasks.PeriodMonth, day(2024, 2, 29), 2024, 3, day(2024, 2, 15), day(2024, 3, 14)},
		// Quarters: Q4/2023 is 15/09/2023–14/12/2023.
		{tasks.PeriodQuarter, day(2023, 9, 14), 2023, 3, day(2023, 6, 15), day(2023, 9, 14)},
		{tasks.PeriodQuarter, day(2023, 9, 15), 2023, 4, day(2023, 9, 15), day(2023, 12, 14)},
		{tasks.PeriodQuarter, day(2023, 12, 14), 2023, 4, day(2023, 9, 15), day(2023, 12, 14)},
		{tasks.PeriodQuarter, day(2023, 12, 15), 2024, 1, day(2023, 12, 15), day(2024, 3, 14)},
		{tasks.PeriodQuarter, day(2024, 3, 14), 2024, 1, day(2023, 12, 15), day(2024, 3, 14)},
		{tasks.PeriodQuarter, day(2024, 3, 15), 2024, 2, day(2024, 3, 15), day(2024, 6, 14)},
		// Half-years: 15/12–14/06 and 15/06–14/12.
		{tasks.PeriodHalf, day(2024, 6, 14), 2024, 1, day(2023, 12, 15), day(2024, 6, 14)},
		{tasks.PeriodHalf, day(2024, 6, 15), 2024, 2, day(2024, 6, 15), day(2024, 12, 14)},
		{tasks.PeriodHalf, day(2023, 12, 15), 2024, 1, day(2023, 12, 15), day(2024, 6, 14)},
		// Years: 15/12 of the year before to 14/12.
		{tasks.PeriodYear, day(2023, 12, 14), 2023, 0, day(2022, 12, 15), day(2023, 12, 14)},
		{tasks.PeriodYear, day(2023, 12, 15), 2024, 0, day(2023, 12, 15), day(2024, 12, 14)},
		{tasks.PeriodYear, day(2024, 1, 1), 2024, 0, day(2023, 12, 15), day(2024, 12, 14)},
	}
	for _, c := range cases {
		p, err := tasks.PeriodOf(c.kind, c.day)
		if err != nil {
			t.Fatalf("PeriodOf(%s, %s): %v", c.kind, c.day.VN(), err)
		}
		if p.Kind != c.kind || p.Year != c.year || p.N != c.n || p.From != c.from || p.To != c.to {
			t.Errorf("PeriodOf(%s, %s) = %s %d/%d %s–%s, want %d/%d %s–%s", c.kind, c.day.VN(),
				p.Kind, p.N, p.Year, p.From.VN(), p.To.VN(), c.n, c.year, c.from.VN(), c.to.VN())
		}
		if !p.Contains(c.day) {
			t.Errorf("PeriodOf(%s, %s) does not contain its day", c.kind, c.day.VN())
		}
	}
}

func TestPeriodOf_Meeting(t *testing.T) {
	_, err := tasks.PeriodOf(tasks.PeriodMeeting, day(2023, 10, 16))
	var e *tasks.Error
	if !asError(err, &e) || e.Code != tasks.EINVALID {
		t.Fatalf("PeriodOf(meeting) err = %v, want EINVALID", err)
	}
}

func TestPeriodsTileTheYear(t *testing.T) {
	// Every day of two years lies in exactly one period of each kind, and
	// consecutive periods meet without a gap.
	for _, k := range []tasks.PeriodKind{tasks.PeriodMonth, tasks.PeriodQuarter, tasks.PeriodHalf, tasks.PeriodYear} {
		p, err := tasks.PeriodOf(k, day(2023, 1, 1))
		if err != nil {
			t.Fatal(err)
		}
		for d := day(2023, 1, 1); d.Before(day(2025, 1, 1)); d = d.AddDays(1) {
			if !p.Contains(d) {
				next, err := tasks.PeriodOf(k, d)
				if err != nil {
					t.Fatal(err)
				}
				if next.From != p.To.AddDays(1) || next.From != d {
					t.Fatalf("%s: after %s–%s comes %s–%s", k, p.From.VN(), p.To.VN(), next.From.VN(), next.To.VN())
				}
				p = next
			}
		}
	}
}

func TestMeetingPeriod(t *testing.T) {
	loc := hcm(t)
	prev := time.Date(2023, 9, 18, 16, 30, 0, 0, loc)
	now := time.Date(2023, 10, 16, 8, 25, 0, 0, loc)
	p := tasks.MeetingPeriod(prev, now, loc)
	if p.Kind != tasks.PeriodMeeting || p.From != day(2023, 9, 18) || p.To != day(2023, 10, 16) {
		t.Errorf("meeting period = %s %s–%s, want 18/09/2023–16/10/2023", p.Kind, p.From.VN(), p.To.VN())
	}
	if got := p.Cutoff(now, loc); !got.Equal(now) {
		t.Errorf("meeting cutoff = %v, want now", got)
	}
	first := tasks.MeetingPeriod(time.Time{}, now, loc)
	if !first.From.IsZero() || !first.Contains(day(2001, 1, 1)) || first.Contains(day(2023, 10, 17)) {
		t.Errorf("first meeting period = %s–%s, want everything up to 16/10/2023", first.From.VN(), first.To.VN())
	}
}

func TestPeriod_Cutoff(t *testing.T) {
	loc := hcm(t)
	q4, err := tasks.PeriodOf(tasks.PeriodQuarter, day(2023, 10, 16))
	if err != nil {
		t.Fatal(err)
	}
	during := time.Date(2023, 10, 16, 8, 25, 0, 0, loc)
	if got := q4.Cutoff(during, loc); !got.Equal(during) {
		t.Errorf("cutoff during the period = %v, want now", got)
	}
	// Reported after it ended, a period gives its figures at the end of
	// its last day, still on the 14th in the committee's zone.
	after := time.Date(2024, 1, 5, 9, 0, 0, 0, loc)
	got := q4.Cutoff(after, loc)
	if tasks.DateOf(got, loc) != day(2023, 12, 14) || !got.Add(time.Nanosecond).Equal(day(2023, 12, 15).Start(loc)) {
		t.Errorf("cutoff after the period = %v, want the last instant of 14/12/2023", got)
	}
}

func TestParsePeriodKind(t *testing.T) {
	cases := map[string]tasks.PeriodKind{
		"month": tasks.PeriodMonth, "Tháng": tasks.PeriodMonth, "thang": tasks.PeriodMonth,
		"quarter": tasks.PeriodQuarter, "QUÝ": tasks.PeriodQuarter, "quy": tasks.PeriodQuarter,
		"half": tasks.PeriodHalf, "6 tháng": tasks.PeriodHalf, "6  thang": tasks.PeriodHalf, "nửa năm": tasks.PeriodHalf,
		"year": tasks.PeriodYear, "năm": tasks.PeriodYear, "Nam": tasks.PeriodYear,
		"meeting": tasks.PeriodMeeting, "phiên họp": tasks.PeriodMeeting, "họp": tasks.PeriodMeeting,
		// Decomposed, as some phones type it.
		"qu\u0079\u0301": tasks.PeriodQuarter,
	}
	for in, want := range cases {
		if got, ok := tasks.ParsePeriodKind(in); !ok || got != want {
			t.Errorf("ParsePeriodKind(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "week", "tuần", "2023", "quý IV"} {
		if got, ok := tasks.ParsePeriodKind(in); ok {
			t.Errorf("ParsePeriodKind(%q) = %q, want not a period", in, got)
		}
	}
}

func FuzzParsePeriodKind(f *testing.F) {
	for _, s := range []string{"month", "quý", "6 tháng", "năm", "phiên họp", "", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, ok := tasks.ParsePeriodKind(s)
		if !ok {
			return
		}
		// Accents, case and spacing never change the reading.
		if again, ok := tasks.ParsePeriodKind(tasks.Fold(s)); !ok || again != k {
			t.Fatalf("ParsePeriodKind(%q) = %q but its folded form reads %q, %v", s, k, again, ok)
		}
		if k == tasks.PeriodMeeting {
			return
		}
		p, err := tasks.PeriodOf(k, day(2023, 12, 15))
		if err != nil || !p.Contains(day(2023, 12, 15)) {
			t.Fatalf("PeriodOf(%q) = %+v, %v", k, p, err)
		}
	})
}
