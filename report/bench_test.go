package report_test

import (
	"fmt"
	"io"
	"testing"
	"time"

	"steerbot/report"
	"steerbot/tasks"
)

// bigCommittee is 10,000 tasks across 60 units: a city's whole year of
// plans, every kind of task, a note on a third of them.
func bigCommittee(tb testing.TB) report.Input {
	loc := hcm(tb)
	now := time.Date(2023, 10, 16, 9, 0, 0, 0, loc)
	var us []tasks.Unit
	for i := range 60 {
		us = append(us, tasks.Unit{Code: fmt.Sprintf("U%02d", i), Name: fmt.Sprintf("Sở Kế hoạch và Đầu tư số %d", i)})
	}
	statuses := []tasks.Status{tasks.Done, tasks.InProgress, tasks.NotStarted, tasks.Done, tasks.InProgress, tasks.ProposedStop, tasks.Done, tasks.Stopped}
	ts := make([]tasks.Task, 10000)
	var exts []tasks.ExtensionRequest
	for i := range ts {
		t := tasks.Task{
			Code:     fmt.Sprintf("KH-%05d", i),
			Title:    fmt.Sprintf("Triển khai nhiệm vụ cải cách thủ tục hành chính, chuyển đổi số lĩnh vực %d theo kế hoạch của Thành phố", i%97),
			Unit:     us[i%len(us)].Code,
			Deadline: day(2023, 1, 1).AddDays(i % 365),
			Status:   statuses[i%len(statuses)],
			Progress: i % 100,
		}
		if t.Status == tasks.Done {
			t.Progress, t.CompletedAt = 100, t.Deadline.AddDays(i%11-5).Start(loc)
		}
		if i%3 == 0 {
			t.Note = "Đơn vị đang phối hợp với các sở, ngành hoàn thiện hồ sơ trình UBND Thành phố"
		}
		if i%50 == 0 {
			t.Blocker = "Chưa được bố trí kinh phí thực hiện"
		}
		if i%13 == 0 {
			t.Deadline = tasks.Date{} // ongoing
		}
		if i%200 == 1 && t.Status.Open() {
			exts = append(exts, tasks.ExtensionRequest{Task: t.Code, OldDeadline: t.Deadline, NewDeadline: t.Deadline.AddDays(90), Reason: "Chờ kinh phí", State: tasks.ExtPending})
		}
		ts[i] = t
	}
	return inputAt(tb, ts, us, exts, tasks.PeriodQuarter, now)
}

// countingWriter counts what is written to it.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countingWriter)(nil)

// BenchmarkWrite writes the report of 10,000 tasks:
//
//	go test ./report/ -run XXX -bench Write -benchmem
func BenchmarkWrite(b *testing.B) {
	in := bigCommittee(b)
	for _, f := range []report.Format{report.DOCX, report.PDF} {
		b.Run(fmt.Sprintf("%s-10k", f), func(b *testing.B) {
			var size int64
			for b.Loop() {
				w := &countingWriter{}
				if err := report.Write(w, f, in); err != nil {
					b.Fatal(err)
				}
				size = w.n
			}
			b.ReportMetric(float64(size)/1e6, "MB/report")
		})
	}
}
