package reminders_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	_ "time/tzdata"

	"steerbot/reminders"
	"steerbot/tasks"
	"steerbot/tasks/taskstest"
)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

var hcm = mustLoad("Asia/Ho_Chi_Minh")

// at returns a wall-clock time in loc.
func at(loc *time.Location, y int, mo time.Month, d, h, mi int) time.Time {
	return time.Date(y, mo, d, h, mi, 0, 0, loc)
}

// The members of the test committee, by Telegram id.
const (
	tgChair      = 111
	tgSecretary  = 222
	tgHeadSNV    = 333
	tgDelegate   = 334
	tgHeadSTTTT  = 444
	tgHeadIdle   = 555 // head of a unit with no open task
	unlinkedHead = 0
)

// world is a committee in a memStore with a fake clock and notifier.
type world struct {
	store *memStore
	n     *fakeNotifier
	clock *fakeClock
}

func newWorld(t *testing.T, now time.Time) *world {
	t.Helper()
	w := &world{store: newMemStore(), n: &fakeNotifier{}, clock: newClock(now)}
	w.store.mustUpdate(t, func(tx tasks.Tx) error {
		for _, u := range []tasks.Unit{{Code: "SNV", Name: "Sở Nội vụ"}, {Code: "STTTT", Name: "Sở TT&TT"}, {Code: "SXD", Name: "Sở Xây dựng"}} {
			if err := tx.PutUnit(u); err != nil {
				return err
			}
		}
		for _, m := range []tasks.Member{
			{Name: "Chair", Role: tasks.RoleChair, TelegramID: tgChair},
			{Name: "Secretary", Role: tasks.RoleSecretariat, TelegramID: tgSecretary},
			{Name: "Head SNV", Role: tasks.RoleUnitHead, Unit: "SNV", TelegramID: tgHeadSNV},
			{Name: "Delegate SNV", Role: tasks.RoleUnitDelegate, Unit: "SNV", TelegramID: tgDelegate},
			{Name: "Unlinked head SNV", Role: tasks.RoleUnitHead, Unit: "SNV", TelegramID: unlinkedHead},
			{Name: "Head STTTT", Role: tasks.RoleUnitHead, Unit: "STTTT", TelegramID: tgHeadSTTTT},
			{Name: "Head SXD", Role: tasks.RoleUnitHead, Unit: "SXD", TelegramID: tgHeadIdle},
		} {
			if err := tx.PutMember(&m); err != nil {
				return err
			}
		}
		return nil
	})
	return w
}

func (w *world) addTask(t *testing.T, tk tasks.Task) {
	t.Helper()
	if tk.Status == "" {
		tk.Status = tasks.InProgress
	}
	w.store.mustUpdate(t, func(tx tasks.Tx) error { return tx.PutTask(tk) })
}

