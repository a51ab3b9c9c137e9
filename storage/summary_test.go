package storage_test

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"steerbot/storage"
	"steerbot/tasks"
)

// summaryFields are the fields of tasks.Task a summary keeps (what the
// digest reads); summaryLeftOut the ones it does not.
var (
	summaryFields  = []string{"Code", "Title", "Unit", "Group", "Status", "Progress", "Deadline", "CompletedAt", "Blocker", "DeadlineText", "Updated", "CoUnits"}
	summaryLeftOut = []string{"Source", "Note", "Created"}
)

// digestView keeps the fields of t that a summary holds, the times in
// UTC (the instant is what counts).
func digestView(t tasks.Task) tasks.Task {
	v := tasks.Task{Code: t.Code, Title: t.Title, Unit: t.Unit, Group: t.Group, Status: t.Status,
		Progress: t.Progress, Deadline: t.Deadline, Blocker: t.Blocker, DeadlineText: t.DeadlineText}
	if !t.CompletedAt.IsZero() {
		v.CompletedAt = t.CompletedAt.UTC()
	}
	if !t.Updated.IsZero() {
		v.Updated = t.Updated.UTC()
	}
	if len(t.CoUnits) > 0 {
		v.CoUnits = t.CoUnits
	}
	return v
}

// checkSummaries fails unless TaskSummaries gives exactly Tasks seen
// through digestView.
func checkSummaries(t *testing.T, tx tasks.Tx) {
	t.Helper()
	whole, err := tx.Tasks(tasks.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := tasks.DigestTasks(tx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(whole) {
		t.Fatalf("%d summaries, want %d", len(got), len(whole))
	}
	for i := range whole {
		if want := digestView(whole[i]); !reflect.DeepEqual(got[i], want) {
			t.Errorf("summary %d=%+v, want %+v", i, got[i], want)
		}
	}
}

// A new field of tasks.Task must be placed: in the summary (the digest
// reads it: encodeSummary, a new summary version and a migration that
// rebuilds them) or in the list of fields left out.
func TestTaskSummaries_Fields(t *testing.T) {
	known := map[string]bool{}
	for _, f := range append(append([]string{}, summaryFields...), summaryLeftOut...) {
		known[f] = true
	}
	typ := reflect.TypeFor[tasks.Task]()
	for i := range typ.NumField() {
		if f := typ.Field(i).Name; !known[f] {
			t.Errorf("tasks.Task.%s is neither in the task summary (storage/summary.go) nor in summaryLeftOut: does the digest read it?", f)
		}
	}
}

func TestTaskSummaries(t *testing.T) {
	s := MustOpen(t)
	hcm := time.FixedZone("ICT", 7*3600)
	a := sampleTask("CCHC-2", "SNV", "Chính quyền số")
	a.CompletedAt = time.Date(2026, 3, 10, 23, 30, 0, 0, hcm) // 10/03 in Hà Nội, 10/03 16:30 UTC
	b := sampleTask("cchc-1", "stp", "")
	b.Status, b.Progress, b.CompletedAt, b.Deadline = tasks.InProgress, 40, time.Time{}, tasks.Date{}
	b.Blocker, b.DeadlineText = "chờ ý kiến Sở Tài chính", "Thường xuyên"
	mustUpdate(t, s, func(tx tasks.Tx) error {
		for _, task := range []tasks.Task{a, b} {
			if err := tx.PutTask(task); err != nil {
				return err
			}
		}
		checkSummaries(t, tx) // in the transaction that wrote them
		return nil
	})
	mustView(t, s, func(tx tasks.Tx) error { checkSummaries(t, tx); return nil })

	// A change of unit, group, status and title in a later transaction;
	// the unit index follows in the same transaction.
	mustUpdate(t, s, func(tx tasks.Tx) error {
		b.Code, b.Unit, b.Group, b.Title = "CCHC-1", "SNV", "Kế hoạch 2026", "Tiêu đề mới"
		b.Status, b.Progress, b.Blocker = tasks.Done, 100, ""
		b.CompletedAt = at(12, 8)
		if err := tx.PutTask(b); err != nil {
			return err
		}
		ts, err := tx.Tasks(tasks.TaskFilter{Unit: "SNV"})
		if err != nil {
			return err
		}
		if got := codes(ts); !reflect.DeepEqual(got, []string{"CCHC-1", "CCHC-2"}) {
			t.Errorf("SNV's tasks in the writing transaction=%v, want both", got)
		}
		return nil
	})
	mustView(t, s, func(tx tasks.Tx) error {
		checkSummaries(t, tx)
		for unit, want := range map[string][]string{"SNV": {"CCHC-1", "CCHC-2"}, "STP": {}} {
			ts, err := tx.Tasks(tasks.TaskFilter{Unit: unit})
			if err != nil {
				return err
			}
			if got := codes(ts); !reflect.DeepEqual(got, want) {
				t.Errorf("tasks of %s=%v, want %v", unit, got, want)
			}
		}
		return nil
	})
}

// The same task put twice in one transaction, moving between units: the
// index holds its last unit only.
func TestStore_PutTaskTwiceInOneTx(t *testing.T) {
	s := MustOpen(t)
	task := sampleTask("CCHC-1", "SNV", "G1")
	mustUpdate(t, s, func(tx tasks.Tx) error {
		if err := tx.PutTask(task); err != nil {
			return err
		}
		task.Unit, task.Group = "STP", "G2"
		return tx.PutTask(task)
	})
	mustView(t, s, func(tx tasks.Tx) error {
		for _, f := range []tasks.TaskFilter{{Unit: "SNV"}, {Group: "G1"}, {Involving: "SNV"}} {
			if ts, _ := tx.Tasks(f); len(ts) != 0 {
				t.Errorf("Tasks(%+v)=%v, want none", f, codes(ts))
			}
		}
		for _, f := range []tasks.TaskFilter{{Unit: "STP"}, {Group: "G2"}, {Involving: "STP"}, {Involving: "SKHDT"}} {
			if ts, _ := tx.Tasks(f); len(ts) != 1 {
				t.Errorf("Tasks(%+v)=%v, want CCHC-1", f, codes(ts))
			}
		}
		checkSummaries(t, tx)
		return nil
	})
}

// A file of schema 1 has no summaries: Open builds them, and the digest
// then reads the same tasks as before.
func TestOpen_MigratesSummaries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	mustUpdate(t, s, func(tx tasks.Tx) error {
		for _, task := range []tasks.Task{sampleTask("CCHC-1", "SNV", "G"), sampleTask("CCHC-2", "STP", "")} {
			if err := tx.PutTask(task); err != nil {
				return err
			}
		}
		return nil
	})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Back to schema 1, with a JSON snapshot as schema 1 wrote them.
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket([]byte("task_summaries")); err != nil {
			return err
		}
		// As schema 1 wrote it: the tasks in a map by code.
		snap, err := json.Marshal(map[string]any{"At": at(2, 9), "Tasks": map[string]any{
			"CCHC-2": map[string]any{"Status": tasks.Done, "Progress": 100},
			"CCHC-1": map[string]any{"Status": tasks.InProgress, "Progress": 30},
		}})
		if err != nil {
			return err
		}
		if err := tx.Bucket([]byte("snapshots")).Put([]byte{0, 0, 0, 0, 0, 0, 0, 1}, snap); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 1})
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}

	s = mustOpenPath(t, path)
	mustView(t, s, func(tx tasks.Tx) error {
		checkSummaries(t, tx)
		snap, err := tx.LastSnapshot()
		if err != nil {
			return err
		}
		want := []tasks.TaskState{{Code: "CCHC-1", Status: tasks.InProgress, Progress: 30}, {Code: "CCHC-2", Status: tasks.Done, Progress: 100}}
		if !reflect.DeepEqual(snap.Tasks, want) || !snap.At.Equal(at(2, 9)) {
			t.Errorf("schema 1 snapshot=%+v, want %+v in code order", snap, want)
		}
		return nil
	})
}

