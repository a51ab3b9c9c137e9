package telegramtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"steerbot/bot/telegramtest"
)

const token = "123:TEST"

var (
	alice = telegramtest.User{ID: 42, FirstName: "Alice", Username: "alice", LanguageCode: "vi"}
	bob   = telegramtest.User{ID: 43, FirstName: "Bob", Username: "bob"}
)

func newServer(t *testing.T, opts ...telegramtest.Option) *telegramtest.Server {
	t.Helper()
	srv := telegramtest.New(opts...)
	t.Cleanup(srv.Close)
	return srv
}

func newBot(t *testing.T, srv *telegramtest.Server, opts ...bot.Option) *bot.Bot {
	t.Helper()
	all := []bot.Option{
		bot.WithServerURL(srv.URL()),
		bot.WithSkipGetMe(),
		bot.WithErrorsHandler(func(error) {}),
		// Handlers run inside Start's workers, so stopping the bot waits for them.
		bot.WithNotAsyncHandlers(),
		// Long polls of one second keep the tests fast.
		bot.WithHTTPClient(2*time.Second, &http.Client{Timeout: 10 * time.Second}),
	}
	b, err := bot.New(token, append(all, opts...)...)
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return b
}

// startBot runs b.Start until the test ends (before the server closes).
func startBot(t *testing.T, b *bot.Bot) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { b.Start(ctx) })
	t.Cleanup(func() { cancel(); wg.Wait() })
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func wantErr(t *testing.T, err error, substr string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error containing %q, got nil", substr)
	}
	if !strings.Contains(err.Error(), substr) {
		t.Fatalf("want error containing %q, got %v", substr, err)
	}
}

// handlerErr reports an error from inside a bot handler unless the bot is
// being stopped.
func handlerErr(ctx context.Context, t *testing.T, what string, err error) {
	t.Helper()
	if err != nil && ctx.Err() == nil {
		t.Errorf("%s: %v", what, err)
	}
}

type rawResponse struct {
	Status      int
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// call invokes a method with a form-encoded body, bypassing the client.
func call(t *testing.T, srv *telegramtest.Server, method string, params url.Values) rawResponse {
	t.Helper()
	resp, err := http.PostForm(srv.URL()+"/bot"+token+"/"+method, params)
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	defer resp.Body.Close()
	var r rawResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("%s: decode: %v", method, err)
	}
	r.Status = resp.StatusCode
	return r
}

// updates fetches queued updates through a raw getUpdates call and decodes
// them with the client's models.
func updates(t *testing.T, srv *telegramtest.Server, params url.Values) []models.Update {
	t.Helper()
	r := call(t, srv, "getUpdates", params)
	if !r.OK {
		t.Fatalf("getUpdates: %d %s", r.ErrorCode, r.Description)
	}
	var ups []models.Update
	if err := json.Unmarshal(r.Result, &ups); err != nil {
		t.Fatalf("decode updates: %v\n%s", err, r.Result)
	}
	return ups
}
