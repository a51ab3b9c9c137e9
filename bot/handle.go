package bot

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"steerbot/tasks"
)

// errSkip ends a transaction without effect: the update was handled before.
var errSkip = errors.New("already handled")

// maxInput is the longest message text the bot reads; longer ones are
// refused, not truncated.
const maxInput = 4000

// req is one update being handled, inside its transaction.
type req struct {
	b        *Bot
	ctx      context.Context
	tx       tasks.Tx
	upd      *models.Update
	now      time.Time
	chatID   int64
	private  bool
	msgID    int
	from     *models.User
	member   tasks.Member
	linked   bool
	lang     string
	command  string // the command name, for logs and metrics
	out      []tasks.OutMessage
	onCommit []func(ctx context.Context)
	cb       *models.CallbackQuery
	cbText   string   // the callback answer (a toast), sent after commit
	task     string   // the task the update is about, to name it in an error
	pending  int64    // the pending choice ("which task?") this update asked, by id
	file     *fetched // a task file downloaded before the transaction (see prefetchImport)
}

// then queues something to do once the update's transaction has committed
// (r.onCommit, run in order), and never when it rolls back: wake a worker,
// tell the scheduler, publish a command menu.
func (r *req) then(f func(ctx context.Context)) { r.onCommit = append(r.onCommit, f) }

// handleUpdate applies one update exactly once: its change, its answers
// (into the outbox) and the mark that it was handled commit together. A
// user error rolls the change back and commits only the explanation; a
// panic or internal error rolls back and commits an apology.
func (b *Bot) handleUpdate(ctx context.Context, upd *models.Update) {
	start := time.Now()
	file := b.prefetchImport(ctx, upd)
	r, panicked, err := b.applyUpdate(ctx, upd, file)
	if errors.Is(err, errSkip) {
		return
	}
	result := "ok"
	if err != nil {
		result = b.logFailure(upd, r, panicked, err)
		if r, err = b.recordFailure(ctx, upd, r, err); err != nil {
			b.log.Error("update not recorded; it will be retried", "update_id", upd.ID, "err", err)
			return
		}
	}
	if r == nil {
		return
	}
	b.log.Info("update", "update_id", upd.ID, "chat", r.chatID, "member", r.member.ID, "command", r.command, "result", result)
	b.afterCommit(ctx, r)
	if b.o.OnUpdate != nil {
		kind := "message"
		if r.cb != nil {
			kind = "callback"
		}
		b.o.OnUpdate(kind, r.command, result, time.Since(start))
	}
}

// applyUpdate routes an update in one transaction with its answers and
// the mark that it was handled. errSkip: it was handled before. A panic in
// a handler is recovered as an error, and returned for the log.
func (b *Bot) applyUpdate(ctx context.Context, upd *models.Update, file *fetched) (r *req, panicked any, err error) {
	err = b.o.Store.Update(ctx, func(tx tasks.Tx) error {
		if done, err := tx.Handled(upd.ID); err != nil {
			return err
		} else if done {
			return errSkip
		}
		r = b.newReq(ctx, tx, upd)
		r.file = file
		if r.linked {
			// They wrote: the bot reaches them again (see tasks.MarkBlocked).
			if err := tasks.Unblock(tx, &r.member); err != nil {
				return err
			}
		}
		err := func() (err error) {
			defer func() {
				if p := recover(); p != nil {
					panicked = p
					err = fmt.Errorf("panic: %v", p)
				}
			}()
			return b.route(r)
		}()
		if err != nil {
			return err
		}
		if err := r.flush(); err != nil {
			return err
		}
		return tx.MarkHandled(upd.ID)
	})
	return r, panicked, err
}

// logFailure logs an update that failed for a reason other than the
// member's (an internal error or a panic) and returns the result for the
// metrics: "refused" or "error".
func (b *Bot) logFailure(upd *models.Update, r *req, panicked any, err error) string {
	var te *tasks.Error
	if errors.As(err, &te) && te.Code != tasks.EINTERNAL {
		return "refused"
	}
	attrs := []any{"update_id", upd.ID, "err", err}
	if r != nil {
		attrs = append(attrs, "chat", r.chatID, "member", r.member.ID, "command", r.command)
	}
	if panicked != nil {
		attrs = append(attrs, "stack", string(debug.Stack()))
	}
	b.log.Error("update failed", attrs...)
	return "error"
}

