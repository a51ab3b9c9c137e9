package report_test

import (
	"testing"

	"steerbot/report"
	"steerbot/tasks"
)

// A done report awaiting the secretariat's confirmation is not done in the
// report: it is counted among the tasks not done, on a line of its own.
func TestWrite_ReportedNotDone(t *testing.T) {
	ts, us, exts, now := richCommittee(t)
	for i := range ts {
		if ts[i].Code == "A-10" { // in progress, due 30/11/2023
			ts[i].Status, ts[i].Progress, ts[i].CompletedAt = tasks.DoneReported, 100, now
		}
	}
	in := inputAt(t, ts, us, exts, tasks.PeriodQuarter, now)
	text := docxText(t, docxParts(t, write(t, report.DOCX, in))["word/document.xml"])
	mustContain(t, "the DOCX", text,
		"- Đã hoàn thành: 3/10 nhiệm vụ, chiếm 30%, trong đó:",
		"- Chưa hoàn thành: 5 nhiệm vụ, chiếm 50%, trong đó:",
		"+ Trong hạn: 1 nhiệm vụ (10%);",
		"+ Quá hạn: 3 nhiệm vụ (30%);",
		"+ Đã báo cáo hoàn thành, chờ xác nhận: 1 nhiệm vụ (10%).",
	)
}
