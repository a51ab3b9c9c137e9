package tasks

import (
	"strings"
	"time"
)

// Unit is a member unit of the committee: a department (Sở) or a district
// (quận, huyện).
type Unit struct {
	Code string // short and unique, e.g. "SNV"; stored upper case
	Name string // "Sở Nội vụ"
}

// Role is what a member does on the committee.
type Role string

// The roles. A unit delegate acts for a unit like its head and gets the same
// reminders.
const (
	RoleChair        Role = "chair"
	RoleSecretariat  Role = "secretariat"
	RoleUnitHead     Role = "unit_head"
	RoleUnitDelegate Role = "unit_delegate"
)

// Roles lists every role.
var Roles = []Role{RoleChair, RoleSecretariat, RoleUnitHead, RoleUnitDelegate}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool {
	switch r {
	case RoleChair, RoleSecretariat, RoleUnitHead, RoleUnitDelegate:
		return true
	}
	return false
}

// ForUnit reports whether the role acts for one unit.
func (r Role) ForUnit() bool { return r == RoleUnitHead || r == RoleUnitDelegate }

// Member is a person on the committee.
type Member struct {
	ID         int64  // assigned by the store
	Name       string // "Nguyễn Văn A"
	Role       Role
	Unit       string // unit code, for unit roles
	TelegramID int64  // 0 until linked
	Lang       string // "vi" or "en"; empty means the committee's language

	// Set by RemoveMember: the record stays, so that who did what stays
	// true, but the account is unlinked.
	RemovedAt        time.Time // zero for a member
	RemovedBy        int64     // the member who removed them; 0: the bot (configuration)
	FormerTelegramID int64     // the account they had

	// Title and Address are how letters name them: "Giám đốc Sở Nội vụ"
	// and "đồng chí" (see Salutation). Both optional.
	Title   string
	Address string
	// BlockedAt is when Telegram refused a message to them because they
	// blocked the bot; zero when they can receive (cleared when they write
	// again). See MarkBlocked.
	BlockedAt time.Time
	// Away is their absence and who covers it (see Absence); zero: none.
	Away Absence
}

// Linked reports whether the member has a Telegram account.
func (m Member) Linked() bool { return m.TelegramID != 0 }

// Removed reports whether the member was removed (see RemoveMember).
func (m Member) Removed() bool { return !m.RemovedAt.IsZero() }

// Task is one task the committee assigned.
type Task struct {
	Code        string   // human and unique, e.g. "CCHC-12"; stored upper case
	Title       string   // what is to be done
	Unit        string   // lead unit code
	CoUnits     []string // coordinating unit codes
	Group       string   // the plan or programme, e.g. "Kế hoạch CCHC 2023"
	Source      string   // the document that assigned it, e.g. "QĐ 7028/QĐ-UBND"
	Deadline    Date     // zero: no deadline
	Status      Status
	Progress    int       // 0–100
	CompletedAt time.Time // when it became done, or was reported done (see DoneReported); zero otherwise
	Blocker     string    // what holds it up, as last reported; empty when nothing
	Note        string    // the last note a unit gave
	Created     time.Time
	Updated     time.Time

	// DeadlineText is the deadline as the plan wrote it ("Quý IV/2023",
	// "Thường xuyên"), shown beside the date; empty for a plain date.
	// Words with no date make the task ongoing (see Ongoing).
	DeadlineText string
}

// NormalizeCode returns a task or unit code as stored: trimmed, upper case.
func NormalizeCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// Involves reports whether unit leads or coordinates t.
func (t Task) Involves(unit string) bool {
	if t.Unit == unit {
		return true
	}
	for _, u := range t.CoUnits {
		if u == unit {
			return true
		}
	}
	return false
}

// Via says how an Update came in.
type Via string

// The ways an Update comes in.
const (
	ViaCommand  Via = "command"
	ViaButton   Via = "button"
	ViaReply    Via = "reply"
	ViaFreeText Via = "free_text"
	ViaLLM      Via = "llm"
	ViaImport   Via = "import"
	ViaDecision Via = "decision"
	ViaConfirm  Via = "confirm" // the secretariat confirms or returns a done report
)

// Attachment is evidence a member sent with an update.
type Attachment struct {
	FileID string // Telegram's file id, enough to send it again
	Name   string
	Size   int64
	Kind   string // "document" or "photo"
}

