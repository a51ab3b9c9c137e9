package tasks

import (
	"strings"
	"unicode"
)

// Limits on what a member or a task file may write into a task, the same
// in chat and in an imported file, in characters (runes).
const (
	MaxTitle = 500 // a task's title, an extension's reason
	MaxName  = 200 // a unit's name, a group, a source document, a meeting's title
	MaxCode  = 32  // a task or unit code, in bytes: it travels in button data
)

// ValidCode reports whether s can serve as a task or unit code: at most
// MaxCode bytes of letters, digits and - _ . / #, so that it fits in button
// data and no space or separator splits it in a command or a co_units list.
// It may not begin with '-': a cell beginning with =, +, -, @ is read as a
// formula by spreadsheets (the other three are not allowed anyway).
func ValidCode(s string) bool {
	if s == "" || len(s) > MaxCode || s[0] == '-' {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-_./#", r) {
			return false
		}
	}
	return true
}
