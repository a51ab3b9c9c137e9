package report_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"steerbot/report"
	"steerbot/sample"
	"steerbot/tasks"
)

// sampleIndicators reads the sample committee's indicator file as the
// import does: its values reported on imported (the day of the import).
func sampleIndicators(tb testing.TB, imported tasks.Date) ([]tasks.Indicator, map[string][]tasks.IndicatorValue) {
	tb.Helper()
	recs, err := csv.NewReader(bytes.NewReader(sample.IndicatorsCSV)).ReadAll()
	if err != nil {
		tb.Fatalf("read the sample's indicators: %v", err)
	}
	var inds []tasks.Indicator
	vals := map[string][]tasks.IndicatorValue{}
	for i, r := range recs[1:] {
		target, err := tasks.ParseTarget(r[3])
		if err != nil {
			tb.Fatalf("row %d: %v", i+2, err)
		}
		period, _ := tasks.ParseCadence(r[4])
		state, _ := tasks.ParseIndicatorState(r[6])
		var on tasks.Date
		if r[7] != "" {
			if on, err = tasks.ParseDate(r[7], imported); err != nil {
				tb.Fatalf("row %d: %v", i+2, err)
			}
		}
		inds = append(inds, tasks.Indicator{Code: r[0], Name: r[1], Unit: r[2], Target: target, Period: period, State: state, AssignedOn: on})
		if r[5] != "" {
			q, err := tasks.ParseIndicatorValue(r[5], target)
			if err != nil {
				tb.Fatalf("row %d: %v", i+2, err)
			}
			vals[r[0]] = []tasks.IndicatorValue{{Indicator: r[0], Value: q.Value, Measure: q.Measure, AsOf: imported}}
		}
	}
	return inds, vals
}

// withIndicators is in with the digest recomputed as the caller computes
// it (tasks.LoadDigestInput): the indicators judged on the cut-off day.
func withIndicators(tb testing.TB, in report.Input, exts []tasks.ExtensionRequest, inds []tasks.Indicator, vals map[string][]tasks.IndicatorValue) report.Input {
	tb.Helper()
	tl := tasks.Timeline{Now: in.Digest.At, Loc: in.Loc, DueSoonDays: 7}
	var st []tasks.IndicatorStanding
	for _, ind := range inds {
		st = append(st, tasks.JudgeIndicator(ind, vals[ind.Code], tl.Today()))
	}
	in.Digest = tasks.ComputeDigest(tasks.DigestInput{Tasks: in.Tasks, Units: in.Units, Extensions: exts, Timeline: tl, Indicators: st})
	return in
}

// docxOf is the text of the report of in as a DOCX.
func docxOf(tb testing.TB, in report.Input) string {
	tb.Helper()
	return docxText(tb, docxParts(tb, write(tb, report.DOCX, in))["word/document.xml"])
}