func (w *world) scheduler(t *testing.T, loc *time.Location, rules reminders.Rules, opts ...reminders.SchedulerOption) *reminders.Scheduler {
	t.Helper()
	opts = append([]reminders.SchedulerOption{reminders.WithSchedulerClock(w.clock)}, opts...)
	s, err := reminders.NewScheduler(w.store, w.n, loc, rules, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (w *world) tick(t *testing.T, s *reminders.Scheduler) {
	t.Helper()
	if err := s.Tick(context.Background()); err != nil {
		t.Fatalf("tick at %s: %v", w.clock.Now(), err)
	}
}

// tickEachMinute ticks s every minute from the clock's time up to end and
// returns the times at which the notifier was asked something new.
func (w *world) tickEachMinute(t *testing.T, s *reminders.Scheduler, end time.Time) []time.Time {
	t.Helper()
	count := func() int {
		w.n.mu.Lock()
		defer w.n.mu.Unlock()
		return len(w.n.reminders) + len(w.n.escalations) + len(w.n.digests)
	}
	var when []time.Time
	seen := count()
	for ; !w.clock.Now().After(end); w.clock.Advance(time.Minute) {
		w.tick(t, s)
		if got := count(); got > seen {
			when = append(when, w.clock.Now())
			seen = got
		}
	}
	return when
}

// recipients returns the Telegram ids of the reminders' members, sorted.
func recipients(rs []tasks.Reminder) []int64 {
	var ids []int64
	for _, r := range rs {
		ids = append(ids, r.Member.TelegramID)
	}
	slices.Sort(ids)
	return ids
}

func codes(ts []tasks.Task) []string {
	var cs []string
	for _, t := range ts {
		cs = append(cs, t.Code)
	}
	return cs
}

func day(t time.Time) tasks.Date { return tasks.DateOf(t, hcm) }

func TestScheduler_WeeklyFiresInCommitteeTimeZone(t *testing.T) {
	for _, tc := range []struct {
		loc  *time.Location
		want time.Time
	}{
		{hcm, time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC)}, // 08:30 Monday in Hồ Chí Minh City
		{time.UTC, time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)},
	} {
		t.Run(tc.loc.String(), func(t *testing.T) {
			w := newWorld(t, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)) // Sunday
			w.addTask(t, tasks.Task{Code: "CCHC-1", Unit: "SNV", Deadline: tasks.Date{Year: 2026, Month: 6, Day: 30}})
			s := w.scheduler(t, tc.loc, reminders.Rules{Weekly: "30 8 * * MON"})
			when := w.tickEachMinute(t, s, time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))
			if len(when) != 1 || !when[0].Equal(tc.want) {
				t.Fatalf("reminders went out at %v, want once at %v", when, tc.want)
			}
			if got, want := recipients(w.n.reminders), []int64{tgHeadSNV, tgDelegate}; !slices.Equal(got, want) {
				t.Fatalf("recipients %v, want %v", got, want)
			}
		})
	}
}

