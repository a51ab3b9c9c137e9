package storage

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	"steerbot/tasks"
)

// A digest snapshot holds the status and progress of every task; the
// digest reads the last one on every request to tell what changed. In
// JSON, decoding one of 100,000 tasks cost more than the rest of the
// digest, so snapshots are stored in a compact form:
//
//	snapshotV1, At (varint Unix nanoseconds), the number of tasks
//	(uvarint), then per task in code order: code, status (uvarint
//	length and bytes), progress (uvarint).
//
// Decoded, its tasks are in code order, as tasks.Snapshot wants them.
//
// Snapshots written before schema 2 are JSON (they begin with '{') and
// are still read.
const snapshotV1 = 1

// encodeSnapshot returns the compact form of s, its tasks in code order.
func encodeSnapshot(s tasks.Snapshot) []byte {
	ts := s.Tasks
	if !slices.IsSortedFunc(ts, byCode) {
		ts = slices.Clone(ts)
		slices.SortStableFunc(ts, byCode)
	}
	size := 32
	for _, st := range ts {
		size += len(st.Code) + len(st.Status) + 4
	}
	buf := make([]byte, 0, size)
	buf = append(buf, snapshotV1)
	buf = binary.AppendVarint(buf, s.At.UnixNano())
	buf = binary.AppendUvarint(buf, uint64(len(ts)))
	for _, st := range ts {
		buf = binary.AppendUvarint(buf, uint64(len(st.Code)))
		buf = append(buf, st.Code...)
		buf = binary.AppendUvarint(buf, uint64(len(st.Status)))
		buf = append(buf, st.Status...)
		buf = binary.AppendUvarint(buf, uint64(max(st.Progress, 0)))
	}
	return buf
}

func byCode(a, b tasks.TaskState) int { return strings.Compare(a.Code, b.Code) }

// jsonSnapshot is a snapshot as schema 1 stored it.
type jsonSnapshot struct {
	At    time.Time
	Tasks map[string]struct {
		Status   tasks.Status
		Progress int
	}
}

// decodeSnapshot reads a snapshot stored under key, in either form.
func decodeSnapshot(key, data []byte) (tasks.Snapshot, error) {
	if len(data) > 0 && data[0] == '{' {
		var js jsonSnapshot
		if err := decode(key, data, &js); err != nil {
			return tasks.Snapshot{}, err
		}
		s := tasks.Snapshot{At: js.At, Tasks: make([]tasks.TaskState, 0, len(js.Tasks))}
		for code, st := range js.Tasks {
			s.Tasks = append(s.Tasks, tasks.TaskState{Code: code, Status: st.Status, Progress: st.Progress})
		}
		slices.SortFunc(s.Tasks, byCode)
		return s, nil
	}
	bad := func(what string) error { return fmt.Errorf("decode %q: snapshot: %s", key, what) }
	if len(data) == 0 || data[0] != snapshotV1 {
		return tasks.Snapshot{}, bad("unknown version")
	}
	// Every code is a substring of one copy of the data: one allocation
	// instead of one per task.
	all, pos := string(data), 1
	num := func() (uint64, bool) {
		n, k := binary.Uvarint(data[pos:])
		if k <= 0 {
			return 0, false
		}
		pos += k
		return n, true
	}
	str := func() (string, bool) {
		n, ok := num()
		if !ok || uint64(len(data)-pos) < n {
			return "", false
		}
		s := all[pos : pos+int(n)]
		pos += int(n)
		return s, true
	}
	at, k := binary.Varint(data[pos:])
	if k <= 0 {
		return tasks.Snapshot{}, bad("bad time")
	}
	pos += k
	n, ok := num()
	if !ok || n > uint64(len(data)-pos) { // each task takes at least 3 bytes
		return tasks.Snapshot{}, bad("bad count")
	}
	s := tasks.Snapshot{At: time.Unix(0, at).UTC(), Tasks: make([]tasks.TaskState, 0, n)}
	for range n {
		code, ok1 := str()
		status, ok2 := str()
		progress, ok3 := num()
		if !ok1 || !ok2 || !ok3 || progress > 100 {
			return tasks.Snapshot{}, bad("short task")
		}
		if l := len(s.Tasks); l > 0 && s.Tasks[l-1].Code > code {
			return tasks.Snapshot{}, bad("tasks out of order")
		}
		s.Tasks = append(s.Tasks, tasks.TaskState{Code: code, Status: tasks.Status(status), Progress: int(progress)})
	}
	if pos != len(data) {
		return tasks.Snapshot{}, bad("trailing bytes")
	}
	return s, nil
}
