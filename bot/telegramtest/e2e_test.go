package telegramtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"steerbot/bot/telegramtest"
)

// A small bot: /start asks a question with buttons; pressing one answers
// the query and edits the question.
func conversationBot(t *testing.T, srv *telegramtest.Server, opts ...bot.Option) *bot.Bot {
	b := newBot(t, srv, opts...)
	b.RegisterHandler(bot.HandlerTypeMessageText, "start", bot.MatchTypeCommand, func(ctx context.Context, b *bot.Bot, u *models.Update) {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{
			ChatID:          u.Message.Chat.ID,
			Text:            "Continue, <b>" + u.Message.From.FirstName + "</b>?",
			ParseMode:       models.ParseModeHTML,
			ReplyParameters: &models.ReplyParameters{MessageID: u.Message.ID},
			ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
				{Text: "Yes", CallbackData: "yes"}, {Text: "No", CallbackData: "no"},
			}}},
		})
		handlerErr(ctx, t, "send", err)
	})
	b.RegisterHandler(bot.HandlerTypeCallbackQueryData, "", bot.MatchTypePrefix, func(ctx context.Context, b *bot.Bot, u *models.Update) {
		cq := u.CallbackQuery
		_, err := b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: cq.ID, Text: "Noted"})
		handlerErr(ctx, t, "answer", err)
		msg := cq.Message.Message
		_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: msg.Chat.ID, MessageID: msg.ID, Text: "You chose " + cq.Data})
		handlerErr(ctx, t, "edit", err)
	})
	return b
}

