package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"steerbot/bot"
	"steerbot/bot/telegramtest"
	"steerbot/reminders"
	"steerbot/storage"
	"steerbot/tasks"
	"steerbot/tasks/taskstest"
)

// token is the bot token every test uses; the fake server accepts any.
const token = "123:e2e"

// committeeChat is the committee's supergroup: escalations and digests go
// there, under the per-group limit.
const committeeChat int64 = -1001234567890

// Telegram's limits, and the same scaled up ten times so that a fan-out of
// hundreds of messages runs in a couple of seconds. The outbox and the fake
// server are always given the same values.
var (
	telegramLimits = reminders.Limits{GlobalPerSec: 30, PerChatPerSec: 1, PerGroupPerMin: 20}
	scaledLimits   = reminders.Limits{GlobalPerSec: 300, PerChatPerSec: 10, PerGroupPerMin: 200}
)

// serverLimits converts outbox limits to the fake server's.
func serverLimits(l reminders.Limits) telegramtest.Limits {
	return telegramtest.Limits{GlobalPerSec: l.GlobalPerSec, PerChatPerSec: l.PerChatPerSec, PerGroupPerMin: l.PerGroupPerMin}
}

// hcm is the committee's time zone.
func hcm(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		tb.Fatalf("load location: %v", err)
	}
	return loc
}

// monday is a working Monday morning, outside quiet hours.
func monday(loc *time.Location) time.Time { return time.Date(2023, 10, 16, 9, 0, 0, 0, loc) }

// The committee of the tests has units U0000, U0001, …, each with one head
// (Telegram id headID(i)) and one open task NV-0000, NV-0001, ….
func unitCode(i int) string { return fmt.Sprintf("U%04d", i) }
func taskCode(i int) string { return fmt.Sprintf("NV-%04d", i) }
func headID(i int) int64    { return 100_000 + int64(i) }

// head is the Telegram user of unit i's head.
func head(i int) telegramtest.User {
	return telegramtest.User{ID: headID(i), FirstName: fmt.Sprintf("Head %d", i), LanguageCode: "vi"}
}

// openStore opens the database at path and closes it when the test ends
// (closing twice is harmless).
func openStore(tb testing.TB, path string) *storage.Store {
	tb.Helper()
	st, err := storage.Open(path)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// seedHeads adds n units, a head for each and an open task for each,
// straight through the store, as an import would.
func seedHeads(tb testing.TB, st tasks.Store, loc *time.Location, n int) {
	tb.Helper()
	now := monday(loc).AddDate(0, 0, -14)
	err := st.Update(context.Background(), func(tx tasks.Tx) error {
		for i := range n {
			u := tasks.Unit{Code: unitCode(i), Name: fmt.Sprintf("Đơn vị %d", i)}
			if err := tx.PutUnit(u); err != nil {
				return err
			}
			m := tasks.Member{Name: fmt.Sprintf("Thủ trưởng %d", i), Role: tasks.RoleUnitHead, Unit: u.Code, TelegramID: headID(i)}
			if err := tx.PutMember(&m); err != nil {
				return err
			}
			t := tasks.Task{
				Code: taskCode(i), Title: fmt.Sprintf("Nhiệm vụ số %d", i), Unit: u.Code, Group: "Kế hoạch CCHC 2023",
				Deadline: tasks.Date{Year: 2023, Month: 12, Day: 31}, Status: tasks.InProgress, Progress: 10,
				Created: now, Updated: now,
			}
			if err := tx.PutTask(t); err != nil {
				return err
			}
			up := tasks.Update{Task: t.Code, At: now, Via: tasks.ViaImport, NewStatus: t.Status, NewProgress: t.Progress, NewDeadline: t.Deadline}
			if err := tx.AddUpdate(&up); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("seed %d heads: %v", n, err)
	}
}

// newBot starts the real bot on st against the Bot API at apiURL.
func newBot(tb testing.TB, st tasks.Store, loc *time.Location, apiURL string, opts ...func(*bot.Options)) *bot.Bot {
	tb.Helper()
	o := bot.Options{
		Token: token, APIURL: apiURL, Store: st, Loc: loc,
		Clock: taskstest.NewClock(monday(loc)),
		Lang:  "vi", CommitteeName: "Ban chỉ đạo CCHC", CommitteeChatID: committeeChat,
		PollTimeout: time.Second,
	}
	for _, f := range opts {
		f(&o)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := bot.New(ctx, o)
	if err != nil {
		tb.Fatalf("bot.New: %v", err)
	}
	return b
}

// remindAll queues, through the scheduler's /remind path, one reminder to
// every unit head, and returns how many it queued.
func remindAll(tb testing.TB, st tasks.Store, b *bot.Bot, loc *time.Location) int {
	tb.Helper()
	clock := taskstest.NewClock(monday(loc))
	sched, err := reminders.NewScheduler(st, b, loc, reminders.Rules{}, reminders.WithSchedulerClock(clock))
	if err != nil {
		tb.Fatalf("new scheduler: %v", err)
	}
	var n int
	if err := st.Update(context.Background(), func(tx tasks.Tx) error {
		n, err = sched.RemindNow(tx, "", "remind:e2e")
		return err
	}); err != nil {
		tb.Fatalf("remind all: %v", err)
	}
	return n
}

// checkOnePerHead fails unless each of the n heads got exactly one
// message, and it names that head's own task.
func checkOnePerHead(tb testing.TB, srv *telegramtest.Server, n int) {
	tb.Helper()
	bad := 0
	for i := range n {
		got := srv.SentTo(headID(i))
		switch {
		case len(got) != 1:
			tb.Errorf("head %d got %d messages, want 1", i, len(got))
		case !strings.Contains(got[0].Text, taskCode(i)):
			tb.Errorf("head %d got %q, want a reminder of %s", i, got[0].Text, taskCode(i))
		default:
			continue
		}
		if bad++; bad == 10 {
			tb.Fatalf("giving up after %d heads", bad)
		}
	}
}

// outbox returns every message the outbox holds, in any state, in the order
// they were queued (ids count up from 1 in a new database).
func outbox(tb testing.TB, st tasks.Store) []tasks.OutMessage {
	tb.Helper()
	var out []tasks.OutMessage
	err := st.View(context.Background(), func(tx tasks.Tx) error {
		for id := uint64(1); ; id++ {
			m, err := tx.OutMessage(id)
			if tasks.IsNotFound(err) {
				return nil
			}
			if err != nil {
				return err
			}
			out = append(out, m)
		}
	})
	if err != nil {
		tb.Fatalf("read outbox: %v", err)
	}
	return out
}

// countStates counts the outbox's messages by state.
func countStates(ms []tasks.OutMessage) map[tasks.OutState]int {
	c := map[tasks.OutState]int{}
	for _, m := range ms {
		c[m.State]++
	}
	return c
}

// runOutbox runs o.Run until the test ends or stop is called; stop waits
// for Run to return.
func runOutbox(tb testing.TB, o *reminders.Outbox) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- o.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				tb.Errorf("outbox run: %v", err)
			}
		})
	}
	tb.Cleanup(stop)
	return stop
}