// A file of schema 7 has summaries of version 1, without Updated and
// CoUnits: Open rebuilds them (step 8), and the dashboard reads each
// task's last update and coordinating units from them.
func TestOpen_MigratesSummariesV2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	task := sampleTask("CCHC-1", "SNV", "G")
	task.Updated = at(3, 10)
	mustUpdate(t, s, func(tx tasks.Tx) error { return tx.PutTask(task) })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		// A summary as version 1 wrote it: no Updated after CompletedAt.
		v1 := []byte{1}
		for _, s := range []string{task.Title, task.Unit, task.Group, string(task.Status), task.Blocker, task.DeadlineText} {
			v1 = append(v1, byte(len(s)))
			v1 = append(v1, s...)
		}
		v1 = append(v1, byte(task.Progress), 0, 0, 0, 0)
		if err := tx.Bucket([]byte("task_summaries")).Put([]byte(task.Code), v1); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 7})
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	s = mustOpenPath(t, path)
	mustView(t, s, func(tx tasks.Tx) error {
		checkSummaries(t, tx)
		got, err := tasks.DigestTasks(tx)
		if err != nil {
			return err
		}
		if len(got) != 1 || !got[0].Updated.Equal(task.Updated) || !got[0].Involves("STTTT") {
			t.Errorf("summaries after step 8=%+v, want CCHC-1 updated at %v, coordinated by STTTT", got, task.Updated)
		}
		return nil
	})
}

// Snapshots round-trip in their compact form, many tasks included.
func TestStore_SnapshotCompact(t *testing.T) {
	s := MustOpen(t)
	want := tasks.TakeSnapshot(benchTasks(1000), at(5, 7))
	mustUpdate(t, s, func(tx tasks.Tx) error { return tx.PutSnapshot(want) })
	mustView(t, s, func(tx tasks.Tx) error {
		got, err := tx.LastSnapshot()
		if err != nil {
			return err
		}
		if !got.At.Equal(want.At) || !reflect.DeepEqual(got.Tasks, want.Tasks) {
			t.Errorf("snapshot of %d tasks at %v, want %d at %v (or the states differ)", len(got.Tasks), got.At, len(want.Tasks), want.At)
		}
		return nil
	})
}
