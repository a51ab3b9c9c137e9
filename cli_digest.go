package main

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"steerbot/bot"
	"steerbot/llm"
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
		narrate, err := cliNarrate(cfg, e.now, st)
		if err != nil {
			return nil, err
		}
		text, err := digestText(ctx, st, cfg, *group, e.now(), narrate)
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

// cliNarrate is the narrative of the command line's digest when the model
// is on: its tokens count in the day's budget kept in st.
func cliNarrate(cfg *Config, now func() time.Time, st tasks.Store) (narrateFunc, error) {
	if !cfg.LLM.Enabled {
		return nil, nil
	}
	a, err := llm.New(llm.Config{
		BaseURL: cfg.LLM.BaseURL, Model: cfg.LLM.Model, APIKey: cfg.LLM.APIKey,
		Timeout: cfg.LLM.Timeout.Duration, MaxTokens: cfg.LLM.MaxTokens, DailyTokenBudget: cfg.LLM.DailyTokenBudget,
		Clock: now, Loc: cfg.Location, Ledger: storeLedger{st},
	})
	if err != nil {
		return nil, fmt.Errorf("llm: %w", err)
	}
	return assistantNarrate(a, cfg.Committee.Language), nil
}

// narrateFunc writes the narrative of a digest (the model's, checked
// against the figures); nil when the model is off.
type narrateFunc func(ctx context.Context, d tasks.Digest) (string, error)

// assistantNarrate is a's narrative in lang.
func assistantNarrate(a tasks.Assistant, lang string) narrateFunc {
	if a == nil {
		return nil
	}
	return func(ctx context.Context, d tasks.Digest) (string, error) { return a.Narrate(ctx, d, lang) }
}

// digestText renders the digest as plain text in the committee's language,
// followed by the narrative when narrate is given and the model answers
// with one that passes the numbers check.
func digestText(ctx context.Context, st tasks.Store, cfg *Config, group string, now time.Time, narrate narrateFunc) (string, error) {
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
	text := bot.FormatDigest(d, cfg.Committee.Language, cfg.Committee.Name, false) + "\n"
	if narrate != nil {
		if n, err := narrate(ctx, d); err == nil && n != "" {
			text += "\n" + n + "\n"
		}
	}
	return text, nil
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

// narrate is the running bot's narrative for `steerbot digest`; nil when
// the model is off.
func (m *Main) narrate() narrateFunc {
	if m.Assistant == nil {
		return nil
	}
	return assistantNarrate(m.Assistant, m.Config.Committee.Language)
}
