package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"steerbot/taskfile"
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
		data, err := exportTasks(r.Context(), m.Store, format, m.Config.Committee.Language)
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

// unhealthy returns why the bot is unhealthy, or "": the database must
// answer and the last Telegram call within a minute must have succeeded.
func (m *Main) unhealthy(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := m.Store.Ping(ctx); err != nil {
		return "database: " + err.Error()
	}
	lastOK, lastErr := m.Bot.Health()
	if lastErr != nil {
		return "telegram: " + lastErr.Error()
	}
	if lastOK.IsZero() || m.Clock.Now().Sub(lastOK) > time.Minute+30*time.Second {
		return "telegram: no successful call in the last minute"
	}
	return ""
}

// startHTTP opens the local listener, after writing the token that the
// command line must present to it.
func (m *Main) startHTTP() error {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("admin token: %w", err)
	}
	m.adminToken = hex.EncodeToString(raw)
	if err := writeFileMode(adminTokenPath(m.Config), []byte(m.adminToken), 0o600); err != nil {
		return fmt.Errorf("admin token: %w", err)
	}
	ln, err := net.Listen("tcp", m.Config.HTTP.Listen)
	if err != nil {
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

// runBackups writes a backup every storage.backup_every into
// storage.backup_dir and keeps the newest storage.backup_keep.
func (m *Main) runBackups(ctx context.Context) error {
	st := m.Config.Storage
	if err := os.MkdirAll(st.BackupDir, 0o700); err != nil {
		return fmt.Errorf("backup dir: %w", err)
	}
	var failed time.Time
	for {
		// The next backup is due backup_every after the newest one on
		// disk, not after this start: a bot restarted every night still
		// takes its daily backup. Backups are files with wall-clock
		// times, so the wall clock counts here, not the committee's.
		wait := time.Duration(0)
		if newest := newestBackup(st.BackupDir); !newest.IsZero() {
			wait = max(0, newest.Add(st.BackupEvery.Duration).Sub(time.Now()))
		}
		if !failed.IsZero() {
			// After a failure, try again later, not in a loop.
			wait = max(wait, min(st.BackupEvery.Duration, 10*time.Minute)-time.Since(failed))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		name := filepath.Join(st.BackupDir, "steerbot-"+time.Now().UTC().Format("20060102-150405")+".db")
		if err := m.Store.BackupFile(ctx, name); err != nil {
			m.Logger.Error("scheduled backup", "err", err)
			failed = time.Now()
			continue
		}
		failed = time.Time{}
		m.Logger.Info("backup written", "file", name)
		pruneBackups(st.BackupDir, st.BackupKeep)
	}
}

// newestBackup returns when the newest scheduled backup in dir was written,
// or the zero time when there is none.
func newestBackup(dir string) time.Time {
	list, _ := filepath.Glob(filepath.Join(dir, "steerbot-*.db"))
	var newest time.Time
	for _, p := range list {
		if fi, err := os.Stat(p); err == nil && fi.ModTime().After(newest) {
			newest = fi.ModTime()
		}
	}
	return newest
}

// pruneBackups keeps the newest keep backups in dir.
func pruneBackups(dir string, keep int) {
	list, _ := filepath.Glob(filepath.Join(dir, "steerbot-*.db"))
	sort.Strings(list)
	for len(list) > keep {
		_ = os.Remove(list[0])
		list = list[1:]
	}
}
