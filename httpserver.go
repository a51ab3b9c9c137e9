package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"steerbot/taskfile"
	"steerbot/tasks"
)

// bytesBuffer is the buffer exports are written into.
type bytesBuffer = bytes.Buffer

// handler serves the local listener: health, metrics, and the hot backup,
// export and digest that the command line asks a running bot for. It is
// bound to loopback only (checked in the configuration).
func (m *Main) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if reason := m.unhealthy(r.Context()); reason != "" {
			http.Error(w, reason, http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Metrics.Registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /backup", m.admin(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		if _, err := m.Store.Backup(r.Context(), w); err != nil {
			m.Logger.Error("backup over http", "err", err)
		}
	}))
	mux.HandleFunc("GET /export", m.admin(func(w http.ResponseWriter, r *http.Request) {
		format := taskfile.XLSX
		if r.URL.Query().Get("format") == "csv" {
			format = taskfile.CSV
		}
		data, err := exportTasks(r.Context(), m.Store, format, m.Config.Committee.Language, tasks.DateOf(m.Clock.Now(), m.Config.Location))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_, _ = w.Write(data)
	}))
	mux.HandleFunc("GET /digest", m.admin(func(w http.ResponseWriter, r *http.Request) {
		body, err := digestText(r.Context(), m.Store, m.Config, r.URL.Query().Get("group"), m.Clock.Now())
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, body)
	}))
	return mux
}

// adminHeader carries the running bot's token on the command line's
// requests for a backup, an export or a digest.
const adminHeader = "X-Steerbot-Token"

// adminTokenPath is where a running bot keeps that token: beside the
// database, readable only by the user the bot runs as, so that another
// local user cannot download the committee's data from the loopback port.
func adminTokenPath(cfg *Config) string { return cfg.Storage.Path + ".token" }

// admin lets a request through only with the running bot's token.
func (m *Main) admin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get(adminHeader)
		if m.adminToken == "" || subtle.ConstantTimeCompare([]byte(got), []byte(m.adminToken)) != 1 {
			http.Error(w, "a token is required: run this steerbot command as the user the bot runs as", http.StatusUnauthorized)
			return
		}
		h(w, r)
	}
}

// healthCheck is one thing /healthz looks at: its name and why it is
// unhealthy (nil when healthy).
type healthCheck struct {
	name  string
	check func(ctx context.Context) error
}

// healthChecks are what /healthz looks at, in order.
func (m *Main) healthChecks() []healthCheck {
	return []healthCheck{
		{"database", m.Store.Ping},
		{"telegram", m.telegramHealth},
	}
}

// unhealthy returns why the bot is unhealthy, one line per failing check
// ("telegram: …"), or "".
func (m *Main) unhealthy(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var lines []string
	for _, c := range m.healthChecks() {
		if err := c.check(ctx); err != nil {
			lines = append(lines, c.name+": "+err.Error())
		}
	}
	return strings.Join(lines, "\n")
}

// telegramHealth fails while Telegram calls fail (saying since when), and
// when no call succeeded in the last minute and a half.
func (m *Main) telegramHealth(context.Context) error {
	lastOK, lastErr, since := m.Bot.Health()
	if lastErr != nil {
		return fmt.Errorf("%v (failing since %s)", lastErr, since.Format(time.RFC3339))
	}
	if lastOK.IsZero() {
		return errors.New("not connected yet")
	}
	if m.Clock.Now().Sub(lastOK) > time.Minute+30*time.Second {
		return fmt.Errorf("no successful call since %s", lastOK.Format(time.RFC3339))
	}
	return nil
}

// startHTTP opens the local listener, after writing the token that the
// command line must present to it. The token file is removed by Close,
// also when the listener could not be opened.
func (m *Main) startHTTP() error {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("admin token: %w", err)
	}
	m.adminToken = hex.EncodeToString(raw)
	path := adminTokenPath(m.Config)
	m.tokenFile = path
	if err := writeFileMode(path, []byte(m.adminToken), 0o600); err != nil {
		return fmt.Errorf("admin token: %w", err)
	}
	ln, err := net.Listen("tcp", m.Config.HTTP.Listen)
	if err != nil {
		m.removeTokenFile()
		return fmt.Errorf("http.listen %s: %w", m.Config.HTTP.Listen, err)
	}
	m.httpLn = ln
	m.httpSrv = &http.Server{Handler: m.handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := m.httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Logger.Error("http listener", "err", err)
		}
	}()
	return nil
}

// removeTokenFile removes the admin token file this bot wrote, if any.
func (m *Main) removeTokenFile() {
	if m.tokenFile == "" {
		return
	}
	if err := os.Remove(m.tokenFile); err != nil && !errors.Is(err, fs.ErrNotExist) {
		m.Logger.Warn("admin token file", "err", err)
	}
	m.tokenFile = ""
}

// HTTPAddr returns the local listener's address ("" when off).
func (m *Main) HTTPAddr() string {
	if m.httpLn == nil {
		return ""
	}
	return m.httpLn.Addr().String()
}

// WebhookAddr returns the webhook listener's address ("" when off).
func (m *Main) WebhookAddr() string {
	if m.hookLn == nil {
		return ""
	}
	return m.hookLn.Addr().String()
}

// runWebhook serves Telegram's webhook requests and handles the updates.
func (m *Main) runWebhook(ctx context.Context) error {
	wh := m.Config.Telegram.Webhook
	ln, err := net.Listen("tcp", wh.Listen)
	if err != nil {
		return fmt.Errorf("telegram.webhook.listen %s: %w", wh.Listen, err)
	}
	m.hookLn = ln
	path := "/"
	if i := strings.Index(strings.TrimPrefix(strings.TrimPrefix(wh.URL, "https://"), "http://"), "/"); i >= 0 {
		path = strings.TrimPrefix(strings.TrimPrefix(wh.URL, "https://"), "http://")[i:]
	}
	mux := http.NewServeMux()
	mux.Handle(path, m.Bot.WebhookHandler(wh.SecretToken))
	m.hookSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := m.hookSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Logger.Error("webhook listener", "err", err)
		}
	}()
	return m.Bot.RunWebhook(ctx, wh.URL, wh.SecretToken)
}
