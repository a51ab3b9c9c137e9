package main

import (
	"fmt"

	"steerbot/taskfile"
)

// indicatorCounts is what an import did to indicators, for its summary
// line: "; indicators: 28 created, 0 updated, 0 unchanged, 21 values", or
// "" for a file without indicators.
func indicatorCounts(c taskfile.IndicatorCounts) string {
	if c == (taskfile.IndicatorCounts{}) {
		return ""
	}
	return fmt.Sprintf("; indicators: %d created, %d updated, %d unchanged, %d values", c.Created, c.Updated, c.Unchanged, c.Values)
}
