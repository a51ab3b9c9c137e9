package main

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"steerbot/sample"
	"steerbot/taskfile"
	"steerbot/tasks"
)

// The committee's report speaks of its indicators with the digest's
// figures at the period's cut-off: the sample committee's 28 indicators,
// imported on the eve of the third meeting.
func TestReportIndicators(t *testing.T) {
	a := newApp(t, nil)
	err := a.m.Store.Update(context.Background(), func(tx tasks.Tx) error {
		_, err := taskfile.Import(tx, bytes.NewReader(sample.IndicatorsCSV), taskfile.CSV, tasks.Member{Name: "import"}, sample.IndicatorsReported(a.cfg.Location), a.cfg.Location)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	m := a.say(sample.SecretariatID, "/report")
	if m.Document == nil {
		t.Fatalf("/report sent %+v", m)
	}
	cutoff := time.Date(2023, 10, 15, 0, 0, 0, 0, a.cfg.Location).Add(-time.Nanosecond)
	s := digestAt(t, a, cutoff).Indicators
	if s.Total != 28 || s.Achieved != 17 || len(s.NotAchieved) != 4 || len(s.NoValue) != 7 {
		t.Fatalf("the digest at the cut-off counts %d/%d achieved, %d not, %d without a value; want 17/28, 4, 7",
			s.Achieved, s.Total, len(s.NotAchieved), len(s.NoValue))
	}
	text := docxWords(t, m.Document.Data)
	hasAll(t, "the DOCX", text, fmt.Sprintf("- Chỉ tiêu: %d/%d đạt, chiếm %d%%; trong %d chỉ tiêu, có %d/%d chỉ tiêu chưa đạt, %d/%d chỉ tiêu chưa có số liệu của kỳ.",
		s.Achieved, s.Total, tasks.Percent(s.Achieved, s.Total), s.Total, len(s.NotAchieved), s.Total, len(s.NoValue), s.Total))
	for _, x := range append(s.NotAchieved, s.NoValue...) {
		hasAll(t, "the DOCX", text, x.Indicator.Code+"\n"+x.Indicator.Name)
	}
}
