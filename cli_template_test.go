package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestCLI_Template: the template lists the config's units; filled in, it
// imports with steerbot import.
func TestCLI_Template(t *testing.T) {
	s := cliNew(t, "units:\n  - {code: SNV, name: \"Sở Nội vụ\"}\n  - {code: STP, name: \"Sở Tư pháp\"}\n")
	out := filepath.Join(s.dir, "mau.xlsx")
	cliWant(t, s.run(t, "template", "-o", out), exitOK)
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lists, err := f.GetRows("Danh mục")
	if err != nil {
		t.Fatal(err)
	}
	if len(lists) < 3 || lists[1][0] != "SNV" || lists[2][0] != "STP" {
		t.Fatalf("units list %q, want the config's SNV and STP", lists)
	}
	sh := f.GetSheetList()[0]
	for i, v := range []string{"KH-01", "Tập huấn", "STP", "", "Năm 2024"} {
		ref, _ := excelize.CoordinatesToCellName(i+1, 4)
		if err := f.SetCellStr(sh, ref, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	s.importOK(t, out)
	exp := filepath.Join(s.dir, "out.csv")
	cliWant(t, s.run(t, "export", "-o", exp), exitOK)
	data, err := os.ReadFile(exp)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "KH-01") || strings.Contains(string(data), "VD-0") {
		t.Errorf("export after importing the template:\n%s", data)
	}
}

func TestCLI_TemplateUsage(t *testing.T) {
	cliWant(t, cliRun(t, "template"), exitUsage)
	cliWant(t, cliRun(t, "template", "-o", filepath.Join(t.TempDir(), "x.csv")), exitUsage)
	cliWant(t, cliRun(t, "template", "-config", filepath.Join(t.TempDir(), "none.yaml"), "-o", filepath.Join(t.TempDir(), "x.xlsx")), exitUsage)
}
