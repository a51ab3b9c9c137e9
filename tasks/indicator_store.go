package tasks

// IndicatorFilter selects indicators. Zero fields select everything.
type IndicatorFilter struct {
	Unit       string // lead unit
	Involving  string // lead or coordinating unit
	Group      string // group name, compared with Fold
	ActiveOnly bool   // leave out stopped indicators
}

// IndicatorStore is the part of a transaction that holds indicators and their
// values. Tx embeds it. Its methods return *Error
// values with code ENOTFOUND for missing things and EINVALID for codes that
// cannot be stored; anything else is an internal error.
type IndicatorStore interface {
	// Indicator returns an indicator by code, case-insensitively (ENOTFOUND).
	Indicator(code string) (Indicator, error)
	// Indicators returns the indicators that f selects ordered by code.
	Indicators(f IndicatorFilter) ([]Indicator, error)
	// PutIndicator creates or replaces an indicator; its values stay.
	PutIndicator(ind Indicator) error
	// AddIndicatorValue appends v to its indicator's values and assigns
	// v.ID; the indicator must exist (ENOTFOUND). Values are never
	// rewritten or deleted.
	AddIndicatorValue(v *IndicatorValue) error
	// IndicatorValues returns an indicator's values in the order they were
	// reported, oldest first; limit > 0 keeps the newest limit of them.
	IndicatorValues(code string, limit int) ([]IndicatorValue, error)
}
