package tasks

import "time"

// The dashboard's short-lived records: the one-time links that /dashboard
// sends and the sessions that a link or Telegram's initData opens.
const (
	// StateDashLink is a one-time link to the dashboard, spent when
	// opened. It lives DashLinkTTL.
	StateDashLink StateKind = "dash_link"
	// StateDashSession is a signed-in browser of the dashboard. It lives
	// DashSessionTTL.
	StateDashSession StateKind = "dash_session"
)

// How long the dashboard's records live.
const (
	// DashLinkTTL: a link from /dashboard is opened at once or asked for
	// again.
	DashLinkTTL = 10 * time.Minute
	// DashSessionTTL: a working day, a meeting included; then the member
	// opens the dashboard again from Telegram.
	DashSessionTTL = 12 * time.Hour
)

// DashLink is a one-time link to the dashboard. ID is a hash of the token
// in the link, never the token itself, so a copy of the database opens no
// dashboard.
type DashLink struct {
	ID      string    `json:"id"`
	Member  int64     `json:"member"`
	Created time.Time `json:"created"`
}

// DashSession is a browser signed in to the dashboard as a member. ID is a
// hash of the cookie's value, never the value itself.
type DashSession struct {
	ID      string    `json:"id"`
	Member  int64     `json:"member"`
	Created time.Time `json:"created"`
}

// Ended reports whether the link can no longer be used at now.
func (l DashLink) Ended(now time.Time) bool { return StateDashLink.Expired(l.Created, now) }

// Ended reports whether the session has ended at now.
func (s DashSession) Ended(now time.Time) bool { return StateDashSession.Expired(s.Created, now) }

// DashStore holds the dashboard's one-time links and sessions.
type DashStore interface {
	// PutDashLink stores a one-time link (EINVALID for an empty ID).
	PutDashLink(l DashLink) error
	// TakeDashLink returns a link and deletes it, so that it is used once
	// (ENOTFOUND, also once used or swept).
	TakeDashLink(id string) (DashLink, error)
	// PutDashSession stores a session (EINVALID for an empty ID).
	PutDashSession(s DashSession) error
	// DashSession returns a session (ENOTFOUND, also once swept).
	DashSession(id string) (DashSession, error)
	// DeleteDashSession ends a session; absent is not an error.
	DeleteDashSession(id string) error
}

// SnapshotLister lists the snapshots of the digests sent, for a trend.
type SnapshotLister interface {
	// Snapshots returns the newest limit snapshots (all when limit <= 0),
	// oldest first.
	Snapshots(limit int) ([]Snapshot, error)
}
