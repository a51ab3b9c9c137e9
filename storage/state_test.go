package storage_test

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"steerbot/storage"
	"steerbot/tasks"
	"steerbot/tasks/taskstest"
)

// TestStore_SweepState is the acceptance test at the store: a
// pending choice, an album and an unconfirmed proposal (and drafts and a
// job) made on 1 March are gone after the sweep of a day past their ends,
// while the ones made the day before that sweep stay.
func TestStore_SweepState(t *testing.T) {
	s := MustOpen(t)
	old, fresh := at(1, 9), at(9, 9)
	proposal := tasks.Proposal{Task: "CCHC-1", Note: "đã gửi dự thảo"}
	mustUpdate(t, s, func(tx tasks.Tx) error {
		for i, created := range []time.Time{old, fresh} {
			id := int64(100 + i)
			if err := tx.PutPendingChoice(tasks.PendingChoice{ID: id, Member: 3, Text: "xong rồi", Created: created}); err != nil {
				return err
			}
			if err := tx.PutAlbum(tasks.Album{ID: "album-" + string(rune('a'+i)), Pending: id, Created: created}); err != nil {
				return err
			}
			if err := tx.PutProposal(tasks.PendingProposal{ID: id, Member: 3, Text: "đã gửi", Proposal: proposal, Created: created}); err != nil {
				return err
			}
			if err := tx.PutDraftSet(tasks.DraftSet{ID: id, Member: 1, Drafts: []tasks.Draft{{Title: "x"}}, State: []tasks.DraftState{""}, Created: created}); err != nil {
				return err
			}
			if err := tx.PutAssistJob(tasks.AssistJob{ID: id, Kind: "update", Member: 3, Created: created}); err != nil {
				return err
			}
		}
		return nil
	})
	counts := func() map[tasks.StateKind]int {
		var c map[tasks.StateKind]int
		mustView(t, s, func(tx tasks.Tx) error {
			var err error
			c, err = tx.StateCounts()
			return err
		})
		return c
	}
	for _, k := range []tasks.StateKind{tasks.StatePendingChoice, tasks.StateAlbum, tasks.StateProposal, tasks.StateDrafts, tasks.StateAssistJob} {
		if got := counts()[k]; got != 2 {
			t.Errorf("StateCounts[%s]=%d before the sweep, want 2", k, got)
		}
	}

	// 10 March 09:00: past every end of 1 March's records (the longest,
	// drafts, ended on 8 March), within every end of 9 March's.
	var swept map[tasks.StateKind]int
	mustUpdate(t, s, func(tx tasks.Tx) error {
		var err error
		swept, err = tx.SweepState(at(10, 9))
		return err
	})
	for _, k := range []tasks.StateKind{tasks.StatePendingChoice, tasks.StateAlbum, tasks.StateProposal, tasks.StateDrafts, tasks.StateAssistJob} {
		if swept[k] != 1 {
			t.Errorf("swept[%s]=%d, want 1", k, swept[k])
		}
		if got := counts()[k]; got != 1 {
			t.Errorf("StateCounts[%s]=%d after the sweep, want 1 (the fresh one)", k, got)
		}
	}
	mustView(t, s, func(tx tasks.Tx) error {
		if _, err := tx.PendingChoice(100); !tasks.IsNotFound(err) {
			t.Errorf("old pending choice after the sweep: err=%v, want ENOTFOUND", err)
		}
		if _, err := tx.Album("album-a"); !tasks.IsNotFound(err) {
			t.Errorf("old album after the sweep: err=%v, want ENOTFOUND", err)
		}
		if _, err := tx.Proposal(100); !tasks.IsNotFound(err) {
			t.Errorf("old proposal after the sweep: err=%v, want ENOTFOUND", err)
		}
		if p, err := tx.PendingChoice(101); err != nil || p.Text != "xong rồi" || !p.Created.Equal(fresh) {
			t.Errorf("fresh pending choice=%+v,%v, want it kept", p, err)
		}
		if a, err := tx.Album("album-b"); err != nil || a.Pending != 101 {
			t.Errorf("fresh album=%+v,%v, want it kept", a, err)
		}
		if p, err := tx.Proposal(101); err != nil || !reflect.DeepEqual(p.Proposal, proposal) {
			t.Errorf("fresh proposal=%+v,%v, want it kept", p, err)
		}
		if js, err := tx.AssistJobs(); err != nil || len(js) != 1 || js[0].ID != 101 {
			t.Errorf("AssistJobs=%+v,%v, want job 101 only", js, err)
		}
		return nil
	})
}

