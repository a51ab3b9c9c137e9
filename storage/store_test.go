package storage_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"steerbot/storage"
	"steerbot/tasks"
)

func TestStore_Units(t *testing.T) {
	s := MustOpen(t)
	mustUpdate(t, s, func(tx tasks.Tx) error {
		for _, u := range []tasks.Unit{{Code: "snv", Name: "Sở Nội vụ"}, {Code: " BA ", Name: "Quận Ba Đình"}, {Code: "STTTT", Name: "Sở TT&TT"}} {
			if err := tx.PutUnit(u); err != nil {
				return err
			}
		}
		return tx.PutUnit(tasks.Unit{Code: "SNV", Name: "Sở Nội vụ Hà Nội"}) // rename
	})
	mustView(t, s, func(tx tasks.Tx) error {
		got, err := tx.Unit("Snv")
		if err != nil {
			t.Fatalf("Unit(Snv): %v", err)
		}
		if want := (tasks.Unit{Code: "SNV", Name: "Sở Nội vụ Hà Nội"}); got != want {
			t.Errorf("Unit(Snv)=%+v, want %+v", got, want)
		}
		all, err := tx.Units()
		if err != nil {
			t.Fatal(err)
		}
		var gotCodes []string
		for _, u := range all {
			gotCodes = append(gotCodes, u.Code)
		}
		if want := []string{"BA", "SNV", "STTTT"}; !slices.Equal(gotCodes, want) {
			t.Errorf("Units codes=%v, want %v", gotCodes, want)
		}
		if _, err := tx.Unit("XYZ"); tasks.ErrorCode(err) != tasks.ENOTFOUND {
			t.Errorf("Unit(XYZ) err=%v, want ENOTFOUND", err)
		}
		return nil
	})
	err := s.Update(context.Background(), func(tx tasks.Tx) error { return tx.PutUnit(tasks.Unit{Code: "  "}) })
	if tasks.ErrorCode(err) != tasks.EINVALID {
		t.Errorf("PutUnit(empty code) err=%v, want EINVALID", err)
	}
}

func TestStore_Members(t *testing.T) {
	s := MustOpen(t)
	a := tasks.Member{Name: "Nguyễn Văn A", Role: tasks.RoleChair, TelegramID: 111}
	c := tasks.Member{Name: "Lê Văn C", Role: tasks.RoleUnitHead, Unit: "snv", TelegramID: 333, Lang: "en"}
	mustUpdate(t, s, func(tx tasks.Tx) error {
		if err := tx.PutMember(&a); err != nil {
			return err
		}
		return tx.PutMember(&c)
	})
	if a.ID != 1 || c.ID != 2 {
		t.Fatalf("ids=%d,%d, want 1,2", a.ID, c.ID)
	}

	mustView(t, s, func(tx tasks.Tx) error {
		got, err := tx.MemberByTelegram(333)
		if err != nil {
			t.Fatalf("MemberByTelegram(333): %v", err)
		}
		want := c
		want.Unit = "SNV"
		if got != want {
			t.Errorf("MemberByTelegram(333)=%+v, want %+v", got, want)
		}
		if got, _ := tx.Member(1); got != a {
			t.Errorf("Member(1)=%+v, want %+v", got, a)
		}
		if _, err := tx.Member(9); tasks.ErrorCode(err) != tasks.ENOTFOUND {
			t.Errorf("Member(9) err=%v, want ENOTFOUND", err)
		}
		if _, err := tx.MemberByTelegram(999); tasks.ErrorCode(err) != tasks.ENOTFOUND {
			t.Errorf("MemberByTelegram(999) err=%v, want ENOTFOUND", err)
		}
		return nil
	})

	t.Run("ECONFLICT", func(t *testing.T) {
		b := tasks.Member{Name: "Trần Thị B", Role: tasks.RoleSecretariat, TelegramID: 111}
		err := s.Update(context.Background(), func(tx tasks.Tx) error { return tx.PutMember(&b) })
		if tasks.ErrorCode(err) != tasks.ECONFLICT {
			t.Fatalf("PutMember with a linked Telegram id err=%v, want ECONFLICT", err)
		}
		mustView(t, s, func(tx tasks.Tx) error {
			ms, _ := tx.Members()
			if len(ms) != 2 {
				t.Errorf("members=%d after a refused PutMember, want 2", len(ms))
			}
			return nil
		})
	})

	t.Run("Relink", func(t *testing.T) {
		c.TelegramID = 444
		mustUpdate(t, s, func(tx tasks.Tx) error { return tx.PutMember(&c) })
		mustView(t, s, func(tx tasks.Tx) error {
			if _, err := tx.MemberByTelegram(333); tasks.ErrorCode(err) != tasks.ENOTFOUND {
				t.Errorf("old Telegram id still finds a member: err=%v", err)
			}
			if got, err := tx.MemberByTelegram(444); err != nil || got.ID != c.ID {
				t.Errorf("MemberByTelegram(444)=%+v,%v, want member %d", got, err, c.ID)
			}
			return nil
		})
		// The freed Telegram id may now go to someone else.
		d := tasks.Member{Name: "Phạm D", Role: tasks.RoleUnitDelegate, Unit: "SNV", TelegramID: 333}
		mustUpdate(t, s, func(tx tasks.Tx) error { return tx.PutMember(&d) })
		mustView(t, s, func(tx tasks.Tx) error {
			ms, _ := tx.Members()
			var ids []int64
			for _, m := range ms {
				ids = append(ids, m.ID)
			}
			if want := []int64{1, 2, 3}; !slices.Equal(ids, want) {
				t.Errorf("Members ids=%v, want %v", ids, want)
			}
			return nil
		})
	})
}

