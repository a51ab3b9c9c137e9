package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"steerbot/storage"
)

// cmdRestore replaces the database with a backup (the bot stopped).
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