func TestStore_StateRecords(t *testing.T) {
	s := MustOpen(t)
	mustUpdate(t, s, func(tx tasks.Tx) error {
		invalid := map[string]error{
			"PendingChoice ID 0": tx.PutPendingChoice(tasks.PendingChoice{}),
			"Album ID empty":     tx.PutAlbum(tasks.Album{Task: "X"}),
			"Proposal ID 0":      tx.PutProposal(tasks.PendingProposal{}),
			"DraftSet states":    tx.PutDraftSet(tasks.DraftSet{ID: 1, Drafts: []tasks.Draft{{Title: "x"}}}),
			"AssistJob ID 0":     tx.PutAssistJob(tasks.AssistJob{}),
			"DecisionCopy key":   tx.PutDecisionCopy(tasks.DecisionCopy{OutID: 1}),
			"ReminderMark kind":  tx.PutReminderMark(tasks.ReminderMark{Kind: tasks.StateAlbum, Task: "X"}),
		}
		for name, err := range invalid {
			if tasks.ErrorCode(err) != tasks.EINVALID {
				t.Errorf("%s: err=%v, want EINVALID", name, err)
			}
		}
		if err := tx.PutPendingChoice(tasks.PendingChoice{ID: 7, Member: 3, Text: "a", Atts: []tasks.Attachment{{FileID: "f"}}, Created: at(1, 1)}); err != nil {
			return err
		}
		if err := tx.DeletePendingChoice(7); err != nil {
			return err
		}
		if err := tx.DeletePendingChoice(7); err != nil {
			t.Errorf("DeletePendingChoice(absent)=%v, want nil", err)
		}
		if _, err := tx.PendingChoice(7); !tasks.IsNotFound(err) {
			t.Errorf("PendingChoice(deleted) err=%v, want ENOTFOUND", err)
		}
		if err := tx.PutAssistJob(tasks.AssistJob{ID: 9, Kind: "update"}); err != nil {
			return err
		}
		if err := tx.PutAssistJob(tasks.AssistJob{ID: 8, Kind: "conclusions"}); err != nil {
			return err
		}
		if js, _ := tx.AssistJobs(); len(js) != 2 || js[0].ID != 8 || js[1].ID != 9 {
			t.Errorf("AssistJobs=%+v, want 8 then 9", js)
		}
		return tx.DeleteAssistJob(9)
	})
	mustView(t, s, func(tx tasks.Tx) error {
		if js, _ := tx.AssistJobs(); len(js) != 1 || js[0].ID != 8 {
			t.Errorf("AssistJobs after delete=%+v, want 8", js)
		}
		return nil
	})
}