// Update is one change to a task. Every change is an Update, and the history
// of updates is never rewritten.
type Update struct {
	ID          uint64 // assigned by the store, increasing
	Task        string // task code
	At          time.Time
	By          int64  // member id; 0 for the system or an import
	ByName      string // the member's name at the time
	Via         Via
	OldStatus   Status
	NewStatus   Status
	OldProgress int
	NewProgress int
	OldDeadline Date
	NewDeadline Date
	Note        string
	Blocker     string
	Attachments []Attachment

	// Unit is set when a coordinating unit reported its own part (see
	// Policy.CommitPart): the note and NewProgress are that unit's, and
	// the task's status and progress did not change.
	Unit string
}

// ExtState is where an extension request stands.
type ExtState string

// The states of an extension request.
const (
	ExtPending  ExtState = "pending"
	ExtApproved ExtState = "approved"
	ExtRejected ExtState = "rejected"
)

// ExtensionRequest is a unit's request for a later deadline.
type ExtensionRequest struct {
	ID          uint64 // assigned by the store
	Task        string
	RequesterID int64
	OldDeadline Date
	NewDeadline Date
	Reason      string
	State       ExtState
	DeciderID   int64
	Created     time.Time
	Decided     time.Time

	// NewDeadlineText is the new deadline's words as written ("Quý
	// I/2025"); empty for a plain date.
	NewDeadlineText string
}

// Meeting is a committee meeting.
type Meeting struct {
	ID           uint64 // assigned by the store
	Title        string // "Phiên họp thứ 3"
	Start        time.Time
	DigestSentAt time.Time // zero until its digest went out
}

// Invite is a one-time token that links a Telegram account to a new member.
type Invite struct {
	Token     string
	Role      Role
	Unit      string
	Name      string // optional; the member's Telegram name is used otherwise
	Title     string // optional: the new member's title ("Giám đốc Sở Nội vụ")
	CreatedBy int64
	Expires   time.Time
}

// Button is an inline button on an outgoing message.
type Button struct {
	Text string
	Data string // callback data, at most 64 bytes
	URL  string // a link button instead
	// WebApp opens this https URL as a Telegram Mini App instead
	// (private chats only: Telegram refuses it in groups).
	WebApp string
}

// File is a document or photo to send: Data to upload, or a FileID that
// Telegram already has.
type File struct {
	Name   string
	Data   []byte
	FileID string
}

// OutState is where an outgoing message stands.
type OutState string

// The states of an outgoing message.
const (
	OutQueued OutState = "queued"
	OutSent   OutState = "sent"
	OutFailed OutState = "failed" // permanently: blocked, chat not found
)

// OutMessage is a message in the persistent outbox. It is written with its
// idempotency Key before it is sent, and marked sent with Telegram's message
// id after, so that a crash neither loses it nor sends it twice.
type OutMessage struct {
	ID            uint64 // assigned by the store, increasing
	Key           string // idempotency key: a second Enqueue with it is a no-op
	ChatID        int64
	Text          string // HTML
	Buttons       [][]Button
	ReplyTo       int   // message id this answers, 0 for none
	EditMessageID int   // edit this message instead of sending a new one
	KeyboardOnly  bool  // with EditMessageID: change only the buttons
	Document      *File // send a document with Text as its caption
	Photo         *File // send a photo with Text as its caption
	TaskCodes     []string
	Purpose       Purpose // what a reply to it means (see Purpose)
	ForceReply    bool    // open the reply box on the member's phone (prompts without buttons)
	Scheduled     bool    // sent on the bot's own schedule: held back in quiet hours and on holidays
	Created       time.Time
	NotBefore     time.Time // not sent before this instant
	State         OutState
	Attempts      int
	FirstFailure  time.Time // the first failed attempt; how long it has failed counts from here
	SentMessageID int
	SentAt        time.Time
	LastError     string
}

// MessageRef is what the bot remembers about a message it sent: which tasks
// it covered, so that a reply to it can be read as an update.
type MessageRef struct {
	ChatID    int64
	MessageID int
	TaskCodes []string
	Purpose   Purpose // copied from the OutMessage
	OutID     uint64
}

// Snapshot is the state of every task when a digest was sent, to tell what
// changed by the next one.
type Snapshot struct {
	At time.Time
	// Tasks is one state per task, ordered by code: the next digest
	// walks it beside its tasks, which come in code order too, instead of
	// looking 100,000 codes up in a map.
	Tasks []TaskState
}

// TaskState is a task's status and progress in a Snapshot.
type TaskState struct {
	Code     string
	Status   Status
	Progress int
}
