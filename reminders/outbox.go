package reminders

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"steerbot/tasks"
)

// Sender delivers one message. The bot implements it with the Telegram
// client.
type Sender interface {
	// Send sends m, or edits the message m.EditMessageID names, and returns
	// Telegram's id of the message. It reports failures as *tasks.SendError;
	// any other error is taken as temporary.
	Send(ctx context.Context, m tasks.OutMessage) (messageID int, err error)
}

// Limits are the sending rates the outbox keeps under (telegram.rate in the
// configuration). A zero or negative field takes its default.
type Limits struct {
	GlobalPerSec   float64 // all chats together
	PerChatPerSec  float64 // one private chat (chat id > 0)
	PerGroupPerMin float64 // one group or channel (chat id < 0)
}

// DefaultLimits returns Telegram's documented limits: 30 messages a second
// in all, 1 a second to one chat, 20 a minute to one group.
func DefaultLimits() Limits {
	return Limits{GlobalPerSec: 30, PerChatPerSec: 1, PerGroupPerMin: 20}
}

// withDefaults fills the zero fields of l from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.GlobalPerSec <= 0 {
		l.GlobalPerSec = d.GlobalPerSec
	}
	if l.PerChatPerSec <= 0 {
		l.PerChatPerSec = d.PerChatPerSec
	}
	if l.PerGroupPerMin <= 0 {
		l.PerGroupPerMin = d.PerGroupPerMin
	}
	return l
}

// OutboxStats counts what the outbox did since it was made, for metrics.
type OutboxStats struct {
	Sent        uint64 // messages delivered
	Failed      uint64 // messages given up: blocked, chat not found, bad request, or failing past the max age
	RateLimited uint64 // 429 answers obeyed
	Retried     uint64 // temporary failures, each retried later
	Pruned      uint64 // old sent and failed records deleted
	// Swept counts the short-lived records (pending choices, albums,
	// proposals …) that the daily maintenance deleted once ended, by kind.
	Swept map[tasks.StateKind]uint64
}

// OutboxOption configures an Outbox.
type OutboxOption func(*Outbox)

// WithOutboxClock sets the clock (the system clock by default).
func WithOutboxClock(c tasks.Clock) OutboxOption { return func(o *Outbox) { o.clock = c } }

// WithOutboxLogger sets the logger (silent by default).
func WithOutboxLogger(l *slog.Logger) OutboxOption { return func(o *Outbox) { o.log = l } }

// WithLimits sets the sending rates (DefaultLimits by default).
func WithLimits(l Limits) OutboxOption { return func(o *Outbox) { o.limits = l.withDefaults() } }

// WithBackoff sets the wait after the first temporary failure of a message,
// doubled at each further one up to ceiling (1s and 5m by default).
func WithBackoff(base, ceiling time.Duration) OutboxOption {
	return func(o *Outbox) {
		if base > 0 {
			o.backoffBase = base
		}
		if ceiling >= o.backoffBase {
			o.backoffMax = ceiling
		}
	}
}

// WithQuiet sets the quiet hours and holidays in which the messages marked
// Scheduled are held back; give it the scheduler's (Rules.Quiet). Without
// it nothing is held.
func WithQuiet(q Quiet) OutboxOption { return func(o *Outbox) { o.quiet = q } }

// WithMaxAge sets how long after its first failure a message that keeps
// failing temporarily is still retried (24h by default); the first
// temporary failure past it marks the message failed. Zero or less retries
// for ever.
func WithMaxAge(d time.Duration) OutboxOption { return func(o *Outbox) { o.maxAge = d } }

// WithRetention sets how long the records of sent and failed messages are
// kept (90 days by default); zero or less keeps them for ever. Queued
// messages are never deleted.
func WithRetention(d time.Duration) OutboxOption { return func(o *Outbox) { o.retention = d } }

// WithBatchSize sets how many queued messages are read at a time (100 by
// default). More are read when all of them have to wait.
func WithBatchSize(n int) OutboxOption {
	return func(o *Outbox) {
		if n > 0 {
			o.batch = n
		}
	}
}

