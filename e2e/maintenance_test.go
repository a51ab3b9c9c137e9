package e2e_test

import (
	"context"
	"testing"
	"time"

	"steerbot/reminders"
	"steerbot/tasks"
	"steerbot/tasks/taskstest"
)

// nopSender delivers everything; the maintenance test sends nothing.
type nopSender struct{}

func (nopSender) Send(context.Context, tasks.OutMessage) (int, error) { return 1, nil }

// TestMaintenanceSweepsEndedState is the acceptance test of typed state
// with an end: a pending choice, an album and an unconfirmed proposal are
// written, the clock moves past their expiry, the daily maintenance (the
// outbox's, which also prunes old messages) runs in the real store, and
// they are gone, while the ones written a day before that run are kept and
// the counts say so.
func TestMaintenanceSweepsEndedState(t *testing.T) {
	st := openStore(t, t.TempDir()+"/steerbot.db")
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := taskstest.NewClock(start)
	write := func(id int64, album string) {
		t.Helper()
		now := clock.Now()
		err := st.Update(context.Background(), func(tx tasks.Tx) error {
			if err := tx.PutPendingChoice(tasks.PendingChoice{ID: id, Member: 3, Text: "CCHC-01 và CCHC-02 đã xong", Created: now}); err != nil {
				return err
			}
			if err := tx.PutAlbum(tasks.Album{ID: album, Pending: id, Created: now}); err != nil {
				return err
			}
			return tx.PutProposal(tasks.PendingProposal{ID: id, Member: 3, Text: "đã gửi dự thảo",
				Proposal: tasks.Proposal{Task: "CCHC-01", Note: "đã gửi dự thảo"}, Created: now})
		})
		if err != nil {
			t.Fatalf("write state: %v", err)
		}
	}
	write(1, "album-old")
	clock.Advance(3 * 24 * time.Hour) // 5 March: the first set ends now
	write(2, "album-new")

	o := reminders.NewOutbox(st, nopSender{}, reminders.WithOutboxClock(clock))
	if err := o.Drain(context.Background()); err != nil {
		t.Fatalf("drain: %v", err)
	}
	swept := o.Stats().Swept
	for _, k := range []tasks.StateKind{tasks.StatePendingChoice, tasks.StateAlbum, tasks.StateProposal} {
		if swept[k] != 1 {
			t.Errorf("Stats().Swept[%s]=%d, want 1", k, swept[k])
		}
	}
	err := st.View(context.Background(), func(tx tasks.Tx) error {
		if _, err := tx.PendingChoice(1); !tasks.IsNotFound(err) {
			t.Errorf("pending choice past its end: err=%v, want it gone", err)
		}
		if _, err := tx.Album("album-old"); !tasks.IsNotFound(err) {
			t.Errorf("album past its end: err=%v, want it gone", err)
		}
		if _, err := tx.Proposal(1); !tasks.IsNotFound(err) {
			t.Errorf("proposal past its end: err=%v, want it gone", err)
		}
		if _, err := tx.PendingChoice(2); err != nil {
			t.Errorf("fresh pending choice: %v, want it kept", err)
		}
		if _, err := tx.Album("album-new"); err != nil {
			t.Errorf("fresh album: %v, want it kept", err)
		}
		if _, err := tx.Proposal(2); err != nil {
			t.Errorf("fresh proposal: %v, want it kept", err)
		}
		counts, err := tx.StateCounts()
		if err != nil {
			return err
		}
		for _, k := range []tasks.StateKind{tasks.StatePendingChoice, tasks.StateAlbum, tasks.StateProposal} {
			if counts[k] != 1 {
				t.Errorf("StateCounts[%s]=%d, want 1 (the fresh one)", k, counts[k])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// The maintenance runs once a day: an hour later nothing more goes,
	// a day later the rest has ended (album 2 days, the others 3).
	clock.Advance(time.Hour)
	if err := o.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := o.Stats().Swept[tasks.StatePendingChoice]; got != 1 {
		t.Errorf("Swept after a second pass within the day=%d, want still 1", got)
	}
	clock.Advance(3 * 24 * time.Hour)
	if err := o.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, k := range []tasks.StateKind{tasks.StatePendingChoice, tasks.StateAlbum, tasks.StateProposal} {
		if got := o.Stats().Swept[k]; got != 2 {
			t.Errorf("Swept[%s] three days later=%d, want 2", k, got)
		}
	}
}
