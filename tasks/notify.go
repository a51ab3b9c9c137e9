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
	RemindChase   ReminderKind = "chase"    // again, to a unit that has not reported since the weekly reminder
)

// Reminder is one message to one member about some of their unit's tasks.
type Reminder struct {
	Kind     ReminderKind
	Key      string // idempotency key: (rule, unit, task, date); sent once
	Member   Member
	Unit     Unit
	Tasks    []Task // overdue and due-soon first
	Timeline Timeline
	Blocked  []Blocked // for chairs' weekly reminder: what is stuck
	// For are the absent members the recipient stands in for (see
	// UnitContactsAt); empty when they receive it as themselves.
	For []Member
	// Reported and Units, in the chairs' weekly reminder: how many of the
	// Units with open tasks reported since the previous weekly reminder.
	Reported, Units int
	// Indicators are, for RemindIndicators, the unit's indicators with no
	// value for the current period.
	Indicators []IndicatorStanding
	// UnitNames are the units by code, to name the units of Tasks and
	// Blocked in a chair's note; may be nil.
	UnitNames map[string]Unit
}

// UnitName returns the name of the unit with that code, or the code when
// the reminder does not know it.
func (r Reminder) UnitName(code string) string {
	if u, ok := r.UnitNames[code]; ok && u.Name != "" {
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
	// Covers are the unit's contacts who stand in for an absent member
	// (see UnitContactsAt); empty when nobody is away.
	Covers []Contact
}

// Unreached tells the secretariat that nobody receives the reminders of
// some units, with an invite ready to forward for each.
type Unreached struct {
	Key   string   // idempotency key; one per day
	To    []Member // the secretariat members who can receive it
	Units []UnreachedUnit
}

// Notifier turns what the scheduler decided into messages in the outbox. The
// bot implements it: it owns the texts and the buttons. Each method renders
// in the recipient's language and enqueues in tx under the given key, so a
// reminder and the record that it went out commit together; tx is only the
// outbox, which is all a notifier may touch.
type Notifier interface {
	// Remind enqueues a reminder to r.Member.
	Remind(tx OutboxStore, r Reminder) error
	// Escalate enqueues, under key, one message to the committee chat
	// that lists the escalations of one run, in the order given.
	Escalate(tx OutboxStore, key string, es []Escalation) error
	// Unreached enqueues u to each of u.To.
	Unreached(tx OutboxStore, u Unreached) error
	// SendDigest enqueues the digest, and the chart when not nil, to the
	// committee chat under key; m is the meeting it is for (nil for none).
	SendDigest(tx OutboxStore, key string, m *Meeting, d Digest, chart []byte) error
}

// SendError is how a sender of outgoing messages reports a failure, so that
// the outbox knows whether to wait, retry or give up.
type SendError struct {
	RetryAfter time.Duration // Telegram said to wait this long (429)
	Permanent  bool          // retrying cannot help: blocked, chat not found, bad request
	Blocked    bool          // with Permanent: the recipient blocked the bot (403); see MarkBlocked
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