// Outbox sends the messages queued in the store's outbox, oldest first,
// within the rate limits.
//
// A chat has two queues: the bot's scheduled messages (reminders,
// escalations, digests: OutMessage.Scheduled) and the answers to users.
// Each goes in the order it was queued: a message that must wait (for its
// NotBefore, a retry, or, when scheduled, the end of the quiet hours or of
// a holiday) holds the later ones of its queue. A scheduled message also
// waits for an older answer of its chat; an answer, though, may overtake
// a scheduled message that waits, so that a member who asks at night gets
// the answer then and last evening's reminder in the morning.
//
// A message that keeps failing temporarily for longer than the max age
// (WithMaxAge) is given up, so that it cannot hold its chat for ever. The
// records of sent messages keep no file data, and sent and failed records
// older than the retention (WithRetention) are deleted, at most once a day.
// The same daily maintenance deletes the short-lived records that have
// ended (tasks.StateStore.SweepState).
//
// Delivery is at least once at the Telegram edge: a message is marked sent
// in its own transaction after Send returns, so a crash between the two
// sends that one message again on restart. Nothing queued is ever lost: a
// message leaves the queue only when it was sent or failed permanently.
type Outbox struct {
	// Sender sends a message (the bot). It may be set after NewOutbox,
	// before Run or Drain, so that the bot can be built with the outbox.
	Sender Sender

	store       tasks.Store
	clock       tasks.Clock
	log         *slog.Logger
	limits      Limits
	backoffBase time.Duration
	backoffMax  time.Duration
	batch       int
	quiet       Quiet
	maxAge      time.Duration
	retention   time.Duration

	kick chan struct{}

	mu          sync.Mutex // one pass at a time; guards the fields below
	global      *rate.Limiter
	chats       map[int64]*rate.Limiter
	pausedUntil time.Time                   // a 429 stops all sending until then
	unmarked    map[uint64]tasks.OutMessage // sent, but the mark failed: retried, never resent
	lastPrune   time.Time                   // when old records were last deleted

	sent, failed, rateLimited, retried, pruned atomic.Uint64

	sweptMu sync.Mutex
	swept   map[tasks.StateKind]uint64
}

// NewOutbox returns an outbox that drains store through s (nil: set
// Sender before Run).
func NewOutbox(store tasks.Store, s Sender, opts ...OutboxOption) *Outbox {
	o := &Outbox{
		store:       store,
		Sender:      s,
		clock:       tasks.SystemClock,
		log:         slog.New(slog.DiscardHandler),
		limits:      DefaultLimits(),
		backoffBase: time.Second,
		backoffMax:  5 * time.Minute,
		batch:       100,
		maxAge:      24 * time.Hour,
		retention:   90 * 24 * time.Hour,
		kick:        make(chan struct{}, 1),
		chats:       map[int64]*rate.Limiter{},
		unmarked:    map[uint64]tasks.OutMessage{},
		swept:       map[tasks.StateKind]uint64{},
	}
	for _, opt := range opts {
		opt(o)
	}
	// Burst 1 everywhere: no two messages closer than the rate allows.
	o.global = rate.NewLimiter(rate.Limit(o.limits.GlobalPerSec), 1)
	return o
}

// idlePoll is how long Run waits with nothing to do before it looks at the
// queue again, in case a Kick was missed.
const idlePoll = time.Minute

// storeRetry is how long Run waits after the store failed.
const storeRetry = 5 * time.Second

// Run sends queued messages until ctx ends, waking up on Kick, when a
// waiting message becomes due and every minute. Store errors are logged and
// retried. It returns nil when ctx ends.
func (o *Outbox) Run(ctx context.Context) error {
	for {
		wake, err := o.pass(ctx)
		if ctx.Err() != nil {
			return nil
		}
		wait := idlePoll
		if err != nil {
			o.log.Error("outbox", "err", err)
			wait = storeRetry
		} else if !wake.IsZero() {
			wait = min(max(wake.Sub(o.clock.Now()), 0), idlePoll)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-o.kick:
		case <-o.clock.After(wait):
		}
	}
}

