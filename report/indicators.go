package report

import (
	"fmt"
	"strconv"
	"strings"

	"steerbot/tasks"
)

// indicatorBlocks writes the indicators' part of section I from the
// digest's summary: "Chỉ tiêu: 17/28 đạt" with the counts not achieved and
// without a value, then a table of those indicators (value against
// target); before any value exists, the seed's sentence "trong 28 chỉ
// tiêu, có 25/28 chỉ tiêu đang được triển khai, 3/28 chỉ tiêu mới được
// giao bổ sung ngày …". Nothing when the committee has no indicator.
func indicatorBlocks(c *catalog, s tasks.IndicatorSummary, m *measurer, unitName func(string) string) []block {
	if s.Total == 0 && s.Stopped == 0 {
		return nil
	}
	body := func(t string) block {
		return block{p: &para{spans: []span{{text: t}}, size: sizeBody, align: alignJustify, indent: true, after: afterBody}}
	}
	var line string
	if s.HasValues() {
		line = fmt.Sprintf(c.indAchieved, s.Achieved, s.Total, tasks.Percent(s.Achieved, s.Total))
		var parts []string
		if n := len(s.NotAchieved); n > 0 {
			parts = append(parts, fmt.Sprintf(c.indNot, n, s.Total))
		}
		if n := len(s.NoValue); n > 0 {
			parts = append(parts, fmt.Sprintf(c.indNoValue, n, s.Total))
		}
		if len(parts) > 0 {
			line += fmt.Sprintf(c.indOf, s.Total) + strings.Join(parts, ", ")
		}
	} else {
		line = fmt.Sprintf(c.indAssigned, s.Total, s.Assigned, s.Total)
		if s.New > 0 {
			line += fmt.Sprintf(c.indNew, s.New, s.Total)
			if len(s.NewOn) > 0 {
				days := make([]string, len(s.NewOn))
				for i, d := range s.NewOn {
					days[i] = d.VN()
				}
				line += fmt.Sprintf(c.indNewOn, strings.Join(days, ", "))
			}
		}
		line += c.indNoneYet
	}
	if s.Stopped > 0 {
		line += fmt.Sprintf(c.indStopped, s.Stopped)
	}
	out := []block{body(line + ".")}
	if !s.HasValues() || len(s.NotAchieved)+len(s.NoValue) == 0 {
		return out
	}
	out = append(out, body(c.indTableIn))
	var codes []string
	for _, x := range s.NotAchieved {
		codes = append(codes, x.Indicator.Code)
	}
	for _, x := range s.NoValue {
		codes = append(codes, x.Indicator.Code)
	}
	cw := codeWidth(m, codes, sizeTable)
	tw := textWidth(pageW)
	t := table{size: sizeTable, head: c.indHead, cols: []column{{9, alignCenter}, {cw, alignLeft}, {tw - 9 - cw - 34 - 20 - 31, alignLeft},
		{34, alignLeft}, {20, alignCenter}, {31, alignCenter}}}
	add := func(x tasks.IndicatorStanding, result string) {
		t.rows = append(t.rows, []string{strconv.Itoa(len(t.rows) + 1), x.Indicator.Code, x.Indicator.Name,
			unitName(x.Indicator.Unit), x.Indicator.Target.String(), result})
		t.bold = append(t.bold, false)
	}
	for _, x := range s.NotAchieved {
		add(x, x.Current.Quantity().String())
	}
	for _, x := range s.NoValue {
		add(x, c.indNoValueCell)
	}
	return append(out, block{t: &t})
}
