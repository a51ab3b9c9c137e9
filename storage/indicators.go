package storage

import (
	"fmt"
	"slices"

	"steerbot/tasks"
)

// Indicator buckets (schema 2). A committee has tens of indicators, so
// lists read the whole bucket rather than keep indexes.
var (
	bucketIndicators      = []byte("indicators")       // CODE → Indicator
	bucketIndicatorValues = []byte("indicator_values") // len|CODE|value id → IndicatorValue
)

var _ tasks.IndicatorStore = (*Tx)(nil)

// Indicator returns an indicator by code, case-insensitively (ENOTFOUND).
func (t *Tx) Indicator(code string) (tasks.Indicator, error) {
	code = tasks.NormalizeCode(code)
	var ind tasks.Indicator
	ok, err := getJSON(t.b(bucketIndicators), []byte(code), &ind)
	if err != nil {
		return tasks.Indicator{}, fmt.Errorf("indicator %s: %w", code, err)
	}
	if !ok {
		return tasks.Indicator{}, notFound("indicator_not_found", "indicator "+code+" not found", code)
	}
	return ind, nil
}

// Indicators returns the indicators that f selects, ordered by code. Unit
// and Involving are unit codes, matched case-insensitively; Group is
// compared with tasks.Fold.
func (t *Tx) Indicators(f tasks.IndicatorFilter) ([]tasks.Indicator, error) {
	f.Unit = tasks.NormalizeCode(f.Unit)
	f.Involving = tasks.NormalizeCode(f.Involving)
	group := tasks.Fold(f.Group)
	var out []tasks.Indicator
	err := t.b(bucketIndicators).ForEach(func(k, v []byte) error {
		var ind tasks.Indicator
		if err := decode(k, v, &ind); err != nil {
			return err
		}
		if (f.Unit == "" || ind.Unit == f.Unit) &&
			(f.Involving == "" || ind.Involves(f.Involving)) &&
			(group == "" || tasks.Fold(ind.Group) == group) &&
			(!f.ActiveOnly || ind.State != tasks.IndicatorStopped) {
			out = append(out, ind)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("indicators: %w", err)
	}
	return out, nil
}

// PutIndicator creates or replaces an indicator; its values stay. Codes
// (the indicator's, its lead and coordinating units') are stored upper
// case; empty and repeated coordinating units are dropped. An indicator
// that fails Validate, or an over-long code or group name, is EINVALID.
func (t *Tx) PutIndicator(ind tasks.Indicator) error {
	if err := t.writable("put indicator"); err != nil {
		return err
	}
	ind.Code = tasks.NormalizeCode(ind.Code)
	if err := checkCode("indicator", ind.Code); err != nil {
		return err
	}
	if err := ind.Validate(); err != nil {
		return err
	}
	if len(ind.Group) > maxGroupLen {
		return tasks.NewError(tasks.EINVALID, "group_too_long",
			fmt.Sprintf("group name is longer than %d bytes", maxGroupLen), maxGroupLen)
	}
	ind.Unit = tasks.NormalizeCode(ind.Unit)
	if err := checkUnitRef(ind.Unit); err != nil {
		return err
	}
	var co []string
	for _, u := range ind.CoUnits {
		u = tasks.NormalizeCode(u)
		if err := checkUnitRef(u); err != nil {
			return err
		}
		if u != "" && u != ind.Unit && !slices.Contains(co, u) {
			co = append(co, u)
		}
	}
	ind.CoUnits = co
	if err := putJSON(t.b(bucketIndicators), []byte(ind.Code), ind); err != nil {
		return fmt.Errorf("put indicator %s: %w", ind.Code, err)
	}
	return nil
}

// AddIndicatorValue appends v to its indicator's values and assigns v.ID,
// increasing across all indicators. v.Indicator is stored upper case; the
// indicator must exist in this transaction (ENOTFOUND). There is no way to
// change or delete a value: a correction is a new value.
func (t *Tx) AddIndicatorValue(v *tasks.IndicatorValue) error {
	if err := t.writable("add indicator value"); err != nil {
		return err
	}
	v.Indicator = tasks.NormalizeCode(v.Indicator)
	if !has(t.b(bucketIndicators), []byte(v.Indicator)) {
		return notFound("indicator_not_found", "indicator "+v.Indicator+" not found", v.Indicator)
	}
	b := t.b(bucketIndicatorValues)
	id, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("add indicator value: %w", err)
	}
	v.ID = id
	if err := putJSON(b, composite(v.Indicator, u64(id)), v); err != nil {
		return fmt.Errorf("add value to %s: %w", v.Indicator, err)
	}
	return nil
}

// IndicatorValues returns an indicator's values in the order they were
// reported, oldest first; limit > 0 keeps the newest limit of them. An
// unknown indicator has no values (no error).
func (t *Tx) IndicatorValues(code string, limit int) ([]tasks.IndicatorValue, error) {
	code = tasks.NormalizeCode(code)
	prefix := field(code)
	var out []tasks.IndicatorValue
	err := scanPrefix(t.b(bucketIndicatorValues), prefix, func(k, v []byte) (bool, error) {
		if !hasPrefixLen(k, prefix, 8) {
			return true, nil
		}
		var iv tasks.IndicatorValue
		if err := decode(k, v, &iv); err != nil {
			return false, err
		}
		out = append(out, iv)
		return true, nil
	})
	if err != nil {
		return nil, fmt.Errorf("values of %s: %w", code, err)
	}
	if limit > 0 && len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out, nil
}
