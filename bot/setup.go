package bot

import (
	"context"
	"fmt"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"steerbot/tasks"
)

// SetCommands publishes the command menus: /start and /help for everyone,
// the committee's read commands in groups, and for each linked member, in
// their private chat, exactly the commands their role may use. Telegram has
// no scope per role, so the per-member chat scope stands in for it.
func (b *Bot) SetCommands(ctx context.Context) error {
	var members []tasks.Member
	if err := b.o.Store.View(ctx, func(tx tasks.Tx) error {
		var err error
		members, err = tx.Members()
		return err
	}); err != nil {
		return err
	}
	anyone := &req{b: b, lang: b.o.Lang}
	if err := b.setCommands(ctx, &models.BotCommandScopeDefault{}, anyone, ""); err != nil {
		return err
	}
	group := &req{b: b, lang: b.o.Lang, linked: true, member: tasks.Member{Role: tasks.RoleChair, TelegramID: 1}}
	if err := b.setCommands(ctx, &models.BotCommandScopeAllGroupChats{}, group, "group"); err != nil {
		return err
	}
	for _, m := range members {
		if err := b.setMemberCommands(ctx, m); err != nil {
			b.log.Warn("setMyCommands for member", "member", m.ID, "err", err)
		}
	}
	return nil
}

// setMemberCommands publishes one member's menu in their private chat.
func (b *Bot) setMemberCommands(ctx context.Context, m tasks.Member) error {
	if !m.Linked() {
		return nil
	}
	r := &req{b: b, lang: b.langOf(m), linked: true, member: m}
	if b.o.DashboardURL != "" {
		b.setMenuButton(ctx, m.TelegramID, b.o.DashboardURL, r.lang)
	}
	return b.setCommands(ctx, &models.BotCommandScopeChat{ChatID: m.TelegramID}, r, "")
}

// groupCommands are the commands shown in group chats.
var groupCommands = map[string]bool{"help": true, "task": true, "digest": true, "overdue": true, "units": true, "meetings": true, "indicators": true}

func (b *Bot) setCommands(ctx context.Context, scope models.BotCommandScope, r *req, kind string) error {
	var list []models.BotCommand
	for _, c := range b.allowed(r) {
		if kind == "group" && !groupCommands[c.name] {
			continue
		}
		desc := text(r.lang, "help_"+c.name)
		if _, after, ok := strings.Cut(desc, " — "); ok {
			desc = after
		}
		list = append(list, models.BotCommand{Command: c.name, Description: clip(desc, 256)})
	}
	_, err := b.client.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: list, Scope: scope})
	b.noteCall(sendHealth(err))
	if err != nil {
		return fmt.Errorf("setMyCommands: %w", err)
	}
	return nil
}