// TestStore_SweepStateEnds checks the kinds whose end is not an age: a
// decision copy ends with its outbox message, a due-soon mark the second
// day after its deadline, an escalation a year after it.
func TestStore_SweepStateEnds(t *testing.T) {
	s := MustOpen(t)
	deadline := tasks.Date{Year: 2026, Month: 3, Day: 5}
	soon := tasks.ReminderMark{Kind: tasks.StateDueSoon, Task: "cchc-1", Deadline: deadline, Days: 3, At: at(2, 8)}
	esc := tasks.ReminderMark{Kind: tasks.StateEscalation, Task: "CCHC-1", Deadline: deadline, At: at(12, 8)}
	mustUpdate(t, s, func(tx tasks.Tx) error {
		for i, created := range []time.Time{at(1, 1), at(20, 1)} {
			m := tasks.OutMessage{Key: "ext:1:ask:" + string(rune('1'+i)), ChatID: 5, Text: "x", Created: created}
			if _, err := tx.Enqueue(&m); err != nil {
				return err
			}
			m.State, m.SentMessageID = tasks.OutSent, 10+i
			if err := tx.PutOutMessage(m); err != nil {
				return err
			}
			if err := tx.PutDecisionCopy(tasks.DecisionCopy{Key: m.Key, OutID: m.ID, Created: created}); err != nil {
				return err
			}
		}
		if err := tx.PutReminderMark(soon); err != nil {
			return err
		}
		return tx.PutReminderMark(esc)
	})
	mustUpdate(t, s, func(tx tasks.Tx) error {
		if ok, err := tx.ReminderMarked(tasks.ReminderMark{Kind: tasks.StateDueSoon, Task: "CCHC-1", Deadline: deadline, Days: 3}); !ok || err != nil {
			t.Errorf("ReminderMarked(due soon, other case, no At)=%v,%v, want true", ok, err)
		}
		if ok, _ := tx.ReminderMarked(tasks.ReminderMark{Kind: tasks.StateDueSoon, Task: "CCHC-1", Deadline: deadline, Days: 1}); ok {
			t.Error("ReminderMarked(another threshold)=true, want false")
		}
		if _, err := tx.PruneOutbox(at(10, 0)); err != nil {
			return err
		}
		// 6 March: the due-soon mark of 5 March's deadline lives one more day.
		swept, err := tx.SweepState(time.Date(2026, 3, 6, 12, 0, 0, 0, time.UTC))
		if err != nil {
			return err
		}
		if swept[tasks.StateDecisionCopy] != 1 || swept[tasks.StateDueSoon] != 0 || swept[tasks.StateEscalation] != 0 {
			t.Errorf("swept on 6 March=%v, want the copy whose message was pruned only", swept)
		}
		if _, err := tx.DecisionCopy("ext:1:ask:1"); !tasks.IsNotFound(err) {
			t.Errorf("copy of a pruned message err=%v, want ENOTFOUND", err)
		}
		if c, err := tx.DecisionCopy("ext:1:ask:2"); err != nil || c.OutID == 0 {
			t.Errorf("copy of a kept message=%+v,%v", c, err)
		}
		swept, err = tx.SweepState(at(7, 0))
		if err != nil {
			return err
		}
		if swept[tasks.StateDueSoon] != 1 || swept[tasks.StateEscalation] != 0 {
			t.Errorf("swept on 7 March=%v, want the due-soon mark only", swept)
		}
		counts, err := tx.StateCounts()
		if err != nil {
			return err
		}
		if counts[tasks.StateEscalation] != 1 || counts[tasks.StateDueSoon] != 0 || counts[tasks.StateDecisionCopy] != 1 {
			t.Errorf("StateCounts=%v, want one escalation and one copy", counts)
		}
		swept, err = tx.SweepState(time.Date(2027, 3, 5, 0, 0, 0, 0, time.UTC))
		if err != nil {
			return err
		}
		if swept[tasks.StateEscalation] != 1 {
			t.Errorf("swept a year after the deadline=%v, want the escalation", swept)
		}
		return nil
	})
}

