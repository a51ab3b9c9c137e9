package main

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"steerbot/report"
	"steerbot/storage"
	"steerbot/tasks"
)

// reportUsage is the report command's usage line.
const reportUsage = "usage: steerbot report [-config FILE] -o FILE.docx|FILE.pdf [-period month|quarter|half|year|meeting] [-date DATE]"

// cmdReport writes the committee's report to a DOCX or PDF file, through
// the running bot when one holds the database.
func cmdReport(ctx context.Context, e env, args []string) int {
	fs, path := flags(e, "report")
	out := fs.String("o", "", "the file to write: .docx or .pdf")
	period := fs.String("period", "month", "month, quarter, half, year or meeting (or tháng, quý, 6 tháng, năm, họp)")
	date := fs.String("date", "", "a day of the period to report (YYYY-MM-DD or DD/MM/YYYY); default: the period due")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, reportUsage)
		return exitUsage
	}
	format, err := report.FormatOf(*out)
	if err != nil {
		fmt.Fprintf(e.stderr, "steerbot report: %v\n", err)
		return exitUsage
	}
	kind, ok := tasks.ParsePeriodKind(*period)
	if !ok {
		fmt.Fprintf(e.stderr, "steerbot report: -period %q: want month, quarter, half, year or meeting\n", *period)
		return exitUsage
	}
	cfg, code := loadConfig(e, *path)
	if cfg == nil {
		return code
	}
	now := e.now()
	var day tasks.Date
	if *date != "" {
		if kind == tasks.PeriodMeeting {
			fmt.Fprintln(e.stderr, "steerbot report: -date does not apply to -period meeting (it runs from the digest of the last meeting held to now)")
			return exitUsage
		}
		if day, err = tasks.ParseDate(*date, tasks.DateOf(now, cfg.Location)); err != nil {
			fmt.Fprintf(e.stderr, "steerbot report: -date %q: %v\n", *date, err)
			return exitUsage
		}
	}
	q := url.Values{"period": {string(kind)}, "format": {string(format)}}
	if !day.IsZero() {
		q.Set("date", day.String())
	}
	data, _, err := storeOrBot(ctx, cfg, "/report", q, func(ctx context.Context, st *storage.Store) ([]byte, error) {
		f, err := reportFromStore(ctx, st, cfg, reportRequest{Kind: kind, Day: day, Format: format, Lang: cfg.Committee.Language, Now: now})
		return f.Data, err
	})
	if err != nil {
		return fail(e, "report: %v", err)
	}
	if err := writeOutput(cfg.Committee.Language, *out, data); err != nil {
		return fail(e, "report: %v", err)
	}
	fmt.Fprintln(e.stdout, cliText(cfg.Committee.Language, "written", *out))
	return exitOK
}

// reportQuery reads the running bot's /report request, as cmdReport
// sends it.
func reportQuery(q url.Values, cfg *Config, now time.Time) (reportRequest, error) {
	kind, ok := tasks.ParsePeriodKind(q.Get("period"))
	if !ok {
		return reportRequest{}, fmt.Errorf("period %q: want month, quarter, half, year or meeting", q.Get("period"))
	}
	format, err := report.FormatOf("." + q.Get("format"))
	if err != nil {
		return reportRequest{}, err
	}
	rq := reportRequest{Kind: kind, Format: format, Lang: cfg.Committee.Language, Now: now}
	if s := q.Get("date"); s != "" {
		if rq.Day, err = tasks.ParseDate(s, tasks.DateOf(now, cfg.Location)); err != nil {
			return reportRequest{}, fmt.Errorf("date %q: %w", s, err)
		}
	}
	return rq, nil
}