// recordFailure commits, in a transaction of its own, the answer to an
// update that failed and the mark that it was handled. failed is the
// request that failed (nil when it never started).
func (b *Bot) recordFailure(ctx context.Context, upd *models.Update, failed *req, cause error) (*req, error) {
	task := ""
	if failed != nil {
		task = failed.task
	}
	var r *req
	err := b.o.Store.Update(ctx, func(tx tasks.Tx) error {
		r = b.newReq(ctx, tx, upd)
		r.task = task
		r.fail(cause)
		if err := r.flush(); err != nil {
			return err
		}
		return tx.MarkHandled(upd.ID)
	})
	return r, err
}

// afterCommit does what a committed update leaves to do: answer the
// button, wake the outbox, then what the handlers queued (see req.then).
func (b *Bot) afterCommit(ctx context.Context, r *req) {
	if r.cb != nil {
		b.answerCallback(ctx, r.cb.ID, r.cbText)
	}
	if len(r.out) > 0 {
		b.o.Kick()
	}
	for _, f := range r.onCommit {
		f(ctx)
	}
}

// wakeAssistant is run after an update that queued an assistant job: the
// model may take a while, so the member sees that the bot is on it.
func (b *Bot) wakeAssistant(chat int64) func(ctx context.Context) {
	return func(ctx context.Context) {
		go func() { // never holds up the next update
			tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			if _, err := b.client.SendChatAction(tctx, &tgbot.SendChatActionParams{ChatID: chat, Action: models.ChatActionTyping}); err != nil {
				b.log.Warn("sendChatAction", "err", err)
			}
		}()
		b.kickAssistant()
	}
}

// meetingsChanged is run after an update that changed the meetings: the
// scheduler looks at them now.
func (b *Bot) meetingsChanged(context.Context) {
	if b.o.AfterChange != nil {
		b.o.AfterChange()
	}
}

// publishCommands is run after a member linked or chose a language: their
// command menu, in their language.
func (b *Bot) publishCommands(m tasks.Member) func(ctx context.Context) {
	return func(ctx context.Context) {
		if err := b.setMemberCommands(ctx, m); err != nil {
			b.log.Warn("setMyCommands for new member", "member", m.ID, "err", err)
		}
	}
}

// answerCallback stops the button's spinner. It is not queued: it is
// ephemeral and useless later.
func (b *Bot) answerCallback(ctx context.Context, id, text string) {
	if utf8.RuneCountInString(text) > 190 {
		text = string([]rune(text)[:190]) + "…"
	}
	_, err := b.client.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text})
	b.noteCall(err)
	if err != nil {
		b.log.Warn("answerCallbackQuery", "err", err)
	}
}

func (b *Bot) newReq(ctx context.Context, tx tasks.Tx, upd *models.Update) *req {
	r := &req{b: b, ctx: ctx, tx: tx, upd: upd, now: b.o.Clock.Now(), lang: b.o.Lang}
	var chat *models.Chat
	switch {
	case upd.Message != nil:
		r.from, chat, r.msgID = upd.Message.From, &upd.Message.Chat, upd.Message.ID
	case upd.EditedMessage != nil:
		r.from, chat, r.msgID = upd.EditedMessage.From, &upd.EditedMessage.Chat, upd.EditedMessage.ID
	case upd.CallbackQuery != nil:
		r.cb = upd.CallbackQuery
		r.from = &upd.CallbackQuery.From
		if m := upd.CallbackQuery.Message.Message; m != nil {
			chat, r.msgID = &m.Chat, m.ID
		} else if m := upd.CallbackQuery.Message.InaccessibleMessage; m != nil {
			chat, r.msgID = &m.Chat, m.MessageID
		}
	}
	if chat != nil {
		r.chatID = chat.ID
		r.private = chat.Type == models.ChatTypePrivate
	} else if r.from != nil {
		r.chatID, r.private = r.from.ID, true
	}
	if r.from != nil {
		if m, err := tx.MemberByTelegram(r.from.ID); err == nil {
			r.member, r.linked = m, true
			if m.Lang == "vi" || m.Lang == "en" {
				r.lang = m.Lang
			}
		} else if r.from.LanguageCode == "en" && b.o.Lang == "en" {
			r.lang = "en"
		}
	}
	return r
}

