package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"steerbot/tasks"
)

// Format is a report's file format.
type Format string

// The formats.
const (
	DOCX Format = "docx"
	PDF  Format = "pdf"
)

// FormatOf returns the format a file name's extension asks for (.docx or
// .pdf, any case), or an EINVALID *Error.
func FormatOf(name string) (Format, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".docx":
		return DOCX, nil
	case ".pdf":
		return PDF, nil
	}
	return "", tasks.NewError(tasks.EINVALID, "bad_report_format", fmt.Sprintf("%q: a report is a .docx or a .pdf file", name), name)
}

// Header is the issuing body and the signer, from the `report:` section of
// the configuration.
type Header struct {
	Parent      string   // the body above the issuer: "UBND THÀNH PHỐ HÀ NỘI"
	Issuer      string   // the issuing body: "BAN CHỈ ĐẠO CCHC, CHUYỂN ĐỔI SỐ"
	Symbol      string   // "BC-BCĐ", written after "Số:" and a blank for the number
	Place       string   // "Hà Nội"
	SignerTitle string   // "TRƯỞNG BAN"
	SignerName  string   // may be empty: signed by hand
	Recipients  []string // "Nơi nhận", one line each
}

// Input is everything a report is written from.
type Input struct {
	Committee string // the committee's name, as in the intro and the closing line
	Header    Header
	Lang      string // "en" for English; anything else is Vietnamese
	Period    tasks.Period
	// Digest is computed by the caller at Period.Cutoff(now) over every
	// task (no group), with the pending extension requests: the report's
	// figures, overdue tasks, blockers and awaited decisions are its own,
	// the same as /digest shows at that moment. Its Indicators (judged on
	// the cut-off day) give section I's line on indicators and the table
	// of those not achieved or without a value.
	Digest tasks.Digest
	Tasks  []tasks.Task // the tasks the digest was computed from: the annex, in this order
	Units  []tasks.Unit // for the units' names
	Loc    *time.Location
	Now    time.Time // the date line
}

// Write writes the report in format f to w.
func Write(w io.Writer, f Format, in Input) error {
	if f != DOCX && f != PDF {
		return tasks.Errorf(tasks.EINVALID, "unknown report format %q", f)
	}
	if in.Period.To.IsZero() {
		return tasks.Errorf(tasks.EINVALID, "a report needs a period")
	}
	if in.Loc == nil {
		in.Loc = time.UTC
	}
	if in.Digest.At.IsZero() {
		in.Digest.At = in.Now
	}
	m, err := newMeasurer()
	if err != nil {
		return err
	}
	d := build(in, m)
	if f == DOCX {
		err = writeDOCX(w, d)
	} else {
		err = writePDF(w, d, in.Now)
	}
	if err != nil {
		return fmt.Errorf("write %s report: %w", f, err)
	}
	return nil
}

// FileName returns a file name for the report of period p in format f,
// plain ASCII so that every phone and mail client keeps it:
// "bao-cao-2023-q4.docx".
func FileName(p tasks.Period, f Format) string {
	var s string
	switch p.Kind {
	case tasks.PeriodMonth:
		s = fmt.Sprintf("%04d-%02d", p.Year, p.N)
	case tasks.PeriodQuarter:
		s = fmt.Sprintf("%04d-q%d", p.Year, p.N)
	case tasks.PeriodHalf:
		s = fmt.Sprintf("%04d-h%d", p.Year, p.N)
	case tasks.PeriodYear:
		s = fmt.Sprintf("%04d", p.Year)
	default:
		s = p.To.String()
	}
	return "bao-cao-" + s + "." + string(f)
}
