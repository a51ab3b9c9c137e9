package tasks_test

import (
	"strings"
	"testing"

	"steerbot/tasks"
)

func TestValidCode(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"CCHC-12", true},
		{"CĐS-04", true},
		{"UBND.Q1/2024#3", true},
		{strings.Repeat("A", tasks.MaxCode), true},
		{strings.Repeat("A", tasks.MaxCode+1), false},
		{"", false},
		{"-5", false}, // a spreadsheet would read it as a formula
		{"=A1", false},
		{"+84", false},
		{"@SUM", false},
		{"\tA", false},
		{"\rA", false},
		{"A 1", false},
		{"A,B", false},
	}
	for _, tt := range tests {
		if got := tasks.ValidCode(tt.code); got != tt.want {
			t.Errorf("ValidCode(%q)=%v, want %v", tt.code, got, tt.want)
		}
	}
}
