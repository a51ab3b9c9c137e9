package telegramtest_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"steerbot/bot/telegramtest"
)

func TestGetMeAndToken(t *testing.T) {
	srv := newServer(t, telegramtest.WithToken("777:GOOD"), telegramtest.WithBotUser(777, "other_bot"))
	_, err := bot.New("777:BAD", bot.WithServerURL(srv.URL()))
	if !errors.Is(err, bot.ErrorUnauthorized) {
		t.Fatalf("wrong token: want ErrorUnauthorized, got %v", err)
	}
	b, err := bot.New("777:GOOD", bot.WithServerURL(srv.URL()))
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	me, err := b.GetMe(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != 777 || me.Username != "other_bot" || !me.IsBot || !me.CanJoinGroups {
		t.Fatalf("getMe = %+v", me)
	}
	// Every request counts, including the refused one.
	if srv.Count("getMe") != 3 || srv.Count("GETME") != 3 {
		t.Fatalf("Count(getMe) = %d", srv.Count("getMe"))
	}

	def := newServer(t)
	me, err = newBot(t, def).GetMe(testCtx(t))
	if err != nil || me.ID != telegramtest.DefaultBotID || me.Username != "steerbot_test_bot" {
		t.Fatalf("default getMe = %+v, %v", me, err)
	}
}

func TestUnknownMethod(t *testing.T) {
	srv := newServer(t)
	b := newBot(t, srv)
	_, err := b.SendSticker(testCtx(t), &bot.SendStickerParams{ChatID: 1, Sticker: &models.InputFileString{Data: "x"}})
	if !errors.Is(err, bot.ErrorNotFound) {
		t.Fatalf("want ErrorNotFound, got %v", err)
	}
	r := call(t, srv, "noSuchMethod", nil)
	if r.Status != 404 || r.OK || r.ErrorCode != 404 || r.Description != "Not Found" {
		t.Fatalf("raw unknown method: %+v", r)
	}
}

func TestLongPollDeliversAndOffsetConfirms(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	chat := telegramtest.Private(alice)
	if id := srv.SendText(alice, chat, "/start@steerbot_test_bot hi"); id != 1 {
		t.Fatalf("first update id = %d", id)
	}
	got := make(chan *models.Update, 10)
	b := newBot(t, srv, bot.WithDefaultHandler(func(_ context.Context, _ *bot.Bot, u *models.Update) { got <- u }))
	startBot(t, b)

	u := <-got
	m := u.Message
	if u.ID != 1 || m == nil || m.Text != "/start@steerbot_test_bot hi" || m.From.Username != "alice" ||
		m.Chat.Type != models.ChatTypePrivate || m.Chat.ID != 42 || m.ID != 1 {
		t.Fatalf("update = %+v / %+v", u, m)
	}
	if len(m.Entities) != 1 || m.Entities[0].Type != models.MessageEntityTypeBotCommand ||
		m.Entities[0].Offset != 0 || m.Entities[0].Length != len("/start@steerbot_test_bot") {
		t.Fatalf("entities = %+v", m.Entities)
	}
	// The client's next getUpdates carries offset=2, which confirms update 1.
	if err := srv.Wait(ctx, func() bool { return srv.PendingUpdates() == 0 }); err != nil {
		t.Fatal(err)
	}
	// An update arriving during a long poll wakes it.
	if err := srv.Wait(ctx, func() bool { return srv.Polling() > 0 }); err != nil {
		t.Fatal(err)
	}
	srv.SendText(alice, chat, "second")
	select {
	case u = <-got:
	case <-ctx.Done():
		t.Fatal("second update not delivered")
	}
	if u.ID != 2 || u.Message.Text != "second" || u.Message.ID != 2 {
		t.Fatalf("second update = %+v", u.Message)
	}
}

func TestGetUpdatesRaw(t *testing.T) {
	srv := newServer(t, telegramtest.WithFirstUpdateID(100))
	chat := telegramtest.Private(bob)
	for i := range 3 {
		srv.SendText(bob, chat, "m"+strconv.Itoa(i))
	}
	ups := updates(t, srv, url.Values{"limit": {"2"}})
	if len(ups) != 2 || ups[0].ID != 100 || ups[1].ID != 101 || srv.PendingUpdates() != 3 {
		t.Fatalf("limit: %d updates, pending %d", len(ups), srv.PendingUpdates())
	}
	ups = updates(t, srv, url.Values{"offset": {"101"}})
	if len(ups) != 2 || ups[0].ID != 101 || srv.PendingUpdates() != 2 {
		t.Fatalf("offset: %d updates, pending %d", len(ups), srv.PendingUpdates())
	}
	ups = updates(t, srv, url.Values{"offset": {"-1"}})
	if len(ups) != 1 || ups[0].ID != 102 || ups[0].Message.Text != "m2" || srv.PendingUpdates() != 1 {
		t.Fatalf("negative offset: %+v, pending %d", ups, srv.PendingUpdates())
	}
	if ups = updates(t, srv, url.Values{"offset": {"103"}}); len(ups) != 0 || srv.PendingUpdates() != 0 {
		t.Fatalf("confirm all: %d updates, pending %d", len(ups), srv.PendingUpdates())
	}

	// Long poll woken by a new update.
	ctx := testCtx(t)
	res := make(chan []models.Update, 1)
	go func() { res <- updates(t, srv, url.Values{"offset": {"103"}, "timeout": {"5"}}) }()
	if err := srv.Wait(ctx, func() bool { return srv.Polling() == 1 }); err != nil {
		t.Fatal(err)
	}
	srv.SendText(bob, chat, "wake")
	if ups := <-res; len(ups) != 1 || ups[0].ID != 103 || ups[0].Message.Text != "wake" {
		t.Fatalf("long poll: %+v", ups)
	}

	// A second getUpdates terminates the first one with 409.
	older := make(chan rawResponse, 1)
	go func() { older <- call(t, srv, "getUpdates", url.Values{"offset": {"104"}, "timeout": {"5"}}) }()
	if err := srv.Wait(ctx, func() bool { return srv.Polling() == 1 }); err != nil {
		t.Fatal(err)
	}
	if r := call(t, srv, "getUpdates", url.Values{"offset": {"104"}}); !r.OK {
		t.Fatalf("newer poll: %+v", r)
	}
	if r := <-older; r.Status != 409 || !strings.Contains(r.Description, "terminated by other getUpdates request") {
		t.Fatalf("older poll: %+v", r)
	}

	// Closing the server ends a pending long poll.
	done := make(chan rawResponse, 1)
	go func() { done <- call(t, srv, "getUpdates", url.Values{"offset": {"104"}, "timeout": {"30"}}) }()
	if err := srv.Wait(ctx, func() bool { return srv.Polling() == 1 }); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if r := <-done; !r.OK || string(r.Result) != "[]" {
		t.Fatalf("poll at close: %+v", r)
	}
	if err := srv.Wait(ctx, func() bool { return false }); !errors.Is(err, telegramtest.ErrClosed) {
		t.Fatalf("Wait after Close: %v", err)
	}
}

func TestSendMessageLength(t *testing.T) {
	srv := newServer(t)
	b := newBot(t, srv)
	ctx := testCtx(t)
	send := func(text string, mode models.ParseMode) (*models.Message, error) {
		return b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: text, ParseMode: mode})
	}

	// Vietnamese: precomposed letters are one UTF-16 unit but 2-3 UTF-8 bytes.
	viet := []rune(strings.Repeat("Tiếng Việt có dấu: đường phố Hà Nội rất đẹp. ", 200))
	exact := string(viet[:4095]) + "."
	if telegramtest.UTF16Len(exact) != 4096 || len(exact) <= 4096 {
		t.Fatalf("test text: %d units, %d bytes", telegramtest.UTF16Len(exact), len(exact))
	}
	m, err := send(exact, "")
	if err != nil {
		t.Fatalf("4096 units refused: %v", err)
	}
	if m.Text != exact || srv.Sent()[0].Text != exact {
		t.Fatal("text changed in transit")
	}
	_, err = send(exact+"x", "")
	wantErr(t, err, "Bad Request: message is too long")
	if !errors.Is(err, bot.ErrorBadRequest) {
		t.Fatalf("want ErrorBadRequest, got %v", err)
	}

	// Astral characters count twice.
	if _, err := send(strings.Repeat("😀", 2048), ""); err != nil {
		t.Fatalf("2048 emoji refused: %v", err)
	}
	_, err = send(strings.Repeat("😀", 2048)+"a", "")
	wantErr(t, err, "message is too long")

	// The limit applies after entity parsing.
	if _, err := send("<b>"+strings.Repeat("a", 4096)+"</b>", models.ParseModeHTML); err != nil {
		t.Fatalf("4096 units in <b> refused: %v", err)
	}
	_, err = send("<b>"+strings.Repeat("&amp;", 4097)+"</b>", models.ParseModeHTML)
	wantErr(t, err, "message is too long")

	_, err = send("   ", "")
	wantErr(t, err, "Bad Request: message text is empty")
	_, err = send("<b> </b>", models.ParseModeHTML)
	wantErr(t, err, "message text is empty")
	_, err = b.SendMessage(ctx, &bot.SendMessageParams{Text: "no chat"})
	wantErr(t, err, "chat_id is empty")
	_, err = send("x", "Bogus")
	wantErr(t, err, "unsupported parse_mode")
	if got := len(srv.Sent()); got != 3 {
		t.Fatalf("Sent() has %d messages, want 3", got)
	}
}

