package sample

import (
	_ "embed"
	"time"
)

// IndicatorsCSV is the committee's indicator file (chỉ tiêu), with the
// contract's columns under Vietnamese headers: 28 indicators of the 2023
// plan, 25 being carried out and 3 newly assigned on 29/5/2023, as seed 000
// reports them; most carry the latest value their unit reported.
//
//go:embed indicators.csv
var IndicatorsCSV []byte

// IndicatorsReported is when the values in IndicatorsCSV were collected:
// the monthly reporting cut-off before the eve (14/10/2023, Nghị định
// 09/2019), so that a report cut off then counts them.
func IndicatorsReported(loc *time.Location) time.Time {
	return time.Date(2023, 10, 14, 16, 0, 0, 0, loc)
}
