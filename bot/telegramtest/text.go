package telegramtest

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// entity is a MessageEntity in Telegram's wire format.
type entity struct {
	Type          string   `json:"type"`
	Offset        int      `json:"offset"`
	Length        int      `json:"length"`
	URL           string   `json:"url,omitempty"`
	User          *apiUser `json:"user,omitempty"`
	Language      string   `json:"language,omitempty"`
	CustomEmojiID string   `json:"custom_emoji_id,omitempty"`
}

// UTF16Len reports the length of s in UTF-16 code units, the unit in which
// Telegram measures message lengths and entity offsets.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n += runeUTF16(r)
	}
	return n
}

func runeUTF16(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isAlnumByte(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// textBuilder accumulates parsed text and tracks its UTF-16 length.
type textBuilder struct {
	sb  strings.Builder
	u16 int
}

func (b *textBuilder) rune(r rune) {
	b.sb.WriteRune(r)
	b.u16 += runeUTF16(r)
}

// raw copies the UTF-8 sequence starting at text[i] and returns its size.
func (b *textBuilder) raw(text string, i int) int {
	r, size := utf8.DecodeRuneInString(text[i:])
	b.sb.WriteString(text[i : i+size])
	b.u16 += runeUTF16(r)
	return size
}

func sortEntities(ents []entity) {
	sort.SliceStable(ents, func(i, j int) bool {
		if ents[i].Offset != ents[j].Offset {
			return ents[i].Offset < ents[j].Offset
		}
		return ents[i].Length > ents[j].Length
	})
}

// trimFormatted strips leading and trailing white space the way Telegram
// does, shifting and clipping entities accordingly.
func trimFormatted(text string, ents []entity) (string, []entity) {
	t := strings.TrimLeftFunc(text, unicode.IsSpace)
	left := UTF16Len(text[:len(text)-len(t)])
	t = strings.TrimRightFunc(t, unicode.IsSpace)
	total := UTF16Len(t)
	var out []entity
	for _, e := range ents {
		start, end := e.Offset-left, e.Offset+e.Length-left
		start = max(start, 0)
		end = min(end, total)
		if end > start {
			e.Offset, e.Length = start, end-start
			out = append(out, e)
		}
	}
	return t, out
}

// ---------------------------------------------------------------- HTML

var htmlTags = map[string]bool{
	"a": true, "b": true, "strong": true, "i": true, "em": true, "s": true,
	"strike": true, "del": true, "u": true, "ins": true, "tg-spoiler": true,
	"tg-emoji": true, "span": true, "pre": true, "code": true, "blockquote": true,
}

// decodeHTMLEntity decodes the character reference at text[i] ('&').
// Like Telegram it knows &lt; &gt; &amp; &quot; and numeric references; the
// trailing semicolon is optional.
func decodeHTMLEntity(text string, i int) (rune, int, bool) {
	n := len(text)
	j := i + 1
	var r rune
	if j < n && text[j] == '#' {
		j++
		var code int64
		digits := 0
		if j < n && (text[j] == 'x' || text[j] == 'X') {
			j++
			for j < n && digits < 8 {
				c := text[j]
				var d int64
				switch {
				case c >= '0' && c <= '9':
					d = int64(c - '0')
				case c >= 'a' && c <= 'f':
					d = int64(c-'a') + 10
				case c >= 'A' && c <= 'F':
					d = int64(c-'A') + 10
				default:
					d = -1
				}
				if d < 0 {
					break
				}
				code = code*16 + d
				j++
				digits++
			}
		} else {
			for j < n && digits < 8 && text[j] >= '0' && text[j] <= '9' {
				code = code*10 + int64(text[j]-'0')
				j++
				digits++
			}
		}
		if digits == 0 || code == 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) {
			return 0, 0, false
		}
		r = rune(code)
	} else {
		b := j
		for j < n && ((text[j] >= 'a' && text[j] <= 'z') || (text[j] >= 'A' && text[j] <= 'Z')) {
			j++
		}
		switch text[b:j] {
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
	if j < n && text[j] == ';' {
		j++
	}
	return r, j, true
}

// parseHTML implements Telegram's HTML parse mode. It returns the visible
// text and its entities, or the description of the parse error as Telegram
// words it (without the "Bad Request: can't parse entities: " prefix).
func parseHTML(text string) (string, []entity, error) {
	type open struct {
		tag, arg   string
		expandable bool
		start      int
	}
	var (
		out   textBuilder
		stack []open
		ents  []entity
		n     = len(text)
	)
	at := func(i int) byte {
		if i < n {
			return text[i]
		}
		return 0
	}
	for i := 0; i < n; {
		c := text[i]
		if c == '&' {
			if r, next, ok := decodeHTMLEntity(text, i); ok {
				out.rune(r)
				i = next
				continue
			}
		}
		if c != '<' {
			i += out.raw(text, i)
			continue
		}
		begin := i
		if at(i+1) != '/' {
			j := i + 1
			for j < n && !isSpaceByte(text[j]) && text[j] != '>' {
				j++
			}
			if j >= n {
				return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
			}
			tag := strings.ToLower(text[i+1 : j])
			if !htmlTags[tag] {
				return "", nil, fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", tag, begin)
			}
			i = j
			var arg string
			expandable := false
			for at(i) != '>' {
				for i < n && isSpaceByte(text[i]) {
					i++
				}
				if i >= n {
					return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
				}
				if text[i] == '>' {
					break
				}
				ab := i
				for i < n && !isSpaceByte(text[i]) && text[i] != '=' && text[i] != '>' {
					i++
				}
				name := strings.ToLower(text[ab:i])
				if name == "" {
					return "", nil, fmt.Errorf("Empty attribute name in the tag \"%s\" at byte offset %d", tag, begin)
				}
				for i < n && isSpaceByte(text[i]) {
					i++
				}
				if at(i) != '=' {
					if tag == "blockquote" && name == "expandable" {
						expandable = true
						continue
					}
					if i >= n {
						return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
					}
					return "", nil, fmt.Errorf("Expected equal sign in declaration of an attribute of the tag \"%s\" at byte offset %d", tag, begin)
				}
				i++
				for i < n && isSpaceByte(text[i]) {
					i++
				}
				if i >= n {
					return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", i-1)
				}
				var val string
				if text[i] != '\'' && text[i] != '"' {
					tb := i
					for i < n && (isAlnumByte(text[i]) || text[i] == '.' || text[i] == '-') {
						i++
					}
					val = strings.ToLower(text[tb:i])
					if i < n && !isSpaceByte(text[i]) && text[i] != '>' {
						return "", nil, fmt.Errorf("Unexpected end of name token at byte offset %d", tb)
					}
				} else {
					q := text[i]
					i++
					var vb strings.Builder
					for i < n && text[i] != q {
						if text[i] == '&' {
							if r, next, ok := decodeHTMLEntity(text, i); ok {
								vb.WriteRune(r)
								i = next
								continue
							}
						}
						vb.WriteByte(text[i])
						i++
					}
					if i < n {
						i++
					}
					val = vb.String()
				}
				if i >= n {
					return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", begin)
				}
				switch {
				case tag == "a" && name == "href":
					arg = val
				case tag == "code" && name == "class" && strings.HasPrefix(val, "language-"):
					arg = val[len("language-"):]
				case tag == "span" && name == "class" && strings.HasPrefix(val, "tg-"):
					arg = val[len("tg-"):]
				case tag == "tg-emoji" && name == "emoji-id":
					arg = val
				case tag == "blockquote" && name == "expandable":
					expandable = true
				}
			}
			if tag == "span" && arg != "spoiler" {
				return "", nil, fmt.Errorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", begin)
			}
			stack = append(stack, open{tag: tag, arg: arg, expandable: expandable, start: out.u16})
			i++ // '>'
			continue
		}
		// End tag.
		if len(stack) == 0 {
			return "", nil, fmt.Errorf("Unexpected end tag at byte offset %d", begin)
		}
		j := i + 2
		for j < n && !isSpaceByte(text[j]) && text[j] != '>' {
			j++
		}
		endTag := strings.ToLower(text[i+2 : j])
		for j < n && isSpaceByte(text[j]) {
			j++
		}
		if j >= n || text[j] != '>' {
			return "", nil, fmt.Errorf("Unclosed end tag at byte offset %d", begin)
		}
		top := stack[len(stack)-1]
		if endTag != "" && endTag != top.tag {
			return "", nil, fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", begin, top.tag, endTag)
		}
		stack = stack[:len(stack)-1]
		i = j + 1
		length := out.u16 - top.start
		if length <= 0 {
			continue
		}
		e := entity{Offset: top.start, Length: length}
		switch top.tag {
		case "b", "strong":
			e.Type = "bold"
		case "i", "em":
			e.Type = "italic"
		case "u", "ins":
			e.Type = "underline"
		case "s", "strike", "del":
			e.Type = "strikethrough"
		case "tg-spoiler", "span":
			e.Type = "spoiler"
		case "code":
			e.Type = "code"
			e.Language = top.arg
		case "pre":
			e.Type = "pre"
			if k := len(ents) - 1; k >= 0 && ents[k].Type == "code" && ents[k].Offset == e.Offset && ents[k].Length == e.Length {
				e.Language = ents[k].Language
				ents = ents[:k]
			}
		case "blockquote":
			e.Type = "blockquote"
			if top.expandable {
				e.Type = "expandable_blockquote"
			}
		case "tg-emoji":
			if top.arg == "" {
				continue
			}
			e.Type = "custom_emoji"
			e.CustomEmojiID = top.arg
		case "a":
			if top.arg == "" {
				continue
			}
			if id, ok := strings.CutPrefix(top.arg, "tg://user?id="); ok {
				var uid int64
				if _, err := fmt.Sscan(id, &uid); err == nil {
					e.Type = "text_mention"
					e.User = &apiUser{ID: uid}
					break
				}
			}
			e.Type = "text_link"
			e.URL = top.arg
		}
		ents = append(ents, e)
	}
	if len(stack) > 0 {
		return "", nil, fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].tag)
	}
	// Code entities inside pre keep their language only through pre.
	for k := range ents {
		if ents[k].Type == "code" {
			ents[k].Language = ""
		}
	}
	sortEntities(ents)
	return out.sb.String(), ents, nil
}

// ---------------------------------------------------------------- bot commands

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isCmdByte(c byte) bool {
	return isAlnumByte(c) || c == '_'
}

// botCommandEntities finds /commands (optionally /command@botname) the way
// Telegram marks them in incoming messages.
func botCommandEntities(text string) []entity {
	var ents []entity
	u16 := 0
	prev := rune(0)
	n := len(text)
	for i := 0; i < n; {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '/' && !(isWordRune(prev) || prev == '/' || prev == '<' || prev == '>' || prev == '\\') {
			j := i + 1
			for j < n && isCmdByte(text[j]) {
				j++
			}
			if j > i+1 && j-i-1 <= 64 {
				k := j
				if k < n && text[k] == '@' {
					m := k + 1
					for m < n && isCmdByte(text[m]) {
						m++
					}
					if l := m - k - 1; l >= 3 && l <= 32 {
						k = m
					}
				}
				next, _ := utf8.DecodeRuneInString(text[k:])
				if k >= n || !(isWordRune(next) || next == '/' || next == '<' || next == '>' || next == '\\') {
					ents = append(ents, entity{Type: "bot_command", Offset: u16, Length: k - i})
					u16 += k - i
					prev = rune(text[k-1])
					i = k
					continue
				}
			}
		}
		u16 += runeUTF16(r)
		prev = r
		i += size
	}
	return ents
}
