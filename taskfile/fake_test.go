package taskfile_test

import (
	"slices"
	"sort"
	"testing"
	"time"

	"steerbot/tasks"
)

// fakeTx is the part of tasks.Tx that the task file uses, over maps. The
// embedded nil Tx makes any other method panic, so a test fails loudly if
// the package starts to need more of the store.
type fakeTx struct {
	tasks.Tx
	units   map[string]tasks.Unit
	tasks   map[string]tasks.Task
	updates []tasks.Update
	writes  int // PutUnit, PutTask and AddUpdate calls
}

func newFakeTx(units ...tasks.Unit) *fakeTx {
	tx := &fakeTx{units: map[string]tasks.Unit{}, tasks: map[string]tasks.Task{}}
	for _, u := range units {
		tx.units[u.Code] = u
	}
	return tx
}

func (f *fakeTx) Unit(code string) (tasks.Unit, error) {
	u, ok := f.units[tasks.NormalizeCode(code)]
	if !ok {
		return tasks.Unit{}, tasks.NewError(tasks.ENOTFOUND, "unit_not_found", "no unit "+code)
	}
	return u, nil
}

func (f *fakeTx) Units() ([]tasks.Unit, error) {
	var us []tasks.Unit
	for _, u := range f.units {
		us = append(us, u)
	}
	sort.Slice(us, func(i, j int) bool { return us[i].Code < us[j].Code })
	return us, nil
}

func (f *fakeTx) PutUnit(u tasks.Unit) error {
	f.writes++
	f.units[u.Code] = u
	return nil
}

func (f *fakeTx) Task(code string) (tasks.Task, error) {
	t, ok := f.tasks[tasks.NormalizeCode(code)]
	if !ok {
		return tasks.Task{}, tasks.NewError(tasks.ENOTFOUND, "task_not_found", "no task "+code)
	}
	t.CoUnits = slices.Clone(t.CoUnits)
	return t, nil
}

func (f *fakeTx) Tasks(tasks.TaskFilter) ([]tasks.Task, error) {
	var ts []tasks.Task
	for _, t := range f.tasks {
		ts = append(ts, t)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].Code < ts[j].Code })
	return ts, nil
}

func (f *fakeTx) PutTask(t tasks.Task) error {
	f.writes++
	t.CoUnits = slices.Clone(t.CoUnits)
	f.tasks[t.Code] = t
	return nil
}

func (f *fakeTx) AddUpdate(u *tasks.Update) error {
	f.writes++
	u.ID = uint64(len(f.updates) + 1)
	f.updates = append(f.updates, *u)
	return nil
}

// sortedTasks returns the stored tasks ordered by code.
func (f *fakeTx) sortedTasks(tb testing.TB) []tasks.Task {
	tb.Helper()
	ts, err := f.Tasks(tasks.TaskFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	return ts
}

var (
	hcm   = mustLoc("Asia/Ho_Chi_Minh")
	now   = time.Date(2024, 5, 20, 9, 30, 0, 0, hcm)
	today = tasks.DateOf(now, hcm)
	clerk = tasks.Member{ID: 7, Name: "Trần Thị B", Role: tasks.RoleSecretariat, TelegramID: 222}
)

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone(name, 7*3600)
	}
	return loc
}

// baseUnits are the units a committee already has.
func baseUnits() []tasks.Unit {
	return []tasks.Unit{
		{Code: "SNV", Name: "Sở Nội vụ"},
		{Code: "STC", Name: "Sở Tài chính"},
		{Code: "STP", Name: "Sở Tư pháp"},
		{Code: "STTTT", Name: "Sở Thông tin và Truyền thông"},
		{Code: "VPUB", Name: "Văn phòng UBND"},
	}
}

func date(y int, m time.Month, d int) tasks.Date { return tasks.Date{Year: y, Month: m, Day: d} }
