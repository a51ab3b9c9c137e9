package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestParseConfig_SettingsThatCannotWork: each of these passed the check
// before and then did not work.
func TestParseConfig_SettingsThatCannotWork(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "steerbot.db")
	tests := []struct {
		name, doc, want string
	}{
		{"short webhook secret", "telegram: {webhook: {secret_token: 'abc_DEF-123'}}",
			"telegram.webhook.secret_token: must be at least 16 characters, not 11"},
		{"webhook URL with a query", "telegram: {mode: webhook, webhook: {listen: '127.0.0.1:8443', url: 'https://bot.example.org/telegram?x=1'}}",
			"telegram.webhook.url: must not have a query string"},
		{"webhook URL with a pattern", "telegram: {mode: webhook, webhook: {listen: '127.0.0.1:8443', url: 'https://bot.example.org/{id}'}}",
			"telegram.webhook.url: must not contain { or }"},
		{"backups beside the database", "storage: {path: '" + db + "', backup_dir: '" + dir + "'}",
			"storage.backup_dir: must not be the database's own folder"},
		{"backups beside the database, written another way", "storage: {path: '" + db + "', backup_dir: '" + dir + "/./'}",
			"storage.backup_dir: must not be the database's own folder"},
		{"a database named like a backup", "storage: {path: '" + filepath.Join(dir, "steerbot-20240101-000000.db") + "'}",
			"storage.path: \"steerbot-20240101-000000.db\" looks like a scheduled backup's name"},
		{"a database named like a new backup", "storage: {path: 'steerbot-backup-20240101-000000.db'}",
			"storage.path: \"steerbot-backup-20240101-000000.db\" looks like a scheduled backup's name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := configProblems(t, tt.doc)
			if len(got) != 1 || !strings.HasPrefix(got[0], tt.want) {
				t.Errorf("problems %q, want one starting %q", got, tt.want)
			}
		})
	}
	t.Run("what still passes", func(t *testing.T) {
		for _, doc := range []string{
			"telegram: {webhook: {secret_token: 'abcdefgh_12345-X'}}",
			"storage: {path: 'steerbot-1.db', backup_dir: '" + filepath.Join(dir, "backups") + "'}",
			"telegram: {mode: webhook, webhook: {listen: '127.0.0.1:8443', url: 'https://bot.example.org/tg/hook-1'}}",
		} {
			if got := configProblems(t, doc); len(got) != 0 {
				t.Errorf("%s: problems %q, want none", doc, got)
			}
		}
	})
}

func TestCheckConfig_ConfigurationsThatCannotWork(t *testing.T) {
	dir := t.TempDir()
	write := func(name, doc string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const people = "units: [{code: SNV, name: Sở Nội vụ}]\nmembers: [{name: B, role: secretariat, telegram_id: 222}]\n"
	tests := []struct {
		name, doc string
		env       map[string]string
		want      string
	}{
		{"no units", "members: [{name: B, role: secretariat, telegram_id: 222}]\n", map[string]string{EnvTelegramToken: "123:abc"},
			"units: none"},
		{"no secretariat with a telegram id", "units: [{code: SNV, name: X}]\nmembers: [{name: B, role: secretariat}, {name: C, role: chair, telegram_id: 1}]\n", map[string]string{EnvTelegramToken: "123:abc"},
			"members: no secretariat member with a telegram_id"},
		{"token of the wrong shape, from the environment", people, map[string]string{EnvTelegramToken: "not-a-token"},
			"telegram.token (from " + EnvTelegramToken + "): not a Telegram bot token"},
		{"token of the wrong shape, in the file", "telegram: {token: 'abc:def'}\n" + people, nil,
			"telegram.token (in "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := write(strings.ReplaceAll(tt.name, " ", "_")+".yaml", tt.doc)
			r := cliRunEnv(t, tt.env, "check-config", "-config", p)
			cliWant(t, r, exitUsage)
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], tt.want) {
				t.Errorf("stderr %q, want one line with %q", r.stderr, tt.want)
			}
			for _, secret := range []string{"not-a-token", "abc:def"} {
				if strings.Contains(r.stderr, secret) {
					t.Errorf("the token was printed: %q", r.stderr)
				}
			}
		})
	}
	t.Run("webhook listening on all interfaces is a warning", func(t *testing.T) {
		p := write("everywhere.yaml", "telegram: {mode: webhook, webhook: {listen: '0.0.0.0:8443', url: 'https://bot.example.org/tg'}}\n"+people)
		r := cliRunEnv(t, map[string]string{EnvTelegramToken: "123:abc", EnvWebhookSecret: "abcdefgh_12345-XY"}, "check-config", "-config", p)
		cliWant(t, r, exitOK)
		if !strings.Contains(r.stdout, "warning: telegram.webhook.listen") || !strings.Contains(r.stdout, "container") {
			t.Errorf("stdout %q, want a warning about listening on all interfaces", r.stdout)
		}
	})
}
