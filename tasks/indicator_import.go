package tasks

import (
	"strings"
	"time"
)

// ImportIndicatorValue reads the value column of an indicator file row for
// ind, whose stored values are values, and returns the value to append, or
// nil when there is none to append: the cell is empty, or it holds the
// latest value already (so that importing an exported file, or the same
// file twice, adds nothing). A new value is as of today and Via ViaImport.
// The error is an *Error: EINVALID as for ParseIndicatorValue, ECONFLICT
// (key indicator_stopped) for a new value of a stopped indicator.
func ImportIndicatorValue(ind Indicator, cell string, values []IndicatorValue, now time.Time, loc *time.Location) (*IndicatorValue, error) {
	cell = strings.TrimSpace(cell)
	if cell == "" {
		return nil, nil
	}
	q, err := ParseIndicatorValue(cell, ind.Target)
	if err != nil {
		return nil, err
	}
	today := DateOf(now, loc)
	if last := JudgeIndicator(ind, values, today).Last; last != nil && last.Measure == q.Measure &&
		(Target{Cmp: Exactly, Value: last.Value}).Meets(q.Value) {
		return nil, nil
	}
	if ind.State == IndicatorStopped {
		return nil, NewError(ECONFLICT, "indicator_stopped",
			"indicator "+ind.Code+" is stopped: it takes no more values", ind.Code)
	}
	return &IndicatorValue{
		Indicator: ind.Code, Value: q.Value, Measure: q.Measure, Text: cell,
		AsOf: today, At: now, Via: ViaImport,
	}, nil
}
