package tasks

import "time"

// StateKind names a kind of short-lived record: state that a conversation
// or a reminder leaves behind and that has an end. The daily maintenance
// deletes a record once it has ended (see StateStore.SweepState), so the
// database does not grow with every question the bot ever asked.
type StateKind string

// The kinds of short-lived records and how long each lives.
const (
	// StatePendingChoice is a reply that covered several tasks, waiting
	// for the member to tap which one it is about. It lives
	// PendingChoiceTTL.
	StatePendingChoice StateKind = "pending_choice"
	// StateAlbum records where the first message of an album (several
	// photos or files sent at once) went, for the messages that follow it.
	// It lives AlbumTTL.
	StateAlbum StateKind = "album"
	// StateProposal is an update the assistant read from a member's words,
	// waiting for the member's Confirm. It lives ProposalTTL.
	StateProposal StateKind = "proposal"
	// StateDrafts is a set of tasks the assistant drafted from a meeting's
	// conclusions, waiting for the secretariat. It lives DraftsTTL.
	StateDrafts StateKind = "drafts"
	// StateAssistJob is a question waiting for the assistant worker. It
	// lives AssistJobTTL.
	StateAssistJob StateKind = "assist_job"
	// StateDecisionCopy remembers which outbox message is one decider's
	// copy of a decision request, so the first decision can edit the
	// others. It ends with its outbox message (see Tx.PruneOutbox).
	StateDecisionCopy StateKind = "decision_copy"
	// StateDueSoon records that a "due soon" reminder for a task's deadline
	// was queued. It ends the day after that deadline: the task is then
	// overdue, never due soon again for it.
	StateDueSoon StateKind = "due_soon"
	// StateEscalation records that the committee was told a task is
	// overdue too long. It ends EscalationKeep after the deadline.
	StateEscalation StateKind = "escalation"
	// StatePendingImport is a task file the secretariat sent in chat,
	// previewed and waiting for Apply or Cancel. It lives
	// PendingImportTTL.
	StatePendingImport StateKind = "pending_import"
	// StateNarrative is a narrative the assistant wrote for a digest's
	// figures, kept so that the same figures asked again within
	// NarrativeTTL reuse it instead of asking the model again.
	StateNarrative StateKind = "narrative"
)

// How long short-lived records live. A member who comes back later finds
// the buttons stale ("this button is no longer valid") and sends again;
// nothing that was saved is lost, only the question that waited.
const (
	// PendingChoiceTTL: a "which task?" left unanswered for three days is
	// forgotten; the member's words were never saved anywhere else, but
	// by then a new report is due anyway.
	PendingChoiceTTL = 3 * 24 * time.Hour
	// AlbumTTL: the messages of an album arrive within seconds, and
	// Telegram keeps undelivered updates for 24 hours; two days covers
	// both.
	AlbumTTL = 2 * 24 * time.Hour
	// ProposalTTL: an assistant's proposal not confirmed in three days.
	ProposalTTL = 3 * 24 * time.Hour
	// DraftsTTL: drafted tasks wait a week, from one weekly meeting to the
	// next.
	DraftsTTL = 7 * 24 * time.Hour
	// AssistJobTTL: a job the worker could not finish in two days (its
	// member was removed, say) is dropped.
	AssistJobTTL = 2 * 24 * time.Hour
	// EscalationKeep: a task still overdue a year after its deadline is
	// escalated once more.
	EscalationKeep = 365 * 24 * time.Hour
	// PendingImportTTL: a previewed task file not applied within a day is
	// forgotten; the secretariat sends it again (the preview says when
	// the tasks changed anyway).
	PendingImportTTL = 24 * time.Hour
	// NarrativeTTL: a narrative is reused for the same figures within an
	// hour; after that the model is asked again.
	NarrativeTTL = time.Hour
)

// StateKinds returns every kind of short-lived record, in a fixed order
// (for metrics and reports).
func StateKinds() []StateKind {
	return []StateKind{StatePendingChoice, StateAlbum, StateProposal, StateDrafts,
		StateAssistJob, StateDecisionCopy, StateDueSoon, StateEscalation, StatePendingImport, StateNarrative,
		StateDashLink, StateDashSession}
}

