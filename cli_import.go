package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"steerbot/taskfile"
	"steerbot/tasks"
)

// cmdImport loads a task file into the database (never behind a running
// bot's back).
func cmdImport(ctx context.Context, e env, args []string) int {
	fs, path := flags(e, "import")
	dry := fs.Bool("dry-run", false, "validate only; write nothing")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "usage: steerbot import [-config FILE] [-dry-run] FILE.csv|FILE.xlsx")
		return exitUsage
	}
	file := fs.Arg(0)
	format, err := taskfile.FormatOf(file)
	if err != nil {
		fmt.Fprintf(e.stderr, "steerbot import: %v\n", err)
		return exitUsage
	}
	cfg, code := loadConfig(e, *path)
	if cfg == nil {
		return code
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return fail(e, "import: %v", err)
	}
	st, locked, err := openStore(cfg)
	if locked {
		return fail(e, "import: the database %s is held by a running bot; stop it first (import never writes behind a running bot's back)", cfg.Storage.Path)
	}
	if err != nil {
		return fail(e, "import: %v", err)
	}
	defer st.Close()
	if err := bootstrap(ctx, st, cfg, e.now(), slog.New(slog.NewTextHandler(e.stderr, nil))); err != nil {
		return fail(e, "import: %v", err)
	}
	var res taskfile.Result
	errDry := errors.New("dry run")
	now := e.now()
	err = st.Update(ctx, func(tx tasks.Tx) error {
		var err error
		res, err = taskfile.Import(tx, bytes.NewReader(data), format, tasks.Member{Name: "import"}, now, cfg.Location)
		if err == nil && *dry {
			return errDry
		}
		return err
	})
	var ve *taskfile.ValidationError
	switch {
	case errors.As(err, &ve):
		for _, p := range ve.Problems {
			fmt.Fprintf(e.stderr, "%s: %s\n", file, p)
		}
		fmt.Fprintf(e.stderr, "steerbot import: %d problem(s); nothing was imported\n", len(ve.Problems))
		return exitError
	case errors.Is(err, errDry):
		fmt.Fprintf(e.stdout, "%s: ok (dry run): %d to create, %d to update, %d unchanged, %d new units%s; nothing written\n", file, res.Created, res.Updated, res.Unchanged, res.UnitsCreated, indicatorCounts(res.Indicators))
		return exitOK
	case err != nil:
		return fail(e, "import %s: %v", file, err)
	}
	fmt.Fprintf(e.stdout, "%s: %d created, %d updated, %d unchanged, %d new units%s\n", file, res.Created, res.Updated, res.Unchanged, res.UnitsCreated, indicatorCounts(res.Indicators))
	return exitOK
}
