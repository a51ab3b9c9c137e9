package storage

import (
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"steerbot/tasks"
)

// Task returns a task by code, case-insensitively (ENOTFOUND).
func (t *Tx) Task(code string) (tasks.Task, error) {
	code = tasks.NormalizeCode(code)
	var task tasks.Task
	ok, err := getJSON(t.b(bucketTasks), []byte(code), &task)
	if err != nil {
		return tasks.Task{}, fmt.Errorf("task %s: %w", code, err)
	}
	if !ok {
		return tasks.Task{}, notFound("task_not_found", "task "+code+" not found", code)
	}
	return task, nil
}

// Tasks returns the tasks that f selects, ordered by code. Unit and
// Involving are unit codes, matched case-insensitively; Group is exact.
// When a field is set, the matching index is read instead of every task.
func (t *Tx) Tasks(f tasks.TaskFilter) ([]tasks.Task, error) {
	f.Unit = tasks.NormalizeCode(f.Unit)
	f.Involving = tasks.NormalizeCode(f.Involving)
	keep := func(task tasks.Task) bool {
		return (f.Unit == "" || task.Unit == f.Unit) &&
			(f.Involving == "" || task.Involves(f.Involving)) &&
			(f.Group == "" || task.Group == f.Group) &&
			(!f.OpenOnly || task.Status.Open())
	}
	var out []tasks.Task
	taskB := t.b(bucketTasks)
	add := func(k, v []byte) error {
		var task tasks.Task
		if err := decode(k, v, &task); err != nil {
			return err
		}
		if keep(task) {
			out = append(out, task)
		}
		return nil
	}
	var idx *bolt.Bucket
	var prefix []byte
	switch {
	case f.Unit != "":
		idx, prefix = t.b(bucketTasksUnit), field(f.Unit)
	case f.Involving != "":
		idx, prefix = t.b(bucketTasksInv), field(f.Involving)
	case f.Group != "":
		idx, prefix = t.b(bucketTasksGroup), field(f.Group)
	}
	var err error
	if idx != nil {
		if err := t.flushAll(); err != nil {
			return nil, fmt.Errorf("tasks: %w", err)
		}
	}
	if idx == nil {
		err = taskB.ForEach(add)
	} else {
		err = scanPrefix(idx, prefix, func(k, _ []byte) (bool, error) {
			code := k[len(prefix):]
			v := taskB.Get(code)
			if v == nil {
				return false, fmt.Errorf("index names missing task %s", code)
			}
			return true, add(code, v)
		})
	}
	if err != nil {
		return nil, fmt.Errorf("tasks: %w", err)
	}
	return out, nil
}

// indexEntry is one key of a task in one index bucket.
type indexEntry struct {
	bucket string
	key    string
}

// taskIndex lists the index keys of a task.
func taskIndex(task tasks.Task) map[indexEntry]bool {
	code := []byte(task.Code)
	out := map[indexEntry]bool{}
	if task.Unit != "" {
		out[indexEntry{string(bucketTasksUnit), string(composite(task.Unit, code))}] = true
		out[indexEntry{string(bucketTasksInv), string(composite(task.Unit, code))}] = true
	}
	for _, u := range task.CoUnits {
		out[indexEntry{string(bucketTasksInv), string(composite(u, code))}] = true
	}
	if task.Group != "" {
		out[indexEntry{string(bucketTasksGroup), string(composite(task.Group, code))}] = true
	}
	return out
}

