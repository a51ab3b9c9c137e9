package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"steerbot/tasks"
)

// The next getUpdates offset is stored (tasks.SettingsStore.UpdateOffset)
// only with the batch it confirms, so a crash never loses an update. With it
// goes when the last update arrived: Telegram may restart update ids at a
// random number after a week without updates; an offset above the new ids
// would confirm them unseen, so after a quiet week the bot asks without an
// offset (the inbox drops anything seen twice).

// idRestartAfter is how long a silence may make Telegram restart ids.
const idRestartAfter = 6 * 24 * time.Hour

// Poll runs the update path until ctx ends: handle what the inbox still
// holds from before a crash, then repeatedly fetch a batch with getUpdates,
// store it in the inbox together with the next offset, and handle it.
func (b *Bot) Poll(ctx context.Context) error {
	if _, err := b.client.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); err != nil {
		b.log.Warn("deleteWebhook", "err", err)
	}
	b.ProcessInbox(ctx)
	wait := time.Duration(0)
	for ctx.Err() == nil {
		if wait > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-b.o.Clock.After(wait):
			}
		}
		n, err := b.PollOnce(ctx, b.o.PollTimeout)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			wait = min(max(2*wait, 500*time.Millisecond), 30*time.Second)
			b.log.Warn("getUpdates failed", "err", err, "retry_in", wait)
			continue
		}
		wait = 0
		// Also with nothing new: an update whose handling failed (the
		// database was briefly unavailable) is tried again.
		_ = n
		b.ProcessInbox(ctx)
	}
	return nil
}

// PollOnce fetches one batch of updates (waiting up to timeout for one) and
// stores it in the inbox with the next offset, in one transaction. It
// returns how many updates were new.
func (b *Bot) PollOnce(ctx context.Context, timeout time.Duration) (int, error) {
	var offset int64
	var last time.Time
	if err := b.o.Store.View(ctx, func(tx tasks.Tx) error {
		var err error
		offset, last, err = tx.UpdateOffset()
		return err
	}); err != nil {
		return 0, fmt.Errorf("read offset: %w", err)
	}
	now := b.o.Clock.Now()
	if offset > 0 && !last.IsZero() && now.Sub(last) >= idRestartAfter {
		b.log.Info("no update for a week: asking Telegram without an offset, in case update ids restarted", "offset", offset, "last_update", last)
		offset = 0
	}
	raws, err := b.getUpdates(ctx, offset, timeout)
	b.noteCall(err)
	if err != nil {
		return 0, err
	}
	if len(raws) == 0 {
		return 0, nil
	}
	added := 0
	err = b.o.Store.Update(ctx, func(tx tasks.Tx) error {
		added = 0
		var next int64
		for _, raw := range raws {
			var head struct {
				UpdateID int64 `json:"update_id"`
			}
			if err := json.Unmarshal(raw, &head); err != nil {
				return fmt.Errorf("decode update: %w", err)
			}
			ok, err := tx.InboxAdd(tasks.InboxItem{UpdateID: head.UpdateID, Raw: raw})
			if err != nil {
				return err
			}
			if ok {
				added++
			}
			next = max(next, head.UpdateID+1)
		}
		return tx.PutUpdateOffset(next, now)
	})
	if err != nil {
		return 0, fmt.Errorf("store updates: %w", err)
	}
	return added, nil
}

// getUpdates calls the Bot API directly: the client library confirms
// updates to Telegram before they are handled (see LIBRARIES.md), so the
// update path is ours.
func (b *Bot) getUpdates(ctx context.Context, offset int64, timeout time.Duration) ([]json.RawMessage, error) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if offset > 0 {
		_ = w.WriteField("offset", strconv.FormatInt(offset, 10))
	}
	_ = w.WriteField("timeout", strconv.Itoa(int(timeout/time.Second)))
	_ = w.WriteField("limit", "100")
	_ = w.WriteField("allowed_updates", `["message","edited_message","callback_query"]`)
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("getUpdates form: %w", err)
	}
	base := b.o.APIURL
	if base == "" {
		base = "https://api.telegram.org"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(base, "/")+"/bot"+b.o.Token+"/getUpdates", &body)
	if err != nil {
		return nil, errors.New("getUpdates: bad request URL")
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := b.o.HTTPClient.Do(req)
	if err != nil {
		// The error names the URL, which holds the token: never pass it on.
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, errors.New("getUpdates: " + strings.ReplaceAll(err.Error(), b.o.Token, "***"))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("getUpdates: read: %w", err)
	}
	var r struct {
		OK          bool              `json:"ok"`
		Result      []json.RawMessage `json:"result"`
		ErrorCode   int               `json:"error_code"`
		Description string            `json:"description"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("getUpdates: HTTP %d, not JSON", resp.StatusCode)
	}
	if !r.OK {
		return nil, fmt.Errorf("getUpdates: %d %s", r.ErrorCode, r.Description)
	}
	return r.Result, nil
}

// ProcessInbox handles every stored update not yet handled, in order.
func (b *Bot) ProcessInbox(ctx context.Context) {
	var items []tasks.InboxItem
	if err := b.o.Store.View(ctx, func(tx tasks.Tx) error {
		var err error
		items, err = tx.Inbox()
		return err
	}); err != nil {
		b.log.Error("read inbox", "err", err)
		return
	}
	for _, it := range items {
		if ctx.Err() != nil {
			return
		}
		b.Deliver(ctx, it.Raw)
	}
}

// Deliver handles one update given as Telegram's JSON: decoded and
// dispatched through the client library (ProcessUpdate) to the bot's
// handler, which applies it once.
func (b *Bot) Deliver(ctx context.Context, raw []byte) {
	var upd models.Update
	if err := json.Unmarshal(raw, &upd); err != nil {
		var head struct {
			UpdateID int64 `json:"update_id"`
		}
		if herr := json.Unmarshal(raw, &head); herr != nil {
			// Not even its id reads: it never entered the inbox.
			b.log.Warn("undecodable update dropped", "err", err, "head_err", herr)
			return
		}
		b.log.Warn("undecodable update dropped", "update_id", head.UpdateID, "err", err)
		if err := b.o.Store.Update(ctx, func(tx tasks.Tx) error { return tx.MarkHandled(head.UpdateID) }); err != nil {
			b.log.Error("mark undecodable update handled", "update_id", head.UpdateID, "err", err)
		}
		return
	}
	b.client.ProcessUpdate(ctx, &upd)
}

// dispatch is the client library's default handler: every update comes here.
func (b *Bot) dispatch(ctx context.Context, _ *tgbot.Bot, upd *models.Update) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.handleUpdate(ctx, upd)
}