func TestHTMLParsing(t *testing.T) {
	srv := newServer(t)
	b := newBot(t, srv)
	ctx := testCtx(t)
	html := `<b>Bold</b> &lt;i&gt; &amp; &#128512; &#x41; <a href="https://example.com/?a=1&amp;b=2">link</a> ` +
		`<tg-spoiler>s</tg-spoiler> <span class="tg-spoiler">t</span> <pre><code class="language-go">x := 1</code></pre> ` +
		`<blockquote expandable>q</blockquote> <s>z</s> <i>it<u>u</u></i>`
	m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: "\n " + html + " \n", ParseMode: models.ParseModeHTML})
	if err != nil {
		t.Fatal(err)
	}
	wantText := "Bold <i> & 😀 A link s t x := 1 q z itu"
	if m.Text != wantText {
		t.Fatalf("text = %q, want %q", m.Text, wantText)
	}
	off := func(prefix string) int { return telegramtest.UTF16Len(prefix) }
	want := []models.MessageEntity{
		{Type: "bold", Offset: 0, Length: 4},
		{Type: "text_link", Offset: off("Bold <i> & 😀 A "), Length: 4, URL: "https://example.com/?a=1&b=2"},
		{Type: "spoiler", Offset: off("Bold <i> & 😀 A link "), Length: 1},
		{Type: "spoiler", Offset: off("Bold <i> & 😀 A link s "), Length: 1},
		{Type: "pre", Offset: off("Bold <i> & 😀 A link s t "), Length: 6, Language: "go"},
		{Type: "expandable_blockquote", Offset: off("Bold <i> & 😀 A link s t x := 1 "), Length: 1},
		{Type: "strikethrough", Offset: off("Bold <i> & 😀 A link s t x := 1 q "), Length: 1},
		{Type: "italic", Offset: off("Bold <i> & 😀 A link s t x := 1 q z "), Length: 3},
		{Type: "underline", Offset: off("Bold <i> & 😀 A link s t x := 1 q z it"), Length: 1},
	}
	if len(m.Entities) != len(want) {
		t.Fatalf("entities = %+v", m.Entities)
	}
	for i := range want {
		if m.Entities[i] != want[i] {
			t.Errorf("entity %d = %+v, want %+v", i, m.Entities[i], want[i])
		}
	}
	sent := srv.Sent()[0]
	if sent.Text != wantText || sent.ParseMode != "HTML" || !strings.Contains(sent.Raw, "<b>Bold</b>") {
		t.Fatalf("recorded = %+v", sent)
	}

	bad := map[string]string{
		"<b>bold":                      `can't parse entities: Can't find end tag corresponding to start tag "b"`,
		"<foo>x</foo>":                 `Unsupported start tag "foo" at byte offset 0`,
		"1 < 2":                        `Unsupported start tag "" at byte offset 2`,
		"x</b>":                        `Unexpected end tag at byte offset 1`,
		"<b>x</i>":                     `Unmatched end tag at byte offset 4, expected "</b>", found "</i>"`,
		"<span>x</span>":               `Tag "span" must have class "tg-spoiler" at byte offset 0`,
		"<a href=https://x.y>x</a>":    `Unexpected end of name token at byte offset 8`,
		"<b":                           `Unclosed start tag at byte offset 0`,
		"<br>":                         `Unsupported start tag "br" at byte offset 0`,
		`<b class>x</b>`:               `Expected equal sign in declaration of an attribute of the tag "b" at byte offset 0`,
		"<i>a<b>b</i></b>":             `Unmatched end tag at byte offset 8, expected "</b>", found "</i>"`,
		`<a href="https://x.y">x</a >`: ``, // valid: spaces before '>' are allowed
	}
	for text, desc := range bad {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: text, ParseMode: models.ParseModeHTML})
		if desc == "" {
			if err != nil {
				t.Errorf("%q: unexpected %v", text, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "Bad Request: can't parse entities: ") || !strings.Contains(err.Error(), desc) {
			t.Errorf("%q: got %v, want %q", text, err, desc)
		}
	}
}