func TestConversationOverLongPolling(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	events, cancel := srv.Subscribe()
	defer cancel()
	startBot(t, conversationBot(t, srv, bot.WithErrorsHandler(func(err error) { t.Log("ERR", err) })))
	chat := telegramtest.Private(alice)

	srv.SendText(alice, chat, "/start")
	msgs, err := srv.WaitSent(ctx, chat.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	q := msgs[0]
	if q.Text != "Continue, Alice?" || q.ReplyTo != 1 || q.MessageID != 2 || len(q.Buttons) != 1 || q.Buttons[0][1].Data != "no" {
		t.Fatalf("question = %+v", q)
	}
	if _, err := srv.PressButton(alice, chat, q.MessageID, "Yes"); err != nil {
		t.Fatal(err)
	}
	edited, err := srv.WaitFor(ctx, func(m telegramtest.Message) bool { return m.Edits > 0 })
	if err != nil {
		t.Fatal(err)
	}
	if edited.Text != "You chose yes" || edited.MessageID != q.MessageID || edited.Buttons != nil {
		t.Fatalf("edited = %+v", edited)
	}
	if cb := srv.Callbacks(); len(cb) != 1 || cb[0].Text != "Noted" || cb[0].Data != "yes" {
		t.Fatalf("callbacks = %+v", cb)
	}

	var transcript []string
	for len(transcript) < 5 {
		select {
		case e := <-events:
			transcript = append(transcript, fmt.Sprintf("%d %s %d %q", e.Seq, e.Kind, e.ChatID, e.Text))
		case <-ctx.Done():
			t.Fatalf("transcript so far: %q", transcript)
		}
	}
	want := []string{
		`1 user_message 42 "/start"`,
		`2 send 42 "Continue, Alice?"`,
		`3 user_press 42 "Yes"`,
		`4 answer 42 "Noted"`,
		`5 edit 42 "You chose yes"`,
	}
	if strings.Join(transcript, "\n") != strings.Join(want, "\n") {
		t.Fatalf("transcript:\n%s\nwant:\n%s", strings.Join(transcript, "\n"), strings.Join(want, "\n"))
	}
	if ev := srv.Events(); len(ev) != 5 || ev[1].Message == nil || ev[1].Method != "sendMessage" {
		t.Fatalf("Events() = %+v", ev)
	}
}

func TestSubscribeEndsAfterClose(t *testing.T) {
	srv := telegramtest.New()
	srv.SendText(alice, telegramtest.Private(alice), "one")
	events, cancel := srv.Subscribe()
	defer cancel()
	srv.SendText(alice, telegramtest.Private(alice), "two")
	srv.Close()
	var got []string
	for e := range events {
		got = append(got, e.Text)
	}
	if strings.Join(got, ",") != "one,two" {
		t.Fatalf("events = %q", got)
	}
}

func TestWebhookDelivery(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	secretErrs := make(chan error, 10)
	b := newBot(t, srv,
		bot.WithWebhookSecretToken("s3cret"),
		bot.WithErrorsHandler(func(err error) {
			if strings.Contains(err.Error(), "invalid webhook secret token") {
				secretErrs <- err
			}
		}),
		bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, u *models.Update) {
			_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "pong: " + u.Message.Text})
			handlerErr(ctx, t, "send", err)
		}))
	hook := httptest.NewServer(b.WebhookHandler())
	defer hook.Close()
	hctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { b.StartWebhook(hctx) })
	defer func() { stop(); wg.Wait() }()

	chat := telegramtest.Private(alice)
	srv.SendText(alice, chat, "queued before the webhook")
	if ok, err := b.SetWebhook(ctx, &bot.SetWebhookParams{URL: hook.URL, SecretToken: "s3cret"}); !ok || err != nil {
		t.Fatalf("setWebhook: %v", err)
	}
	if _, err := b.SetWebhook(ctx, &bot.SetWebhookParams{URL: "ftp://x", SecretToken: "s3cret"}); err == nil {
		t.Fatal("non-HTTP webhook accepted")
	}
	if _, err := b.SetWebhook(ctx, &bot.SetWebhookParams{URL: hook.URL, SecretToken: "bad secret!"}); err == nil {
		t.Fatal("bad secret accepted")
	}
	srv.SendText(alice, chat, "ping")
	msgs, err := srv.WaitSent(ctx, chat.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].Text != "pong: queued before the webhook" && msgs[1].Text != "pong: queued before the webhook" {
		t.Fatalf("replies = %+v", msgs)
	}
	if err := srv.Wait(ctx, func() bool { return srv.PendingUpdates() == 0 }); err != nil {
		t.Fatal(err)
	}
	info, err := b.GetWebhookInfo(ctx)
	if err != nil || info.URL != hook.URL || info.PendingUpdateCount != 0 || info.MaxConnections != 40 {
		t.Fatalf("getWebhookInfo = %+v %v", info, err)
	}
	if u, s := srv.Webhook(); u != hook.URL || s != "s3cret" {
		t.Fatalf("Webhook() = %q %q", u, s)
	}
	if r := call(t, srv, "getUpdates", nil); r.Status != 409 || !strings.Contains(r.Description, "webhook is active") {
		t.Fatalf("getUpdates with webhook: %+v", r)
	}

	// Without the secret header the bot refuses the update.
	status, err := srv.DeliverRaw(hook.URL, "", srv.NewTextUpdate(alice, chat, "forged"))
	if err != nil || status != http.StatusOK {
		t.Fatalf("DeliverRaw without secret: %d %v", status, err)
	}
	select {
	case <-secretErrs:
	case <-ctx.Done():
		t.Fatal("bot did not reject the update without secret")
	}
	status, err = srv.DeliverRaw(hook.URL, "s3cret", srv.NewTextUpdate(alice, chat, "genuine"))
	if err != nil || status != http.StatusOK {
		t.Fatalf("DeliverRaw with secret: %d %v", status, err)
	}
	msgs, err = srv.WaitSent(ctx, chat.ID, 3)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[2].Text != "pong: genuine" {
		t.Fatalf("third reply = %+v", msgs[2])
	}

	if ok, err := b.DeleteWebhook(ctx, &bot.DeleteWebhookParams{}); !ok || err != nil {
		t.Fatalf("deleteWebhook: %v", err)
	}
	if info, _ := b.GetWebhookInfo(ctx); info.URL != "" {
		t.Fatalf("webhook still set: %+v", info)
	}
	if got := len(srv.SentTo(chat.ID)); got != 3 {
		t.Fatalf("bot sent %d messages, want 3 (the forged update must be ignored)", got)
	}
}

