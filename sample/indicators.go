package sample

import _ "embed"

// IndicatorsCSV is the committee's indicator file (chỉ tiêu), with the
// contract's columns under Vietnamese headers: 28 indicators of the 2023
// plan, 25 being carried out and 3 newly assigned on 29/5/2023, as seed 000
// reports them; most carry the latest value their unit reported.
//
//go:embed indicators.csv
var IndicatorsCSV []byte