// TestOpen_MigratesKV opens a schema-1 file (from before the "typed state"
// step, which any later steps run after) whose kv bucket holds the old
// string keys and finds each record in its typed home, the settings where
// they were, and the kv bucket without the moved keys.
func TestOpen_MigratesKV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var outID uint64
	err = s.Update(t.Context(), func(tx tasks.Tx) error {
		m := tasks.OutMessage{Key: "ext:4:ask:2", ChatID: 5, Text: "x", Created: at(1, 1)}
		_, err := tx.Enqueue(&m)
		outID = m.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Make it the file an earlier build left: schema 1, everything in kv.
	old := map[string]string{
		"pending:41":                          `{"member":3,"text":"đã xong","atts":[{"file_id":"f1","name":"a.pdf"}]}`,
		"pending:bad":                         `{"member":3}`,
		"album:g1":                            "pending:41",
		"album:g2":                            "task:CCHC-01",
		"assist:prop:42":                      `{"member":3,"text":"xong","proposal":{"task":"CCHC-01","note":"n"}}`,
		"assist:drafts:43":                    `{"member":1,"drafts":[{"title":"Lập kế hoạch"}],"state":["dropped"]}`,
		"assist:job:44":                       `{"id":44,"kind":"update","member":3,"chat":5,"text":"t","codes":["CCHC-01"]}`,
		"assist:jobs":                         `[44]`,
		"outkey:ext:4:ask:2":                  "1",
		"sched:due_soon:CCHC:01:2026-03-05:3": "2026-03-02T08:00:00Z",
		"sched:escalated:CCHC-02:2026-01-31":  "2026-02-20T08:00:00Z",
		"sched:last:weekly":                   "2026-03-02T08:00:00Z",
		"outbox:pruned":                       "2026-03-01T00:00:00Z",
		"bot:offset":                          "77",
		"bot:last_update_at":                  "2026-03-01T10:00:00Z",
		"bot:hmac_key":                        "0123456789abcdef0123456789abcdef",
		"chat:moved:-100":                     "-1001",
		"chat:movedfrom:-1001":                "-100",
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range []string{"state_pending", "state_albums", "state_proposals", "state_drafts", "state_jobs", "state_copies", "reminder_marks", "markers"} {
			if err := tx.DeleteBucket([]byte(b)); err != nil {
				return err
			}
		}
		kv := tx.Bucket([]byte("kv"))
		for k, v := range old {
			if err := kv.Put([]byte(k), []byte(v)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 1})
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	clock := taskstest.NewClock(at(3, 12))
	s = mustOpenPath(t, path, storage.WithClock(clock))
	mustView(t, s, func(tx tasks.Tx) error {
		p, err := tx.PendingChoice(41)
		if err != nil || p.Member != 3 || p.Text != "đã xong" || len(p.Atts) != 1 || !p.Created.Equal(at(3, 12)) {
			t.Errorf("migrated PendingChoice=%+v,%v", p, err)
		}
		if a, err := tx.Album("g1"); err != nil || a.Pending != 41 || a.Task != "" {
			t.Errorf("migrated Album g1=%+v,%v, want pending 41", a, err)
		}
		if a, err := tx.Album("g2"); err != nil || a.Task != "CCHC-01" {
			t.Errorf("migrated Album g2=%+v,%v, want task CCHC-01", a, err)
		}
		if p, err := tx.Proposal(42); err != nil || p.Proposal.Task != "CCHC-01" || p.Member != 3 {
			t.Errorf("migrated Proposal=%+v,%v", p, err)
		}
		if d, err := tx.DraftSet(43); err != nil || len(d.Drafts) != 1 || d.State[0] != tasks.DraftDropped {
			t.Errorf("migrated DraftSet=%+v,%v", d, err)
		}
		if js, err := tx.AssistJobs(); err != nil || len(js) != 1 || js[0].ID != 44 || js[0].Codes[0] != "CCHC-01" {
			t.Errorf("migrated AssistJobs=%+v,%v", js, err)
		}
		if c, err := tx.DecisionCopy("ext:4:ask:2"); err != nil || c.OutID != outID {
			t.Errorf("migrated DecisionCopy=%+v,%v, want out id %d", c, err, outID)
		}
		if ok, err := tx.ReminderMarked(tasks.ReminderMark{Kind: tasks.StateDueSoon, Task: "CCHC:01", Deadline: tasks.Date{Year: 2026, Month: 3, Day: 5}, Days: 3}); !ok || err != nil {
			t.Errorf("migrated due-soon mark (a code with a colon): %v,%v", ok, err)
		}
		if ok, err := tx.ReminderMarked(tasks.ReminderMark{Kind: tasks.StateEscalation, Task: "CCHC-02", Deadline: tasks.Date{Year: 2026, Month: 1, Day: 31}}); !ok || err != nil {
			t.Errorf("migrated escalation mark: %v,%v", ok, err)
		}
		if m, err := tx.Marker("sched:last:weekly"); err != nil || !m.Equal(at(2, 8)) {
			t.Errorf("migrated marker=%v,%v", m, err)
		}
		if m, err := tx.Marker("outbox:pruned"); err != nil || !m.Equal(at(1, 0)) {
			t.Errorf("migrated maintenance marker=%v,%v", m, err)
		}
		if off, last, err := tx.UpdateOffset(); off != 77 || !last.Equal(at(1, 10)) || err != nil {
			t.Errorf("UpdateOffset after migration=%d,%v,%v", off, last, err)
		}
		if to, err := tx.ChatMovedTo(-100); to != -1001 || err != nil {
			t.Errorf("ChatMovedTo after migration=%d,%v", to, err)
		}
		if k, err := tx.ButtonKey(); len(k) != 32 || err != nil {
			t.Errorf("ButtonKey after migration=%q,%v", k, err)
		}
		return nil
	})
	s.Close()

	// Nothing moved is left behind in kv; the settings are.
	db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		var left []string
		err := tx.Bucket([]byte("kv")).ForEach(func(k, _ []byte) error {
			left = append(left, string(k))
			return nil
		})
		want := []string{"bot:hmac_key", "bot:last_update_at", "bot:offset", "chat:moved:-100", "chat:movedfrom:-1001"}
		if !reflect.DeepEqual(left, want) {
			t.Errorf("kv after migration=%q, want %q", left, want)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkSweepState measures the daily sweep over a day's worth of live
// state that has not ended (1,000 records of each kind with a TTL, 1,000
// decision copies and 1,000 reminder marks): it reads every record, so its
// cost grows with what is live, which the sweep itself keeps bounded.
func BenchmarkSweepState(b *testing.B) {
	s := MustOpen(b)
	const n = 1000
	mustUpdate(b, s, func(tx tasks.Tx) error {
		for i := range n {
			id := int64(i + 1)
			m := tasks.OutMessage{Key: "ext:" + string(rune('a'+i%26)) + ":" + time.Duration(i).String(), ChatID: 5, Text: "x", Created: at(9, 0)}
			if _, err := tx.Enqueue(&m); err != nil {
				return err
			}
			for _, err := range []error{
				tx.PutPendingChoice(tasks.PendingChoice{ID: id, Member: 3, Text: "đã xong", Created: at(9, 0)}),
				tx.PutAlbum(tasks.Album{ID: m.Key, Pending: id, Created: at(9, 0)}),
				tx.PutProposal(tasks.PendingProposal{ID: id, Member: 3, Text: "x", Created: at(9, 0)}),
				tx.PutDraftSet(tasks.DraftSet{ID: id, Drafts: []tasks.Draft{{Title: "x"}}, State: []tasks.DraftState{""}, Created: at(9, 0)}),
				tx.PutAssistJob(tasks.AssistJob{ID: id, Kind: "update", Created: at(9, 0)}),
				tx.PutDecisionCopy(tasks.DecisionCopy{Key: m.Key, OutID: m.ID, Created: at(9, 0)}),
				tx.PutReminderMark(tasks.ReminderMark{Kind: tasks.StateDueSoon, Task: m.Key, Deadline: tasks.Date{Year: 2026, Month: 3, Day: 20}, Days: 3}),
			} {
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	b.ResetTimer()
	for range b.N {
		mustUpdate(b, s, func(tx tasks.Tx) error {
			swept, err := tx.SweepState(at(10, 0))
			for k, c := range swept {
				if c != 0 {
					b.Fatalf("swept %d of %s, want none", c, k)
				}
			}
			return err
		})
	}
}