// pdfOf writes the report of in as a PDF and returns its path.
func pdfOf(tb testing.TB, in report.Input) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "r.pdf")
	if err := os.WriteFile(path, write(tb, report.PDF, in), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

func TestWrite_SeedIndicators(t *testing.T) {
	ts, us := sampleCommittee(t)
	loc := hcm(t)
	eve := time.Date(2023, 10, 16, 8, 25, 0, 0, loc)
	inds, vals := sampleIndicators(t, tasks.DateOf(eve, loc))
	in := withIndicators(t, inputAt(t, ts, us, nil, tasks.PeriodMonth, eve), nil, inds, vals)
	s := in.Digest.Indicators
	// The digest at the period's cut-off (the month running, so now): the
	// figures the report must show.
	if s.Total != 28 || s.Achieved != 17 || len(s.NotAchieved) != 4 || len(s.NoValue) != 7 {
		t.Fatalf("the digest counts %d/%d achieved, %d not, %d without a value; want 17/28, 4, 7",
			s.Achieved, s.Total, len(s.NotAchieved), len(s.NoValue))
	}
	line := "- Chỉ tiêu: 17/28 đạt, chiếm 61%; trong 28 chỉ tiêu, có 4/28 chỉ tiêu chưa đạt, 7/28 chỉ tiêu chưa có số liệu của kỳ."
	docx := docxOf(t, in)
	mustContain(t, "the DOCX", docx, line, "Các chỉ tiêu chưa đạt hoặc chưa có số liệu của kỳ:",
		"TT\nMã\nChỉ tiêu\nĐơn vị chủ trì\nMục tiêu\nKết quả")
	// Every indicator not achieved with its value against its target, then
	// those without a value, with the unit's name.
	n := 0
	for _, x := range s.NotAchieved {
		n++
		mustContain(t, "the DOCX", docx, fmt.Sprintf("\n%d\n%s\n%s\n%s\n%s\n%s\n", n, x.Indicator.Code, x.Indicator.Name,
			unitNameOf(us, x.Indicator.Unit), x.Indicator.Target.String(), x.Current.Quantity().String()))
	}
	for _, x := range s.NoValue {
		n++
		mustContain(t, "the DOCX", docx, fmt.Sprintf("\n%d\n%s\n%s\n%s\n%s\nChưa có số liệu\n", n, x.Indicator.Code, x.Indicator.Name,
			unitNameOf(us, x.Indicator.Unit), x.Indicator.Target.String()))
	}
	// CT-03 (93,8 % against ≥ 95 %) is not achieved; CT-01 (99,74 %) is
	// and is in no table.
	mustContain(t, "the DOCX", docx, "CT-03\nHồ sơ thủ tục hành chính cấp huyện được giải quyết đúng hạn và trước hạn\n")
	if strings.Contains(docx, "\nCT-01\n") {
		t.Error("the report lists CT-01, which is achieved, among those not achieved")
	}
	// Section I reads in order: the tasks, then the indicators.
	if i, j := strings.Index(docx, "Đến hạn trong kỳ"), strings.Index(docx, line); i < 0 || j < i {
		t.Error("the indicators' line is not after the tasks' lines of section I")
	}
	checkPDFText(t, pdfOf(t, in), line, "CT-03", "93,8 %", "≥ 95 %", "Chưa có số liệu")

	in.Lang = "en"
	mustContain(t, "the English DOCX", docxOf(t, in),
		"- Indicators: 17/28 achieved, 61%; of the 28 indicators, 4/28 not achieved, 7/28 have no value for the period.",
		"No.\nCode\nIndicator\nLead unit\nTarget\nResult")
}

func TestWrite_IndicatorsBeforeValues(t *testing.T) {
	// Seed 000: "trong 28 chỉ tiêu, có 25/28 chỉ tiêu đang được triển
	// khai, 03/28 chỉ tiêu mới được giao bổ sung ngày 29/5/2023".
	ts, us := sampleCommittee(t)
	loc := hcm(t)
	eve := time.Date(2023, 10, 16, 8, 25, 0, 0, loc)
	inds, _ := sampleIndicators(t, tasks.DateOf(eve, loc))
	inds = append(inds, tasks.Indicator{Code: "CT-99", Name: "Chỉ tiêu đã dừng", Unit: "SNV", Target: tasks.Target{Cmp: tasks.AtLeast, Value: 1}, State: tasks.IndicatorStopped})
	in := withIndicators(t, inputAt(t, ts, us, nil, tasks.PeriodMonth, eve), nil, inds, nil)
	docx := docxOf(t, in)
	line := "- Chỉ tiêu: trong 28 chỉ tiêu, có 25/28 chỉ tiêu đang được triển khai, 3/28 chỉ tiêu mới được giao bổ sung ngày 29/05/2023; chưa có số liệu của kỳ; 1 chỉ tiêu dừng thực hiện."
	mustContain(t, "the DOCX", docx, line)
	// No table of 28 indicators without a value: the line says it.
	if strings.Contains(docx, "Các chỉ tiêu chưa đạt") || strings.Contains(docx, "Chưa có số liệu\n") {
		t.Error("the report lists the indicators one by one before any value exists")
	}
	checkPDFText(t, pdfOf(t, in), line)

	// A committee without indicators says nothing of them.
	if docx := docxOf(t, inputAt(t, ts, us, nil, tasks.PeriodMonth, eve)); strings.Contains(docx, "Chỉ tiêu") {
		t.Error("a report without indicators speaks of them")
	}
}

// unitNameOf is the name of the unit code in us.
func unitNameOf(us []tasks.Unit, code string) string {
	for _, u := range us {
		if u.Code == code {
			return u.Name
		}
	}
	return code
}
