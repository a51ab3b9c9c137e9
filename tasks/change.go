package tasks

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Change is what a member asks to change on a task. Nil fields stay as they
// are.
type Change struct {
	Status      *Status
	Progress    *int
	Deadline    *Date // only through an approved extension or the secretariat
	Note        string
	Blocker     string
	Attachments []Attachment

	// DeadlineText goes with Deadline: its words as written, or empty.
	DeadlineText string
}

// Empty reports whether the change carries nothing at all.
func (c Change) Empty() bool {
	return c.Status == nil && c.Progress == nil && c.Deadline == nil && c.Note == "" && c.Blocker == "" && len(c.Attachments) == 0
}

// StatusPtr returns a pointer to s, for building a Change.
func StatusPtr(s Status) *Status { return &s }

// IntPtr returns a pointer to n, for building a Change.
func IntPtr(n int) *int { return &n }

// Apply applies c, made by member by through via at now, to t and returns
// the Update that records it. The rules:
//   - progress is 0–100; reaching 100 means done, done means 100;
//   - with ConfirmDone, a unit's done is a report of done (DoneReported)
//     that the secretariat confirms (see Confirm); with RequireEvidence it
//     needs a file or a document reference;
//   - progress above 0 on a task not started means it is in progress;
//   - only a decider (see Policy) stops a task or carries it over; a unit
//     asking for either gets the proposal instead;
//   - a decided task (stopped, carried over) is reopened only by the
//     secretariat.
//
// t is changed only when the error is nil.
func (p Policy) Apply(t *Task, c Change, by Member, via Via, now time.Time) (Update, error) {
	if c.Empty() {
		return Update{}, NewError(EINVALID, "nothing_to_change", "nothing to change")
	}
	n := *t
	decider := p.Can(by, Decide, t) == nil
	if c.Status != nil {
		st := *c.Status
		if st == DoneReported {
			st = Done // asked for as such, it is a report of done like any other (see reported)
		}
		if !st.Valid() {
			return Update{}, NewError(EINVALID, "bad_status", fmt.Sprintf("%q is not a status", st), string(st))
		}
		if !decider && via != ViaDecision && via != ViaImport {
			switch st {
			case Stopped:
				st = ProposedStop
			case CarriedOver:
				st = ProposedCarryover
			}
		}
		if (t.Status == Stopped || t.Status == CarriedOver) && st != t.Status && by.Role != RoleSecretariat && via != ViaImport {
			return Update{}, NewError(ECONFLICT, "task_closed", "task "+t.Code+" was closed by the committee", t.Code, t.Status)
		}
		n.Status = st
	}
	if c.Progress != nil {
		pr := *c.Progress
		if pr < 0 || pr > 100 {
			return Update{}, NewError(EINVALID, "bad_progress", fmt.Sprintf("progress %d is not between 0 and 100", pr), pr)
		}
		n.Progress = pr
		if c.Status == nil {
			switch {
			case pr == 100 && n.Status.Open() && !n.Status.Proposal():
				n.Status = Done
			case pr > 0 && n.Status == NotStarted:
				n.Status = InProgress
			case pr < 100 && (n.Status == Done || n.Status == DoneReported):
				n.Status = InProgress
			}
		}
	}
	if n.Status == Done && t.Status != Done {
		if err := p.reported(&n, t, c, by, via); err != nil {
			return Update{}, err
		}
	}
	finished := n.Status == Done || n.Status == DoneReported
	if finished && c.Progress == nil {
		n.Progress = 100
	}
	switch {
	case !finished:
		n.CompletedAt = time.Time{}
	case n.Status == Done && t.Status == DoneReported && !t.CompletedAt.IsZero():
		// Confirmed: done when the unit reported it, and judged on time or
		// late on that day.
	case n.Status != t.Status:
		n.CompletedAt = now
	}
	if c.Deadline != nil {
		n.Deadline, n.DeadlineText = *c.Deadline, c.DeadlineText
	}
	if via != ViaImport {
		if n.Status == NotStarted && n.Progress > 0 {
			// "chưa triển khai" on a task at 30%: one of the two is wrong.
			return Update{}, NewError(EINVALID, "not_started_with_progress", "task "+t.Code+" is at some progress; not started needs 0%", t.Code, n.Progress)
		}
		if n.Status == t.Status && n.Progress == t.Progress && n.Deadline == t.Deadline && n.DeadlineText == t.DeadlineText &&
			c.Note == "" && c.Blocker == "" && len(c.Attachments) == 0 {
			return Update{}, NewError(ECONFLICT, "no_change", "task "+t.Code+" is already so", t.Code, t.Status, t.Progress)
		}
	}
	if c.Note != "" {
		n.Note = c.Note
	}
	if c.Blocker != "" {
		n.Blocker = c.Blocker
	} else if finished {
		n.Blocker = ""
	}
	n.Updated = now
	u := Update{
		Task:        t.Code,
		At:          now,
		By:          by.ID,
		ByName:      by.Name,
		Via:         via,
		OldStatus:   t.Status,
		NewStatus:   n.Status,
		OldProgress: t.Progress,
		NewProgress: n.Progress,
		OldDeadline: t.Deadline,
		NewDeadline: n.Deadline,
		Note:        c.Note,
		Blocker:     c.Blocker,
		Attachments: c.Attachments,
	}
	*t = n
	return u, nil
}

