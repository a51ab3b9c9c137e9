package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"time"

	"steerbot/storage"
	"steerbot/taskfile"
	"steerbot/tasks"
)

// cmdExport writes every task to a CSV or XLSX file.
func cmdExport(ctx context.Context, e env, args []string) int {
	fs, path := flags(e, "export")
	out := fs.String("o", "", "the file to write: .csv or .xlsx")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "usage: steerbot export [-config FILE] -o FILE.csv|FILE.xlsx")
		return exitUsage
	}
	format, err := taskfile.FormatOf(*out)
	if err != nil {
		fmt.Fprintf(e.stderr, "steerbot export: %v\n", err)
		return exitUsage
	}
	cfg, code := loadConfig(e, *path)
	if cfg == nil {
		return code
	}
	data, _, err := storeOrBot(ctx, cfg, "/export", url.Values{"format": {format.String()}}, func(ctx context.Context, st *storage.Store) ([]byte, error) {
		return exportTasks(ctx, st, cfg, format, e.now())
	})
	if err != nil {
		return fail(e, "export: %v", err)
	}
	if err := writeOutput(cfg.Committee.Language, *out, data); err != nil {
		return fail(e, "export: %v", err)
	}
	fmt.Fprintln(e.stdout, cliText(cfg.Committee.Language, "written", *out))
	return exitOK
}

// exportOf is how an export in lang at now is presented: the committee's
// name and the date above the header, and the tasks' timeliness.
func exportOf(cfg *Config, lang string, now time.Time) taskfile.Export {
	return taskfile.Export{Lang: lang, Committee: cfg.Committee.Name, Timeline: tasks.Timeline{Now: now, Loc: cfg.Location, DueSoonDays: dueSoon(cfg)}}
}

// exportTasks renders every task in a format, in the committee's language.
func exportTasks(ctx context.Context, st tasks.Store, cfg *Config, format taskfile.Format, now time.Time) ([]byte, error) {
	var buf bytes.Buffer
	err := st.View(ctx, func(tx tasks.Tx) error {
		ts, err := tx.Tasks(tasks.TaskFilter{})
		if err != nil {
			return err
		}
		us, err := tx.Units()
		if err != nil {
			return err
		}
		loc := cfg.Location
		if loc == nil { // as Export reads a zero location
			loc = time.UTC
		}
		inds, err := tasks.LoadIndicatorStandings(tx, tasks.IndicatorFilter{}, tasks.DateOf(now, loc))
		if err != nil {
			return err
		}
		return exportOf(cfg, cfg.Committee.Language, now).WriteAll(&buf, format, ts, inds, us)
	})
	return buf.Bytes(), err
}
