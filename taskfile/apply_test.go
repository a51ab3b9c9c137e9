package taskfile_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"steerbot/taskfile"
	"steerbot/tasks"
)

// importCSV imports a CSV text into tx.
func importCSV(t *testing.T, tx *fakeTx, at time.Time, in string) (taskfile.Result, error) {
	t.Helper()
	return taskfile.Import(tx, strings.NewReader(in), taskfile.CSV, clerk, at, hcm)
}

func TestApply_UnitsChecked(t *testing.T) {
	in := "code,title,unit,unit_name,co_units\n" +
		"A-1,Known unit,SNV,,\n" +
		"A-2,Unknown lead,XYZ,,\n" +
		"A-3,Unknown co-unit,SNV,,\"STP, QQQ\"\n" +
		"A-4,New unit,UBND-Q3,UBND Quận 3,\n" +
		"A-5,Same new unit named otherwise,UBND-Q3,UBND Quan 5,\n" +
		"A-6,Name that is no code,Sở Mới,Sở Mới,\n" +
		"A-7,Co-unit created by row 5,STP,,ubnd-q3\n"
	rows, err := taskfile.Read(strings.NewReader(in), taskfile.CSV, today)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	tx := newFakeTx(baseUnits()...)
	_, err = taskfile.Apply(tx, rows, clerk, now)
	checkProblems(t, err, []string{
		`row 3, unit: "XYZ" is not a known unit (give unit_name to create it)`,
		`row 4, co_units: "QQQ" is not a known unit`,
		`row 6, unit_name: "UBND Quan 5" differs from "UBND Quận 3" on row 5`,
		`row 7, unit: "SỞ MỚI" is not a unit code (letters, digits and - _ . / # only, not beginning with -, at most 32 bytes)`,
	})
	if tx.writes != 0 {
		t.Errorf("%d writes, want none when any row is bad", tx.writes)
	}
}

func TestApply_UnitName(t *testing.T) {
	tx := newFakeTx(baseUnits()...)
	res, err := importCSV(t, tx, now, "code,title,unit,unit_name,co_units\n"+
		"A-1,New unit,ubnd-q3,UBND Quận 3,\n"+
		"A-2,Same unit again,UBND-Q3,ubnd quan 3,\n"+
		"A-3,Existing unit keeps its name,SNV,Sở Nội vụ TP,UBND Quận 3\n")
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if res.UnitsCreated != 1 || res.Created != 3 {
		t.Errorf("result=%+v, want 3 tasks and 1 unit created", res)
	}
	if got, want := tx.units["UBND-Q3"], (tasks.Unit{Code: "UBND-Q3", Name: "UBND Quận 3"}); got != want {
		t.Errorf("unit=%+v, want %+v", got, want)
	}
	if got := tx.units["SNV"].Name; got != "Sở Nội vụ" {
		t.Errorf("SNV renamed to %q by unit_name", got)
	}
	if got := tx.tasks["A-3"].CoUnits; !reflect.DeepEqual(got, []string{"UBND-Q3"}) {
		t.Errorf("co-units=%q, want the new unit found by its name", got)
	}
}

func TestApply_NewTaskStatus(t *testing.T) {
	tx := newFakeTx(baseUnits()...)
	_, err := importCSV(t, tx, now, "code,title,unit,status,progress\n"+
		"N-1,Nothing given,SNV,,\n"+
		"N-2,Half done,SNV,,50\n"+
		"N-3,All done,SNV,,100\n"+
		"N-4,Done without progress,SNV,xong,\n"+
		"N-5,Stopped,SNV,dừng,\n")
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	tests := []struct {
		code      string
		status    tasks.Status
		progress  int
		completed bool
	}{
		{"N-1", tasks.NotStarted, 0, false},
		{"N-2", tasks.InProgress, 50, false},
		{"N-3", tasks.Done, 100, true},
		{"N-4", tasks.Done, 100, true},
		{"N-5", tasks.Stopped, 0, false},
	}
	for _, tt := range tests {
		got := tx.tasks[tt.code]
		// A file does not say when a task was done: unknown, never "now".
		if got.Status != tt.status || got.Progress != tt.progress || !got.CompletedAt.IsZero() {
			t.Errorf("%s: %s %d%% completed=%v, want %s %d%%, completion unknown", tt.code, got.Status, got.Progress, got.CompletedAt, tt.status, tt.progress)
		}
	}
}

