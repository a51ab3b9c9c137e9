package main

import (
	"os"
	"strings"
	"testing"
)

func TestParseConfig_ChaseAndTitles(t *testing.T) {
	if got := configProblems(t, "reminders: {chase: '0 9 * * FRIDAY'}"); len(got) != 1 || !strings.HasPrefix(got[0], "reminders.chase: bad cron expression") {
		t.Errorf("problems %q, want reminders.chase refused", got)
	}
	if got := configProblems(t, "reminders: {chase: ''}"); len(got) != 0 {
		t.Errorf("no chase: problems %q, want none", got)
	}
	data, err := os.ReadFile("config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Reminders.Chase == "" {
		t.Error("the example has no reminders.chase")
	}
	for _, m := range cfg.Members {
		if m.Title == "Giám đốc Sở Nội vụ" && m.Address == "đồng chí" {
			return
		}
	}
	t.Errorf("no member of the example has title and address: %+v", cfg.Members)
}