func TestMarkdownRefused(t *testing.T) {
	srv := newServer(t)
	b := newBot(t, srv)
	ctx := testCtx(t)
	for _, mode := range []models.ParseMode{models.ParseModeMarkdown, models.ParseModeMarkdownV1} {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: "*bold*", ParseMode: mode})
		wantErr(t, err, "unsupported parse_mode")
	}
}

func TestInlineKeyboardValidation(t *testing.T) {
	srv := newServer(t)
	b := newBot(t, srv)
	ctx := testCtx(t)
	kb := func(buttons ...models.InlineKeyboardButton) *models.InlineKeyboardMarkup {
		return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{buttons}}
	}
	data64 := strings.Repeat("d", 64)
	m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: "pick", ReplyMarkup: kb(
		models.InlineKeyboardButton{Text: "A", CallbackData: data64},
		models.InlineKeyboardButton{Text: "Site", URL: "https://example.com"},
	)})
	if err != nil {
		t.Fatalf("64-byte callback data refused: %v", err)
	}
	if m.ReplyMarkup == nil || len(m.ReplyMarkup.InlineKeyboard[0]) != 2 || m.ReplyMarkup.InlineKeyboard[0][0].CallbackData != data64 {
		t.Fatalf("echoed markup = %+v", m.ReplyMarkup)
	}
	want := [][]telegramtest.Button{{{Text: "A", Data: data64}, {Text: "Site", URL: "https://example.com"}}}
	got := srv.Sent()[0].Buttons
	if len(got) != 1 || len(got[0]) != 2 || got[0][0] != want[0][0] || got[0][1] != want[0][1] {
		t.Fatalf("Buttons = %+v", got)
	}

	_, err = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: "pick", ReplyMarkup: kb(models.InlineKeyboardButton{Text: "A", CallbackData: data64 + "d"})})
	wantErr(t, err, "Bad Request: BUTTON_DATA_INVALID")
	// Multi-byte data: 22 × "ế" is 66 bytes.
	_, err = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: "pick", ReplyMarkup: kb(models.InlineKeyboardButton{Text: "A", CallbackData: strings.Repeat("ế", 22)})})
	wantErr(t, err, "BUTTON_DATA_INVALID")
	_, err = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: "pick", ReplyMarkup: kb(models.InlineKeyboardButton{Text: "A"})})
	wantErr(t, err, "Text buttons are unallowed in the inline keyboard")
	_, err = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: "pick", ReplyMarkup: kb(models.InlineKeyboardButton{Text: "A", URL: "not a url"})})
	wantErr(t, err, "BUTTON_URL_INVALID")
	// Reply keyboards are accepted but not part of the message.
	_, err = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: "kb", ReplyMarkup: &models.ReplyKeyboardRemove{RemoveKeyboard: true}})
	if err != nil {
		t.Fatal(err)
	}
	if len(srv.Sent()) != 2 {
		t.Fatalf("Sent() = %d messages", len(srv.Sent()))
	}
}