func TestImport_Reimport(t *testing.T) {
	tx := newFakeTx(baseUnits()...)
	first := now.Add(-30 * 24 * time.Hour)
	_, err := importCSV(t, tx, first, "code,title,unit,deadline,status,progress,group\n"+
		"A,Unchanged,SNV,2024-06-30,proposed_stop,0,G\n"+
		"B,Progress changes,STC,2024-06-30,in_progress,40,G\n"+
		"C,Deadline changes,STP,2024-04-30,done,100,G\n"+
		"E,Title changes,STP,,,,G\n")
	if err != nil {
		t.Fatalf("first import: %v", err)
	}
	before := len(tx.updates)
	completedC := tx.tasks["C"].CompletedAt

	// No status column, and no group: neither is touched.
	res, err := importCSV(t, tx, now, "Mã,Nhiệm vụ,Đơn vị chủ trì,Thời hạn,Tiến độ\n"+
		"A,Unchanged,SNV,30/06/2024,0\n"+
		"B,Progress changes,STC,30/06/2024,70%\n"+
		"C,Deadline changes,STP,31/05/2024,100\n"+
		"D,New,SNV,,\n"+
		"E,Title changed,STP,,\n")
	if err != nil {
		t.Fatalf("re-import: %v", err)
	}
	if want := (taskfile.Result{Created: 1, Updated: 3, Unchanged: 1}); res != want {
		t.Errorf("result=%+v, want %+v", res, want)
	}
	got := map[string]tasks.Update{}
	for _, u := range tx.updates[before:] {
		if u.Via != tasks.ViaImport || !u.At.Equal(now) || u.By != clerk.ID {
			t.Errorf("update %+v: want via import at %v by %d", u, now, clerk.ID)
		}
		if _, dup := got[u.Task]; dup {
			t.Errorf("two updates for %s", u.Task)
		}
		got[u.Task] = u
	}
	if _, ok := got["A"]; ok {
		t.Errorf("unchanged row A recorded an update: %+v", got["A"])
	}
	if u := got["B"]; u.OldProgress != 40 || u.NewProgress != 70 || u.OldStatus != tasks.InProgress || u.NewStatus != tasks.InProgress {
		t.Errorf("B update=%+v, want progress 40→70, in progress", u)
	}
	if u := got["C"]; u.OldDeadline != date(2024, 4, 30) || u.NewDeadline != date(2024, 5, 31) || u.NewStatus != tasks.Done {
		t.Errorf("C update=%+v, want deadline 2024-04-30→2024-05-31, still done", u)
	}
	if u := got["D"]; u.OldStatus != "" || u.NewStatus != tasks.NotStarted {
		t.Errorf("D update=%+v, want the creation of a not started task", u)
	}
	if u := got["E"]; u.OldStatus != u.NewStatus || u.OldProgress != u.NewProgress {
		t.Errorf("E update=%+v, want a title-only change keeping status and progress", u)
	}
	if len(got) != 4 {
		t.Errorf("%d updates, want 4 (B, C, D, E)", len(got))
	}

	if a := tx.tasks["A"]; a.Status != tasks.ProposedStop || a.Group != "G" {
		t.Errorf("A: status=%s group=%q, want proposed_stop and G kept", a.Status, a.Group)
	}
	if c := tx.tasks["C"]; c.Status != tasks.Done || !c.CompletedAt.Equal(completedC) || c.Deadline != date(2024, 5, 31) {
		t.Errorf("C: %s completed %v deadline %v, want done, completed %v kept, deadline 2024-05-31", c.Status, c.CompletedAt, c.Deadline, completedC)
	}
	if e := tx.tasks["E"]; e.Title != "Title changed" || !e.Updated.Equal(now) || !e.Created.Equal(first) {
		t.Errorf("E: title=%q updated=%v created=%v, want the new title updated now, created %v", e.Title, e.Updated, e.Created, first)
	}

	// The same file again changes nothing.
	before = len(tx.updates)
	res, err = importCSV(t, tx, now.Add(time.Hour), "Mã,Nhiệm vụ,Đơn vị chủ trì,Thời hạn,Tiến độ\n"+
		"A,Unchanged,SNV,30/06/2024,0\n"+
		"B,Progress changes,STC,30/06/2024,70%\n"+
		"C,Deadline changes,STP,31/05/2024,100\n"+
		"D,New,SNV,,\n"+
		"E,Title changed,STP,,\n")
	if err != nil {
		t.Fatalf("third import: %v", err)
	}
	if want := (taskfile.Result{Unchanged: 5}); res != want || len(tx.updates) != before {
		t.Errorf("result=%+v with %d new updates, want %+v and none", res, len(tx.updates)-before, want)
	}
}

func TestImport_ReopensClosedTask(t *testing.T) {
	// The secretariat's file is the committee's list: an import may set any
	// status, even on a task the committee closed.
	tx := newFakeTx(baseUnits()...)
	if _, err := importCSV(t, tx, now, "code,title,unit,status\nS,Stopped,SNV,stopped\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := importCSV(t, tx, now, "code,title,unit,status,progress\nS,Stopped,SNV,in progress,20\n"); err != nil {
		t.Fatalf("re-import: %v", err)
	}
	if s := tx.tasks["S"]; s.Status != tasks.InProgress || s.Progress != 20 {
		t.Errorf("S: %s %d%%, want in_progress 20%%", s.Status, s.Progress)
	}
}
