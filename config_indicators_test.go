package main

import (
	"strings"
	"testing"
)

func TestParseConfig_IndicatorReminders(t *testing.T) {
	cfg, err := ParseConfig([]byte(`reminders: {indicators: "0 9 10 * *"}`), nil)
	if err != nil {
		t.Fatalf("ParseConfig: %v", err)
	}
	if cfg.Reminders.Indicators != "0 9 10 * *" {
		t.Errorf("reminders.indicators=%q", cfg.Reminders.Indicators)
	}
	if cfg, err := ParseConfig(nil, nil); err != nil || cfg.Reminders.Indicators != "" {
		t.Errorf("default reminders.indicators=%q (%v), want none", cfg.Reminders.Indicators, err)
	}
	got := configProblems(t, `reminders: {indicators: "0 9 31 2 *"}`)
	want := `reminders.indicators: bad cron expression "0 9 31 2 *": it never fires`
	if len(got) != 1 || !strings.HasPrefix(got[0], want) {
		t.Errorf("problems %q, want one starting %q", got, want)
	}
}