func TestScheduler_WeeklyContent(t *testing.T) {
	now := at(hcm, 2026, 3, 2, 8, 0) // Monday
	today := day(now)
	w := newWorld(t, now)
	for _, tk := range []tasks.Task{
		{Code: "A-NODATE", Unit: "SNV"},
		{Code: "A-LATER", Unit: "SNV", Deadline: today.AddDays(30)},
		{Code: "A-SOON", Unit: "SNV", Deadline: today.AddDays(2)},
		{Code: "A-LATE1", Unit: "SNV", Deadline: today.AddDays(-1)},
		{Code: "A-LATE9", Unit: "SNV", Deadline: today.AddDays(-9), Blocker: "no budget"},
		{Code: "A-DONE", Unit: "SNV", Deadline: today.AddDays(-3), Status: tasks.Done},
		{Code: "B-1", Unit: "STTTT", Deadline: today.AddDays(10)},
		{Code: "C-DONE", Unit: "SXD", Status: tasks.Done},
	} {
		w.addTask(t, tk)
	}
	s := w.scheduler(t, hcm, reminders.Rules{Weekly: "30 8 * * MON", DueSoonDays: []int{7, 3, 1}})
	w.tick(t, s)
	w.clock.Set(at(hcm, 2026, 3, 2, 8, 30))
	w.tick(t, s)

	byKey := map[string]tasks.Reminder{}
	for _, r := range w.n.reminders {
		if r.Kind != tasks.RemindWeekly {
			t.Errorf("reminder %s has kind %s, want weekly", r.Key, r.Kind)
		}
		byKey[r.Key] = r
	}
	var keys []string
	for k := range byKey {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	wantKeys := []string{"weekly-chair:1:2026-03-02", "weekly:SNV:3:2026-03-02", "weekly:SNV:4:2026-03-02", "weekly:STTTT:6:2026-03-02"}
	if !slices.Equal(keys, wantKeys) {
		t.Fatalf("keys %v, want %v (no reminder to units without open tasks, to unlinked members or to the secretariat)", keys, wantKeys)
	}
	head := byKey["weekly:SNV:3:2026-03-02"]
	if got, want := codes(head.Tasks), []string{"A-LATE9", "A-LATE1", "A-SOON", "A-LATER", "A-NODATE"}; !slices.Equal(got, want) {
		t.Errorf("head's tasks %v, want %v", got, want)
	}
	if head.Unit.Name != "Sở Nội vụ" {
		t.Errorf("unit %+v, want Sở Nội vụ", head.Unit)
	}
	if tm := head.Timeline.Of(head.Tasks[2]); tm != tasks.DueSoon {
		t.Errorf("A-SOON shows as %s, want due_soon", tm)
	}
	chair := byKey["weekly-chair:1:2026-03-02"]
	if got, want := codes(chair.Tasks), []string{"A-LATE9", "A-LATE1"}; !slices.Equal(got, want) {
		t.Errorf("chair's overdue tasks %v, want %v", got, want)
	}
	if len(chair.Blocked) != 1 || chair.Blocked[0].Code != "A-LATE9" || chair.Blocked[0].Blocker != "no budget" {
		t.Errorf("chair's blocked %+v, want A-LATE9 with its blocker", chair.Blocked)
	}
}

func TestScheduler_WeeklyChairOnlyWhenSomethingIsStuck(t *testing.T) {
	w := newWorld(t, at(hcm, 2026, 3, 2, 8, 0))
	w.addTask(t, tasks.Task{Code: "A-1", Unit: "SNV", Deadline: day(w.clock.Now()).AddDays(20)})
	s := w.scheduler(t, hcm, reminders.Rules{Weekly: "30 8 * * MON"}, reminders.WithPolicy(tasks.Policy{SecretariatDecides: true}))
	w.tick(t, s)
	w.clock.Set(at(hcm, 2026, 3, 2, 8, 30))
	w.tick(t, s)
	for _, k := range w.n.keys() {
		if strings.HasPrefix(k, "weekly-chair:") {
			t.Errorf("chairs got %s with nothing overdue or blocked", k)
		}
	}
	// With an overdue task, the chair and, as it decides, the secretariat.
	w.addTask(t, tasks.Task{Code: "A-2", Unit: "SNV", Deadline: day(w.clock.Now()).AddDays(-2)})
	w.n.reset()
	w.clock.Set(at(hcm, 2026, 3, 9, 8, 30))
	w.tick(t, s)
	var got []string
	for _, k := range w.n.keys() {
		if strings.HasPrefix(k, "weekly-chair:") {
			got = append(got, k)
		}
	}
	if want := []string{"weekly-chair:1:2026-03-09", "weekly-chair:2:2026-03-09"}; !slices.Equal(got, want) {
		t.Errorf("deciders' reminders %v, want %v", got, want)
	}
}

func TestScheduler_QuietHoursAndHolidaysPostpone(t *testing.T) {
	quiet := reminders.Rules{QuietFrom: 20 * time.Hour, QuietTo: 7 * time.Hour}
	for _, tc := range []struct {
		name      string
		spec      string
		holidays  []tasks.Date
		start     time.Time
		want      time.Time
		wantFired string // the day in the keys: the firing's, not the sending's
	}{
		{"quiet hours", "0 21 * * *", nil, at(hcm, 2026, 3, 2, 20, 50), at(hcm, 2026, 3, 3, 7, 0), "2026-03-02"},
		{"holiday", "30 8 * * MON", []tasks.Date{{Year: 2026, Month: 3, Day: 2}}, at(hcm, 2026, 3, 1, 23, 0), at(hcm, 2026, 3, 3, 7, 0), "2026-03-02"},
		{"allowed", "30 8 * * MON", []tasks.Date{{Year: 2026, Month: 3, Day: 3}}, at(hcm, 2026, 3, 2, 8, 0), at(hcm, 2026, 3, 2, 8, 30), "2026-03-02"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, tc.start)
			w.addTask(t, tasks.Task{Code: "A-1", Unit: "SNV", Deadline: tasks.Date{Year: 2026, Month: 12, Day: 31}})
			rules := quiet
			rules.Weekly, rules.Holidays = tc.spec, tc.holidays
			s := w.scheduler(t, hcm, rules)
			when := w.tickEachMinute(t, s, tc.want.Add(2*time.Hour))
			if len(when) != 1 || !when[0].Equal(tc.want) {
				t.Fatalf("sent at %v, want once at %v", when, tc.want)
			}
			for _, k := range w.n.keys() {
				if !strings.HasSuffix(k, ":"+tc.wantFired) {
					t.Errorf("key %s, want the firing's day %s", k, tc.wantFired)
				}
			}
			if n := len(w.n.reminders); n != 2 {
				t.Errorf("%d reminders, want 2 (head and delegate)", n)
			}
		})
	}
}

