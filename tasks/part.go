package tasks

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// canReportPart: a head or delegate of one of t's coordinating units (of
// any unit when t is nil: whether the command is theirs at all).
func (p Policy) canReportPart(m Member, t *Task) error {
	if m.Role.ForUnit() && (t == nil || slices.Contains(t.CoUnits, m.Unit)) {
		return nil
	}
	code := ""
	if t != nil {
		code = t.Code
	}
	return NewError(EFORBIDDEN, "not_co_unit", "only a coordinating unit reports its part of "+code, code)
}

// CommitPart records a coordinating unit's report of its own part of t: a
// note and that unit's own percentage, as an Update marked with the unit
// (Update.Unit). The task itself, its status and progress, stay the lead
// unit's and do not change. A refusal is an *Error: EFORBIDDEN when by is
// not of a coordinating unit (see Can and ReportPart), EINVALID for a
// percentage outside 0–100 or a note longer than MaxTitle.
func (p Policy) CommitPart(tx UpdateRecorder, t Task, progress int, note string, by Member, via Via, now time.Time) (Update, error) {
	if err := p.Can(by, ReportPart, &t); err != nil {
		return Update{}, err
	}
	if progress < 0 || progress > 100 {
		return Update{}, NewError(EINVALID, "bad_progress", fmt.Sprintf("progress %d is not between 0 and 100", progress), progress)
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxTitle {
		return Update{}, NewError(EINVALID, "title_too_long", "note too long", MaxTitle)
	}
	u := Update{
		Task: t.Code, At: now, By: by.ID, ByName: by.Name, Via: via,
		OldStatus: t.Status, NewStatus: t.Status, OldProgress: t.Progress, NewProgress: progress,
		OldDeadline: t.Deadline, NewDeadline: t.Deadline, Note: note, Unit: by.Unit,
	}
	if err := tx.AddUpdate(&u); err != nil {
		return Update{}, fmt.Errorf("record part of %s: %w", t.Code, err)
	}
	return u, nil
}
