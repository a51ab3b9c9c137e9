package main

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh must load in minimal containers too

	"gopkg.in/yaml.v3"

	"steerbot/tasks"
)

// The environment variables that may carry the secrets instead of the file.
// A non-empty variable wins over the file's value, so that a file kept in a
// repository can leave the secrets out and a deployment can rotate them
// without editing it. Surrounding white space is trimmed.
const (
	EnvTelegramToken = "STEERBOT_TELEGRAM_TOKEN"
	EnvLLMAPIKey     = "STEERBOT_LLM_API_KEY"
	EnvWebhookSecret = "STEERBOT_WEBHOOK_SECRET"
)

// Config is the whole configuration of steerbot, as described in DESIGN.md
// ("Configuration") and config.example.yaml. ParseConfig and LoadConfig
// return it validated, with the derived fields (Location, quiet hours,
// holiday dates) filled in and unit codes normalized.
type Config struct {
	Telegram  TelegramConfig  `yaml:"telegram"`
	Committee CommitteeConfig `yaml:"committee"`
	Storage   StorageConfig   `yaml:"storage"`
	Units     []UnitConfig    `yaml:"units"`
	Members   []MemberConfig  `yaml:"members"`
	Reminders RemindersConfig `yaml:"reminders"`
	Digest    DigestConfig    `yaml:"digest"`
	LLM       LLMConfig       `yaml:"llm"`
	HTTP      HTTPConfig      `yaml:"http"`
	Report    ReportConfig    `yaml:"report"`
	Dashboard DashboardConfig `yaml:"dashboard"`
	Location  *time.Location  `yaml:"-"` // committee.timezone, loaded

	file    string            // the file it was loaded from, for CheckRun's error
	fromEnv map[string]string // key -> environment variable that set it
}

// TelegramConfig says how to reach Telegram.
type TelegramConfig struct {
	Token   string        `yaml:"token"`   // or STEERBOT_TELEGRAM_TOKEN
	APIURL  string        `yaml:"api_url"` // without a trailing slash
	Mode    string        `yaml:"mode"`    // "polling" or "webhook"
	Webhook WebhookConfig `yaml:"webhook"`
	Rate    RateConfig    `yaml:"rate"`
}

// WebhookConfig is used in webhook mode only.
type WebhookConfig struct {
	Listen      string `yaml:"listen"`       // host:port the bot listens on, behind a TLS proxy
	URL         string `yaml:"url"`          // the public https URL given to setWebhook
	SecretToken string `yaml:"secret_token"` // or STEERBOT_WEBHOOK_SECRET
}

// RateConfig keeps outgoing messages under Telegram's limits.
type RateConfig struct {
	GlobalPerSec   float64 `yaml:"global_per_sec"`
	PerChatPerSec  float64 `yaml:"per_chat_per_sec"`
	PerGroupPerMin float64 `yaml:"per_group_per_min"`
}

// CommitteeConfig describes the committee itself.
type CommitteeConfig struct {
	Name               string `yaml:"name"`
	ChatID             int64  `yaml:"chat_id"`  // the committee group; 0: none
	Timezone           string `yaml:"timezone"` // an IANA zone; loaded into Config.Location
	Language           string `yaml:"language"` // "vi" or "en"
	SecretariatDecides bool   `yaml:"secretariat_decides"`
	ConfirmDone        bool   `yaml:"confirm_done"`     // a unit's "done" waits for the secretariat's confirmation
	RequireEvidence    bool   `yaml:"require_evidence"` // a unit's "done" needs a file or a document reference
}

// StorageConfig says where the database and its scheduled backups live.
type StorageConfig struct {
	Path        string   `yaml:"path"`
	BackupDir   string   `yaml:"backup_dir"` // empty: no scheduled backups
	BackupEvery Duration `yaml:"backup_every"`
	BackupKeep  int      `yaml:"backup_keep"`
}

// UnitConfig is a unit to create at start. Code is normalized with
// tasks.NormalizeCode.
type UnitConfig struct {
	Code string `yaml:"code"`
	Name string `yaml:"name"`
}

// MemberConfig is a member to create at start. Unit is normalized with
// tasks.NormalizeCode; TelegramID 0 means not linked yet.
type MemberConfig struct {
	Name       string `yaml:"name"`
	Role       string `yaml:"role"`
	Unit       string `yaml:"unit"`
	TelegramID int64  `yaml:"telegram_id"`
	Lang       string `yaml:"lang"`    // "vi", "en" or empty for the committee's
	Title      string `yaml:"title"`   // "Giám đốc Sở Nội vụ"; optional
	Address    string `yaml:"address"` // form of address, "đồng chí" when empty
}