func TestRepliesAndEdits(t *testing.T) {
	srv := newServer(t)
	b := newBot(t, srv)
	ctx := testCtx(t)
	chat := telegramtest.Private(alice)
	srv.SendText(alice, chat, "question") // message 1

	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "OK", CallbackData: "ok"}}}}
	m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: "answer", ReplyMarkup: kb,
		ReplyParameters: &models.ReplyParameters{MessageID: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != 2 || m.ReplyToMessage == nil || m.ReplyToMessage.Text != "question" || m.From.ID != telegramtest.DefaultBotID {
		t.Fatalf("reply = %+v", m)
	}
	_, err = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: "x", ReplyParameters: &models.ReplyParameters{MessageID: 99}})
	wantErr(t, err, "Bad Request: message to be replied not found")
	m3, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: "x", ReplyParameters: &models.ReplyParameters{MessageID: 99, AllowSendingWithoutReply: true}})
	if err != nil || m3.ReplyToMessage != nil {
		t.Fatalf("allow_sending_without_reply: %+v %v", m3, err)
	}

	// Same content and markup: not modified.
	_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: 42, MessageID: 2, Text: "answer", ReplyMarkup: kb})
	wantErr(t, err, "Bad Request: message is not modified")
	_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: 42, MessageID: 99, Text: "y"})
	wantErr(t, err, "message to edit not found")
	_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: 43, MessageID: 2, Text: "y"})
	wantErr(t, err, "message to edit not found")
	_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: 42, MessageID: 1, Text: "y"})
	wantErr(t, err, "message can't be edited")

	// Editing the text without reply_markup removes the keyboard, as Telegram does.
	e, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: 42, MessageID: 2, Text: "<i>done</i>", ParseMode: models.ParseModeHTML})
	if err != nil {
		t.Fatal(err)
	}
	if e.Text != "done" || e.EditDate == 0 || e.ReplyMarkup != nil {
		t.Fatalf("edited = %+v", e)
	}
	s := srv.SentTo(42)
	if len(s) != 2 || s[0].Text != "done" || s[0].Edits != 1 || s[0].Buttons != nil || s[0].ReplyTo != 1 || s[0].Method != "sendMessage" {
		t.Fatalf("SentTo = %+v", s)
	}

	if _, err := b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: 42, MessageID: 2, ReplyMarkup: kb}); err != nil {
		t.Fatal(err)
	}
	_, err = b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: 42, MessageID: 2, ReplyMarkup: kb})
	wantErr(t, err, "message is not modified")
	if got := srv.SentTo(42)[0]; got.Edits != 2 || len(got.Buttons) != 1 || got.Buttons[0][0].Data != "ok" {
		t.Fatalf("after markup edit: %+v", got)
	}

	// A user's reply carries reply_to_message.
	srv.Reply(alice, chat, 2, "thanks")
	ups := updates(t, srv, nil)
	last := ups[len(ups)-1].Message
	if last.Text != "thanks" || last.ReplyToMessage == nil || last.ReplyToMessage.ID != 2 || !last.ReplyToMessage.From.IsBot {
		t.Fatalf("user reply = %+v", last)
	}
	if h := srv.History(42); len(h) != 4 || h[3].Text != "thanks" || h[3].FromBot || h[3].ReplyTo != 2 {
		t.Fatalf("History = %+v", h)
	}

	// deleteMessage and sendChatAction.
	if ok, err := b.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: 42, MessageID: 3}); !ok || err != nil {
		t.Fatalf("deleteMessage: %v", err)
	}
	_, err = b.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: 42, MessageID: 3})
	wantErr(t, err, "message to delete not found")
	if ok, err := b.SendChatAction(ctx, &bot.SendChatActionParams{ChatID: 42, Action: models.ChatActionTyping}); !ok || err != nil {
		t.Fatalf("sendChatAction: %v", err)
	}
	_, err = b.SendChatAction(ctx, &bot.SendChatActionParams{ChatID: 42, Action: "dancing"})
	wantErr(t, err, "wrong parameter action")
}

