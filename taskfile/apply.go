package taskfile

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"time"

	"steerbot/tasks"
)

// Result counts what an import did (or, rolled back, would do).
type Result struct {
	Created      int // new tasks
	Updated      int // existing tasks the file changed
	Unchanged    int // existing tasks the file gives as they are
	UnitsCreated int // units created from unit_name
	Indicators   IndicatorCounts
}

// Apply writes rows into the store through tx, made by member by at now.
//
// It first checks every row against the store: a unit (lead or
// coordinating) must exist, by code or by its exact name, or be created by
// a unit_name given in the file (unit_name never renames an existing
// unit); codes must be present and unique. Any problem gives a
// *ValidationError and nothing is written. Otherwise it creates the new
// units, then each task:
//   - a new task gets the row's fields; its status is the row's, or done
//     at progress 100, in progress above 0, not started otherwise; done
//     means progress 100 and CompletedAt now. Its first Update (via import,
//     old status empty) records the creation;
//   - an existing task changes only in the columns the row gives (see
//     Row.Has), by the same rules as a member's update (tasks.Policy.Apply),
//     and gets one Update via import; a row that changes nothing records
//     nothing.
//
// Tx is what applying a task file needs of a transaction: the units and
// the tasks (with their history). A tasks.Tx is one.
type Tx interface {
	tasks.UnitStore
	tasks.TaskStore
	tasks.IndicatorStore
}

// Apply writes only inside tx: the caller's Store.Update commits all of it
// or, when Apply or anything after it fails, none.
func Apply(tx Tx, rows []Row, by tasks.Member, now time.Time) (Result, error) {
	pl, err := plan(tx, rows)
	if err != nil {
		return Result{}, err
	}
	if len(pl.problems) > 0 {
		return Result{}, &ValidationError{Problems: merge(pl.problems, nil)}
	}
	return pl.write(tx, by, now)
}

// Import reads a task file and applies it in tx (Read, then Apply), with
// the problems of both steps reported together in one *ValidationError, so
// that a bad date and an unknown unit are found in one go. today for
// DD/MM dates is now's day in loc. The file's indicators (see
// planIndicators) are imported with its tasks: a bad indicator row
// rejects the whole file.
func Import(tx Tx, r io.Reader, format Format, by tasks.Member, now time.Time, loc *time.Location) (Result, error) {
	rows, inds, problems, err := read(r, format, tasks.DateOf(now, loc))
	if err != nil {
		return Result{}, err
	}
	pl, err := plan(tx, rows)
	if err != nil {
		return Result{}, err
	}
	ipl, err := planIndicators(tx, inds, pl.newUnits, now, loc)
	if err != nil {
		return Result{}, err
	}
	if all := merge(problems, slices.Concat(pl.problems, ipl.problems)); len(all) > 0 {
		return Result{}, &ValidationError{Problems: all}
	}
	res, err := pl.write(tx, by, now)
	if err != nil {
		return Result{}, err
	}
	res.Indicators, err = ipl.write(tx, by)
	return res, err
}

// planned is an import checked against the store, ready to write.
type planned struct {
	rows     []Row                 // with unit names resolved to codes
	existing map[string]tasks.Task // stored tasks the rows name, by code
	newUnits []tasks.Unit
	problems []Problem
}

// unitIndex finds units by code or by name.
type unitIndex struct {
	byCode map[string]bool
	byName map[string][]string // folded name → codes
}

func (ix *unitIndex) add(u tasks.Unit) {
	ix.byCode[u.Code] = true
	if u.Name != "" {
		k := tasks.Fold(u.Name)
		ix.byName[k] = append(ix.byName[k], u.Code)
	}
}

// resolve returns the code of the unit s names: its code or, failing that,
// the one unit whose name it is.
func (ix *unitIndex) resolve(s string) (string, bool) {
	if ix.byCode[s] {
		return s, true
	}
	if codes := ix.byName[tasks.Fold(s)]; len(codes) == 1 {
		return codes[0], true
	}
	return "", false
}

