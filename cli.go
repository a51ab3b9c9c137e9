package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"steerbot/bot"
	"steerbot/storage"
	"steerbot/taskfile"
	"steerbot/tasks"
)

// Exit statuses of the command line (contract).
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// env is what a subcommand needs from the process.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
}

const usageText = `usage: steerbot COMMAND [flags]

commands:
  run          [-config FILE]                 run the bot (default config ./steerbot.yaml)
  demo                                        the whole bot against a fake Telegram, printing the conversation
  import       [-config FILE] [-dry-run] FILE.csv|FILE.xlsx
  export       [-config FILE] -o FILE.csv|FILE.xlsx
  digest       [-config FILE] [-group NAME]   print the digest now, as plain text
  backup       [-config FILE] -o FILE         hot copy of the database
  restore      [-config FILE] FILE            replace the database with a backup (bot stopped)
  check-config [-config FILE]
`

// cli runs one subcommand and returns the exit status.
func cli(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	e := env{stdout: stdout, stderr: stderr, getenv: getenv, now: time.Now}
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return exitUsage
	}
	cmds := map[string]func(context.Context, env, []string) int{
		"run":          cmdRun,
		"demo":         cmdDemo,
		"import":       cmdImport,
		"export":       cmdExport,
		"digest":       cmdDigest,
		"backup":       cmdBackup,
		"restore":      cmdRestore,
		"check-config": cmdCheckConfig,
	}
	name := args[0]
	if name == "-h" || name == "-help" || name == "--help" || name == "help" {
		fmt.Fprint(stdout, usageText)
		return exitOK
	}
	run, ok := cmds[name]
	if !ok {
		fmt.Fprintf(stderr, "steerbot: unknown command %q\n%s", name, usageText)
		return exitUsage
	}
	return run(ctx, e, args[1:])
}

// flags makes a flag set that reports to stderr and never exits.
func flags(e env, name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("steerbot "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg := fs.String("config", "steerbot.yaml", "the configuration file")
	return fs, cfg
}

// parseFlags parses and returns the usage exit status on error (or 0 for
// -h, with ok false).
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	return 0, true
}

// loadConfig loads the configuration, printing every problem.
func loadConfig(e env, path string) (*Config, int) {
	cfg, err := LoadConfig(path, e.getenv)
	if err != nil {
		printProblems(e, err)
		return nil, exitUsage
	}
	return cfg, 0
}

// printProblems prints a config error one problem a line.
func printProblems(e env, err error) {
	var ce *ConfigError
	if errors.As(err, &ce) {
		fmt.Fprintln(e.stderr, strings.TrimRight(ce.Error(), "\n"))
		return
	}
	fmt.Fprintf(e.stderr, "steerbot: %v\n", err)
}

// fail prints a runtime error and returns exitError.
func fail(e env, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "steerbot: "+format+"\n", args...)
	return exitError
}

func cmdCheckConfig(_ context.Context, e env, args []string) int {
	fs, path := flags(e, "check-config")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "steerbot check-config: unexpected argument", fs.Arg(0))
		return exitUsage
	}
	cfg, err := LoadConfig(*path, e.getenv)
	var problems []string
	var ce *ConfigError
	if err != nil {
		if !errors.As(err, &ce) || cfg == nil {
			printProblems(e, err)
			return exitUsage
		}
		problems = append(problems, ce.Problems...)
	}
	if err := cfg.CheckRun(); err != nil && errors.As(err, &ce) {
		problems = append(problems, ce.Problems...)
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(e.stderr, "%s: %s\n", *path, p)
		}
		return exitUsage
	}
	fmt.Fprintf(e.stdout, "%s: ok\n", *path)
	return exitOK
}

// openStore opens the database for a one-off command. ok false with
// locked true means a running bot holds it.
func openStore(cfg *Config) (*storage.Store, bool, error) {
	st, err := storage.Open(cfg.Storage.Path)
	if errors.Is(err, storage.ErrLocked) {
		return nil, true, err
	}
	return st, false, err
}

