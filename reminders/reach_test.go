package reminders_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"steerbot/reminders"
	"steerbot/tasks"
)

// unitCodesOf returns the unit codes an Unreached names.
func unitCodesOf(u tasks.Unreached) []string {
	var cs []string
	for _, x := range u.Units {
		cs = append(cs, x.Unit.Code)
	}
	return cs
}

func TestScheduler_UnreachedUnitsToldOnceADay(t *testing.T) {
	now := at(hcm, 2026, 3, 2, 8, 0) // Monday
	w := newWorld(t, now)
	w.store.mustUpdate(t, func(tx tasks.Tx) error {
		for _, u := range []tasks.Unit{{Code: "SYT", Name: "Sở Y tế"}, {Code: "STC", Name: "Sở Tài chính"}} {
			if err := tx.PutUnit(u); err != nil {
				return err
			}
		}
		// STC's head blocked the bot; SYT has nobody at all.
		m := tasks.Member{Name: "Head STC", Role: tasks.RoleUnitHead, Unit: "STC", TelegramID: 666}
		if err := tx.PutMember(&m); err != nil {
			return err
		}
		return tasks.MarkBlocked(tx, 666, now)
	})
	for _, tk := range []tasks.Task{{Code: "A-1", Unit: "SNV"}, {Code: "Y-1", Unit: "SYT"}, {Code: "T-1", Unit: "STC"}} {
		w.addTask(t, tk)
	}
	s := w.scheduler(t, hcm, reminders.Rules{Weekly: "30 8 * * MON", Overdue: "0 9,15 * * *", QuietFrom: 20 * time.Hour, QuietTo: 7 * time.Hour})
	w.tick(t, s)
	w.clock.Set(at(hcm, 2026, 3, 2, 8, 30))
	w.tick(t, s)
	if len(w.n.unreached) != 1 {
		t.Fatalf("%d unreached messages after the weekly run, want 1", len(w.n.unreached))
	}
	u := w.n.unreached[0]
	if got := unitCodesOf(u); !slices.Equal(got, []string{"STC", "SYT"}) {
		t.Fatalf("unreached units %v, want STC (blocked) and SYT (nobody linked)", got)
	}
	if len(u.To) != 1 || u.To[0].TelegramID != tgSecretary {
		t.Fatalf("told %+v, want the secretary only", u.To)
	}
	for _, x := range u.Units {
		if x.Invite.Token == "" || x.Invite.Role != tasks.RoleUnitHead || x.Invite.Unit != x.Unit.Code || !x.Invite.Expires.After(now) {
			t.Fatalf("invite for %s = %+v, want a fresh unit-head invite", x.Unit.Code, x.Invite)
		}
	}
	if x := u.Units[1]; x.Unit.Name != "Sở Y tế" {
		t.Fatalf("unit named %q, want its name", x.Unit.Name)
	}
	// Later runs the same day say nothing more; the next day's run does.
	w.clock.Set(at(hcm, 2026, 3, 2, 9, 0))
	w.tick(t, s)
	w.clock.Set(at(hcm, 2026, 3, 2, 15, 0))
	w.tick(t, s)
	if len(w.n.unreached) != 1 {
		t.Fatalf("%d unreached messages on the same day, want 1", len(w.n.unreached))
	}
	w.clock.Set(at(hcm, 2026, 3, 3, 9, 0))
	w.tick(t, s)
	if len(w.n.unreached) != 2 {
		t.Fatalf("%d unreached messages the next day, want 2", len(w.n.unreached))
	}
	// Four days on, the first day's invites have expired and are gone;
	// the fresh ones stay.
	w.clock.Set(at(hcm, 2026, 3, 6, 9, 0))
	w.tick(t, s)
	w.store.mustUpdate(t, func(tx tasks.Tx) error {
		invs, err := tx.Invites()
		for _, inv := range invs {
			if !w.clock.Now().Before(inv.Expires) {
				t.Errorf("expired invite %+v kept", inv)
			}
		}
		if len(invs) == 0 {
			t.Error("no invite left")
		}
		return err
	})
	// Once the blocked head writes again, only SYT is left.
	w.store.mustUpdate(t, func(tx tasks.Tx) error {
		ms, err := tx.Members()
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.TelegramID == 666 {
				return tasks.Unblock(tx, &m)
			}
		}
		return nil
	})
	w.clock.Set(at(hcm, 2026, 3, 7, 9, 0))
	w.tick(t, s)
	if got := unitCodesOf(w.n.unreached[len(w.n.unreached)-1]); !slices.Equal(got, []string{"SYT"}) {
		t.Fatalf("unreached after STC wrote again: %v, want SYT", got)
	}
}

