package tasks

import (
	"context"
	"time"
)

// Clock tells the time and waits. Logic never calls time.Now, and nothing
// that waits (retries, tickers, schedules) calls time.After: tests move a
// clock (taskstest.Clock), and what waits on it wakes.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives the clock's time once d has
	// passed on this clock.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the real clock, waiting with timers.
var SystemClock Clock = systemClock{}

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Store holds everything the committee has, durably. All reads and writes go
// through transactions, so that a change, the outgoing messages that announce
// it and the record that the Telegram update asking for it was handled are
// committed together or not at all.
type Store interface {
	// Update runs fn in a read-write transaction, committed (durably) when
	// fn returns nil and rolled back otherwise; the error is fn's.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction; writes in it fail.
	View(ctx context.Context, fn func(Tx) error) error
	// Close closes the store.
	Close() error
}

// TaskFilter selects tasks. Zero fields select everything.
type TaskFilter struct {
	Unit      string // lead unit
	Involving string // lead or coordinating unit
	Group     string // exact group name
	OpenOnly  bool   // only open statuses (see Status.Open)
}

// InboxItem is a Telegram update stored before it is handled.
type InboxItem struct {
	UpdateID int64
	Raw      []byte // the update as Telegram sent it (JSON)
}

// Tx is one transaction. Its methods return *Error values with code
// ENOTFOUND for missing things and ECONFLICT for duplicates; anything else is
// an internal error.
type Tx interface {
	// Unit returns the unit with that code (ENOTFOUND).
	Unit(code string) (Unit, error)
	// Units returns every unit ordered by code.
	Units() ([]Unit, error)
	// PutUnit creates or renames a unit.
	PutUnit(u Unit) error

	// Member returns a member by id (ENOTFOUND).
	Member(id int64) (Member, error)
	// MemberByTelegram returns the member linked to a Telegram user (ENOTFOUND).
	MemberByTelegram(telegramID int64) (Member, error)
	// Members returns every member ordered by id.
	Members() ([]Member, error)
	// PutMember creates (ID 0: assigns one) or replaces a member. A Telegram
	// id linked to another member is ECONFLICT.
	PutMember(m *Member) error

	// Task returns a task by code, case-insensitively (ENOTFOUND).
	Task(code string) (Task, error)
	// Tasks returns the tasks that f selects ordered by code.
	Tasks(f TaskFilter) ([]Task, error)
	// PutTask creates or replaces a task and keeps the indexes right.
	// Changes to an existing task are recorded with AddUpdate in the same
	// transaction.
	PutTask(t Task) error
	// AddUpdate appends u to its task's history and assigns u.ID.
	AddUpdate(u *Update) error
	// History returns a task's updates, oldest first; limit > 0 keeps the
	// newest limit of them.
	History(code string, limit int) ([]Update, error)
	// NextSeq returns the next number of a named sequence (1, 2, …).
	NextSeq(name string) (uint64, error)

	// PutExtension creates (ID 0) or replaces an extension request.
	PutExtension(e *ExtensionRequest) error
	// Extension returns one extension request (ENOTFOUND).
	Extension(id uint64) (ExtensionRequest, error)
	// Extensions returns the requests in a state ("" for all), oldest first.
	Extensions(state ExtState) ([]ExtensionRequest, error)

	// PutMeeting creates (ID 0) or replaces a meeting.
	PutMeeting(m *Meeting) error
	// Meeting returns one meeting (ENOTFOUND).
	Meeting(id uint64) (Meeting, error)
	// Meetings returns every meeting ordered by start.
	Meetings() ([]Meeting, error)
	// DeleteMeeting removes a meeting (ENOTFOUND).
	DeleteMeeting(id uint64) error

	// PutInvite stores an invite.
	PutInvite(inv Invite) error
	// TakeInvite returns an invite and deletes it, so it is used once
	// (ENOTFOUND).
	TakeInvite(token string) (Invite, error)

	// PutSnapshot stores the snapshot of the digest just sent.
	PutSnapshot(s Snapshot) error
	// LastSnapshot returns the latest snapshot (ENOTFOUND when none).
	LastSnapshot() (Snapshot, error)

	// Enqueue adds a message to the outbox and assigns m.ID. A message whose
	// Key is already in the outbox is not added again: added is false.
	Enqueue(m *OutMessage) (added bool, err error)
	// Queued returns up to limit queued messages, oldest first.
	Queued(limit int) ([]OutMessage, error)
	// OutMessage returns one outbox message (ENOTFOUND).
	OutMessage(id uint64) (OutMessage, error)
	// PutOutMessage stores an outbox message's new state. When it is marked
	// sent, a MessageRef for it is recorded.
	PutOutMessage(m OutMessage) error
	// OutboxStats returns the number of queued messages and the creation
	// time of the oldest.
	OutboxStats() (queued int, oldest time.Time, err error)
	// PruneOutbox deletes the sent and failed messages created before
	// before, with their idempotency keys and MessageRefs, and returns how
	// many it deleted. Queued messages stay. It walks the outbox in id
	// order and stops at the first message created at or after before.
	PruneOutbox(before time.Time) (deleted int, err error)
	// MessageRef returns what the bot remembers of a message it sent
	// (ENOTFOUND).
	MessageRef(chatID int64, messageID int) (MessageRef, error)

	// InboxAdd stores an update before it is handled; one already added or
	// already handled is ignored (added is false).
	InboxAdd(item InboxItem) (added bool, err error)
	// Inbox returns the stored updates not yet handled, in update id order.
	Inbox() ([]InboxItem, error)
	// MarkHandled records that an update was handled and drops it from the
	// inbox. Done in the transaction that applies the update's change.
	MarkHandled(updateID int64) error
	// Handled reports whether an update was handled.
	Handled(updateID int64) (bool, error)

	// Get returns the value of a setting or marker, nil when absent.
	Get(key string) ([]byte, error)
	// Put sets a setting or marker.
	Put(key string, value []byte) error
	// Delete removes a setting or marker; absent is not an error.
	Delete(key string) error
}
