package tasks

import (
	"slices"
	"sort"
	"strings"
	"unicode"
)

// This file reads what a member's words ask for beside a report (see
// ReadReply): more time, a look at a task, or which of several tasks each
// part of a reply is about. The bot routes on these readings; it reads no
// Vietnamese itself.

// AsksExtension reports whether a member's words ask for more time: "xin
// gia hạn", "lùi hạn", "more time" as whole words, not negated ("không cần
// gia hạn") and not inside other words ("tham gia hàng").
func AsksExtension(text string) bool {
	words := strings.FieldsFunc(Fold(text), func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')
	})
	for i := range words {
		for _, p := range extensionPhrases {
			if i+len(p) > len(words) || !slices.Equal(words[i:i+len(p)], p) {
				continue
			}
			neg := false
			for k := max(0, i-3); k < i; k++ {
				switch words[k] {
				case "khong", "chua", "ko", "no", "not", "dont", "without":
					neg = true
				}
			}
			if !neg {
				return true
			}
		}
	}
	return false
}

// extensionPhrases are the folded words that ask for more time.
var extensionPhrases = [][]string{{"gia", "han"}, {"lui", "han"}, {"them", "thoi", "gian"}, {"keo", "dai", "thoi", "han"}, {"more", "time"}, {"extend"}, {"extension"}, {"postpone"}}

// ExtensionWords finds the first date in a member's words ("đến 30/11 vì
// chờ kinh phí") and returns it as written with the rest as the reason,
// without the words that only link the two ("đến", "vì", "xin gia hạn").
// With no date in the words, date is their first word and reason the rest,
// so that the refusal names what was typed where a date was expected.
func ExtensionWords(text string, today Date) (date, reason string) {
	words := strings.Fields(text)
	for i, w := range words {
		cand := strings.Trim(w, ".,;:()")
		if _, err := ParseDate(cand, today); err == nil {
			rest := append(append([]string{}, words[:i]...), words[i+1:]...)
			for len(rest) > 0 && isFiller(rest[0]) {
				rest = rest[1:]
			}
			for len(rest) > 0 && isFiller(rest[len(rest)-1]) {
				rest = rest[:len(rest)-1]
			}
			return cand, strings.Trim(strings.Join(rest, " "), " ,;:-")
		}
	}
	first, rest, _ := strings.Cut(strings.TrimSpace(text), " ")
	return first, rest
}

// isFiller reports whether a word only links a date to the reason.
func isFiller(w string) bool {
	switch Fold(strings.Trim(w, ".,;:")) {
	case "", "den", "ngay", "toi", "vi", "do", "la", "until", "to", "by", "because", "xin", "gia", "han", "lui", "gia han":
		return true
	}
	return false
}

// IsAcknowledgement reports whether a reply with no evidence is only an
// acknowledgement ("Dạ em nhận ạ"): the rules read no report in it and it
// asks for no more time. Asking which task it is about would only store it
// as a note.
func IsAcknowledgement(text string, today Date) bool {
	return !ReadReply(text, today).Understood && !AsksExtension(text)
}

// IsQuestion reports whether a short text asks rather than reports ("thế
// nào rồi?", "bao giờ xong", "status of").
func IsQuestion(text string) bool {
	if strings.Contains(text, "?") {
		return true
	}
	f := Fold(text)
	for _, q := range []string{"the nao", "ra sao", "bao gio", "khi nao", "den dau", "sao roi", "how is", "status of", "what about"} {
		if strings.Contains(f, q) {
			return true
		}
	}
	return false
}

// CodePart is the part of a reply that names one task: the task and the
// words that go with it.
type CodePart struct {
	Task Task
	Text string
}

