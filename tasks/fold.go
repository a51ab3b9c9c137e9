package tasks

import (
	"strings"
	"unicode"
)

// vietnameseBase maps each accented Vietnamese letter to its bare letter.
var vietnameseBase = func() map[rune]rune {
	groups := map[rune]string{
		'a': "àáạảãâầấậẩẫăằắặẳẵ",
		'e': "èéẹẻẽêềếệểễ",
		'i': "ìíịỉĩ",
		'o': "òóọỏõôồốộổỗơờớợởỡ",
		'u': "ùúụủũưừứựửữ",
		'y': "ỳýỵỷỹ",
		'd': "đ",
	}
	m := make(map[rune]rune, 140)
	for base, letters := range groups {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// Fold lowercases s, strips Vietnamese diacritics (đ becomes d), and folds
// runs of white space into one space, so that "Đang Triển  khai" and
// "dang trien khai" compare equal. It serves every matcher of words members
// type: status names, column headers, free-text keywords.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		r = unicode.ToLower(r)
		if base, ok := vietnameseBase[r]; ok {
			r = base
		} else if r >= 0x300 && r <= 0x36f {
			continue // a combining mark from decomposed input
		}
		b.WriteRune(r)
	}
	return b.String()
}
