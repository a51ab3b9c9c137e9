package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"net"
	"net/url"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata"
	"unicode" // Asia/Ho_Chi_Minh must load in minimal containers too

	"github.com/robfig/cron/v3"
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
	Lang       string `yaml:"lang"` // "vi", "en" or empty for the committee's
}

// RemindersConfig is the reminder policy. The cron specs are in the
// committee's time zone unless they start with CRON_TZ=.
type RemindersConfig struct {
	Weekly            string   `yaml:"weekly"`
	DueSoonDays       []int    `yaml:"due_soon_days"` // empty: no due-soon reminders
	Overdue           string   `yaml:"overdue"`
	EscalateAfterDays int      `yaml:"escalate_after_days"`
	QuietHours        string   `yaml:"quiet_hours"` // "HH:MM-HH:MM", may cross midnight; empty: none
	Holidays          []string `yaml:"holidays"`

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
		HTTP: HTTPConfig{Listen: "127.0.0.1:9090"},
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
// `steerbot run`: no Telegram token, no webhook secret in webhook mode.
func (c *Config) CheckRun() error {
	var list []string
	if c.Telegram.Token == "" {
		list = append(list, "telegram.token: missing: set it in the file or in "+EnvTelegramToken)
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
	r.fromEnv = maps.Clone(c.fromEnv)
	for _, s := range []*string{&r.Telegram.Token, &r.LLM.APIKey, &r.Telegram.Webhook.SecretToken} {
		if *s != "" {
			*s = "***"
		}
	}
	return &r
}

// validCronSpec reports whether spec is a standard five-field cron
// expression (optionally prefixed with CRON_TZ=Zone, or a descriptor such as
// @daily) that robfig/cron accepts and that fires at least once in five
// years. Unlike cron.ParseStandard it never panics (a bare "CRON_TZ=UTC"
// does there). The error reads `bad cron expression "…": why`.
func validCronSpec(spec string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bad cron expression %q", spec)
		}
	}()
	if (strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=")) && !strings.Contains(spec, " ") {
		return fmt.Errorf("bad cron expression %q: a time zone prefix needs a space and a schedule after it", spec)
	}
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return fmt.Errorf("bad cron expression %q: %w", spec, err)
	}
	// Next gives up (zero time) after five years without a match, as for
	// "0 0 30 2 *". Any fixed instant works as a start.
	if s.Next(time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		return fmt.Errorf("bad cron expression %q: it never fires", spec)
	}
	return nil
}

// decodeConfig decodes data into cfg strictly. It returns the index of the
// document's keys and yaml.v3's decoding messages ("line N: ..."); a nil
// index means the YAML could not be read at all, and the messages are then
// the problems.
func decodeConfig(data []byte, cfg *Config) (idx *cfgKeyIndex, messages []string) {
	defer func() {
		// yaml.v3 recovers its own errors; anything else is a parser bug that
		// must not take the command line down.
		if r := recover(); r != nil {
			idx, messages = nil, []string{cfgOneLine(fmt.Sprintf("bad YAML: parser failure: %v", r))}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	switch err := dec.Decode(&root); {
	case errors.Is(err, io.EOF):
		return newCfgKeyIndex(nil), nil // empty document: the defaults
	case err != nil:
		return nil, []string{cfgYAMLMessage(err)}
	}
	if err := dec.Decode(new(yaml.Node)); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, []string{cfgYAMLMessage(err)}
		}
		return nil, []string{"the file holds more than one YAML document (a second ---)"}
	}
	idx = newCfgKeyIndex(&root)
	strict := yaml.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	if err := strict.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, []string{cfgYAMLMessage(err)}
		}
		messages = te.Errors
	}
	return idx, messages
}

