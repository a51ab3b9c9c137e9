package storage_test

import (
	"testing"
	"time"

	"steerbot/tasks"
)

// TestStore_DashState: a one-time link is taken once; links and sessions
// are swept once their TTL has passed, and not before.
func TestStore_DashState(t *testing.T) {
	s := MustOpen(t)
	made := at(2, 9)
	mustUpdate(t, s, func(tx tasks.Tx) error {
		if err := tx.PutDashLink(tasks.DashLink{ID: "l1", Member: 3, Created: made}); err != nil {
			return err
		}
		if err := tx.PutDashLink(tasks.DashLink{ID: "l2", Member: 3, Created: made}); err != nil {
			return err
		}
		return tx.PutDashSession(tasks.DashSession{ID: "s1", Member: 3, Created: made})
	})
	mustUpdate(t, s, func(tx tasks.Tx) error {
		l, err := tx.TakeDashLink("l1")
		if err != nil || l.Member != 3 {
			t.Fatalf("TakeDashLink=%+v,%v, want member 3", l, err)
		}
		if _, err := tx.TakeDashLink("l1"); !tasks.IsNotFound(err) {
			t.Fatalf("second TakeDashLink err=%v, want ENOTFOUND", err)
		}
		if err := tx.PutDashLink(tasks.DashLink{}); tasks.ErrorCode(err) != tasks.EINVALID {
			t.Fatalf("empty id err=%v, want EINVALID", err)
		}
		return nil
	})
	sweep := func(now time.Time) map[tasks.StateKind]int {
		var got map[tasks.StateKind]int
		mustUpdate(t, s, func(tx tasks.Tx) error {
			var err error
			got, err = tx.SweepState(now)
			return err
		})
		return got
	}
	if got := sweep(made.Add(5 * time.Minute)); got[tasks.StateDashLink] != 0 || got[tasks.StateDashSession] != 0 {
		t.Fatalf("swept %v five minutes on, want nothing", got)
	}
	if got := sweep(made.Add(11 * time.Minute)); got[tasks.StateDashLink] != 1 || got[tasks.StateDashSession] != 0 {
		t.Fatalf("swept %v eleven minutes on, want the link only", got)
	}
	if got := sweep(made.Add(13 * time.Hour)); got[tasks.StateDashSession] != 1 {
		t.Fatalf("swept %v thirteen hours on, want the session", got)
	}
	mustView(t, s, func(tx tasks.Tx) error {
		if _, err := tx.DashSession("s1"); !tasks.IsNotFound(err) {
			t.Fatalf("session after sweep err=%v, want ENOTFOUND", err)
		}
		return nil
	})
}

// TestStore_Snapshots lists the newest snapshots, oldest first.
func TestStore_Snapshots(t *testing.T) {
	s := MustOpen(t)
	mustUpdate(t, s, func(tx tasks.Tx) error {
		for i := 1; i <= 5; i++ {
			if err := tx.PutSnapshot(tasks.Snapshot{At: at(i, 0), Tasks: nil}); err != nil {
				return err
			}
		}
		return nil
	})
	mustView(t, s, func(tx tasks.Tx) error {
		got, err := tx.Snapshots(3)
		if err != nil {
			return err
		}
		if len(got) != 3 || !got[0].At.Equal(at(3, 0)) || !got[2].At.Equal(at(5, 0)) {
			t.Fatalf("Snapshots(3)=%v, want days 3..5", got)
		}
		all, err := tx.Snapshots(0)
		if err != nil || len(all) != 5 {
			t.Fatalf("Snapshots(0)=%d,%v, want 5", len(all), err)
		}
		return nil
	})
}
