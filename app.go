package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"steerbot/bot"
	"steerbot/chart"
	"steerbot/dashboard"
	"steerbot/llm"
	"steerbot/reminders"
	"steerbot/storage"
	"steerbot/taskfile"
	"steerbot/tasks"
)

// Main is the running bot: the configuration wired into storage, the
// Telegram side, the outbox, the scheduler and the HTTP listener. Tests and
// the demo use it as `steerbot run` does.
type Main struct {
	Config *Config
	Logger *slog.Logger
	// Clock replaces the real clock (the demo and tests): the committee's
	// time, and what every retry, ticker and scheduled backup waits on.
	// The outbox then reads the same time running on in real time, so
	// that its rate limits refill.
	Clock tasks.Clock
	// HTTPClient is used for Telegram calls; nil for the default.
	HTTPClient *http.Client
	// PollTimeout is getUpdates' long-poll timeout; 0 for 25s.
	PollTimeout time.Duration

	Store     *storage.Store
	Bot       *bot.Bot
	Outbox    *reminders.Outbox
	Scheduler *reminders.Scheduler
	Assistant *llm.Client
	Metrics   *Metrics
	Dashboard *dashboard.Server // nil unless dashboard.listen is set

	httpLn   net.Listener
	httpSrv  *http.Server
	hookLn   net.Listener
	hookSrv  *http.Server
	dashLn   net.Listener
	closeMu  sync.Mutex
	closed   bool
	tickMeet chan struct{}
	// adminToken guards the listener's backup, export and digest;
	// tokenFile is where it was written (removed by Close).
	adminToken string
	tokenFile  string
}

// Open opens the database, applies the configuration's units and members,
// builds the outbox, the scheduler and the bot, opens the HTTP listener
// and then connects to Telegram (getMe, retried while Telegram cannot be
// reached: /healthz says so meanwhile, and the command line reaches the
// bot). A token Telegram refuses is bot.ErrTokenRejected.
func (m *Main) Open(ctx context.Context) error {
	cfg := m.Config
	if m.Logger == nil {
		m.Logger = slog.New(slog.DiscardHandler)
	}
	clockSet := m.Clock != nil
	if !clockSet {
		m.Clock = tasks.SystemClock
	}
	st, err := storage.Open(cfg.Storage.Path, storage.WithClock(m.Clock))
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	m.Store = st
	if err := bootstrap(ctx, st, cfg, m.Clock.Now(), m.Logger); err != nil {
		return err
	}
	m.Metrics = NewMetrics()
	m.tickMeet = make(chan struct{}, 1)
	policy := committeePolicy(cfg)
	var assistant tasks.Assistant
	if cfg.LLM.Enabled {
		a, err := llm.New(llm.Config{
			BaseURL: cfg.LLM.BaseURL, Model: cfg.LLM.Model, APIKey: cfg.LLM.APIKey,
			Timeout: cfg.LLM.Timeout.Duration, MaxTokens: cfg.LLM.MaxTokens, DailyTokenBudget: cfg.LLM.DailyTokenBudget,
			Clock: m.Clock.Now, Loc: cfg.Location, Logger: m.Logger, Ledger: storeLedger{st},
		})
		if err != nil {
			return fmt.Errorf("llm: %w", err)
		}
		m.Assistant, assistant = a, a
	}
	rules := reminders.Rules{
		Weekly: cfg.Reminders.Weekly, Overdue: cfg.Reminders.Overdue, DueSoonDays: cfg.Reminders.DueSoonDays,
		EscalateAfterDays: cfg.Reminders.EscalateAfterDays, QuietFrom: cfg.Reminders.QuietFrom, QuietTo: cfg.Reminders.QuietTo,
		Holidays: cfg.Reminders.HolidayDates, BeforeMeeting: cfg.Digest.BeforeMeeting.Duration,
		Chase:      cfg.Reminders.Chase,
		Indicators: cfg.Reminders.Indicators,
	}

	// The outbox and the scheduler first, the bot with them, and then the
	// bot is what the two hand their work to.
	outboxClock := m.Clock
	if clockSet {
		outboxClock = &runningClock{base: m.Clock, start: time.Now()}
	}
	m.Outbox = reminders.NewOutbox(st, nil,
		reminders.WithOutboxClock(outboxClock),
		reminders.WithOutboxLogger(m.Logger),
		reminders.WithLimits(reminders.Limits{GlobalPerSec: cfg.Telegram.Rate.GlobalPerSec, PerChatPerSec: cfg.Telegram.Rate.PerChatPerSec, PerGroupPerMin: cfg.Telegram.Rate.PerGroupPerMin}),
		reminders.WithQuiet(rules.Quiet(cfg.Location)),
	)
	lang := cfg.Committee.Language
	sopts := []reminders.SchedulerOption{
		reminders.WithSchedulerClock(m.Clock), reminders.WithSchedulerLogger(m.Logger),
		reminders.WithKick(m.Outbox.Kick), reminders.WithPolicy(policy),
		reminders.WithChart(func(d tasks.Digest) ([]byte, error) { return progressChart(d, cfg.Committee.Name, cfg.Location, lang) }),
	}
	if assistant != nil {
		sopts = append(sopts, reminders.WithNarrate(func(ctx context.Context, d tasks.Digest) string {
			n, err := assistant.Narrate(ctx, d, lang)
			if err != nil {
				m.Logger.Warn("narrative dropped", "err", err)
				return ""
			}
			return n
		}))
	}
	m.Scheduler, err = reminders.NewScheduler(st, nil, cfg.Location, rules, sopts...)
	if err != nil {
		return fmt.Errorf("reminders: %w", err)
	}
	if err := m.openDashboard(policy); err != nil {
		return err
	}
	m.Bot, err = bot.Prepare(ctx, bot.Options{
		Token: cfg.Telegram.Token, APIURL: cfg.Telegram.APIURL, Store: st, Policy: policy,
		Loc: cfg.Location, Clock: m.Clock, Logger: m.Logger, Lang: cfg.Committee.Language,
		CommitteeName: cfg.Committee.Name, CommitteeChatID: cfg.Committee.ChatID, DueSoonDays: dueSoon(cfg),
		Kick: m.Outbox.Kick, Reminders: m.Scheduler, Assistant: assistant,
		Export: func(ts []tasks.Task, inds []tasks.IndicatorStanding, us []tasks.Unit, lang string) ([]byte, error) {
			var buf bytesBuffer
			err := exportOf(cfg, lang, m.Clock.Now()).WriteAll(&buf, taskfile.XLSX, ts, inds, us)
			return buf.Bytes(), err
		},
		Files:      taskfile.Files{},
		Report:     m.chatReport,
		HTTPClient: m.HTTPClient, PollTimeout: m.PollTimeout,
		OnUpdate: m.Metrics.ObserveUpdate, AfterChange: m.poke,
		DashboardLink: m.dashboardLink(), DashboardURL: cfg.Dashboard.URL,
	})
	if err != nil {
		return fmt.Errorf("telegram: %w", err)
	}
	m.Outbox.Sender = m.Bot
	m.Scheduler.Notifier = countingNotifier{m.Bot, m.Metrics}
	m.Metrics.Bind(m)

	// The listener is up before Telegram answers: /healthz tells why the
	// bot is not ready, and the command line can reach it.
	if cfg.HTTP.Listen != "" {
		if err := m.startHTTP(); err != nil {
			return err
		}
	}
	if err := m.Bot.Connect(ctx); err != nil {
		if errors.Is(err, bot.ErrTokenRejected) {
			return err
		}
		return fmt.Errorf("telegram: %w", err)
	}
	return nil
}