// Kick tells Run that something was enqueued. It never blocks.
func (o *Outbox) Kick() {
	select {
	case o.kick <- struct{}{}:
	default:
	}
}

// Drain sends every message that may go now, waiting only as long as the
// rate limits require, and returns. Messages whose NotBefore is ahead,
// scheduled messages in quiet hours and on holidays, the messages queued
// behind them (see Outbox), and everything while a 429 pause lasts stay
// queued. Like Run, it deletes old records when a day has passed since it
// last did.
func (o *Outbox) Drain(ctx context.Context) error {
	_, err := o.pass(ctx)
	return err
}

// Stats returns the counters.
func (o *Outbox) Stats() OutboxStats {
	o.sweptMu.Lock()
	swept := maps.Clone(o.swept)
	o.sweptMu.Unlock()
	return OutboxStats{
		Sent:        o.sent.Load(),
		Failed:      o.failed.Load(),
		RateLimited: o.rateLimited.Load(),
		Retried:     o.retried.Load(),
		Pruned:      o.pruned.Load(),
		Swept:       swept,
	}
}

// pass sends what may go now and returns when something may go next: the
// earliest instant a waiting message may go or the end of a 429 pause;
// zero when the queue is empty.
func (o *Outbox) pass(ctx context.Context) (time.Time, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.retryMarks(ctx)
	o.prune(ctx)
	o.pruneLimiters()
	limit := o.batch
	for {
		if err := ctx.Err(); err != nil {
			return time.Time{}, err
		}
		if now := o.clock.Now(); now.Before(o.pausedUntil) {
			return o.pausedUntil, nil
		}
		var msgs []tasks.OutMessage
		err := o.store.View(ctx, func(tx tasks.Tx) error {
			var err error
			msgs, err = tx.Queued(limit)
			return err
		})
		if err != nil {
			return time.Time{}, fmt.Errorf("read outbox: %w", err)
		}
		tried, wake, err := o.sendBatch(ctx, msgs, len(msgs) == limit)
		if err != nil {
			return time.Time{}, err
		}
		switch {
		case tried > 0:
			// Read again: messages may have been queued meanwhile.
			limit = o.batch
		case len(msgs) < limit:
			return wake, nil
		default:
			// The oldest messages all wait: look further down the queue so
			// that other chats are not held behind them.
			limit *= 2
		}
	}
}

// lane is one chat's queue of one kind (see Outbox).
type lane struct {
	chat      int64
	scheduled bool
}

