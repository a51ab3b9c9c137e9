package tasks

import (
	"slices"
	"time"
)

// reported turns a unit's done into a report of done when the committee
// confirms completions (ConfirmDone), and refuses one without evidence when
// it requires evidence (RequireEvidence). n is the task as changed, t as it
// was. The secretariat's own done is final: it is the one that confirms,
// and it marks a task done on the evidence it already holds; an import is
// the secretariat's too.
func (p Policy) reported(n, t *Task, c Change, by Member, via Via) error {
	if !by.Role.ForUnit() || via == ViaImport || via == ViaDecision || via == ViaConfirm {
		return nil
	}
	if p.RequireEvidence && t.Status != DoneReported && len(c.Attachments) == 0 && !HasDocumentRef(c.Note) {
		return NewError(EINVALID, "evidence_required", "task "+t.Code+": attach the report file or give its document number", t.Code)
	}
	if p.ConfirmDone {
		n.Status = DoneReported
	}
	return nil
}

// Confirm makes a task reported done (DoneReported) done, completed when
// the unit reported it, and records it as an Update by the secretariat
// member by. Only the secretariat confirms (EFORBIDDEN); a task no longer
// reported done — already confirmed or returned — is ECONFLICT with key
// "report_decided".
func (p Policy) Confirm(tx UpdateRecorder, t *Task, by Member, now time.Time) (Update, error) {
	if err := p.checkReport(t, by); err != nil {
		return Update{}, err
	}
	return p.Commit(tx, t, Change{Status: StatusPtr(Done)}, by, ViaConfirm, now)
}

// Return sends a task reported done back to the unit: in progress again at
// the progress it had before the report (report is that report, see
// LastReport; zero for none), with the reason as the Update's note. The
// errors are Confirm's, and EINVALID ("return_needs_reason") for no reason.
func (p Policy) Return(tx UpdateRecorder, t *Task, report Update, reason string, by Member, now time.Time) (Update, error) {
	if err := p.checkReport(t, by); err != nil {
		return Update{}, err
	}
	if reason == "" {
		return Update{}, NewError(EINVALID, "return_needs_reason", "give the reason for returning the report")
	}
	c := Change{Status: StatusPtr(InProgress), Note: reason}
	if report.NewStatus == DoneReported && report.OldProgress < 100 {
		c.Progress = IntPtr(report.OldProgress)
	}
	return p.Commit(tx, t, c, by, ViaConfirm, now)
}

func (p Policy) checkReport(t *Task, by Member) error {
	if err := p.Can(by, ConfirmReport, t); err != nil {
		return err
	}
	if t.Status != DoneReported {
		return NewError(ECONFLICT, "report_decided", "task "+t.Code+" is no longer awaiting confirmation", t.Code, t.Status)
	}
	return nil
}

// LastReport returns the latest Update of hist (a task's history, oldest
// first) that reported the task done, and the evidence sent with it or
// since (an album's later files come as updates of their own); ok is false
// when there is none.
func LastReport(hist []Update) (report Update, evidence []Attachment, ok bool) {
	for i := len(hist) - 1; i >= 0; i-- {
		u := hist[i]
		if u.NewStatus != DoneReported || u.OldStatus == DoneReported {
			continue
		}
		for _, v := range hist[i:] {
			evidence = append(evidence, v.Attachments...)
		}
		return u, evidence, true
	}
	return Update{}, nil, false
}

// AwaitingConfirmation returns the tasks of ts reported done and awaiting
// the secretariat, oldest report first.
func AwaitingConfirmation(ts []Task) []Task {
	var out []Task
	for _, t := range ts {
		if t.Status == DoneReported {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b Task) int { return a.CompletedAt.Compare(b.CompletedAt) })
	return out
}

// Confirmers returns the members of ms who confirm or return done reports:
// the linked secretariat.
func (p Policy) Confirmers(ms []Member) []Member {
	var out []Member
	for _, m := range ms {
		if p.Can(m, ConfirmReport, nil) == nil {
			out = append(out, m)
		}
	}
	return out
}