func TestStore_TaskRoundTrip(t *testing.T) {
	s := MustOpen(t)
	in := sampleTask("cchc-12", "snv", "Kế hoạch CCHC 2026")
	mustUpdate(t, s, func(tx tasks.Tx) error { return tx.PutTask(in) })
	want := in
	want.Code, want.Unit = "CCHC-12", "SNV"
	for _, code := range []string{"CCHC-12", "cchc-12", " Cchc-12 "} {
		mustView(t, s, func(tx tasks.Tx) error {
			got, err := tx.Task(code)
			if err != nil {
				t.Fatalf("Task(%q): %v", code, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Task(%q)=%+v\nwant %+v", code, got, want)
			}
			return nil
		})
	}
	mustView(t, s, func(tx tasks.Tx) error {
		if _, err := tx.Task("CCHC-13"); !tasks.IsNotFound(err) {
			t.Errorf("Task(CCHC-13) err=%v, want ENOTFOUND", err)
		}
		return nil
	})
}

func TestStore_PutTaskIndexes(t *testing.T) {
	s := MustOpen(t)
	mustUpdate(t, s, func(tx tasks.Tx) error {
		for _, task := range []tasks.Task{
			{Code: "T-3", Unit: "A", CoUnits: []string{"b"}, Group: "G1", Status: tasks.InProgress},
			{Code: "T-1", Unit: "A", Group: "G1", Status: tasks.Done},
			{Code: "T-2", Unit: "B", CoUnits: []string{"A"}, Group: "G2", Status: tasks.NotStarted},
		} {
			if err := tx.PutTask(task); err != nil {
				return err
			}
		}
		return nil
	})
	check := func(t *testing.T, f tasks.TaskFilter, want ...string) {
		t.Helper()
		mustView(t, s, func(tx tasks.Tx) error {
			got, err := tx.Tasks(f)
			if err != nil {
				t.Fatalf("Tasks(%+v): %v", f, err)
			}
			if !slices.Equal(codes(got), append([]string{}, want...)) {
				t.Errorf("Tasks(%+v)=%v, want %v", f, codes(got), want)
			}
			return nil
		})
	}
	t.Run("Before", func(t *testing.T) {
		check(t, tasks.TaskFilter{}, "T-1", "T-2", "T-3")
		check(t, tasks.TaskFilter{Unit: "a"}, "T-1", "T-3")
		check(t, tasks.TaskFilter{Involving: "A"}, "T-1", "T-2", "T-3")
		check(t, tasks.TaskFilter{Involving: "B"}, "T-2", "T-3")
		check(t, tasks.TaskFilter{Group: "G1"}, "T-1", "T-3")
		check(t, tasks.TaskFilter{Group: "g1"})
		check(t, tasks.TaskFilter{Unit: "A", OpenOnly: true}, "T-3")
		check(t, tasks.TaskFilter{Involving: "A", Group: "G2"}, "T-2")
		check(t, tasks.TaskFilter{OpenOnly: true}, "T-2", "T-3")
	})
	// T-3 moves to unit C, loses co-unit B for D, and changes group.
	mustUpdate(t, s, func(tx tasks.Tx) error {
		task, err := tx.Task("t-3")
		if err != nil {
			return err
		}
		task.Unit, task.CoUnits, task.Group = "c", []string{"d", "D", ""}, "G2"
		return tx.PutTask(task)
	})
	t.Run("After", func(t *testing.T) {
		check(t, tasks.TaskFilter{Unit: "A"}, "T-1")
		check(t, tasks.TaskFilter{Unit: "C"}, "T-3")
		check(t, tasks.TaskFilter{Involving: "A"}, "T-1", "T-2")
		check(t, tasks.TaskFilter{Involving: "B"}, "T-2")
		check(t, tasks.TaskFilter{Involving: "D"}, "T-3")
		check(t, tasks.TaskFilter{Group: "G1"}, "T-1")
		check(t, tasks.TaskFilter{Group: "G2"}, "T-2", "T-3")
		mustView(t, s, func(tx tasks.Tx) error {
			task, _ := tx.Task("T-3")
			if want := []string{"D"}; !slices.Equal(task.CoUnits, want) {
				t.Errorf("CoUnits=%q, want %q", task.CoUnits, want)
			}
			return nil
		})
	})
	// Tasks re-checks what an index yields, so stale entries would not
	// show above; count them in the file.
	t.Run("NoStaleEntries", func(t *testing.T) {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		for bucket, want := range map[string]int{
			"tasks_by_unit":  3, // A:T-1, B:T-2, C:T-3
			"tasks_by_inv":   5, // A:T-1, A:T-2, B:T-2, C:T-3, D:T-3
			"tasks_by_group": 3, // G1:T-1, G2:T-2, G2:T-3
		} {
			if got := countKeys(t, s.Path(), bucket); got != want {
				t.Errorf("%s holds %d keys, want %d", bucket, got, want)
			}
		}
	})
}

// countKeys opens a closed store's file with bbolt and counts a bucket's
// keys.
func countKeys(t *testing.T, path, bucket string) int {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	err = db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		if b == nil {
			return errors.New("no bucket " + bucket)
		}
		return b.ForEach(func(_, _ []byte) error { n++; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStore_History(t *testing.T) {
	s := MustOpen(t)
	var ids []uint64
	mustUpdate(t, s, func(tx tasks.Tx) error {
		// "A" and "AB" share a prefix: their histories must not mix.
		for _, code := range []string{"A", "AB", "B"} {
			if err := tx.PutTask(tasks.Task{Code: code, Unit: "U"}); err != nil {
				return err
			}
		}
		for i := range 5 {
			for _, code := range []string{"ab", "a", "b"} {
				u := tasks.Update{Task: code, At: at(1+i, 8), NewProgress: 10 * (i + 1), Via: tasks.ViaCommand, Note: code}
				if err := tx.AddUpdate(&u); err != nil {
					return err
				}
				if code == "a" {
					ids = append(ids, u.ID)
				}
			}
		}
		return nil
	})
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			t.Fatalf("assigned ids %v are not increasing", ids)
		}
	}
	tests := []struct {
		code  string
		limit int
		want  []int // NewProgress, oldest first
	}{
		{"A", 0, []int{10, 20, 30, 40, 50}},
		{"a", 2, []int{40, 50}},
		{"A", 5, []int{10, 20, 30, 40, 50}},
		{"A", 99, []int{10, 20, 30, 40, 50}},
		{"AB", 1, []int{50}},
		{"B", 3, []int{30, 40, 50}},
		{"NONE", 3, nil},
		{"NONE", 0, nil},
	}
	for _, tt := range tests {
		mustView(t, s, func(tx tasks.Tx) error {
			h, err := tx.History(tt.code, tt.limit)
			if err != nil {
				t.Fatalf("History(%s,%d): %v", tt.code, tt.limit, err)
			}
			var got []int
			for _, u := range h {
				if u.Task != tasks.NormalizeCode(tt.code) || u.Note != strings.ToLower(tt.code) {
					t.Errorf("History(%s) holds an update of %s (%q)", tt.code, u.Task, u.Note)
				}
				got = append(got, u.NewProgress)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("History(%s,%d) progress=%v, want %v", tt.code, tt.limit, got, tt.want)
			}
			return nil
		})
	}
	err := s.Update(context.Background(), func(tx tasks.Tx) error {
		return tx.AddUpdate(&tasks.Update{Task: "NONE"})
	})
	if !tasks.IsNotFound(err) {
		t.Errorf("AddUpdate to an unknown task err=%v, want ENOTFOUND", err)
	}
}

func TestStore_UpdateRollback(t *testing.T) {
	s := MustOpen(t)
	boom := errors.New("boom")
	err := s.Update(context.Background(), func(tx tasks.Tx) error {
		if err := tx.PutTask(tasks.Task{Code: "X-1", Unit: "U"}); err != nil {
			return err
		}
		if err := tx.AddUpdate(&tasks.Update{Task: "X-1"}); err != nil {
			return err
		}
		if err := tx.PutMarker("marker", at(1, 1)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update err=%v, want fn's error", err)
	}
	mustView(t, s, func(tx tasks.Tx) error {
		if _, err := tx.Task("X-1"); !tasks.IsNotFound(err) {
			t.Errorf("task written by a failed Update: err=%v", err)
		}
		if h, _ := tx.History("X-1", 0); len(h) != 0 {
			t.Errorf("history written by a failed Update: %v", h)
		}
		if v, err := tx.Marker("marker"); !v.IsZero() || err != nil {
			t.Errorf("marker written by a failed Update: %v,%v", v, err)
		}
		return nil
	})

	t.Run("DoneContext", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		called := false
		err := s.Update(ctx, func(tx tasks.Tx) error { called = true; return nil })
		if !errors.Is(err, context.Canceled) || called {
			t.Errorf("Update(cancelled ctx) err=%v called=%v, want context.Canceled and fn not run", err, called)
		}
	})
}

func TestStore_ViewIsReadOnly(t *testing.T) {
	s := MustOpen(t)
	writes := map[string]func(tasks.Tx) error{
		"PutTask":     func(tx tasks.Tx) error { return tx.PutTask(tasks.Task{Code: "X", Unit: "U"}) },
		"PutUnit":     func(tx tasks.Tx) error { return tx.PutUnit(tasks.Unit{Code: "U"}) },
		"PutMarker":   func(tx tasks.Tx) error { return tx.PutMarker("k", at(1, 1)) },
		"PutAlbum":    func(tx tasks.Tx) error { return tx.PutAlbum(tasks.Album{ID: "a", Task: "X"}) },
		"SweepState":  func(tx tasks.Tx) error { _, err := tx.SweepState(at(1, 1)); return err },
		"MarkHandled": func(tx tasks.Tx) error { return tx.MarkHandled(1) },
		"NextSeq":     func(tx tasks.Tx) error { _, err := tx.NextSeq("n"); return err },
		"Enqueue":     func(tx tasks.Tx) error { _, err := tx.Enqueue(&tasks.OutMessage{Key: "k"}); return err },
		"TakeInvite":  func(tx tasks.Tx) error { _, err := tx.TakeInvite("t"); return err },
	}
	for name, fn := range writes {
		err := s.View(context.Background(), fn)
		if !errors.Is(err, storage.ErrTxNotWritable) || !errors.Is(err, bolt.ErrTxNotWritable) {
			t.Errorf("%s in View err=%v, want ErrTxNotWritable", name, err)
		}
	}
}

// populate writes one of everything and returns what it wrote.
func populate(t *testing.T, s *storage.Store) (task tasks.Task, hist []tasks.Update) {
	t.Helper()
	task = sampleTask("CCHC-1", "SNV", "Chính quyền số")
	mustUpdate(t, s, func(tx tasks.Tx) error {
		if err := tx.PutUnit(tasks.Unit{Code: "SNV", Name: "Sở Nội vụ"}); err != nil {
			return err
		}
		if err := tx.PutMember(&tasks.Member{Name: "A", Role: tasks.RoleChair, TelegramID: 111}); err != nil {
			return err
		}
		if err := tx.PutTask(task); err != nil {
			return err
		}
		for i := range 3 {
			u := tasks.Update{Task: task.Code, At: at(2+i, 9), By: 1, ByName: "A", Via: tasks.ViaReply,
				OldStatus: tasks.InProgress, NewStatus: tasks.Done, NewProgress: 100,
				OldDeadline: tasks.Date{Year: 2026, Month: 5, Day: 1}, NewDeadline: tasks.Date{Year: 2026, Month: 6, Day: 30},
				Attachments: []tasks.Attachment{{FileID: "f1", Name: "bc.pdf", Size: 10, Kind: "document"}}}
			if err := tx.AddUpdate(&u); err != nil {
				return err
			}
			hist = append(hist, u)
		}
		if _, err := tx.Enqueue(&tasks.OutMessage{Key: "k1", ChatID: 5, Text: "x", Created: at(1, 1)}); err != nil {
			return err
		}
		if _, err := tx.InboxAdd(tasks.InboxItem{UpdateID: 7, Raw: []byte(`{"update_id":7}`)}); err != nil {
			return err
		}
		return tx.PutUpdateOffset(7, at(1, 1))
	})
	return task, hist
}

// checkPopulated asserts that s holds what populate wrote.
func checkPopulated(t *testing.T, s *storage.Store, task tasks.Task, hist []tasks.Update) {
	t.Helper()
	mustView(t, s, func(tx tasks.Tx) error {
		got, err := tx.Task(task.Code)
		if err != nil || !reflect.DeepEqual(got, task) {
			t.Errorf("Task=%+v,%v\nwant %+v", got, err, task)
		}
		if ts, _ := tx.Tasks(tasks.TaskFilter{Unit: "SNV"}); len(ts) != 1 {
			t.Errorf("Tasks(SNV)=%v, want 1 task", codes(ts))
		}
		h, err := tx.History(task.Code, 0)
		if err != nil || !reflect.DeepEqual(h, hist) {
			t.Errorf("History=%+v,%v\nwant %+v", h, err, hist)
		}
		if m, err := tx.MemberByTelegram(111); err != nil || m.Name != "A" {
			t.Errorf("MemberByTelegram=%+v,%v", m, err)
		}
		if q, _ := tx.Queued(0); len(q) != 1 || q[0].Key != "k1" {
			t.Errorf("Queued=%+v, want k1", q)
		}
		if in, _ := tx.Inbox(); len(in) != 1 || in[0].UpdateID != 7 {
			t.Errorf("Inbox=%+v, want update 7", in)
		}
		if off, last, err := tx.UpdateOffset(); off != 7 || !last.Equal(at(1, 1)) || err != nil {
			t.Errorf("UpdateOffset=%d,%v,%v, want 7 and 1 March", off, last, err)
		}
		return nil
	})
}

func TestStore_Reopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	task, hist := populate(t, s)
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	s = mustOpenPath(t, path)
	checkPopulated(t, s, task, hist)
	// Sequences go on where they stopped.
	mustUpdate(t, s, func(tx tasks.Tx) error {
		u := tasks.Update{Task: task.Code}
		if err := tx.AddUpdate(&u); err != nil {
			return err
		}
		if u.ID <= hist[len(hist)-1].ID {
			t.Errorf("update id after reopen=%d, want > %d", u.ID, hist[len(hist)-1].ID)
		}
		m := tasks.Member{Name: "B"}
		if err := tx.PutMember(&m); err != nil {
			return err
		}
		if m.ID != 2 {
			t.Errorf("member id after reopen=%d, want 2", m.ID)
		}
		return nil
	})
}

func TestOpen_Locked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	mustOpenPath(t, path)
	type result struct {
		s   *storage.Store
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := storage.Open(path) // the default timeout
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		if r.err == nil {
			r.s.Close()
			t.Fatal("second Open of a held file succeeded")
		}
		if !errors.Is(r.err, storage.ErrLocked) {
			t.Errorf("err=%v, want ErrLocked", r.err)
		}
		if !strings.Contains(r.err.Error(), "in use by another steerbot process") {
			t.Errorf("message %q does not say another steerbot holds the file", r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("second Open still waiting after 5s: it must fail fast")
	}

	t.Run("WithTimeout", func(t *testing.T) {
		go func() {
			s, err := storage.Open(path, storage.WithTimeout(100*time.Millisecond))
			done <- result{s, err}
		}()
		select {
		case r := <-done:
			if !errors.Is(r.err, storage.ErrLocked) {
				t.Errorf("err=%v, want ErrLocked", r.err)
			}
		case <-time.After(900 * time.Millisecond):
			t.Fatal("Open with a 100ms timeout still waiting after 900ms (the default is 1s)")
		}
	})
}

func TestStore_Backup(t *testing.T) {
	s := MustOpen(t)
	task, hist := populate(t, s)
	ctx := context.Background()

	var buf bytes.Buffer
	n, err := s.Backup(ctx, &buf)
	if err != nil || n != int64(buf.Len()) || n != s.Size() {
		t.Errorf("Backup=%d,%v; buffer %d, Size %d", n, err, buf.Len(), s.Size())
	}

	path := filepath.Join(t.TempDir(), "backup.db")
	if err := s.BackupFile(ctx, path); err != nil {
		t.Fatalf("BackupFile: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("backup dir holds %d files, want only the backup (no temp file left)", len(entries))
	}
	b := mustOpenPath(t, path)
	checkPopulated(t, b, task, hist)

	if err := s.BackupFile(ctx, s.Path()); err == nil {
		t.Error("BackupFile over the live database succeeded")
	}
	checkPopulated(t, s, task, hist)

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.BackupFile(cctx, filepath.Join(t.TempDir(), "x.db")); !errors.Is(err, context.Canceled) {
		t.Errorf("BackupFile(cancelled) err=%v, want context.Canceled", err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func TestStore_Outbox(t *testing.T) {
	s := MustOpen(t)
	var ids []uint64
	mustUpdate(t, s, func(tx tasks.Tx) error {
		for i, key := range []string{"remind:a", "remind:b", "", "remind:c"} {
			m := tasks.OutMessage{Key: key, ChatID: -100, Text: "t" + key, TaskCodes: []string{"cchc-1"}, Purpose: "extend", Created: at(1, i)}
			added, err := tx.Enqueue(&m)
			if err != nil || !added {
				t.Fatalf("Enqueue(%q)=%v,%v, want added", key, added, err)
			}
			ids = append(ids, m.ID)
		}
		return nil
	})
	if !slices.IsSorted(ids) || ids[0] == 0 || ids[0] == ids[1] {
		t.Fatalf("ids=%v, want increasing", ids)
	}

	t.Run("Idempotent", func(t *testing.T) {
		mustUpdate(t, s, func(tx tasks.Tx) error {
			m := tasks.OutMessage{Key: "remind:b", ChatID: 1, Text: "other"}
			added, err := tx.Enqueue(&m)
			if err != nil || added {
				t.Errorf("Enqueue(existing key)=%v,%v, want not added", added, err)
			}
			if m.ID != ids[1] {
				t.Errorf("ID=%d, want the existing %d", m.ID, ids[1])
			}
			return nil
		})
		mustView(t, s, func(tx tasks.Tx) error {
			m, _ := tx.OutMessage(ids[1])
			if m.Text != "tremind:b" || m.ChatID != -100 {
				t.Errorf("stored message changed to %+v", m)
			}
			if q, _ := tx.Queued(0); len(q) != 4 {
				t.Errorf("queued=%d, want 4", len(q))
			}
			return nil
		})
	})

	t.Run("Queued", func(t *testing.T) {
		mustView(t, s, func(tx tasks.Tx) error {
			q, err := tx.Queued(3)
			if err != nil {
				t.Fatal(err)
			}
			var got []uint64
			for _, m := range q {
				got = append(got, m.ID)
				if m.State != tasks.OutQueued {
					t.Errorf("message %d state=%q, want queued", m.ID, m.State)
				}
			}
			if !slices.Equal(got, ids[:3]) {
				t.Errorf("Queued(3)=%v, want %v", got, ids[:3])
			}
			n, oldest, err := tx.OutboxStats()
			if n != 4 || !oldest.Equal(at(1, 0)) || err != nil {
				t.Errorf("OutboxStats=%d,%v,%v, want 4,%v", n, oldest, err, at(1, 0))
			}
			return nil
		})
	})

	t.Run("Sent", func(t *testing.T) {
		mustUpdate(t, s, func(tx tasks.Tx) error {
			m, err := tx.OutMessage(ids[0])
			if err != nil {
				return err
			}
			m.State, m.SentMessageID, m.SentAt, m.Attempts = tasks.OutSent, 42, at(2, 0), 1
			return tx.PutOutMessage(m)
		})
		mustView(t, s, func(tx tasks.Tx) error {
			q, _ := tx.Queued(0)
			if len(q) != 3 || q[0].ID != ids[1] {
				t.Errorf("Queued after sending the first=%v, want 3 starting at %d", q, ids[1])
			}
			n, oldest, _ := tx.OutboxStats()
			if n != 3 || !oldest.Equal(at(1, 1)) {
				t.Errorf("OutboxStats=%d,%v, want 3,%v", n, oldest, at(1, 1))
			}
			ref, err := tx.MessageRef(-100, 42)
			want := tasks.MessageRef{ChatID: -100, MessageID: 42, TaskCodes: []string{"CCHC-1"}, Purpose: "extend", OutID: ids[0]}
			if err != nil || !reflect.DeepEqual(ref, want) {
				t.Errorf("MessageRef=%+v,%v, want %+v", ref, err, want)
			}
			if _, err := tx.MessageRef(-100, 43); !tasks.IsNotFound(err) {
				t.Errorf("MessageRef(unknown) err=%v, want ENOTFOUND", err)
			}
			if _, err := tx.MessageRef(100, 42); !tasks.IsNotFound(err) {
				t.Errorf("MessageRef(other chat) err=%v, want ENOTFOUND", err)
			}
			return nil
		})
		// A sent key still blocks a second send.
		mustUpdate(t, s, func(tx tasks.Tx) error {
			if added, err := tx.Enqueue(&tasks.OutMessage{Key: "remind:a"}); added || err != nil {
				t.Errorf("Enqueue(sent key)=%v,%v, want not added", added, err)
			}
			return nil
		})
	})

	t.Run("Failed", func(t *testing.T) {
		mustUpdate(t, s, func(tx tasks.Tx) error {
			m, _ := tx.OutMessage(ids[1])
			m.State, m.LastError = tasks.OutFailed, "Forbidden: bot was blocked by the user"
			return tx.PutOutMessage(m)
		})
		mustView(t, s, func(tx tasks.Tx) error {
			if n, _, _ := tx.OutboxStats(); n != 2 {
				t.Errorf("queued=%d after a failure, want 2", n)
			}
			m, _ := tx.OutMessage(ids[1])
			if m.State != tasks.OutFailed || m.LastError == "" {
				t.Errorf("failed message stored as %+v", m)
			}
			return nil
		})
	})

	err := s.Update(context.Background(), func(tx tasks.Tx) error {
		return tx.PutOutMessage(tasks.OutMessage{ID: 999, State: tasks.OutSent})
	})
	if !tasks.IsNotFound(err) {
		t.Errorf("PutOutMessage(unknown id) err=%v, want ENOTFOUND", err)
	}
}

func TestStore_Inbox(t *testing.T) {
	s := MustOpen(t)
	add := func(id int64) bool {
		var added bool
		mustUpdate(t, s, func(tx tasks.Tx) error {
			var err error
			added, err = tx.InboxAdd(tasks.InboxItem{UpdateID: id, Raw: []byte{byte(id)}})
			return err
		})
		return added
	}
	inbox := func() []int64 {
		var ids []int64
		mustView(t, s, func(tx tasks.Tx) error {
			items, err := tx.Inbox()
			for _, it := range items {
				if len(it.Raw) != 1 || int64(it.Raw[0]) != it.UpdateID {
					t.Errorf("update %d raw=%v", it.UpdateID, it.Raw)
				}
				ids = append(ids, it.UpdateID)
			}
			return err
		})
		return ids
	}
	for _, id := range []int64{30, 10, 20} {
		if !add(id) {
			t.Errorf("InboxAdd(%d) not added", id)
		}
	}
	if add(20) {
		t.Error("InboxAdd of an update already in the inbox was added")
	}
	if got, want := inbox(), []int64{10, 20, 30}; !slices.Equal(got, want) {
		t.Errorf("Inbox=%v, want %v", got, want)
	}
	mustUpdate(t, s, func(tx tasks.Tx) error { return tx.MarkHandled(20) })
	if got, want := inbox(), []int64{10, 30}; !slices.Equal(got, want) {
		t.Errorf("Inbox after handling 20=%v, want %v", got, want)
	}
	if add(20) {
		t.Error("a redelivered update that was handled was added again")
	}
	mustView(t, s, func(tx tasks.Tx) error {
		for id, want := range map[int64]bool{20: true, 10: false, 99: false} {
			if got, err := tx.Handled(id); got != want || err != nil {
				t.Errorf("Handled(%d)=%v,%v, want %v", id, got, err, want)
			}
		}
		return nil
	})
}

func TestStore_HandledBounded(t *testing.T) {
	s := MustOpen(t)
	const extra = 5
	mustUpdate(t, s, func(tx tasks.Tx) error {
		for id := int64(1); id <= storage.HandledKeep+extra; id++ {
			if err := tx.MarkHandled(id); err != nil {
				return err
			}
		}
		return nil
	})
	mustView(t, s, func(tx tasks.Tx) error {
		for id, want := range map[int64]bool{1: false, extra: false, extra + 1: true, storage.HandledKeep + extra: true} {
			if got, _ := tx.Handled(id); got != want {
				t.Errorf("Handled(%d)=%v, want %v (keep the newest %d)", id, got, want, storage.HandledKeep)
			}
		}
		return nil
	})
}

func TestOpen_Schema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("meta"))
		v := b.Get([]byte("schema_version"))
		if want := []byte{0, 0, 0, 0, 0, 0, 0, storage.SchemaVersion}; !bytes.Equal(v, want) {
			t.Errorf("stored schema version=%x, want %x", v, want)
		}
		return b.Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, storage.SchemaVersion + 1})
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	s, err = storage.Open(path)
	if err == nil {
		s.Close()
		t.Fatal("Open of a file from a newer schema succeeded")
	}
	if !errors.Is(err, storage.ErrSchemaTooNew) {
		t.Errorf("err=%v, want ErrSchemaTooNew", err)
	}
}

func TestStore_ExtensionsMeetingsInvitesSnapshots(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	e1 := tasks.ExtensionRequest{Task: "cchc-1", RequesterID: 3, NewDeadline: tasks.Date{Year: 2026, Month: 7, Day: 1}, Reason: "chờ", State: tasks.ExtPending, Created: at(1, 1)}
	e2 := tasks.ExtensionRequest{Task: "CCHC-2", State: tasks.ExtPending, Created: at(1, 2)}
	m1 := tasks.Meeting{Title: "Phiên họp thứ 3", Start: at(20, 8)}
	m2 := tasks.Meeting{Title: "Phiên họp thứ 2", Start: at(10, 8)}
	mustUpdate(t, s, func(tx tasks.Tx) error {
		for _, e := range []*tasks.ExtensionRequest{&e1, &e2} {
			if err := tx.PutExtension(e); err != nil {
				return err
			}
		}
		e2.State, e2.DeciderID, e2.Decided = tasks.ExtApproved, 1, at(2, 0)
		if err := tx.PutExtension(&e2); err != nil {
			return err
		}
		for _, m := range []*tasks.Meeting{&m1, &m2} {
			if err := tx.PutMeeting(m); err != nil {
				return err
			}
		}
		if err := tx.PutInvite(tasks.Invite{Token: "tok", Role: tasks.RoleUnitHead, Unit: "snv", CreatedBy: 2, Expires: at(9, 0)}); err != nil {
			return err
		}
		for i := range 3 {
			if err := tx.PutSnapshot(tasks.Snapshot{At: at(1+i, 0), Tasks: []tasks.TaskState{{Code: "CCHC-1", Status: tasks.InProgress, Progress: 10 * i}}}); err != nil {
				return err
			}
		}
		return nil
	})
	mustView(t, s, func(tx tasks.Tx) error {
		want := e1
		want.Task = "CCHC-1"
		if got, err := tx.Extension(e1.ID); err != nil || got != want {
			t.Errorf("Extension=%+v,%v, want %+v", got, err, want)
		}
		if _, err := tx.Extension(99); !tasks.IsNotFound(err) {
			t.Errorf("Extension(99) err=%v", err)
		}
		for state, n := range map[tasks.ExtState]int{"": 2, tasks.ExtPending: 1, tasks.ExtApproved: 1, tasks.ExtRejected: 0} {
			if got, _ := tx.Extensions(state); len(got) != n {
				t.Errorf("Extensions(%q)=%d, want %d", state, len(got), n)
			}
		}
		ms, _ := tx.Meetings()
		if len(ms) != 2 || ms[0] != m2 || ms[1] != m1 {
			t.Errorf("Meetings=%+v, want the 2nd then the 3rd", ms)
		}
		snap, err := tx.LastSnapshot()
		if err != nil || !snap.At.Equal(at(3, 0)) || len(snap.Tasks) != 1 || snap.Tasks[0].Progress != 20 {
			t.Errorf("LastSnapshot=%+v,%v, want the third", snap, err)
		}
		return nil
	})
	mustUpdate(t, s, func(tx tasks.Tx) error {
		inv, err := tx.TakeInvite("tok")
		if err != nil || inv.Unit != "SNV" || inv.Role != tasks.RoleUnitHead || !inv.Expires.Equal(at(9, 0)) {
			t.Errorf("TakeInvite=%+v,%v", inv, err)
		}
		if _, err := tx.TakeInvite("tok"); !tasks.IsNotFound(err) {
			t.Errorf("second TakeInvite err=%v, want ENOTFOUND", err)
		}
		if err := tx.DeleteMeeting(m1.ID); err != nil {
			t.Errorf("DeleteMeeting: %v", err)
		}
		if err := tx.DeleteMeeting(m1.ID); !tasks.IsNotFound(err) {
			t.Errorf("second DeleteMeeting err=%v, want ENOTFOUND", err)
		}
		return nil
	})
	_ = s.View(ctx, func(tx tasks.Tx) error {
		if _, err := tx.Meeting(m1.ID); !tasks.IsNotFound(err) {
			t.Errorf("deleted meeting err=%v", err)
		}
		if got, err := tx.Meeting(m2.ID); err != nil || got != m2 {
			t.Errorf("Meeting=%+v,%v, want %+v", got, err, m2)
		}
		return nil
	})

	empty := MustOpen(t)
	_ = empty.View(ctx, func(tx tasks.Tx) error {
		if _, err := tx.LastSnapshot(); !tasks.IsNotFound(err) {
			t.Errorf("LastSnapshot on an empty store err=%v, want ENOTFOUND", err)
		}
		return nil
	})
}

func TestStore_SettingsAndSeq(t *testing.T) {
	s := MustOpen(t)
	mustUpdate(t, s, func(tx tasks.Tx) error {
		for i, want := range []uint64{1, 2, 3} {
			if got, err := tx.NextSeq("task"); got != want || err != nil {
				t.Errorf("NextSeq #%d=%d,%v, want %d", i, got, err, want)
			}
		}
		if got, _ := tx.NextSeq("other"); got != 1 {
			t.Errorf("NextSeq(other)=%d, want 1", got)
		}
		if off, last, err := tx.UpdateOffset(); off != 0 || !last.IsZero() || err != nil {
			t.Errorf("UpdateOffset on a new store=%d,%v,%v, want 0, zero, nil", off, last, err)
		}
		if k, err := tx.ButtonKey(); k != nil || err != nil {
			t.Errorf("ButtonKey on a new store=%x,%v, want nil", k, err)
		}
		if _, err := tx.ChatMovedTo(-100); !tasks.IsNotFound(err) {
			t.Errorf("ChatMovedTo(unmoved) err=%v, want ENOTFOUND", err)
		}
		if err := tx.PutButtonKey(nil); tasks.ErrorCode(err) != tasks.EINVALID {
			t.Errorf("PutButtonKey(nil) err=%v, want EINVALID", err)
		}
		key := []byte("0123456789abcdef0123456789abcdef")
		if err := tx.PutButtonKey(key); err != nil {
			return err
		}
		key[0] = 'X' // the store keeps its own copy
		if err := tx.PutChatMove(-100, -1001); err != nil {
			return err
		}
		if err := tx.PutMarker("sched:last:weekly", at(2, 8)); err != nil {
			return err
		}
		return tx.PutUpdateOffset(42, at(3, 9))
	})
	mustView(t, s, func(tx tasks.Tx) error {
		if k, _ := tx.ButtonKey(); string(k) != "0123456789abcdef0123456789abcdef" {
			t.Errorf("ButtonKey=%q", k)
		}
		if to, err := tx.ChatMovedTo(-100); to != -1001 || err != nil {
			t.Errorf("ChatMovedTo=%d,%v, want -1001", to, err)
		}
		if from, err := tx.ChatMovedFrom(-1001); from != -100 || err != nil {
			t.Errorf("ChatMovedFrom=%d,%v, want -100", from, err)
		}
		if m, err := tx.Marker("sched:last:weekly"); !m.Equal(at(2, 8)) || err != nil {
			t.Errorf("Marker=%v,%v, want 2 March 08:00", m, err)
		}
		if off, last, err := tx.UpdateOffset(); off != 42 || !last.Equal(at(3, 9)) || err != nil {
			t.Errorf("UpdateOffset=%d,%v,%v, want 42 at 3 March 09:00", off, last, err)
		}
		if got, _ := tx.NextSeq("task"); got != 0 {
			t.Errorf("NextSeq in View=%d, want the write refused", got)
		}
		return nil
	})
}

func TestStore_Batch(t *testing.T) {
	s := MustOpen(t)
	const n = 20
	errs := make(chan error, n)
	for i := range n {
		go func() {
			errs <- s.Batch(context.Background(), func(tx tasks.Tx) error {
				return tx.PutTask(tasks.Task{Code: "B-" + string(rune('A'+i)), Unit: "U"})
			})
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("Batch: %v", err)
		}
	}
	mustView(t, s, func(tx tasks.Tx) error {
		if ts, _ := tx.Tasks(tasks.TaskFilter{Unit: "U"}); len(ts) != n {
			t.Errorf("tasks after %d batched puts=%d", n, len(ts))
		}
		return nil
	})
	boom := errors.New("boom")
	if err := s.Batch(context.Background(), func(tasks.Tx) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("Batch err=%v, want fn's", err)
	}
}
