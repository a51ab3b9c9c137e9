package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxMessage is the longest text the bot sends in one message, counted as
// Telegram counts it: UTF-16 code units of the text after entity parsing
// (tags removed, &amp; and the like one character). The Bot API says
// "1-4096 characters after entities parsing"; UTF-16 units are never fewer
// than characters, so a part within 4096 units passes either reading, and
// bot/telegramtest enforces exactly this count.
const maxMessage = 4096

// htmlKind says what an htmlToken is.
type htmlKind int

const (
	htmlText  htmlKind = iota // one character, or a character reference such as &amp;
	htmlStart                 // a start tag, attributes included
	htmlEnd                   // an end tag
)

// htmlToken is the smallest piece of Telegram HTML a message may be cut
// around.
type htmlToken struct {
	raw   string
	kind  htmlKind
	name  string // the tag's name, lower case
	units int    // UTF-16 units it shows: 0 for tags
	space bool   // it shows white space (Telegram trims it at the ends)
}

// telegramTags are the tags Telegram's HTML parse mode knows; any other
// "<" makes the message invalid, and is read here as a character.
var telegramTags = map[string]bool{
	"a": true, "b": true, "strong": true, "i": true, "em": true, "s": true,
	"strike": true, "del": true, "u": true, "ins": true, "tg-spoiler": true,
	"tg-emoji": true, "span": true, "pre": true, "code": true, "blockquote": true,
}

// tokenizeHTML reads s the way Telegram's HTML parser does, as far as
// splitting needs: where tags and character references begin and end, and
// how many UTF-16 units each piece shows.
func tokenizeHTML(s string) []htmlToken {
	var out []htmlToken
	for i := 0; i < len(s); {
		var t htmlToken
		switch s[i] {
		case '&':
			if r, n, ok := charRef(s[i:]); ok {
				t = htmlToken{raw: s[i : i+n], units: runeUnits(r), space: unicode.IsSpace(r)}
			}
		case '<':
			t = tagAt(s[i:])
		}
		if t.raw == "" {
			r, n := utf8.DecodeRuneInString(s[i:])
			t = htmlToken{raw: s[i : i+n], units: runeUnits(r), space: unicode.IsSpace(r)}
		}
		out = append(out, t)
		i += len(t.raw)
	}
	return out
}

func runeUnits(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// charRef reads a character reference at the start of s as Telegram does:
// &lt; &gt; &amp; &quot; and numeric ones (&#NN;, &#xHH;, at most 8
// digits), the semicolon optional. ok is false for anything else: that "&"
// is shown as it is. It mirrors Telegram's parser, as bot/telegramtest's
// does; FuzzSplitMessage checks that the two read texts alike.
func charRef(s string) (r rune, n int, ok bool) {
	j := 1
	if j < len(s) && s[j] == '#' {
		j++
		base := int64(10)
		if j < len(s) && (s[j] == 'x' || s[j] == 'X') {
			base, j = 16, j+1
		}
		var code int64
		digits := 0
		for j < len(s) && digits < 8 {
			d := hexDigit(s[j])
			if d < 0 || d >= base {
				break
			}
			code = code*base + d
			j++
			digits++
		}
		if digits == 0 || code == 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) {
			return 0, 0, false
		}
		r = rune(code)
	} else {
		b := j
		for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
			j++
		}
		switch s[b:j] {
		case "lt":
			r = '<'
		case "gt":
			r = '>'
		case "amp":
			r = '&'
		case "quot":
			r = '"'
		default:
			return 0, 0, false
		}
	}
	if j < len(s) && s[j] == ';' {
		j++
	}
	return r, j, true
}

