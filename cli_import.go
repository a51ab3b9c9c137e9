package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"steerbot/storage"
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
	st, cleanup, err := importStore(ctx, cfg, *dry)
	if err != nil {
		return fail(e, "import: %v", err)
	}
	defer cleanup()
	if err := bootstrap(ctx, st, cfg, e.now(), slog.New(slog.NewTextHandler(e.stderr, nil))); err != nil {
		return fail(e, "import: %v", err)
	}
	lang := cfg.Committee.Language
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
		fmt.Fprintln(e.stderr, cliText(lang, "import_refused", cliCount(lang, "problems", len(ve.Problems))))
		return exitError
	case errors.Is(err, errDry):
		fmt.Fprintln(e.stdout, cliText(lang, "import_dry", file, res.Created, res.Updated, res.Unchanged, cliCount(lang, "new_units", res.UnitsCreated))+indicatorCounts(lang, res.Indicators))
		return exitOK
	case err != nil:
		return fail(e, "import %s: %v", file, err)
	}
	fmt.Fprintln(e.stdout, cliText(lang, "imported", file, res.Created, res.Updated, res.Unchanged, cliCount(lang, "new_units", res.UnitsCreated))+indicatorCounts(lang, res.Indicators))
	return exitOK
}

// importStore opens the database an import works on. A dry run works on a
// copy in a temporary folder (an empty one when there is no database
// yet), so that it creates and changes nothing, not even what bootstrap
// writes; cleanup closes the store and removes the copy.
func importStore(ctx context.Context, cfg *Config, dry bool) (st *storage.Store, cleanup func(), err error) {
	if !dry {
		st, locked, err := openStore(cfg)
		if locked {
			return nil, nil, heldForImport(cfg)
		}
		if err != nil {
			return nil, nil, err
		}
		return st, func() { st.Close() }, nil
	}
	dir, err := os.MkdirTemp("", "steerbot-dry-run-")
	if err != nil {
		return nil, nil, fmt.Errorf("dry run: %w", err)
	}
	copyPath := filepath.Join(dir, "steerbot.db")
	if _, err := os.Stat(cfg.Storage.Path); err == nil {
		if err := copyStore(ctx, cfg, copyPath); err != nil {
			os.RemoveAll(dir)
			return nil, nil, err
		}
	}
	st, err = storage.Open(copyPath)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("dry run: %w", err)
	}
	return st, func() { st.Close(); os.RemoveAll(dir) }, nil
}

// copyStore copies the database to path, refusing while a running bot
// holds it.
func copyStore(ctx context.Context, cfg *Config, path string) error {
	src, locked, err := openStore(cfg)
	if locked {
		return heldForImport(cfg)
	}
	if err != nil {
		return err
	}
	defer src.Close()
	if err := src.BackupFile(ctx, path); err != nil {
		return fmt.Errorf("dry run: copy the database: %w", err)
	}
	return nil
}

// heldForImport is why an import does not run while a bot holds the
// database.
func heldForImport(cfg *Config) error {
	return fmt.Errorf("the database %s is held by a running bot; stop it first (import never writes behind a running bot's back)", cfg.Storage.Path)
}
