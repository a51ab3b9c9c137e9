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

// Tx is one transaction: every role interface below together. Consumers
// ask for the smallest role (or union of roles) they need, so that a second
// storage engine implements, and a test fakes, only what is used.
//
// Error codes, for every method of every role: *Error with ENOTFOUND for a
// missing thing, ECONFLICT for a duplicate, EINVALID for a value the store
// cannot hold (an empty or over-long code, a negative id); anything else
// (an I/O failure, a record that does not decode, a write in a read-only
// transaction) is an internal error, returned wrapped and never ignored.
type Tx interface {
	UnitStore
	MemberStore
	TaskStore
	ExtensionStore
	MeetingStore
	OutboxStore
	InboxStore
	StateStore
	SettingsStore
	IndicatorStore
	DashStore
}

// RosterTx is what a round of reminders needs of a transaction: the
// units, members and tasks it reads and the outbox it fills. A Tx is one.
type RosterTx interface {
	UnitStore
	MemberStore
	TaskStore
	OutboxStore
}

// UnitStore holds the committee's units.
type UnitStore interface {
	// Unit returns the unit with that code (ENOTFOUND).
	Unit(code string) (Unit, error)
	// Units returns every unit ordered by code.
	Units() ([]Unit, error)
	// PutUnit creates or renames a unit (EINVALID for a bad code).
	PutUnit(u Unit) error
}

// MemberStore holds the members and the invites that link new ones.
type MemberStore interface {
	// Member returns a member by id (ENOTFOUND).
	Member(id int64) (Member, error)
	// MemberByTelegram returns the member linked to a Telegram user (ENOTFOUND).
	MemberByTelegram(telegramID int64) (Member, error)
	// Members returns every member ordered by id.
	Members() ([]Member, error)
	// PutMember creates (ID 0: assigns one) or replaces a member. A Telegram
	// id linked to another member is ECONFLICT; a negative id EINVALID.
	PutMember(m *Member) error

	// PutInvite stores an invite (EINVALID for an empty token).
	PutInvite(inv Invite) error
	// TakeInvite returns an invite and deletes it, so it is used once
	// (ENOTFOUND).
	TakeInvite(token string) (Invite, error)
	// Invites returns the invites not yet used, expired ones included,
	// soonest expiry first.
	Invites() ([]Invite, error)
	// DeleteInvite withdraws an invite: its link then answers as an
	// expired one (ENOTFOUND when it is not stored, used or withdrawn).
	DeleteInvite(token string) error
}

// TaskStore holds the tasks and their history.
type TaskStore interface {
	// Task returns a task by code, case-insensitively (ENOTFOUND).
	Task(code string) (Task, error)
	// Tasks returns the tasks that f selects ordered by code.
	Tasks(f TaskFilter) ([]Task, error)
	// PutTask creates or replaces a task and keeps the indexes right
	// (EINVALID for a bad code). Changes to an existing task are recorded
	// with AddUpdate in the same transaction.
	PutTask(t Task) error
	// AddUpdate appends u to its task's history and assigns u.ID.
	AddUpdate(u *Update) error
	// History returns a task's updates, oldest first; limit > 0 keeps the
	// newest limit of them.
	History(code string, limit int) ([]Update, error)
	// NextSeq returns the next number of a named sequence (1, 2, …).
	NextSeq(name string) (uint64, error)
}

// ExtensionStore holds the requests for more time.
type ExtensionStore interface {
	// PutExtension creates (ID 0) or replaces an extension request.
	PutExtension(e *ExtensionRequest) error
	// Extension returns one extension request (ENOTFOUND).
	Extension(id uint64) (ExtensionRequest, error)
	// Extensions returns the requests in a state ("" for all), oldest first.
	Extensions(state ExtState) ([]ExtensionRequest, error)
}

// MeetingStore holds the meetings and the snapshots of the digests sent
// before them.
type MeetingStore interface {
	// PutMeeting creates (ID 0) or replaces a meeting.
	PutMeeting(m *Meeting) error
	// Meeting returns one meeting (ENOTFOUND).
	Meeting(id uint64) (Meeting, error)
	// Meetings returns every meeting ordered by start.
	Meetings() ([]Meeting, error)
	// DeleteMeeting removes a meeting (ENOTFOUND).
	DeleteMeeting(id uint64) error

	// PutSnapshot stores the snapshot of the digest just sent.
	PutSnapshot(s Snapshot) error
	// LastSnapshot returns the latest snapshot (ENOTFOUND when none).
	LastSnapshot() (Snapshot, error)
	SnapshotLister
}

// OutboxStore holds the outgoing messages until Telegram has them, and
// what the bot remembers of the messages it sent.
type OutboxStore interface {
	// Enqueue adds a message to the outbox and assigns m.ID. A message whose
	// Key is already in the outbox is not added again: added is false.
	Enqueue(m *OutMessage) (added bool, err error)
	// Queued returns up to limit queued messages, oldest first.
	Queued(limit int) ([]OutMessage, error)
	// OutMessage returns one outbox message (ENOTFOUND).
	OutMessage(id uint64) (OutMessage, error)
	// PutOutMessage stores an outbox message's new state (ENOTFOUND for
	// one not in the outbox, ECONFLICT for a Key another message holds).
	// When it is marked sent, a MessageRef for it is recorded.
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
}

// InboxStore holds the Telegram updates between their arrival and their
// handling, and which were handled.
type InboxStore interface {
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
}

