package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"steerbot/tasks"
)

// Send delivers one outbox message through the Telegram client: a text, an
// edit, a document or a photo. Failures come back as *tasks.SendError so
// the outbox knows to wait (429), retry (network, 5xx) or give up (blocked,
// chat not found, a request Telegram rejects).
func (b *Bot) Send(ctx context.Context, m tasks.OutMessage) (int, error) {
	to, err := b.movedChat(ctx, m.ChatID)
	if err != nil {
		return 0, &tasks.SendError{Err: err}
	}
	m.ChatID = to
	id, err := b.send(ctx, m)
	var me *tgbot.MigrateError
	if errors.As(err, &me) && me.MigrateToChatID != 0 {
		// The group became a supergroup: Telegram names its new id. Every
		// later message goes there; the operator should update the config.
		to := int64(me.MigrateToChatID)
		b.log.Error("the group was upgraded to a supergroup; messages now go to its new id: set committee.chat_id to it", "old_chat", m.ChatID, "new_chat", to)
		if err := b.o.Store.Update(ctx, func(tx tasks.Tx) error {
			return tx.PutChatMove(m.ChatID, to)
		}); err != nil {
			return 0, &tasks.SendError{Err: fmt.Errorf("record moved chat: %w", err)}
		}
		m.ChatID = to
		id, err = b.send(ctx, m)
	}
	if err != nil {
		return 0, classify(err)
	}
	return id, nil
}

// movedChat returns the chat a message to chatID goes to now: the
// supergroup a group became, if it did. A store that cannot answer is a
// temporary failure: the outbox tries again later.
func (b *Bot) movedChat(ctx context.Context, chatID int64) (int64, error) {
	if chatID >= 0 {
		return chatID, nil
	}
	to := chatID
	err := b.o.Store.View(ctx, func(tx tasks.Tx) error {
		n, err := tx.ChatMovedTo(chatID)
		if err == nil {
			to = n
		} else if !tasks.IsNotFound(err) {
			return err
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("read moved chat: %w", err)
	}
	return to, nil
}

// movedFrom returns the old id of a group that became the supergroup
// chatID.
func (b *Bot) movedFrom(tx tasks.SettingsStore, chatID int64) (int64, bool, error) {
	n, err := tx.ChatMovedFrom(chatID)
	if tasks.IsNotFound(err) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, err
	}
	return n, true, nil
}

// send makes the one Bot API call for m.
func (b *Bot) send(ctx context.Context, m tasks.OutMessage) (int, error) {
	kb := keyboard(m.Buttons)
	var msg *models.Message
	var err error
	switch {
	case m.EditMessageID != 0 && m.KeyboardOnly:
		p := &tgbot.EditMessageReplyMarkupParams{ChatID: m.ChatID, MessageID: m.EditMessageID}
		if kb != nil {
			p.ReplyMarkup = kb
		} else {
			p.ReplyMarkup = models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{}}
		}
		_, err = b.client.EditMessageReplyMarkup(ctx, p)
		b.noteCall(sendHealth(err))
		if err != nil && strings.Contains(err.Error(), "message is not modified") {
			err = nil
		}
		if err != nil {
			return 0, err
		}
		return m.EditMessageID, nil
	case m.EditMessageID != 0:
		p := &tgbot.EditMessageTextParams{ChatID: m.ChatID, MessageID: m.EditMessageID, Text: m.Text, ParseMode: models.ParseModeHTML}
		if kb != nil {
			p.ReplyMarkup = kb
		} else {
			p.ReplyMarkup = models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{}}
		}
		msg, err = b.client.EditMessageText(ctx, p)
		if err != nil && strings.Contains(err.Error(), "message is not modified") {
			return m.EditMessageID, nil
		}
		if err == nil {
			b.noteCall(nil)
			return m.EditMessageID, nil
		}
	case m.Document != nil:
		p := &tgbot.SendDocumentParams{ChatID: m.ChatID, Document: inputFile(m.Document), Caption: m.Text, ParseMode: models.ParseModeHTML}
		if kb != nil {
			p.ReplyMarkup = kb
		}
		msg, err = b.client.SendDocument(ctx, p)
	case m.Photo != nil:
		p := &tgbot.SendPhotoParams{ChatID: m.ChatID, Photo: inputFile(m.Photo), Caption: m.Text, ParseMode: models.ParseModeHTML}
		if kb != nil {
			p.ReplyMarkup = kb
		}
		msg, err = b.client.SendPhoto(ctx, p)
	default:
		p := &tgbot.SendMessageParams{ChatID: m.ChatID, Text: m.Text, ParseMode: models.ParseModeHTML,
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()}}
		if kb != nil {
			p.ReplyMarkup = kb
		} else if m.ForceReply {
			// A prompt: the phone opens the reply box, so the answer is a
			// reply the bot can match, not a loose message.
			p.ReplyMarkup = &models.ForceReply{ForceReply: true, Selective: true}
		}
		if m.ReplyTo != 0 {
			p.ReplyParameters = &models.ReplyParameters{MessageID: m.ReplyTo, AllowSendingWithoutReply: true}
		}
		msg, err = b.client.SendMessage(ctx, p)
	}
	b.noteCall(sendHealth(err))
	if err != nil {
		return 0, err
	}
	return msg.ID, nil
}

