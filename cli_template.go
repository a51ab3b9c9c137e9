package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"steerbot/taskfile"
	"steerbot/tasks"
)

// cmdTemplate writes the empty task file: Vietnamese (or the committee's
// language) headers, lists of statuses and of the config's units, two
// example rows and a sheet of instructions. Without -config, and no
// ./steerbot.yaml, the template has no list of units.
func cmdTemplate(_ context.Context, e env, args []string) int {
	set, path := flags(e, "template")
	out := set.String("o", "", "the file to write: .xlsx")
	if code, ok := parseFlags(set, args); !ok {
		return code
	}
	if *out == "" || set.NArg() > 0 || !strings.EqualFold(filepath.Ext(*out), ".xlsx") {
		fmt.Fprintln(e.stderr, "usage: steerbot template [-config FILE] -o FILE.xlsx")
		return exitUsage
	}
	explicit := false
	set.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	lang, loc := "vi", time.FixedZone("ICT", 7*3600)
	var units []tasks.Unit
	cfg, err := LoadConfig(*path, e.getenv)
	switch {
	case err == nil:
		lang = cfg.Committee.Language
		if cfg.Location != nil {
			loc = cfg.Location
		}
		for _, u := range cfg.Units {
			units = append(units, tasks.Unit{Code: tasks.NormalizeCode(u.Code), Name: u.Name})
		}
	case explicit || !errors.Is(err, fs.ErrNotExist):
		printProblems(e, err)
		return exitUsage
	}
	var buf bytes.Buffer
	if err := taskfile.Template(&buf, units, lang, tasks.DateOf(e.now(), loc)); err != nil {
		return fail(e, "template: %v", err)
	}
	if err := writeFileMode(*out, buf.Bytes(), 0o644); err != nil {
		return fail(e, "template: %v", err)
	}
	fmt.Fprintf(e.stdout, "%s: written\n", *out)
	return exitOK
}
