package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"steerbot/tasks"
)

// The committee's chart carries the indicators' line when the committee
// has indicators, and not otherwise.
func TestProgressChart_Indicators(t *testing.T) {
	loc := time.UTC
	d := tasks.Digest{At: time.Date(2023, 10, 16, 8, 0, 0, 0, loc),
		Scorecard: []tasks.UnitScore{{Unit: tasks.Unit{Code: "SNV", Name: "Sở Nội vụ"}, Total: 4, Done: 2, Open: 2}}}
	height := func(d tasks.Digest) int {
		data, err := progressChart(d, "Ban Chỉ đạo", loc, "vi")
		if err != nil {
			t.Fatal(err)
		}
		if dir := os.Getenv("CHART_DUMP_DIR"); dir != "" {
			if err := os.WriteFile(filepath.Join(dir, "progress.png"), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		return img.Bounds().Dy()
	}
	without := height(d)
	d.Indicators = tasks.IndicatorSummary{Total: 3, Achieved: 2, NotAchieved: []tasks.IndicatorStanding{{Result: tasks.IndicatorNotAchieved}}, Assigned: 3}
	if with := height(d); with <= without {
		t.Errorf("the chart with indicators is %d px tall, without %d: the indicators' line is not drawn", with, without)
	}
}