// cfgYAMLMessage is err's text without yaml's prefix, on one line.
func cfgYAMLMessage(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	return "bad YAML: " + strings.Join(strings.Fields(s), " ")
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
// about (0: none, such as a key left out or a value from the environment).
type cfgProblem struct {
	line int
	text string
}

// cfgProblems collects problems, each naming its key and, when the key is in
// the file, its line.
type cfgProblems struct {
	idx     *cfgKeyIndex
	fromEnv map[string]string
	list    []cfgProblem
}

func (p *cfgProblems) add(key, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if env, ok := p.fromEnv[key]; ok {
		p.list = append(p.list, cfgProblem{text: fmt.Sprintf("%s (from %s): %s", key, env, msg)})
		return
	}
	line := p.idx.line(key)
	if line > 0 {
		msg = fmt.Sprintf("%s (line %d)", msg, line)
	}
	p.list = append(p.list, cfgProblem{line, key + ": " + msg})
}

// texts returns the problems in the order of the file, those without a line
// last.
func (p *cfgProblems) texts() []string {
	slices.SortStableFunc(p.list, func(a, b cfgProblem) int {
		switch {
		case a.line == b.line:
			return 0
		case a.line == 0:
			return 1
		case b.line == 0:
			return -1
		}
		return a.line - b.line
	})
	out := make([]string, len(p.list))
	for i, pr := range p.list {
		out[i] = pr.text
	}
	return out
}

// validate checks c, normalizes codes and fills the derived fields.
func (c *Config) validate(p *cfgProblems) {
	c.validateTelegram(p)

	cm := &c.Committee
	if cm.Language != "vi" && cm.Language != "en" {
		p.add("committee.language", "must be vi or en, not %q", cm.Language)
	}
	switch loc, err := time.LoadLocation(cm.Timezone); {
	case cm.Timezone == "" || cm.Timezone == "Local":
		p.add("committee.timezone", "must name a time zone such as Asia/Ho_Chi_Minh")
	case err != nil:
		p.add("committee.timezone", "unknown time zone %q", cm.Timezone)
	default:
		c.Location = loc
	}

	st := &c.Storage
	if strings.TrimSpace(st.Path) == "" {
		p.add("storage.path", "must not be empty")
	}
	if st.BackupDir != "" {
		if st.BackupEvery.Duration <= 0 {
			p.add("storage.backup_every", "must be positive when storage.backup_dir is set, not %s", st.BackupEvery)
		}
		if st.BackupKeep < 1 {
			p.add("storage.backup_keep", "must be at least 1 when storage.backup_dir is set, not %d", st.BackupKeep)
		}
	}

	c.validatePeople(p)
	c.validateReminders(p)

	if c.Digest.BeforeMeeting.Duration < 0 {
		p.add("digest.before_meeting", "must not be negative, not %s", c.Digest.BeforeMeeting)
	}

	l := &c.LLM
	if l.Enabled && strings.TrimSpace(l.BaseURL) == "" {
		p.add("llm.base_url", "required when llm.enabled is true")
	}
	if l.BaseURL != "" {
		if err := cfgCheckURL(l.BaseURL, false); err != nil {
			p.add("llm.base_url", "%v", err)
		}
	}
	if l.Enabled && strings.TrimSpace(l.Model) == "" {
		p.add("llm.model", "required when llm.enabled is true")
	}
	if l.Timeout.Duration <= 0 {
		p.add("llm.timeout", "must be positive, not %s", l.Timeout)
	}
	if l.MaxTokens <= 0 {
		p.add("llm.max_tokens", "must be positive, not %d", l.MaxTokens)
	}
	if l.DailyTokenBudget <= 0 {
		p.add("llm.daily_token_budget", "must be positive, not %d", l.DailyTokenBudget)
	}

	if c.HTTP.Listen != "" {
		if err := cfgCheckLoopback(c.HTTP.Listen); err != nil {
			p.add("http.listen", "%v", err)
		}
	}
}

func (c *Config) validateTelegram(p *cfgProblems) {
	t := &c.Telegram
	if strings.ContainsAny(t.Token, " \t\r\n/") {
		p.add("telegram.token", "must not contain spaces or /")
	}
	t.APIURL = strings.TrimRight(t.APIURL, "/")
	if err := cfgCheckURL(t.APIURL, false); err != nil {
		p.add("telegram.api_url", "%v", err)
	}
	switch t.Mode {
	case "polling":
	case "webhook":
		w := t.Webhook
		if w.URL == "" {
			p.add("telegram.webhook.url", "required when telegram.mode is webhook")
		} else if err := cfgCheckURL(w.URL, true); err != nil {
			p.add("telegram.webhook.url", "%v", err)
		} else if u, _ := url.Parse(w.URL); t.APIURL == "https://api.telegram.org" &&
			!slices.Contains([]string{"", "443", "80", "88", "8443"}, u.Port()) {
			p.add("telegram.webhook.url", "Telegram only delivers to ports 443, 80, 88 and 8443, not %s", u.Port())
		}
		if w.Listen == "" {
			p.add("telegram.webhook.listen", "required when telegram.mode is webhook")
		} else if err := cfgCheckHostPort(w.Listen); err != nil {
			p.add("telegram.webhook.listen", "%v", err)
		}
	default:
		p.add("telegram.mode", "must be polling or webhook, not %q", t.Mode)
	}
	if s := t.Webhook.SecretToken; s != "" && !validWebhookSecret(s) {
		p.add("telegram.webhook.secret_token", "must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
	}
	for _, r := range []struct {
		key string
		v   float64
	}{
		{"telegram.rate.global_per_sec", t.Rate.GlobalPerSec},
		{"telegram.rate.per_chat_per_sec", t.Rate.PerChatPerSec},
		{"telegram.rate.per_group_per_min", t.Rate.PerGroupPerMin},
	} {
		if !(r.v > 0) || math.IsInf(r.v, 0) {
			p.add(r.key, "must be a positive number, not %v", r.v)
		}
	}
}

func (c *Config) validatePeople(p *cfgProblems) {
	units := make(map[string]bool, len(c.Units))
	for i := range c.Units {
		u := &c.Units[i]
		key := fmt.Sprintf("units[%d]", i)
		u.Code = tasks.NormalizeCode(u.Code)
		switch {
		case u.Code == "":
			p.add(key+".code", "must not be empty")
		case strings.ContainsFunc(u.Code, unicode.IsSpace):
			p.add(key+".code", "must be one word, not %q", u.Code)
		case units[u.Code]:
			p.add(key+".code", "duplicate unit code %q", u.Code)
		}
		units[u.Code] = true
		if strings.TrimSpace(u.Name) == "" {
			p.add(key+".name", "must not be empty")
		}
	}
	ids := make(map[int64]int)
	for i := range c.Members {
		m := &c.Members[i]
		key := fmt.Sprintf("members[%d]", i)
		m.Unit = tasks.NormalizeCode(m.Unit)
		if strings.TrimSpace(m.Name) == "" {
			p.add(key+".name", "must not be empty")
		}
		role := tasks.Role(m.Role)
		switch {
		case !role.Valid():
			p.add(key+".role", "must be chair, secretariat, unit_head or unit_delegate, not %q", m.Role)
		case role.ForUnit() && m.Unit == "":
			p.add(key+".unit", "required for role %s", m.Role)
		case role.ForUnit() && !units[m.Unit]:
			p.add(key+".unit", "unknown unit %q (not in units)", m.Unit)
		case !role.ForUnit() && m.Unit != "":
			p.add(key+".unit", "only unit_head and unit_delegate have a unit, not %s", m.Role)
		}
		switch first, dup := ids[m.TelegramID]; {
		case m.TelegramID < 0:
			p.add(key+".telegram_id", "must be a user id (positive), not %d", m.TelegramID)
		case m.TelegramID != 0 && dup:
			p.add(key+".telegram_id", "%d is already members[%d]'s", m.TelegramID, first)
		case m.TelegramID != 0:
			ids[m.TelegramID] = i
		}
		if m.Lang != "" && m.Lang != "vi" && m.Lang != "en" {
			p.add(key+".lang", "must be vi, en or empty, not %q", m.Lang)
		}
	}
}

func (c *Config) validateReminders(p *cfgProblems) {
	r := &c.Reminders
	if err := validCronSpec(r.Weekly); err != nil {
		p.add("reminders.weekly", "%v", err)
	}
	if err := validCronSpec(r.Overdue); err != nil {
		p.add("reminders.overdue", "%v", err)
	}
	seen := make(map[int]bool)
	for i, d := range r.DueSoonDays {
		key := fmt.Sprintf("reminders.due_soon_days[%d]", i)
		switch {
		case d <= 0:
			p.add(key, "must be a positive number of days, not %d", d)
		case seen[d]:
			p.add(key, "%d is listed twice", d)
		}
		seen[d] = true
	}
	if r.EscalateAfterDays < 0 {
		p.add("reminders.escalate_after_days", "must not be negative, not %d", r.EscalateAfterDays)
	}
	r.QuietFrom, r.QuietTo = 0, 0
	if strings.TrimSpace(r.QuietHours) != "" {
		from, to, ok := parseQuietHours(r.QuietHours)
		if ok {
			r.QuietFrom, r.QuietTo = from, to
		} else {
			p.add("reminders.quiet_hours", "want HH:MM-HH:MM such as 20:00-07:00, or empty, not %q", r.QuietHours)
		}
	}
	r.HolidayDates = nil
	for i, h := range r.Holidays {
		d, err := tasks.ParseDate(h, tasks.Date{})
		if err != nil {
			p.add(fmt.Sprintf("reminders.holidays[%d]", i), "%q is not a date (want YYYY-MM-DD)", h)
			continue
		}
		r.HolidayDates = append(r.HolidayDates, d)
	}
	slices.SortFunc(r.HolidayDates, tasks.Date.Compare)
	r.HolidayDates = slices.Compact(r.HolidayDates)
}

// parseQuietHours reads "HH:MM-HH:MM" (spaces around the dash allowed).
func parseQuietHours(s string) (from, to time.Duration, ok bool) {
	a, b, found := strings.Cut(s, "-")
	if !found {
		return 0, 0, false
	}
	from, ok1 := cfgParseClock(strings.TrimSpace(a))
	to, ok2 := cfgParseClock(strings.TrimSpace(b))
	return from, to, ok1 && ok2
}

// cfgParseClock reads "HH:MM" (or "H:MM") from 00:00 to 23:59.
func cfgParseClock(s string) (time.Duration, bool) {
	hh, mm, found := strings.Cut(s, ":")
	if !found || len(hh) < 1 || len(hh) > 2 || len(mm) != 2 {
		return 0, false
	}
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || hh[0] == '+' || mm[0] == '+' || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, false
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, true
}

// validWebhookSecret reports whether s is a webhook secret Telegram accepts.
func validWebhookSecret(s string) bool {
	if len(s) < 1 || len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// cfgCheckURL checks that s is an absolute http(s) URL with a host, https
// only when httpsOnly.
func cfgCheckURL(s string, httpsOnly bool) error {
	u, err := url.Parse(s)
	want := "an absolute http or https URL"
	if httpsOnly {
		want = "an absolute https URL"
	}
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return fmt.Errorf("must be %s, not %q", want, s)
	case u.Scheme == "https", u.Scheme == "http" && !httpsOnly:
		return nil
	}
	return fmt.Errorf("must be %s, not %q", want, s)
}

// cfgCheckHostPort checks a listen address "host:port" with a numeric port.
func cfgCheckHostPort(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("want host:port, not %q", addr)
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || port[0] == '+' || n > 65535 {
		return fmt.Errorf("bad port in %q", addr)
	}
	return nil
}

// cfgCheckLoopback checks that addr is host:port on a loopback address.
func cfgCheckLoopback(addr string) error {
	if err := cfgCheckHostPort(addr); err != nil {
		return err
	}
	host, _, _ := net.SplitHostPort(addr)
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("must be a loopback address (127.0.0.1, [::1] or localhost), not %q", addr)
}

// cfgKeyIndex maps the keys of a parsed document to their lines, so that every
// problem can name its key and line.
type cfgKeyIndex struct {
	entries []cfgKeyEntry
	byPath  map[string]int // path -> first entry
}

type cfgKeyEntry struct {
	path    string // "members[2].unit"; "" for the document itself
	name    string // the key; "" for a list item or the document
	keyLine int
	val     *yaml.Node
}

func newCfgKeyIndex(root *yaml.Node) *cfgKeyIndex {
	ix := &cfgKeyIndex{byPath: make(map[string]int)}
	if root != nil && root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		ix.add(cfgKeyEntry{keyLine: root.Content[0].Line, val: root.Content[0]})
		ix.walk(root.Content[0], "")
	}
	return ix
}

func (ix *cfgKeyIndex) add(e cfgKeyEntry) {
	if _, ok := ix.byPath[e.path]; !ok {
		ix.byPath[e.path] = len(ix.entries)
	}
	ix.entries = append(ix.entries, e)
}

func (ix *cfgKeyIndex) walk(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := cfgKeyName(k.Value)
			if path != "" {
				p = path + "." + p
			}
			ix.add(cfgKeyEntry{path: p, name: k.Value, keyLine: k.Line, val: v})
			ix.walk(v, p)
		}
	case yaml.SequenceNode:
		for i, v := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			ix.add(cfgKeyEntry{path: p, keyLine: v.Line, val: v})
			ix.walk(v, p)
		}
	}
}

