package bot

// This file holds /dashboard: a one-time link to the dashboard, and in a
// private chat a button that opens it as a Mini App.

import (
	"context"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"steerbot/tasks"
)

// cmdDashboard sends the member a one-time link to the dashboard, always
// in their private chat: a link opened by someone else in a group would
// sign that person in as the member. The link is stored in this update's
// transaction, so it works once the message carrying it is committed.
func (b *Bot) cmdDashboard(r *req, _ string) error {
	if b.o.DashboardLink == nil {
		r.reply(r.t("dashboard_off"), nil)
		return nil
	}
	link, err := b.o.DashboardLink(r.tx, r.member, r.now)
	if err != nil {
		return err
	}
	kb := [][]tasks.Button{{{Text: r.t("btn_dashboard_link"), URL: link}}}
	if b.o.DashboardURL != "" {
		kb = append(kb, []tasks.Button{{Text: r.t("btn_dashboard_app"), WebApp: b.o.DashboardURL}})
		if r.private {
			url, chat, lang := b.o.DashboardURL, r.member.TelegramID, r.lang
			r.then(func(ctx context.Context) { b.setMenuButton(ctx, chat, url, lang) })
		}
	}
	r.send(r.member.TelegramID, r.t("dashboard_link", esc(link)), kb)
	if !r.private {
		r.reply(r.t("dashboard_sent_private"), nil)
	}
	return nil
}

// setMenuButton makes the chat's menu button open the dashboard as a Mini
// App. A failure costs only the shortcut: /dashboard still works.
func (b *Bot) setMenuButton(ctx context.Context, chat int64, url, lang string) {
	_, err := b.client.SetChatMenuButton(ctx, &tgbot.SetChatMenuButtonParams{
		ChatID:     chat,
		MenuButton: models.MenuButtonWebApp{Type: models.MenuButtonTypeWebApp, Text: text(lang, "menu_dashboard"), WebApp: models.WebAppInfo{URL: url}},
	})
	if err != nil {
		b.log.Warn("setChatMenuButton", "err", err)
	}
}

// dashboardRow is the row under /digest's answer in a private chat that
// opens the dashboard as a Mini App; none in groups (Telegram refuses Mini
// App buttons there) or without a dashboard.
func (b *Bot) dashboardRow(r *req) [][]tasks.Button {
	if !r.private || b.o.DashboardURL == "" {
		return nil
	}
	return [][]tasks.Button{{{Text: r.t("btn_dashboard_app"), WebApp: b.o.DashboardURL}}}
}