// SplitByCode cuts a reply at each code of cands it names and returns the
// words after each code (before the next one) with its task, in the order
// they are written; none when it names no code. Words before the first
// code belong to it, and codes listed together ("CCHC-01, CCHC-02: đã
// hoàn thành") share the words that follow them.
func SplitByCode(text string, cands []Task) []CodePart {
	type at struct {
		i, n int
		t    Task
	}
	var found []at
	upper := asciiUpper(text) // same length as text, so indexes carry over
	for _, t := range cands {
		if i := wordIndex(upper, t.Code); i >= 0 {
			found = append(found, at{i, len(t.Code), t})
		}
	}
	sort.Slice(found, func(a, b int) bool {
		if found[a].i != found[b].i {
			return found[a].i < found[b].i
		}
		return found[a].n > found[b].n
	})
	// A code found inside a longer one ("1" in "KH.1") is not named.
	kept := found[:0]
	for _, f := range found {
		if len(kept) == 0 || f.i >= kept[len(kept)-1].i+kept[len(kept)-1].n {
			kept = append(kept, f)
		}
	}
	found = kept
	var parts []CodePart
	for k, f := range found {
		end := len(text)
		if k+1 < len(found) {
			end = found[k+1].i
		}
		words := text[f.i+f.n : end]
		if k == 0 {
			words = text[:f.i] + " " + words
		}
		parts = append(parts, CodePart{f.t, strings.Trim(strings.TrimSpace(words), ":-–,;. ")})
	}
	for k := len(parts) - 2; k >= 0; k-- {
		if parts[k].Text == "" {
			parts[k].Text = parts[k+1].Text
		}
	}
	return parts
}

// NamedTask finds the one task of cands whose code the text names, and
// returns the text without it ("CCHC-02 đã hoàn thành" → CCHC-02, "đã hoàn
// thành"). ok is false when it names none or several.
func NamedTask(text string, cands []Task) (t Task, rest string, ok bool) {
	if parts := SplitByCode(text, cands); len(parts) == 1 {
		return parts[0].Task, parts[0].Text, true
	}
	return Task{}, text, false
}

// asciiUpper upper-cases ASCII letters only, keeping every byte offset.
func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// wordIndex returns where code stands as a word in s (both upper case),
// or -1.
func wordIndex(s, code string) int {
	if code == "" {
		return -1
	}
	for from := 0; from < len(s); {
		i := strings.Index(s[from:], code)
		if i < 0 {
			return -1
		}
		i += from
		before := i == 0 || !isCodeByte(s[i-1])
		after := i+len(code) == len(s) || !isCodeByte(s[i+len(code)])
		if before && after {
			return i
		}
		from = i + 1
	}
	return -1
}

func isCodeByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c >= 0x80
}

// CodeWords returns the words of a free text that may be task codes,
// normalised (NormalizeCode) and each once, in the order written: 2 to 40
// characters holding a digit ("CCHC-01", "cchc2", but also "50%" and
// "30/11", which name no task).
func CodeWords(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(text, func(c rune) bool { return c == ' ' || c == ',' || c == ':' || c == '\n' || c == ';' }) {
		code := NormalizeCode(strings.Trim(w, ".!?()[]\"'"))
		if len(code) < 2 || len(code) > 40 || seen[code] || !strings.ContainsAny(code, "0123456789") {
			continue
		}
		seen[code] = true
		out = append(out, code)
	}
	return out
}

// MayBeLooseCode reports whether a code word (see CodeWords) that names no
// task exactly may name one typed loosely ("cchc2"): it holds a letter and
// is neither a percentage nor a date.
func MayBeLooseCode(word string) bool {
	return strings.IndexFunc(word, unicode.IsLetter) >= 0 && !strings.ContainsAny(word, "%/")
}

// LooseCode reduces a task code to letters and digits, upper case, with
// the leading zeros of each number dropped: "cchc-02", "CCHC 2" and
// "cchc2" all read CCHC2.
func LooseCode(s string) string {
	var b strings.Builder
	zeros := true // at the start of a run of digits
	for _, c := range strings.ToUpper(s) {
		switch {
		case c >= '0' && c <= '9':
			if c == '0' && zeros {
				continue
			}
			zeros = false
			b.WriteRune(c)
		case unicode.IsLetter(c):
			zeros = true
			b.WriteRune(c)
		}
	}
	return b.String()
}

// FindLoose finds the one task of ts whose code matches code loosely (see
// LooseCode); ok is false when none or several do.
func FindLoose(ts []Task, code string) (t Task, ok bool) {
	want := LooseCode(code)
	if want == "" {
		return Task{}, false
	}
	n := 0
	for _, c := range ts {
		if LooseCode(c.Code) == want {
			t, n = c, n+1
		}
	}
	if n != 1 {
		return Task{}, false
	}
	return t, true
}

// ReplaceCode replaces the first place where text names code, whatever its
// case, by with ("cchc2 xong" → "CCHC-02 xong" for the task it names).
func ReplaceCode(text, code, with string) string {
	for i := 0; i+len(code) <= len(text); i++ {
		if strings.EqualFold(text[i:i+len(code)], code) {
			return text[:i] + with + text[i+len(code):]
		}
	}
	return strings.Replace(text, code, with, 1)
}
