//go:build !poppler

package report_test

import (
	"bytes"
	"os"
	"testing"
)

// checkPDFText checks, without poppler-utils, that the file at path is a
// whole PDF with pages; `go test -tags poppler` reads its text back (see
// pdf_poppler_test.go), as .ci/run does.
func checkPDFText(t *testing.T, path string, _ ...string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.Contains(data[max(0, len(data)-64):], []byte("%%EOF")) || !bytes.Contains(data, []byte("/Type /Page")) {
		t.Errorf("%s is not a whole PDF with pages (%d bytes)", path, len(data))
	}
}

// checkPDFPages checks, without poppler-utils, that the file at path is a
// whole PDF; `go test -tags poppler` checks its pages' size and margins.
func checkPDFPages(t *testing.T, path string) {
	t.Helper()
	checkPDFText(t, path)
}
