package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"steerbot/sample"
)

func TestCLI_IndicatorsImportDigestExport(t *testing.T) {
	var units strings.Builder
	units.WriteString("units:\n")
	for _, u := range sample.Units() {
		fmt.Fprintf(&units, "  - {code: %s, name: %q}\n", u.Code, u.Name)
	}
	s := cliNew(t, units.String())
	file := filepath.Join(s.dir, "chi-tieu.csv")
	cliWriteFile(t, file, sample.IndicatorsCSV)
	r := s.run(t, "import", file)
	cliWant(t, r, exitOK)
	if want := "thêm mới 0, cập nhật 0, không đổi 0 nhiệm vụ; 0 đơn vị mới; chỉ tiêu: thêm mới 28, cập nhật 0, không đổi 0; 21 số liệu"; !strings.Contains(r.stdout, want) {
		t.Errorf("import said %q, want %q", r.stdout, want)
	}
	r = s.run(t, "digest")
	cliWant(t, r, exitOK)
	if !strings.Contains(r.stdout, "📊 Chỉ tiêu: 17/28 đạt") || !strings.Contains(r.stdout, "CT-03 (HDA): 93,8 % / mục tiêu ≥ 95 %") {
		t.Errorf("digest lacks the indicators:\n%s", r.stdout)
	}
	out := filepath.Join(s.dir, "export.xlsx")
	cliWant(t, s.run(t, "export", "-o", out), exitOK)
	r = s.run(t, "import", out)
	cliWant(t, r, exitOK)
	if want := "chỉ tiêu: thêm mới 0, cập nhật 0, không đổi 28; 0 số liệu"; !strings.Contains(r.stdout, want) {
		t.Errorf("re-import of the export said %q, want %q", r.stdout, want)
	}
}
