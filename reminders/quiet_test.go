package reminders_test

import (
	"testing"
	"time"

	"steerbot/reminders"
	"steerbot/tasks"
)

func TestQuiet_Next(t *testing.T) {
	tet := map[tasks.Date]bool{ // Tết 2026: four days off in a row
		{Year: 2026, Month: 2, Day: 16}: true, {Year: 2026, Month: 2, Day: 17}: true,
		{Year: 2026, Month: 2, Day: 18}: true, {Year: 2026, Month: 2, Day: 19}: true,
	}
	evenings := reminders.Quiet{Loc: hcm, From: 20 * time.Hour, To: 7 * time.Hour}
	withTet := evenings
	withTet.Holidays = tet
	lunch := reminders.Quiet{Loc: hcm, From: 12 * time.Hour, To: 13*time.Hour + 30*time.Minute}
	holidaysOnly := reminders.Quiet{Loc: hcm, Holidays: tet}
	for _, tc := range []struct {
		name string
		q    reminders.Quiet
		t    time.Time
		want time.Time
	}{
		{"zero Quiet allows all", reminders.Quiet{}, at(hcm, 2026, 3, 2, 23, 0), at(hcm, 2026, 3, 2, 23, 0)},
		{"day time", evenings, at(hcm, 2026, 3, 2, 19, 59), at(hcm, 2026, 3, 2, 19, 59)},
		{"quiet from 20:00", evenings, at(hcm, 2026, 3, 2, 20, 0), at(hcm, 2026, 3, 3, 7, 0)},
		{"after midnight", evenings, at(hcm, 2026, 3, 3, 2, 0), at(hcm, 2026, 3, 3, 7, 0)},
		{"07:00 allowed", evenings, at(hcm, 2026, 3, 3, 7, 0), at(hcm, 2026, 3, 3, 7, 0)},
		{"last second", evenings, at(hcm, 2026, 3, 3, 6, 59).Add(59*time.Second + 500*time.Millisecond), at(hcm, 2026, 3, 3, 7, 0)},
		{"window within a day", lunch, at(hcm, 2026, 3, 3, 12, 10), at(hcm, 2026, 3, 3, 13, 30)},
		{"before the window", lunch, at(hcm, 2026, 3, 3, 11, 59), at(hcm, 2026, 3, 3, 11, 59)},
		{"evening before Tết", withTet, at(hcm, 2026, 2, 15, 21, 0), at(hcm, 2026, 2, 20, 7, 0)},
		{"Tết, holidays only", holidaysOnly, at(hcm, 2026, 2, 17, 9, 0), at(hcm, 2026, 2, 20, 0, 0)},
		{"UTC when no location", reminders.Quiet{From: 20 * time.Hour, To: 7 * time.Hour}, time.Date(2026, 3, 2, 21, 0, 0, 0, time.UTC), time.Date(2026, 3, 3, 7, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.q.Next(tc.t)
			if !got.Equal(tc.want) {
				t.Errorf("Next(%s) = %s, want %s", tc.t, got, tc.want)
			}
			if allowed := tc.q.Allowed(tc.t); allowed != tc.t.Equal(tc.want) {
				t.Errorf("Allowed(%s) = %v, want %v", tc.t, allowed, !allowed)
			}
		})
	}
}

// TestQuiet_NextIsFirstAllowed checks, minute by minute over days that
// include holidays and time-zone changes, that Next returns an allowed
// instant with nothing allowed before it.
func TestQuiet_NextIsFirstAllowed(t *testing.T) {
	berlin := mustLoad("Europe/Berlin") // 2026-03-29: 02:00 → 03:00
	for _, q := range []reminders.Quiet{
		{Loc: hcm, From: 20 * time.Hour, To: 7 * time.Hour, Holidays: map[tasks.Date]bool{{Year: 2026, Month: 3, Day: 3}: true, {Year: 2026, Month: 3, Day: 4}: true}},
		{Loc: berlin, From: 22 * time.Hour, To: 2*time.Hour + 30*time.Minute},
		{Loc: berlin, From: 1 * time.Hour, To: 3*time.Hour + 30*time.Minute, Holidays: map[tasks.Date]bool{{Year: 2026, Month: 3, Day: 30}: true}},
		{Loc: berlin, From: 21 * time.Hour, To: 2*time.Hour + 30*time.Minute, Holidays: map[tasks.Date]bool{{Year: 2026, Month: 10, Day: 26}: true}},
	} {
		// Five days around a change of time in Berlin: 29 March 02:00 →
		// 03:00 and 25 October 03:00 → 02:00.
		start := time.Date(2026, 3, 1, 0, 0, 0, 0, q.Loc)
		switch {
		case q.Loc == berlin && q.Holidays[tasks.Date{Year: 2026, Month: 10, Day: 26}]:
			start = time.Date(2026, 10, 23, 0, 0, 0, 0, q.Loc)
		case q.Loc == berlin:
			start = time.Date(2026, 3, 27, 0, 0, 0, 0, q.Loc)
		}
		for tm := start; tm.Before(start.Add(5 * 24 * time.Hour)); tm = tm.Add(7 * time.Minute) {
			next := q.Next(tm)
			if next.Before(tm) || !q.Allowed(next) {
				t.Fatalf("%s: Next(%s) = %s: before it or not allowed", q.Loc, tm, next)
			}
			for m := tm; m.Before(next); m = m.Add(time.Minute) {
				if q.Allowed(m) {
					t.Fatalf("%s: Next(%s) = %s, but %s is allowed", q.Loc, tm, next, m)
				}
			}
			if next.After(tm) && q.Allowed(next.Add(-time.Second)) {
				t.Fatalf("%s: Next(%s) = %s, but a second earlier is allowed", q.Loc, tm, next)
			}
		}
	}
}

func TestQuiet_Validate(t *testing.T) {
	for _, q := range []reminders.Quiet{{From: 24 * time.Hour}, {To: -time.Minute}} {
		if err := q.Validate(); err == nil {
			t.Errorf("Validate(%v-%v) = nil, want an error", q.From, q.To)
		}
	}
	if err := (reminders.Quiet{From: 20 * time.Hour, To: 7 * time.Hour}).Validate(); err != nil {
		t.Errorf("Validate(20h-7h) = %v, want nil", err)
	}
}

func TestRules_Quiet(t *testing.T) {
	h := tasks.Date{Year: 2026, Month: 9, Day: 2}
	q := reminders.Rules{QuietFrom: 20 * time.Hour, QuietTo: 7 * time.Hour, Holidays: []tasks.Date{h}}.Quiet(hcm)
	if q.Loc != hcm || q.From != 20*time.Hour || q.To != 7*time.Hour || !q.Holidays[h] || len(q.Holidays) != 1 {
		t.Errorf("Rules.Quiet = %+v, want the rules' hours and holiday in Ho Chi Minh City", q)
	}
	if q.Allowed(at(hcm, 2026, 9, 2, 10, 0)) {
		t.Error("10:00 on the holiday is allowed, want held")
	}
}