// runningClock is a set clock that runs on in real time from where it was
// set, with real timers: what the outbox needs when the committee's clock
// is not the system's.
type runningClock struct {
	base  tasks.Clock
	start time.Time
}

// Now returns the set time plus the real time elapsed since start.
func (c *runningClock) Now() time.Time { return c.base.Now().Add(time.Since(c.start)) }

// After waits in real time.
func (c *runningClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// poke runs the scheduler soon after a change that may make something due
// at once (a meeting added after its digest time).
func (m *Main) poke() {
	select {
	case m.tickMeet <- struct{}{}:
	default:
	}
}

// progressChart draws the progress of every unit: the committee's name as
// the title, the day of the digest under it, then the indicators' line.
func progressChart(d tasks.Digest, committee string, loc *time.Location, lang string) ([]byte, error) {
	bars := make([]chart.Bar, 0, len(d.Scorecard))
	for _, s := range d.Scorecard {
		bars = append(bars, chart.Bar{Label: s.Unit.Name, Done: s.Done, InProgress: s.InProgress(),
			NotStarted: s.NotStarted, Awaiting: s.Awaiting, Overdue: s.Overdue})
	}
	t := bot.ChartTextsFor(lang, tasks.DateOf(d.At, loc), d.Indicators)
	return chart.Render(bars, chart.Options{
		Title: committee, Subtitle: t.Subtitle, Note: t.Indicators, AxisLabel: t.Axis,
		Legend: chart.Legend{Done: t.Done, InProgress: t.InProgress, NotStarted: t.NotStarted, Awaiting: t.Awaiting, Overdue: t.Overdue},
	})
}

// Run runs the bot until ctx ends: the update path (polling or webhook),
// the outbox sender, the scheduler, the assistant worker, backups and the
// HTTP listener.
func (m *Main) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := m.Bot.SetCommands(ctx); err != nil {
		m.Logger.Warn("setMyCommands", "err", err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	goRun := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil && !errors.Is(err, context.Canceled) {
				errs <- fmt.Errorf("%s: %w", name, err)
				cancel()
			}
		}()
	}
	goRun("outbox", m.Outbox.Run)
	goRun("scheduler", m.Scheduler.Run)
	goRun("meetings", m.watchMeetings)
	goRun("assistant", func(ctx context.Context) error { m.Bot.RunAssistant(ctx); return nil })
	if m.Config.Storage.BackupDir != "" {
		goRun("backups", m.runBackups)
	}
	if m.Dashboard != nil {
		goRun("dashboard", m.runDashboard)
	}
	if m.Config.Telegram.Mode == "webhook" {
		goRun("webhook", m.runWebhook)
	} else {
		goRun("updates", m.Bot.Poll)
	}
	<-ctx.Done()
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

// watchMeetings ticks the scheduler when a change asks for it.
func (m *Main) watchMeetings(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-m.tickMeet:
			if err := m.Scheduler.Tick(ctx); err != nil {
				m.Logger.Warn("scheduler tick", "err", err)
			}
		}
	}
}

