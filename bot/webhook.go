package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"time"

	tgbot "github.com/go-telegram/bot"

	"steerbot/tasks"
)

// maxUpdateBytes bounds one webhook request body.
const maxUpdateBytes = 1 << 20

// WebhookHandler receives updates that Telegram POSTs. A request without
// the right X-Telegram-Bot-Api-Secret-Token gets 401 and touches nothing.
// An update is stored in the inbox before the 200 answer, so Telegram
// never drops one the bot has not kept; it is then handled by the same
// path as polled updates (see RunWebhook), once.
func (b *Bot) WebhookHandler(secret string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		raw, err := io.ReadAll(io.LimitReader(r.Body, maxUpdateBytes+1))
		if err != nil || len(raw) > maxUpdateBytes {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var head struct {
			UpdateID *int64 `json:"update_id"`
		}
		if json.Unmarshal(raw, &head) != nil || head.UpdateID == nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		err = b.o.Store.Update(r.Context(), func(tx tasks.Tx) error {
			_, err := tx.InboxAdd(tasks.InboxItem{UpdateID: *head.UpdateID, Raw: raw})
			return err
		})
		if err != nil {
			b.log.Error("webhook: store update", "update_id", *head.UpdateID, "err", err)
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		b.noteCall(nil)
		w.WriteHeader(http.StatusOK)
		select {
		case b.inboxKick <- struct{}{}:
		default:
		}
	})
}

// RunWebhook registers the webhook with Telegram and handles stored
// updates as they arrive, until ctx ends.
func (b *Bot) RunWebhook(ctx context.Context, url, secret string) error {
	for {
		_, err := b.client.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: url, SecretToken: secret, AllowedUpdates: []string{"message", "edited_message", "callback_query"}})
		b.noteCall(err)
		if err == nil {
			break
		}
		b.log.Warn("setWebhook failed; retrying", "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-b.after(5):
		}
	}
	// Telegram calls the bot, not the other way round: a light call every
	// half minute tells the health check that Telegram still answers.
	probe := b.o.Clock.After(30 * time.Second)
	for {
		b.ProcessInbox(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-b.inboxKick:
		case <-probe:
			probe = b.o.Clock.After(30 * time.Second)
			info, err := b.client.GetWebhookInfo(ctx)
			b.noteCall(err)
			if err == nil && info.LastErrorMessage != "" {
				b.log.Warn("telegram reports webhook errors", "last_error", info.LastErrorMessage, "pending", info.PendingUpdateCount)
			}
		}
	}
}