// sendBatch sends the messages of msgs that may go now, lane by lane in
// queue order, and returns how many it tried and when a waiting one may go.
// more says the queue holds messages beyond msgs: then a chat held back by
// its own limit (a group's 20 a minute) is not waited for, so that the
// caller can read further and send to other chats meanwhile.
func (o *Outbox) sendBatch(ctx context.Context, msgs []tasks.OutMessage, more bool) (tried int, wake time.Time, err error) {
	queues := map[lane][]tasks.OutMessage{}
	var order []lane // lanes in the order of their oldest message
	for _, m := range msgs {
		if _, ok := o.unmarked[m.ID]; ok {
			continue // sent already; only its mark is missing
		}
		ln := lane{m.ChatID, m.Scheduled}
		if _, ok := queues[ln]; !ok {
			order = append(order, ln)
		}
		queues[ln] = append(queues[ln], m)
	}
	held := map[lane]bool{}
	hold := func(ln lane, until time.Time) {
		held[ln] = true
		if wake.IsZero() || until.Before(wake) {
			wake = until
		}
	}
	for {
		now := o.clock.Now()
		if now.Before(o.pausedUntil) {
			return tried, o.pausedUntil, nil
		}
		for _, ln := range order {
			if q := queues[ln]; len(q) > 0 && !held[ln] {
				if at := o.dueAt(q[0], now); at.After(now) {
					hold(ln, at)
				}
			}
		}
		// A scheduled message does not overtake an older answer that
		// waits; the answer's hold sets the wake.
		for _, ln := range order {
			q := queues[ln]
			if !ln.scheduled || len(q) == 0 || held[ln] {
				continue
			}
			ans := lane{chat: ln.chat}
			if aq := queues[ans]; len(aq) > 0 && held[ans] && aq[0].ID < q[0].ID {
				held[ln] = true
			}
		}
		// Of the lanes whose first message may go, the one the limits let
		// through first; ties go to the oldest message.
		var (
			pick  lane
			ready time.Time
			found bool
		)
		for _, ln := range order {
			q := queues[ln]
			if len(q) == 0 || held[ln] {
				continue
			}
			at := readyAt(o.limiter(ln.chat), now)
			if !found || at.Before(ready) || (at.Equal(ready) && q[0].ID < queues[pick][0].ID) {
				pick, ready, found = ln, at, true
			}
		}
		if !found {
			return tried, wake, nil
		}
		if more && ready.After(now) {
			hold(pick, ready)
			continue
		}
		if err := o.waitLimits(ctx, pick.chat); err != nil {
			return tried, wake, err
		}
		m := queues[pick][0]
		if at := o.dueAt(m, o.clock.Now()); at.After(o.clock.Now()) {
			// The wait for the limits ran into the quiet hours.
			hold(pick, at)
			continue
		}
		tried++
		switch next, err := o.sendOne(ctx, m); {
		case err != nil:
			return tried, wake, err
		case next.IsZero():
			queues[pick] = queues[pick][1:] // sent or failed for good
		default:
			hold(pick, next)
		}
	}
}

// dueAt returns the first instant at or after now at which m may go: its
// NotBefore, moved out of the quiet hours and holidays when m is
// scheduled.
func (o *Outbox) dueAt(m tasks.OutMessage, now time.Time) time.Time {
	at := now
	if m.NotBefore.After(at) {
		at = m.NotBefore
	}
	if m.Scheduled {
		at = o.quiet.Next(at)
	}
	return at
}

// waitLimits takes a token from the global limiter and the chat's at the
// first instant both have one, and waits until then. Like rate.Limiter.Wait,
// it books the instant before sleeping, so a timer that fires late does not
// cost the next message its turn.
func (o *Outbox) waitLimits(ctx context.Context, chat int64) error {
	lim := o.limiter(chat)
	now := o.clock.Now()
	at := readyAt(o.global, now)
	if c := readyAt(lim, now); c.After(at) {
		at = c
	}
	o.global.ReserveN(at, 1)
	lim.ReserveN(at, 1)
	if !at.After(now) {
		return nil
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-o.clock.After(at.Sub(now)):
		return nil
	}
}

// readyAt returns when l has a token for one message, now if it has one.
func readyAt(l *rate.Limiter, now time.Time) time.Time {
	tok := l.TokensAt(now)
	if tok >= 1 {
		return now
	}
	secs := (1 - tok) / float64(l.Limit())
	return now.Add(time.Duration(math.Ceil(secs * float64(time.Second))))
}

// limiter returns the limiter of one chat, made on first use.
func (o *Outbox) limiter(chat int64) *rate.Limiter {
	l, ok := o.chats[chat]
	if !ok {
		r := rate.Limit(o.limits.PerChatPerSec)
		if chat < 0 {
			r = rate.Limit(o.limits.PerGroupPerMin / 60)
		}
		l = rate.NewLimiter(r, 1)
		o.chats[chat] = l
	}
	return l
}

// maxLimiters bounds the per-chat limiters kept between passes.
const maxLimiters = 1000

