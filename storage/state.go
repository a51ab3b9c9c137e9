package storage

import (
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"steerbot/tasks"
)

// The short-lived records (tasks.StateStore), one bucket per kind, all
// JSON. SweepState deletes them once they have ended.
var (
	bucketPending   = []byte("state_pending")   // update id → PendingChoice
	bucketAlbums    = []byte("state_albums")    // media group id → Album
	bucketProposals = []byte("state_proposals") // update id → PendingProposal
	bucketDrafts    = []byte("state_drafts")    // update id → DraftSet
	bucketJobs      = []byte("state_jobs")      // update id → AssistJob
	bucketCopies    = []byte("state_copies")    // copy key → DecisionCopy
	bucketMarks     = []byte("reminder_marks")  // kind|len|TASK|deadline|days → ReminderMark
	bucketMarkers   = []byte("markers")         // name → RFC 3339 time (text)
	bucketImports   = []byte("state_imports")   // update id → PendingImport
)

// stateBucket returns the bucket of kind k; nil for the reminder marks,
// which share bucketMarks.
func stateBucket(k tasks.StateKind) []byte {
	switch k {
	case tasks.StatePendingChoice:
		return bucketPending
	case tasks.StateAlbum:
		return bucketAlbums
	case tasks.StateProposal:
		return bucketProposals
	case tasks.StateDrafts:
		return bucketDrafts
	case tasks.StateAssistJob:
		return bucketJobs
	case tasks.StateDecisionCopy:
		return bucketCopies
	case tasks.StatePendingImport:
		return bucketImports
	case tasks.StateNarrative:
		return bucketNarratives
	case tasks.StateDashLink:
		return bucketDashLinks
	case tasks.StateDashSession:
		return bucketDashSessions
	}
	return nil
}

func invalid(key, msg string, args ...any) error {
	return tasks.NewError(tasks.EINVALID, key, msg, args...)
}

// putState stores v under key in the bucket of kind k.
func (t *Tx) putState(k tasks.StateKind, key []byte, v any) error {
	if err := t.writable("put " + string(k)); err != nil {
		return err
	}
	if err := putJSON(t.b(stateBucket(k)), key, v); err != nil {
		return fmt.Errorf("put %s %q: %w", k, key, err)
	}
	return nil
}

// getState returns the record of kind k under key (ENOTFOUND); what names
// it in the error.
func getState[T any](t *Tx, k tasks.StateKind, key []byte, what string) (T, error) {
	var v T
	ok, err := getJSON(t.b(stateBucket(k)), key, &v)
	if err != nil {
		return v, fmt.Errorf("%s: %w", k, err)
	}
	if !ok {
		return v, notFound("state_not_found", what+" not found (it may have expired)", what)
	}
	return v, nil
}

// putByID stores a record with a numeric id (EINVALID for id 0).
func (t *Tx) putByID(k tasks.StateKind, id int64, v any) error {
	if id == 0 {
		return invalid("bad_state_id", string(k)+" without an id", k)
	}
	return t.putState(k, i64(id), v)
}

// deleteState removes the record of kind k under key; absent is fine.
func (t *Tx) deleteState(k tasks.StateKind, key []byte) error {
	if err := t.writable("delete " + string(k)); err != nil {
		return err
	}
	if err := t.b(stateBucket(k)).Delete(key); err != nil {
		return fmt.Errorf("delete %s %q: %w", k, key, err)
	}
	return nil
}

// PutPendingChoice stores a reply waiting for its task (EINVALID for ID 0).
func (t *Tx) PutPendingChoice(p tasks.PendingChoice) error {
	return t.putByID(tasks.StatePendingChoice, p.ID, p)
}

// PendingChoice returns one (ENOTFOUND).
func (t *Tx) PendingChoice(id int64) (tasks.PendingChoice, error) {
	return getState[tasks.PendingChoice](t, tasks.StatePendingChoice, i64(id), fmt.Sprintf("pending choice %d", id))
}

// DeletePendingChoice removes one; absent is not an error.
func (t *Tx) DeletePendingChoice(id int64) error {
	return t.deleteState(tasks.StatePendingChoice, i64(id))
}

// PutAlbum records where an album's first message went (EINVALID for an
// empty ID).
func (t *Tx) PutAlbum(a tasks.Album) error {
	if a.ID == "" {
		return invalid("bad_state_id", "album without an id")
	}
	return t.putState(tasks.StateAlbum, []byte(a.ID), a)
}

