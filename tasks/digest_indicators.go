package tasks

// IndicatorReader is the reading half of IndicatorStore: what the
// standings of a digest, a list or a reminder round are loaded from.
type IndicatorReader interface {
	Indicators(f IndicatorFilter) ([]Indicator, error)
	IndicatorValues(code string, limit int) ([]IndicatorValue, error)
}

// digestIndicators sums up the standings of a digest: those of the group
// whose folded name is want ("" for all), overall and per lead unit.
func digestIndicators(st []IndicatorStanding, want string) (IndicatorSummary, []UnitIndicators) {
	if want != "" {
		var in []IndicatorStanding
		for _, x := range st {
			if Fold(x.Indicator.Group) == want {
				in = append(in, x)
			}
		}
		st = in
	}
	return SummarizeIndicators(st), IndicatorsByUnit(st)
}