func TestScheduler_NewDatabaseMissedNothing(t *testing.T) {
	// First run on a Monday afternoon: this morning's weekly is not sent.
	w := newWorld(t, at(hcm, 2026, 3, 2, 15, 0))
	w.addTask(t, tasks.Task{Code: "A-1", Unit: "SNV", Deadline: day(w.clock.Now()).AddDays(-5)})
	s := w.scheduler(t, hcm, reminders.Rules{Weekly: "30 8 * * MON", Overdue: "0 9 * * MON-FRI"})
	w.tick(t, s)
	w.clock.Advance(time.Minute)
	w.tick(t, s)
	if keys := w.n.keys(); len(keys) != 0 {
		t.Fatalf("a new database sent %v", keys)
	}
}

func TestScheduler_DownOverFiringsSendsOnceOnRestart(t *testing.T) {
	w := newWorld(t, at(hcm, 2026, 3, 2, 8, 0)) // Monday
	w.addTask(t, tasks.Task{Code: "A-1", Unit: "SNV", Deadline: tasks.Date{Year: 2026, Month: 2, Day: 20}})
	rules := reminders.Rules{Weekly: "30 8 * * MON", Overdue: "0 9 * * MON-FRI"}
	w.tick(t, w.scheduler(t, hcm, rules)) // the first run, then the bot goes down

	// Back on Wednesday: the weekly of Monday and the overdue rounds of
	// Monday, Tuesday and Wednesday were missed.
	w.clock.Set(at(hcm, 2026, 3, 4, 10, 0))
	w.tick(t, w.scheduler(t, hcm, rules))
	got := w.n.keys()
	slices.Sort(got)
	want := []string{
		"overdue:SNV:3:2026-03-04", "overdue:SNV:4:2026-03-04",
		"weekly-chair:1:2026-03-02",
		"weekly:SNV:3:2026-03-02", "weekly:SNV:4:2026-03-02",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("after the outage %v, want %v (each rule once, not once per missed firing)", got, want)
	}

	// Two restarts in a row, at the same minute and the next: nothing more.
	for range 2 {
		w.tick(t, w.scheduler(t, hcm, rules))
	}
	w.clock.Advance(time.Minute)
	w.tick(t, w.scheduler(t, hcm, rules))
	if n := len(w.n.keys()); n != len(want) {
		t.Fatalf("restarts asked for %d reminders, want %d: %v", n, len(want), w.n.keys())
	}
	if n := len(w.store.outbox()); n != len(want) {
		t.Fatalf("outbox has %d messages, want %d", n, len(want))
	}
}

func TestScheduler_CrashInTransactionSendsOnceLater(t *testing.T) {
	w := newWorld(t, at(hcm, 2026, 3, 2, 8, 0))
	w.addTask(t, tasks.Task{Code: "A-1", Unit: "SNV", Deadline: tasks.Date{Year: 2026, Month: 12, Day: 1}})
	rules := reminders.Rules{Weekly: "30 8 * * MON"}
	s := w.scheduler(t, hcm, rules)
	w.tick(t, s)
	w.clock.Set(at(hcm, 2026, 3, 2, 8, 30))
	w.n.err = errors.New("crash")
	if err := s.Tick(context.Background()); err == nil {
		t.Fatal("tick with a failing notifier returned nil")
	}
	if n := len(w.store.outbox()); n != 0 {
		t.Fatalf("a failed transaction left %d messages", n)
	}
	w.n.err = nil
	w.clock.Advance(time.Minute)
	w.tick(t, w.scheduler(t, hcm, rules))
	w.tick(t, w.scheduler(t, hcm, rules))
	if got, want := w.n.keys(), []string{"weekly:SNV:3:2026-03-02", "weekly:SNV:4:2026-03-02"}; !slices.Equal(got, want) {
		t.Fatalf("after the crash %v, want %v", got, want)
	}
}