// plan checks rows against the store and decides what to write. The error
// is the store's; problems with the rows are in planned.problems.
func plan(tx Tx, rows []Row) (*planned, error) {
	units, err := tx.Units()
	if err != nil {
		return nil, fmt.Errorf("import: list units: %w", err)
	}
	ix := &unitIndex{byCode: map[string]bool{}, byName: map[string][]string{}}
	for _, u := range units {
		ix.add(u)
	}
	pl := &planned{existing: map[string]tasks.Task{}}
	bad := func(r Row, c Column, value, why string) {
		pl.problems = append(pl.problems, problem(r.Line, c, value, why))
	}

	// Units the file creates: an unknown lead unit with a name.
	created := map[string]int{} // code → row that named it
	for _, r := range rows {
		if r.Task.Unit == "" || r.UnitName == "" {
			continue
		}
		if _, ok := ix.resolve(r.Task.Unit); ok {
			continue
		}
		code := r.Task.Unit
		if line, ok := created[code]; ok {
			prev := pl.newUnits[slices.IndexFunc(pl.newUnits, func(u tasks.Unit) bool { return u.Code == code })]
			if tasks.Fold(prev.Name) != tasks.Fold(r.UnitName) {
				bad(r, ColUnitName, r.UnitName, fmt.Sprintf("differs from %q on row %d", prev.Name, line))
			}
			continue
		}
		if !validCode(code) {
			bad(r, ColUnit, code, badUnitCode)
			continue
		}
		created[code] = r.Line
		pl.newUnits = append(pl.newUnits, tasks.Unit{Code: code, Name: r.UnitName})
	}
	for _, u := range pl.newUnits {
		ix.add(u)
	}

	first := map[string]int{}
	for _, r := range rows {
		t := &r.Task
		switch {
		case t.Code == "":
			bad(r, ColCode, "", "missing")
		case !validCode(t.Code):
			bad(r, ColCode, t.Code, badTaskCode)
		case first[t.Code] != 0:
			bad(r, ColCode, t.Code, fmt.Sprintf("repeats row %d", first[t.Code]))
		default:
			first[t.Code] = r.Line
		}
		if t.Title == "" {
			bad(r, ColTitle, "", "missing")
		}
		if t.Unit == "" {
			bad(r, ColUnit, "", "missing")
		} else if code, ok := ix.resolve(t.Unit); ok {
			t.Unit = code
		} else if r.UnitName == "" { // with a name, it is created or already refused
			bad(r, ColUnit, t.Unit, "is not a known unit (give unit_name to create it)")
		}
		co := make([]string, 0, len(t.CoUnits))
		for _, u := range t.CoUnits {
			code, ok := ix.resolve(u)
			if !ok {
				bad(r, ColCoUnits, u, "is not a known unit")
				continue
			}
			if !contains(co, code) {
				co = append(co, code)
			}
		}
		t.CoUnits = co
		if !validCode(t.Code) || first[t.Code] != r.Line {
			continue
		}
		old, err := tx.Task(t.Code)
		switch {
		case err == nil:
			pl.existing[t.Code] = old
		case !tasks.IsNotFound(err):
			return nil, fmt.Errorf("import: task %s: %w", t.Code, err)
		}
		pl.rows = append(pl.rows, r)
	}
	sort.Slice(pl.newUnits, func(i, j int) bool { return pl.newUnits[i].Code < pl.newUnits[j].Code })
	return pl, nil
}