// StateStore holds the short-lived records that conversations and
// reminders leave behind, each kind in a typed home with an end (see
// StateKind). A record stays readable until SweepState deletes it, so an
// ended record may still be read for up to a day; callers that care compare
// its Created with the kind's TTL.
type StateStore interface {
	// PutPendingChoice stores a reply waiting for its task (EINVALID for
	// ID 0).
	PutPendingChoice(p PendingChoice) error
	// PendingChoice returns one (ENOTFOUND, also once swept).
	PendingChoice(id int64) (PendingChoice, error)
	// DeletePendingChoice removes one; absent is not an error.
	DeletePendingChoice(id int64) error

	// PutAlbum records where an album's first message went (EINVALID for
	// an empty ID).
	PutAlbum(a Album) error
	// Album returns where an album went (ENOTFOUND).
	Album(id string) (Album, error)

	// PutProposal stores an assistant's proposal (EINVALID for ID 0).
	PutProposal(p PendingProposal) error
	// Proposal returns one (ENOTFOUND).
	Proposal(id int64) (PendingProposal, error)
	// DeleteProposal removes one; absent is not an error.
	DeleteProposal(id int64) error

	// PutDraftSet creates or replaces a set of drafts (EINVALID for ID 0
	// or a State not as long as Drafts).
	PutDraftSet(d DraftSet) error
	// DraftSet returns one (ENOTFOUND).
	DraftSet(id int64) (DraftSet, error)

	// PutAssistJob records a job for the assistant worker (EINVALID for ID
	// 0); the same ID again replaces it.
	PutAssistJob(j AssistJob) error
	// AssistJobs returns the waiting jobs in id order.
	AssistJobs() ([]AssistJob, error)
	// DeleteAssistJob removes a finished job; absent is not an error.
	DeleteAssistJob(id int64) error

	// PutNarrative stores a checked narrative under its Key (EINVALID for
	// an empty Key); the same Key again replaces it.
	PutNarrative(n CachedNarrative) error
	// Narrative returns the narrative stored under key (ENOTFOUND). One
	// that has ended but is not yet swept is still returned: check
	// CachedNarrative.Fresh.
	Narrative(key string) (CachedNarrative, error)

	// PutDecisionCopy records which outbox message is a decider's copy
	// (EINVALID for an empty Key); the same Key again replaces it.
	PutDecisionCopy(c DecisionCopy) error
	// DecisionCopy returns one (ENOTFOUND).
	DecisionCopy(key string) (DecisionCopy, error)

	// PutReminderMark records that a reminder was queued (EINVALID for a
	// Kind other than StateDueSoon and StateEscalation or an empty Task).
	PutReminderMark(m ReminderMark) error
	// ReminderMarked reports whether a mark with m's Kind, Task, Deadline
	// and Days is stored (m.At is ignored).
	ReminderMarked(m ReminderMark) (bool, error)

	// PutPendingImport stores a previewed task file (EINVALID for ID 0);
	// the same ID again replaces it.
	PutPendingImport(p PendingImport) error
	// PendingImport returns one (ENOTFOUND, also once swept).
	PendingImport(id int64) (PendingImport, error)
	// DeletePendingImport removes one; absent is not an error.
	DeletePendingImport(id int64) error

	// SweepState deletes every record that has ended at now: by age (see
	// StateKind.TTL), decision copies whose outbox message is gone, and
	// reminder marks past ReminderMark.Ends. It returns how many of each
	// kind it deleted.
	SweepState(now time.Time) (map[StateKind]int, error)
	// StateCounts returns how many records of each kind are stored.
	StateCounts() (map[StateKind]int, error)
}

// SettingsStore holds the few values the bot keeps between runs that are
// settings, not state with an end: each has one typed pair of methods.
type SettingsStore interface {
	// UpdateOffset returns the next getUpdates offset and when the last
	// update arrived (0 and zero when never stored).
	UpdateOffset() (offset int64, lastUpdate time.Time, err error)
	// PutUpdateOffset stores them, in the transaction that stores the
	// batch of updates they confirm.
	PutUpdateOffset(offset int64, lastUpdate time.Time) error

	// ButtonKey returns the key that signs button data, nil when none was
	// stored yet.
	ButtonKey() ([]byte, error)
	// PutButtonKey stores it (EINVALID when empty).
	PutButtonKey(key []byte) error

	// ChatMovedTo returns the supergroup a group became (ENOTFOUND).
	ChatMovedTo(from int64) (to int64, err error)
	// ChatMovedFrom returns the group that became the supergroup to
	// (ENOTFOUND).
	ChatMovedFrom(to int64) (from int64, err error)
	// PutChatMove records that the group from became the supergroup to.
	PutChatMove(from, to int64) error

	// TokensSpent returns the LLM tokens recorded as spent on day, 0 when
	// none (or only an earlier day's count is stored).
	TokensSpent(day Date) (int, error)
	// PutTokensSpent records the tokens spent on day, replacing an earlier
	// day's count; a lower count for the same day is ignored, so that
	// concurrent calls may save in any order.
	PutTokensSpent(day Date, tokens int) error

	// Marker returns the time stored under a named marker (when a schedule
	// rule last fired, when the daily maintenance last ran), zero when
	// never set. Names are fixed by their callers ("sched:last:RULE").
	Marker(name string) (time.Time, error)
	// PutMarker stores a marker's time (EINVALID for an empty name).
	PutMarker(name string, at time.Time) error

	// ConfigMembers returns the ids of the members that the
	// configuration's members list made or matched at the last start (nil
	// when never stored), so that one taken out of the list can be removed.
	ConfigMembers() ([]int64, error)
	// PutConfigMembers stores them.
	PutConfigMembers(ids []int64) error
}