// waitCtx bounds a wait on the fake server.
func waitCtx(tb testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	tb.Cleanup(cancel)
	return ctx
}

// fakeClock is the outbox's clock in tests that must not wait: After moves
// the time forward by d at once.
type fakeClock = taskstest.Clock // made with taskstest.NewSkippingClock

// hit is one Bot API request that went through a proxy.
type hit struct {
	method     string
	chatID     int64 // the chat_id parameter of a sendMessage request
	status     int
	start, end time.Time // when the proxy received it and when it had answered
}

// proxy is a reverse proxy in front of the fake Telegram that records
// every request with its times and status, and can hold back a sendMessage
// request: after holdAfter of them went through (never when negative), the
// next one is not forwarded but kept waiting until its client goes away.
// held is closed when that happens.
type proxy struct {
	srv       *httptest.Server
	rp        *httputil.ReverseProxy
	holdAfter int
	held      chan struct{}
	release   chan struct{}

	mu       sync.Mutex
	hits     []hit
	changed  chan struct{} // closed and replaced at every new hit
	sends    int
	heldOnce sync.Once
}

func newProxy(tb testing.TB, target string, holdAfter int) *proxy {
	tb.Helper()
	u, err := url.Parse(target)
	if err != nil {
		tb.Fatalf("proxy target: %v", err)
	}
	p := &proxy{rp: httputil.NewSingleHostReverseProxy(u), holdAfter: holdAfter, held: make(chan struct{}), release: make(chan struct{}), changed: make(chan struct{})}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	tb.Cleanup(func() {
		close(p.release) // a held request must not keep Close waiting
		p.srv.Close()
	})
	return p
}

func (p *proxy) URL() string { return p.srv.URL }

func (p *proxy) serve(w http.ResponseWriter, r *http.Request) {
	method := path.Base(r.URL.Path)
	var chatID int64
	if method == "sendMessage" {
		// Read the body whole, for its chat_id and because net/http
		// notices a client that went away only once the body is consumed;
		// the fake Telegram gets a copy.
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		chatID = formChatID(r.Header.Get("Content-Type"), body)
		p.mu.Lock()
		p.sends++
		hold := p.holdAfter >= 0 && p.sends > p.holdAfter
		p.mu.Unlock()
		if hold {
			p.heldOnce.Do(func() { close(p.held) })
			select {
			case <-r.Context().Done():
			case <-p.release:
			}
			return
		}
	}
	rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	start := time.Now()
	p.rp.ServeHTTP(rec, r)
	end := time.Now()
	p.mu.Lock()
	p.hits = append(p.hits, hit{method: method, chatID: chatID, status: rec.status, start: start, end: end})
	close(p.changed)
	p.changed = make(chan struct{})
	p.mu.Unlock()
}

// waitHits blocks until cond holds for the requests answered so far,
// re-evaluating it at every new one.
func (p *proxy) waitHits(ctx context.Context, cond func([]hit) bool) error {
	for {
		p.mu.Lock()
		hits, ch := slices.Clone(p.hits), p.changed
		p.mu.Unlock()
		if cond(hits) {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// formChatID returns the chat_id of a Bot API request body, 0 when it has
// none. The client sends multipart forms; URL-encoded ones are read too.
func formChatID(contentType string, body []byte) int64 {
	var v string
	mt, params, err := mime.ParseMediaType(contentType)
	switch {
	case err != nil:
		return 0
	case strings.HasPrefix(mt, "multipart/"):
		form, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).ReadForm(int64(len(body)) + 1024)
		if err != nil {
			return 0
		}
		defer form.RemoveAll()
		if vs := form.Value["chat_id"]; len(vs) > 0 {
			v = vs[0]
		}
	default:
		q, err := url.ParseQuery(string(body))
		if err != nil {
			return 0
		}
		v = q.Get("chat_id")
	}
	id, _ := strconv.ParseInt(v, 10, 64)
	return id
}

// sends returns the recorded sendMessage requests in the order they were
// answered.
func (p *proxy) sendHits() []hit {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []hit
	for _, h := range p.hits {
		if h.method == "sendMessage" {
			out = append(out, h)
		}
	}
	return out
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