// Album returns where an album went (ENOTFOUND).
func (t *Tx) Album(id string) (tasks.Album, error) {
	return getState[tasks.Album](t, tasks.StateAlbum, []byte(id), "album "+id)
}

// PutProposal stores an assistant's proposal (EINVALID for ID 0).
func (t *Tx) PutProposal(p tasks.PendingProposal) error {
	return t.putByID(tasks.StateProposal, p.ID, p)
}

// Proposal returns one (ENOTFOUND).
func (t *Tx) Proposal(id int64) (tasks.PendingProposal, error) {
	return getState[tasks.PendingProposal](t, tasks.StateProposal, i64(id), fmt.Sprintf("proposal %d", id))
}

// DeleteProposal removes one; absent is not an error.
func (t *Tx) DeleteProposal(id int64) error {
	return t.deleteState(tasks.StateProposal, i64(id))
}

// PutDraftSet creates or replaces a set of drafts (EINVALID for ID 0 or a
// State not as long as Drafts).
func (t *Tx) PutDraftSet(d tasks.DraftSet) error {
	if len(d.State) != len(d.Drafts) {
		return invalid("bad_draft_state", fmt.Sprintf("draft set %d: %d states for %d drafts", d.ID, len(d.State), len(d.Drafts)))
	}
	return t.putByID(tasks.StateDrafts, d.ID, d)
}

// DraftSet returns one (ENOTFOUND).
func (t *Tx) DraftSet(id int64) (tasks.DraftSet, error) {
	return getState[tasks.DraftSet](t, tasks.StateDrafts, i64(id), fmt.Sprintf("draft set %d", id))
}

// PutAssistJob records a job for the assistant worker (EINVALID for ID 0).
func (t *Tx) PutAssistJob(j tasks.AssistJob) error {
	return t.putByID(tasks.StateAssistJob, j.ID, j)
}