func TestCallbackQueries(t *testing.T) {
	srv := newServer(t)
	b := newBot(t, srv)
	ctx := testCtx(t)
	chat := telegramtest.Private(alice)
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Yes", CallbackData: "yes"}}}}
	m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: "sure?", ReplyMarkup: kb})
	if err != nil {
		t.Fatal(err)
	}
	id, err := srv.PressButton(alice, chat, m.ID, "Yes")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.PressButton(alice, chat, m.ID, "No"); err == nil {
		t.Fatal("PressButton found a missing button")
	}
	ups := updates(t, srv, nil)
	cq := ups[0].CallbackQuery
	if cq == nil || cq.ID != id || cq.Data != "yes" || cq.From.ID != 42 || cq.Message.Message == nil || cq.Message.Message.Text != "sure?" {
		t.Fatalf("callback update = %+v", ups[0])
	}
	_, err = b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: strings.Repeat("x", 201)})
	wantErr(t, err, "MESSAGE_TOO_LONG")
	if ok, err := b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: strings.Repeat("x", 200), ShowAlert: true}); !ok || err != nil {
		t.Fatalf("answer: %v", err)
	}
	_, err = b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: id})
	wantErr(t, err, "query is too old and response timeout expired or query ID is invalid")
	_, err = b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: "nope"})
	wantErr(t, err, "query ID is invalid")
	cb := srv.Callbacks()
	if len(cb) != 1 || cb[0].QueryID != id || !cb[0].ShowAlert || cb[0].Data != "yes" || cb[0].MessageID != m.ID || cb[0].From.ID != 42 {
		t.Fatalf("Callbacks = %+v", cb)
	}
	// A press on an unknown message arrives as an inaccessible message.
	srv.Press(bob, telegramtest.Private(bob), 77, "stale")
	ups = updates(t, srv, url.Values{"offset": {strconv.FormatInt(ups[len(ups)-1].ID+1, 10)}})
	if mm := ups[0].CallbackQuery.Message; mm.Type != models.MaybeInaccessibleMessageTypeInaccessibleMessage || mm.InaccessibleMessage.MessageID != 77 {
		t.Fatalf("stale press = %+v", mm)
	}
}

func TestUserCommandEntityUTF16(t *testing.T) {
	srv := newServer(t)
	group := telegramtest.Chat{ID: -1001234567890, Type: "supergroup", Title: "Đội ngũ"}
	srv.SendText(alice, group, "Xin chào 😀 /help@steerbot_test_bot now, not/this or /x_1")
	ups := updates(t, srv, nil)
	m := ups[0].Message
	if m.Chat.Type != models.ChatTypeSupergroup || m.Chat.Title != "Đội ngũ" || m.From.LanguageCode != "vi" {
		t.Fatalf("chat = %+v from = %+v", m.Chat, m.From)
	}
	want := []models.MessageEntity{
		{Type: "bot_command", Offset: telegramtest.UTF16Len("Xin chào 😀 "), Length: len("/help@steerbot_test_bot")},
		{Type: "bot_command", Offset: telegramtest.UTF16Len("Xin chào 😀 /help@steerbot_test_bot now, not/this or "), Length: 4},
	}
	if len(m.Entities) != 2 || m.Entities[0] != want[0] || m.Entities[1] != want[1] {
		t.Fatalf("entities = %+v, want %+v", m.Entities, want)
	}
}