// pruneLimiters forgets the limiters that are full again: a new one would
// behave the same.
func (o *Outbox) pruneLimiters() {
	if len(o.chats) <= maxLimiters {
		return
	}
	now := o.clock.Now()
	for chat, l := range o.chats {
		if l.TokensAt(now) >= 1 {
			delete(o.chats, chat)
		}
	}
}

// sendOne sends m and records the outcome. next is zero when m left the
// queue (sent or failed for good) and when it may be tried again otherwise.
// The error is a store or context error that ends the pass.
func (o *Outbox) sendOne(ctx context.Context, m tasks.OutMessage) (next time.Time, err error) {
	// A send in flight is finished even when shutdown begins: cancelling it
	// could leave Telegram holding a message whose answer never came back,
	// which would be sent again after the restart.
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
	id, sendErr := o.Sender.Send(sendCtx, m)
	cancel()
	now := o.clock.Now()
	if sendErr == nil {
		m.State, m.SentMessageID, m.SentAt = tasks.OutSent, id, now
		// Charts and exports are not kept in the database once delivered.
		m.Document, m.Photo = withoutData(m.Document), withoutData(m.Photo)
		o.sent.Add(1)
		// Record the send even when ctx ends now: it happened.
		if err := o.put(context.WithoutCancel(ctx), m); err != nil {
			o.unmarked[m.ID] = m
			o.log.Error("outbox: mark sent", "chat", m.ChatID, "key", m.Key, "err", err)
		}
		return time.Time{}, nil
	}
	if ctx.Err() != nil {
		return time.Time{}, ctx.Err() // shutting down: not the message's fault
	}
	var se *tasks.SendError
	isSendErr := errors.As(sendErr, &se)
	switch {
	case isSendErr && se.RetryAfter > 0:
		// Telegram's 429 is per bot: everything waits, this message first.
		o.pausedUntil = now.Add(se.RetryAfter)
		o.rateLimited.Add(1)
		o.log.Warn("outbox: rate limited", "retry_after", se.RetryAfter, "chat", m.ChatID, "key", m.Key)
		return o.pausedUntil, nil
	case isSendErr && se.Permanent:
		m.State, m.LastError = tasks.OutFailed, sendErr.Error()
		m.Attempts++
		o.failed.Add(1)
		o.log.Warn("outbox: giving up", "chat", m.ChatID, "key", m.Key, "err", sendErr)
		if err := o.putFailed(ctx, m, se.Blocked, now); err != nil {
			return time.Time{}, fmt.Errorf("mark failed: %w", err)
		}
		return time.Time{}, nil
	}
	m.Attempts++
	m.LastError = sendErr.Error()
	if m.FirstFailure.IsZero() {
		// Failing time counts from the first failure, not from creation: a
		// reminder held over a long holiday is not given up on its first
		// network error.
		m.FirstFailure = now
	}
	if o.maxAge > 0 && now.Sub(m.FirstFailure) > o.maxAge {
		m.State = tasks.OutFailed
		o.failed.Add(1)
		o.log.Error("outbox: giving up, failing for too long", "chat", m.ChatID, "key", m.Key,
			"attempts", m.Attempts, "failing_since", m.FirstFailure, "max_age", o.maxAge, "err", sendErr)
		if err := o.put(ctx, m); err != nil {
			return time.Time{}, fmt.Errorf("mark failed: %w", err)
		}
		return time.Time{}, nil
	}
	m.NotBefore = now.Add(o.backoff(m.Attempts))
	o.retried.Add(1)
	o.log.Warn("outbox: will retry", "chat", m.ChatID, "key", m.Key, "attempts", m.Attempts, "at", m.NotBefore, "err", sendErr)
	if err := o.put(ctx, m); err != nil {
		return time.Time{}, fmt.Errorf("mark retry: %w", err)
	}
	return m.NotBefore, nil
}

// sendTimeout bounds one send, which shutdown waits for.
const sendTimeout = 30 * time.Second

// backoff returns the wait after the attempts-th temporary failure.
func (o *Outbox) backoff(attempts int) time.Duration {
	d := o.backoffBase
	for i := 1; i < attempts && d < o.backoffMax; i++ {
		d *= 2
	}
	return min(d, o.backoffMax)
}

