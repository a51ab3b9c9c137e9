package reminders_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"steerbot/reminders"
	"steerbot/tasks"
)

var t0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

// enqueue adds a message for chat under key.
func enqueue(t testing.TB, s *memStore, chat int64, key string, notBefore time.Time) {
	t.Helper()
	s.mustUpdate(t, func(tx tasks.Tx) error {
		_, err := tx.Enqueue(&tasks.OutMessage{Key: key, ChatID: chat, Text: key, NotBefore: notBefore})
		return err
	})
}

func drain(t *testing.T, o *reminders.Outbox) {
	t.Helper()
	if err := o.Drain(context.Background()); err != nil {
		t.Fatalf("drain: %v", err)
	}
}

// newOutbox returns an outbox over a new store, with a fake clock at t0 and
// a fake sender.
func newOutbox(t *testing.T, fail func(tasks.OutMessage, int) error, opts ...reminders.OutboxOption) (*reminders.Outbox, *memStore, *fakeClock, *fakeSender) {
	t.Helper()
	store, clock := newMemStore(), newClock(t0)
	sender := &fakeSender{clock: clock, fail: fail}
	opts = append([]reminders.OutboxOption{reminders.WithOutboxClock(clock)}, opts...)
	return reminders.NewOutbox(store, sender, opts...), store, clock, sender
}

// byChat groups the keys of sends by chat, in order.
func byChat(recs []sendRec) map[int64][]sendRec {
	m := map[int64][]sendRec{}
	for _, r := range recs {
		m[r.ChatID] = append(m[r.ChatID], r)
	}
	return m
}

func TestOutbox_KeepsUnderLimits(t *testing.T) {
	const group = -100123
	o, store, _, sender := newOutbox(t, nil, reminders.WithLimits(reminders.Limits{GlobalPerSec: 5, PerChatPerSec: 1, PerGroupPerMin: 20}))
	chats := []int64{group, 1, 2, 3}
	var want []string
	for i := range 10 {
		for _, c := range chats {
			k := fmt.Sprintf("%d-%02d", c, i)
			enqueue(t, store, c, k, time.Time{})
			want = append(want, k)
		}
	}
	drain(t, o)

	got := sender.delivered()
	var keys []string
	for _, r := range got {
		keys = append(keys, r.Key)
	}
	slices.Sort(keys)
	slices.Sort(want)
	if !slices.Equal(keys, want) {
		t.Fatalf("delivered %d messages %v, want each of %d once", len(keys), keys, len(want))
	}
	const slack = time.Millisecond // float rounding in the limiter
	for i := 1; i < len(got); i++ {
		if gap := got[i].At.Sub(got[i-1].At); gap < 200*time.Millisecond-slack {
			t.Errorf("global: %s then %s after %s, want at least 200ms (5/s)", got[i-1].Key, got[i].Key, gap)
		}
	}
	for chat, rs := range byChat(got) {
		min := time.Second
		if chat < 0 {
			min = 3 * time.Second // 20 a minute
		}
		for i := 1; i < len(rs); i++ {
			if gap := rs[i].At.Sub(rs[i-1].At); gap < min-slack {
				t.Errorf("chat %d: %s then %s after %s, want at least %s", chat, rs[i-1].Key, rs[i].Key, gap, min)
			}
			if rs[i].Key < rs[i-1].Key {
				t.Errorf("chat %d: %s sent after %s, out of order", chat, rs[i].Key, rs[i-1].Key)
			}
		}
	}
	// The slow group does not hold the private chats back: they finish in
	// about 10 s, the group in about 27 s.
	if last := byChat(got)[3]; last[len(last)-1].At.Sub(t0) > 11*time.Second {
		t.Errorf("chat 3 finished after %s, want about 10s", last[len(last)-1].At.Sub(t0))
	}
	if s := o.Stats(); s.Sent != 40 || s.Failed+s.Retried+s.RateLimited != 0 {
		t.Errorf("stats %+v, want 40 sent and nothing else", s)
	}
	if q := queued(t, store); len(q) != 0 {
		t.Errorf("%d messages still queued", len(q))
	}
	for _, m := range store.outbox() {
		if m.State != tasks.OutSent || m.SentMessageID == 0 || m.SentAt.IsZero() {
			t.Errorf("message %s: state %s, id %d, at %v; want sent with Telegram's id and time", m.Key, m.State, m.SentMessageID, m.SentAt)
		}
	}
}

