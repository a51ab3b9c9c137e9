package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"steerbot/bot"
	"steerbot/storage"
)

func cmdRun(ctx context.Context, e env, args []string) int {
	fs, path := flags(e, "run")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "usage: steerbot run [-config FILE]")
		return exitUsage
	}
	cfg, code := loadConfig(e, *path)
	if cfg == nil {
		return code
	}
	if err := cfg.CheckRun(); err != nil {
		printProblems(e, err)
		return exitUsage
	}
	logger := slog.New(slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	logger.Info("starting", "config", *path, "mode", cfg.Telegram.Mode, "database", cfg.Storage.Path, "committee", cfg.Committee.Name)
	m := &Main{Config: cfg, Logger: logger}
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		if errors.Is(err, storage.ErrLocked) {
			return fail(e, "the database %s is in use by another steerbot process", cfg.Storage.Path)
		}
		if errors.Is(err, bot.ErrTokenRejected) {
			// Retrying cannot help, and systemd must not restart: exit 2.
			fmt.Fprintf(e.stderr, "steerbot: %s: %v; get a valid one from @BotFather\n", cfg.TokenSource(), err)
			return exitUsage
		}
		if ctx.Err() != nil {
			return exitOK
		}
		return fail(e, "%v", err)
	}
	logger.Info("connected", "bot", m.Bot.Username())
	if err := m.Run(ctx); err != nil {
		logger.Error("stopped", "err", err)
		return exitError
	}
	logger.Info("stopped")
	return exitOK
}
