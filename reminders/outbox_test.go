package reminders_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
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