func queued(t *testing.T, s *memStore) []tasks.OutMessage {
	t.Helper()
	var ms []tasks.OutMessage
	err := s.View(context.Background(), func(tx tasks.Tx) error {
		var err error
		ms, err = tx.Queued(0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestOutbox_ObeysRetryAfter(t *testing.T) {
	o, store, clock, sender := newOutbox(t, func(_ tasks.OutMessage, call int) error {
		if call == 0 {
			return &tasks.SendError{RetryAfter: 30 * time.Second, Err: errors.New("Too Many Requests")}
		}
		return nil
	})
	for _, c := range []int64{1, 2, 3} {
		enqueue(t, store, c, fmt.Sprint("m", c), time.Time{})
	}
	drain(t, o)
	if n := sender.callCount(); n != 1 {
		t.Fatalf("%d sends after a 429, want 1", n)
	}
	if q := queued(t, store); len(q) != 3 || q[0].Attempts != 0 {
		t.Fatalf("queue %+v, want all 3 with the first's attempts unchanged", q)
	}
	clock.Advance(29 * time.Second)
	drain(t, o)
	if n := sender.callCount(); n != 1 {
		t.Fatalf("%d sends 29s into a 30s retry_after, want none more", n)
	}
	clock.Advance(time.Second)
	drain(t, o)
	got := sender.delivered()
	if len(got) != 3 || got[0].Key != "m1" {
		t.Fatalf("delivered %+v after the pause, want m1, m2, m3", got)
	}
	if got[0].At.Before(t0.Add(30 * time.Second)) {
		t.Errorf("sent at %s, before the retry_after ended", got[0].At)
	}
	if s := o.Stats(); s.RateLimited != 1 || s.Sent != 3 || s.Retried != 0 {
		t.Errorf("stats %+v, want 1 rate limited, 3 sent", s)
	}
}

func TestOutbox_OutageDelaysWithoutLossOrDuplicate(t *testing.T) {
	outageEnd := t0.Add(15 * time.Minute)
	var clock *fakeClock
	o, store, clock, sender := newOutbox(t, func(m tasks.OutMessage, call int) error {
		if clock.Now().Before(outageEnd) {
			if call%2 == 0 {
				return errors.New("dial tcp: connection refused") // not a SendError: temporary
			}
			return &tasks.SendError{Err: errors.New("502 Bad Gateway")}
		}
		return nil
	})
	var want []string
	for i := range 3 {
		for _, c := range []int64{1, 2} {
			k := fmt.Sprintf("%d-%d", c, i)
			enqueue(t, store, c, k, time.Time{})
			want = append(want, k)
		}
	}
	for range 100 {
		drain(t, o)
		q := queued(t, store)
		if len(q) == 0 {
			break
		}
		next := q[0].NotBefore
		for _, m := range q {
			if !m.NotBefore.IsZero() && m.NotBefore.Before(next) {
				next = m.NotBefore
			}
		}
		clock.Set(next)
	}
	got := sender.delivered()
	var keys []string
	for _, r := range got {
		keys = append(keys, r.Key)
		if r.At.Before(outageEnd) {
			t.Errorf("%s delivered during the outage", r.Key)
		}
	}
	sortedKeys := slices.Sorted(slices.Values(keys))
	if !slices.Equal(sortedKeys, slices.Sorted(slices.Values(want))) {
		t.Fatalf("delivered %v, want each of %v once", keys, want)
	}
	for chat, rs := range byChat(got) {
		for i := 1; i < len(rs); i++ {
			if rs[i].Key < rs[i-1].Key {
				t.Errorf("chat %d: order %s before %s", chat, rs[i-1].Key, rs[i].Key)
			}
		}
	}
	// The first message was tried at doubling intervals up to 5 minutes.
	var tries []time.Time
	sender.mu.Lock()
	for _, c := range sender.calls {
		if c.Key == "1-0" {
			tries = append(tries, c.At)
		}
	}
	sender.mu.Unlock()
	var gaps []time.Duration
	for i := 1; i < len(tries); i++ {
		gaps = append(gaps, tries[i].Sub(tries[i-1]))
	}
	s := time.Second
	wantGaps := []time.Duration{s, 2 * s, 4 * s, 8 * s, 16 * s, 32 * s, 64 * s, 128 * s, 256 * s, 300 * s, 300 * s}
	if !slices.Equal(gaps, wantGaps) {
		t.Errorf("retries of 1-0 after %v, want %v", gaps, wantGaps)
	}
	for _, m := range store.outbox() {
		if m.Key == "1-0" && (m.Attempts != 11 || m.LastError == "") {
			t.Errorf("1-0 has %d attempts and last error %q, want 11 and the error", m.Attempts, m.LastError)
		}
	}
	if st := o.Stats(); st.Failed != 0 || st.Sent != 6 || st.Retried == 0 {
		t.Errorf("stats %+v, want 6 sent, retries, no failures", st)
	}
}

func TestOutbox_PermanentErrorIsNotRetried(t *testing.T) {
	const blocked = 7
	o, store, clock, sender := newOutbox(t, func(m tasks.OutMessage, _ int) error {
		if m.ChatID == blocked {
			return &tasks.SendError{Permanent: true, Err: errors.New("Forbidden: bot was blocked by the user")}
		}
		return nil
	})
	enqueue(t, store, blocked, "b1", time.Time{})
	enqueue(t, store, blocked, "b2", time.Time{})
	enqueue(t, store, 8, "ok", time.Time{})
	drain(t, o)
	for range 3 {
		clock.Advance(time.Hour)
		drain(t, o)
	}
	if n := sender.callCount(); n != 3 {
		t.Errorf("%d sends, want 3 (each message once)", n)
	}
	if got := sender.delivered(); len(got) != 1 || got[0].Key != "ok" {
		t.Errorf("delivered %+v, want ok", got)
	}
	for _, m := range store.outbox() {
		if m.ChatID != blocked {
			continue
		}
		if m.State != tasks.OutFailed || !strings.Contains(m.LastError, "blocked") {
			t.Errorf("%s: state %s, last error %q; want failed with the reason", m.Key, m.State, m.LastError)
		}
	}
	if s := o.Stats(); s.Failed != 2 || s.Sent != 1 {
		t.Errorf("stats %+v, want 2 failed, 1 sent", s)
	}
}

func TestOutbox_ChatOrderHeldBehindWaitingMessage(t *testing.T) {
	o, store, clock, sender := newOutbox(t, nil, reminders.WithBatchSize(2))
	enqueue(t, store, 1, "1-first", t0.Add(time.Minute))
	for i := range 4 {
		enqueue(t, store, 1, fmt.Sprintf("1-later%d", i), time.Time{})
	}
	enqueue(t, store, 2, "2-only", time.Time{})
	drain(t, o)
	if got := sender.delivered(); len(got) != 1 || got[0].Key != "2-only" {
		t.Fatalf("delivered %+v, want only 2-only (chat 1 waits for its first message)", got)
	}
	clock.Set(t0.Add(time.Minute))
	drain(t, o)
	var keys []string
	for _, r := range sender.delivered() {
		if r.ChatID == 1 {
			keys = append(keys, r.Key)
		}
	}
	if want := []string{"1-first", "1-later0", "1-later1", "1-later2", "1-later3"}; !slices.Equal(keys, want) {
		t.Errorf("chat 1 got %v, want %v", keys, want)
	}
}

func TestOutbox_FailedMarkIsNotResent(t *testing.T) {
	o, store, clock, sender := newOutbox(t, nil)
	enqueue(t, store, 1, "m", time.Time{})
	sender.fail = func(tasks.OutMessage, int) error {
		// The message goes out, then the store fails to record it, once.
		store.mu.Lock()
		defer store.mu.Unlock()
		store.failUpdate = func() error {
			store.failUpdate = nil
			return errors.New("disk full")
		}
		return nil
	}
	drain(t, o)
	if q := queued(t, store); len(q) != 1 {
		t.Fatalf("%d queued after the failed mark, want 1 (the mark is retried)", len(q))
	}
	clock.Advance(time.Minute)
	sender.mu.Lock()
	sender.fail = nil
	sender.mu.Unlock()
	drain(t, o)
	if n := sender.callCount(); n != 1 {
		t.Errorf("%d sends, want 1", n)
	}
	if q := queued(t, store); len(q) != 0 {
		t.Errorf("%d queued, want the message marked sent", len(q))
	}
}

func TestOutbox_RunSendsOnKickAndStops(t *testing.T) {
	store := newMemStore()
	sender := &fakeSender{clock: tasks.SystemClock, sent: make(chan string, 10)}
	o := reminders.NewOutbox(store, sender, reminders.WithLimits(reminders.Limits{GlobalPerSec: 1000, PerChatPerSec: 1000, PerGroupPerMin: 60000}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- o.Run(ctx) }()
	for _, k := range []string{"a", "b"} {
		enqueue(t, store, 1, k, time.Time{})
		o.Kick()
		select {
		case got := <-sender.sent:
			if got != k {
				t.Fatalf("sent %s, want %s", got, k)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s not sent after Kick", k)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run returned %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop")
	}
}

// BenchmarkOutboxFanout sends one message to each of b.N chats at a global
// limit of 300/s with the real clock and reports the achieved rate.
func BenchmarkOutboxFanout(b *testing.B) {
	store := newMemStore()
	for i := range b.N {
		enqueue(b, store, int64(i+1), fmt.Sprint("k", i), time.Time{})
	}
	sender := &fakeSender{clock: tasks.SystemClock}
	o := reminders.NewOutbox(store, sender, reminders.WithLimits(reminders.Limits{GlobalPerSec: 300, PerChatPerSec: 1, PerGroupPerMin: 20}))
	b.ResetTimer()
	start := time.Now()
	if err := o.Drain(context.Background()); err != nil {
		b.Fatal(err)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	if got := len(sender.delivered()); got != b.N {
		b.Fatalf("delivered %d, want %d", got, b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
}

// enqueueMsg adds m and returns it with its id.
func enqueueMsg(t testing.TB, s *memStore, m tasks.OutMessage) tasks.OutMessage {
	t.Helper()
	s.mustUpdate(t, func(tx tasks.Tx) error {
		_, err := tx.Enqueue(&m)
		return err
	})
	return m
}

// stored returns the outbox message with key; it fails the test when
// there is none.
func stored(t *testing.T, s *memStore, key string) tasks.OutMessage {
	t.Helper()
	for _, m := range s.outbox() {
		if m.Key == key {
			return m
		}
	}
	t.Fatalf("no message %s in the outbox", key)
	return tasks.OutMessage{}
}

// deliveredKeys returns the keys of the successful sends, in order.
func deliveredKeys(s *fakeSender) []string {
	var ks []string
	for _, r := range s.delivered() {
		ks = append(ks, r.Key)
	}
	return ks
}

// logBuffer collects log lines for tests; safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// The committee's quiet hours in these tests: 20:00-07:00 in Ho Chi Minh
// City, and Tuesday 3 March 2026 is a holiday.
var testQuiet = reminders.Quiet{
	Loc: hcm, From: 20 * time.Hour, To: 7 * time.Hour,
	Holidays: map[tasks.Date]bool{{Year: 2026, Month: 3, Day: 3}: true},
}

func TestOutbox_QuietHoursHoldScheduledMessages(t *testing.T) {
	// A reminder queued a few seconds before 20:00 meets a 429 that lasts
	// into the quiet hours: it must wait for the end of the quiet hours and
	// of the holiday after them, while the answers to the same member go at
	// once, at night and on the holiday.
	start := at(hcm, 2026, 3, 2, 19, 59).Add(58 * time.Second)
	var clock *fakeClock
	o, store, clock, sender := newOutbox(t, func(m tasks.OutMessage, call int) error {
		if call == 0 {
			return &tasks.SendError{RetryAfter: 5 * time.Second, Err: errors.New("Too Many Requests")}
		}
		return nil
	}, reminders.WithQuiet(testQuiet), reminders.WithBatchSize(2)) // held reminders fill whole batches
	clock.Set(start)
	for _, m := range []tasks.OutMessage{
		{Key: "r1", ChatID: 1, Scheduled: true},
		{Key: "a1", ChatID: 1},
		{Key: "r2", ChatID: 1, Scheduled: true},
		{Key: "a2", ChatID: 1},
		{Key: "esc", ChatID: committeeChat, Scheduled: true},
	} {
		m.Created = start
		enqueueMsg(t, store, m)
	}
	drain(t, o)
	if n := sender.callCount(); n != 1 {
		t.Fatalf("%d sends, want 1 (the 429)", n)
	}
	clock.Set(start.Add(5 * time.Second)) // 20:00:03, quiet
	drain(t, o)
	if got, want := deliveredKeys(sender), []string{"a1", "a2"}; !slices.Equal(got, want) {
		t.Fatalf("after the pause, in quiet hours: delivered %v, want the answers %v only", got, want)
	}

	clock.Set(at(hcm, 2026, 3, 2, 23, 0))
	enqueueMsg(t, store, tasks.OutMessage{Key: "a3", ChatID: 1, Created: clock.Now()})
	drain(t, o)
	clock.Set(at(hcm, 2026, 3, 3, 7, 0)) // the holiday
	enqueueMsg(t, store, tasks.OutMessage{Key: "a4", ChatID: 1, Created: clock.Now()})
	drain(t, o)
	clock.Set(at(hcm, 2026, 3, 3, 21, 0))
	drain(t, o)
	clock.Set(at(hcm, 2026, 3, 4, 6, 59).Add(59 * time.Second))
	drain(t, o)
	if got, want := deliveredKeys(sender), []string{"a1", "a2", "a3", "a4"}; !slices.Equal(got, want) {
		t.Fatalf("before Wednesday 07:00: delivered %v, want %v", got, want)
	}

	clock.Set(at(hcm, 2026, 3, 4, 7, 0))
	drain(t, o)
	var scheduled []string
	for _, r := range sender.delivered() {
		if strings.HasPrefix(r.Key, "a") {
			continue
		}
		scheduled = append(scheduled, r.Key)
		if r.At.Before(at(hcm, 2026, 3, 4, 7, 0)) {
			t.Errorf("%s sent at %s, in quiet hours or on the holiday", r.Key, r.At.In(hcm))
		}
	}
	if want := []string{"r1", "r2", "esc"}; !slices.Equal(slices.Sorted(slices.Values(scheduled)), slices.Sorted(slices.Values(want))) {
		t.Fatalf("scheduled messages delivered %v, want each of %v once", scheduled, want)
	}
	if i, j := slices.Index(scheduled, "r1"), slices.Index(scheduled, "r2"); i > j {
		t.Errorf("chat 1 got r2 before r1: %v", scheduled)
	}
	if q := queued(t, store); len(q) != 0 {
		t.Errorf("%d messages still queued", len(q))
	}
}

func TestOutbox_QuietHoldsRetriedReminder(t *testing.T) {
	// A reminder fails at 19:59:59 and its retry falls in the quiet hours:
	// the retry waits for 07:00, and is not counted as another failure.
	start := at(hcm, 2026, 3, 4, 19, 59).Add(59 * time.Second)
	o, store, clock, sender := newOutbox(t, func(_ tasks.OutMessage, call int) error {
		if call == 0 {
			return errors.New("connection reset by peer")
		}
		return nil
	}, reminders.WithQuiet(testQuiet))
	clock.Set(start)
	enqueueMsg(t, store, tasks.OutMessage{Key: "r", ChatID: 1, Scheduled: true, Created: start})
	for range 3 {
		drain(t, o)
		clock.Advance(time.Hour)
	}
	if got := deliveredKeys(sender); len(got) != 0 {
		t.Fatalf("delivered %v at night, want nothing", got)
	}
	clock.Set(at(hcm, 2026, 3, 5, 7, 0))
	drain(t, o)
	got := sender.delivered()
	if len(got) != 1 || !got[0].At.Equal(at(hcm, 2026, 3, 5, 7, 0)) {
		t.Fatalf("delivered %+v, want r at 07:00", got)
	}
	if m := stored(t, store, "r"); m.Attempts != 1 || m.State != tasks.OutSent {
		t.Errorf("r: state %s after %d failed attempts, want sent after 1", m.State, m.Attempts)
	}
}

func TestOutbox_OrderWithinAChat(t *testing.T) {
	// In the day, messages of both kinds keep their order: a reminder does
	// not overtake an answer that waits for its retry. An answer does
	// overtake a reminder that waits.
	t.Run("reminder waits behind an answer", func(t *testing.T) {
		o, store, clock, sender := newOutbox(t, func(m tasks.OutMessage, call int) error {
			if m.Key == "a" && call == 0 {
				return errors.New("timeout")
			}
			return nil
		}, reminders.WithQuiet(testQuiet), reminders.WithBackoff(time.Minute, time.Minute))
		clock.Set(at(hcm, 2026, 3, 4, 10, 0))
		enqueueMsg(t, store, tasks.OutMessage{Key: "a", ChatID: 1, Created: clock.Now()})
		enqueueMsg(t, store, tasks.OutMessage{Key: "r", ChatID: 1, Scheduled: true, Created: clock.Now()})
		drain(t, o)
		if got := deliveredKeys(sender); len(got) != 0 {
			t.Fatalf("delivered %v while the older answer waits, want nothing", got)
		}
		clock.Advance(time.Minute)
		drain(t, o)
		if got, want := deliveredKeys(sender), []string{"a", "r"}; !slices.Equal(got, want) {
			t.Fatalf("delivered %v, want %v", got, want)
		}
	})
	t.Run("answer overtakes a waiting reminder", func(t *testing.T) {
		o, store, clock, sender := newOutbox(t, func(m tasks.OutMessage, call int) error {
			if m.Key == "r" && call == 0 {
				return errors.New("timeout")
			}
			return nil
		}, reminders.WithQuiet(testQuiet), reminders.WithBackoff(time.Minute, time.Minute))
		clock.Set(at(hcm, 2026, 3, 4, 10, 0))
		enqueueMsg(t, store, tasks.OutMessage{Key: "r", ChatID: 1, Scheduled: true, Created: clock.Now()})
		enqueueMsg(t, store, tasks.OutMessage{Key: "r2", ChatID: 1, Scheduled: true, Created: clock.Now()})
		enqueueMsg(t, store, tasks.OutMessage{Key: "a", ChatID: 1, Created: clock.Now()})
		drain(t, o)
		if got, want := deliveredKeys(sender), []string{"a"}; !slices.Equal(got, want) {
			t.Fatalf("delivered %v while the reminder waits, want %v", got, want)
		}
		clock.Advance(time.Minute)
		drain(t, o)
		if got, want := deliveredKeys(sender), []string{"a", "r", "r2"}; !slices.Equal(got, want) {
			t.Fatalf("delivered %v, want %v", got, want)
		}
	})
}

func TestOutbox_GivesUpAfterMaxAge(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   []reminders.OutboxOption
		maxAge time.Duration
	}{
		{"default 24h", nil, 24 * time.Hour},
		{"WithMaxAge 2h", []reminders.OutboxOption{reminders.WithMaxAge(2 * time.Hour)}, 2 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs logBuffer
			opts := append([]reminders.OutboxOption{reminders.WithBackoff(time.Minute, time.Hour), reminders.WithOutboxLogger(logs.logger())}, tc.opts...)
			o, store, clock, sender := newOutbox(t, func(m tasks.OutMessage, _ int) error {
				if m.Key == "stuck" {
					return &tasks.SendError{Err: errors.New("500 Internal Server Error")}
				}
				return nil
			}, opts...)
			enqueueMsg(t, store, tasks.OutMessage{Key: "stuck", ChatID: 1, Created: t0})
			enqueueMsg(t, store, tasks.OutMessage{Key: "next", ChatID: 1, Created: t0})
			for range 200 {
				drain(t, o)
				q := queued(t, store)
				if len(q) == 0 {
					break
				}
				clock.Set(q[0].NotBefore)
			}
			m := stored(t, store, "stuck")
			if m.State != tasks.OutFailed || !strings.Contains(m.LastError, "500") {
				t.Fatalf("stuck: state %s, last error %q; want failed with the last error", m.State, m.LastError)
			}
			var last time.Time
			for _, c := range sender.allCalls() {
				if c.Key == "stuck" {
					last = c.At
				}
			}
			if last.Before(t0.Add(tc.maxAge)) || last.After(t0.Add(tc.maxAge+time.Hour)) {
				t.Errorf("given up at %s after creation, want within the backoff ceiling after %s", last.Sub(t0), tc.maxAge)
			}
			if got := deliveredKeys(sender); !slices.Equal(got, []string{"next"}) {
				t.Errorf("delivered %v, want the chat's next message once the stuck one is given up", got)
			}
			if s := o.Stats(); s.Failed != 1 || s.Sent != 1 {
				t.Errorf("stats %+v, want 1 failed, 1 sent", s)
			}
			if l := logs.String(); !strings.Contains(l, "level=ERROR") || !strings.Contains(l, "key=stuck") {
				t.Errorf("log %q, want an error line naming the message", l)
			}
		})
	}
	t.Run("no creation time: aged from its first failure", func(t *testing.T) {
		o, store, clock, _ := newOutbox(t, func(tasks.OutMessage, int) error { return errors.New("timeout") },
			reminders.WithBackoff(time.Hour, time.Hour), reminders.WithMaxAge(2*time.Hour))
		clock.Set(t0.Add(100 * time.Hour))
		enqueueMsg(t, store, tasks.OutMessage{Key: "old", ChatID: 1})
		drain(t, o)
		if m := stored(t, store, "old"); m.State != tasks.OutQueued {
			t.Fatalf("after one failure: %s, want still queued", m.State)
		}
		for range 2 {
			clock.Advance(time.Hour)
			drain(t, o)
		}
		if m := stored(t, store, "old"); m.State != tasks.OutQueued {
			t.Fatalf("after 2h of failures: %s, want still queued", m.State)
		}
		clock.Advance(time.Hour)
		drain(t, o)
		if m := stored(t, store, "old"); m.State != tasks.OutFailed || m.Attempts != 4 {
			t.Errorf("state %s after %d attempts, want failed after 4 (3h of failures, more than 2h)", m.State, m.Attempts)
		}
	})
}

func describeFile(f *tasks.File) string {
	if f == nil {
		return "none"
	}
	return fmt.Sprintf("%q with %d bytes", f.Name, len(f.Data))
}

func TestOutbox_DropsFileDataOnceSent(t *testing.T) {
	chart := bytes.Repeat([]byte{0x89}, 5000)
	xlsx := bytes.Repeat([]byte{'P'}, 7000)
	failedLater := false
	o, store, clock, sender := newOutbox(t, func(m tasks.OutMessage, _ int) error {
		if m.Key == "later" && !failedLater {
			failedLater = true
			return errors.New("timeout")
		}
		return nil
	})
	enqueueMsg(t, store, tasks.OutMessage{Key: "digest", ChatID: committeeChat, Photo: &tasks.File{Name: "tien-do.png", Data: chart}, Created: t0})
	enqueueMsg(t, store, tasks.OutMessage{Key: "export", ChatID: 1, Document: &tasks.File{Name: "nhiem-vu.xlsx", Data: xlsx}, Created: t0})
	enqueueMsg(t, store, tasks.OutMessage{Key: "later", ChatID: 2, Document: &tasks.File{Name: "b.xlsx", Data: xlsx}, Created: t0})
	drain(t, o)
	for _, r := range sender.allCalls() {
		if want := map[string]int{"digest": len(chart), "export": len(xlsx), "later": len(xlsx)}[r.Key]; r.Bytes != want {
			t.Errorf("%s sent with %d bytes of file, want %d", r.Key, r.Bytes, want)
		}
	}
	if m := stored(t, store, "digest"); m.Photo == nil || m.Photo.Name != "tien-do.png" || m.Photo.Data != nil {
		t.Errorf("sent digest stored with photo %s, want its name and no data", describeFile(m.Photo))
	}
	if m := stored(t, store, "export"); m.Document == nil || m.Document.Name != "nhiem-vu.xlsx" || m.Document.Data != nil {
		t.Errorf("sent export stored with document %s, want its name and no data", describeFile(m.Document))
	}
	if m := stored(t, store, "later"); m.Document == nil || len(m.Document.Data) != len(xlsx) {
		t.Fatalf("queued message lost its file data before it was sent: %s", describeFile(m.Document))
	}
	clock.Advance(time.Minute)
	drain(t, o)
	if got := sender.delivered(); len(got) != 3 || got[2].Key != "later" || got[2].Bytes != len(xlsx) {
		t.Fatalf("delivered %+v, want the retried message with its whole file", got)
	}
	if m := stored(t, store, "later"); m.Document.Data != nil {
		t.Errorf("retried message stored with %d bytes of file once sent, want none", len(m.Document.Data))
	}
}

func TestOutbox_PrunesOldRecords(t *testing.T) {
	const day = 24 * time.Hour
	o, store, clock, _ := newOutbox(t, func(m tasks.OutMessage, _ int) error {
		if m.ChatID == 7 {
			return &tasks.SendError{Permanent: true, Err: errors.New("Forbidden: bot was blocked by the user")}
		}
		return nil
	})
	enqueueMsg(t, store, tasks.OutMessage{Key: "sent-old", ChatID: 1, Created: t0})
	enqueueMsg(t, store, tasks.OutMessage{Key: "failed-old", ChatID: 7, Created: t0})
	enqueueMsg(t, store, tasks.OutMessage{Key: "queued-old", ChatID: 2, Created: t0, NotBefore: t0.Add(1000 * day)})
	drain(t, o)
	if n := store.pruneCalls(); n != 1 {
		t.Fatalf("%d prunes on the first pass, want 1", n)
	}
	clock.Advance(89 * day)
	enqueueMsg(t, store, tasks.OutMessage{Key: "sent-89", ChatID: 1, Created: clock.Now()})
	drain(t, o)
	clock.Advance(time.Hour)
	drain(t, o)
	if n := store.pruneCalls(); n != 2 {
		t.Errorf("%d prunes in 89 days and an hour, want 2 (at most one a day)", n)
	}
	if n := len(store.outbox()); n != 4 {
		t.Errorf("%d records before 90 days, want all 4", n)
	}

	clock.Advance(2 * day) // 91 days after t0
	drain(t, o)
	var keys []string
	for _, m := range store.outbox() {
		keys = append(keys, m.Key)
	}
	if want := []string{"queued-old", "sent-89"}; !slices.Equal(keys, want) {
		t.Errorf("outbox holds %v after 91 days, want %v (queued messages and recent ones stay)", keys, want)
	}
	if s := o.Stats(); s.Pruned != 2 {
		t.Errorf("stats %+v, want 2 pruned", s)
	}

	// A restart within the day does not prune again; WithRetention is
	// obeyed.
	calls := store.pruneCalls()
	o2 := reminders.NewOutbox(store, &fakeSender{clock: clock}, reminders.WithOutboxClock(clock), reminders.WithRetention(day))
	drain(t, o2)
	if n := store.pruneCalls(); n != calls {
		t.Errorf("a restart pruned again within the day (%d prunes, want %d)", n, calls)
	}
	clock.Advance(day)
	drain(t, o2)
	keys = nil
	for _, m := range store.outbox() {
		keys = append(keys, m.Key)
	}
	if want := []string{"queued-old"}; !slices.Equal(keys, want) {
		t.Errorf("outbox holds %v with a retention of a day, want %v", keys, want)
	}
}

// TestOutbox_MaintenanceSweepsState: the daily maintenance also sweeps the
// short-lived records, once a day, even when old messages are kept for
// ever (a retention of zero), and counts what it swept.
func TestOutbox_MaintenanceSweepsState(t *testing.T) {
	const day = 24 * time.Hour
	o, store, clock, _ := newOutbox(t, nil, reminders.WithRetention(0))
	deadline := tasks.DateOf(t0, time.UTC)
	store.mustUpdate(t, func(tx tasks.Tx) error {
		return tx.PutReminderMark(tasks.ReminderMark{Kind: tasks.StateDueSoon, Task: "CCHC-01", Deadline: deadline, Days: 1, At: t0})
	})
	drain(t, o)
	if n := store.sweepCalls(); n != 1 {
		t.Fatalf("%d sweeps on the first pass, want 1", n)
	}
	if n := store.pruneCalls(); n != 0 {
		t.Errorf("%d prunes with a retention of zero, want none", n)
	}
	clock.Advance(3 * day)
	drain(t, o)
	clock.Advance(time.Hour)
	drain(t, o)
	if n := store.sweepCalls(); n != 2 {
		t.Errorf("%d sweeps in three days and an hour, want 2 (at most one a day)", n)
	}
	if got := o.Stats().Swept[tasks.StateDueSoon]; got != 1 {
		t.Errorf("Stats().Swept[due_soon]=%d, want 1 (its deadline passed two days ago)", got)
	}
	store.mustUpdate(t, func(tx tasks.Tx) error {
		if ok, err := tx.ReminderMarked(tasks.ReminderMark{Kind: tasks.StateDueSoon, Task: "CCHC-01", Deadline: deadline, Days: 1}); ok || err != nil {
			t.Errorf("ReminderMarked after the sweep=%v,%v, want false", ok, err)
		}
		return nil
	})
}

func TestOutbox_AgeCountsFromTheFirstFailure(t *testing.T) {
	// A reminder queued three days ago and held (a long holiday) fails once
	// when it may finally go: it is retried, not given up.
	calls := 0
	o, store, clock, sender := newOutbox(t, func(m tasks.OutMessage, n int) error {
		calls++
		if calls == 1 {
			return errors.New("connection reset")
		}
		return nil
	}, reminders.WithMaxAge(24*time.Hour), reminders.WithBackoff(time.Second, time.Minute))
	enqueueMsg(t, store, tasks.OutMessage{Key: "weekly:held", ChatID: 7, Text: "x", Created: clock.Now().Add(-72 * time.Hour)})
	drain(t, o)
	clock.Advance(2 * time.Second)
	drain(t, o)
	if got := sender.delivered(); len(got) != 1 || got[0].Key != "weekly:held" {
		t.Fatalf("delivered %v, want the held reminder once", got)
	}
}