func hexDigit(c byte) int64 {
	switch {
	case c >= '0' && c <= '9':
		return int64(c - '0')
	case c >= 'a' && c <= 'f':
		return int64(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int64(c-'A') + 10
	}
	return -1
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// tagAt reads the tag at the start of s ('<'), attributes and quoted
// values included. A "<" that does not start a tag Telegram knows gives
// the zero token.
func tagAt(s string) htmlToken {
	n := len(s)
	if n > 1 && s[1] == '/' {
		j := 2
		for j < n && !isHTMLSpace(s[j]) && s[j] != '>' {
			j++
		}
		name := strings.ToLower(s[2:j])
		for j < n && isHTMLSpace(s[j]) {
			j++
		}
		if j >= n || s[j] != '>' {
			return htmlToken{}
		}
		return htmlToken{raw: s[:j+1], kind: htmlEnd, name: name}
	}
	j := 1
	for j < n && !isHTMLSpace(s[j]) && s[j] != '>' {
		j++
	}
	name := strings.ToLower(s[1:j])
	if j >= n || !telegramTags[name] {
		return htmlToken{}
	}
	for j < n && s[j] != '>' {
		for j < n && isHTMLSpace(s[j]) {
			j++
		}
		if j >= n || s[j] == '>' {
			break
		}
		a := j
		for j < n && !isHTMLSpace(s[j]) && s[j] != '=' && s[j] != '>' {
			j++
		}
		if j == a {
			return htmlToken{} // an empty attribute name
		}
		for j < n && isHTMLSpace(s[j]) {
			j++
		}
		if j >= n || s[j] != '=' {
			continue // a bare attribute (blockquote's "expandable")
		}
		j++
		for j < n && isHTMLSpace(s[j]) {
			j++
		}
		if j >= n {
			break
		}
		if q := s[j]; q == '"' || q == '\'' {
			k := strings.IndexByte(s[j+1:], q)
			if k < 0 {
				return htmlToken{}
			}
			j += k + 2
			continue
		}
		for j < n && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == '-') {
			j++
		}
	}
	if j >= n {
		return htmlToken{}
	}
	return htmlToken{raw: s[:j+1], kind: htmlStart, name: name}
}

// shownLen is what Telegram counts of an HTML text: the UTF-16 units it
// shows.
func shownLen(s string) int {
	n := 0
	for _, t := range tokenizeHTML(s) {
		n += t.units
	}
	return n
}

// splitMessage cuts the Telegram HTML s into parts that each show at most
// limit UTF-16 units (see maxMessage; limit ≥ 2). It cuts at line
// boundaries where it can; a line longer than a part is cut between
// characters, never inside a tag or a character reference. Tags open at a
// cut are closed at the end of the part and opened again, attributes and
// all, at the start of the next, so every part of a valid text is valid
// too. Parts that would show only white space are left out (Telegram
// refuses an empty message). There is always at least one part.
func splitMessage(s string, limit int) []string {
	toks := tokenizeHTML(s)
	total := 0
	for _, t := range toks {
		total += t.units
	}
	if total <= limit {
		return []string{s}
	}
	var (
		parts   []string
		stack   []htmlToken // start tags open at this point of s
		cur     strings.Builder
		units   int  // units shown by cur
		content bool // cur shows more than white space
	)
	flush := func() {
		if content {
			var body strings.Builder
			body.WriteString(strings.TrimRight(cur.String(), "\n"))
			for i := len(stack) - 1; i >= 0; i-- {
				body.WriteString("</" + stack[i].name + ">")
			}
			parts = append(parts, body.String())
		}
		cur.Reset()
		for _, t := range stack {
			cur.WriteString(t.raw)
		}
		units, content = 0, false
	}
	add := func(t htmlToken) {
		if t.raw == "&" {
			// A bare "&" shows as itself, but cut off from what follows it
			// could start a reference ("&#111700|0", "&amp|x"): written as
			// a reference it shows the same and cannot.
			cur.WriteString("&amp;")
		} else {
			cur.WriteString(t.raw)
		}
		units += t.units
		if t.units > 0 && !t.space {
			content = true
		}
		switch t.kind {
		case htmlStart:
			stack = append(stack, t)
		case htmlEnd:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	for start := 0; start < len(toks); {
		end, n := start, 0
		for end < len(toks) {
			n += toks[end].units
			end++
			if toks[end-1].raw == "\n" {
				break
			}
		}
		if units > 0 && units+n > limit {
			flush()
		}
		for _, t := range toks[start:end] {
			if t.units > 0 && units > 0 && units+t.units > limit {
				flush() // a line longer than a part
			}
			add(t)
		}
		start = end
	}
	flush()
	if len(parts) == 0 {
		return []string{""}
	}
	return parts
}