func TestRateLimits(t *testing.T) {
	var mu sync.Mutex
	now := time.Unix(1_700_000_000, 0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv := newServer(t,
		telegramtest.WithLimits(telegramtest.Limits{GlobalPerSec: 3, PerChatPerSec: 1, PerGroupPerMin: 20}),
		telegramtest.WithClock(clock))
	b := newBot(t, srv)
	ctx := testCtx(t)
	send := func(chat int64) error {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: chat, Text: "hi"})
		return err
	}
	retryAfter := func(err error) int {
		t.Helper()
		var tmr *bot.TooManyRequestsError
		if !errors.As(err, &tmr) {
			t.Fatalf("want *bot.TooManyRequestsError, got %v", err)
		}
		return tmr.RetryAfter
	}

	if err := send(1); err != nil {
		t.Fatal(err)
	}
	err := send(1) // per chat: 1/s
	if got := retryAfter(err); got != 1 {
		t.Fatalf("retry_after = %d", got)
	}
	wantErr(t, err, "Too Many Requests: retry after 1")
	if err := send(2); err != nil {
		t.Fatal(err)
	}
	if err := send(3); err != nil {
		t.Fatal(err)
	}
	if got := retryAfter(send(4)); got != 1 { // global: burst of 3
		t.Fatalf("global retry_after = %d", got)
	}
	advance(time.Second)
	if err := send(1); err != nil {
		t.Fatalf("after a second: %v", err)
	}
	if err := send(-100); err != nil {
		t.Fatal(err)
	}
	advance(time.Second)
	if got := retryAfter(send(-100)); got != 2 { // group: 20/min, one every 3s
		t.Fatalf("group retry_after = %d", got)
	}
	advance(2 * time.Second)
	if err := send(-100); err != nil {
		t.Fatalf("group after 3s: %v", err)
	}
	if srv.Count429() != 3 || srv.Count("sendMessage") != 9 || len(srv.Sent()) != 6 {
		t.Fatalf("Count429 = %d, Count = %d, Sent = %d", srv.Count429(), srv.Count("sendMessage"), len(srv.Sent()))
	}
	// Raw wire format of a 429.
	advance(-10 * time.Second)
	r := call(t, srv, "sendMessage", url.Values{"chat_id": {"1"}, "text": {"x"}})
	if r.Status != 429 || r.ErrorCode != 429 || r.Parameters.RetryAfter < 1 ||
		r.Description != "Too Many Requests: retry after "+strconv.Itoa(r.Parameters.RetryAfter) {
		t.Fatalf("raw 429 = %+v", r)
	}
}

func TestFaults(t *testing.T) {
	srv := newServer(t)
	b := newBot(t, srv)
	ctx := testCtx(t)
	send := func() error {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 7, Text: "hi"})
		return err
	}

	srv.SetDown(true)
	err := send()
	if err == nil || errors.Is(err, bot.ErrorBadRequest) {
		t.Fatalf("down: %v", err)
	}
	if _, err := bot.New(token, bot.WithServerURL(srv.URL())); err == nil {
		t.Fatal("bot.New succeeded while down")
	}
	resp, err := http.Get(srv.URL() + "/bot" + token + "/getMe")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 502 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(body), "502 Bad Gateway") {
		t.Fatalf("down answer: %d %s", resp.StatusCode, body)
	}
	srv.SetDown(false)
	if err := send(); err != nil {
		t.Fatalf("after recovery: %v", err)
	}

	srv.FailNext("sendMessage", 2, 500, 0)
	wantErr(t, send(), "500 Internal Server Error")
	wantErr(t, send(), "500 Internal Server Error")
	if err := send(); err != nil {
		t.Fatal(err)
	}
	srv.FailNext("SENDMESSAGE", 1, 429, 7)
	var tmr *bot.TooManyRequestsError
	if err := send(); !errors.As(err, &tmr) || tmr.RetryAfter != 7 {
		t.Fatalf("injected 429: %v", err)
	}
	srv.FailNext("", 1, 502, 0)
	if _, err := b.GetMe(ctx); err == nil {
		t.Fatal("injected 502 on any method did not fail")
	}
	if srv.Count("sendMessage") != 6 || srv.Count429() != 1 || len(srv.Sent()) != 2 {
		t.Fatalf("Count = %d, Count429 = %d, Sent = %d", srv.Count("sendMessage"), srv.Count429(), len(srv.Sent()))
	}

	srv.Block(7)
	err = send()
	if !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "Forbidden: bot was blocked by the user") {
		t.Fatalf("blocked: %v", err)
	}
	srv.Block(-5)
	_, err = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: -5, Text: "hi"})
	wantErr(t, err, "bot was kicked from the group chat")
	srv.Unblock(7)
	if err := send(); err != nil {
		t.Fatal(err)
	}
	// Any chat id is accepted.
	m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 987654321, Text: "hello stranger"})
	if err != nil || m.Chat.ID != 987654321 || m.Chat.Type != models.ChatTypePrivate || m.ID != 1 {
		t.Fatalf("unknown chat: %+v %v", m, err)
	}
	_, err = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: "@somechannel", Text: "hi"})
	wantErr(t, err, "chat not found")
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func download(t *testing.T, b *bot.Bot, fileID string) []byte {
	t.Helper()
	f, err := b.GetFile(testCtx(t), &bot.GetFileParams{FileID: fileID})
	if err != nil {
		t.Fatalf("getFile: %v", err)
	}
	if f.FilePath == "" || f.FileID != fileID {
		t.Fatalf("getFile = %+v", f)
	}
	resp, err := http.Get(b.FileDownloadLink(f))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || int64(len(data)) != f.FileSize {
		t.Fatalf("download: %d, %d bytes, file_size %d", resp.StatusCode, len(data), f.FileSize)
	}
	return data
}

