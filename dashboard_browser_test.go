//go:build browser

package main

// The dashboard in a real browser: headless Chromium driven over the
// DevTools protocol. Run with `go test -tags browser -run Browser .`; it
// needs Debian's chromium (apt-get install chromium) and fails without it.

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"net/url"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"steerbot/dashboard"
	"steerbot/sample"
	"steerbot/tasks"
)

// chromiumPath finds the browser or fails the test saying how to get it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatalf("no Chromium on PATH: this test drives a real browser; install it with `apt-get install -y chromium`")
	return ""
}

// TestBrowser_Dashboard signs in through the running bot's /dashboard
// link, checks the overview's figures against /digest's, sorts the units
// table by a click, opens an overdue task, and saves screenshots at phone
// and desktop width, light and dark (in STEERBOT_SCREENSHOTS when set,
// else the test's temp dir).
func TestBrowser_Dashboard(t *testing.T) {
	exe := chromiumPath(t)
	a := newApp(t, withDashboard)
	digest := a.say(sample.ChairID, "/digest")
	if !strings.Contains(digest.Text, "47/79 nhiệm vụ đã hoàn thành, chiếm 59%") {
		t.Fatalf("digest: %q", digest.Text)
	}
	// Two earlier digests, for the trend: fewer tasks were done then.
	if err := a.m.Store.Update(context.Background(), func(tx tasks.Tx) error {
		ts, err := tx.Tasks(tasks.TaskFilter{})
		if err != nil {
			return err
		}
		for i, keep := range []int{3, 2} {
			s := tasks.TakeSnapshot(ts, a.clock.Now().AddDate(0, 0, -28+14*i))
			n := 0
			for code, st := range s.Tasks {
				if st.Status == tasks.Done {
					if n%keep != 0 {
						s.Tasks[code] = tasks.TaskState{Status: tasks.InProgress, Progress: 50}
					}
					n++
				}
			}
			if err := tx.PutSnapshot(s); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	link := a.dashboardLink(sample.ChairID)
	base := "http://" + a.m.DashboardAddr()
	shots := os.Getenv("STEERBOT_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil { // starts the browser, with no deadline on it
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelRun := context.WithTimeout(ctx, 60*time.Second)
	defer cancelRun()

	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	scheme := func(dark bool) {
		t.Helper()
		v := "light"
		if dark {
			v = "dark"
		}
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v}}}); err != nil {
			t.Fatalf("color scheme: %v", err)
		}
	}
	shoot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Sign in: the link's page sends its form by itself.
	do("open the link", chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)),
		chromedp.Navigate(link), chromedp.WaitVisible("#done-ratio"))
	if got := text("#done-ratio"); !strings.Contains(got, "47/79") || !strings.Contains(got, "(59%)") {
		t.Fatalf("overview shows %q, /digest says 47/79 (59%%)", got)
	}
	shoot("overview-375-light.png")
	scheme(true)
	shoot("overview-375-dark.png")
	scheme(false)
	do("desktop", chromedp.EmulateViewport(1280, 900))
	shoot("overview-1280-light.png")
	scheme(true)
	shoot("overview-1280-dark.png")
	scheme(false)

	// Sort the scorecard by done %, a tap on the header, at phone width.
	do("units", chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)),
		chromedp.Navigate(base+"/units"), chromedp.WaitVisible("#scorecard"))
	pcts := func() []string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#scorecard tbody tr td:nth-child(2)")).map(td => td.dataset.v)`))
		if err != nil {
			t.Fatalf("read the scorecard: %v", err)
		}
		return v
	}
	before := pcts()
	do("sort", chromedp.Click(`#scorecard th a[data-col="1"]`), chromedp.WaitVisible(`#scorecard th[aria-sort="descending"]`))
	after := pcts()
	if len(after) != len(before) || len(after) < 3 {
		t.Fatalf("scorecard rows %d before, %d after sorting", len(before), len(after))
	}
	if strings.Join(after, ",") == strings.Join(before, ",") {
		t.Fatalf("the click did not reorder the scorecard: %v", after)
	}
	for i := 1; i < len(after); i++ {
		if atoi(after[i-1]) < atoi(after[i]) {
			t.Fatalf("done %% after the click is not descending: %v (before: %v)", after, before)
		}
	}
	shoot("units-375-sorted.png")

	// An overdue task, from the overdue list.
	do("overdue", chromedp.Navigate(base+"/overdue"), chromedp.WaitVisible("table.overdue"))
	shoot("overdue-375.png")
	do("open an overdue task", chromedp.Click("table.overdue tbody tr td a"), chromedp.WaitVisible("#timeliness"))
	if got := text("#timeliness"); !strings.Contains(got, "quá hạn") {
		t.Fatalf("the overdue task's timeliness reads %q", got)
	}
	shoot("task-375.png")
	scheme(true)
	shoot("task-375-dark.png")

	// Sign out, then in again as a Mini App does: Telegram hands the page
	// its initData in the URL's fragment (the page runs without
	// telegram-web-app.js here), and the page's script posts it.
	scheme(false)
	do("sign out", chromedp.Click("footer button"), chromedp.WaitVisible("#stranger"))
	initData := dashboard.SignInitData(testToken, dashboard.WebAppUser{ID: sample.ChairID, FirstName: "An"}, a.clock.Now(), url.Values{"query_id": {"AAE+1%2"}})
	do("mini app", chromedp.Navigate(base+"/units#tgWebAppData="+url.QueryEscape(initData)+"&tgWebAppVersion=8.0"),
		chromedp.WaitVisible("#scorecard"))
	t.Logf("screenshots in %s", shots)
}

// TestBrowser_DemoScreenshots: `steerbot demo -out DIR` with Chromium
// present saves the overview and a unit's page, at a phone's width, as
// PNGs beside the chart and the reports, and leaves nothing in the
// temporary folder.
func TestBrowser_DemoScreenshots(t *testing.T) {
	exe := chromiumPath(t)
	var out, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// A short temporary folder: Chromium's socket in it must fit a Unix
	// socket's 108 bytes, which t.TempDir's long names leave no room for.
	tmp, err := os.MkdirTemp("", "sbdemo")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	dir := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	getenv := func(k string) string { return map[string]string{"STEERBOT_CHROMIUM": exe}[k] }
	if code := cli(ctx, []string{"demo", "-out", dir}, &out, &stderr, getenv); code != exitOK {
		t.Fatalf("demo: exit %d: %s\n%s", code, stderr.String(), out.String())
	}
	checkDemoOut(t, tmp, dir)
	units, err := filepath.Glob(filepath.Join(dir, "unit-*.png"))
	if err != nil || len(units) != 1 {
		t.Fatalf("unit pages saved: %v (%v), want one", units, err)
	}
	for _, p := range []string{filepath.Join(dir, "overview.png"), units[0]} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s is not a PNG: %v", p, err)
		}
		if b := img.Bounds(); b.Dx() != 375 || b.Dy() < 600 {
			t.Errorf("%s is %dx%d, want a phone's 375 px wide full page", p, b.Dx(), b.Dy())
		}
		if !strings.Contains(out.String(), filepath.Base(p)) {
			t.Errorf("the demo's last line does not name %s:\n%s", filepath.Base(p), out.String())
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			n = n*10 + int(c-'0')
		}
	}
	if strings.HasPrefix(s, "-") {
		return -n
	}
	return n
}