// cfgKeyName is k as a path element: quoted unless it is a plain word.
func cfgKeyName(k string) string {
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return strconv.Quote(k)
		}
	}
	if k == "" {
		return `""`
	}
	return k
}

// line returns the line of key in the file, or of the list item it belongs
// to when the key itself is absent ("members[2]" for "members[2].unit"), or 0.
func (ix *cfgKeyIndex) line(key string) int {
	if i, ok := ix.byPath[key]; ok {
		return ix.entries[i].keyLine
	}
	if dot := strings.LastIndexByte(key, '.'); dot > 0 && key[dot-1] == ']' {
		if i, ok := ix.byPath[key[:dot]]; ok {
			return ix.entries[i].keyLine
		}
	}
	return 0
}

// translate rewrites one of yaml.v3's "line N: ..." decoding messages as a
// problem naming its key.
func (ix *cfgKeyIndex) translate(msg string) cfgProblem {
	rest, ok := strings.CutPrefix(msg, "line ")
	if !ok {
		return cfgProblem{text: cfgOneLine(msg)}
	}
	num, rest, ok := strings.Cut(rest, ": ")
	line, err := strconv.Atoi(num)
	if !ok || err != nil {
		return cfgProblem{text: cfgOneLine(msg)}
	}
	at := func(format string, args ...any) cfgProblem {
		return cfgProblem{line, fmt.Sprintf(format, args...) + fmt.Sprintf(" (line %d)", line)}
	}
	if name, typ, ok := cfgCutAround(rest, "field ", " not found in type "); ok {
		if e := ix.find(func(e cfgKeyEntry) bool { return e.keyLine == line && e.name == name }); e != nil {
			return at("%s: unknown key; known keys here: %s", cfgDisplayPath(e.path), strings.Join(cfgKnownKeys(typ), ", "))
		}
	}
	if quoted, first, ok := cfgCutAround(rest, "mapping key ", " already defined at line "); ok {
		name, err := strconv.Unquote(quoted)
		e := ix.find(func(e cfgKeyEntry) bool { return e.keyLine == line && e.name == name })
		if err == nil && e != nil {
			return at("%s: set twice, first at line %s", cfgDisplayPath(e.path), first)
		}
	}
	if name, _, ok := cfgCutAround(rest, "field ", " already set in type "); ok {
		if e := ix.find(func(e cfgKeyEntry) bool { return e.keyLine == line && e.name == name }); e != nil {
			return at("%s: set twice", cfgDisplayPath(e.path))
		}
	}
	if what, typ, ok := cfgCutAround(rest, "cannot unmarshal ", " into "); ok {
		tag, value, quoted := strings.Cut(what, " `")
		value = strings.TrimSuffix(value, "`")
		prefix, truncated := strings.CutSuffix(value, "...")
		e := ix.find(func(e cfgKeyEntry) bool {
			if e.val.Line != line || e.val.ShortTag() != tag {
				return false
			}
			if !quoted {
				return e.val.Kind != yaml.ScalarNode
			}
			return e.val.Value == value || truncated && strings.HasPrefix(e.val.Value, prefix)
		})
		path := "(unknown key)"
		if e != nil {
			path = cfgDisplayPath(e.path)
		}
		return at("%s: want %s, got %s", path, cfgDescribeType(typ), cfgDescribeValue(tag, value, quoted))
	}
	return at("%s", cfgOneLine(rest))
}