func TestDocumentsAndPhotos(t *testing.T) {
	srv := newServer(t)
	b := newBot(t, srv)
	ctx := testCtx(t)
	data := []byte("name,total\nAn,3\nBình,5\n")
	m, err := b.SendDocument(ctx, &bot.SendDocumentParams{
		ChatID:    42,
		Document:  &models.InputFileUpload{Filename: "report.csv", Data: bytes.NewReader(data)},
		Caption:   "<b>Report</b> for today",
		ParseMode: models.ParseModeHTML,
	})
	if err != nil {
		t.Fatal(err)
	}
	d := m.Document
	if d == nil || d.FileName != "report.csv" || d.FileSize != int64(len(data)) || d.FileID == "" || d.FileUniqueID == "" {
		t.Fatalf("document = %+v", d)
	}
	if m.Caption != "Report for today" || len(m.CaptionEntities) != 1 || m.CaptionEntities[0].Type != "bold" {
		t.Fatalf("caption = %q %+v", m.Caption, m.CaptionEntities)
	}
	s := srv.Sent()[0]
	if s.Method != "sendDocument" || s.Document == nil || !bytes.Equal(s.Document.Data, data) || s.Document.Name != "report.csv" || s.Caption != "Report for today" {
		t.Fatalf("recorded = %+v", s)
	}
	if got := download(t, b, d.FileID); !bytes.Equal(got, data) {
		t.Fatalf("download = %q", got)
	}
	// Resend by file_id.
	m2, err := b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: 43, Document: &models.InputFileString{Data: d.FileID}})
	if err != nil || m2.Document.FileID != d.FileID || !bytes.Equal(srv.SentTo(43)[0].Document.Data, data) {
		t.Fatalf("resend by id: %+v %v", m2, err)
	}
	_, err = b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: 42, Document: &models.InputFileString{Data: "nope"}})
	wantErr(t, err, "wrong file identifier/HTTP URL specified")
	_, err = b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: 42, Document: &models.InputFileUpload{Filename: "e.txt", Data: bytes.NewReader(nil)}})
	wantErr(t, err, "file must be non-empty")
	_, err = b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: 42, Caption: strings.Repeat("c", 1025),
		Document: &models.InputFileUpload{Filename: "a.txt", Data: strings.NewReader("a")}})
	wantErr(t, err, "message caption is too long")

	img := pngBytes(t, 3, 2)
	p, err := b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: 42, Photo: &models.InputFileUpload{Filename: "chart.png", Data: bytes.NewReader(img)}, Caption: "chart"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Photo) != 1 || p.Photo[0].Width != 3 || p.Photo[0].Height != 2 || p.Caption != "chart" {
		t.Fatalf("photo = %+v", p.Photo)
	}
	if ph := srv.SentTo(42)[1].Photo; ph == nil || !bytes.Equal(ph.Data, img) || srv.SentTo(42)[1].Method != "sendPhoto" {
		t.Fatalf("recorded photo = %+v", ph)
	}
	_, err = b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: 42, Document: &models.InputFileString{Data: p.Photo[0].FileID}})
	wantErr(t, err, "type of file mismatch")
	if got := download(t, b, p.Photo[0].FileID); !bytes.Equal(got, img) {
		t.Fatal("photo download differs")
	}

	// Files sent by users.
	content := []byte("PK\x03\x04 pretend xlsx")
	id := srv.UploadFile("in.xlsx", content)
	srv.SendDocument(alice, telegramtest.Private(alice), 0, id, "in.xlsx", int64(len(content)), "please check")
	srv.SendPhoto(alice, telegramtest.Private(alice), 0, srv.UploadFile("me.png", img), "me.png", int64(len(img)), "")
	srv.SendDocument(alice, telegramtest.Private(alice), 0, "", "huge.bin", 30<<20, "")
	ups := updates(t, srv, nil)
	ud := ups[0].Message.Document
	if ud == nil || ud.FileID != id || ud.FileName != "in.xlsx" || ud.FileSize != int64(len(content)) || ups[0].Message.Caption != "please check" {
		t.Fatalf("user document = %+v", ups[0].Message)
	}
	if got := download(t, b, id); !bytes.Equal(got, content) {
		t.Fatalf("user file download = %q", got)
	}
	if ph := ups[1].Message.Photo; len(ph) != 1 || ph[0].Width != 3 {
		t.Fatalf("user photo = %+v", ph)
	}
	_, err = b.GetFile(ctx, &bot.GetFileParams{FileID: ups[2].Message.Document.FileID})
	wantErr(t, err, "file is too big")
	_, err = b.GetFile(ctx, &bot.GetFileParams{FileID: "nope"})
	wantErr(t, err, "invalid file_id")
	resp, err := http.Get(srv.URL() + "/file/bot" + token + "/documents/none.txt")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("missing file: %d", resp.StatusCode)
	}
}

