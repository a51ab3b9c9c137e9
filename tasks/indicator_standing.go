package tasks

import (
	"fmt"
	"slices"
	"strings"
)

// IndicatorResult is where an indicator stands in its current period. It is
// derived from the values, never stored.
type IndicatorResult string

// The results.
const (
	IndicatorAchieved    IndicatorResult = "achieved"     // đạt
	IndicatorNotAchieved IndicatorResult = "not_achieved" // chưa đạt
	IndicatorNoValue     IndicatorResult = "no_value"     // chưa có số liệu for the current period
	IndicatorClosed      IndicatorResult = "stopped"      // stopped: not judged
)

// IndicatorStanding is an indicator judged at one day.
type IndicatorStanding struct {
	Indicator Indicator
	Span      Span // the current period
	Result    IndicatorResult
	Current   *IndicatorValue // the latest value within Span; nil when none
	Last      *IndicatorValue // the latest value of all, maybe of an earlier period; nil when none
}

// later reports whether a is a later value than b: a later as-of day, or
// the same day reported later.
func later(a, b *IndicatorValue) bool {
	if c := a.AsOf.Compare(b.AsOf); c != 0 {
		return c > 0
	}
	return a.ID > b.ID
}

// JudgeIndicator judges ind on today (the committee's day) from its values:
// the latest value whose as-of day falls in the current calendar period of
// the indicator (its year, half, quarter or month) is held against the
// target. A value whose measure no longer agrees with the target (the
// target was changed) is not counted. Stopped indicators are not judged.
func JudgeIndicator(ind Indicator, values []IndicatorValue, today Date) IndicatorStanding {
	s := IndicatorStanding{Indicator: ind, Span: ind.Period.SpanOf(today), Result: IndicatorNoValue}
	for i := range values {
		v := &values[i]
		if _, ok := sameMeasure(v.Measure, ind.Target.Measure); !ok {
			continue
		}
		if today.Before(v.AsOf) {
			// Reported as of a later day: not known yet on today (a
			// report's figures at its cut-off).
			continue
		}
		if s.Last == nil || later(v, s.Last) {
			s.Last = v
		}
		if s.Span.Contains(v.AsOf) && (s.Current == nil || later(v, s.Current)) {
			s.Current = v
		}
	}
	switch {
	case ind.State == IndicatorStopped:
		s.Result = IndicatorClosed
	case s.Current == nil:
		s.Result = IndicatorNoValue
	case ind.Target.Meets(s.Current.Value):
		s.Result = IndicatorAchieved
	default:
		s.Result = IndicatorNotAchieved
	}
	return s
}

// LoadIndicatorStandings reads the indicators that f selects with their
// values and judges each on today. It is what /indicators, the digests and
// the indicator reminders read.
func LoadIndicatorStandings(tx IndicatorReader, f IndicatorFilter, today Date) ([]IndicatorStanding, error) {
	inds, err := tx.Indicators(f)
	if err != nil {
		return nil, fmt.Errorf("load indicators: %w", err)
	}
	out := make([]IndicatorStanding, 0, len(inds))
	for _, ind := range inds {
		vals, err := tx.IndicatorValues(ind.Code, 0)
		if err != nil {
			return nil, fmt.Errorf("load values of %s: %w", ind.Code, err)
		}
		out = append(out, JudgeIndicator(ind, vals, today))
	}
	return out, nil
}

// IndicatorSummary is the indicators' line of a digest: "Chỉ tiêu: 25/28
// đạt", the ones not achieved with their value against the target, and the
// ones with no value yet; before any value exists, "25/28 đang triển khai,
// 3 mới giao". Stopped indicators are counted apart and in nothing else.
type IndicatorSummary struct {
	Total       int                 // indicators not stopped
	Achieved    int                 // of Total, achieved in the current period
	NotAchieved []IndicatorStanding // of Total, by code
	NoValue     []IndicatorStanding // of Total, no value in the current period, by code
	Assigned    int                 // of Total, state assigned (đang triển khai)
	New         int                 // of Total, state new (mới giao)
	NewOn       []Date              // the distinct days the new ones were assigned, earliest first
	Stopped     int
}

// HasValues reports whether any indicator has a value for its current
// period: the digest then says "25/28 đạt", and otherwise "25/28 đang triển
// khai, 3 mới giao".
func (s IndicatorSummary) HasValues() bool { return s.Achieved+len(s.NotAchieved) > 0 }

// SummarizeIndicators computes the summary of standings, in the order
// given (LoadIndicatorStandings gives them by code).
func SummarizeIndicators(st []IndicatorStanding) IndicatorSummary {
	var s IndicatorSummary
	for _, x := range st {
		if x.Result == IndicatorClosed {
			s.Stopped++
			continue
		}
		s.Total++
		switch x.Result {
		case IndicatorAchieved:
			s.Achieved++
		case IndicatorNotAchieved:
			s.NotAchieved = append(s.NotAchieved, x)
		default:
			s.NoValue = append(s.NoValue, x)
		}
		if x.Indicator.State == IndicatorNew {
			s.New++
			if d := x.Indicator.AssignedOn; !d.IsZero() && !slices.Contains(s.NewOn, d) {
				s.NewOn = append(s.NewOn, d)
			}
		} else {
			s.Assigned++
		}
	}
	slices.SortFunc(s.NewOn, Date.Compare)
	return s
}

// UnitIndicators is one unit's indicators: those it leads, judged.
type UnitIndicators struct {
	Unit       string
	Standings  []IndicatorStanding
	Summary    IndicatorSummary
	MissingNow []IndicatorStanding // no value for the current period (stopped ones left out)
}

// IndicatorsByUnit groups standings by lead unit, ordered by unit code, for
// the scorecard (/units) and the indicator reminders: a unit whose
// MissingNow is not empty is asked for values.
func IndicatorsByUnit(st []IndicatorStanding) []UnitIndicators {
	var out []UnitIndicators
	idx := map[string]int{}
	for _, x := range st {
		i, ok := idx[x.Indicator.Unit]
		if !ok {
			i = len(out)
			idx[x.Indicator.Unit] = i
			out = append(out, UnitIndicators{Unit: x.Indicator.Unit})
		}
		out[i].Standings = append(out[i].Standings, x)
		if x.Result == IndicatorNoValue {
			out[i].MissingNow = append(out[i].MissingNow, x)
		}
	}
	for i := range out {
		out[i].Summary = SummarizeIndicators(out[i].Standings)
	}
	slices.SortFunc(out, func(a, b UnitIndicators) int { return strings.Compare(a.Unit, b.Unit) })
	return out
}
