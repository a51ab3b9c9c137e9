package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
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
  demo         [-out DIR]                     the whole bot against a fake Telegram, printing the conversation
  import       [-config FILE] [-dry-run] FILE.csv|FILE.xlsx
  export       [-config FILE] -o FILE.csv|FILE.xlsx
  digest       [-config FILE] [-group NAME]   print the digest now, as plain text
  report       [-config FILE] -o FILE.docx|FILE.pdf [-period month|quarter|half|year|meeting] [-date DATE]
  backup       [-config FILE] -o FILE         hot copy of the database
  restore      [-config FILE] FILE            replace the database with a backup (bot stopped)
  check-config [-config FILE]
  template     [-config FILE] -o FILE.xlsx    an empty task file with instructions
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
		"report":       cmdReport,
		"backup":       cmdBackup,
		"restore":      cmdRestore,
		"check-config": cmdCheckConfig,
		"template":     cmdTemplate,
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