// ParseValue reads the VALUE of `/update CODE VALUE [note]`: a percentage
// ("60%", "60"), or a status name in English or Vietnamese with or without
// diacritics. Status words may span several words ("đang triển khai"), so
// it takes the longest prefix of words that names a status and returns the
// rest as the note. The error is an *Error with code EINVALID.
func ParseValue(args string) (Change, string, error) {
	args = strings.TrimSpace(args)
	words := strings.Fields(args)
	if len(words) == 0 {
		return Change{}, "", NewError(EINVALID, "missing_value", "give a percentage or a status")
	}
	if pr, ok := ParsePercent(words[0]); ok {
		if pr < 0 || pr > 100 {
			return Change{}, "", NewError(EINVALID, "bad_progress", fmt.Sprintf("progress %d is not between 0 and 100", pr), pr)
		}
		return Change{Progress: IntPtr(pr)}, restAfter(args, 1), nil
	}
	max := len(words)
	if max > 6 {
		max = 6
	}
	for k := max; k >= 1; k-- {
		if st, ok := ParseStatus(strings.Join(words[:k], " ")); ok {
			return Change{Status: StatusPtr(st)}, restAfter(args, k), nil
		}
	}
	v := words[0]
	if r := []rune(v); len(r) > 40 {
		// Cut at a letter, not a byte: the value is echoed back to the
		// member, and half a Vietnamese letter would print as garbage.
		v = string(r[:40])
	}
	return Change{}, "", NewError(EINVALID, "bad_value", fmt.Sprintf("%q is neither a percentage nor a status", v), v)
}

// ParsePercent reads "60%", "60 %" (as one word "60%") or "60". ok is false
// when s is not a whole number with an optional percent sign.
func ParsePercent(s string) (int, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, "%")
	if s == "" || len(s) > 4 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, false
	}
	return n, true
}

// restAfter returns s without its first k words, trimmed.
func restAfter(s string, k int) string {
	for i := 0; i < k; i++ {
		s = strings.TrimLeft(s, " \t\r\n")
		j := strings.IndexAny(s, " \t\r\n")
		if j < 0 {
			return ""
		}
		s = s[j:]
	}
	return strings.TrimSpace(s)
}

// UpdateRecorder is the part of a transaction that stores a task and the
// Update that records its change (see Tx).
type UpdateRecorder interface {
	PutTask(t Task) error
	AddUpdate(u *Update) error
}

// Record stores t with the Update u that records how it came to be so, in
// the caller's transaction: every change to a task is an Update. It
// assigns u.ID.
func Record(tx UpdateRecorder, t Task, u *Update) error {
	if err := tx.PutTask(t); err != nil {
		return fmt.Errorf("store task %s: %w", t.Code, err)
	}
	if err := tx.AddUpdate(u); err != nil {
		return fmt.Errorf("record update of %s: %w", t.Code, err)
	}
	return nil
}

// Commit is the one path for a change to a task: it checks that by may
// make it (Decide for a decision, UpdateTask otherwise; an import is
// authorised by whoever started it), applies c by the rules of Apply and
// records the result (see Record). A refusal is an *Error (EFORBIDDEN,
// EINVALID, ECONFLICT) and changes nothing; t is changed only when the
// error is nil.
func (p Policy) Commit(tx UpdateRecorder, t *Task, c Change, by Member, via Via, now time.Time) (Update, error) {
	switch via {
	case ViaImport:
	case ViaDecision:
		if err := p.Can(by, Decide, t); err != nil {
			return Update{}, err
		}
	default:
		if err := p.Can(by, UpdateTask, t); err != nil {
			return Update{}, err
		}
	}
	n := *t
	u, err := p.Apply(&n, c, by, via, now)
	if err != nil {
		return Update{}, err
	}
	if err := Record(tx, n, &u); err != nil {
		return Update{}, err
	}
	*t = n
	return u, nil
}
