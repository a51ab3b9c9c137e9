// Command steerbot is a Telegram bot that a steering committee uses to
// follow up the tasks it assigns: it stores the tasks, reminds the
// responsible unit heads, takes their progress replies in chat, and posts
// the digest before each meeting.
//
// Usage:
//
//	steerbot run          [-config FILE]
//	steerbot demo
//	steerbot import       [-config FILE] [-dry-run] FILE.csv|FILE.xlsx
//	steerbot export       [-config FILE] -o FILE.csv|FILE.xlsx
//	steerbot digest       [-config FILE] [-group NAME]
//	steerbot backup       [-config FILE] -o FILE
//	steerbot restore      [-config FILE] FILE
//	steerbot check-config [-config FILE]
//
// Exit status 0 on success, 1 on a runtime error, 2 on bad usage or config.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
