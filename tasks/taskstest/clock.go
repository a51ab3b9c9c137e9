// Package taskstest holds small fakes of the tasks package's interfaces for
// tests and for the demo: a clock that moves only when told.
package taskstest

import (
	"context"
	"sync"
	"time"
)

// Clock is a tasks.Clock that stands still until Set or Advance moves it.
// Its After channels fire when the clock is moved to or past their time,
// so code that waits on the clock (retries, tickers, scheduled backups)
// wakes when a test moves it, and a test can wait with BlockUntil until
// that code is waiting. A skipping clock (NewSkippingClock) instead moves
// itself forward in After. It is safe for concurrent use.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	skip    bool
	waiters []waiter
	changed chan struct{} // closed and replaced whenever waiters changes
}

// waiter is one pending After.
type waiter struct {
	at time.Time
	ch chan time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t, changed: make(chan struct{})} }

// NewSkippingClock returns a clock standing at t whose After moves it
// forward by d at once and returns a channel that already holds the new
// time: for code that waits without anything else happening meanwhile
// (the outbox draining under its rate limits), so it takes no real time.
func NewSkippingClock(t time.Time) *Clock {
	c := NewClock(t)
	c.skip = true
	return c
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t and fires the After channels due by then.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
	c.fireLocked()
}

// Advance moves the clock by d and fires the After channels due by then.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.fireLocked()
}

// After returns a channel that receives the clock's time once the clock
// has been moved d past now (at once when d <= 0). A skipping clock moves
// itself.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if c.skip && d > 0 {
		c.now = c.now.Add(d)
		c.fireLocked()
	}
	if d <= 0 || c.skip {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, waiter{at: c.now.Add(d), ch: ch})
	c.changedLocked()
	return ch
}

// Waiting returns how many After channels wait for the clock to move.
// A channel abandoned by its reader still counts until it fires.
func (c *Clock) Waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// BlockUntil waits until at least n After channels wait for the clock to
// move, or ctx ends: a test's way to know that the code under test has
// reached its wait before moving the clock.
func (c *Clock) BlockUntil(ctx context.Context, n int) error {
	for {
		c.mu.Lock()
		if c.changed == nil {
			c.changed = make(chan struct{})
		}
		got, changed := len(c.waiters), c.changed
		c.mu.Unlock()
		if got >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}

// fireLocked sends the time to every waiter due by now.
func (c *Clock) fireLocked() {
	kept := c.waiters[:0]
	fired := false
	for _, w := range c.waiters {
		if w.at.After(c.now) {
			kept = append(kept, w)
			continue
		}
		w.ch <- c.now
		fired = true
	}
	clear(c.waiters[len(kept):])
	c.waiters = kept
	if fired {
		c.changedLocked()
	}
}

// changedLocked wakes BlockUntil.
func (c *Clock) changedLocked() {
	if c.changed == nil {
		c.changed = make(chan struct{})
	}
	close(c.changed)
	c.changed = make(chan struct{})
}
