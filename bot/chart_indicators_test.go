package bot_test

import (
	"testing"

	"steerbot/bot"
	"steerbot/tasks"
)

func TestChartTextsFor_Indicators(t *testing.T) {
	day := tasks.Date{Year: 2023, Month: 10, Day: 16}
	judged := func(r tasks.IndicatorResult, n int) []tasks.IndicatorStanding {
		out := make([]tasks.IndicatorStanding, n)
		for i := range out {
			out[i].Result = r
		}
		return out
	}
	values := tasks.IndicatorSummary{Total: 28, Achieved: 17, NotAchieved: judged(tasks.IndicatorNotAchieved, 4),
		NoValue: judged(tasks.IndicatorNoValue, 7), Assigned: 25, New: 3}
	before := tasks.IndicatorSummary{Total: 28, NoValue: judged(tasks.IndicatorNoValue, 28), Assigned: 25, New: 3}
	allMet := tasks.IndicatorSummary{Total: 2, Achieved: 2, Assigned: 2}
	for _, tc := range []struct {
		lang string
		s    tasks.IndicatorSummary
		want string
	}{
		{"vi", values, "Chỉ tiêu: 17/28 đạt, 4 chưa đạt, 7 chưa có số liệu kỳ này"},
		{"en", values, "Indicators: 17/28 achieved, 4 not achieved, 7 without a value this period"},
		{"vi", before, "Chỉ tiêu: 25/28 đang triển khai, 3 mới giao"},
		{"vi", allMet, "Chỉ tiêu: 2/2 đạt"},
		{"vi", tasks.IndicatorSummary{}, ""},
		{"vi", tasks.IndicatorSummary{Stopped: 2}, ""},
	} {
		if got := bot.ChartTextsFor(tc.lang, day, tc.s).Indicators; got != tc.want {
			t.Errorf("%s %+v: %q, want %q", tc.lang, tc.s, got, tc.want)
		}
	}
	if got := bot.ChartTextsFor("vi", day, values).Subtitle; got != "Tiến độ thực hiện nhiệm vụ theo đơn vị, đến ngày 16/10/2023" {
		t.Errorf("the subtitle is %q", got)
	}
}
