package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// cmdCheckConfig checks a configuration file: every problem one line on
// stderr (exit 2), warnings on stdout, then "FILE: ok".
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
	if err := cfg.CheckComplete(); err != nil && errors.As(err, &ce) {
		for _, p := range ce.Problems {
			if !slices.Contains(problems, p) { // the token's shape is in both
				problems = append(problems, p)
			}
		}
	}
	for _, w := range cfg.Warnings() {
		fmt.Fprintf(e.stdout, "%s: warning: %s\n", *path, w)
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
