package storage_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"

	"steerbot/storage"
	"steerbot/tasks"
)

func TestStore_PruneOutbox(t *testing.T) {
	s := MustOpen(t)
	// Day d of March at 01:00; the cut is 10 March.
	type msg struct {
		key     string
		day     int
		state   tasks.OutState
		sentID  int // Telegram's id once sent
		editsID int // the message this one edits
	}
	msgs := []msg{
		{"sent-1", 1, tasks.OutSent, 41, 0},
		{"failed-2", 2, tasks.OutFailed, 0, 0},
		{"queued-3", 3, tasks.OutQueued, 0, 0},
		{"sent-4", 4, tasks.OutSent, 44, 0},
		{"", 5, tasks.OutSent, 45, 0}, // no key
		{"edit-of-44", 12, tasks.OutSent, 44, 44},
		{"sent-20", 20, tasks.OutSent, 60, 0},
		{"queued-21", 21, tasks.OutQueued, 0, 0},
	}
	ids := map[string]uint64{}
	mustUpdate(t, s, func(tx tasks.Tx) error {
		for _, m := range msgs {
			om := tasks.OutMessage{Key: m.key, ChatID: 5, Text: m.key, TaskCodes: []string{"A-1"}, EditMessageID: m.editsID, Created: at(m.day, 1)}
			if _, err := tx.Enqueue(&om); err != nil {
				return err
			}
			ids[m.key] = om.ID
			if m.state == tasks.OutQueued {
				continue
			}
			om.State, om.SentMessageID = m.state, m.sentID
			if err := tx.PutOutMessage(om); err != nil {
				return err
			}
		}
		return nil
	})

	var n int
	mustUpdate(t, s, func(tx tasks.Tx) error {
		var err error
		n, err = tx.PruneOutbox(at(10, 0))
		return err
	})
	if n != 4 {
		t.Errorf("PruneOutbox deleted %d, want 4 (sent-1, failed-2, sent-4 and the one without a key)", n)
	}
	mustView(t, s, func(tx tasks.Tx) error {
		var left []string
		for _, m := range msgs {
			if _, err := tx.OutMessage(ids[m.key]); err == nil {
				left = append(left, m.key)
			} else if !tasks.IsNotFound(err) {
				t.Errorf("OutMessage(%s): %v", m.key, err)
			}
		}
		if want := []string{"queued-3", "edit-of-44", "sent-20", "queued-21"}; !slices.Equal(left, want) {
			t.Errorf("outbox holds %v, want %v", left, want)
		}
		if _, err := tx.MessageRef(5, 41); !tasks.IsNotFound(err) {
			t.Errorf("MessageRef of a pruned message: err=%v, want ENOTFOUND", err)
		}
		// The edit took message 44's ref over: it stays with the edit.
		if ref, err := tx.MessageRef(5, 44); err != nil || ref.OutID != ids["edit-of-44"] {
			t.Errorf("MessageRef(44)=%+v,%v, want the edit's (out id %d)", ref, err, ids["edit-of-44"])
		}
		if ref, err := tx.MessageRef(5, 60); err != nil || ref.OutID != ids["sent-20"] {
			t.Errorf("MessageRef(60)=%+v,%v, want sent-20's", ref, err)
		}
		if q, _ := tx.Queued(0); len(q) != 2 || q[0].Key != "queued-3" || q[1].Key != "queued-21" {
			t.Errorf("Queued=%v, want queued-3 and queued-21", q)
		}
		return nil
	})
	// A pruned key is free again; the kept ones still deduplicate.
	mustUpdate(t, s, func(tx tasks.Tx) error {
		for key, want := range map[string]bool{"sent-1": true, "failed-2": true, "queued-3": false, "sent-20": false} {
			if added, err := tx.Enqueue(&tasks.OutMessage{Key: key, ChatID: 5, Created: at(25, 0)}); err != nil || added != want {
				t.Errorf("Enqueue(%s)=%v,%v, want added=%v", key, added, err, want)
			}
		}
		return nil
	})

	// A second prune at the same cut finds nothing; a later cut stops at
	// the first message created after it.
	mustUpdate(t, s, func(tx tasks.Tx) error {
		if n, err := tx.PruneOutbox(at(10, 0)); n != 0 || err != nil {
			t.Errorf("second PruneOutbox=%d,%v, want 0", n, err)
		}
		if n, err := tx.PruneOutbox(at(24, 0)); n != 2 || err != nil {
			t.Errorf("PruneOutbox(24 March)=%d,%v, want 2 (the edit and sent-20)", n, err)
		}
		return nil
	})
	mustView(t, s, func(tx tasks.Tx) error {
		if _, err := tx.MessageRef(5, 44); !tasks.IsNotFound(err) {
			t.Errorf("MessageRef(44) after its edit was pruned: err=%v, want ENOTFOUND", err)
		}
		return nil
	})

	err := s.View(context.Background(), func(tx tasks.Tx) error { _, err := tx.PruneOutbox(at(30, 0)); return err })
	if !errors.Is(err, storage.ErrTxNotWritable) || !errors.Is(err, bolt.ErrTxNotWritable) {
		t.Errorf("PruneOutbox in View err=%v, want ErrTxNotWritable", err)
	}
}

// BenchmarkPruneOutbox measures a daily prune that finds nothing to delete
// in front of a large recent outbox: it must stop at the first recent
// message, not read them all.
func BenchmarkPruneOutbox(b *testing.B) {
	s := MustOpen(b)
	mustUpdate(b, s, func(tx tasks.Tx) error {
		for i := range 20000 {
			m := tasks.OutMessage{Key: fmt.Sprint("k", i), ChatID: 5, Text: "x", Created: at(20, 0)}
			if _, err := tx.Enqueue(&m); err != nil {
				return err
			}
			m.State, m.SentMessageID = tasks.OutSent, i+1
			if err := tx.PutOutMessage(m); err != nil {
				return err
			}
		}
		return nil
	})
	b.ResetTimer()
	for range b.N {
		mustUpdate(b, s, func(tx tasks.Tx) error {
			n, err := tx.PruneOutbox(at(10, 0))
			if n != 0 {
				b.Fatalf("pruned %d, want 0", n)
			}
			return err
		})
	}
}
