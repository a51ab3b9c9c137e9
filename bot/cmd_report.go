package bot

// This file holds /report: the committee's report for the meeting file, as
// a DOCX or a PDF.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"steerbot/tasks"
)

// ReportRequest is what /report asks Options.Report to write.
type ReportRequest struct {
	Kind   tasks.PeriodKind
	Format string // "docx" or "pdf"
	Lang   string // the member's language
	Now    time.Time
}

// ReportFile is a report written by Options.Report: the document to send
// and what it covers, for its caption.
type ReportFile struct {
	Name   string
	Data   []byte
	Period tasks.Period
	Cutoff time.Time // the moment its figures are those of
}

// ReportSource is the part of a transaction a report is read from: the
// digest's input and the meetings (a meeting period starts at the previous
// meeting's digest).
type ReportSource interface {
	tasks.DigestSource
	Meetings() ([]tasks.Meeting, error)
}

// ReportFunc writes the committee's report from tx; package main provides
// it (the bot does not write documents itself).
type ReportFunc func(ctx context.Context, tx ReportSource, rq ReportRequest) (ReportFile, error)

// reportArgs reads "/report [pdf|docx] [PERIOD]", the words in any order:
// the format (DOCX by default) and the kind of period (a month by
// default). ok is false when a word is neither.
func reportArgs(args string) (format string, kind tasks.PeriodKind, ok bool) {
	format, kind = "docx", tasks.PeriodMonth
	var rest []string
	for _, w := range strings.Fields(args) {
		switch strings.ToLower(strings.Trim(w, ".,;")) {
		case "pdf":
			format = "pdf"
		case "docx", "doc", "word":
			format = "docx"
		default:
			rest = append(rest, w)
		}
	}
	if len(rest) == 0 {
		return format, kind, true
	}
	kind, ok = tasks.ParsePeriodKind(strings.Join(rest, " "))
	return format, kind, ok
}

func (b *Bot) cmdReport(r *req, args string) error {
	if b.o.Report == nil {
		return userError(tasks.ECONFLICT, "report_unavailable")
	}
	format, kind, ok := reportArgs(args)
	if !ok {
		return userError(tasks.EINVALID, "usage_report")
	}
	f, err := b.o.Report(r.ctx, r.tx, ReportRequest{Kind: kind, Format: format, Lang: r.lang, Now: r.now})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	r.out = append(r.out, tasks.OutMessage{ChatID: r.chatID, Text: reportCaption(r, f, b.o.Loc), Document: &tasks.File{Name: f.Name, Data: f.Data}})
	return nil
}

// reportCaption says which period a report covers and when its figures
// were taken.
func reportCaption(r *req, f ReportFile, loc *time.Location) string {
	p := f.Period
	var name string
	switch p.Kind {
	case tasks.PeriodMonth:
		name = r.t("report_period_month", p.N, p.Year)
	case tasks.PeriodQuarter:
		name = r.t("report_period_quarter", roman(p.N), p.Year)
	case tasks.PeriodHalf:
		name = r.t(fmt.Sprintf("report_period_half%d", p.N), p.Year)
	case tasks.PeriodYear:
		name = r.t("report_period_year", p.Year)
	default:
		name = r.t("report_period_meeting")
	}
	at := tasks.DateOf(f.Cutoff, loc).VN()
	if p.From.IsZero() {
		return r.t("report_caption_all", name, at)
	}
	return r.t("report_caption", name, p.From.VN(), p.To.VN(), at)
}

// roman writes a quarter's number as Vietnamese documents do: I to IV.
func roman(n int) string {
	if n >= 1 && n <= 4 {
		return [...]string{"I", "II", "III", "IV"}[n-1]
	}
	return fmt.Sprint(n)
}
