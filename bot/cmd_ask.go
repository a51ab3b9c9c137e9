package bot

import (
	"context"
	"fmt"
	"strings"

	"steerbot/tasks"
)

// jobAsk is an assistant job that answers a question from the data.
const jobAsk = "ask"

// cmdAsk answers "/ask QUESTION" (chairs and the secretariat) from the
// data: the model calls read-only tools bound to the asker (ask_tools.go)
// after the commit; an answer with a number no tool returned is never
// shown.
func (b *Bot) cmdAsk(r *req, args string) error {
	if b.o.Assistant == nil {
		r.reply(r.t("ask_off"), nil)
		return nil
	}
	if strings.TrimSpace(args) == "" {
		return userError(tasks.EINVALID, "usage_ask")
	}
	return b.queueAsk(r, args)
}

// queueAsk records a question for the assistant worker.
func (b *Bot) queueAsk(r *req, question string) error {
	j := tasks.AssistJob{ID: r.upd.ID, Kind: jobAsk, Member: r.member.ID, Chat: r.chatID, Text: strings.TrimSpace(question), Lang: r.lang}
	if err := addJob(r.tx, j, r.now); err != nil {
		return err
	}
	r.then(b.wakeAssistant(r.chatID))
	return nil
}

// runAskJob answers a question through the tools bound to its asker (see
// ask_tools.go).
func (b *Bot) runAskJob(ctx context.Context, j tasks.AssistJob) error {
	now := b.o.Clock.Now()
	var member tasks.Member
	if err := b.o.Store.View(ctx, func(tx tasks.Tx) error {
		var err error
		member, err = tx.Member(j.Member)
		return err
	}); err != nil {
		return err
	}
	lang := j.Lang
	if lang == "" {
		lang = b.langOf(member)
	}
	var answer string
	askErr := b.o.Policy.Can(member, tasks.ReadAll, nil) // no longer allowed: not answered
	if askErr == nil {
		answer, askErr = b.o.Assistant.Answer(ctx, j.Text, b.toolsFor(member, now), lang)
	}
	return b.o.Store.Update(ctx, func(tx tasks.Tx) error {
		if err := tx.DeleteAssistJob(j.ID); err != nil {
			return err
		}
		msg := tasks.OutMessage{Key: fmt.Sprintf("assist:%d", j.ID), ChatID: j.Chat, Created: now}
		switch {
		case askErr == nil:
			msg.Text = text(lang, "ask_answer", esc(answer))
		case tasks.ErrorCode(askErr) == tasks.EINVALID:
			b.log.Warn("answer refused", "id", j.ID, "err", askErr)
			msg.Text = text(lang, "ask_unverified")
		default:
			b.log.Warn("question not answered", "id", j.ID, "err", askErr)
			msg.Text = text(lang, "ask_failed")
		}
		_, err := tx.Enqueue(&msg)
		return err
	})
}