// AssistJobs returns the waiting jobs in id order.
func (t *Tx) AssistJobs() ([]tasks.AssistJob, error) {
	var out []tasks.AssistJob
	err := t.b(bucketJobs).ForEach(func(k, v []byte) error {
		var j tasks.AssistJob
		if err := decode(k, v, &j); err != nil {
			return err
		}
		out = append(out, j)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assistant jobs: %w", err)
	}
	return out, nil
}

// DeleteAssistJob removes a finished job; absent is not an error.
func (t *Tx) DeleteAssistJob(id int64) error {
	return t.deleteState(tasks.StateAssistJob, i64(id))
}

// PutDecisionCopy records which outbox message is a decider's copy
// (EINVALID for an empty Key).
func (t *Tx) PutDecisionCopy(c tasks.DecisionCopy) error {
	if c.Key == "" {
		return invalid("bad_state_id", "decision copy without a key")
	}
	return t.putState(tasks.StateDecisionCopy, []byte(c.Key), c)
}

// DecisionCopy returns one (ENOTFOUND).
func (t *Tx) DecisionCopy(key string) (tasks.DecisionCopy, error) {
	return getState[tasks.DecisionCopy](t, tasks.StateDecisionCopy, []byte(key), "decision copy "+key)
}

// PutPendingImport stores a previewed task file (EINVALID for ID 0).
func (t *Tx) PutPendingImport(p tasks.PendingImport) error {
	return t.putByID(tasks.StatePendingImport, p.ID, p)
}

// PendingImport returns one (ENOTFOUND).
func (t *Tx) PendingImport(id int64) (tasks.PendingImport, error) {
	return getState[tasks.PendingImport](t, tasks.StatePendingImport, i64(id), fmt.Sprintf("pending import %d", id))
}

// DeletePendingImport removes one; absent is not an error.
func (t *Tx) DeletePendingImport(id int64) error {
	return t.deleteState(tasks.StatePendingImport, i64(id))
}

// markKey identifies a reminder mark: kind, task (normalized), deadline and
// days, each length-prefixed or fixed-size so no two marks share a key.
func markKey(m tasks.ReminderMark) []byte {
	k := field(string(m.Kind))
	k = append(k, field(tasks.NormalizeCode(m.Task))...)
	k = append(k, field(m.Deadline.String())...)
	return binary.AppendVarint(k, int64(m.Days))
}

// PutReminderMark records that a reminder was queued.
func (t *Tx) PutReminderMark(m tasks.ReminderMark) error {
	if err := t.writable("put reminder mark"); err != nil {
		return err
	}
	if m.Kind != tasks.StateDueSoon && m.Kind != tasks.StateEscalation {
		return invalid("bad_mark_kind", fmt.Sprintf("reminder mark of kind %q", m.Kind), m.Kind)
	}
	if m.Task == "" {
		return invalid("empty_code", "reminder mark without a task", "task")
	}
	m.Task = tasks.NormalizeCode(m.Task)
	if err := putJSON(t.b(bucketMarks), markKey(m), m); err != nil {
		return fmt.Errorf("put reminder mark %s %s: %w", m.Kind, m.Task, err)
	}
	return nil
}

// ReminderMarked reports whether a mark with m's Kind, Task, Deadline and
// Days is stored.
func (t *Tx) ReminderMarked(m tasks.ReminderMark) (bool, error) {
	return has(t.b(bucketMarks), markKey(m)), nil
}

// SweepState deletes every short-lived record that has ended at now and
// returns how many of each kind it deleted. Its cost is a walk of the
// state buckets, which the sweep itself keeps small.
func (t *Tx) SweepState(now time.Time) (map[tasks.StateKind]int, error) {
	if err := t.writable("sweep state"); err != nil {
		return nil, err
	}
	swept := map[tasks.StateKind]int{}
	for _, k := range tasks.StateKinds() {
		var ended func(key, v []byte) (bool, error)
		switch k {
		case tasks.StateDecisionCopy:
			box := t.b(bucketOutbox)
			ended = func(key, v []byte) (bool, error) {
				var c tasks.DecisionCopy
				if err := decode(key, v, &c); err != nil {
					return false, err
				}
				return box.Get(u64(c.OutID)) == nil, nil
			}
		case tasks.StateDueSoon, tasks.StateEscalation:
			continue // both in one bucket: below
		default:
			ended = func(key, v []byte) (bool, error) {
				var r struct{ Created time.Time }
				if err := decode(key, v, &r); err != nil {
					return false, err
				}
				return k.Expired(r.Created, now), nil
			}
		}
		n, err := sweepBucket(t.b(stateBucket(k)), ended)
		if err != nil {
			return nil, fmt.Errorf("sweep %s: %w", k, err)
		}
		swept[k] = n
	}
	var soon, esc int
	_, err := sweepBucket(t.b(bucketMarks), func(key, v []byte) (bool, error) {
		var m tasks.ReminderMark
		if err := decode(key, v, &m); err != nil {
			return false, err
		}
		if now.Before(m.Ends()) {
			return false, nil
		}
		if m.Kind == tasks.StateEscalation {
			esc++
		} else {
			soon++
		}
		return true, nil
	})
	if err != nil {
		return nil, fmt.Errorf("sweep reminder marks: %w", err)
	}
	swept[tasks.StateDueSoon], swept[tasks.StateEscalation] = soon, esc
	return swept, nil
}

// sweepBucket deletes the records of b for which ended is true and returns
// how many; it deletes after the walk, since deleting under a cursor skips
// keys in bbolt.
func sweepBucket(b *bolt.Bucket, ended func(k, v []byte) (bool, error)) (int, error) {
	var old [][]byte
	err := b.ForEach(func(k, v []byte) error {
		done, err := ended(k, v)
		if done {
			old = append(old, clone(k))
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(old), nil
}

// StateCounts returns how many records of each kind are stored, by
// walking the keys (the buckets are small: the sweep keeps them so).
func (t *Tx) StateCounts() (map[tasks.StateKind]int, error) {
	counts := map[tasks.StateKind]int{}
	for _, k := range tasks.StateKinds() {
		if b := stateBucket(k); b != nil {
			c := t.b(b).Cursor()
			for key, _ := c.First(); key != nil; key, _ = c.Next() {
				counts[k]++
			}
		}
	}
	err := t.b(bucketMarks).ForEach(func(k, _ []byte) error {
		kind, n := binary.Uvarint(k)
		if n <= 0 || len(k) < n+int(kind) {
			return fmt.Errorf("reminder mark key %x is malformed", k)
		}
		counts[tasks.StateKind(k[n:n+int(kind)])]++
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("state counts: %w", err)
	}
	return counts, nil
}
