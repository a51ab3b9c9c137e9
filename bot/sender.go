package bot

import (
	"bytes"
	"context"
	"errors"
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
	kb := keyboard(m.Buttons)
	var msg *models.Message
	var err error
	switch {
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
		}
		if m.ReplyTo != 0 {
			p.ReplyParameters = &models.ReplyParameters{MessageID: m.ReplyTo, AllowSendingWithoutReply: true}
		}
		msg, err = b.client.SendMessage(ctx, p)
	}
	b.noteCall(sendHealth(err))
	if err != nil {
		return 0, classify(err)
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
	if errors.As(err, &tm) || errors.Is(err, tgbot.ErrorForbidden) || errors.Is(err, tgbot.ErrorBadRequest) || errors.Is(err, tgbot.ErrorNotFound) {
		return nil
	}
	return err
}

// classify maps a client error to a *tasks.SendError.
func classify(err error) error {
	var tm *tgbot.TooManyRequestsError
	switch {
	case errors.As(err, &tm):
		ra := time.Duration(tm.RetryAfter) * time.Second
		if ra <= 0 {
			ra = time.Second
		}
		return &tasks.SendError{RetryAfter: ra, Err: err}
	case errors.Is(err, tgbot.ErrorForbidden), errors.Is(err, tgbot.ErrorBadRequest),
		errors.Is(err, tgbot.ErrorNotFound), errors.Is(err, tgbot.ErrorUnauthorized):
		return &tasks.SendError{Permanent: true, Err: err}
	case errors.Is(err, context.Canceled):
		return err
	}
	var me *tgbot.MigrateError
	if errors.As(err, &me) {
		return &tasks.SendError{Permanent: true, Err: err}
	}
	return &tasks.SendError{Err: err}
}

// keyboard converts buttons to Telegram's inline keyboard; nil for none.
func keyboard(rows [][]tasks.Button) *models.InlineKeyboardMarkup {
	var kb [][]models.InlineKeyboardButton
	for _, row := range rows {
		var r []models.InlineKeyboardButton
		for _, x := range row {
			switch {
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