// t renders a catalog entry in the member's language.
func (r *req) t(key string, args ...any) string { return text(r.lang, key, args...) }

// reply queues an answer in the chat the update came from.
func (r *req) reply(body string, kb [][]tasks.Button, codes ...string) {
	r.send(r.chatID, body, kb, codes...)
}

// send queues a message to any chat. Long texts are split at line
// boundaries; buttons go with the last part.
func (r *req) send(chatID int64, body string, kb [][]tasks.Button, codes ...string) {
	parts := splitMessage(body, maxMessage)
	for i, p := range parts {
		m := tasks.OutMessage{ChatID: chatID, Text: p, TaskCodes: codes}
		if i == len(parts)-1 {
			m.Buttons = kb
		}
		r.out = append(r.out, m)
	}
}

// edit queues an edit of a message the bot sent.
func (r *req) edit(chatID int64, msgID int, body string, kb [][]tasks.Button, codes ...string) {
	parts := splitMessage(body, maxMessage)
	r.out = append(r.out, tasks.OutMessage{ChatID: chatID, EditMessageID: msgID, Text: parts[0], Buttons: kb, TaskCodes: codes})
}

// flush writes the queued messages to the outbox with keys derived from the
// update id, so a redelivered update cannot queue them twice.
func (r *req) flush() error {
	for i := range r.out {
		m := &r.out[i]
		if m.Key == "" {
			m.Key = fmt.Sprintf("u%d:%d", r.upd.ID, i)
		}
		m.Created = r.now
		m.State = tasks.OutQueued
		if _, err := r.tx.Enqueue(m); err != nil {
			return fmt.Errorf("enqueue answer: %w", err)
		}
		if k := copyKey(m.Key); k != "" {
			// Remembered so that the first decision can edit the
			// other deciders' copies.
			if err := r.tx.PutDecisionCopy(tasks.DecisionCopy{Key: k, OutID: m.ID, Created: r.now}); err != nil {
				return fmt.Errorf("remember decision copy: %w", err)
			}
		}
	}
	return nil
}

// copyKey names one decider's copy of a decision request, or "": for an
// extension "ext:ID:ask:DECIDER"; for a proposal, whose key also holds the
// update that made it, "prop:CODE:ask:DECIDER" (the latest proposal).
func copyKey(key string) string {
	switch {
	case strings.HasPrefix(key, "ext:"):
		return key
	case strings.HasPrefix(key, "conf:") && strings.Contains(key, ":ask:"):
		return key // a done report's card to one secretariat member (see reportCard)
	case strings.HasPrefix(key, "prop:"):
		f := strings.Split(key, ":")
		if len(f) == 5 && f[3] == "ask" {
			return "prop:" + f[1] + ":ask:" + f[4]
		}
	}
	return ""
}

// fail answers an error in one message (or one toast for a button).
func (r *req) fail(err error) {
	var msg string
	var te *tasks.Error
	if errors.As(err, &te) && te.Code != tasks.EINTERNAL {
		msg = errorText(r.lang, te)
		if r.task != "" && !strings.Contains(msg, r.task) {
			msg = "<b>" + esc(r.task) + "</b>: " + msg // every message about a task names it
		}
	} else {
		msg = r.t("internal_error")
	}
	if r.cb != nil {
		r.cbText = stripTags(msg)
		return
	}
	if r.chatID != 0 {
		r.reply("⚠️ "+msg, nil)
	}
}

// stripTags removes HTML tags and entities for plain-text places (toasts).
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, c := range s {
		switch {
		case c == '<':
			in = true
		case c == '>':
			in = false
		case !in:
			b.WriteRune(c)
		}
	}
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&quot;", `"`).Replace(b.String())
}
