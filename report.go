package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"steerbot/bot"
	"steerbot/report"
	"steerbot/tasks"
)

// reportRequest says which report to write.
type reportRequest struct {
	Kind   tasks.PeriodKind
	Day    tasks.Date // the period containing this day; zero: the period due (tasks.DuePeriod)
	Format report.Format
	Lang   string // "en" or anything else for Vietnamese
	Now    time.Time
}

// reportFile is a report written: its file name, its bytes and what it
// covers.
type reportFile struct {
	Name   string
	Data   []byte
	Period tasks.Period
	Cutoff time.Time // the moment its figures are those of
}

// writeReport writes the committee's report for rq from tx: the digest's
// figures at the period's cut-off (tasks.Period.Cutoff), computed as
// /digest computes them, over every task, with the pending extension
// requests.
func writeReport(tx reportSource, cfg *Config, rq reportRequest) (reportFile, error) {
	loc := cfg.Location
	p, err := reportPeriod(tx, rq, loc)
	if err != nil {
		return reportFile{}, err
	}
	cutoff := p.Cutoff(rq.Now, loc)
	in, err := tasks.LoadDigestInput(tx, tasks.Timeline{Now: cutoff, Loc: loc, DueSoonDays: dueSoon(cfg)}, "")
	if err != nil {
		return reportFile{}, fmt.Errorf("report: %w", err)
	}
	var buf bytes.Buffer
	err = report.Write(&buf, rq.Format, report.Input{
		Committee: cfg.Committee.Name, Header: cfg.reportHeader(), Lang: rq.Lang, Period: p,
		Digest: tasks.ComputeDigest(in), Tasks: in.Tasks, Units: in.Units, Loc: loc, Now: rq.Now,
	})
	if err != nil {
		return reportFile{}, err
	}
	return reportFile{Name: report.FileName(p, rq.Format), Data: buf.Bytes(), Period: p, Cutoff: cutoff}, nil
}

// reportSource is what a report is read from (bot.ReportSource).
type reportSource interface {
	tasks.DigestSource
	Meetings() ([]tasks.Meeting, error)
}

// reportPeriod returns the period rq asks for. A meeting period starts at
// the digest of the last meeting held (tasks.PreviousMeetingDigest).
func reportPeriod(tx reportSource, rq reportRequest, loc *time.Location) (tasks.Period, error) {
	switch {
	case rq.Kind == tasks.PeriodMeeting:
		ms, err := tx.Meetings()
		if err != nil {
			return tasks.Period{}, fmt.Errorf("report: read the meetings: %w", err)
		}
		return tasks.MeetingPeriod(tasks.PreviousMeetingDigest(ms, rq.Now), rq.Now, loc), nil
	case rq.Day.IsZero():
		return tasks.DuePeriod(rq.Kind, tasks.DateOf(rq.Now, loc))
	}
	return tasks.PeriodOf(rq.Kind, rq.Day)
}

// reportFromStore writes the report of rq in a read transaction of st.
func reportFromStore(ctx context.Context, st tasks.Store, cfg *Config, rq reportRequest) (reportFile, error) {
	var f reportFile
	err := st.View(ctx, func(tx tasks.Tx) error {
		var err error
		f, err = writeReport(tx, cfg, rq)
		return err
	})
	return f, err
}

// chatReport writes the report /report asks for (bot.Options.Report).
func (m *Main) chatReport(_ context.Context, tx bot.ReportSource, rq bot.ReportRequest) (bot.ReportFile, error) {
	format, err := report.FormatOf("." + rq.Format)
	if err != nil {
		return bot.ReportFile{}, err
	}
	f, err := writeReport(tx, m.Config, reportRequest{Kind: rq.Kind, Format: format, Lang: rq.Lang, Now: rq.Now})
	if err != nil {
		return bot.ReportFile{}, err
	}
	return bot.ReportFile{Name: f.Name, Data: f.Data, Period: f.Period, Cutoff: f.Cutoff}, nil
}

// serveReport answers the command line's report request (cmdReport) from
// the running bot's database.
func (m *Main) serveReport(w http.ResponseWriter, r *http.Request) {
	rq, err := reportQuery(r.URL.Query(), m.Config, m.Clock.Now())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f, err := reportFromStore(r.Context(), m.Store, m.Config, rq)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(f.Data)
}
