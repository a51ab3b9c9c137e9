//go:build poppler

// The reports' PDFs read back with poppler-utils: run with
// `go test -tags poppler .` (.ci/run installs poppler-utils and does).

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// hasPDF fails for each of wants that the PDF's text, as pdftotext
// extracts it, lacks.
func hasPDF(t *testing.T, data []byte, wants ...string) {
	t.Helper()
	hasAll(t, "the PDF", pdfWords(t, data), wants...)
}

// pdfWords returns the text of a PDF as pdftotext extracts it.
func pdfWords(t *testing.T, data []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatalf("pdftotext is not installed: install poppler-utils (apt-get install -y poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}
