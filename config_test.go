package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"steerbot/tasks"
)

// configEnv returns a getenv reading from m.
func configEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// configProblems parses doc and returns its problems, failing the test when
// the error is not a *ConfigError.
func configProblems(t *testing.T, doc string) []string {
	t.Helper()
	_, err := ParseConfig([]byte(doc), nil)
	if err == nil {
		return nil
	}
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("ParseConfig: error %T %q, want *ConfigError", err, err)
	}
	return ce.Problems
}

func TestParseConfig_Example(t *testing.T) {
	data, err := os.ReadFile("config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig(data, nil)
	if err != nil {
		t.Fatalf("config.example.yaml does not parse:\n%v", err)
	}
	if got, want := cfg.Location.String(), "Asia/Ho_Chi_Minh"; got != want {
		t.Errorf("location=%s, want %s", got, want)
	}
	var codes []string
	for _, u := range cfg.Units {
		codes = append(codes, u.Code)
	}
	if got, want := strings.Join(codes, ","), "SNV,STP,VP,QHK"; got != want {
		t.Errorf("units=%s, want %s", got, want)
	}
	roles := map[string]bool{}
	for _, m := range cfg.Members {
		roles[m.Role] = true
	}
	for _, r := range []string{"chair", "secretariat", "unit_head"} {
		if !roles[r] {
			t.Errorf("the example has no %s member", r)
		}
	}
	if cfg.Reminders.QuietFrom != 20*time.Hour || cfg.Reminders.QuietTo != 7*time.Hour {
		t.Errorf("quiet hours=%v-%v, want 20h-7h", cfg.Reminders.QuietFrom, cfg.Reminders.QuietTo)
	}
	if len(cfg.Reminders.HolidayDates) == 0 || cfg.Reminders.HolidayDates[0] != (tasks.Date{Year: 2026, Month: 1, Day: 1}) {
		t.Errorf("holidays=%v, want 2026-01-01 first", cfg.Reminders.HolidayDates)
	}

	// Every key of the contract is in the example, so nothing is left
	// undocumented: re-encoding the defaults must give no key the example
	// lacks.
	var example, all map[string]any
	if err := yaml.Unmarshal(data, &example); err != nil {
		t.Fatal(err)
	}
	out, err := yaml.Marshal(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(out, &all); err != nil {
		t.Fatal(err)
	}
	for _, k := range configMissingKeys("", all, example) {
		t.Errorf("config.example.yaml lacks %s", k)
	}
}

// configMissingKeys lists the keys of want's mappings that got lacks.
func configMissingKeys(prefix string, want, got map[string]any) []string {
	var missing []string
	for k, v := range want {
		gv, ok := got[k]
		if !ok {
			missing = append(missing, prefix+k)
			continue
		}
		wm, ok1 := v.(map[string]any)
		gm, ok2 := gv.(map[string]any)
		if ok1 && ok2 {
			missing = append(missing, configMissingKeys(prefix+k+".", wm, gm)...)
		}
	}
	return missing
}

func TestParseConfig_Defaults(t *testing.T) {
	for _, doc := range []string{"", "# only a comment\n", "---\n", "{}\n"} {
		cfg, err := ParseConfig([]byte(doc), nil)
		if err != nil {
			t.Fatalf("ParseConfig(%q): %v", doc, err)
		}
		tests := []struct {
			name      string
			got, want any
		}{
			{"api_url", cfg.Telegram.APIURL, "https://api.telegram.org"},
			{"mode", cfg.Telegram.Mode, "polling"},
			{"rate", cfg.Telegram.Rate, RateConfig{30, 1, 20}},
			{"committee.name", cfg.Committee.Name, "Ban chỉ đạo CCHC, chuyển đổi số"},
			{"timezone", cfg.Location.String(), "Asia/Ho_Chi_Minh"},
			{"language", cfg.Committee.Language, "vi"},
			{"storage.path", cfg.Storage.Path, "steerbot.db"},
			{"backup_every", cfg.Storage.BackupEvery.Duration, 24 * time.Hour},
			{"backup_keep", cfg.Storage.BackupKeep, 7},
			{"weekly", cfg.Reminders.Weekly, "30 8 * * MON"},
			{"due_soon_days", cfg.Reminders.DueSoonDays, []int{7, 3, 1}},
			{"overdue", cfg.Reminders.Overdue, "0 9 * * MON-FRI"},
			{"escalate_after_days", cfg.Reminders.EscalateAfterDays, 3},
			{"quiet_hours", [2]time.Duration{cfg.Reminders.QuietFrom, cfg.Reminders.QuietTo}, [2]time.Duration{20 * time.Hour, 7 * time.Hour}},
			{"before_meeting", cfg.Digest.BeforeMeeting.Duration, 24 * time.Hour},
			{"llm.enabled", cfg.LLM.Enabled, false},
			{"llm.timeout", cfg.LLM.Timeout.Duration, 20 * time.Second},
			{"max_tokens", cfg.LLM.MaxTokens, 800},
			{"daily_token_budget", cfg.LLM.DailyTokenBudget, 200000},
			{"http.listen", cfg.HTTP.Listen, "127.0.0.1:9090"},
		}
		for _, tt := range tests {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("doc %q: %s=%v, want %v", doc, tt.name, tt.got, tt.want)
			}
		}
	}
}

func TestParseConfig_Overrides(t *testing.T) {
	cfg, err := ParseConfig([]byte(`
telegram:
  api_url: http://127.0.0.1:8081/
committee: {timezone: UTC, language: en, chat_id: -100123}
units: [{code: " snv ", name: "Sở Nội vụ"}]
members: [{name: "Lê Văn C", role: unit_head, unit: snv, telegram_id: 333}]
reminders: {due_soon_days: [], quiet_hours: "", holidays: ["2026-09-02", "02/09/2026", "2026-01-01"]}
http: {listen: ""}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"api_url, trailing slash dropped", cfg.Telegram.APIURL, "http://127.0.0.1:8081"},
		{"location", cfg.Location, time.UTC},
		{"chat_id", cfg.Committee.ChatID, int64(-100123)},
		{"unit code normalized", cfg.Units[0].Code, "SNV"},
		{"member unit normalized", cfg.Members[0].Unit, "SNV"},
		{"due_soon_days emptied", len(cfg.Reminders.DueSoonDays), 0},
		{"no quiet hours", cfg.Reminders.QuietFrom == cfg.Reminders.QuietTo, true},
		{"holidays sorted, once each", cfg.Reminders.HolidayDates, []tasks.Date{{Year: 2026, Month: 1, Day: 1}, {Year: 2026, Month: 9, Day: 2}}},
		{"no listener", cfg.HTTP.Listen, ""},
		{"rate kept", cfg.Telegram.Rate.GlobalPerSec, 30.0},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

// TestLoadConfig_Broken checks that one pass reports every problem, each
// with its key and line, and that the error says each on its own line
// after the file name.
func TestLoadConfig_Broken(t *testing.T) {
	const file = "testdata/config/broken.yaml"
	cfg, err := LoadConfig(file, nil)
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("LoadConfig: error %T %v, want *ConfigError", err, err)
	}
	if cfg == nil {
		t.Error("no config returned with the problems: check-config cannot run CheckRun")
	}
	if ce.File != file {
		t.Errorf("File=%q, want %q", ce.File, file)
	}
	want := []string{
		`telegram.mode: must be polling or webhook, not "longpoll" (line 5)`,
		`telegram.api_url: must be an absolute http or https URL, not "ftp://example.org" (line 6)`,
		`telegram.rate.per_group_per_min: want a number, got "fast" (line 7)`,
		`telegram.rate.global_per_sec: must be a positive number, not 0 (line 7)`,
		`telegram.webhok: unknown key; known keys here: token, api_url, mode, webhook, rate (line 8)`,
		`committee.timezone: unknown time zone "Asia/Hanoi1" (line 10)`,
		`committee.language: must be vi or en, not "fr" (line 11)`,
		`storage.backup_every: want a duration such as 24h or 20s, got "1 day" (line 14)`,
		`storage.backup_keep: must be at least 1 when storage.backup_dir is set, not 0 (line 15)`,
		`units[1].code: duplicate unit code "SNV" (line 18)`,
		`units[2].name: must not be empty (line 19)`,
		`members[1].role: must be chair, secretariat, unit_head or unit_delegate, not "boss" (line 22)`,
		`members[2].unit: unknown unit "SXX" (not in units) (line 23)`,
		`members[2].telegram_id: 111 is already members[0]'s (line 23)`,
		`reminders.weekly: bad cron expression "61 8 * * MON": end of range (61) above maximum (59): 61 (line 25)`,
		`reminders.overdue: bad cron expression "CRON_TZ=UTC": a time zone prefix needs a space and a schedule after it (line 26)`,
		`reminders.due_soon_days[1]: must be a positive number of days, not 0 (line 27)`,
		`reminders.quiet_hours: want HH:MM-HH:MM such as 20:00-07:00, or empty, not "20h-7h" (line 28)`,
		`reminders.holidays[0]: "2026-13-01" is not a date (want YYYY-MM-DD) (line 29)`,
		`digest.before_meeting: must not be negative, not -1h (line 31)`,
		`llm.timeout: must be positive, not 0s (line 34)`,
		`http.listen: must be a loopback address (127.0.0.1, [::1] or localhost), not "0.0.0.0:9090" (line 36)`,
		`llm.base_url: required when llm.enabled is true`,
		`llm.model: required when llm.enabled is true`,
	}
	if got := strings.Join(ce.Problems, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("error has %d lines, want %d:\n%v", len(lines), len(want), err)
	}
	for i, l := range lines {
		if l != file+": "+want[i] {
			t.Errorf("error line %d=%q, want %q", i+1, l, file+": "+want[i])
		}
	}
}

func TestLoadConfig_Missing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "steerbot.yaml")
	cfg, err := LoadConfig(path, nil)
	if cfg != nil || err == nil {
		t.Fatalf("LoadConfig of a missing file: cfg=%v err=%v, want an error", cfg, err)
	}
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "not found") {
		t.Errorf("error %q does not say that %s was not found", err, path)
	}
	var ce *ConfigError
	if !errors.As(err, &ce) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %T: want a *ConfigError matching fs.ErrNotExist", err)
	}
}

