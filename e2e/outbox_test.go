package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"steerbot/bot"
	"steerbot/bot/telegramtest"
	"steerbot/reminders"
	"steerbot/tasks"
	"steerbot/tasks/taskstest"
)

// TestFanout500 sends a reminder to each of 500 unit heads, plus three
// escalations to the committee group, through the outbox, against a fake
// Telegram that answers 429 to anything faster than its limits. The outbox
// must stay under them (no 429 at all) and every head must get exactly one
// reminder.
//
// Both sides run at Telegram's limits scaled up ten times (300 messages a
// second in all, 10 a second to one chat, 200 a minute to one group), which
// takes about two seconds. The same run at Telegram's real limits is the
// soak test TestFanout500Soak (soak_test.go, build tag soak):
//
//	go test -tags soak -run TestFanout500Soak -v ./e2e/
func TestFanout500(t *testing.T) {
	t.Parallel()
	fanout500(t, scaledLimits)
}

func fanout500(t *testing.T, lim reminders.Limits) {
	const heads, escalations = 500, 3
	loc := hcm(t)
	srv := telegramtest.New(telegramtest.WithLimits(serverLimits(lim)))
	t.Cleanup(srv.Close)
	st := openStore(t, t.TempDir()+"/steerbot.db")
	seedHeads(t, st, loc, heads)
	b := newBot(t, st, loc, srv.URL())
	if err := st.Update(context.Background(), func(tx tasks.Tx) error {
		for i := range escalations {
			e := tasks.Escalation{
				Key: fmt.Sprintf("esc:e2e:%d", i), DaysLate: 5,
				Task: tasks.Task{Code: taskCode(i), Title: "Nhiệm vụ quá hạn", Unit: unitCode(i), Deadline: tasks.Date{Year: 2023, Month: 10, Day: 11}, Progress: 40},
				Unit: tasks.Unit{Code: unitCode(i), Name: fmt.Sprintf("Đơn vị %d", i)},
			}
			if err := b.Escalate(tx, e.Key, []tasks.Escalation{e}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatalf("queue escalations: %v", err)
	}
	if n := remindAll(t, st, b, loc); n != heads {
		t.Fatalf("queued %d reminders, want %d", n, heads)
	}

	ob := reminders.NewOutbox(st, b, reminders.WithLimits(lim))
	start := time.Now()
	if err := ob.Drain(context.Background()); err != nil {
		t.Fatalf("drain: %v", err)
	}
	took := time.Since(start)

	if got := srv.Count429(); got != 0 {
		t.Errorf("429 answers = %d, want 0", got)
	}
	checkOnePerHead(t, srv, heads)
	if got := srv.SentTo(committeeChat); len(got) != escalations {
		t.Errorf("committee group got %d messages, want %d", len(got), escalations)
	}
	if got, want := srv.Count("sendMessage"), heads+escalations; got != want {
		t.Errorf("sendMessage requests = %d, want %d", got, want)
	}
	if c := countStates(outbox(t, st)); c[tasks.OutSent] != heads+escalations {
		t.Errorf("outbox states %v, want all %d sent", c, heads+escalations)
	}
	t.Logf("%d messages in %v: %.0f/s (limit %.0f/s)", heads+escalations, took.Round(time.Millisecond),
		float64(heads+escalations-1)/took.Seconds(), lim.GlobalPerSec)
}

// TestRetryAfterObeyed: Telegram answers the first send 429 with
// retry_after 2. The outbox, running as in production, must send nothing
// at all (Telegram's flood wait holds the whole bot, not one chat) until two
// seconds after that answer, then deliver each message once. Times are
// measured at a proxy between the bot and the fake Telegram.
func TestRetryAfterObeyed(t *testing.T) {
	t.Parallel()
	const heads, retryAfter = 3, 2 * time.Second
	loc := hcm(t)
	srv := telegramtest.New()
	t.Cleanup(srv.Close)
	px := newProxy(t, srv.URL(), -1)
	st := openStore(t, t.TempDir()+"/steerbot.db")
	seedHeads(t, st, loc, heads)
	b := newBot(t, st, loc, px.URL())
	remindAll(t, st, b, loc)

	srv.FailNext("sendMessage", 1, 429, int(retryAfter/time.Second))
	ob := reminders.NewOutbox(st, b, reminders.WithLimits(scaledLimits))
	stop := runOutbox(t, ob)
	ctx := waitCtx(t, 10*time.Second)
	if err := srv.Wait(ctx, func() bool { return len(srv.Sent()) >= heads }); err != nil {
		t.Fatalf("waiting for %d deliveries: %v (got %d)", heads, err, len(srv.Sent()))
	}
	stop()

	hits := px.sendHits()
	if len(hits) != heads+1 {
		t.Fatalf("sendMessage requests = %d, want %d (one refused, then each once)", len(hits), heads+1)
	}
	if hits[0].status != 429 {
		t.Fatalf("first send answered %d, want 429", hits[0].status)
	}
	for i, h := range hits[1:] {
		if h.status != 200 {
			t.Errorf("send %d answered %d, want 200", i+2, h.status)
		}
		if gap := h.start.Sub(hits[0].end); gap < retryAfter {
			t.Errorf("send %d went %v after the 429, want at least retry_after %v", i+2, gap, retryAfter)
		}
	}
	checkOnePerHead(t, srv, heads)
	if s := ob.Stats(); s.RateLimited != 1 || s.Sent != heads {
		t.Errorf("stats %+v, want RateLimited 1, Sent %d", s, heads)
	}
}

// TestOutageLosesAndDuplicatesNothing: Telegram is down (every request 502)
// while reminders are queued. The outbox, running as in production, keeps
// retrying each message with a growing wait, and once Telegram is back every
// head gets exactly one reminder.
//
// The issue speaks of a 60-second outage with the default backoff (1 s
// doubling up to 5 min). Here both are scaled down: the backoff starts at
// 25 ms and stops growing at 200 ms, and the outage lasts 600 ms, and in
// any case until every message has been refused once, so each message
// fails at least once (under load, perhaps only once) and the test takes
// under a second. A proxy in front of the fake Telegram records each
// attempt with its chat and time.
func TestOutageLosesAndDuplicatesNothing(t *testing.T) {
	t.Parallel()
	const (
		heads               = 20
		outage              = 600 * time.Millisecond
		backoff, backoffMax = 25 * time.Millisecond, 200 * time.Millisecond
	)
	loc := hcm(t)
	srv := telegramtest.New(telegramtest.WithLimits(serverLimits(scaledLimits)))
	t.Cleanup(srv.Close)
	px := newProxy(t, srv.URL(), -1)
	st := openStore(t, t.TempDir()+"/steerbot.db")
	seedHeads(t, st, loc, heads)
	// The outbox runs on the real clock here, so the bot that stamps the
	// messages' creation time does too, as in production: with the tests'
	// Monday of 2023 the messages would be years past the outbox's max age.
	b := newBot(t, st, loc, px.URL(), func(o *bot.Options) { o.Clock = tasks.SystemClock })
	remindAll(t, st, b, loc)

	srv.SetDown(true)
	ob := reminders.NewOutbox(st, b, reminders.WithLimits(scaledLimits), reminders.WithBackoff(backoff, backoffMax))
	ctx := waitCtx(t, 15*time.Second)
	everyHeadRefused := func(hs []hit) bool {
		refused := map[int64]bool{}
		for _, h := range hs {
			if h.method == "sendMessage" && h.status == http.StatusBadGateway {
				refused[h.chatID] = true
			}
		}
		return len(refused) == heads
	}
	type end struct {
		at  time.Time
		err error
	}
	start := time.Now()
	up := make(chan end, 1)
	go func() {
		// The timer is the outage's length, part of the scenario, not a
		// way to order the test: the assertions below hold whatever it
		// measures.
		select {
		case <-time.After(outage):
		case <-ctx.Done():
		}
		err := px.waitHits(ctx, everyHeadRefused)
		srv.SetDown(false)
		up <- end{time.Now(), err}
	}()
	stop := runOutbox(t, ob)
	if err := srv.Wait(ctx, func() bool { return len(srv.Sent()) >= heads }); err != nil {
		t.Fatalf("waiting for %d deliveries: %v (got %d)", heads, err, len(srv.Sent()))
	}
	e := <-up
	if e.err != nil {
		t.Fatalf("waiting for every message to be refused once: %v", e.err)
	}
	downFor := e.at.Sub(start)
	stop()

	checkOnePerHead(t, srv, heads)
	// The most failed attempts a message can have had: its first attempt
	// came after start and each retry at least backoff(k) after the one
	// before, all while Telegram was down.
	maxAttempts, waited := 1, time.Duration(0)
	for d := backoff; ; d = min(2*d, backoffMax) {
		if waited += d; waited > downFor {
			break
		}
		maxAttempts++
	}
	ms := outbox(t, st)
	if len(ms) != heads {
		t.Fatalf("outbox holds %d messages, want %d", len(ms), heads)
	}
	total := 0
	for _, m := range ms {
		total += m.Attempts
		if m.State != tasks.OutSent {
			t.Errorf("message to %d is %s, want sent", m.ChatID, m.State)
		}
		if m.Attempts < 1 || m.Attempts > maxAttempts {
			t.Errorf("message to %d failed %d times in a %v outage, want 1..%d (refused at least once, retried with backoff)", m.ChatID, m.Attempts, downFor, maxAttempts)
		}
		if !strings.Contains(m.LastError, "502") {
			t.Errorf("message to %d: last error %q, want the 502 of the outage", m.ChatID, m.LastError)
		}
	}
	if total < heads {
		t.Errorf("%d failed attempts in all, want at least one per message (%d)", total, heads)
	}
	if got, want := srv.Count("sendMessage"), total+heads; got != want {
		t.Errorf("sendMessage requests = %d, want %d failed + %d delivered", got, total, heads)
	}
	// Each retry of a message came at least its backoff after the attempt
	// before (measured from when the proxy received each request, which
	// precedes the outbox's reading of the clock after the answer).
	tries := map[int64][]hit{}
	for _, h := range px.sendHits() {
		tries[h.chatID] = append(tries[h.chatID], h)
	}
	if len(tries) != heads {
		t.Errorf("sendMessage requests went to %d chats, want %d", len(tries), heads)
	}
	for chat, hs := range tries {
		d := backoff
		for i := 1; i < len(hs); i++ {
			if gap := hs[i].start.Sub(hs[i-1].start); gap < d {
				t.Errorf("chat %d: attempt %d came %v after the one before, want at least the backoff %v", chat, i+1, gap, d)
			}
			d = min(2*d, backoffMax)
		}
		if last := hs[len(hs)-1]; last.status != http.StatusOK {
			t.Errorf("chat %d: last attempt answered %d, want 200", chat, last.status)
		}
	}
	if got := srv.Count429(); got != 0 {
		t.Errorf("429 answers = %d, want 0", got)
	}
	t.Logf("outage of %v: %d failed attempts for %d messages (at most %d each)", downFor.Round(time.Millisecond), total, heads, maxAttempts)
}

// TestBlockedChatNotRetried: a head who blocked the bot gets a 403. The
// outbox marks that message failed and never asks Telegram again, while the
// others are delivered. The outbox's clock is fake, so "never again" spans
// an hour of its time: longer than any backoff.
func TestBlockedChatNotRetried(t *testing.T) {
	t.Parallel()
	const heads, blocked = 5, 2
	loc := hcm(t)
	srv := telegramtest.New()
	t.Cleanup(srv.Close)
	st := openStore(t, t.TempDir()+"/steerbot.db")
	seedHeads(t, st, loc, heads)
	b := newBot(t, st, loc, srv.URL())
	remindAll(t, st, b, loc)
	srv.Block(headID(blocked))

	clock := taskstest.NewSkippingClock(monday(loc))
	ob := reminders.NewOutbox(st, b, reminders.WithOutboxClock(clock), reminders.WithLimits(scaledLimits))
	ctx := context.Background()
	if err := ob.Drain(ctx); err != nil {
		t.Fatalf("drain: %v", err)
	}
	clock.Advance(time.Hour)
	if err := ob.Drain(ctx); err != nil {
		t.Fatalf("drain an hour later: %v", err)
	}

	if got := srv.Count("sendMessage"); got != heads {
		t.Errorf("sendMessage requests = %d, want %d (one each, the blocked chat included, no retry)", got, heads)
	}
	for i := range heads {
		want := 1
		if i == blocked {
			want = 0
		}
		if got := len(srv.SentTo(headID(i))); got != want {
			t.Errorf("head %d got %d messages, want %d", i, got, want)
		}
	}
	for _, m := range outbox(t, st) {
		switch {
		case m.ChatID == headID(blocked) && (m.State != tasks.OutFailed || !strings.Contains(m.LastError, "blocked")):
			t.Errorf("message to the blocked head: state %s, error %q; want failed, blocked", m.State, m.LastError)
		case m.ChatID != headID(blocked) && m.State != tasks.OutSent:
			t.Errorf("message to %d: state %s, want sent", m.ChatID, m.State)
		}
	}
	if s := ob.Stats(); s.Failed != 1 || s.Sent != heads-1 || s.Retried != 0 {
		t.Errorf("stats %+v, want Failed 1, Sent %d, Retried 0", s, heads-1)
	}
}
