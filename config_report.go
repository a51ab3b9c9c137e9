package main

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"steerbot/report"
)

// ReportConfig is the `report:` section: who issues and signs the
// committee's report (DESIGN.md, Round 2). Absent, it gives a report that
// the committee itself issues, signed by its head, that the secretariat
// can file as it is.
type ReportConfig struct {
	Parent      string   `yaml:"parent"`       // the body above the issuer, e.g. "UBND THÀNH PHỐ HÀ NỘI"; "": none
	Issuer      string   `yaml:"issuer"`       // the issuing body; "": committee.name in capitals
	Symbol      string   `yaml:"symbol"`       // written after "Số: …/", e.g. "BC-BCĐ"
	Place       string   `yaml:"place"`        // before the date, e.g. "Hà Nội"; "": the date alone
	SignerTitle string   `yaml:"signer_title"` // e.g. "TRƯỞNG BAN"
	SignerName  string   `yaml:"signer_name"`  // "": signed by hand
	Recipients  []string `yaml:"recipients"`   // "Nơi nhận", one line each
}

// defaultReportConfig is what an absent `report:` section gives.
func defaultReportConfig() ReportConfig {
	return ReportConfig{
		Symbol:      "BC-BCĐ",
		SignerTitle: "TRƯỞNG BAN",
		Recipients:  []string{"Thành viên Ban Chỉ đạo", "Lưu: VT"},
	}
}

// maxReportLine is the longest line the report's header blocks take.
const maxReportLine = 200

// validateReport checks the `report:` section.
func (c *Config) validateReport(p *cfgProblems) {
	r := &c.Report
	for _, f := range []struct {
		key, val string
		required bool
	}{
		{"report.parent", r.Parent, false},
		{"report.issuer", r.Issuer, false},
		{"report.symbol", r.Symbol, true},
		{"report.place", r.Place, false},
		{"report.signer_title", r.SignerTitle, true},
		{"report.signer_name", r.SignerName, false},
	} {
		checkReportLine(p, f.key, f.val, f.required)
	}
	for i, rc := range r.Recipients {
		checkReportLine(p, fmt.Sprintf("report.recipients[%d]", i), rc, true)
	}
}

// checkReportLine checks one line of the report's header blocks.
func checkReportLine(p *cfgProblems, key, val string, required bool) {
	switch {
	case required && strings.TrimSpace(val) == "":
		p.add(key, "must not be empty")
	case strings.ContainsAny(val, "\r\n"):
		p.add(key, "must be one line")
	case utf8.RuneCountInString(val) > maxReportLine:
		p.add(key, "longer than %d characters", maxReportLine)
	}
}

// reportHeader is the report's header from the configuration.
func (c *Config) reportHeader() report.Header {
	r := c.Report
	return report.Header{
		Parent: r.Parent, Issuer: r.Issuer, Symbol: r.Symbol, Place: r.Place,
		SignerTitle: r.SignerTitle, SignerName: r.SignerName, Recipients: r.Recipients,
	}
}
