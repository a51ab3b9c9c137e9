package tasks_test

import (
	"testing"
	"time"

	"steerbot/tasks"
)

func TestTimelineAroundMidnight(t *testing.T) {
	loc := hcm(t)
	deadline := day(2026, time.November, 30)
	open := tasks.Task{Code: "A", Status: tasks.InProgress, Deadline: deadline}
	cases := []struct {
		name     string
		now      time.Time
		want     tasks.Timeliness
		daysLate int
	}{
		{"last minute of the deadline day", time.Date(2026, 11, 30, 23, 59, 59, 0, loc), tasks.DueSoon, 0},
		{"midnight after the deadline", time.Date(2026, 12, 1, 0, 0, 0, 0, loc), tasks.Overdue, 1},
		// 17:00 UTC on 30/11 is already 00:00 on 1/12 in Hà Nội.
		{"UTC evening is Hanoi next day", time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC), tasks.Overdue, 1},
		{"UTC afternoon is Hanoi same day", time.Date(2026, 11, 30, 16, 59, 0, 0, time.UTC), tasks.DueSoon, 0},
		{"a week ahead", time.Date(2026, 11, 20, 9, 0, 0, 0, loc), tasks.OnTrack, 0},
		{"three days late", time.Date(2026, 12, 3, 9, 0, 0, 0, loc), tasks.Overdue, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tl := tasks.Timeline{Now: c.now, Loc: loc, DueSoonDays: 3}
			if got := tl.Of(open); got != c.want {
				t.Errorf("Of = %s, want %s", got, c.want)
			}
			if got := tl.DaysLate(open); got != c.daysLate {
				t.Errorf("DaysLate = %d, want %d", got, c.daysLate)
			}
		})
	}
}

func TestTimelineDone(t *testing.T) {
	loc := hcm(t)
	tl := tasks.Timeline{Now: time.Date(2027, 1, 1, 0, 0, 0, 0, loc), Loc: loc, DueSoonDays: 3}
	deadline := day(2026, time.November, 30)
	cases := []struct {
		name      string
		completed time.Time
		want      tasks.Timeliness
	}{
		{"done on the deadline evening", time.Date(2026, 11, 30, 23, 0, 0, 0, loc), tasks.DoneOnTime},
		{"done just after midnight", time.Date(2026, 12, 1, 0, 0, 1, 0, loc), tasks.DoneLate},
		{"done early", time.Date(2026, 10, 1, 9, 0, 0, 0, loc), tasks.DoneOnTime},
		{"imported as done, date unknown", time.Time{}, tasks.DoneUndated},
	}
	for _, c := range cases {
		task := tasks.Task{Status: tasks.Done, Deadline: deadline, CompletedAt: c.completed}
		if got := tl.Of(task); got != c.want {
			t.Errorf("%s: Of = %s, want %s", c.name, got, c.want)
		}
	}
	if got := tl.Of(tasks.Task{Status: tasks.Stopped, Deadline: deadline}); got != tasks.Closed {
		t.Errorf("stopped task: %s, want closed", got)
	}
	if got := tl.DaysLate(tasks.Task{Status: tasks.Done, Deadline: deadline}); got != 0 {
		t.Errorf("done task is %d days late", got)
	}
}
