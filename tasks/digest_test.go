package tasks_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"steerbot/tasks"
)

func makeTasks(group string, counts map[tasks.Status]int, deadline tasks.Date) []tasks.Task {
	var ts []tasks.Task
	n := 0
	for _, st := range tasks.Statuses {
		for i := 0; i < counts[st]; i++ {
			n++
			ts = append(ts, tasks.Task{
				Code: fmt.Sprintf("%s-%d", group[:2], n), Group: group, Unit: fmt.Sprintf("U%d", n%7),
				Status: st, Deadline: deadline,
			})
		}
	}
	return ts
}

func TestDigestSeedFigures(t *testing.T) {
	loc := hcm(t)
	tl := tasks.Timeline{Now: time.Date(2023, 10, 17, 14, 0, 0, 0, loc), Loc: loc, DueSoonDays: 7}
	cchc := makeTasks("Kế hoạch CCHC 2023", map[tasks.Status]int{tasks.Done: 47, tasks.InProgress: 32}, day(2023, 12, 31))
	prog := makeTasks("Chương trình 08", map[tasks.Status]int{
		tasks.Done: 8, tasks.InProgress: 78, tasks.ProposedStop: 3, tasks.NotStarted: 5, tasks.ProposedCarryover: 8,
	}, day(2023, 12, 31))
	d := tasks.ComputeDigest(tasks.DigestInput{Tasks: append(cchc, prog...), Timeline: tl})
	if len(d.Groups) != 2 {
		t.Fatalf("groups = %d, want 2", len(d.Groups))
	}
	byName := map[string]tasks.GroupStat{}
	for _, g := range d.Groups {
		byName[g.Name] = g
	}
	if got := byName["Kế hoạch CCHC 2023"].Ratio(); got != "47/79 (59%)" {
		t.Errorf("CCHC ratio = %q, want 47/79 (59%%)", got)
	}
	p := byName["Chương trình 08"]
	if p.Total != 102 {
		t.Errorf("programme total = %d, want 102", p.Total)
	}
	want := map[tasks.Status]int{tasks.Done: 8, tasks.InProgress: 78, tasks.ProposedStop: 3, tasks.NotStarted: 5, tasks.ProposedCarryover: 8}
	for st, n := range want {
		if p.Counts[st] != n {
			t.Errorf("programme %s = %d, want %d", st, p.Counts[st], n)
		}
	}
	if got := p.Ratio(); got != "8/102 (8%)" {
		t.Errorf("programme ratio = %q", got)
	}
	if len(d.Awaiting) != 11 {
		t.Errorf("awaiting = %d, want 11 proposals", len(d.Awaiting))
	}
	if d.Total.Total != 181 || d.Total.Done != 55 {
		t.Errorf("total = %d done %d, want 181 done 55", d.Total.Total, d.Total.Done)
	}
}

func TestPercentRoundsHalfUp(t *testing.T) {
	cases := []struct{ part, whole, want int }{
		{47, 79, 59}, {1, 2, 50}, {1, 8, 13}, {3, 8, 38}, {1, 200, 1}, {1, 201, 0}, {0, 0, 0}, {5, 5, 100}, {2, 3, 67},
	}
	for _, c := range cases {
		if got := tasks.Percent(c.part, c.whole); got != c.want {
			t.Errorf("Percent(%d,%d) = %d, want %d", c.part, c.whole, got, c.want)
		}
	}
}