func TestScheduler_DueSoonOncePerThreshold(t *testing.T) {
	start := at(hcm, 2026, 3, 2, 8, 0)
	today := day(start)
	w := newWorld(t, start)
	w.addTask(t, tasks.Task{Code: "FAR", Unit: "SNV", Deadline: today.AddDays(10)})
	w.addTask(t, tasks.Task{Code: "NEAR", Unit: "SNV", Deadline: today.AddDays(2)})
	w.addTask(t, tasks.Task{Code: "DONE", Unit: "SNV", Deadline: today.AddDays(1), Status: tasks.Done})
	s := w.scheduler(t, hcm, reminders.Rules{Overdue: "0 9 * * *", DueSoonDays: []int{7, 3, 1}})
	w.tick(t, s)
	// Every day at 09:00 and again at 10:00, for two weeks.
	for d := range 14 {
		for _, h := range []int{9, 10} {
			w.clock.Set(at(hcm, 2026, 3, 2+d, h, 0))
			w.tick(t, s)
		}
	}
	daysLeft := map[string][]int{}
	for _, r := range w.n.reminders {
		if r.Kind != tasks.RemindDueSoon || r.Member.TelegramID != tgHeadSNV {
			continue
		}
		for _, tk := range r.Tasks {
			daysLeft[tk.Code] = append(daysLeft[tk.Code], r.Timeline.DaysLeft(tk))
		}
	}
	for code, want := range map[string][]int{"FAR": {7, 3, 1}, "NEAR": {2, 1}, "DONE": nil} {
		if got := daysLeft[code]; !slices.Equal(got, want) {
			t.Errorf("%s reminded at %v days left, want %v", code, got, want)
		}
	}
	// Both tasks crossing 1 on the same day share one reminder per member.
	keys := map[string]int{}
	for _, k := range w.n.keys() {
		keys[k]++
	}
	for k, n := range keys {
		if n > 1 {
			t.Errorf("key %s asked for %d times", k, n)
		}
	}
}