// RemindersConfig is the reminder policy. The cron specs are in the
// committee's time zone unless they start with CRON_TZ=.
type RemindersConfig struct {
	Weekly            string   `yaml:"weekly"`
	DueSoonDays       []int    `yaml:"due_soon_days"` // empty: no due-soon reminders
	Overdue           string   `yaml:"overdue"`
	Chase             string   `yaml:"chase"` // remind again only units silent since the weekly reminder; "": none
	EscalateAfterDays int      `yaml:"escalate_after_days"`
	QuietHours        string   `yaml:"quiet_hours"` // "HH:MM-HH:MM", may cross midnight; empty: none
	Holidays          []string `yaml:"holidays"`
	Indicators        string   `yaml:"indicators"` // cron: ask units for indicator values missing this period; "": never

	QuietFrom, QuietTo time.Duration `yaml:"-"` // parsed quiet_hours as offsets from midnight; equal means none
	HolidayDates       []tasks.Date  `yaml:"-"` // parsed holidays, sorted, without duplicates
}

// DigestConfig says when the pre-meeting digest is sent.
type DigestConfig struct {
	BeforeMeeting Duration `yaml:"before_meeting"`
}

// LLMConfig configures the optional OpenAI-compatible model.
type LLMConfig struct {
	Enabled          bool     `yaml:"enabled"`
	BaseURL          string   `yaml:"base_url"`
	Model            string   `yaml:"model"`
	APIKey           string   `yaml:"api_key"` // or STEERBOT_LLM_API_KEY
	Timeout          Duration `yaml:"timeout"`
	MaxTokens        int      `yaml:"max_tokens"`
	DailyTokenBudget int      `yaml:"daily_token_budget"`
}

// HTTPConfig is the local listener for /healthz, /metrics and the command
// line's requests to a running bot.
type HTTPConfig struct {
	Listen string `yaml:"listen"` // loopback only; empty: no listener
}

// Duration is a time.Duration written in YAML as Go writes durations
// ("24h", "20s", "1h30m"). It marshals back in the shortest such form.
type Duration struct{ time.Duration }

// String formats d like time.Duration.String without the zero minutes and
// seconds that follow whole hours or minutes: "24h", "1h30m", "20s".
func (d Duration) String() string {
	s := d.Duration.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// MarshalText encodes d as String does; YAML and JSON use it.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes a Go duration such as "24h" or "20s".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("bad duration %q (want e.g. 24h or 20s)", b)
	}
	d.Duration = v
	return nil
}

// UnmarshalYAML decodes a Go duration from a YAML scalar. Its error is a
// *yaml.TypeError so that decoding goes on and every problem is reported.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		if v, err := time.ParseDuration(n.Value); err == nil {
			d.Duration = v
			return nil
		}
	}
	msg := fmt.Sprintf("line %d: cannot unmarshal %s into %T", n.Line, n.ShortTag(), *d)
	if n.Kind == yaml.ScalarNode {
		msg = fmt.Sprintf("line %d: cannot unmarshal %s `%s` into %T", n.Line, n.ShortTag(), n.Value, *d)
	}
	return &yaml.TypeError{Errors: []string{msg}}
}

// ConfigError lists every problem found in a configuration, one line each,
// each naming its key (and its line in the file where known).
type ConfigError struct {
	File     string   // the file, or "" when parsed from bytes
	Problems []string // "reminders.weekly: bad cron expression ... (line 40)"

	err error // the cause when the file could not be read
}

// Error returns the problems one per line, each prefixed with the file name.
func (e *ConfigError) Error() string {
	prefix := ""
	if e.File != "" {
		prefix = e.File + ": "
	}
	if len(e.Problems) == 0 {
		return prefix + "invalid configuration"
	}
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(prefix)
		b.WriteString(p)
	}
	return b.String()
}

// Unwrap returns the cause when the file could not be read (so that
// errors.Is(err, fs.ErrNotExist) works), and nil otherwise.
func (e *ConfigError) Unwrap() error { return e.err }

// DefaultConfig returns the defaults of DESIGN.md: what an empty file gives.
func DefaultConfig() *Config {
	return &Config{
		Telegram: TelegramConfig{
			APIURL:  "https://api.telegram.org",
			Mode:    "polling",
			Webhook: WebhookConfig{Listen: "127.0.0.1:8443"},
			Rate:    RateConfig{GlobalPerSec: 30, PerChatPerSec: 1, PerGroupPerMin: 20},
		},
		Committee: CommitteeConfig{
			Name:     "Ban chỉ đạo CCHC, chuyển đổi số",
			Timezone: "Asia/Ho_Chi_Minh",
			Language: "vi",
		},
		Storage: StorageConfig{
			Path:        "steerbot.db",
			BackupEvery: Duration{24 * time.Hour},
			BackupKeep:  7,
		},
		Reminders: RemindersConfig{
			Weekly:            "30 8 * * MON",
			DueSoonDays:       []int{7, 3, 1},
			Overdue:           "0 9 * * MON-FRI",
			EscalateAfterDays: 3,
			QuietHours:        "20:00-07:00",
		},
		Digest: DigestConfig{BeforeMeeting: Duration{24 * time.Hour}},
		LLM: LLMConfig{
			Timeout:          Duration{20 * time.Second},
			MaxTokens:        800,
			DailyTokenBudget: 200000,
		},
		HTTP:      HTTPConfig{Listen: "127.0.0.1:9090"},
		Report:    defaultReportConfig(),
		Dashboard: DashboardConfig{MaxAge: Duration{time.Hour}},
	}
}

