package storage

import (
	"encoding/binary"
	"fmt"
	"slices"
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
// Snapshots written before schema 2 are JSON (they begin with '{') and
// are still read.
const snapshotV1 = 1

// encodeSnapshot returns the compact form of s.
func encodeSnapshot(s tasks.Snapshot) []byte {
	codes := make([]string, 0, len(s.Tasks))
	size := 32
	for code, st := range s.Tasks {
		codes = append(codes, code)
		size += len(code) + len(st.Status) + 4
	}
	slices.Sort(codes)
	buf := make([]byte, 0, size)
	buf = append(buf, snapshotV1)
	buf = binary.AppendVarint(buf, s.At.UnixNano())
	buf = binary.AppendUvarint(buf, uint64(len(codes)))
	for _, code := range codes {
		st := s.Tasks[code]
		buf = binary.AppendUvarint(buf, uint64(len(code)))
		buf = append(buf, code...)
		buf = binary.AppendUvarint(buf, uint64(len(st.Status)))
		buf = append(buf, st.Status...)
		buf = binary.AppendUvarint(buf, uint64(max(st.Progress, 0)))
	}
	return buf
}

// decodeSnapshot reads a snapshot stored under key, in either form.
func decodeSnapshot(key, data []byte) (tasks.Snapshot, error) {
	if len(data) > 0 && data[0] == '{' {
		var s tasks.Snapshot
		err := decode(key, data, &s)
		return s, err
	}
	bad := func(what string) error { return fmt.Errorf("decode %q: snapshot: %s", key, what) }
	if len(data) == 0 || data[0] != snapshotV1 {
		return tasks.Snapshot{}, bad("unknown version")
	}
	// Every code is a substring of one copy of the data: one allocation
	// instead of one per task, and the codes side by side in memory for
	// the digest's lookups.
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
	s := tasks.Snapshot{At: time.Unix(0, at).UTC(), Tasks: make(map[string]tasks.TaskState, n)}
	for range n {
		code, ok1 := str()
		status, ok2 := str()
		progress, ok3 := num()
		if !ok1 || !ok2 || !ok3 || progress > 100 {
			return tasks.Snapshot{}, bad("short task")
		}
		s.Tasks[code] = tasks.TaskState{Status: tasks.Status(status), Progress: int(progress)}
	}
	if pos != len(data) {
		return tasks.Snapshot{}, bad("trailing bytes")
	}
	return s, nil
}
