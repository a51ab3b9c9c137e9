package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkDemoOut checks that the demo left nothing in tmp and wrote the chart
// and the month's report, in DOCX and PDF, into dir.
func checkDemoOut(t *testing.T, tmp, dir string) {
	t.Helper()
	if left, err := os.ReadDir(tmp); err != nil || len(left) != 0 {
		t.Errorf("the demo left %d entries in the temporary folder (%v)", len(left), err)
	}
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("demo -out: %v", err)
		}
		return data
	}
	if _, err := png.Decode(bytes.NewReader(read("tien-do.png"))); err != nil {
		t.Errorf("the chart is not a PNG: %v", err)
	}
	headline := "Đã hoàn thành: 48/79 nhiệm vụ, chiếm 61%"
	hasAll(t, "the demo's DOCX", docxWords(t, read("bao-cao-2023-10.docx")), headline)
	hasPDF(t, read("bao-cao-2023-10.pdf"), headline)
}

func TestDemoUsage(t *testing.T) {
	r := cliRun(t, "demo", "extra")
	cliWant(t, r, exitUsage)
	missing := filepath.Join(t.TempDir(), "khong-co")
	r = cliRun(t, "demo", "-out", missing)
	cliWant(t, r, exitError)
	if !strings.Contains(r.stderr, "thư mục "+missing+" không tồn tại") {
		t.Errorf("stderr=%q", r.stderr)
	}
}