// LoadConfig reads and parses the file at path with ParseConfig. Every error
// is a *ConfigError naming the file; a missing file also matches
// fs.ErrNotExist.
func LoadConfig(path string, getenv func(string) string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		why := err.Error()
		var pe *fs.PathError
		if errors.As(err, &pe) {
			why = pe.Err.Error()
		}
		msg := "cannot read the configuration: " + why
		if errors.Is(err, fs.ErrNotExist) {
			msg = "configuration file not found (config.example.yaml is a starting point)"
		}
		return nil, &ConfigError{File: path, Problems: []string{msg}, err: err}
	}
	cfg, err := ParseConfig(data, getenv)
	var ce *ConfigError
	if errors.As(err, &ce) {
		ce.File = path
	}
	if cfg != nil {
		cfg.file = path
	}
	return cfg, err
}

// ParseConfig reads a YAML configuration: the defaults, overridden by the
// document (unknown keys are errors), then by the secrets in the environment
// (getenv, usually os.Getenv; nil means none), then validated. A telegram
// token is not required here: see CheckRun.
//
// Every problem is reported in one *ConfigError. When the YAML could be read
// but has problems, the config is returned too, so that check-config can run
// CheckRun on it as well; it must not be used for anything else.
func ParseConfig(data []byte, getenv func(string) string) (*Config, error) {
	cfg := DefaultConfig()
	idx, messages := decodeConfig(data, cfg)
	if idx == nil {
		return nil, &ConfigError{Problems: messages}
	}
	applyConfigEnv(cfg, getenv)
	p := &cfgProblems{idx: idx, fromEnv: cfg.fromEnv}
	for _, m := range messages {
		p.list = append(p.list, idx.translate(m))
	}
	cfg.validate(p)
	if len(p.list) > 0 {
		return cfg, &ConfigError{Problems: p.texts()}
	}
	return cfg, nil
}

// CheckRun returns a *ConfigError with the problems that matter only to
// `steerbot run`: no Telegram token or one not of Telegram's shape, no
// webhook secret in webhook mode.
func (c *Config) CheckRun() error {
	var list []string
	if c.Telegram.Token == "" {
		list = append(list, "telegram.token: missing: set it in the file or in "+EnvTelegramToken)
	}
	if p := c.checkTokenShape(); p != "" {
		list = append(list, p)
	}
	if c.Telegram.Mode == "webhook" && c.Telegram.Webhook.SecretToken == "" {
		list = append(list, "telegram.webhook.secret_token: missing in webhook mode: set it in the file or in "+EnvWebhookSecret)
	}
	if len(list) > 0 {
		return &ConfigError{File: c.file, Problems: list}
	}
	return nil
}

// Redacted returns a deep copy of c fit for logging: the token, the API key
// and the webhook secret are "***" where set.
func (c *Config) Redacted() *Config {
	r := *c
	r.Units = slices.Clone(c.Units)
	r.Members = slices.Clone(c.Members)
	r.Reminders.DueSoonDays = slices.Clone(c.Reminders.DueSoonDays)
	r.Reminders.Holidays = slices.Clone(c.Reminders.Holidays)
	r.Reminders.HolidayDates = slices.Clone(c.Reminders.HolidayDates)
	r.Report.Recipients = slices.Clone(c.Report.Recipients)
	r.fromEnv = maps.Clone(c.fromEnv)
	for _, s := range []*string{&r.Telegram.Token, &r.LLM.APIKey, &r.Telegram.Webhook.SecretToken} {
		if *s != "" {
			*s = "***"
		}
	}
	return &r
}

// applyConfigEnv overrides the secrets with the environment's non-empty values.
func applyConfigEnv(cfg *Config, getenv func(string) string) {
	if getenv == nil {
		return
	}
	for _, s := range []struct {
		key, env string
		dst      *string
	}{
		{"telegram.token", EnvTelegramToken, &cfg.Telegram.Token},
		{"telegram.webhook.secret_token", EnvWebhookSecret, &cfg.Telegram.Webhook.SecretToken},
		{"llm.api_key", EnvLLMAPIKey, &cfg.LLM.APIKey},
	} {
		if v := strings.TrimSpace(getenv(s.env)); v != "" {
			*s.dst = v
			if cfg.fromEnv == nil {
				cfg.fromEnv = make(map[string]string)
			}
			cfg.fromEnv[s.key] = s.env
		}
	}
}

// cfgProblem is one line of a ConfigError and the line of the file it is
