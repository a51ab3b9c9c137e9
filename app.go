package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"steerbot/bot"
	"steerbot/chart"
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
	// Clock and OutboxClock replace the real clocks (the demo and tests).
	Clock       tasks.Clock
	OutboxClock reminders.Clock
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

	httpLn   net.Listener
	httpSrv  *http.Server
	hookLn   net.Listener
	hookSrv  *http.Server
	closeMu  sync.Mutex
	closed   bool
	tickMeet chan struct{}
	// adminToken guards the listener's backup, export and digest.
	adminToken string
}

// Open opens the database, applies the configuration's units and members,
// connects to Telegram and builds the outbox and the scheduler.
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
	if err := bootstrap(ctx, st, cfg); err != nil {
		return err
	}
	m.Metrics = NewMetrics()
	m.tickMeet = make(chan struct{}, 1)
	policy := tasks.Policy{SecretariatDecides: cfg.Committee.SecretariatDecides}
	var assistant tasks.Assistant
	if cfg.LLM.Enabled {
		a, err := llm.New(llm.Config{
			BaseURL: cfg.LLM.BaseURL, Model: cfg.LLM.Model, APIKey: cfg.LLM.APIKey,
			Timeout: cfg.LLM.Timeout.Duration, MaxTokens: cfg.LLM.MaxTokens, DailyTokenBudget: cfg.LLM.DailyTokenBudget,
			Clock: m.Clock.Now, Loc: cfg.Location, Logger: m.Logger,
		})
		if err != nil {
			return fmt.Errorf("llm: %w", err)
		}
		m.Assistant, assistant = a, a
	}
	var outbox *reminders.Outbox
	kick := func() {
		if outbox != nil {
			outbox.Kick()
		}
	}
	var sched *reminders.Scheduler
	b, err := bot.New(ctx, bot.Options{
		Token: cfg.Telegram.Token, APIURL: cfg.Telegram.APIURL, Store: st, Policy: policy,
		Loc: cfg.Location, Clock: m.Clock, Logger: m.Logger, Lang: cfg.Committee.Language,
		CommitteeName: cfg.Committee.Name, CommitteeChatID: cfg.Committee.ChatID, DueSoonDays: dueSoon(cfg),
		Kick: kick, Reminders: remindAdapter{&sched}, Assistant: assistant,
		Export: func(ts []tasks.Task, us []tasks.Unit, lang string) ([]byte, error) {
			var buf bytesBuffer
			err := taskfile.Write(&buf, taskfile.XLSX, ts, us, lang)
			return buf.Bytes(), err
		},
		HTTPClient: m.HTTPClient, PollTimeout: m.PollTimeout,
		OnUpdate: m.Metrics.ObserveUpdate, AfterChange: m.poke,
	})
	if err != nil {
		return fmt.Errorf("telegram: %w", err)
	}
	m.Bot = b
	rules := reminders.Rules{
		Weekly: cfg.Reminders.Weekly, Overdue: cfg.Reminders.Overdue, DueSoonDays: cfg.Reminders.DueSoonDays,
		EscalateAfterDays: cfg.Reminders.EscalateAfterDays, QuietFrom: cfg.Reminders.QuietFrom, QuietTo: cfg.Reminders.QuietTo,
		Holidays: cfg.Reminders.HolidayDates, BeforeMeeting: cfg.Digest.BeforeMeeting.Duration,
	}
	oopts := []reminders.OutboxOption{
		reminders.WithOutboxLogger(m.Logger),
		reminders.WithLimits(reminders.Limits{GlobalPerSec: cfg.Telegram.Rate.GlobalPerSec, PerChatPerSec: cfg.Telegram.Rate.PerChatPerSec, PerGroupPerMin: cfg.Telegram.Rate.PerGroupPerMin}),
		reminders.WithQuiet(rules.Quiet(cfg.Location)),
	}
	switch {
	case m.OutboxClock != nil:
		oopts = append(oopts, reminders.WithOutboxClock(m.OutboxClock))
	case clockSet:
		// The committee's clock is set (the demo, tests): the outbox reads
		// the same time, running on in real time so the rate limits refill.
		oopts = append(oopts, reminders.WithOutboxClock(&runningClock{base: m.Clock, start: time.Now()}))
	}
	outbox = reminders.NewOutbox(st, b, oopts...)
	m.Outbox = outbox
	lang := cfg.Committee.Language
	sopts := []reminders.SchedulerOption{
		reminders.WithSchedulerClock(m.Clock), reminders.WithSchedulerLogger(m.Logger),
		reminders.WithKick(kick), reminders.WithPolicy(policy),
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
	sched, err = reminders.NewScheduler(st, countingNotifier{b, m.Metrics}, cfg.Location, rules, sopts...)
	if err != nil {
		return fmt.Errorf("reminders: %w", err)
	}
	m.Scheduler = sched
	m.Metrics.Bind(m)
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

// remindAdapter gives the bot the scheduler, built after it.
type remindAdapter struct{ s **reminders.Scheduler }

// RemindNow sends one unit's reminders now.
func (a remindAdapter) RemindNow(tx tasks.Tx, unit, keyPrefix string) (int, error) {
	if *a.s == nil {
		return 0, errors.New("scheduler not ready")
	}
	return (*a.s).RemindNow(tx, unit, keyPrefix)
}

// Escalated reports whether the committee chat was told of a task.
func (a remindAdapter) Escalated(tx tasks.Tx, code string, deadline tasks.Date) (bool, error) {
	return reminders.Escalated(tx, code, deadline)
}

// progressChart draws the progress of every unit: the committee's name as
// the title, the day of the digest under it.
func progressChart(d tasks.Digest, committee string, loc *time.Location, lang string) ([]byte, error) {
	bars := make([]chart.Bar, 0, len(d.Scorecard))
	for _, s := range d.Scorecard {
		bars = append(bars, chart.Bar{Label: s.Unit.Name, Done: s.Done, InProgress: s.InProgress(),
			NotStarted: s.NotStarted, Awaiting: s.Awaiting, Overdue: s.Overdue})
	}
	t := bot.ChartTextsFor(lang, tasks.DateOf(d.At, loc))
	return chart.Render(bars, chart.Options{
		Title: committee, Subtitle: t.Subtitle, AxisLabel: t.Axis,
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
	if m.Config.HTTP.Listen != "" {
		if err := m.startHTTP(); err != nil {
			return err
		}
	}
	goRun("outbox", m.Outbox.Run)
	goRun("scheduler", m.Scheduler.Run)
	goRun("meetings", m.watchMeetings)
	goRun("assistant", func(ctx context.Context) error { m.Bot.RunAssistant(ctx); return nil })
	if m.Config.Storage.BackupDir != "" {
		goRun("backups", m.runBackups)
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
		_ = os.Remove(adminTokenPath(m.Config))
	}
	if m.hookSrv != nil {
		_ = m.hookSrv.Shutdown(ctx)
	}
	if m.Store != nil {
		return m.Store.Close()
	}
	return nil
}

// bootstrap applies the configuration's units and members to the store:
// units are created or renamed; members are matched by Telegram id (or by
// name and role when not linked yet) and created when new.
func bootstrap(ctx context.Context, st tasks.Store, cfg *Config) error {
	return st.Update(ctx, func(tx tasks.Tx) error {
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
		for _, c := range cfg.Members {
			m := tasks.Member{Name: c.Name, Role: tasks.Role(c.Role), Unit: c.Unit, TelegramID: c.TelegramID, Lang: c.Lang}
			for _, e := range existing {
				if (c.TelegramID != 0 && e.TelegramID == c.TelegramID) || (c.TelegramID == 0 && e.Name == c.Name && e.Role == m.Role) {
					m.ID = e.ID
					if m.Lang == "" {
						m.Lang = e.Lang
					}
					if m.TelegramID == 0 {
						m.TelegramID = e.TelegramID
					}
					break
				}
			}
			if err := tx.PutMember(&m); err != nil {
				return fmt.Errorf("member %s: %w", c.Name, err)
			}
		}
		return nil
	})
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
