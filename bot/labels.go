package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"steerbot/tasks"
)

// approveLabel is the Approve button of a decision, saying what it
// approves: "✅ Đồng ý dừng CCHC-42", "✅ Đồng ý gia hạn CCHC-01". st is the
// proposal's status; extension is true for a request for more time.
func approveLabel(lang string, st tasks.Status, extension bool, code string) string {
	switch {
	case extension:
		return text(lang, "btn_approve_extend", code)
	case st == tasks.ProposedCarryover:
		return text(lang, "btn_approve_carry", code)
	}
	return text(lang, "btn_approve_stop", code)
}

// clipWord shortens s to at most n runes, cut after a whole word and
// marked with "…" ("Xây dựng Kế hoạch cải cách…"), for buttons, where a
// word cut in half reads as another word. A first word longer than n is
// cut where it must be.
func clipWord(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n] // room for "…": the cut drops at least the space before the next word
	cut := len(r)
	for cut > 0 && !unicode.IsSpace(r[cut-1]) {
		cut--
	}
	if cut == 0 {
		return clip(s, n)
	}
	head := strings.TrimRightFunc(string(r[:cut]), func(c rune) bool { return unicode.IsSpace(c) || unicode.IsPunct(c) })
	if head == "" {
		return clip(s, n)
	}
	return head + "…"
}
