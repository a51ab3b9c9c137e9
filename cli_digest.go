package main

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"steerbot/bot"
	"steerbot/storage"
	"steerbot/tasks"
)

// cmdDigest prints the digest now, as plain text.
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
	body, _, err := storeOrBot(ctx, cfg, "/digest", url.Values{"group": {*group}}, func(ctx context.Context, st *storage.Store) ([]byte, error) {
		text, err := digestText(ctx, st, cfg, *group, e.now())
		return []byte(text), err
	})
	if err != nil {
		return fail(e, "digest: %v", err)
	}
	if _, err := e.stdout.Write(body); err != nil {
		return fail(e, "digest: %v", err)
	}
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