func (ix *cfgKeyIndex) find(match func(cfgKeyEntry) bool) *cfgKeyEntry {
	for i := range ix.entries {
		if match(ix.entries[i]) {
			return &ix.entries[i]
		}
	}
	return nil
}

// cfgCutAround splits "<before>A<mid>B" into A and B, at the last mid (the
// type named after it never holds mid, the value before it may).
func cfgCutAround(s, before, mid string) (a, b string, ok bool) {
	s, ok = strings.CutPrefix(s, before)
	i := strings.LastIndex(s, mid)
	if !ok || i < 0 {
		return "", "", false
	}
	return s[:i], s[i+len(mid):], true
}

func cfgOneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func cfgDisplayPath(p string) string {
	if p == "" {
		return "(top level)"
	}
	return p
}

// cfgDescribeValue renders a YAML value for a problem.
func cfgDescribeValue(tag, value string, hasValue bool) string {
	switch {
	case tag == "!!seq":
		return "a list"
	case tag == "!!map":
		return "a mapping"
	case !hasValue:
		return tag
	case tag == "!!str":
		return strconv.Quote(value)
	case tag == "!!int" || tag == "!!float" || tag == "!!bool":
		return value
	}
	return tag + " " + strconv.Quote(value)
}

// cfgDescribeType names what a Go type of the config wants, for a problem.
func cfgDescribeType(typ string) string {
	switch {
	case typ == "int" || typ == "int64":
		return "a whole number"
	case typ == "float64":
		return "a number"
	case typ == "bool":
		return "true or false"
	case typ == "string":
		return "text"
	case typ == fmt.Sprintf("%T", Duration{}):
		return "a duration such as 24h or 20s"
	case strings.HasPrefix(typ, "[]"):
		return "a list"
	case len(cfgKnownKeys(typ)) > 0:
		return "a mapping of keys"
	}
	return typ
}

// cfgKnownKeys returns the YAML keys of the config's struct type named typ
// ("main.TelegramConfig").
func cfgKnownKeys(typ string) []string {
	var keys []string
	seen := make(map[reflect.Type]bool)
	var visit func(t reflect.Type)
	visit = func(t reflect.Type) {
		for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for f := range t.Fields() {
			tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || tag == "-" || tag == "" {
				continue
			}
			if t.String() == typ {
				keys = append(keys, tag)
			}
			visit(f.Type)
		}
	}
	visit(reflect.TypeFor[Config]())
	return keys
}
