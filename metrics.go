package main

import (
	"context"
	"math"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"steerbot/tasks"
)

// Metrics are the series /metrics exposes.
type Metrics struct {
	Registry  *prometheus.Registry
	updates   *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	reminders *prometheus.CounterVec
}

// NewMetrics registers the series that are counted as things happen; Bind
// adds the ones read from the running parts.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "steerbot_updates_total", Help: "Telegram updates handled, by kind (message, callback) and result (ok, refused, error).",
		}, []string{"kind", "result"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "steerbot_command_duration_seconds", Help: "Time to handle an update, from dispatch to commit, by command.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"command"}),
		reminders: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "steerbot_reminders_total", Help: "Reminders, escalations and digests queued, by kind.",
		}, []string{"kind"}),
	}
	m.Registry.MustRegister(m.updates, m.latency, m.reminders)
	return m
}

// ObserveUpdate counts one handled update.
func (m *Metrics) ObserveUpdate(kind, command, result string, took time.Duration) {
	m.updates.WithLabelValues(kind, result).Inc()
	if command == "" {
		command = "other"
	}
	m.latency.WithLabelValues(command).Observe(took.Seconds())
}

// Bind registers the series read from the outbox, the store and the
// assistant when scraped.
func (m *Metrics) Bind(app *Main) {
	// A store that cannot answer shows as NaN, not as an empty outbox.
	outbox := func() (queued int, oldest time.Time, err error) {
		err = app.Store.View(context.Background(), func(tx tasks.Tx) error {
			var err error
			queued, oldest, err = tx.OutboxStats()
			return err
		})
		return
	}
	m.Registry.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "steerbot_outbox_queued", Help: "Messages waiting in the outbox."},
			func() float64 {
				n, _, err := outbox()
				if err != nil {
					return math.NaN()
				}
				return float64(n)
			}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "steerbot_outbox_oldest_age_seconds", Help: "Age of the oldest queued message (0 when none)."},
			func() float64 {
				n, oldest, err := outbox()
				if err != nil {
					return math.NaN()
				}
				if n == 0 || oldest.IsZero() {
					return 0
				}
				return app.Clock.Now().Sub(oldest).Seconds()
			}),
		stateCollector{app: app,
			live:  prometheus.NewDesc("steerbot_state_records", "Short-lived records stored (pending choices, albums, proposals, drafts, assistant jobs, decision copies, reminder marks), by kind.", []string{"kind"}, nil),
			swept: prometheus.NewDesc("steerbot_state_swept_total", "Short-lived records the daily maintenance deleted once ended, by kind.", []string{"kind"}, nil)},
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "steerbot_messages_sent_total", Help: "Messages delivered to Telegram."},
			func() float64 { return float64(app.Outbox.Stats().Sent) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "steerbot_messages_failed_total", Help: "Messages given up (blocked, chat not found, rejected)."},
			func() float64 { return float64(app.Outbox.Stats().Failed) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "steerbot_telegram_429_total", Help: "Too Many Requests answers obeyed."},
			func() float64 { return float64(app.Outbox.Stats().RateLimited) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "steerbot_messages_retried_total", Help: "Temporary send failures retried."},
			func() float64 { return float64(app.Outbox.Stats().Retried) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "steerbot_outbox_pruned_total", Help: "Old sent and failed outbox records deleted."},
			func() float64 { return float64(app.Outbox.Stats().Pruned) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "steerbot_db_size_bytes", Help: "Size of the database file."},
			func() float64 { return float64(app.Store.Size()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "steerbot_llm_calls_total", Help: "Requests to the LLM."},
			func() float64 {
				if app.Assistant == nil {
					return 0
				}
				return float64(app.Assistant.Stats().Calls)
			}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "steerbot_llm_failures_total", Help: "LLM requests that failed or did not validate."},
			func() float64 {
				if app.Assistant == nil {
					return 0
				}
				return float64(app.Assistant.Stats().Failures)
			}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "steerbot_llm_tokens_today", Help: "LLM tokens spent today (kept across restarts)."},
			func() float64 {
				if app.Assistant == nil {
					return 0
				}
				return float64(app.Assistant.Stats().TokensToday)
			}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "steerbot_llm_token_budget", Help: "The LLM's daily token budget; 0: none."},
			func() float64 {
				if app.Assistant == nil {
					return 0
				}
				return float64(app.Assistant.Stats().Budget)
			}),
	)
}

// stateCollector reports the short-lived records by kind: how many are
// stored (one read of the store per scrape) and how many the maintenance
// swept since start. A failed read fails the scrape rather than report 0.
type stateCollector struct {
	app         *Main
	live, swept *prometheus.Desc
}

// Describe sends the two series' descriptions.
func (c stateCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.live; ch <- c.swept }

// Collect reads the counts.
func (c stateCollector) Collect(ch chan<- prometheus.Metric) {
	var live map[tasks.StateKind]int
	err := c.app.Store.View(context.Background(), func(tx tasks.Tx) error {
		var err error
		live, err = tx.StateCounts()
		return err
	})
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.live, err)
	}
	swept := c.app.Outbox.Stats().Swept
	for _, k := range tasks.StateKinds() {
		if err == nil {
			ch <- prometheus.MustNewConstMetric(c.live, prometheus.GaugeValue, float64(live[k]), string(k))
		}
		ch <- prometheus.MustNewConstMetric(c.swept, prometheus.CounterValue, float64(swept[k]), string(k))
	}
}

// countingNotifier counts what the scheduler queues.
type countingNotifier struct {
	tasks.Notifier
	m *Metrics
}

// Remind counts and forwards a reminder.
func (c countingNotifier) Remind(tx tasks.OutboxStore, r tasks.Reminder) error {
	c.m.reminders.WithLabelValues(string(r.Kind)).Inc()
	return c.Notifier.Remind(tx, r)
}

// Escalate counts and forwards the escalations of a run (one each).
func (c countingNotifier) Escalate(tx tasks.OutboxStore, key string, es []tasks.Escalation) error {
	c.m.reminders.WithLabelValues("escalation").Add(float64(len(es)))
	return c.Notifier.Escalate(tx, key, es)
}

// SendDigest counts and forwards a digest.
func (c countingNotifier) SendDigest(tx tasks.OutboxStore, key string, mt *tasks.Meeting, d tasks.Digest, png []byte) error {
	c.m.reminders.WithLabelValues("digest").Inc()
	return c.Notifier.SendDigest(tx, key, mt, d, png)
}