// viaBot fetches path from the running bot's local listener.
func viaBot(ctx context.Context, cfg *Config, path string, q url.Values) ([]byte, error) {
	if cfg.HTTP.Listen == "" {
		return nil, fmt.Errorf("the database %s is held by a running bot, and http.listen is empty so it cannot be asked; stop the bot or set http.listen", cfg.Storage.Path)
	}
	u := "http://" + cfg.HTTP.Listen + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	if tok, err := os.ReadFile(adminTokenPath(cfg)); err == nil {
		req.Header.Set(adminHeader, strings.TrimSpace(string(tok)))
	}
	resp, err := (&http.Client{Timeout: 5 * time.Minute}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("the database is held by a running bot, which does not answer at %s: %w", cfg.HTTP.Listen, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("read answer of the running bot: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the running bot answered %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	return body, nil
}

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
	if err := bootstrap(ctx, st, cfg); err != nil {
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
		fmt.Fprintf(e.stdout, "%s: ok (dry run): %d to create, %d to update, %d unchanged, %d new units; nothing written\n", file, res.Created, res.Updated, res.Unchanged, res.UnitsCreated)
		return exitOK
	case err != nil:
		return fail(e, "import %s: %v", file, err)
	}
	fmt.Fprintf(e.stdout, "%s: %d created, %d updated, %d unchanged, %d new units\n", file, res.Created, res.Updated, res.Unchanged, res.UnitsCreated)
	return exitOK
}

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
	var data []byte
	st, locked, err := openStore(cfg)
	switch {
	case locked:
		if data, err = viaBot(ctx, cfg, "/export", url.Values{"format": {format.String()}}); err != nil {
			return fail(e, "export: %v", err)
		}
	case err != nil:
		return fail(e, "export: %v", err)
	default:
		defer st.Close()
		if data, err = exportTasks(ctx, st, format, cfg.Committee.Language); err != nil {
			return fail(e, "export: %v", err)
		}
	}
	if err := writeFileAtomic(*out, data); err != nil {
		return fail(e, "export: %v", err)
	}
	fmt.Fprintf(e.stdout, "%s: written\n", *out)
	return exitOK
}

// exportTasks renders every task in a format.
func exportTasks(ctx context.Context, st tasks.Store, format taskfile.Format, lang string) ([]byte, error) {
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
		return taskfile.Write(&buf, format, ts, us, lang)
	})
	return buf.Bytes(), err
}

// writeFileAtomic writes data next to path and renames it into place.
func writeFileAtomic(path string, data []byte) error { return writeFileMode(path, data, 0o600) }

// writeFileMode writes data next to path with mode perm, syncs it and
// renames it into place.
func writeFileMode(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".steerbot-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func cmdDigest(ctx context.Context, e env, args []string) int {
	fs, path := flags(e, "digest")
	group := fs.String("group", "", "only this group (plan or programme)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "usage: steerbot digest [-config FILE] [-group NAME]")
		return exitUsage
	}
	cfg, code := loadConfig(e, *path)
	if cfg == nil {
		return code
	}
	st, locked, err := openStore(cfg)
	switch {
	case locked:
		body, err := viaBot(ctx, cfg, "/digest", url.Values{"group": {*group}})
		if err != nil {
			return fail(e, "digest: %v", err)
		}
		_, _ = e.stdout.Write(body)
		return exitOK
	case err != nil:
		return fail(e, "digest: %v", err)
	}
	defer st.Close()
	body, err := digestText(ctx, st, cfg, *group, e.now())
	if err != nil {
		return fail(e, "digest: %v", err)
	}
	fmt.Fprint(e.stdout, body)
	return exitOK
}

// digestText renders the digest as plain text in the committee's language.
func digestText(ctx context.Context, st tasks.Store, cfg *Config, group string, now time.Time) (string, error) {
	var d tasks.Digest
	err := st.View(ctx, func(tx tasks.Tx) error {
		var err error
		d, err = bot.ComputeDigest(tx, tasks.Timeline{Now: now, Loc: cfg.Location, DueSoonDays: dueSoon(cfg)}, group)
		return err
	})
	if err != nil {
		return "", err
	}
	if d.Total.Total == 0 && group != "" {
		return "", fmt.Errorf("no tasks in group %q", group)
	}
	return bot.FormatDigest(d, cfg.Committee.Language, cfg.Committee.Name, false) + "\n", nil
}

