package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"

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
		return exportTasks(ctx, st, format, cfg.Committee.Language, tasks.DateOf(e.now(), cfg.Location))
	})
	if err != nil {
		return fail(e, "export: %v", err)
	}
	if err := writeFileAtomic(*out, data); err != nil {
		return fail(e, "export: %v", err)
	}
	fmt.Fprintf(e.stdout, "%s: written\n", *out)
	return exitOK
}

// exportTasks renders every task, and the indicators as they stand on
// today, in a format.
func exportTasks(ctx context.Context, st tasks.Store, format taskfile.Format, lang string, today tasks.Date) ([]byte, error) {
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
		inds, err := tasks.LoadIndicatorStandings(tx, tasks.IndicatorFilter{}, today)
		if err != nil {
			return err
		}
		return taskfile.WriteAll(&buf, format, ts, inds, us, lang)
	})
	return buf.Bytes(), err
}
