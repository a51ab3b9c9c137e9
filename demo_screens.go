package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"

	"steerbot/dashboard"
	"steerbot/sample"
	"steerbot/tasks"
)

// committeePolicy is the committee's rules of who may do what, from its
// configuration.
func committeePolicy(cfg *Config) tasks.Policy {
	return tasks.Policy{SecretariatDecides: cfg.Committee.SecretariatDecides, ConfirmDone: cfg.Committee.ConfirmDone, RequireEvidence: cfg.Committee.RequireEvidence}
}

// findChromium returns the browser the demo photographs the dashboard
// with: $STEERBOT_CHROMIUM when set ("off" for none), else a Chromium or
// Chrome on PATH; "" when there is none.
func findChromium(getenv func(string) string) string {
	switch p := getenv("STEERBOT_CHROMIUM"); p {
	case "off":
		return ""
	case "":
	default:
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// demoScreenshots serves the demo committee's dashboard on a loopback
// port, signs the chair in through a one-time link as a member who sent
// /dashboard would, and photographs the overview and the unit with the
// most tasks at a phone's width (375 px) in headless Chromium at exe,
// whose profile lives in dir. It changes nothing the transcript shows:
// the bot itself runs without a dashboard.
func demoScreenshots(ctx context.Context, m *Main, exe, dir string) ([]tasks.File, error) {
	cfg := m.Config
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("dashboard listener: %w", err)
	}
	base := "http://" + ln.Addr().String()
	srv, err := dashboard.New(dashboard.Options{
		Store: m.Store, Policy: committeePolicy(cfg), Clock: m.Clock, Loc: cfg.Location, Logger: m.Logger,
		Token: cfg.Telegram.Token, URL: base, Lang: cfg.Committee.Language, CommitteeName: cfg.Committee.Name,
		DueSoonDays: dueSoon(cfg), BotUsername: func() string { return m.Bot.Username() },
	})
	if err != nil {
		ln.Close()
		return nil, err
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx, ln) }()
	defer func() { stop(); <-served }()

	var link, unit string
	err = m.Store.Update(ctx, func(tx tasks.Tx) error {
		chair, err := tx.MemberByTelegram(sample.ChairID)
		if err != nil {
			return err
		}
		if link, err = srv.NewLink(tx, chair, m.Clock.Now()); err != nil {
			return err
		}
		ts, err := tasks.DigestTasks(tx)
		if err != nil {
			return err
		}
		unit = busiestUnit(ts)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dashboard link: %w", err)
	}
	if unit == "" {
		return nil, errors.New("the demo committee has no task")
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(filepath.Join(dir, "chromium")),
		chromedp.Env("TMPDIR="+dir), // its own temporary files go where the demo's do
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(bctx); err != nil { // starts the browser, with no deadline on it
		return nil, fmt.Errorf("start chromium: %w", err)
	}
	bctx, cancelRun := context.WithTimeout(bctx, time.Minute)
	defer cancelRun()
	shoot := func(url, ready string) ([]byte, error) {
		if err := chromedp.Do(bctx, chromedp.Navigate(url), chromedp.WaitVisible(ready)); err != nil {
			return nil, err
		}
		return chromedp.Run(bctx, chromedp.FullScreenshot(100))
	}
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		return nil, fmt.Errorf("chromium: %w", err)
	}
	// The link's page sends its form by itself and lands on the overview.
	overview, err := shoot(link, "#done-ratio")
	if err != nil {
		return nil, fmt.Errorf("chromium: overview: %w", err)
	}
	unitPage, err := shoot(base+"/units/"+unit, "main h1")
	if err != nil {
		return nil, fmt.Errorf("chromium: unit %s: %w", unit, err)
	}
	return []tasks.File{{Name: "overview.png", Data: overview}, {Name: "unit-" + unit + ".png", Data: unitPage}}, nil
}

// busiestUnit is the code of the unit that leads the most tasks, the
// first in code order among equals.
func busiestUnit(ts []tasks.Task) string {
	n := map[string]int{}
	best := ""
	for _, t := range ts {
		n[t.Unit]++
		if c := n[t.Unit]; c > n[best] || c == n[best] && t.Unit < best {
			best = t.Unit
		}
	}
	return best
}
