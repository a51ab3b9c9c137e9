package taskstest_test

import (
	"context"
	"testing"
	"time"

	"steerbot/tasks/taskstest"
)

func TestClock_AfterFiresWhenMoved(t *testing.T) {
	t0 := time.Date(2023, 10, 16, 8, 0, 0, 0, time.UTC)
	c := taskstest.NewClock(t0)
	woke := make(chan time.Time)
	go func() { woke <- <-c.After(time.Minute) }()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.BlockUntil(ctx, 1); err != nil {
		t.Fatalf("the waiter never waited: %v", err)
	}
	c.Advance(59 * time.Second)
	if n := c.Waiting(); n != 1 {
		t.Fatalf("%d waiting after 59s, want 1: fired early", n)
	}
	c.Advance(time.Second)
	if got := <-woke; !got.Equal(t0.Add(time.Minute)) {
		t.Errorf("woke at %v, want %v", got, t0.Add(time.Minute))
	}
	if n := c.Waiting(); n != 0 {
		t.Errorf("%d waiting after it fired, want 0", n)
	}
	select {
	case <-c.After(0):
	default:
		t.Error("After(0) did not fire at once")
	}
}

func TestSkippingClock_AfterMovesItself(t *testing.T) {
	t0 := time.Date(2023, 10, 16, 8, 0, 0, 0, time.UTC)
	c := taskstest.NewSkippingClock(t0)
	if got := <-c.After(time.Hour); !got.Equal(t0.Add(time.Hour)) || !c.Now().Equal(t0.Add(time.Hour)) {
		t.Errorf("after an hour's wait: got %v, now %v; want both %v", got, c.Now(), t0.Add(time.Hour))
	}
}
