package tasks_test

import (
	"strings"
	"testing"
	"time"

	"steerbot/tasks"
)

func TestReminderOrder(t *testing.T) {
	loc := hcm(t)
	tl := tasks.Timeline{Now: time.Date(2026, 11, 24, 9, 0, 0, 0, loc), Loc: loc, DueSoonDays: 3}
	ts := []tasks.Task{
		{Code: "A-1", Status: tasks.InProgress},                              // no deadline
		{Code: "A-2", Status: tasks.InProgress, Deadline: day(2026, 12, 20)}, // on track
		{Code: "A-3", Status: tasks.NotStarted, Deadline: day(2026, 11, 25)}, // due soon
		{Code: "A-4", Status: tasks.InProgress, Deadline: day(2026, 11, 20)}, // 4 days late
		{Code: "A-5", Status: tasks.InProgress, Deadline: day(2026, 11, 10)}, // 14 days late
		{Code: "A-6", Status: tasks.Done, Deadline: day(2026, 11, 1)},        // done
		{Code: "A-0", Status: tasks.InProgress, Deadline: day(2026, 11, 20)}, // 4 days late, code first
		{Code: "B-1", Status: tasks.NotStarted, Deadline: day(2026, 11, 24)}, // due today: soon
		{Code: "B-2", Status: tasks.InProgress, Deadline: day(2026, 12, 1)},  // on track
	}
	got := tl.ReminderOrder(ts)
	var codes []string
	for _, x := range got {
		codes = append(codes, x.Code)
	}
	want := "A-5 A-0 A-4 B-1 A-3 A-6 B-2 A-2 A-1"
	if s := strings.Join(codes, " "); s != want {
		t.Fatalf("order=%s, want %s", s, want)
	}
	if ts[0].Code != "A-1" {
		t.Fatalf("the caller's slice was reordered: first is %s", ts[0].Code)
	}
}