func TestDigestOverdueScorecardChanges(t *testing.T) {
	loc := hcm(t)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, loc)
	tl := tasks.Timeline{Now: now, Loc: loc, DueSoonDays: 3}
	units := []tasks.Unit{{Code: "SNV", Name: "Sở Nội vụ"}, {Code: "STP", Name: "Sở Tư pháp"}}
	ts := []tasks.Task{
		{Code: "T-1", Unit: "SNV", Status: tasks.InProgress, Deadline: day(2026, 11, 20)},                                                                // 5 days late
		{Code: "T-2", Unit: "SNV", Status: tasks.NotStarted, Deadline: day(2026, 11, 24)},                                                                // 1 day late
		{Code: "T-3", Unit: "SNV", Status: tasks.Done, Deadline: day(2026, 11, 1), CompletedAt: time.Date(2026, 10, 30, 9, 0, 0, 0, loc), Progress: 100}, // on time
		{Code: "T-4", Unit: "STP", Status: tasks.Done, Deadline: day(2026, 11, 1), CompletedAt: time.Date(2026, 11, 3, 9, 0, 0, 0, loc), Progress: 100},  // late
		{Code: "T-5", Unit: "STP", Status: tasks.InProgress, Deadline: day(2026, 12, 30), Blocker: "chưa có kinh phí"},
		{Code: "T-6", Unit: "STP", Status: tasks.ProposedStop, Deadline: day(2026, 12, 30)},
	}
	prev := tasks.Snapshot{At: now.Add(-90 * 24 * time.Hour), Tasks: []tasks.TaskState{
		{Code: "T-1", Status: tasks.InProgress}, {Code: "T-3", Status: tasks.InProgress, Progress: 50}, {Code: "T-4", Status: tasks.Done, Progress: 100},
		{Code: "T-5", Status: tasks.InProgress}, {Code: "T-6", Status: tasks.InProgress},
	}}
	exts := []tasks.ExtensionRequest{{ID: 1, Task: "T-1", State: tasks.ExtPending, NewDeadline: day(2026, 12, 15)}, {ID: 2, Task: "T-2", State: tasks.ExtRejected}}
	d := tasks.ComputeDigest(tasks.DigestInput{Tasks: ts, Units: units, Extensions: exts, Previous: &prev, Timeline: tl})

	if len(d.Overdue) != 1 || d.Overdue[0].Unit.Name != "Sở Nội vụ" || len(d.Overdue[0].Tasks) != 2 {
		t.Fatalf("overdue = %+v, want SNV with 2 tasks", d.Overdue)
	}
	if got := d.Overdue[0].Tasks[0]; got.Code != "T-1" || got.DaysLate != 5 {
		t.Errorf("most late = %s %d days, want T-1 5 days", got.Code, got.DaysLate)
	}
	if d.Total.DoneOnTime != 1 || d.Total.DoneLate != 1 || d.Total.Overdue != 2 {
		t.Errorf("on time %d late %d overdue %d, want 1 1 2", d.Total.DoneOnTime, d.Total.DoneLate, d.Total.Overdue)
	}
	if d.Scorecard[0].Unit.Code != "SNV" || d.Scorecard[0].Overdue != 2 || d.Scorecard[0].OnTimeRate() != 100 {
		t.Errorf("scorecard[0] = %+v, want SNV first with 2 overdue, 100%% on time", d.Scorecard[0])
	}
	if d.Scorecard[1].OnTimeRate() != 0 {
		t.Errorf("STP on-time rate = %d, want 0", d.Scorecard[1].OnTimeRate())
	}
	// The chart's segments: SNV's not-started task is overdue, so counted
	// there only; STP has one being carried out and one awaiting a decision.
	if s := d.Scorecard[0]; s.NotStarted != 0 || s.Awaiting != 0 || s.InProgress() != 0 {
		t.Errorf("SNV not started %d, awaiting %d, in progress %d; want 0 0 0", s.NotStarted, s.Awaiting, s.InProgress())
	}
	if s := d.Scorecard[1]; s.NotStarted != 0 || s.Awaiting != 1 || s.InProgress() != 1 {
		t.Errorf("STP not started %d, awaiting %d, in progress %d; want 0 1 1", s.NotStarted, s.Awaiting, s.InProgress())
	}
	if len(d.Awaiting) != 2 || d.Awaiting[0].Extension == nil || d.Awaiting[1].Status != tasks.ProposedStop {
		t.Errorf("awaiting = %+v, want T-1 extension and T-6 proposal", d.Awaiting)
	}
	var changed []string
	for _, c := range d.Changes {
		changed = append(changed, c.Code)
	}
	if fmt.Sprint(changed) != "[T-2 T-3 T-6]" {
		t.Errorf("changes = %v, want [T-2 T-3 T-6]", changed)
	}
	// Tasks out of code order find their previous state all the same.
	rev := slices.Clone(ts)
	slices.Reverse(rev)
	r := tasks.ComputeDigest(tasks.DigestInput{Tasks: rev, Units: units, Extensions: exts, Previous: &prev, Timeline: tl})
	if !reflect.DeepEqual(r.Changes, d.Changes) {
		t.Errorf("changes of tasks in reverse order = %+v, want %+v", r.Changes, d.Changes)
	}
	if len(d.Blocked) != 1 || d.Blocked[0].Code != "T-5" {
		t.Errorf("blocked = %+v", d.Blocked)
	}
	g := tasks.ComputeDigest(tasks.DigestInput{Tasks: ts, Timeline: tl, Group: "nothing"})
	if g.Total.Total != 0 {
		t.Errorf("group filter kept %d tasks", g.Total.Total)
	}
}

func BenchmarkComputeDigest(b *testing.B) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, loc)
	var ts []tasks.Task
	var units []tasks.Unit
	for u := 0; u < 1000; u++ {
		units = append(units, tasks.Unit{Code: fmt.Sprintf("U%04d", u), Name: fmt.Sprintf("Đơn vị %d", u)})
	}
	for i := 0; i < 100000; i++ {
		st := tasks.Statuses[i%len(tasks.Statuses)]
		ts = append(ts, tasks.Task{
			Code: fmt.Sprintf("T-%d", i), Unit: units[i%1000].Code, Group: fmt.Sprintf("G%d", i%5),
			Status: st, Deadline: tasks.DateOf(now.AddDate(0, 0, i%60-30), loc),
			CompletedAt: now.AddDate(0, 0, -(i % 40)),
		})
	}
	prev := tasks.TakeSnapshot(ts[:50000], now.AddDate(0, -3, 0))
	tl := tasks.Timeline{Now: now, Loc: loc, DueSoonDays: 7}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := tasks.ComputeDigest(tasks.DigestInput{Tasks: ts, Units: units, Previous: &prev, Timeline: tl})
		if d.Total.Total != 100000 {
			b.Fatal("wrong total")
		}
	}
}
