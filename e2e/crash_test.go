//go:build unix

package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"steerbot/bot/telegramtest"
	"steerbot/reminders"
	"steerbot/tasks"
)

// The environment that makes TestFanoutSurvivesKill, run again in a child
// process, the sending process of
// TestFanoutSurvivesKill.
const (
	childDBEnv  = "STEERBOT_E2E_CHILD_DB"
	childAPIEnv = "STEERBOT_E2E_CHILD_API"
)

// TestFanoutSurvivesKill kills the process that sends a fan-out with
// SIGKILL in the middle, restarts the outbox on the same database, and
// checks that every head got exactly one reminder: none lost, none twice.
//
// The parent queues the reminders, then runs this test binary again as a
// child (this same test, re-run with the child environment) that opens the
// database and drains the outbox
// through a proxy in front of the fake Telegram. The proxy forwards the
// first `delivered` sendMessage requests and holds the next one without
// forwarding it; when it is held the parent kills the child. The outbox
// marks each message sent, durably, before it sends the next one, so at
// that moment exactly `delivered` messages reached Telegram and exactly
// those are marked sent; the restarted outbox sends the rest.
//
// Holding the request makes "exactly once" deterministic. Telegram cannot
// tell a client whether a send that was cut off was delivered, and the
// outbox promises at least once there: a process killed after Telegram
// accepted a message but before the mark was committed sends that message
// again after the restart. That window (one HTTP answer and one bbolt
// commit) remains, and this test does not hit it on purpose.
func TestFanoutSurvivesKill(t *testing.T) {
	if os.Getenv(childDBEnv) != "" {
		fanoutChild(t)
		return
	}
	t.Parallel()
	const heads, delivered = 40, 15
	loc := hcm(t)
	dbPath := t.TempDir() + "/steerbot.db"
	srv := telegramtest.New(telegramtest.WithLimits(serverLimits(scaledLimits)))
	t.Cleanup(srv.Close)

	st := openStore(t, dbPath)
	seedHeads(t, st, loc, heads)
	if n := remindAll(t, st, newBot(t, st, loc, srv.URL()), loc); n != heads {
		t.Fatalf("queued %d reminders, want %d", n, heads)
	}
	if err := st.Close(); err != nil {
		t.Fatalf("close store: %v", err)
	}

	px := newProxy(t, srv.URL(), delivered)
	cmd := exec.Command(os.Args[0], "-test.run=^TestFanoutSurvivesKill$", "-test.v", "-test.timeout=2m")
	cmd.Env = append(os.Environ(), childDBEnv+"="+dbPath, childAPIEnv+"="+px.URL())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start child: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	select {
	case <-px.held:
	case err := <-exited:
		t.Fatalf("child ended (%v) before its send %d was held; output:\n%s", err, delivered+1, out.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("child did not reach send %d in 30s; output:\n%s", delivered+1, out.String())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill child: %v", err)
	}
	err := <-exited
	var ee *exec.ExitError
	if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, want killed by SIGKILL; output:\n%s", err, out.String())
	}
	if got := srv.Count("sendMessage"); got != delivered {
		t.Fatalf("Telegram got %d sends before the kill, want %d", got, delivered)
	}

	// Restart on the same file, straight to Telegram.
	st = openStore(t, dbPath)
	if c := countStates(outbox(t, st)); c[tasks.OutSent] != delivered || c[tasks.OutQueued] != heads-delivered {
		t.Fatalf("after the kill the outbox holds %v, want %d sent and %d queued", c, delivered, heads-delivered)
	}
	ob := reminders.NewOutbox(st, newBot(t, st, loc, srv.URL()), reminders.WithLimits(scaledLimits))
	if err := ob.Drain(context.Background()); err != nil {
		t.Fatalf("drain after restart: %v", err)
	}
	checkOnePerHead(t, srv, heads)
	if got := srv.Count("sendMessage"); got != heads {
		t.Errorf("sendMessage requests = %d, want %d", got, heads)
	}
	if c := countStates(outbox(t, st)); c[tasks.OutSent] != heads {
		t.Errorf("after the restart the outbox holds %v, want all %d sent", c, heads)
	}
	if got := srv.Count429(); got != 0 {
		t.Errorf("429 answers = %d, want 0", got)
	}
}

// fanoutChild is the process that TestFanoutSurvivesKill kills: it drains
// the outbox of the database it is given through the Bot API it is given.
func fanoutChild(t *testing.T) {
	dbPath, api := os.Getenv(childDBEnv), os.Getenv(childAPIEnv)
	loc := hcm(t)
	st := openStore(t, dbPath)
	ob := reminders.NewOutbox(st, newBot(t, st, loc, api), reminders.WithLimits(scaledLimits))
	// The parent kills this process while a send is held, so Drain should
	// never return.
	err := ob.Drain(context.Background())
	t.Fatalf("drain returned (%v): the parent should have killed this process", err)
}