// write stores the planned units, tasks and updates.
func (pl *planned) write(tx Tx, by tasks.Member, now time.Time) (Result, error) {
	var res Result
	for _, u := range pl.newUnits {
		if err := tx.PutUnit(u); err != nil {
			return Result{}, fmt.Errorf("import: create unit %s: %w", u.Code, err)
		}
		res.UnitsCreated++
	}
	for _, r := range pl.rows {
		var (
			t   tasks.Task
			u   tasks.Update
			err error
		)
		old, exists := pl.existing[r.Task.Code]
		if exists {
			var changed bool
			t, u, changed, err = update(old, r, by, now)
			if err != nil {
				return Result{}, fmt.Errorf("import: row %d: %w", r.Line, err)
			}
			if !changed {
				res.Unchanged++
				continue
			}
			res.Updated++
		} else {
			t, u = create(r, by, now)
			res.Created++
		}
		if err := tasks.Record(tx, t, &u); err != nil {
			return Result{}, fmt.Errorf("import: %w", err)
		}
	}
	return res, nil
}

// create returns the new task a row describes and the Update that records
// its creation.
func create(r Row, by tasks.Member, now time.Time) (tasks.Task, tasks.Update) {
	t := r.Task
	if !r.Has.Contains(ColCoUnits) {
		t.CoUnits = nil
	}
	if t.Status == "" {
		switch {
		case t.Progress == 100:
			t.Status = tasks.Done
		case t.Progress > 0:
			t.Status = tasks.InProgress
		default:
			t.Status = tasks.NotStarted
		}
	}
	if t.Status == tasks.Done {
		// When it was done is not in the file: unknown, so the digest
		// counts it neither on time nor late (not "late" for every task
		// a committee imports after the fact).
		t.Progress = 100
		t.CompletedAt = time.Time{}
	}
	t.Created, t.Updated = now, now
	return t, tasks.Update{
		Task:        t.Code,
		At:          now,
		By:          by.ID,
		ByName:      by.Name,
		Via:         tasks.ViaImport,
		NewStatus:   t.Status,
		NewProgress: t.Progress,
		NewDeadline: t.Deadline,
	}
}

// update returns old changed by the columns the row gives and the Update
// that records it; changed is false when the row gives old as it is.
func update(old tasks.Task, r Row, by tasks.Member, now time.Time) (tasks.Task, tasks.Update, bool, error) {
	var c tasks.Change
	if r.Has.Contains(ColStatus) {
		c.Status = tasks.StatusPtr(r.Task.Status)
	}
	if r.Has.Contains(ColProgress) {
		c.Progress = tasks.IntPtr(r.Task.Progress)
	}
	if r.Has.Contains(ColDeadline) {
		d := r.Task.Deadline
		c.Deadline, c.DeadlineText = &d, r.Task.DeadlineText
	}
	t := old
	u := tasks.Update{
		Task: old.Code, At: now, By: by.ID, ByName: by.Name, Via: tasks.ViaImport,
		OldStatus: old.Status, NewStatus: old.Status,
		OldProgress: old.Progress, NewProgress: old.Progress,
		OldDeadline: old.Deadline, NewDeadline: old.Deadline,
	}
	if !c.Empty() {
		var err error
		if u, err = (tasks.Policy{}).Apply(&t, c, by, tasks.ViaImport, now); err != nil {
			return old, tasks.Update{}, false, err
		}
	}
	t.Title, t.Unit = r.Task.Title, r.Task.Unit
	if r.Has.Contains(ColCoUnits) {
		t.CoUnits = r.Task.CoUnits
	}
	if r.Has.Contains(ColGroup) {
		t.Group = r.Task.Group
	}
	if r.Has.Contains(ColSource) {
		t.Source = r.Task.Source
	}
	if same(old, t) {
		return old, tasks.Update{}, false, nil
	}
	t.Updated = now
	return t, u, true, nil
}

// same reports whether a and b agree in every column of the task file.
func same(a, b tasks.Task) bool {
	return a.Title == b.Title && a.Unit == b.Unit && slices.Equal(a.CoUnits, b.CoUnits) &&
		a.Group == b.Group && a.Source == b.Source && a.Deadline == b.Deadline && a.DeadlineText == b.DeadlineText &&
		a.Status == b.Status && a.Progress == b.Progress
}