func TestScheduler_EscalationOncePerTaskAndDeadline(t *testing.T) {
	start := at(hcm, 2026, 3, 2, 8, 0)
	deadline := day(start).AddDays(-1)
	w := newWorld(t, start)
	w.addTask(t, tasks.Task{Code: "LATE", Unit: "SNV", Deadline: deadline})
	w.addTask(t, tasks.Task{Code: "ONTIME", Unit: "STTTT", Deadline: day(start).AddDays(30)})
	s := w.scheduler(t, hcm, reminders.Rules{Overdue: "0 9 * * *", EscalateAfterDays: 3})
	escalated := func() bool {
		t.Helper()
		var ok bool
		err := w.store.View(context.Background(), func(tx tasks.Tx) error {
			var err error
			ok, err = reminders.Escalated(tx, "late", deadline)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	w.tick(t, s)
	for d := range 10 {
		w.clock.Set(at(hcm, 2026, 3, 2+d, 9, 0))
		w.tick(t, s)
		if d == 1 && escalated() {
			t.Fatal("escalated after 2 days late, want after 3")
		}
	}
	if len(w.n.escalations) != 1 {
		t.Fatalf("%d escalations, want 1", len(w.n.escalations))
	}
	e := w.n.escalations[0]
	if e.Task.Code != "LATE" || e.DaysLate != 3 || e.Unit.Code != "SNV" || e.Key != "escalate:LATE:"+deadline.String() {
		t.Errorf("escalation %+v, want LATE of SNV at 3 days late", e)
	}
	if !escalated() {
		t.Error("Escalated reports false after the escalation")
	}
	// An overdue reminder went to the unit every day.
	overdue := 0
	for _, r := range w.n.reminders {
		if r.Kind == tasks.RemindOverdue && r.Member.TelegramID == tgHeadSNV {
			overdue++
		}
	}
	if overdue != 10 {
		t.Errorf("%d overdue reminders to the head, want 10 (one per round)", overdue)
	}

	// A new deadline that is missed again is escalated again, once.
	newDeadline := day(w.clock.Now()).AddDays(1)
	w.addTask(t, tasks.Task{Code: "LATE", Unit: "SNV", Deadline: newDeadline})
	for d := range 8 {
		w.clock.Set(at(hcm, 2026, 3, 12+d, 9, 0))
		w.tick(t, s)
	}
	if len(w.n.escalations) != 2 || w.n.escalations[1].Key != "escalate:LATE:"+newDeadline.String() {
		t.Fatalf("escalations %+v, want a second one for the new deadline", w.n.escalations)
	}
}

func TestScheduler_MeetingDigest(t *testing.T) {
	w := newWorld(t, at(hcm, 2026, 3, 4, 13, 58)) // Wednesday
	w.addTask(t, tasks.Task{Code: "A-1", Unit: "SNV", Deadline: tasks.Date{Year: 2026, Month: 2, Day: 1}})
	w.addTask(t, tasks.Task{Code: "A-2", Unit: "SNV", Status: tasks.Done, Progress: 100})
	var meeting tasks.Meeting
	w.store.mustUpdate(t, func(tx tasks.Tx) error {
		meeting = tasks.Meeting{Title: "Phiên họp thứ 3", Start: at(hcm, 2026, 3, 5, 14, 0)}
		if err := tx.PutMeeting(&meeting); err != nil {
			return err
		}
		old := tasks.Meeting{Title: "missed", Start: at(hcm, 2026, 3, 1, 9, 0)}
		return tx.PutMeeting(&old)
	})
	var charted []tasks.Digest
	s := w.scheduler(t, hcm, reminders.Rules{BeforeMeeting: 24 * time.Hour, QuietFrom: 20 * time.Hour, QuietTo: 7 * time.Hour},
		reminders.WithChart(func(d tasks.Digest) ([]byte, error) {
			charted = append(charted, d)
			return []byte("PNG"), nil
		}),
		reminders.WithNarrate(func(context.Context, tasks.Digest) string { return "narrative" }))

	when := w.tickEachMinute(t, s, at(hcm, 2026, 3, 4, 15, 0))
	if want := at(hcm, 2026, 3, 4, 14, 0); len(when) != 1 || !when[0].Equal(want) {
		t.Fatalf("digest at %v, want once at %v", when, want)
	}
	if len(w.n.digests) != 1 {
		t.Fatalf("%d digests, want 1 (none for a meeting already started)", len(w.n.digests))
	}
	dc := w.n.digests[0]
	if dc.Key != fmt.Sprintf("digest:meeting:%d", meeting.ID) || dc.Meeting.ID != meeting.ID {
		t.Errorf("digest key %s for meeting %d, want digest:meeting:%d", dc.Key, dc.Meeting.ID, meeting.ID)
	}
	if string(dc.Chart) != "PNG" || len(charted) != 1 {
		t.Errorf("chart %q after %d chart calls, want the chart func's PNG", dc.Chart, len(charted))
	}
	if got := dc.Digest.Total.Ratio(); got != "1/2 (50%)" {
		t.Errorf("digest total %s, want 1/2 (50%%)", got)
	}
	if dc.Digest.Narrative != "narrative" || dc.Digest.HasPrev {
		t.Errorf("narrative %q, has previous %v; want the narration and no previous digest", dc.Digest.Narrative, dc.Digest.HasPrev)
	}

	// A meeting added after its digest time gets it at the next tick, and
	// compares with the digest just sent. Its digest time falls in the
	// quiet hours: it waits for 07:00.
	w.clock.Set(at(hcm, 2026, 3, 4, 21, 0))
	w.addTask(t, tasks.Task{Code: "A-1", Unit: "SNV", Status: tasks.Done, Progress: 100, Deadline: tasks.Date{Year: 2026, Month: 2, Day: 1}})
	var late tasks.Meeting
	w.store.mustUpdate(t, func(tx tasks.Tx) error {
		late = tasks.Meeting{Title: "Họp bất thường", Start: at(hcm, 2026, 3, 5, 9, 0)}
		return tx.PutMeeting(&late)
	})
	when = w.tickEachMinute(t, s, at(hcm, 2026, 3, 5, 8, 0))
	if want := at(hcm, 2026, 3, 5, 7, 0); len(when) != 1 || !when[0].Equal(want) {
		t.Fatalf("late meeting's digest at %v, want once at %v", when, want)
	}
	dc = w.n.digests[1]
	if dc.Meeting.ID != late.ID || !dc.Digest.HasPrev || len(dc.Digest.Changes) != 1 || dc.Digest.Changes[0].Code != "A-1" {
		t.Errorf("second digest for meeting %d with changes %+v, want meeting %d with A-1 changed", dc.Meeting.ID, dc.Digest.Changes, late.ID)
	}
	if len(charted) != 2 {
		t.Errorf("chart called %d times, want 2", len(charted))
	}
	// A restart sends neither again.
	w.tick(t, w.scheduler(t, hcm, reminders.Rules{BeforeMeeting: 24 * time.Hour}))
	if len(w.n.digests) != 2 {
		t.Errorf("%d digests after a restart, want 2", len(w.n.digests))
	}
}

func TestScheduler_RemindNow(t *testing.T) {
	w := newWorld(t, at(hcm, 2026, 3, 2, 23, 0)) // in the quiet hours: /remind goes anyway
	w.addTask(t, tasks.Task{Code: "A-1", Unit: "SNV", Deadline: tasks.Date{Year: 2026, Month: 12, Day: 1}})
	w.addTask(t, tasks.Task{Code: "B-1", Unit: "STTTT"})
	s := w.scheduler(t, hcm, reminders.Rules{QuietFrom: 20 * time.Hour, QuietTo: 7 * time.Hour})
	for _, tc := range []struct {
		unit     string
		want     []string
		wantCode string
	}{
		{"snv", []string{"remind:1:SNV:3", "remind:1:SNV:4"}, ""},
		{"", []string{"remind:1:SNV:3", "remind:1:SNV:4", "remind:1:STTTT:6"}, ""},
		{"SXD", nil, ""}, // no open task: nobody to remind
		{"NOPE", nil, tasks.ENOTFOUND},
	} {
		t.Run(tc.unit, func(t *testing.T) {
			w.n.reset()
			var n int
			err := w.store.Update(context.Background(), func(tx tasks.Tx) error {
				var err error
				n, err = s.RemindNow(tx, tc.unit, "remind:1")
				return err
			})
			if tc.wantCode != "" {
				if got := tasks.ErrorCode(err); got != tc.wantCode {
					t.Fatalf("error %v, want code %s", err, tc.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := w.n.keys(); n != len(tc.want) || !slices.Equal(got, tc.want) {
				t.Fatalf("RemindNow=%d with keys %v, want %d: %v", n, got, len(tc.want), tc.want)
			}
			for _, r := range w.n.reminders {
				if r.Kind != tasks.RemindManual {
					t.Errorf("kind %s, want manual", r.Kind)
				}
			}
		})
	}
}

func TestNewScheduler_BadRules(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rules reminders.Rules
	}{
		{"garbage", reminders.Rules{Weekly: "every monday"}},
		{"minute out of range", reminders.Rules{Overdue: "61 9 * * *"}},
		{"bare time zone", reminders.Rules{Weekly: "CRON_TZ=UTC"}},
		{"never fires", reminders.Rules{Weekly: "0 0 30 2 *"}},
		{"quiet bound past midnight", reminders.Rules{QuietFrom: 25 * time.Hour}},
		{"negative due soon", reminders.Rules{DueSoonDays: []int{-1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := reminders.NewScheduler(newMemStore(), &fakeNotifier{}, hcm, tc.rules); err == nil {
				t.Fatalf("NewScheduler(%+v) returned no error", tc.rules)
			}
		})
	}
}

func TestScheduler_RunCatchesUpAndTicksOnTheClock(t *testing.T) {
	w := newWorld(t, at(hcm, 2026, 3, 2, 8, 0))
	// Run waits on the clock: here it moves only when the test moves it.
	w.clock = taskstest.NewClock(w.clock.Now())
	w.addTask(t, tasks.Task{Code: "A-1", Unit: "SNV", Deadline: tasks.Date{Year: 2026, Month: 12, Day: 1}})
	rules := reminders.Rules{Weekly: "30 8 * * MON"}
	w.tick(t, w.scheduler(t, hcm, rules))
	w.clock.Set(at(hcm, 2026, 3, 2, 9, 0)) // the 08:30 firing was missed

	s := w.scheduler(t, hcm, rules)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	waiting := func(what string) {
		t.Helper()
		if err := w.clock.BlockUntil(wctx, 1); err != nil {
			t.Fatalf("Run does not wait on the clock %s: %v", what, err)
		}
	}
	waiting("after catching up")
	if got := len(w.n.keys()); got != 2 {
		t.Fatalf("%d reminders after catching up, want 2 (head and delegate)", got)
	}
	// A week later on the clock, the next firing: Run wakes, ticks and
	// waits again.
	w.clock.Set(at(hcm, 2026, 3, 9, 8, 30))
	waiting("after next week's firing")
	if got := len(w.n.keys()); got != 4 {
		t.Errorf("%d reminders after next week's firing, want 4", got)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run returned %v, want nil", err)
		}
	case <-wctx.Done():
		t.Fatal("Run did not stop")
	}
}

func TestScheduler_DSTZone(t *testing.T) {
	// 08:30 every day in Berlin stays 08:30 local across the switch to
	// summer time (29 March 2026).
	berlin := mustLoad("Europe/Berlin")
	w := newWorld(t, at(berlin, 2026, 3, 28, 12, 0))
	w.addTask(t, tasks.Task{Code: "A-1", Unit: "SNV", Deadline: tasks.Date{Year: 2026, Month: 12, Day: 1}})
	s := w.scheduler(t, berlin, reminders.Rules{Weekly: "30 8 * * *"})
	when := w.tickEachMinute(t, s, at(berlin, 2026, 3, 30, 12, 0))
	want := []time.Time{at(berlin, 2026, 3, 29, 8, 30), at(berlin, 2026, 3, 30, 8, 30)}
	if !slices.EqualFunc(when, want, time.Time.Equal) {
		t.Fatalf("sent at %v, want %v", when, want)
	}
}

func TestParseSpec(t *testing.T) {
	tests := []struct {
		spec string
		ok   bool
	}{
		{"30 8 * * MON", true},
		{"0 9 * * MON-FRI", true},
		{"CRON_TZ=UTC 0 9 * * *", true},
		{"0 0 29 2 *", true}, // leap days come within five years
		{"@weekly", true},
		{"61 8 * * MON", false},
		{"CRON_TZ=UTC", false},
		{"TZ=UTC", false},
		{"CRON_TZ=", false},
		{"CRON_TZ=UTC\t0 9 * * *", false},
		{"0 0 31 4 *", false},
		{"", false},
		{"* * * *", false},
		{"0 9 * * * *", false},
	}
	for _, tt := range tests {
		_, err := reminders.ParseSpec(tt.spec)
		if (err == nil) != tt.ok {
			t.Errorf("ParseSpec(%q)=%v, want ok=%v", tt.spec, err, tt.ok)
		}
		if err != nil && !strings.HasPrefix(err.Error(), fmt.Sprintf("bad cron expression %q", tt.spec)) {
			t.Errorf("ParseSpec(%q)=%q, want it to name the expression", tt.spec, err)
		}
	}
}
