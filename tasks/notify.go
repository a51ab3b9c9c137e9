package tasks

import (
	"fmt"
	"time"
)

// ReminderKind says why a reminder goes out.
type ReminderKind string

// The kinds of reminder.
const (
	RemindWeekly  ReminderKind = "weekly"   // the weekly list of open tasks
	RemindDueSoon ReminderKind = "due_soon" // a deadline is near
	RemindOverdue ReminderKind = "overdue"  // a deadline has passed
	RemindManual  ReminderKind = "manual"   // the secretariat's /remind
)

// Reminder is one message to one member about some of their unit's tasks.
type Reminder struct {
	Kind     ReminderKind
	Key      string // idempotency key: (rule, unit, task, date); sent once
	Member   Member
	Unit     Unit
	Tasks    []Task // overdue and due-soon first
	Timeline Timeline
	Blocked  []Blocked       // for chairs' weekly reminder: what is stuck
	Units    map[string]Unit // by code, to name the units of Tasks and Blocked in a chair's note; may be nil
}

// UnitName returns the name of the unit with that code, or the code when
// the reminder does not know it.
func (r Reminder) UnitName(code string) string {
	if u, ok := r.Units[code]; ok && u.Name != "" {
		return u.Name
	}
	return code
}

// Escalation tells the committee chat that a task is overdue too long.
type Escalation struct {
	Key      string
	Task     Task
	Unit     Unit
	DaysLate int
}

// Notifier turns what the scheduler decided into messages in the outbox. The
// bot implements it: it owns the texts and the buttons. Each method renders
// in the recipient's language and enqueues in tx under the given key, so a
// reminder and the record that it went out commit together; tx is only the
// outbox, which is all a notifier may touch.
type Notifier interface {
	// Remind enqueues a reminder to r.Member.
	Remind(tx OutboxStore, r Reminder) error
	// Escalate enqueues an escalation to the committee chat.
	Escalate(tx OutboxStore, e Escalation) error
	// SendDigest enqueues the digest, and the chart when not nil, to the
	// committee chat under key; m is the meeting it is for (nil for none).
	SendDigest(tx OutboxStore, key string, m *Meeting, d Digest, chart []byte) error
}

// SendError is how a sender of outgoing messages reports a failure, so that
// the outbox knows whether to wait, retry or give up.
type SendError struct {
	RetryAfter time.Duration // Telegram said to wait this long (429)
	Permanent  bool          // retrying cannot help: blocked, chat not found, bad request
	Err        error
}

// Error describes the failure.
func (e *SendError) Error() string {
	switch {
	case e.RetryAfter > 0:
		return fmt.Sprintf("rate limited, retry after %s: %v", e.RetryAfter, e.Err)
	case e.Permanent:
		return fmt.Sprintf("permanent: %v", e.Err)
	}
	return fmt.Sprintf("temporary: %v", e.Err)
}

// Unwrap returns the cause.
func (e *SendError) Unwrap() error { return e.Err }