// PutTask creates or replaces a task and keeps the unit, involving-unit and
// group indexes right when those fields change. Codes (the task's, its lead
// and coordinating units') are stored upper case; empty and repeated
// coordinating units are dropped. An empty or over-long code or group name
// is EINVALID. Changes to an existing task are recorded by the caller with
// AddUpdate in the same transaction.
func (t *Tx) PutTask(task tasks.Task) error {
	if err := t.writable("put task"); err != nil {
		return err
	}
	task.Code = tasks.NormalizeCode(task.Code)
	if err := checkCode("task", task.Code); err != nil {
		return err
	}
	if len(task.Group) > maxGroupLen {
		return tasks.NewError(tasks.EINVALID, "group_too_long",
			fmt.Sprintf("group name is longer than %d bytes", maxGroupLen), maxGroupLen)
	}
	task.Unit = tasks.NormalizeCode(task.Unit)
	if err := checkUnitRef(task.Unit); err != nil {
		return err
	}
	var co []string
	for _, u := range task.CoUnits {
		u = tasks.NormalizeCode(u)
		if err := checkUnitRef(u); err != nil {
			return err
		}
		if u != "" && !slices.Contains(co, u) {
			co = append(co, u)
		}
	}
	task.CoUnits = co

	taskB := t.b(bucketTasks)
	var old tasks.Task
	exists, err := getJSON(taskB, []byte(task.Code), &old)
	if err != nil {
		return fmt.Errorf("put task %s: %w", task.Code, err)
	}
	oldIdx := map[indexEntry]bool{}
	if exists {
		oldIdx = taskIndex(old)
	}
	newIdx := taskIndex(task)
	for e := range oldIdx {
		if !newIdx[e] {
			t.deferDelete([]byte(e.bucket), []byte(e.key))
		}
	}
	for e := range newIdx {
		if !oldIdx[e] {
			t.deferPut([]byte(e.bucket), []byte(e.key), nil)
		}
	}
	if err := putJSON(taskB, []byte(task.Code), task); err != nil {
		return fmt.Errorf("put task %s: %w", task.Code, err)
	}
	t.deferPut(bucketSummaries, []byte(task.Code), encodeSummary(nil, &task))
	if !exists {
		// Counts the summaries, a hint for TaskSummaries' allocation.
		sb := t.b(bucketSummaries)
		if err := sb.SetSequence(sb.Sequence() + 1); err != nil {
			return fmt.Errorf("put task %s: %w", task.Code, err)
		}
	}
	return nil
}

func checkUnitRef(code string) error {
	if len(code) > maxCodeLen {
		return checkCode("unit", code)
	}
	return nil
}

// AddUpdate appends u to its task's history and assigns u.ID, increasing
// across all tasks. u.Task is stored upper case; the task must exist in
// this transaction (ENOTFOUND), so put a new task before its first update.
func (t *Tx) AddUpdate(u *tasks.Update) error {
	if err := t.writable("add update"); err != nil {
		return err
	}
	u.Task = tasks.NormalizeCode(u.Task)
	if !has(t.b(bucketTasks), []byte(u.Task)) {
		return notFound("task_not_found", "task "+u.Task+" not found", u.Task)
	}
	b := t.b(bucketUpdates)
	id, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("add update: %w", err)
	}
	u.ID = id
	if err := putJSON(b, composite(u.Task, u64(id)), u); err != nil {
		return fmt.Errorf("add update to %s: %w", u.Task, err)
	}
	return nil
}

// History returns a task's updates, oldest first; limit > 0 keeps the
// newest limit of them. An unknown task has no history (no error).
func (t *Tx) History(code string, limit int) ([]tasks.Update, error) {
	code = tasks.NormalizeCode(code)
	prefix := field(code)
	b := t.b(bucketUpdates)
	var out []tasks.Update
	add := func(k, v []byte) error {
		var u tasks.Update
		if err := decode(k, v, &u); err != nil {
			return err
		}
		out = append(out, u)
		return nil
	}
	if limit <= 0 {
		err := scanPrefix(b, prefix, func(k, v []byte) (bool, error) { return true, add(k, v) })
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", code, err)
		}
		return out, nil
	}
	// Walk back from the end of the task's range.
	c := b.Cursor()
	k, v := c.Seek(composite(code, u64(^uint64(0))))
	if k == nil {
		k, v = c.Last()
	} else if !hasPrefixLen(k, prefix, 8) {
		k, v = c.Prev()
	}
	for ; k != nil && hasPrefixLen(k, prefix, 8) && len(out) < limit; k, v = c.Prev() {
		if err := add(k, v); err != nil {
			return nil, fmt.Errorf("history of %s: %w", code, err)
		}
	}
	slices.Reverse(out)
	return out, nil
}

// hasPrefixLen reports whether k is prefix followed by exactly n bytes.
func hasPrefixLen(k, prefix []byte, n int) bool {
	return len(k) == len(prefix)+n && string(k[:len(prefix)]) == string(prefix)
}
