//go:build !poppler

package main

import (
	"bytes"
	"testing"
)

// hasPDF checks, without poppler-utils, that data is a whole PDF with
// pages; `go test -tags poppler` reads its text back for wants (see
// report_poppler_test.go), as .ci/run does.
func hasPDF(t *testing.T, data []byte, _ ...string) {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.Contains(data[max(0, len(data)-64):], []byte("%%EOF")) || !bytes.Contains(data, []byte("/Type /Page")) {
		t.Errorf("not a whole PDF with pages (%d bytes)", len(data))
	}
}
