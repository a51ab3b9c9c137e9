package main

import (
	"steerbot/taskfile"
)

// indicatorCounts is what an import did to indicators, for its summary
// line: "; indicators: 28 created, 0 updated, 0 unchanged, 21 values", or
// "" for a file without indicators.
func indicatorCounts(lang string, c taskfile.IndicatorCounts) string {
	if c == (taskfile.IndicatorCounts{}) {
		return ""
	}
	return cliText(lang, "imported_indicators", c.Created, c.Updated, c.Unchanged, c.Values)
}
