package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestConfig_Report(t *testing.T) {
	t.Run("absent: a report the committee issues and its head signs", func(t *testing.T) {
		cfg, err := ParseConfig([]byte("committee: {name: Ban chỉ đạo CCHC}\n"), nil)
		if err != nil {
			t.Fatal(err)
		}
		want := ReportConfig{Symbol: "BC-BCĐ", SignerTitle: "TRƯỞNG BAN", Recipients: []string{"Thành viên Ban Chỉ đạo", "Lưu: VT"}}
		if !reflect.DeepEqual(cfg.Report, want) {
			t.Errorf("report=%+v, want %+v", cfg.Report, want)
		}
	})
	t.Run("the contract's example", func(t *testing.T) {
		cfg, err := ParseConfig([]byte(`report:
  parent: "UBND THÀNH PHỐ HÀ NỘI"
  issuer: "BAN CHỈ ĐẠO CCHC, CHUYỂN ĐỔI SỐ"
  symbol: "BC-BCĐ"
  place: "Hà Nội"
  signer_title: "TRƯỞNG BAN"
  signer_name: ""
  recipients: ["Thường trực Thành ủy", "Thường trực HĐND Thành phố", "Lưu: VT"]
`), nil)
		if err != nil {
			t.Fatal(err)
		}
		h := cfg.reportHeader()
		if h.Parent != "UBND THÀNH PHỐ HÀ NỘI" || h.Place != "Hà Nội" || len(h.Recipients) != 3 || h.Recipients[2] != "Lưu: VT" {
			t.Errorf("header=%+v", h)
		}
	})
	for _, c := range []struct{ name, doc, want string }{
		{"unknown key", "report: {signer: X}", "report.signer: unknown key; known keys here: parent, issuer, symbol, place, signer_title, signer_name, recipients (line 1)"},
		{"empty symbol", "report: {symbol: ''}", "report.symbol: must not be empty (line 1)"},
		{"empty signer title", "report: {signer_title: ' '}", "report.signer_title: must not be empty (line 1)"},
		{"empty recipient", "report:\n  recipients: ['Lưu: VT', '']\n", "report.recipients[1]: must not be empty (line 2)"},
		{"two lines", "report: {issuer: \"A\\nB\"}", "report.issuer: must be one line (line 1)"},
		{"too long", "report: {place: " + strings.Repeat("x", 201) + "}", "report.place: longer than 200 characters (line 1)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(c.doc), nil)
			if err == nil || err.Error() != c.want {
				t.Errorf("problems %v, want %q", err, c.want)
			}
		})
	}
}