func TestLoadConfig_Good(t *testing.T) {
	path := filepath.Join(t.TempDir(), "steerbot.yaml")
	if err := os.WriteFile(path, []byte("committee: {chat_id: -1009}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path, configEnv(map[string]string{EnvTelegramToken: "123:abc"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Committee.ChatID != -1009 || cfg.Telegram.Token != "123:abc" {
		t.Errorf("chat_id=%d token=%q, want -1009 and the env token", cfg.Committee.ChatID, cfg.Telegram.Token)
	}
	if err := cfg.CheckRun(); err != nil {
		t.Errorf("CheckRun: %v", err)
	}
}

func TestParseConfig_EnvSecrets(t *testing.T) {
	const file = `
telegram:
  token: file-token
  mode: webhook
  webhook: {url: "https://bot.example.org/telegram", secret_token: file_secret_0123456}
llm: {api_key: file-key}
`
	tests := []struct {
		name                  string
		doc                   string
		env                   map[string]string
		token, secret, apiKey string
	}{
		{"file only", file, nil, "file-token", "file_secret_0123456", "file-key"},
		{"env fills empty values", "", map[string]string{
			EnvTelegramToken: "env-token", EnvWebhookSecret: "env_secret_01234567", EnvLLMAPIKey: "env-key",
		}, "env-token", "env_secret_01234567", "env-key"},
		{"env wins over the file", file, map[string]string{
			EnvTelegramToken: "env-token", EnvWebhookSecret: "env_secret_01234567", EnvLLMAPIKey: "env-key",
		}, "env-token", "env_secret_01234567", "env-key"},
		{"empty env leaves the file", file, map[string]string{EnvTelegramToken: "  "}, "file-token", "file_secret_0123456", "file-key"},
		{"env trimmed", "", map[string]string{EnvTelegramToken: " env-token\n"}, "env-token", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ParseConfig([]byte(tt.doc), configEnv(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Telegram.Token != tt.token || cfg.Telegram.Webhook.SecretToken != tt.secret || cfg.LLM.APIKey != tt.apiKey {
				t.Errorf("token=%q secret=%q api_key=%q, want %q %q %q",
					cfg.Telegram.Token, cfg.Telegram.Webhook.SecretToken, cfg.LLM.APIKey, tt.token, tt.secret, tt.apiKey)
			}
		})
	}

	t.Run("bad env secret names the variable", func(t *testing.T) {
		_, err := ParseConfig(nil, configEnv(map[string]string{EnvWebhookSecret: "no spaces allowed"}))
		if err == nil || !strings.Contains(err.Error(), "telegram.webhook.secret_token (from "+EnvWebhookSecret+"): ") {
			t.Errorf("error %v, want the secret's problem naming %s", err, EnvWebhookSecret)
		}
	})
}

func TestConfig_CheckRun(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		env  map[string]string
		want []string
	}{
		{"polling with a token", "", map[string]string{EnvTelegramToken: "1:x"}, nil},
		{"no token", "", nil, []string{"telegram.token: missing"}},
		{"webhook without secret", `telegram: {token: "1:x", mode: webhook, webhook: {url: "https://b.example.org/t"}}`, nil,
			[]string{"telegram.webhook.secret_token: missing in webhook mode"}},
		{"webhook, nothing", `telegram: {mode: webhook, webhook: {url: "https://b.example.org/t"}}`, nil,
			[]string{"telegram.token: missing", "telegram.webhook.secret_token: missing"}},
		{"webhook with env secret", `telegram: {mode: webhook, webhook: {url: "https://b.example.org/t"}}`,
			map[string]string{EnvTelegramToken: "1:x", EnvWebhookSecret: "s3cr3t_0123456789"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ParseConfig([]byte(tt.doc), configEnv(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			err = cfg.CheckRun()
			if tt.want == nil {
				if err != nil {
					t.Errorf("CheckRun: %v, want nil", err)
				}
				return
			}
			var ce *ConfigError
			if !errors.As(err, &ce) || len(ce.Problems) != len(tt.want) {
				t.Fatalf("CheckRun: %v, want %d problems %q", err, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(ce.Problems[i], w) {
					t.Errorf("problem %d=%q, want it to start %q", i, ce.Problems[i], w)
				}
			}
		})
	}

	t.Run("error names the file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "bot.yaml")
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadConfig(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := cfg.CheckRun(); err == nil || !strings.HasPrefix(err.Error(), path+": telegram.token: ") {
			t.Errorf("CheckRun: %v, want it to start with %s", err, path)
		}
	})
}

// TestParseConfig_Problems checks each validation, one small document at a
// time: the problem names the key and says what is wrong.
func TestParseConfig_Problems(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want string // the one problem expected
	}{
		{"mode", "telegram: {mode: longpoll}", `telegram.mode: must be polling or webhook, not "longpoll" (line 1)`},
		{"api_url", "telegram: {api_url: api.telegram.org}", `telegram.api_url: must be an absolute http or https URL`},
		{"token with a space", "telegram: {token: '1:ab c'}", `telegram.token: must not contain spaces or /`},
		{"webhook url missing", "telegram: {mode: webhook}", `telegram.webhook.url: required when telegram.mode is webhook`},
		{"webhook url http", "telegram: {mode: webhook, webhook: {url: 'http://b.example.org/t'}}", `telegram.webhook.url: must be an absolute https URL, not "http://b.example.org/t" (line 1)`},
		{"webhook url relative", "telegram: {mode: webhook, webhook: {url: '/telegram'}}", `telegram.webhook.url: must be an absolute https URL`},
		{"webhook port", "telegram: {mode: webhook, webhook: {url: 'https://b.example.org:9443/t'}}", `telegram.webhook.url: Telegram only delivers to ports 443, 80, 88 and 8443, not 9443`},
		{"webhook listen missing", "telegram: {mode: webhook, webhook: {url: 'https://b.example.org/t', listen: ''}}", `telegram.webhook.listen: required when telegram.mode is webhook`},
		{"webhook listen bad", "telegram: {mode: webhook, webhook: {url: 'https://b.example.org/t', listen: '8443'}}", `telegram.webhook.listen: want host:port, not "8443"`},
		{"secret charset", "telegram: {webhook: {secret_token: 'a+b'}}", `telegram.webhook.secret_token: must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -`},
		{"secret too long", "telegram: {webhook: {secret_token: '" + strings.Repeat("a", 257) + "'}}", `telegram.webhook.secret_token: must be 1 to 256`},
		{"rate zero", "telegram: {rate: {per_chat_per_sec: 0}}", `telegram.rate.per_chat_per_sec: must be a positive number, not 0`},
		{"rate negative", "telegram: {rate: {global_per_sec: -1}}", `telegram.rate.global_per_sec: must be a positive number, not -1`},
		{"rate NaN", "telegram: {rate: {per_group_per_min: .nan}}", `telegram.rate.per_group_per_min: must be a positive number, not NaN`},
		{"rate infinite", "telegram: {rate: {per_group_per_min: .inf}}", `telegram.rate.per_group_per_min: must be a positive number, not +Inf`},
		{"language", "committee: {language: fr}", `committee.language: must be vi or en, not "fr"`},
		{"timezone", "committee: {timezone: Asia/Hanoi1}", `committee.timezone: unknown time zone "Asia/Hanoi1" (line 1)`},
		{"timezone empty", "committee: {timezone: ''}", `committee.timezone: must name a time zone such as Asia/Ho_Chi_Minh`},
		{"timezone Local", "committee: {timezone: Local}", `committee.timezone: must name a time zone such as Asia/Ho_Chi_Minh`},
		{"storage path", "storage: {path: ''}", `storage.path: must not be empty`},
		{"backup_keep", "storage: {backup_dir: b, backup_keep: 0}", `storage.backup_keep: must be at least 1 when storage.backup_dir is set, not 0`},
		{"backup_every", "storage: {backup_dir: b, backup_every: 0s}", `storage.backup_every: must be positive when storage.backup_dir is set, not 0s`},
		{"unit code empty", "units: [{code: ' ', name: X}]", `units[0].code: must not be empty (line 1)`},
		{"unit code two words", "units: [{code: 'S NV', name: X}]", `units[0].code: must be one word, not "S NV"`},
		{"unit code duplicate", "units: [{code: SNV, name: X}, {code: snv, name: Y}]", `units[1].code: duplicate unit code "SNV"`},
		{"unit name", "units: [{code: SNV}]", `units[0].name: must not be empty (line 1)`},
		{"member name", "members: [{role: chair}]", `members[0].name: must not be empty (line 1)`},
		{"member role", "members: [{name: A, role: boss}]", `members[0].role: must be chair, secretariat, unit_head or unit_delegate, not "boss"`},
		{"member role empty", "members: [{name: A}]", `members[0].role: must be chair, secretariat, unit_head or unit_delegate, not ""`},
		{"member unit missing", "members: [{name: A, role: unit_delegate}]", `members[0].unit: required for role unit_delegate (line 1)`},
		{"member unit unknown", "units: [{code: SNV, name: X}]\nmembers:\n  - name: A\n    role: unit_head\n    unit: SXX\n", `members[0].unit: unknown unit "SXX" (not in units) (line 5)`},
		{"chair with a unit", "units: [{code: SNV, name: X}]\nmembers: [{name: A, role: chair, unit: SNV}]", `members[0].unit: only unit_head and unit_delegate have a unit, not chair`},
		{"telegram id twice", "members: [{name: A, role: chair, telegram_id: 5}, {name: B, role: secretariat, telegram_id: 5}]", `members[1].telegram_id: 5 is already members[0]'s`},
		{"telegram id negative", "members: [{name: A, role: chair, telegram_id: -5}]", `members[0].telegram_id: must be a user id (positive), not -5`},
		{"member lang", "members: [{name: A, role: chair, lang: fr}]", `members[0].lang: must be vi, en or empty, not "fr"`},
		{"weekly", `reminders: {weekly: "61 8 * * MON"}`, `reminders.weekly: bad cron expression "61 8 * * MON": end of range (61) above maximum (59): 61 (line 1)`},
		{"weekly CRON_TZ alone", `reminders: {weekly: "CRON_TZ=UTC"}`, `reminders.weekly: bad cron expression "CRON_TZ=UTC"`},
		{"weekly bad zone", `reminders: {weekly: "CRON_TZ=Asia/Hanoi1 30 8 * * MON"}`, `reminders.weekly: bad cron expression "CRON_TZ=Asia/Hanoi1 30 8 * * MON": provided bad location Asia/Hanoi1`},
		{"overdue never fires", `reminders: {overdue: "0 9 30 2 *"}`, `reminders.overdue: bad cron expression "0 9 30 2 *": it never fires`},
		{"overdue empty", `reminders: {overdue: ""}`, `reminders.overdue: bad cron expression "": empty spec string`},
		{"due_soon_days zero", "reminders: {due_soon_days: [3, 0]}", `reminders.due_soon_days[1]: must be a positive number of days, not 0 (line 1)`},
		{"due_soon_days twice", "reminders: {due_soon_days: [3, 3]}", `reminders.due_soon_days[1]: 3 is listed twice`},
		{"escalate_after_days", "reminders: {escalate_after_days: -1}", `reminders.escalate_after_days: must not be negative, not -1`},
		{"quiet_hours words", "reminders: {quiet_hours: evenings}", `reminders.quiet_hours: want HH:MM-HH:MM such as 20:00-07:00, or empty, not "evenings"`},
		{"quiet_hours 24:00", "reminders: {quiet_hours: '20:00-24:00'}", `reminders.quiet_hours: want HH:MM-HH:MM`},
		{"quiet_hours minutes", "reminders: {quiet_hours: '20:60-07:00'}", `reminders.quiet_hours: want HH:MM-HH:MM`},
		{"holiday", "reminders:\n  holidays:\n    - 2026-01-01\n    - 2026-02-30\n", `reminders.holidays[1]: "2026-02-30" is not a date (want YYYY-MM-DD) (line 4)`},
		{"holiday without year", "reminders: {holidays: ['01/01']}", `reminders.holidays[0]: "01/01" is not a date`},
		{"before_meeting", "digest: {before_meeting: -2h}", `digest.before_meeting: must not be negative, not -2h`},
		{"llm base_url", "llm: {enabled: true, model: m}", `llm.base_url: required when llm.enabled is true`},
		{"llm base_url bad", "llm: {base_url: 'localhost:11434'}", `llm.base_url: must be an absolute http or https URL, not "localhost:11434"`},
		{"llm model", "llm: {enabled: true, base_url: 'http://127.0.0.1:11434/v1'}", `llm.model: required when llm.enabled is true`},
		{"llm timeout", "llm: {timeout: 0s}", `llm.timeout: must be positive, not 0s`},
		{"llm max_tokens", "llm: {max_tokens: 0}", `llm.max_tokens: must be positive, not 0`},
		{"llm budget", "llm: {daily_token_budget: -1}", `llm.daily_token_budget: must be positive, not -1`},
		{"http all interfaces", "http: {listen: '0.0.0.0:9090'}", `http.listen: must be a loopback address (127.0.0.1, [::1] or localhost), not "0.0.0.0:9090" (line 1)`},
		{"http no host", "http: {listen: ':9090'}", `http.listen: must be a loopback address`},
		{"http public", "http: {listen: '10.0.0.5:9090'}", `http.listen: must be a loopback address`},
		{"http no port", "http: {listen: '127.0.0.1'}", `http.listen: want host:port, not "127.0.0.1"`},
		{"http bad port", "http: {listen: '127.0.0.1:99999'}", `http.listen: bad port in "127.0.0.1:99999"`},

		// Decoding problems name the key and line too.
		{"unknown top key", "telegrm: {}", `telegrm: unknown key; known keys here: telegram, committee, storage, units, members, reminders, digest, llm, http, report, dashboard (line 1)`},
		{"unknown nested key", "units:\n  - {code: SNV, name: X, head: Y}\n", `units[0].head: unknown key; known keys here: code, name (line 2)`},
		{"unknown odd key", "llm: {\"a b\": 1}", `llm."a b": unknown key`},
		{"not a number", "committee:\n  chat_id: group\n", `committee.chat_id: want a whole number, got "group" (line 2)`},
		{"not a bool", "llm: {enabled: maybe}", `llm.enabled: want true or false, got "maybe" (line 1)`},
		{"not a list", "reminders: {due_soon_days: 7}", `reminders.due_soon_days: want a list, got 7 (line 1)`},
		{"list item", "reminders: {due_soon_days: [7, soon]}", `reminders.due_soon_days[1]: want a whole number, got "soon" (line 1)`},
		{"list for a mapping", "telegram: [a]", `telegram: want a mapping of keys, got a list (line 1)`},
		{"long value", "committee: {chat_id: abcdefghijklmnop}", `committee.chat_id: want a whole number, got "abcdefg..." (line 1)`},
		{"duration number", "llm: {timeout: 20}", `llm.timeout: want a duration such as 24h or 20s, got 20 (line 1)`},
		{"duration list", "llm: {timeout: [20s]}", `llm.timeout: want a duration such as 24h or 20s, got a list (line 1)`},
		{"key twice", "llm:\n  model: a\n  model: b\n", `llm.model: set twice, first at line 2 (line 3)`},
		{"top level list", "- a\n", `(top level): want a mapping of keys, got a list (line 1)`},
		{"syntax", "telegram:\n  mode: [polling\n", `bad YAML: line 1: did not find expected ',' or ']'`},
		{"two documents", "telegram: {}\n---\nllm: {}\n", `the file holds more than one YAML document (a second ---)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := configProblems(t, tt.doc)
			if len(got) != 1 || !strings.HasPrefix(got[0], tt.want) {
				t.Errorf("problems %q, want one starting %q", got, tt.want)
			}
		})
	}
}

func TestParseConfig_Valid(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"webhook", "telegram: {mode: webhook, webhook: {url: 'https://bot.example.org/telegram', listen: '0.0.0.0:8443', secret_token: 'Ab_9-z_0123456789'}}"},
		{"webhook on a local Bot API server, any port", "telegram: {api_url: 'http://127.0.0.1:8081', mode: webhook, webhook: {url: 'https://b.example.org:9443/t'}}"},
		{"http on ::1", "http: {listen: '[::1]:9090'}"},
		{"http on localhost, any port", "http: {listen: 'localhost:0'}"},
		{"http on 127.0.0.2", "http: {listen: '127.0.0.2:9090'}"},
		{"http off", "http: {listen: ''}"},
		{"cron with a zone", `reminders: {weekly: "CRON_TZ=Asia/Bangkok 30 8 * * MON", overdue: "@daily"}`},
		{"quiet hours within a day", "reminders: {quiet_hours: '12:00 - 13:30'}"},
		{"quiet hours off", "reminders: {quiet_hours: ''}"},
		{"holiday VN style", "reminders: {holidays: ['02/09/2026']}"},
		{"no backups, keep ignored", "storage: {backup_dir: '', backup_keep: 0}"},
		{"unit roles", "units: [{code: QHK, name: 'UBND quận Hoàn Kiếm'}]\nmembers: [{name: A, role: unit_head, unit: qhk}, {name: B, role: unit_delegate, unit: QHK, lang: en}]"},
		{"unlinked members share id 0", "members: [{name: A, role: chair}, {name: B, role: chair}]"},
		{"llm on", "llm: {enabled: true, base_url: 'http://127.0.0.1:11434/v1', model: 'qwen2.5:7b'}"},
		{"BOM", "\ufefftelegram: {mode: polling}"},
		{"null section keeps defaults", "telegram:\nstorage:\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := configProblems(t, tt.doc); len(got) != 0 {
				t.Errorf("problems %q, want none", got)
			}
		})
	}
}

func TestDuration_RoundTrip(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		out  string
	}{
		{"24h", 24 * time.Hour, "24h"},
		{"20s", 20 * time.Second, "20s"},
		{"90m", 90 * time.Minute, "1h30m"},
		{"1h30m", 90 * time.Minute, "1h30m"},
		{"1h0m30s", time.Hour + 30*time.Second, "1h0m30s"},
		{"5m", 5 * time.Minute, "5m"},
		{"1500ms", 1500 * time.Millisecond, "1.5s"},
		{"0s", 0, "0s"},
		{"-1h", -time.Hour, "-1h"},
	}
	for _, tt := range tests {
		var v struct {
			D Duration `yaml:"d"`
		}
		if err := yaml.Unmarshal([]byte("d: "+tt.in), &v); err != nil {
			t.Fatalf("unmarshal %q: %v", tt.in, err)
		}
		if v.D.Duration != tt.want {
			t.Errorf("unmarshal %q=%v, want %v", tt.in, v.D.Duration, tt.want)
		}
		b, err := yaml.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(string(b)); got != "d: "+tt.out {
			t.Errorf("marshal %v=%q, want %q", tt.want, got, "d: "+tt.out)
		}
		var back struct {
			D Duration `yaml:"d"`
		}
		if err := yaml.Unmarshal(b, &back); err != nil || back.D != v.D {
			t.Errorf("round trip of %q gave %v (%v)", tt.in, back.D, err)
		}
	}

	var d Duration
	if err := d.UnmarshalText([]byte("1 day")); err == nil {
		t.Error(`UnmarshalText("1 day") succeeded, want an error`)
	}
}

func TestConfig_Redacted(t *testing.T) {
	const token, key, secret = "123456:AAHsecret-token", "sk-secret-api-key", "webhook_secret_value"
	doc := "telegram: {token: '" + token + "', mode: webhook, webhook: {url: 'https://b.example.org/t', secret_token: " + secret + "}}\nllm: {api_key: " + key + "}\nunits: [{code: SNV, name: X}]\n"
	cfg, err := ParseConfig([]byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := cfg.Redacted()
	out, err := yaml.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{string(out), fmt.Sprintf("%+v", r), fmt.Sprintf("%#v", r)} {
		for _, s := range []string{token, key, secret} {
			if strings.Contains(text, s) {
				t.Errorf("redacted config shows the secret %q:\n%s", s, text)
			}
		}
	}
	if r.Telegram.Token != "***" || r.LLM.APIKey != "***" || r.Telegram.Webhook.SecretToken != "***" {
		t.Errorf("redacted token=%q key=%q secret=%q, want ***", r.Telegram.Token, r.LLM.APIKey, r.Telegram.Webhook.SecretToken)
	}
	if cfg.Telegram.Token != token {
		t.Errorf("Redacted changed the original token to %q", cfg.Telegram.Token)
	}
	r.Units[0].Name = "changed"
	if cfg.Units[0].Name != "X" {
		t.Error("Redacted shares its units with the original")
	}

	empty, err := ParseConfig(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := empty.Redacted(); r.Telegram.Token != "" || r.LLM.APIKey != "" {
		t.Errorf("redacted unset secrets=%q %q, want them left empty", r.Telegram.Token, r.LLM.APIKey)
	}
}

func FuzzParseConfig(f *testing.F) {
	for _, p := range []string{"config.example.yaml", "testdata/config/broken.yaml"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"", "telegram: [a]", `reminders: {weekly: "CRON_TZ=UTC"}`, "llm: {timeout: [1]}",
		"a: &x [*x]", "members: [{name: A, role: unit_head, unit: X}]", "---\n---\n",
		"\"a\\nb\": 1", "telegram: {rate: {global_per_sec: .inf}}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig(data, configEnv(map[string]string{EnvTelegramToken: "1:x"}))
		if err == nil {
			if cfg == nil || cfg.Location == nil {
				t.Fatalf("no error but cfg=%v", cfg)
			}
			_ = cfg.Redacted()
			_ = cfg.CheckRun()
			return
		}
		var ce *ConfigError
		if !errors.As(err, &ce) || len(ce.Problems) == 0 {
			t.Fatalf("error %T %q, want a *ConfigError with problems", err, err)
		}
		for _, p := range ce.Problems {
			if p == "" || strings.ContainsAny(p, "\r\n") {
				t.Fatalf("problem %q is not one line", p)
			}
		}
		if cfg != nil {
			_ = cfg.CheckRun()
		}
	})
}

func BenchmarkParseConfig(b *testing.B) {
	data, err := os.ReadFile("config.example.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ParseConfig(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}