// dueSoon is the horizon of "due soon" (tasks.Timeline.DueSoonDays): a
// task with at most the largest reminder threshold of days left is due
// soon, as the scheduler counts it, so that a task in a 7-day reminder
// shows as due soon everywhere.
func dueSoon(cfg *Config) int {
	n := -1 // no thresholds: nothing is "due soon", as the scheduler counts it
	for _, d := range cfg.Reminders.DueSoonDays {
		n = max(n, d)
	}
	return n + 1
}

func cmdBackup(ctx context.Context, e env, args []string) int {
	fs, path := flags(e, "backup")
	out := fs.String("o", "", "the backup file to write")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "usage: steerbot backup [-config FILE] -o FILE")
		return exitUsage
	}
	cfg, code := loadConfig(e, *path)
	if cfg == nil {
		return code
	}
	st, locked, err := openStore(cfg)
	switch {
	case locked:
		data, err := viaBot(ctx, cfg, "/backup", nil)
		if err != nil {
			return fail(e, "backup: %v", err)
		}
		// A copy cut short by a failure on the bot's side must not pass for
		// a backup: it is opened before it takes the file's name.
		staged := *out + ".partial"
		if err := writeFileAtomic(staged, data); err != nil {
			return fail(e, "backup: %v", err)
		}
		defer os.Remove(staged)
		check, err := storage.Open(staged)
		if err == nil {
			err = check.Verify(ctx)
			check.Close()
		}
		if err != nil {
			return fail(e, "backup: the copy from the running bot does not open (%v); nothing written", err)
		}
		if err := os.Rename(staged, *out); err != nil {
			return fail(e, "backup: %v", err)
		}
	case err != nil:
		return fail(e, "backup: %v", err)
	default:
		defer st.Close()
		if err := st.BackupFile(ctx, *out); err != nil {
			return fail(e, "backup: %v", err)
		}
	}
	fmt.Fprintf(e.stdout, "%s: written\n", *out)
	return exitOK
}

func cmdRestore(ctx context.Context, e env, args []string) int {
	fs, path := flags(e, "restore")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "usage: steerbot restore [-config FILE] FILE")
		return exitUsage
	}
	cfg, code := loadConfig(e, *path)
	if cfg == nil {
		return code
	}
	src := fs.Arg(0)
	// Opening a database creates a missing file: check first, or a typo
	// would restore an empty database.
	if fi, err := os.Stat(src); err != nil || !fi.Mode().IsRegular() {
		return fail(e, "restore: %s: no such backup file", src)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return fail(e, "restore: %v", err)
	}
	// The check opens a copy, never the backup itself: opening may migrate
	// an older schema in place, and the backup must stay as it was.
	staged := cfg.Storage.Path + ".restoring"
	if err := writeFileAtomic(staged, data); err != nil {
		return fail(e, "restore: %v", err)
	}
	defer os.Remove(staged)
	b, err := storage.Open(staged)
	if err == nil {
		err = b.Verify(ctx)
		b.Close()
	}
	if errors.Is(err, storage.ErrDamaged) {
		return fail(e, "restore: %s is not a usable steerbot database: it is damaged; restore another backup", src)
	}
	if err != nil {
		return fail(e, "restore: %s is not a usable steerbot database: %v", src, err)
	}
	// The live file's lock is held across the rename, so no bot can start
	// on the old file in between.
	if _, err := os.Stat(cfg.Storage.Path); err == nil {
		live, locked, err := openStore(cfg)
		switch {
		case locked:
			return fail(e, "restore: the database %s is held by a running bot; stop it first", cfg.Storage.Path)
		case errors.Is(err, storage.ErrDamaged):
			// What restore is for; a bot cannot be running on it.
		case err != nil:
			return fail(e, "restore: %v", err)
		default:
			defer live.Close()
		}
	}
	if err := os.Rename(staged, cfg.Storage.Path); err != nil {
		return fail(e, "restore: %v", err)
	}
	fmt.Fprintf(e.stdout, "%s: restored from %s\n", cfg.Storage.Path, src)
	return exitOK
}