// withoutData returns f without its data, f itself when it has none.
func withoutData(f *tasks.File) *tasks.File {
	if f == nil || f.Data == nil {
		return f
	}
	c := *f
	c.Data = nil
	return &c
}

func (o *Outbox) put(ctx context.Context, m tasks.OutMessage) error {
	return o.store.Update(ctx, func(tx tasks.Tx) error { return tx.PutOutMessage(m) })
}

// putFailed stores a message that failed for good and, when its
// recipient blocked the bot, records that on the member in the same
// transaction, so that their unit shows as unreached (see
// tasks.MarkBlocked). Group chats have negative ids: no member to mark.
func (o *Outbox) putFailed(ctx context.Context, m tasks.OutMessage, blocked bool, now time.Time) error {
	return o.store.Update(ctx, func(tx tasks.Tx) error {
		if err := tx.PutOutMessage(m); err != nil {
			return err
		}
		if blocked && m.ChatID > 0 {
			return tasks.MarkBlocked(tx, m.ChatID, now)
		}
		return nil
	})
}

// retryMarks records the sends whose mark failed earlier.
func (o *Outbox) retryMarks(ctx context.Context) {
	for id, m := range o.unmarked {
		if err := o.put(ctx, m); err != nil {
			o.log.Error("outbox: mark sent", "chat", m.ChatID, "key", m.Key, "err", err)
			return
		}
		delete(o.unmarked, id)
	}
}

// pruneEvery is how often the daily maintenance runs.
const pruneEvery = 24 * time.Hour

// pruneMarker names the store marker of the time the maintenance last ran,
// so that a restart does not run it again within the day.
const pruneMarker = "outbox:pruned"

// prune is the daily maintenance: when a day has passed since it last ran,
// it deletes the sent and failed records older than the retention (none
// when the retention is zero or less) and the short-lived records that have
// ended, in one transaction. A failure is logged and tried again an hour
// later.
func (o *Outbox) prune(ctx context.Context) {
	now := o.clock.Now()
	if !o.lastPrune.IsZero() && now.Sub(o.lastPrune) < pruneEvery {
		return
	}
	before := now.Add(-o.retention)
	var (
		n     int
		swept map[tasks.StateKind]int
		last  time.Time
	)
	err := o.store.Update(ctx, func(tx tasks.Tx) error {
		n, swept, last = 0, nil, now
		t, err := tx.Marker(pruneMarker)
		if err != nil {
			return fmt.Errorf("read %s: %w", pruneMarker, err)
		}
		if !t.IsZero() && !t.After(now) && now.Sub(t) < pruneEvery {
			last = t // another run of the bot pruned today
			return nil
		}
		if o.retention > 0 {
			if n, err = tx.PruneOutbox(before); err != nil {
				return fmt.Errorf("prune outbox: %w", err)
			}
		}
		// After the outbox: a decision copy ends with its message.
		if swept, err = tx.SweepState(now); err != nil {
			return fmt.Errorf("sweep state: %w", err)
		}
		if err := tx.PutMarker(pruneMarker, now); err != nil {
			return fmt.Errorf("put %s: %w", pruneMarker, err)
		}
		return nil
	})
	if err != nil {
		if ctx.Err() == nil {
			o.log.Error("outbox: daily maintenance", "err", err)
		}
		o.lastPrune = now.Add(time.Hour - pruneEvery)
		return
	}
	o.lastPrune = last
	if n > 0 {
		o.pruned.Add(uint64(n))
		o.log.Info("outbox: pruned old messages", "count", n, "created_before", before)
	}
	total := 0
	o.sweptMu.Lock()
	for k, c := range swept {
		o.swept[k] += uint64(c)
		total += c
	}
	o.sweptMu.Unlock()
	if total > 0 {
		o.log.Info("maintenance: swept ended state", "count", total, "by_kind", swept)
	}
}
