package taskfile_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"steerbot/taskfile"
	"steerbot/tasks"
)

// BenchmarkReadApply10k reads, validates and applies a file of 10,000
// tasks into an empty store, as CSV and as XLSX.
func BenchmarkReadApply10k(b *testing.B) {
	const n = 10000
	ts := make([]tasks.Task, n)
	units := baseUnits()
	for i := range ts {
		ts[i] = tasks.Task{
			Code:     fmt.Sprintf("CCHC-%05d", i),
			Title:    fmt.Sprintf("Rà soát, đơn giản hóa thủ tục hành chính số %d thuộc thẩm quyền giải quyết của Sở", i),
			Unit:     units[i%len(units)].Code,
			CoUnits:  []string{units[(i+1)%len(units)].Code},
			Group:    "Kế hoạch CCHC 2024",
			Source:   "QĐ 7028/QĐ-UBND",
			Deadline: date(2024, time.Month(1+i%12), 1+i%28),
			Status:   tasks.InProgress,
			Progress: 1 + i%99,
		}
	}
	for _, format := range []taskfile.Format{taskfile.CSV, taskfile.XLSX} {
		var buf bytes.Buffer
		if err := taskfile.Write(&buf, format, ts, units, "vi"); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		b.Run(format.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tx := newFakeTx(units...)
				res, err := taskfile.Import(tx, bytes.NewReader(data), format, clerk, now, hcm)
				if err != nil {
					b.Fatal(err)
				}
				if res.Created != n {
					b.Fatalf("created %d, want %d", res.Created, n)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(len(data)), "file-bytes")
		})
	}
}