// Close stops the listeners and closes the database.
func (m *Main) Close() error {
	m.closeMu.Lock()
	defer m.closeMu.Unlock()
	if m.closed {
		return nil
	}
	m.closed = true
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if m.httpSrv != nil {
		_ = m.httpSrv.Shutdown(ctx)
	}
	m.removeTokenFile()
	if m.hookSrv != nil {
		_ = m.hookSrv.Shutdown(ctx)
	}
	if m.dashLn != nil {
		_ = m.dashLn.Close() // already closed when Run served on it
	}
	if m.Store != nil {
		return m.Store.Close()
	}
	return nil
}

// bootstrap applies the configuration's units and members to the store:
// units are created or renamed; members are matched by Telegram id (or by
// name and role when not linked yet) and created when new. A member that
// the list held at the last start and no longer holds is removed
// (tasks.RemoveMember), and the log says so; one removed in chat stays
// removed even while the list still names them.
func bootstrap(ctx context.Context, st tasks.Store, cfg *Config, now time.Time, log *slog.Logger) error {
	var removed []tasks.Member
	err := st.Update(ctx, func(tx tasks.Tx) error {
		for _, u := range cfg.Units {
			old, err := tx.Unit(u.Code)
			if err == nil && old.Name == u.Name {
				continue
			}
			if err != nil && !tasks.IsNotFound(err) {
				return err
			}
			if err := tx.PutUnit(tasks.Unit{Code: u.Code, Name: u.Name}); err != nil {
				return fmt.Errorf("unit %s: %w", u.Code, err)
			}
		}
		existing, err := tx.Members()
		if err != nil {
			return err
		}
		listed := make(map[int64]bool, len(cfg.Members))
	members:
		for _, c := range cfg.Members {
			m := tasks.Member{Name: c.Name, Role: tasks.Role(c.Role), Unit: c.Unit, TelegramID: c.TelegramID, Lang: c.Lang,
				Title: c.Title, Address: c.Address}
			for _, e := range existing {
				if e.Removed() && c.TelegramID != 0 && e.FormerTelegramID == c.TelegramID {
					// Removed in chat (/remove): the list does not
					// bring them back.
					listed[e.ID] = true
					continue members
				}
				if (c.TelegramID != 0 && e.TelegramID == c.TelegramID) || (c.TelegramID == 0 && e.Name == c.Name && e.Role == m.Role) {
					m.ID = e.ID
					if m.Lang == "" {
						m.Lang = e.Lang
					}
					if m.TelegramID == 0 {
						m.TelegramID = e.TelegramID
					}
					keepReach(&m, e)
					break
				}
			}
			if err := tx.PutMember(&m); err != nil {
				return fmt.Errorf("member %s: %w", c.Name, err)
			}
			listed[m.ID] = true
		}
		before, err := bootstrapped(tx)
		if err != nil {
			return err
		}
		for _, e := range existing {
			if !before[e.ID] || listed[e.ID] || !e.Linked() {
				continue
			}
			if _, err := tasks.RemoveMember(tx, e.ID, 0, now); err != nil {
				return fmt.Errorf("remove member %s: %w", e.Name, err)
			}
			removed = append(removed, e)
		}
		if err := tx.PutConfigMembers(slices.Sorted(maps.Keys(listed))); err != nil {
			return fmt.Errorf("bootstrap list: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range removed {
		log.Info("member removed: no longer in the configuration's members", "member", r.Name, "role", string(r.Role), "unit", r.Unit)
	}
	return nil
}

// bootstrapped returns the ids the members list held at the last start.
func bootstrapped(tx tasks.SettingsStore) (map[int64]bool, error) {
	ids, err := tx.ConfigMembers()
	if err != nil {
		return nil, fmt.Errorf("bootstrap list: %w", err)
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// queued returns how many messages wait in the outbox; a store that cannot
// say is logged and counts as one waiting, so nobody takes it for empty.
func (m *Main) queued() int {
	n := 0
	if err := m.Store.View(context.Background(), func(tx tasks.Tx) error {
		var err error
		n, _, err = tx.OutboxStats()
		return err
	}); err != nil {
		m.Logger.Error("read outbox stats", "err", err)
		return 1
	}
	return n
}
