package taskfile

import (
	"fmt"
	"slices"
	"time"

	"steerbot/tasks"
)

// IndicatorCounts counts what an import did to indicators.
type IndicatorCounts struct {
	Created   int // new indicators
	Updated   int // existing indicators the file changed
	Unchanged int // existing indicators the file gives as they are
	Values    int // values appended from the value column
}

// indPlanned is the indicator part of an import, checked against the
// store, ready to write.
type indPlanned struct {
	put      []tasks.Indicator      // created or changed
	values   []tasks.IndicatorValue // to append, after the indicators
	counts   IndicatorCounts
	problems []Problem
}

// planIndicators checks indicator rows against the store: every unit
// (lead or coordinating) must exist by code or name, or be created by the
// task rows (newUnits); a value must not be new for a stopped indicator.
// An existing indicator changes only in the columns the row gives besides
// the required ones; its values stay, and a value cell appends a value only
// when it differs from the latest (tasks.ImportIndicatorValue), so that
// importing an exported file appends nothing. The error is the store's.
func planIndicators(tx Tx, rows []IndicatorRow, newUnits []tasks.Unit, now time.Time, loc *time.Location) (*indPlanned, error) {
	pl := &indPlanned{}
	if len(rows) == 0 {
		return pl, nil
	}
	units, err := tx.Units()
	if err != nil {
		return nil, fmt.Errorf("import indicators: list units: %w", err)
	}
	ix := &unitIndex{byCode: map[string]bool{}, byName: map[string][]string{}}
	for _, u := range slices.Concat(units, newUnits) {
		ix.add(u)
	}
	bad := func(r IndicatorRow, c indColumn, value, why string) {
		p := problem(r.Line, 0, value, why)
		if c != 0 {
			p.Column = c.String()
		}
		p.Sheet = r.sheet
		pl.problems = append(pl.problems, p)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		in := r.Indicator
		if in.Unit != "" {
			if code, ok := ix.resolve(in.Unit); ok {
				in.Unit = code
			} else {
				bad(r, icUnit, in.Unit, "is not a known unit")
			}
		}
		var co []string
		for _, u := range in.CoUnits {
			code, ok := ix.resolve(u)
			if !ok {
				bad(r, icCoUnits, u, "is not a known unit")
				continue
			}
			if code != in.Unit && !slices.Contains(co, code) {
				co = append(co, code)
			}
		}
		in.CoUnits = co
		if in.Code == "" || !validCode(in.Code) || seen[in.Code] || in.Target.Cmp == "" {
			continue // refused when read
		}
		seen[in.Code] = true
		old, err := tx.Indicator(in.Code)
		exists := err == nil
		if err != nil && !tasks.IsNotFound(err) {
			return nil, fmt.Errorf("import indicators: %s: %w", in.Code, err)
		}
		ind := in
		if exists {
			ind = merged(old, in, r.has)
		} else {
			ind.Created, ind.Updated = now, now
		}
		if r.Value != "" {
			var vals []tasks.IndicatorValue
			if exists {
				if vals, err = tx.IndicatorValues(in.Code, 0); err != nil {
					return nil, fmt.Errorf("import indicators: values of %s: %w", in.Code, err)
				}
			}
			v, err := tasks.ImportIndicatorValue(ind, r.Value, vals, now, loc)
			switch {
			case err != nil:
				bad(r, icValue, r.Value, valueWhy(err))
			case v != nil:
				pl.values = append(pl.values, *v)
			}
		}
		switch {
		case !exists:
			pl.counts.Created++
			pl.put = append(pl.put, ind)
		case sameIndicator(old, ind):
			pl.counts.Unchanged++
		default:
			ind.Updated = now
			pl.counts.Updated++
			pl.put = append(pl.put, ind)
		}
	}
	return pl, nil
}

// merged returns old with the columns of a row: the required ones, and the
// others only where the row gives them.
func merged(old, in tasks.Indicator, has indColumn) tasks.Indicator {
	ind := old
	ind.Name, ind.Unit, ind.Target = in.Name, in.Unit, in.Target
	if has.Contains(icPeriod) {
		ind.Period = in.Period
	}
	if has.Contains(icState) {
		ind.State = in.State
	}
	if has.Contains(icAssignedOn) {
		ind.AssignedOn = in.AssignedOn
	}
	if has.Contains(icGroup) {
		ind.Group = in.Group
	}
	if has.Contains(icSource) {
		ind.Source = in.Source
	}
	if has.Contains(icCoUnits) {
		ind.CoUnits = in.CoUnits
	}
	return ind
}

// sameIndicator reports whether a and b agree in every column of the
// indicator sheet.
func sameIndicator(a, b tasks.Indicator) bool {
	return a.Name == b.Name && a.Unit == b.Unit && slices.Equal(a.CoUnits, b.CoUnits) &&
		a.Group == b.Group && a.Source == b.Source && a.Target == b.Target &&
		a.Period.Norm() == b.Period.Norm() && a.State.Norm() == b.State.Norm() && a.AssignedOn == b.AssignedOn
}

// write stores the planned indicators, then their values, made by by.
func (pl *indPlanned) write(tx Tx, by tasks.Member) (IndicatorCounts, error) {
	for _, ind := range pl.put {
		if err := tx.PutIndicator(ind); err != nil {
			return IndicatorCounts{}, fmt.Errorf("import: indicator %s: %w", ind.Code, err)
		}
	}
	for _, v := range pl.values {
		v.By, v.ByName = by.ID, by.Name
		if err := tx.AddIndicatorValue(&v); err != nil {
			return IndicatorCounts{}, fmt.Errorf("import: value of %s: %w", v.Indicator, err)
		}
		pl.counts.Values++
	}
	return pl.counts, nil
}
