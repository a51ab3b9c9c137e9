package report

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Every text goes into a document through clean: composed (NFC), since
// names typed on some phones arrive decomposed and a PDF font then shows
// the marks apart from their letters; and without the control characters
// that XML forbids and that no font draws.

// clean returns s as NFC without the characters XML 1.0 forbids.
func clean(s string) string {
	s = norm.NFC.String(s)
	ok := true
	for _, r := range s {
		if !xmlChar(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if xmlChar(r) {
			return r
		}
		return -1
	}, s)
}

func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD && r != utf8.RuneError) || (r >= 0x10000 && r <= 0x10FFFF)
}
