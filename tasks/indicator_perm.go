package tasks

import (
	"strings"
	"time"
)

// The actions on indicators that Policy.CanIndicator decides.
const (
	ReadIndicator  Action = "read_indicator"  // see an indicator and its values
	ReportValue    Action = "report_value"    // report an indicator's value
	EditIndicators Action = "edit_indicators" // import, add or stop indicators
)

// CanIndicator decides whether m may do a on ind (ind may be nil for
// EditIndicators). Chairs and the secretariat read every indicator; a unit
// role reads those its unit leads or coordinates. Only the lead unit's
// roles and the secretariat report a value: a coordinating unit does not,
// so that one unit answers for each figure. Only the secretariat edits
// indicators. It returns nil or an *Error with code EFORBIDDEN whose key
// says why. A stopped indicator is refused by ReportIndicatorValue, not
// here: reading it stays allowed.
func (p Policy) CanIndicator(m Member, a Action, ind *Indicator) error {
	if !m.Linked() || !m.Role.Valid() {
		return NewError(EFORBIDDEN, "not_linked", "you are not linked to the committee yet")
	}
	code := ""
	if ind != nil {
		code = ind.Code
	}
	committee := m.Role == RoleChair || m.Role == RoleSecretariat
	switch a {
	case ReadIndicator:
		if committee || (ind != nil && m.Role.ForUnit() && ind.Involves(m.Unit)) {
			return nil
		}
		return NewError(EFORBIDDEN, "other_unit_indicator", "indicator "+code+" belongs to another unit", code)
	case ReportValue:
		if m.Role == RoleSecretariat {
			return nil
		}
		if m.Role.ForUnit() {
			if ind != nil && ind.Unit == m.Unit {
				return nil
			}
			return NewError(EFORBIDDEN, "other_unit_indicator", "indicator "+code+" belongs to another unit", code)
		}
		return NewError(EFORBIDDEN, "only_units_report_value", "only the lead unit or the secretariat reports a value")
	case EditIndicators:
		if m.Role == RoleSecretariat {
			return nil
		}
		return NewError(EFORBIDDEN, "only_secretariat", "only the secretariat does this")
	}
	return NewError(EFORBIDDEN, "forbidden", "not allowed")
}

// ValueReport is what a member sent as an indicator's value.
type ValueReport struct {
	Text     string // the value and an optional note: "đạt 96,2% đúng hạn"
	Note     string // a note given apart (a caption); joined after the one in Text
	AsOf     Date   // the day the value is for; zero means today
	Via      Via
	Evidence []Attachment
}

// ReportIndicatorValue checks a member's report of ind's value and returns
// the value to append with IndicatorStore.AddIndicatorValue: the member may
// report it (CanIndicator, EFORBIDDEN), the indicator is not stopped
// (ECONFLICT, key indicator_stopped), the text holds a value that agrees
// with the target (ReadIndicatorValue, EINVALID), and the value is not for a
// day after today (EINVALID, key value_in_future). It stores nothing.
func (p Policy) ReportIndicatorValue(m Member, ind Indicator, r ValueReport, now time.Time, loc *time.Location) (IndicatorValue, error) {
	if err := p.CanIndicator(m, ReportValue, &ind); err != nil {
		return IndicatorValue{}, err
	}
	if ind.State == IndicatorStopped {
		return IndicatorValue{}, NewError(ECONFLICT, "indicator_stopped",
			"indicator "+ind.Code+" is stopped: it takes no more values", ind.Code)
	}
	q, note, err := ReadIndicatorValue(r.Text, ind.Target)
	if err != nil {
		return IndicatorValue{}, err
	}
	today := DateOf(now, loc)
	asOf := r.AsOf
	if asOf.IsZero() {
		asOf = today
	}
	if today.Before(asOf) {
		return IndicatorValue{}, NewError(EINVALID, "value_in_future",
			"a value cannot be for "+asOf.VN()+", a day still to come", asOf.VN())
	}
	if n := strings.TrimSpace(r.Note); n != "" {
		if note != "" {
			note += " — "
		}
		note += n
	}
	return IndicatorValue{
		Indicator: ind.Code, Value: q.Value, Measure: q.Measure, Text: strings.TrimSpace(r.Text),
		AsOf: asOf, At: now, By: m.ID, ByName: m.Name, Via: r.Via, Note: note, Evidence: r.Evidence,
	}, nil
}
