package tasks

import (
	"fmt"
	"time"
)

// HistoryReader is the part of a transaction that reads a task's history.
type HistoryReader interface {
	History(code string, limit int) ([]Update, error)
}

// reportedBy reports whether u is a member's own report: made by a member
// (not the system or an import) and not a decision on it.
func reportedBy(u Update) bool {
	return u.By != 0 && u.Via != ViaImport && u.Via != ViaDecision
}

// LastReports returns, by member id, when each member last reported on
// one of ts (the latest Update they made).
func LastReports(tx HistoryReader, ts []Task) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	for _, t := range ts {
		h, err := tx.History(t.Code, 0)
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", t.Code, err)
		}
		for _, u := range h {
			if reportedBy(u) && u.At.After(out[u.By]) {
				out[u.By] = u.At
			}
		}
	}
	return out, nil
}

// ReportedUnits returns the units that reported on at least one of ts at
// or after since: an Update made by one of the unit's members, or a
// coordinating unit's report of its part (Update.Unit). A secretariat's
// update on a unit's behalf does not count as the unit's report.
func ReportedUnits(tx HistoryReader, ts []Task, ms []Member, since time.Time) (map[string]bool, error) {
	unitOf := make(map[int64]string, len(ms))
	for _, m := range ms {
		if m.Role.ForUnit() {
			unitOf[m.ID] = m.Unit
		}
	}
	out := map[string]bool{}
	for _, t := range ts {
		h, err := tx.History(t.Code, 0)
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", t.Code, err)
		}
		for _, u := range h {
			if u.At.Before(since) || !reportedBy(u) {
				continue
			}
			switch {
			case u.Unit != "":
				out[u.Unit] = true
			case unitOf[u.By] != "":
				out[unitOf[u.By]] = true
			}
		}
	}
	return out, nil
}
