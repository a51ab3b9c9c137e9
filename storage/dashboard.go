package storage

import (
	"fmt"

	"steerbot/tasks"
)

// The dashboard's short-lived records (tasks.DashStore), keyed by the hash
// that the dashboard gives as their ID.
var (
	bucketDashLinks    = []byte("state_dash_links")    // link hash → DashLink
	bucketDashSessions = []byte("state_dash_sessions") // session hash → DashSession
)

// PutDashLink stores a one-time link (EINVALID for an empty ID).
func (t *Tx) PutDashLink(l tasks.DashLink) error {
	if l.ID == "" {
		return invalid("bad_state_id", "dashboard link without an id")
	}
	return t.putState(tasks.StateDashLink, []byte(l.ID), l)
}

// TakeDashLink returns a link and deletes it (ENOTFOUND).
func (t *Tx) TakeDashLink(id string) (tasks.DashLink, error) {
	l, err := getState[tasks.DashLink](t, tasks.StateDashLink, []byte(id), "dashboard link")
	if err != nil {
		return l, err
	}
	if err := t.deleteState(tasks.StateDashLink, []byte(id)); err != nil {
		return tasks.DashLink{}, err
	}
	return l, nil
}

// PutDashSession stores a session (EINVALID for an empty ID).
func (t *Tx) PutDashSession(s tasks.DashSession) error {
	if s.ID == "" {
		return invalid("bad_state_id", "dashboard session without an id")
	}
	return t.putState(tasks.StateDashSession, []byte(s.ID), s)
}

// DashSession returns a session (ENOTFOUND).
func (t *Tx) DashSession(id string) (tasks.DashSession, error) {
	return getState[tasks.DashSession](t, tasks.StateDashSession, []byte(id), "dashboard session")
}

// DeleteDashSession ends a session; absent is not an error.
func (t *Tx) DeleteDashSession(id string) error {
	return t.deleteState(tasks.StateDashSession, []byte(id))
}

// Snapshots returns the newest limit snapshots (all when limit <= 0),
// oldest first.
func (t *Tx) Snapshots(limit int) ([]tasks.Snapshot, error) {
	c := t.b(bucketSnapshots).Cursor()
	var out []tasks.Snapshot
	for k, v := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
		s, err := decodeSnapshot(k, v)
		if err != nil {
			return nil, fmt.Errorf("snapshots: %w", err)
		}
		out = append(out, s)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}