// sendHealth separates Telegram being unreachable from Telegram refusing
// one message: only the first makes the bot unhealthy.
func sendHealth(err error) error {
	if err == nil {
		return nil
	}
	var tm *tgbot.TooManyRequestsError
	var me *tgbot.MigrateError
	if errors.As(err, &tm) || errors.As(err, &me) || errors.Is(err, tgbot.ErrorForbidden) || errors.Is(err, tgbot.ErrorBadRequest) {
		return nil
	}
	return err
}

// classify maps a client error to a *tasks.SendError. A refusal of this
// one message (403 blocked, 400 bad request, 413, other 4xx) is permanent;
// a 401 or 404 says the token itself is wrong (revoked, mistyped), which
// concerns every message, so those stay queued and are retried until the
// token is fixed or they grow too old; network errors and 5xx are
// temporary.
func classify(err error) error {
	var tm *tgbot.TooManyRequestsError
	switch {
	case errors.As(err, &tm):
		ra := time.Duration(tm.RetryAfter) * time.Second
		if ra <= 0 {
			ra = time.Second
		}
		return &tasks.SendError{RetryAfter: ra, Err: err}
	case errors.Is(err, tgbot.ErrorUnauthorized), errors.Is(err, tgbot.ErrorNotFound):
		return &tasks.SendError{Err: fmt.Errorf("the bot token is refused (revoked or wrong?): %w", err)}
	case errors.Is(err, tgbot.ErrorForbidden):
		// "bot was blocked by the user", "user is deactivated": nobody reads
		// this chat any more.
		return &tasks.SendError{Permanent: true, Blocked: true, Err: err}
	case errors.Is(err, tgbot.ErrorBadRequest), errors.Is(err, tgbot.ErrorConflict):
		return &tasks.SendError{Permanent: true, Err: err}
	case errors.Is(err, context.Canceled):
		return err
	}
	var me *tgbot.MigrateError
	if errors.As(err, &me) {
		return &tasks.SendError{Permanent: true, Err: err}
	}
	if code := apiErrorCode(err); code >= 400 && code < 500 {
		return &tasks.SendError{Permanent: true, Err: err} // 413 and the like: this message will never go
	}
	return &tasks.SendError{Err: err}
}

// apiErrorCode reads the HTTP-like code of an error answer the client
// library has no sentinel for ("error response from telegram for method
// sendDocument, 413 Request Entity Too Large"), or 0.
func apiErrorCode(err error) int {
	s := err.Error()
	const marker = "error response from telegram for method "
	i := strings.Index(s, marker)
	if i < 0 {
		return 0
	}
	rest := s[i+len(marker):]
	j := strings.Index(rest, ", ")
	if j < 0 {
		return 0
	}
	f := strings.Fields(rest[j+2:])
	if len(f) == 0 {
		return 0
	}
	n, _ := strconv.Atoi(f[0])
	return n
}

// keyboard converts buttons to Telegram's inline keyboard; nil for none.
func keyboard(rows [][]tasks.Button) *models.InlineKeyboardMarkup {
	var kb [][]models.InlineKeyboardButton
	for _, row := range rows {
		var r []models.InlineKeyboardButton
		for _, x := range row {
			switch {
			case x.WebApp != "":
				r = append(r, models.InlineKeyboardButton{Text: x.Text, WebApp: &models.WebAppInfo{URL: x.WebApp}})
			case x.URL != "":
				r = append(r, models.InlineKeyboardButton{Text: x.Text, URL: x.URL})
			case x.Data != "":
				r = append(r, models.InlineKeyboardButton{Text: x.Text, CallbackData: x.Data})
			}
		}
		if len(r) > 0 {
			kb = append(kb, r)
		}
	}
	if len(kb) == 0 {
		return nil
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: kb}
}

// inputFile uploads data or points at a file Telegram already has.
func inputFile(f *tasks.File) models.InputFile {
	if f.FileID != "" {
		return &models.InputFileString{Data: f.FileID}
	}
	return &models.InputFileUpload{Filename: f.Name, Data: bytes.NewReader(f.Data)}
}