func TestWebhookRetries(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	var calls, failUntil atomic.Int32
	failUntil.Store(2)
	var mu sync.Mutex
	var bodies []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "tok" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("headers = %v", r.Header)
		}
		if f := failUntil.Load(); f < 0 || n <= f {
			http.Error(w, "nope", http.StatusInternalServerError)
			return
		}
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(body))
		mu.Unlock()
	}))
	defer hook.Close()

	chat := telegramtest.Private(bob)
	srv.SendText(bob, chat, "hello")
	if r := call(t, srv, "setWebhook", url.Values{"url": {hook.URL}, "secret_token": {"tok"}}); !r.OK || r.Description != "Webhook was set" {
		t.Fatalf("setWebhook: %+v", r)
	}
	// Two 500s, then success.
	if err := srv.Wait(ctx, func() bool { return srv.PendingUpdates() == 0 }); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	var u models.Update
	err := json.Unmarshal([]byte(bodies[0]), &u)
	mu.Unlock()
	if calls.Load() != 3 || err != nil || u.Message.Text != "hello" {
		t.Fatalf("calls = %d, update = %+v, %v", calls.Load(), u.Message, err)
	}

	// A webhook that keeps failing: bounded retries, the update stays pending.
	failUntil.Store(-1)
	srv.SendText(bob, chat, "lost?")
	// Each failed attempt is recorded (a state change), so the condition is
	// re-evaluated after the last one.
	err = srv.Wait(ctx, func() bool { return calls.Load() == 8 && srv.PendingUpdates() == 1 })
	if err != nil {
		t.Fatalf("retries: calls = %d: %v", calls.Load(), err)
	}
	var info models.WebhookInfo
	if err := json.Unmarshal(call(t, srv, "getWebhookInfo", nil).Result, &info); err != nil ||
		info.PendingUpdateCount != 1 || info.LastErrorDate == 0 || !strings.Contains(info.LastErrorMessage, "500 Internal Server Error") {
		t.Fatalf("getWebhookInfo = %+v, %v", info, err)
	}
	if r := call(t, srv, "deleteWebhook", nil); !r.OK || r.Description != "Webhook was deleted" {
		t.Fatalf("deleteWebhook: %+v", r)
	}
	ups := updates(t, srv, nil)
	if len(ups) != 1 || ups[0].Message.Text != "lost?" {
		t.Fatalf("pending after delete = %+v", ups)
	}
}

func TestConcurrentUse(t *testing.T) {
	srv := newServer(t)
	b := newBot(t, srv)
	ctx := testCtx(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			u := telegramtest.User{ID: int64(100 + i), FirstName: "U"}
			chat := telegramtest.Private(u)
			for j := range 5 {
				srv.SendText(u, chat, "hi")
				m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.ID, Text: fmt.Sprint(j)})
				if err != nil {
					t.Error(err)
					return
				}
				srv.Press(u, chat, m.ID, "x")
				_ = srv.Sent()
				_ = srv.Events()
			}
		})
	}
	wg.Wait()
	if len(srv.Sent()) != 40 || srv.PendingUpdates() != 80 || len(srv.Events()) != 120 {
		t.Fatalf("sent %d, pending %d, events %d", len(srv.Sent()), srv.PendingUpdates(), len(srv.Events()))
	}
	for i := range 8 {
		msgs := srv.History(int64(100 + i))
		for k, m := range msgs {
			if m.MessageID != k+1 {
				t.Fatalf("chat %d: message ids not sequential: %+v", 100+i, msgs)
			}
		}
	}
}
