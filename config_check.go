package main

import (
	"fmt"
	"math"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"steerbot/reminders"
	"steerbot/tasks"
)

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
	if isBackupName(filepath.Base(st.Path)) {
		p.add("storage.path", "%q looks like a scheduled backup's name (%s): choose another name, so that pruning backups can never touch it", filepath.Base(st.Path), backupPattern)
	}
	if st.BackupDir != "" {
		if sameDir(st.BackupDir, filepath.Dir(st.Path)) {
			p.add("storage.backup_dir", "must not be the database's own folder %q: keep backups apart from the live file", filepath.Dir(st.Path))
		}
		if st.BackupEvery.Duration <= 0 {
			p.add("storage.backup_every", "must be positive when storage.backup_dir is set, not %s", st.BackupEvery)
		}
		if st.BackupKeep < 1 {
			p.add("storage.backup_keep", "must be at least 1 when storage.backup_dir is set, not %d", st.BackupKeep)
		}
	}

	c.validatePeople(p)
	c.validateReminders(p)
	c.validateReport(p)

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
	c.validateDashboard(p)
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
		} else if err := cfgCheckWebhookPath(w.URL); err != nil {
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
	switch s := t.Webhook.SecretToken; {
	case s == "":
	case !validWebhookSecret(s):
		p.add("telegram.webhook.secret_token", "must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
	case len(s) < minWebhookSecret:
		// Telegram accepts one character; a guessable secret lets anyone
		// who finds the URL post updates as any member.
		p.add("telegram.webhook.secret_token", "must be at least %d characters, not %d", minWebhookSecret, len(s))
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
	if _, err := reminders.ParseSpec(r.Weekly); err != nil {
		p.add("reminders.weekly", "%v", err)
	}
	if _, err := reminders.ParseSpec(r.Overdue); err != nil {
		p.add("reminders.overdue", "%v", err)
	}
	if r.Chase != "" {
		if _, err := reminders.ParseSpec(r.Chase); err != nil {
			p.add("reminders.chase", "%v", err)
		}
	}
	if strings.TrimSpace(r.Indicators) != "" {
		if _, err := reminders.ParseSpec(r.Indicators); err != nil {
			p.add("reminders.indicators", "%v", err)
		}
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

// minWebhookSecret is the shortest webhook secret accepted.
const minWebhookSecret = 16

// cfgCheckWebhookPath refuses a webhook URL whose path the listener
// cannot serve: a query string (Telegram posts to the URL, the router
// matches the path only) or the router's pattern characters { and }.
func cfgCheckWebhookPath(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return fmt.Errorf("must be an absolute https URL, not %q", s)
	case u.RawQuery != "" || u.ForceQuery:
		return fmt.Errorf("must not have a query string (the part after ?), not %q", s)
	case u.Fragment != "":
		return fmt.Errorf("must not have a fragment (the part after #), not %q", s)
	case strings.ContainsAny(u.Path, "{}") || strings.ContainsAny(u.RawPath, "{}"):
		return fmt.Errorf("must not contain { or }, not %q", s)
	}
	return nil
}

// sameDir reports whether a and b name the same folder, by path or, when
// both exist, by identity (a link, a bind mount).
func sameDir(a, b string) bool {
	ca, errA := filepath.Abs(a)
	cb, errB := filepath.Abs(b)
	if errA == nil && errB == nil && ca == cb {
		return true
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// tokenShape is the shape of a Bot API token: the bot's numeric id, a
// colon, and a secret of letters, digits, _ and -.
var tokenShape = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)

// CheckComplete returns a *ConfigError with what makes a configuration
// that parses unable to work: no units, no secretariat member with a
// Telegram id (nobody could invite anyone), a token not of Telegram's
// shape. check-config reports these; the token's shape is in CheckRun too.
func (c *Config) CheckComplete() error {
	var list []string
	if len(c.Units) == 0 {
		list = append(list, "units: none: list the committee's units (code and name)")
	}
	if !slices.ContainsFunc(c.Members, func(m MemberConfig) bool {
		return tasks.Role(m.Role) == tasks.RoleSecretariat && m.TelegramID != 0
	}) {
		list = append(list, "members: no secretariat member with a telegram_id: nobody could invite the others")
	}
	if err := c.checkTokenShape(); err != "" {
		list = append(list, err)
	}
	if len(list) > 0 {
		return &ConfigError{File: c.file, Problems: list}
	}
	return nil
}

// checkTokenShape returns a problem when the token is set but not of
// Telegram's shape; the problem names where the token comes from and
// never shows it.
func (c *Config) checkTokenShape() string {
	if c.Telegram.Token == "" || tokenShape.MatchString(c.Telegram.Token) {
		return ""
	}
	return c.TokenSource() + ": not a Telegram bot token (want digits:secret, as @BotFather gives it)"
}

// TokenSource names where the Telegram token comes from: the environment
// variable, or the file's key (and the file).
func (c *Config) TokenSource() string {
	if env, ok := c.fromEnv["telegram.token"]; ok {
		return "telegram.token (from " + env + ")"
	}
	if c.file != "" {
		return "telegram.token (in " + c.file + ")"
	}
	return "telegram.token"
}

// Warnings returns what works but deserves a second look, one line each.
func (c *Config) Warnings() []string {
	var list []string
	if c.Telegram.Mode == "webhook" && listensEverywhere(c.Telegram.Webhook.Listen) {
		list = append(list, fmt.Sprintf("telegram.webhook.listen: %q listens on all interfaces: fine in a container whose port only the TLS proxy reaches; otherwise listen on 127.0.0.1 behind the proxy", c.Telegram.Webhook.Listen))
	}
	return list
}

// listensEverywhere reports whether a listen address binds every
// interface (":8443", "0.0.0.0:8443", "[::]:8443").
func listensEverywhere(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return host == "" || ip != nil && ip.IsUnspecified()
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
