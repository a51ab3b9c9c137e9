package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"

	"steerbot/tasks"
)

// Reminding sends reminders on demand; the scheduler implements it.
type Reminding interface {
	// RemindNow enqueues, in tx, the reminders of one unit ("" for all) to
	// its heads and delegates, keyed under keyPrefix; it returns how many.
	RemindNow(tx tasks.RosterTx, unit string, keyPrefix string) (int, error)
}

// Options configures a Bot. Store, Loc and Token are required.
type Options struct {
	Token           string
	APIURL          string // Bot API server; empty for Telegram's
	Store           tasks.Store
	Policy          tasks.Policy
	Loc             *time.Location
	Clock           tasks.Clock
	Logger          *slog.Logger
	Lang            string // the committee's language, "vi" or "en"
	CommitteeName   string
	CommitteeChatID int64
	DueSoonDays     int                                                                                                    // open tasks with fewer days left than this count as due soon; 0 for none
	Kick            func()                                                                                                 // wakes the outbox sender after a commit
	Reminders       Reminding                                                                                              // nil: /remind says it is unavailable
	Assistant       tasks.Assistant                                                                                        // nil: the LLM is off
	Export          func(ts []tasks.Task, inds []tasks.IndicatorStanding, units []tasks.Unit, lang string) ([]byte, error) // the XLSX for /export
	Files           tasks.TaskFiles                                                                                        // import from chat and /template; nil: both off
	Report          ReportFunc                                                                                             // the DOCX or PDF for /report; nil: unavailable
	HTTPClient      *http.Client
	PollTimeout     time.Duration // long-poll timeout of getUpdates; default 25s
	InviteTTL       time.Duration // default 72h
	// OnUpdate, when set, is called after each update is handled, with its
	// command ("" for none) and result: for metrics and tests.
	OnUpdate func(kind, command, result string, took time.Duration)
	// AfterChange, when set, is called after a meeting was added or
	// removed, so the scheduler can act at once.
	AfterChange func()
	// DashboardLink, when set, stores a one-time link to the dashboard for
	// m in tx and returns its URL (/dashboard); nil: the dashboard is off.
	DashboardLink func(tx tasks.DashStore, m tasks.Member, now time.Time) (string, error)
	// DashboardURL is the dashboard's public https URL, opened as a Mini
	// App from a button in private chats; empty for link buttons only.
	DashboardURL string
}

// Bot is the Telegram side of steerbot.
type Bot struct {
	o        Options
	client   *tgbot.Bot
	username string
	sign     signer
	log      *slog.Logger

	assistKick chan struct{}
	inboxKick  chan struct{}

	mu      sync.Mutex // serialises update handling
	lastOK  time.Time
	lastErr error
	// failingSince is when calls began to fail (zero while they work).
	failingSince time.Time
	okMu         sync.Mutex
}

// ErrTokenRejected is returned by Connect when Telegram refuses the token
// (401 Unauthorized, or 404 for a token of the wrong shape): retrying
// cannot help.
var ErrTokenRejected = errors.New("Telegram rejected the bot token")

