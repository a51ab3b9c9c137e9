package storage

import (
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"steerbot/tasks"
)

// SnapshotKeep is how many digest snapshots are kept; older ones are
// deleted by PutSnapshot (only the latest is ever read).
const SnapshotKeep = 100

// putWithID stores v under id in b, assigning the next id when *id is 0
// and keeping the sequence above ids that callers chose.
func putWithID(b *bolt.Bucket, id *uint64, v any) error {
	if *id == 0 {
		n, err := b.NextSequence()
		if err != nil {
			return err
		}
		*id = n
	} else if *id > b.Sequence() {
		if err := b.SetSequence(*id); err != nil {
			return err
		}
	}
	return putJSON(b, u64(*id), v)
}

// PutExtension creates (ID 0: assigns one) or replaces an extension
// request. Its task code is stored upper case.
func (t *Tx) PutExtension(e *tasks.ExtensionRequest) error {
	if err := t.writable("put extension"); err != nil {
		return err
	}
	e.Task = tasks.NormalizeCode(e.Task)
	if err := putWithID(t.b(bucketExtensions), &e.ID, e); err != nil {
		return fmt.Errorf("put extension: %w", err)
	}
	return nil
}

// Extension returns one extension request (ENOTFOUND).
func (t *Tx) Extension(id uint64) (tasks.ExtensionRequest, error) {
	var e tasks.ExtensionRequest
	ok, err := getJSON(t.b(bucketExtensions), u64(id), &e)
	if err != nil {
		return tasks.ExtensionRequest{}, fmt.Errorf("extension %d: %w", id, err)
	}
	if !ok {
		return tasks.ExtensionRequest{}, notFound("extension_not_found", fmt.Sprintf("extension request %d not found", id), id)
	}
	return e, nil
}

// Extensions returns the requests in a state ("" for all), oldest first.
func (t *Tx) Extensions(state tasks.ExtState) ([]tasks.ExtensionRequest, error) {
	var out []tasks.ExtensionRequest
	err := t.b(bucketExtensions).ForEach(func(k, v []byte) error {
		var e tasks.ExtensionRequest
		if err := decode(k, v, &e); err != nil {
			return err
		}
		if state == "" || e.State == state {
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("extensions: %w", err)
	}
	return out, nil
}

// PutMeeting creates (ID 0: assigns one) or replaces a meeting.
func (t *Tx) PutMeeting(m *tasks.Meeting) error {
	if err := t.writable("put meeting"); err != nil {
		return err
	}
	if err := putWithID(t.b(bucketMeetings), &m.ID, m); err != nil {
		return fmt.Errorf("put meeting: %w", err)
	}
	return nil
}

// Meeting returns one meeting (ENOTFOUND).
func (t *Tx) Meeting(id uint64) (tasks.Meeting, error) {
	var m tasks.Meeting
	ok, err := getJSON(t.b(bucketMeetings), u64(id), &m)
	if err != nil {
		return tasks.Meeting{}, fmt.Errorf("meeting %d: %w", id, err)
	}
	if !ok {
		return tasks.Meeting{}, notFound("meeting_not_found", fmt.Sprintf("meeting %d not found", id), id)
	}
	return m, nil
}

// Meetings returns every meeting ordered by start (then by id).
func (t *Tx) Meetings() ([]tasks.Meeting, error) {
	var out []tasks.Meeting
	err := t.b(bucketMeetings).ForEach(func(k, v []byte) error {
		var m tasks.Meeting
		if err := decode(k, v, &m); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("meetings: %w", err)
	}
	slices.SortStableFunc(out, func(a, b tasks.Meeting) int { return a.Start.Compare(b.Start) })
	return out, nil
}

// DeleteMeeting removes a meeting (ENOTFOUND).
func (t *Tx) DeleteMeeting(id uint64) error {
	if err := t.writable("delete meeting"); err != nil {
		return err
	}
	b := t.b(bucketMeetings)
	if b.Get(u64(id)) == nil {
		return notFound("meeting_not_found", fmt.Sprintf("meeting %d not found", id), id)
	}
	if err := b.Delete(u64(id)); err != nil {
		return fmt.Errorf("delete meeting %d: %w", id, err)
	}
	return nil
}

// PutInvite stores an invite under its token (case-sensitive); its unit
// code is stored upper case. An empty token is EINVALID.
func (t *Tx) PutInvite(inv tasks.Invite) error {
	if err := t.writable("put invite"); err != nil {
		return err
	}
	if inv.Token == "" {
		return tasks.NewError(tasks.EINVALID, "empty_token", "invite token is empty")
	}
	inv.Unit = tasks.NormalizeCode(inv.Unit)
	if err := putJSON(t.b(bucketInvites), []byte(inv.Token), inv); err != nil {
		return fmt.Errorf("put invite: %w", err)
	}
	return nil
}

// TakeInvite returns an invite and deletes it, so it is used once
// (ENOTFOUND). Whether it expired is the caller's to judge.
func (t *Tx) TakeInvite(token string) (tasks.Invite, error) {
	if err := t.writable("take invite"); err != nil {
		return tasks.Invite{}, err
	}
	b := t.b(bucketInvites)
	var inv tasks.Invite
	ok := false
	if token != "" {
		var err error
		if ok, err = getJSON(b, []byte(token), &inv); err != nil {
			return tasks.Invite{}, fmt.Errorf("take invite: %w", err)
		}
	}
	if !ok {
		return tasks.Invite{}, notFound("invite_not_found", "invite not found or already used")
	}
	if err := b.Delete([]byte(token)); err != nil {
		return tasks.Invite{}, fmt.Errorf("take invite: %w", err)
	}
	return inv, nil
}

// PutSnapshot stores the snapshot of the digest just sent; the newest
// SnapshotKeep are kept.
func (t *Tx) PutSnapshot(s tasks.Snapshot) error {
	if err := t.writable("put snapshot"); err != nil {
		return err
	}
	b := t.b(bucketSnapshots)
	id, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("put snapshot: %w", err)
	}
	if err := b.Put(u64(id), encodeSnapshot(s)); err != nil {
		return fmt.Errorf("put snapshot: %w", err)
	}
	if id > SnapshotKeep {
		// Keys below id-SnapshotKeep+1 go; normally exactly one.
		var old [][]byte
		c := b.Cursor()
		for k, _ := c.First(); k != nil && decodeU64(k) <= id-SnapshotKeep; k, _ = c.Next() {
			old = append(old, clone(k))
		}
		for _, k := range old {
			if err := b.Delete(k); err != nil {
				return fmt.Errorf("put snapshot: prune: %w", err)
			}
		}
	}
	return nil
}

// LastSnapshot returns the snapshot stored last (ENOTFOUND when none).
func (t *Tx) LastSnapshot() (tasks.Snapshot, error) {
	k, v := t.b(bucketSnapshots).Cursor().Last()
	if k == nil {
		return tasks.Snapshot{}, notFound("snapshot_not_found", "no digest snapshot yet")
	}
	s, err := decodeSnapshot(k, v)
	if err != nil {
		return tasks.Snapshot{}, fmt.Errorf("last snapshot: %w", err)
	}
	return s, nil
}
