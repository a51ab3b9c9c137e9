package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"steerbot/tasks"
)

// migrateTypedState (the migration step "typed state") moves the short-lived records that earlier
// builds kept as string keys in bucketKV into their typed buckets, and the
// time markers into bucketMarkers. Moved records count as made at now (the
// old ones carried no time), so each gets its full TTL from the upgrade. A
// value that no longer decodes, and the old list of assistant jobs, are
// dropped; the settings (offset, button key, chat moves) stay where they
// are.
func migrateTypedState(tx *bolt.Tx, now time.Time) error {
	if err := createBuckets(bucketPending, bucketAlbums, bucketProposals, bucketDrafts,
		bucketJobs, bucketCopies, bucketMarks, bucketMarkers)(tx, now); err != nil {
		return err
	}
	kv := tx.Bucket(bucketKV)
	var moved [][]byte
	err := kv.ForEach(func(k, v []byte) error {
		key := string(k)
		done, err := moveKV(tx, key, v, now)
		if err != nil {
			return fmt.Errorf("move %q: %w", key, err)
		}
		if done {
			moved = append(moved, clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range moved {
		if err := kv.Delete(k); err != nil {
			return fmt.Errorf("delete %q: %w", k, err)
		}
	}
	return nil
}

// moveKV moves one old key to its typed home. done is true when the key
// is to be deleted from bucketKV (moved or dropped), false for a key that
// stays (a setting, or one this step does not know).
func moveKV(tx *bolt.Tx, key string, v []byte, now time.Time) (done bool, err error) {
	put := func(b []byte, k []byte, rec any) (bool, error) {
		return true, putJSON(tx.Bucket(b), k, rec)
	}
	idAfter := func(prefix string) (int64, bool) {
		n, err := strconv.ParseInt(strings.TrimPrefix(key, prefix), 10, 64)
		return n, err == nil && n != 0
	}
	switch {
	case strings.HasPrefix(key, "pending:"):
		var p tasks.PendingChoice
		id, ok := idAfter("pending:")
		if !ok || json.Unmarshal(v, &p) != nil {
			return true, nil
		}
		p.ID, p.Created = id, now
		return put(bucketPending, i64(id), p)
	case strings.HasPrefix(key, "album:"):
		a := tasks.Album{ID: strings.TrimPrefix(key, "album:"), Created: now}
		where := string(v)
		if code, ok := strings.CutPrefix(where, "task:"); ok {
			a.Task = code
		} else if id, err := strconv.ParseInt(strings.TrimPrefix(where, "pending:"), 10, 64); err == nil && strings.HasPrefix(where, "pending:") {
			a.Pending = id
		} else {
			return true, nil
		}
		if a.ID == "" {
			return true, nil
		}
		return put(bucketAlbums, []byte(a.ID), a)
	case strings.HasPrefix(key, "assist:prop:"):
		var p tasks.PendingProposal
		id, ok := idAfter("assist:prop:")
		if !ok || json.Unmarshal(v, &p) != nil {
			return true, nil
		}
		p.ID, p.Created = id, now
		return put(bucketProposals, i64(id), p)
	case strings.HasPrefix(key, "assist:drafts:"):
		var d tasks.DraftSet
		id, ok := idAfter("assist:drafts:")
		if !ok || json.Unmarshal(v, &d) != nil || len(d.State) != len(d.Drafts) {
			return true, nil
		}
		d.ID, d.Created = id, now
		return put(bucketDrafts, i64(id), d)
	case strings.HasPrefix(key, "assist:job:"):
		var j tasks.AssistJob
		id, ok := idAfter("assist:job:")
		if !ok || json.Unmarshal(v, &j) != nil {
			return true, nil
		}
		j.ID, j.Created = id, now
		return put(bucketJobs, i64(id), j)
	case key == "assist:jobs":
		return true, nil // the jobs themselves are the list now
	case strings.HasPrefix(key, "outkey:"):
		id, err := strconv.ParseUint(string(v), 10, 64)
		c := tasks.DecisionCopy{Key: strings.TrimPrefix(key, "outkey:"), OutID: id, Created: now}
		if err != nil || c.Key == "" {
			return true, nil
		}
		return put(bucketCopies, []byte(c.Key), c)
	case strings.HasPrefix(key, "sched:due_soon:"), strings.HasPrefix(key, "sched:escalated:"):
		m, ok := oldMark(key)
		if !ok {
			return true, nil
		}
		if at, err := time.Parse(time.RFC3339Nano, string(v)); err == nil {
			m.At = at
		}
		return put(bucketMarks, markKey(m), m)
	case strings.HasPrefix(key, "sched:last:"), key == "outbox:pruned":
		if _, err := time.Parse(time.RFC3339Nano, string(v)); err != nil {
			return true, nil
		}
		return true, tx.Bucket(bucketMarkers).Put([]byte(key), bytes.Clone(v))
	}
	return false, nil
}

// oldMark reads a reminder mark's old key: "sched:due_soon:CODE:DEADLINE:D"
// or "sched:escalated:CODE:DEADLINE" (a code may hold colons, so the fixed
// fields are read from the right).
func oldMark(key string) (tasks.ReminderMark, bool) {
	var m tasks.ReminderMark
	rest, soon := strings.CutPrefix(key, "sched:due_soon:")
	if soon {
		m.Kind = tasks.StateDueSoon
		i := strings.LastIndexByte(rest, ':')
		if i < 0 {
			return m, false
		}
		d, err := strconv.Atoi(rest[i+1:])
		if err != nil {
			return m, false
		}
		m.Days, rest = d, rest[:i]
	} else {
		m.Kind = tasks.StateEscalation
		rest = strings.TrimPrefix(key, "sched:escalated:")
	}
	i := strings.LastIndexByte(rest, ':')
	if i <= 0 || m.Deadline.UnmarshalText([]byte(rest[i+1:])) != nil || m.Deadline.IsZero() {
		return m, false
	}
	m.Task = tasks.NormalizeCode(rest[:i])
	return m, true
}