func TestScheduler_UnreachedNeverInQuietHours(t *testing.T) {
	now := at(hcm, 2026, 3, 2, 20, 0)
	w := newWorld(t, now)
	w.store.mustUpdate(t, func(tx tasks.Tx) error { return tx.PutUnit(tasks.Unit{Code: "SYT", Name: "Sở Y tế"}) })
	w.addTask(t, tasks.Task{Code: "Y-1", Unit: "SYT"})
	s := w.scheduler(t, hcm, reminders.Rules{Overdue: "30 21 * * *", QuietFrom: 21 * time.Hour, QuietTo: 7 * time.Hour})
	w.tick(t, s)
	w.clock.Set(at(hcm, 2026, 3, 2, 21, 30))
	w.tick(t, s)
	if len(w.n.unreached) != 0 {
		t.Fatalf("told of unreached units at 21:30, in quiet hours")
	}
	w.clock.Set(at(hcm, 2026, 3, 3, 7, 0))
	w.tick(t, s)
	if len(w.n.unreached) != 1 {
		t.Fatalf("%d unreached messages after quiet hours, want 1", len(w.n.unreached))
	}
}

func TestScheduler_AwayMovesRemindersAndBack(t *testing.T) {
	now := at(hcm, 2026, 3, 2, 8, 0) // Monday
	w := newWorld(t, now)
	w.addTask(t, tasks.Task{Code: "A-1", Unit: "SNV"})
	var headID int64
	w.store.mustUpdate(t, func(tx tasks.Tx) error {
		ms, err := tx.Members()
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.TelegramID == tgHeadSNV {
				m.Away = tasks.Absence{From: day(now), To: day(now).AddDays(4), SetBy: m.ID}
				headID = m.ID
				return tx.PutMember(&m)
			}
		}
		return nil
	})
	s := w.scheduler(t, hcm, reminders.Rules{Weekly: "30 8 * * MON"})
	w.tick(t, s)
	w.clock.Set(at(hcm, 2026, 3, 2, 8, 30))
	w.tick(t, s)
	if got := recipients(w.n.reminders); !slices.Equal(got, []int64{tgDelegate}) {
		t.Fatalf("recipients while the head is away: %v, want the delegate only", got)
	}
	if r := w.n.reminders[0]; len(r.For) != 1 || r.For[0].ID != headID {
		t.Fatalf("the delegate's reminder stands in for %+v, want the head", r.For)
	}
	w.n.reset()
	w.clock.Set(at(hcm, 2026, 3, 9, 8, 30)) // after TO
	w.tick(t, s)
	if got := recipients(w.n.reminders); !slices.Equal(got, []int64{tgHeadSNV, tgDelegate}) {
		t.Fatalf("recipients after the absence: %v, want the head and the delegate", got)
	}
	for _, r := range w.n.reminders {
		if len(r.For) != 0 {
			t.Fatalf("reminder %s still stands in for %+v", r.Key, r.For)
		}
	}
}

func TestScheduler_ChaseOnlySilentUnits(t *testing.T) {
	now := at(hcm, 2026, 3, 2, 8, 0) // Monday
	w := newWorld(t, now)
	for _, tk := range []tasks.Task{{Code: "A-1", Unit: "SNV"}, {Code: "B-1", Unit: "STTTT"}, {Code: "B-2", Unit: "STTTT"}} {
		w.addTask(t, tk)
	}
	s := w.scheduler(t, hcm, reminders.Rules{Weekly: "30 8 * * MON", Chase: "0 9 * * THU"})
	w.tick(t, s)
	w.clock.Set(at(hcm, 2026, 3, 2, 8, 30))
	w.tick(t, s)
	// SNV reports on Tuesday; STTTT says nothing.
	w.store.mustUpdate(t, func(tx tasks.Tx) error {
		head, err := tx.MemberByTelegram(tgHeadSNV)
		if err != nil {
			return err
		}
		tk, err := tx.Task("A-1")
		if err != nil {
			return err
		}
		_, err = tasks.Policy{}.Commit(tx, &tk, tasks.Change{Progress: tasks.IntPtr(40)}, head, tasks.ViaReply, at(hcm, 2026, 3, 3, 10, 0))
		return err
	})
	w.n.reset()
	w.clock.Set(at(hcm, 2026, 3, 5, 9, 0))
	w.tick(t, s)
	if got := recipients(w.n.reminders); !slices.Equal(got, []int64{tgHeadSTTTT}) {
		t.Fatalf("chased %v, want STTTT's head only", got)
	}
	r := w.n.reminders[0]
	if r.Kind != tasks.RemindChase || !slices.Equal(codes(r.Tasks), []string{"B-1", "B-2"}) {
		t.Fatalf("chase %s with %v, want a chase of B-1 and B-2", r.Kind, codes(r.Tasks))
	}
}