// New prepares the bot (Prepare) and connects to the Bot API (Connect). It
// does not start polling.
func New(ctx context.Context, o Options) (*Bot, error) {
	b, err := Prepare(ctx, o)
	if err != nil {
		return nil, err
	}
	if err := b.Connect(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

// Prepare makes the bot without calling Telegram: Connect must succeed
// before it polls or serves a webhook.
func Prepare(ctx context.Context, o Options) (*Bot, error) {
	if o.Store == nil || o.Loc == nil || o.Token == "" {
		return nil, errors.New("bot: store, location and token are required")
	}
	if o.Clock == nil {
		o.Clock = tasks.SystemClock
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Lang != "en" {
		o.Lang = "vi"
	}
	if o.PollTimeout <= 0 {
		o.PollTimeout = 25 * time.Second
	}
	if o.InviteTTL <= 0 {
		o.InviteTTL = 72 * time.Hour
	}
	if o.DueSoonDays < 0 {
		o.DueSoonDays = 0 // 0: no task counts as due soon
	}
	if o.Kick == nil {
		o.Kick = func() {}
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: o.PollTimeout + 10*time.Second}
	}
	b := &Bot{o: o, log: o.Logger, assistKick: make(chan struct{}, 1), inboxKick: make(chan struct{}, 1)}
	opts := []tgbot.Option{
		tgbot.WithSkipGetMe(),
		tgbot.WithNotAsyncHandlers(),
		tgbot.WithDefaultHandler(b.dispatch),
		tgbot.WithHTTPClient(o.PollTimeout, o.HTTPClient),
		tgbot.WithErrorsHandler(func(err error) { b.log.Warn("telegram client", "err", err) }),
	}
	if o.APIURL != "" {
		opts = append(opts, tgbot.WithServerURL(o.APIURL))
	}
	c, err := tgbot.New(o.Token, opts...)
	if err != nil {
		return nil, fmt.Errorf("telegram client: %w", err)
	}
	b.client = c
	if err := o.Store.Update(ctx, func(tx tasks.Tx) error {
		k, err := loadKey(tx)
		b.sign = signer{key: k}
		return err
	}); err != nil {
		return nil, err
	}
	return b, nil
}

// Connect calls getMe until it succeeds, retrying network errors and
// Telegram's 5xx with a backoff on the clock, until ctx ends. A token that
// Telegram refuses is ErrTokenRejected at once.
func (b *Bot) Connect(ctx context.Context) error {
	for wait := 500 * time.Millisecond; ; wait = min(wait*2, 30*time.Second) {
		me, err := b.client.GetMe(ctx)
		b.noteCall(err)
		if err == nil {
			b.username = me.Username
			return nil
		}
		switch {
		case errors.Is(err, tgbot.ErrorUnauthorized):
			return fmt.Errorf("%w (401 Unauthorized: wrong or revoked)", ErrTokenRejected)
		case errors.Is(err, tgbot.ErrorNotFound):
			return fmt.Errorf("%w (404 Not Found: not a bot token)", ErrTokenRejected)
		}
		b.log.Warn("getMe failed; retrying", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return fmt.Errorf("getMe: %w", err)
		case <-b.o.Clock.After(wait):
		}
	}
}

// after waits n seconds on the clock.
func (b *Bot) after(n int) <-chan time.Time { return b.o.Clock.After(time.Duration(n) * time.Second) }

// ChartTexts are the texts of the progress chart in one language.
type ChartTexts struct {
	Subtitle, Axis                                  string
	Done, InProgress, NotStarted, Awaiting, Overdue string
	// Indicators is the indicators' line, "Chỉ tiêu: 17/28 đạt, 4 chưa
	// đạt, 7 chưa có số liệu kỳ này"; "" when the committee has none.
	Indicators string
}

// ChartTextsFor returns the chart's texts in lang; the subtitle says what the
// chart shows and as of which day, the indicators' line what ind counts.
func ChartTextsFor(lang string, day tasks.Date, ind tasks.IndicatorSummary) ChartTexts {
	return ChartTexts{
		Indicators: chartIndicators(lang, ind),
		Subtitle:   text(lang, "chart_subtitle", day.VN()),
		Axis:       text(lang, "chart_axis"),
		Done:       text(lang, "chart_done"),
		InProgress: text(lang, "chart_in_progress"),
		NotStarted: text(lang, "chart_not_started"),
		Awaiting:   text(lang, "chart_awaiting"),
		Overdue:    text(lang, "chart_overdue"),
	}
}

// Username returns the bot's Telegram username, from getMe.
func (b *Bot) Username() string { return b.username }

// noteCall records the outcome of a Telegram call for health checks.
func (b *Bot) noteCall(err error) {
	b.okMu.Lock()
	defer b.okMu.Unlock()
	if err == nil {
		b.lastOK = b.o.Clock.Now()
		b.lastErr = nil
		b.failingSince = time.Time{}
		return
	}
	if b.lastErr == nil {
		b.failingSince = b.o.Clock.Now()
	}
	b.lastErr = err
}

// Health reports when a Telegram call last succeeded, the last error since
// then (nil when the last call succeeded) and since when calls fail.
func (b *Bot) Health() (lastOK time.Time, lastErr error, failingSince time.Time) {
	b.okMu.Lock()
	defer b.okMu.Unlock()
	return b.lastOK, b.lastErr, b.failingSince
}
