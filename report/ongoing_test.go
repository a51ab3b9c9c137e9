package report_test

import (
	"strings"
	"testing"

	"steerbot/tasks"
)

// TestWrite_OngoingTasks checks issue 11's "an ongoing task in digests and
// reports, never overdue": a task whose plan says "Thường xuyên" (words,
// no date) is counted on the ongoing line and nowhere overdue, even long
// after it was assigned; a deadline the plan wrote in words shows them
// beside the date in the annex.
func TestWrite_OngoingTasks(t *testing.T) {
	ts, us, exts, now := richCommittee(t)
	standing := tasks.Task{Code: "A-11", Title: "Cập nhật dữ liệu trên Cổng dịch vụ công", Unit: "SNV", Status: tasks.InProgress, Progress: 50,
		Created: now.AddDate(-2, 0, 0)}
	standing.SetDeadline(mustDeadline(t, "Thường xuyên"))
	quarter := tasks.Task{Code: "A-12", Title: "Xây dựng Kế hoạch cải cách hành chính năm 2024", Unit: "STP", Status: tasks.NotStarted}
	quarter.SetDeadline(mustDeadline(t, "Quý IV/2023"))
	if !standing.Ongoing() || !standing.Deadline.IsZero() || standing.DeadlineText != "Thường xuyên" {
		t.Fatalf("the standing task reads as %+v, want words and no date", standing)
	}
	ts = append(ts, standing, quarter)
	in := inputAt(t, ts, us, exts, tasks.PeriodQuarter, now)
	if g := in.Digest.Total; g.Total != 12 || g.Overdue != 3 {
		t.Fatalf("digest = %+v, want 12 tasks, 3 overdue (the ongoing one not among them)", g)
	}
	for _, uo := range in.Digest.Overdue {
		for _, o := range uo.Tasks {
			if o.Code == "A-11" {
				t.Error("the digest lists the ongoing task as overdue")
			}
		}
	}
	lines := []string{
		"- Tổng số nhiệm vụ: 12 nhiệm vụ.",
		// Not done: 12 - 3 done - 1 stopped - 2 ongoing; A-12 is within.
		"- Chưa hoàn thành: 6 nhiệm vụ, chiếm 50%, trong đó:",
		"+ Trong hạn: 3 nhiệm vụ (25%);",
		"+ Quá hạn: 3 nhiệm vụ (25%).",
		// A-06 (no deadline) and A-11 (Thường xuyên).
		"- Nhiệm vụ thường xuyên: 2 nhiệm vụ, chiếm 17%.",
		"Có 3 nhiệm vụ đã quá hạn nhưng chưa hoàn thành:",
		// The annex: the deadline as the plan wrote it.
		"A-11\nCập nhật dữ liệu trên Cổng dịch vụ công\nSở Nội vụ\nThường xuyên\nđang triển khai, thường xuyên\n50\n",
		"A-12\nXây dựng Kế hoạch cải cách hành chính năm 2024\nSở Tư pháp\nQuý IV/2023 (31/12/2023)\nchưa triển khai, trong hạn\n0\n",
	}
	docx := docxOf(t, in)
	mustContain(t, "the DOCX", docx, lines...)
	// The overdue table (section III, before IV) does not hold it.
	if iii, iv := strings.Index(docx, "III. Nhiệm vụ quá hạn"), strings.Index(docx, "IV. Khó khăn"); iii < 0 || iv < iii ||
		strings.Contains(docx[iii:iv], "A-11") {
		t.Error("section III lists the ongoing task")
	}
	// The PDF's annex cell wraps the words above the date.
	checkPDFText(t, pdfOf(t, in), "- Nhiệm vụ thường xuyên: 2 nhiệm vụ, chiếm 17%.", "+ Quá hạn: 3 nhiệm vụ (25%).", "Quý IV/2023", "(31/12/2023)")

	// A year later, still never overdue.
	late := inputAt(t, ts, us, exts, tasks.PeriodQuarter, now.AddDate(1, 0, 0))
	for _, uo := range late.Digest.Overdue {
		for _, o := range uo.Tasks {
			if o.Code == "A-11" {
				t.Error("a year on, the digest lists the ongoing task as overdue")
			}
		}
	}
	mustContain(t, "the report a year on", docxOf(t, late), "- Nhiệm vụ thường xuyên: 2 nhiệm vụ")

	in.Lang = "en"
	mustContain(t, "the English DOCX", docxOf(t, in), "- Ongoing tasks (no deadline): 2, 17%.", "Quý IV/2023 (31/12/2023)\nnot started, on track")
}

// mustDeadline reads a deadline as the import reads it.
func mustDeadline(tb testing.TB, s string) tasks.Deadline {
	tb.Helper()
	d, err := tasks.ParseDeadline(s, day(2023, 10, 16))
	if err != nil {
		tb.Fatalf("ParseDeadline(%q): %v", s, err)
	}
	return d
}
