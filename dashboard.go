package main

// This file wires the dashboard: its configuration section, and the
// server that Main opens, runs and stops.

import (
	"context"
	"fmt"
	"net"
	"time"

	"steerbot/dashboard"
	"steerbot/tasks"
)

// DashboardConfig is the dashboard's section: read-only web pages behind
// the TLS proxy, opened as a Telegram Mini App or from /dashboard's
// one-time link.
type DashboardConfig struct {
	Listen string   `yaml:"listen"`  // host:port behind the TLS proxy; "": no dashboard
	URL    string   `yaml:"url"`     // its public https URL
	MaxAge Duration `yaml:"max_age"` // how old Telegram's initData may be
}

// maxInitDataAge bounds dashboard.max_age: Telegram's initData is a
// credential, and a day-old one is a replay waiting to happen.
const maxInitDataAge = 24 * time.Hour

// validateDashboard checks the dashboard section: the listener and the
// public https URL go together.
func (c *Config) validateDashboard(p *cfgProblems) {
	d := &c.Dashboard
	if d.Listen != "" {
		if err := cfgCheckHostPort(d.Listen); err != nil {
			p.add("dashboard.listen", "%v", err)
		}
		if d.URL == "" {
			p.add("dashboard.url", "required when dashboard.listen is set: the public https URL the proxy serves it at (Telegram opens Mini Apps over https only)")
		}
		if d.Listen == c.HTTP.Listen || (c.Telegram.Mode == "webhook" && d.Listen == c.Telegram.Webhook.Listen) {
			p.add("dashboard.listen", "%q is already another listener's address", d.Listen)
		}
	}
	if d.URL != "" {
		if err := cfgCheckURL(d.URL, true); err != nil {
			p.add("dashboard.url", "%v", err)
		}
		if d.Listen == "" {
			p.add("dashboard.listen", "required when dashboard.url is set")
		}
	}
	if d.MaxAge.Duration <= 0 || d.MaxAge.Duration > maxInitDataAge {
		p.add("dashboard.max_age", "must be positive and at most %s, not %s", Duration{maxInitDataAge}, d.MaxAge)
	}
}

// openDashboard builds the dashboard and opens its listener when
// dashboard.listen is set, before the bot, whose /dashboard links to it.
func (m *Main) openDashboard(policy tasks.Policy) error {
	d := m.Config.Dashboard
	if d.Listen == "" {
		return nil
	}
	cfg := m.Config
	srv, err := dashboard.New(dashboard.Options{
		Store: m.Store, Policy: policy, Clock: m.Clock, Loc: cfg.Location, Logger: m.Logger,
		Token: cfg.Telegram.Token, URL: d.URL, MaxAge: d.MaxAge.Duration,
		Lang: cfg.Committee.Language, CommitteeName: cfg.Committee.Name, DueSoonDays: dueSoon(cfg),
		BotUsername: func() string {
			if m.Bot == nil {
				return ""
			}
			return m.Bot.Username()
		},
		Script: dashboard.TelegramScript,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", d.Listen)
	if err != nil {
		return fmt.Errorf("dashboard.listen %s: %w", d.Listen, err)
	}
	m.Dashboard, m.dashLn = srv, ln
	return nil
}

// dashboardLink is what /dashboard makes its one-time links with; nil
// without a dashboard.
func (m *Main) dashboardLink() func(tasks.DashStore, tasks.Member, time.Time) (string, error) {
	if m.Dashboard == nil {
		return nil
	}
	return m.Dashboard.NewLink
}

// runDashboard serves the dashboard until ctx ends.
func (m *Main) runDashboard(ctx context.Context) error {
	return m.Dashboard.Serve(ctx, m.dashLn)
}

// DashboardAddr returns the dashboard listener's address, "" without one.
func (m *Main) DashboardAddr() string {
	if m.dashLn == nil {
		return ""
	}
	return m.dashLn.Addr().String()
}
