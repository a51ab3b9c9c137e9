package bot

import "steerbot/tasks"

// chartIndicators is the chart's line on indicators: "Chỉ tiêu: 17/28 đạt,
// 4 chưa đạt, 7 chưa có số liệu kỳ này", or before any value "Chỉ tiêu:
// 25/28 đang triển khai, 3 mới giao"; "" when there is no indicator. The
// chart's font has no emoji, hence its own keys beside the digest's.
func chartIndicators(lang string, s tasks.IndicatorSummary) string {
	if s.Total == 0 {
		return ""
	}
	if !s.HasValues() {
		line := text(lang, "chart_ind_assigned", s.Assigned, s.Total)
		if s.New > 0 {
			line += text(lang, "chart_ind_new", s.New)
		}
		return line
	}
	line := text(lang, "chart_ind_achieved", s.Achieved, s.Total)
	if n := len(s.NotAchieved); n > 0 {
		line += text(lang, "chart_ind_not", n)
	}
	if n := len(s.NoValue); n > 0 {
		line += text(lang, "chart_ind_no_value", n)
	}
	return line
}
