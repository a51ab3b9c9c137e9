package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"steerbot/dashboard"
	"steerbot/sample"
	"steerbot/taskfile"
	"steerbot/tasks"
)

func TestConfig_Dashboard(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"url without listen", "dashboard: {url: 'https://dash.example.org'}", "dashboard.listen: required when dashboard.url is set"},
		{"listen without url", "dashboard: {listen: '127.0.0.1:8081'}", "dashboard.url: required when dashboard.listen is set"},
		{"plain http", "dashboard: {listen: '127.0.0.1:8081', url: 'http://dash.example.org'}", `dashboard.url: must be an absolute https URL, not "http://dash.example.org"`},
		{"bad listen", "dashboard: {listen: '8081', url: 'https://dash.example.org'}", `dashboard.listen: want host:port, not "8081"`},
		{"same as http", "dashboard: {listen: '127.0.0.1:9090', url: 'https://dash.example.org'}", `dashboard.listen: "127.0.0.1:9090" is already another listener's address`},
		{"max_age zero", "dashboard: {max_age: 0s}", "dashboard.max_age: must be positive and at most 24h, not 0s"},
		{"max_age long", "dashboard: {max_age: 48h}", "dashboard.max_age: must be positive and at most 24h, not 48h"},
		{"unknown key", "dashboard: {port: 1}", "dashboard.port: unknown key; known keys here: listen, url, max_age"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := configProblems(t, tt.doc)
			if len(got) != 1 || !strings.HasPrefix(got[0], tt.want) {
				t.Errorf("problems %q, want one starting %q", got, tt.want)
			}
		})
	}
	cfg, err := ParseConfig([]byte("dashboard: {listen: '127.0.0.1:8081', url: 'https://dash.example.org/'}"), nil)
	if err != nil {
		t.Fatalf("a good dashboard section: %v", err)
	}
	if cfg.Dashboard.MaxAge.Duration != time.Hour {
		t.Errorf("max_age default %s, want 1h", cfg.Dashboard.MaxAge)
	}
}

// withDashboard turns the dashboard on, on a free loopback port; its public
// URL is a placeholder that the tests replace with the listener's address.
func withDashboard(c *Config) {
	c.Dashboard.Listen = "127.0.0.1:0"
	c.Dashboard.URL = "https://dash.example.org"
}

var linkRE = regexp.MustCompile(`https://dash\.example\.org(/link/[A-Za-z0-9_-]+)`)

// dashboardLink asks the bot for /dashboard as a member and returns the
// link on the listener's real address.
func (a *app) dashboardLink(from int64) string {
	a.t.Helper()
	m := a.say(from, "/dashboard")
	p := linkRE.FindStringSubmatch(m.Text)
	if p == nil {
		a.t.Fatalf("/dashboard answered without a link: %q", m.Text)
	}
	return "http://" + a.m.DashboardAddr() + p[1]
}

// TestDashboard_ThroughTheBot: the running bot's /dashboard gives a link
// that signs the chair in, and the overview shows the digest's figures.
func TestDashboard_ThroughTheBot(t *testing.T) {
	a := newApp(t, withDashboard)
	digest := a.say(sample.ChairID, "/digest")
	if !strings.Contains(digest.Text, "47/79 nhiệm vụ đã hoàn thành, chiếm 59%") {
		t.Fatalf("digest: %q", digest.Text)
	}
	// The sample's indicators, as the demo imports them.
	if err := a.m.Store.Update(context.Background(), func(tx tasks.Tx) error {
		_, err := taskfile.Import(tx, bytes.NewReader(sample.IndicatorsCSV), taskfile.CSV, tasks.Member{Name: "import"}, a.clock.Now(), a.cfg.Location)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	link := a.dashboardLink(sample.ChairID)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(link, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == dashboard.CookieName {
			session = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || session == nil || !session.Secure || !session.HttpOnly {
		t.Fatalf("link: %d, cookie %+v; want 303 and a Secure HttpOnly session", resp.StatusCode, session)
	}
	req, err := http.NewRequestWithContext(context.Background(), "GET", "http://"+a.m.DashboardAddr()+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: session.Name, Value: session.Value})
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.Contains(string(body), "47/79 <span>(59%)</span>") {
		t.Fatalf("overview %d lacks the digest's 47/79 (59%%):\n%s", resp.StatusCode, body)
	}
	if !strings.Contains(string(body), "https://t.me/steerbot_demo_bot") {
		t.Errorf("overview does not link back to the bot")
	}
	// The sample's list was imported without completion dates: its done
	// tasks are counted apart, so the categories add up to the total.
	if !strings.Contains(string(body), "<b>47</b><span>Hoàn thành, chưa rõ ngày") {
		t.Errorf("overview does not count the 47 tasks done on unknown dates")
	}
	// The sample's 28 indicators are summarised.
	if !regexp.MustCompile(`Chỉ tiêu</h2>\s*<p>\d+/28 chỉ tiêu đạt`).Match(body) {
		t.Errorf("overview lacks the summary of the sample's 28 indicators:\n%s", body)
	}
	// Spent.
	resp, err = noRedirect.PostForm(link, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusGone {
		t.Fatalf("link opened twice: %d, want 410", resp.StatusCode)
	}
	// The daily sweep forgets the session after its twelve hours.
	if err := a.m.Store.Update(context.Background(), func(tx tasks.Tx) error {
		n, err := tx.SweepState(a.clock.Now().Add(13 * time.Hour))
		if n[tasks.StateDashSession] != 1 {
			t.Errorf("swept %v, want the session", n)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