// TTL returns how long a record of kind k lives after it was made; 0 for
// the kinds whose end is not an age (decision copies, reminder marks).
func (k StateKind) TTL() time.Duration {
	switch k {
	case StatePendingChoice:
		return PendingChoiceTTL
	case StateAlbum:
		return AlbumTTL
	case StateProposal:
		return ProposalTTL
	case StateDrafts:
		return DraftsTTL
	case StateAssistJob:
		return AssistJobTTL
	case StatePendingImport:
		return PendingImportTTL
	case StateNarrative:
		return NarrativeTTL
	case StateDashLink:
		return DashLinkTTL
	case StateDashSession:
		return DashSessionTTL
	}
	return 0
}

// Expired reports whether a record of kind k made at created has ended at
// now. A kind without a TTL never ends by age.
func (k StateKind) Expired(created, now time.Time) bool {
	ttl := k.TTL()
	return ttl > 0 && !now.Before(created.Add(ttl))
}

// PendingChoice is a reply that covered several tasks, kept until the
// member taps which one it is about.
type PendingChoice struct {
	ID      int64        `json:"id"` // the update that brought the reply
	Member  int64        `json:"member"`
	Text    string       `json:"text"`
	Atts    []Attachment `json:"atts,omitempty"`
	Created time.Time    `json:"created"`
}

// Album records where the first message of an album went: a task, or a
// pending choice. Exactly one of Task and Pending is set.
type Album struct {
	ID      string    `json:"id"` // Telegram's media group id
	Task    string    `json:"task,omitempty"`
	Pending int64     `json:"pending,omitempty"` // a PendingChoice's ID
	Created time.Time `json:"created"`
}

// PendingProposal is an assistant's proposal waiting for the member's
// Confirm.
type PendingProposal struct {
	ID       int64     `json:"id"` // the update that asked
	Member   int64     `json:"member"`
	Text     string    `json:"text"`
	Proposal Proposal  `json:"proposal"`
	Created  time.Time `json:"created"`
}

// DraftState is what became of one drafted task.
type DraftState string

// Draft states; a created draft's state is DraftCreated followed by the
// new task's code.
const (
	DraftOpen    DraftState = ""
	DraftDropped DraftState = "dropped"
	DraftCreated DraftState = "created:"
)

// DraftSet is a set of drafted tasks waiting for the secretariat, with
// what became of each (State[i] for Drafts[i]).
type DraftSet struct {
	ID      int64        `json:"id"` // the update that asked
	Member  int64        `json:"member"`
	Drafts  []Draft      `json:"drafts"`
	State   []DraftState `json:"state"`
	Created time.Time    `json:"created"`
}

// AssistJob is one question for the assistant, recorded by the update that
// asked and answered after its commit by the assistant worker.
type AssistJob struct {
	ID      int64     `json:"id"`   // the update id that asked
	Kind    string    `json:"kind"` // "update", "conclusions", "reply", "free_text", "narrate", "ask"
	Member  int64     `json:"member"`
	Chat    int64     `json:"chat"`
	Text    string    `json:"text"`
	Codes   []string  `json:"codes,omitempty"`
	FileID  string    `json:"file_id,omitempty"`
	Lang    string    `json:"lang,omitempty"`   // the language to answer in, when not the member's
	OutID   uint64    `json:"out_id,omitempty"` // narrate: the outbox message of the figures, to edit
	Key     string    `json:"key,omitempty"`    // narrate: tasks.NarrativeKey of the figures
	Created time.Time `json:"created"`
}

// DecisionCopy names the outbox message that is one decider's copy of a
// decision request (Key is the copy's key, for example
// "ext:ID:ask:DECIDER").
type DecisionCopy struct {
	Key     string    `json:"key"`
	OutID   uint64    `json:"out_id"`
	Created time.Time `json:"created"`
}

// ReminderMark records that a reminder about a task's deadline was queued,
// so that it is not queued again. Kind is StateDueSoon (Days is the
// threshold crossed) or StateEscalation.
type ReminderMark struct {
	Kind     StateKind `json:"kind"`
	Task     string    `json:"task"`
	Deadline Date      `json:"deadline"`
	Days     int       `json:"days,omitempty"`
	At       time.Time `json:"at"`
}

// Ends returns when the mark is no longer needed: for a due-soon mark the
// second day after the deadline (a day of margin for time zones), for an
// escalation EscalationKeep after the deadline.
func (m ReminderMark) Ends() time.Time {
	start := m.Deadline.Start(time.UTC)
	if m.Kind == StateEscalation {
		return start.Add(EscalationKeep)
	}
	return m.Deadline.AddDays(2).Start(time.UTC)
}
