package e2e_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"steerbot/bot"
	"steerbot/bot/telegramtest"
	"steerbot/reminders"
	"steerbot/tasks"
)

// BenchmarkFanout drains a fan-out of b.N reminders, one to each of b.N
// unit heads, against a fake Telegram enforcing 300 messages a second in
// all and 1 a second per chat, with the outbox limited to the same 300/s.
// It reports the rate achieved as a fraction of that limit (the goal is at
// least 0.9) and the 429 answers (must be 0):
//
//	go test -run '^$' -bench Fanout -benchtime 200x ./e2e/
func BenchmarkFanout(b *testing.B) {
	lim := reminders.Limits{GlobalPerSec: 300, PerChatPerSec: 1, PerGroupPerMin: 20}
	loc := hcm(b)
	srv := telegramtest.New(telegramtest.WithLimits(serverLimits(lim)))
	b.Cleanup(srv.Close)
	st := openStore(b, b.TempDir()+"/steerbot.db")
	seedHeads(b, st, loc, b.N)
	bt := newBot(b, st, loc, srv.URL())
	if n := remindAll(b, st, bt, loc); n != b.N {
		b.Fatalf("queued %d reminders, want %d", n, b.N)
	}
	ob := reminders.NewOutbox(st, bt, reminders.WithLimits(lim))

	b.ResetTimer()
	start := time.Now()
	if err := ob.Drain(context.Background()); err != nil {
		b.Fatalf("drain: %v", err)
	}
	took := time.Since(start)
	b.StopTimer()

	if got := len(srv.Sent()); got != b.N {
		b.Fatalf("delivered %d, want %d", got, b.N)
	}
	// The limiter lets the first message go at once and each later one
	// 1/300 s after the one before: n messages take (n-1)/300 s at best.
	if b.N > 1 {
		rate := float64(b.N-1) / took.Seconds()
		b.ReportMetric(rate, "msgs/s")
		b.ReportMetric(rate/lim.GlobalPerSec, "of-limit")
	}
	b.ReportMetric(float64(srv.Count429()), "429s")
	if n := srv.Count429(); n != 0 {
		b.Errorf("429 answers = %d, want 0", n)
	}
}

// BenchmarkUpdatePath measures the whole path of one update: a head sends
// "/update NV-0000 NN%", the bot fetches it with getUpdates (long polling),
// stores it in its inbox, applies it and queues the answer in one commit,
// and the outbox sends the answer to the fake Telegram. Each iteration
// waits for its answer before the next update, and reports the latency
// from the user's message to the bot's answer (median and 99th percentile)
// and the updates handled per second. The outbox's rate limits are set out
// of the way: they are BenchmarkFanout's business, and the 1 message a
// second to one chat would otherwise be all this measures.
//
//	go test -run '^$' -bench UpdatePath -benchtime 200x ./e2e/
func BenchmarkUpdatePath(b *testing.B) {
	loc := hcm(b)
	srv := telegramtest.New()
	b.Cleanup(srv.Close)
	st := openStore(b, b.TempDir()+"/steerbot.db")
	seedHeads(b, st, loc, 1)
	var ob *reminders.Outbox
	bt := newBot(b, st, loc, srv.URL(), func(o *bot.Options) {
		o.Clock = tasks.SystemClock
		o.PollTimeout = time.Second
		o.Kick = func() { ob.Kick() }
	})
	ob = reminders.NewOutbox(st, bt, reminders.WithLimits(reminders.Limits{GlobalPerSec: 1e6, PerChatPerSec: 1e6, PerGroupPerMin: 1e6}))

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := bt.Poll(ctx); err != nil {
			b.Errorf("poll: %v", err)
		}
	})
	wg.Go(func() {
		if err := ob.Run(ctx); err != nil {
			b.Errorf("outbox: %v", err)
		}
	})
	defer func() {
		cancel()
		wg.Wait()
	}()

	user := head(0)
	chat := telegramtest.Private(user)
	wait := waitCtx(b, time.Minute)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		progress := 11 + i%80
		sent := time.Now()
		srv.SendText(user, chat, fmt.Sprintf("/update %s %d%%", taskCode(0), progress))
		msgs, err := srv.WaitSent(wait, chat.ID, i+1)
		if err != nil {
			b.Fatalf("update %d: %v", i, err)
		}
		lat = append(lat, time.Since(sent))
		if got := msgs[i].Text; !strings.Contains(got, taskCode(0)) || !strings.Contains(got, fmt.Sprintf("%d%%", progress)) {
			b.Fatalf("answer %d = %q, want %s saved at %d%%", i, got, taskCode(0), progress)
		}
	}
	took := time.Since(start)
	b.StopTimer()

	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[len(lat)/2]), "ms-p50")
	b.ReportMetric(ms(lat[(len(lat)*99+99)/100-1]), "ms-p99")
	b.ReportMetric(float64(b.N)/took.Seconds(), "updates/s")
}