func TestScheduler_WeeklyChairsCountReportedUnits(t *testing.T) {
	now := at(hcm, 2026, 3, 2, 8, 0)
	w := newWorld(t, now)
	today := day(now)
	for _, tk := range []tasks.Task{{Code: "A-1", Unit: "SNV", Deadline: today.AddDays(-3)}, {Code: "B-1", Unit: "STTTT"}} {
		w.addTask(t, tk)
	}
	s := w.scheduler(t, hcm, reminders.Rules{Weekly: "30 8 * * MON"})
	w.tick(t, s)
	w.clock.Set(at(hcm, 2026, 3, 2, 8, 30))
	w.tick(t, s)
	w.store.mustUpdate(t, func(tx tasks.Tx) error {
		head, err := tx.MemberByTelegram(tgHeadSTTTT)
		if err != nil {
			return err
		}
		tk, err := tx.Task("B-1")
		if err != nil {
			return err
		}
		_, err = tasks.Policy{}.Commit(tx, &tk, tasks.Change{Progress: tasks.IntPtr(40)}, head, tasks.ViaReply, at(hcm, 2026, 3, 4, 10, 0))
		return err
	})
	w.n.reset()
	w.clock.Set(at(hcm, 2026, 3, 9, 8, 30))
	w.tick(t, s)
	for _, r := range w.n.reminders {
		if r.Member.TelegramID == tgChair {
			if r.Reported != 1 || r.Units != 2 {
				t.Fatalf("chairs' note says %d/%d units reported, want 1/2", r.Reported, r.Units)
			}
			return
		}
	}
	t.Fatal("no weekly note to the chair")
}

func TestScheduler_EscalationsInOneMessage(t *testing.T) {
	now := at(hcm, 2026, 3, 2, 8, 0)
	w := newWorld(t, now)
	today := day(now)
	for i, late := range []int{5, 30, 12, 7, 21} {
		unit := []string{"SNV", "STTTT"}[i%2]
		w.addTask(t, tasks.Task{Code: "L-" + string(rune('A'+i)), Unit: unit, Deadline: today.AddDays(-late)})
	}
	s := w.scheduler(t, hcm, reminders.Rules{Overdue: "0 9 * * *", EscalateAfterDays: 3})
	w.tick(t, s)
	w.clock.Set(at(hcm, 2026, 3, 2, 9, 0))
	w.tick(t, s)
	if len(w.n.escalationRuns) != 1 {
		t.Fatalf("%d escalation messages, want 1", len(w.n.escalationRuns))
	}
	var got []int
	for _, e := range w.n.escalationRuns[0] {
		got = append(got, e.DaysLate)
		if e.Unit.Name == "" || e.Unit.Name == e.Unit.Code {
			t.Errorf("escalation of %s names unit %+v, want its name", e.Task.Code, e.Unit)
		}
	}
	if !slices.Equal(got, []int{30, 21, 12, 7, 5}) {
		t.Fatalf("days late in order %v, want most late first", got)
	}
	var committee int
	for _, m := range w.store.outbox() {
		if strings.HasPrefix(m.Key, "escalate:") {
			committee++
		}
	}
	if committee != 1 {
		t.Fatalf("%d escalation posts in the outbox, want 1", committee)
	}
	// The next run: nothing new to escalate, nothing posted.
	w.clock.Set(at(hcm, 2026, 3, 3, 9, 0))
	w.tick(t, s)
	if len(w.n.escalationRuns) != 1 {
		t.Fatalf("%d escalation messages after the next run, want still 1", len(w.n.escalationRuns))
	}
}

func TestOutbox_BlockedRecipientMarkedOnMember(t *testing.T) {
	const blocked = 7
	o, store, _, _ := newOutbox(t, func(m tasks.OutMessage, _ int) error {
		if m.ChatID == blocked {
			return &tasks.SendError{Permanent: true, Blocked: true, Err: errors.New("Forbidden: bot was blocked by the user")}
		}
		return &tasks.SendError{Permanent: true, Err: errors.New("Bad Request: message is too long")}
	})
	store.mustUpdate(t, func(tx tasks.Tx) error {
		for _, m := range []tasks.Member{
			{Name: "Blocker", Role: tasks.RoleUnitHead, Unit: "SNV", TelegramID: blocked},
			{Name: "Other", Role: tasks.RoleUnitHead, Unit: "STC", TelegramID: 8},
		} {
			if err := tx.PutMember(&m); err != nil {
				return err
			}
		}
		return nil
	})
	enqueue(t, store, blocked, "b1", time.Time{})
	enqueue(t, store, 8, "bad", time.Time{})
	drain(t, o)
	store.mustUpdate(t, func(tx tasks.Tx) error {
		b, err := tx.MemberByTelegram(blocked)
		if err != nil {
			return err
		}
		if b.BlockedAt.IsZero() || b.Reachable() {
			t.Errorf("member who blocked the bot: BlockedAt %v, want set", b.BlockedAt)
		}
		other, err := tx.MemberByTelegram(8)
		if err != nil {
			return err
		}
		if !other.BlockedAt.IsZero() {
			t.Errorf("a bad request marked member 8 as blocked")
		}
		return nil
	})
}
