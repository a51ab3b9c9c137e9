package main

import (
	"context"
	"fmt"
	"os"

	"steerbot/storage"
)

// cmdBackup writes a hot copy of the database.
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
	if err := checkFolder(cfg.Committee.Language, *out); err != nil {
		return fail(e, "backup: %v", err)
	}
	data, fromBot, err := storeOrBot(ctx, cfg, "/backup", nil, func(ctx context.Context, st *storage.Store) ([]byte, error) {
		return nil, st.BackupFile(ctx, *out)
	})
	if err != nil {
		return fail(e, "backup: %v", err)
	}
	if fromBot {
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
			if cerr := check.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return fail(e, "backup: the copy from the running bot does not open (%v); nothing written", err)
		}
		if err := os.Rename(staged, *out); err != nil {
			return fail(e, "backup: %v", err)
		}
	}
	fmt.Fprintln(e.stdout, cliText(cfg.Committee.Language, "written", *out))
	return exitOK
}