func TestCommands(t *testing.T) {
	srv := newServer(t)
	b := newBot(t, srv)
	ctx := testCtx(t)
	cmds := []models.BotCommand{{Command: "start", Description: "Bắt đầu"}, {Command: "report_2", Description: "Report"}}
	if ok, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: cmds}); !ok || err != nil {
		t.Fatalf("setMyCommands: %v", err)
	}
	if ok, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: cmds[:1], Scope: &models.BotCommandScopeChat{ChatID: 42}, LanguageCode: "vi"}); !ok || err != nil {
		t.Fatalf("setMyCommands chat: %v", err)
	}
	if got := srv.Commands("default"); len(got) != 2 || got[0].Command != "start" || got[0].Description != "Bắt đầu" {
		t.Fatalf("Commands(default) = %+v", got)
	}
	if got := srv.Commands("chat:42/vi"); len(got) != 1 {
		t.Fatalf("Commands(chat:42/vi) = %+v", got)
	}
	got, err := b.GetMyCommands(ctx, &bot.GetMyCommandsParams{})
	if err != nil || len(got) != 2 || got[1].Command != "report_2" {
		t.Fatalf("getMyCommands = %+v %v", got, err)
	}
	for _, bad := range []string{"Start", "", "with space", strings.Repeat("a", 33), "emoji😀"} {
		_, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: []models.BotCommand{{Command: bad, Description: "d"}}})
		wantErr(t, err, "BOT_COMMAND_INVALID")
	}
	_, err = b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "ok", Description: ""}}})
	wantErr(t, err, "BOT_COMMAND_DESCRIPTION_INVALID")
	many := make([]models.BotCommand, 101)
	for i := range many {
		many[i] = models.BotCommand{Command: "c" + strconv.Itoa(i), Description: "d"}
	}
	_, err = b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: many})
	wantErr(t, err, "BOT_COMMANDS_TOO_MUCH")
	if _, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: many[:100], Scope: &models.BotCommandScopeAllGroupChats{}}); err != nil {
		t.Fatalf("100 commands refused: %v", err)
	}
	if ok, err := b.DeleteMyCommands(ctx, &bot.DeleteMyCommandsParams{}); !ok || err != nil {
		t.Fatalf("deleteMyCommands: %v", err)
	}
	if len(srv.Commands("")) != 0 || len(srv.Commands("all_group_chats")) != 100 {
		t.Fatalf("after delete: %d default, %d group", len(srv.Commands("")), len(srv.Commands("all_group_chats")))
	}
}

func TestOtherEncodings(t *testing.T) {
	srv := newServer(t)
	srv.SendText(alice, telegramtest.Private(alice), "hi") // message 1

	// JSON body with the legacy reply_to_message_id parameter.
	body := `{"chat_id":42,"text":"json","reply_to_message_id":1,"reply_markup":{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]}}`
	resp, err := http.Post(srv.URL()+"/bot"+token+"/sendMessage", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("JSON body: %d", resp.StatusCode)
	}
	// Query string on a GET, with a case-insensitive method name.
	resp, err = http.Get(srv.URL() + "/bot" + token + "/SENDMESSAGE?chat_id=42&text=query")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	sent := srv.SentTo(42)
	if resp.StatusCode != 200 || len(sent) != 2 || sent[0].ReplyTo != 1 || sent[0].Buttons[0][0].Data != "a" || sent[1].Text != "query" {
		t.Fatalf("sent = %+v", sent)
	}
}
