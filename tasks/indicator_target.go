package tasks

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Comparison is how a value is held against an indicator's target.
type Comparison string

// The comparisons.
const (
	AtLeast Comparison = ">=" // ≥: reach at least (tối thiểu)
	AtMost  Comparison = "<=" // ≤: stay within (tối đa)
	Exactly Comparison = "="
)

// Valid reports whether c is one of the comparisons.
func (c Comparison) Valid() bool { return c == AtLeast || c == AtMost || c == Exactly }

// Symbol returns the sign plans print: ≥, ≤ or =.
func (c Comparison) Symbol() string {
	switch c {
	case AtLeast:
		return "≥"
	case AtMost:
		return "≤"
	}
	return "="
}

// MeasurePercent is the Measure of a percentage.
const MeasurePercent = "%"

// Quantity is a number with its measure: 96,2 %, 5 ngày, 2 hội nghị.
type Quantity struct {
	Value   float64
	Measure string // "%" for a percentage, the words as written otherwise, "" for a bare number
}

// String formats q as Vietnamese writes it: "96,2 %", "1.250 hồ sơ".
func (q Quantity) String() string {
	if q.Measure == "" {
		return FormatNumber(q.Value)
	}
	return FormatNumber(q.Value) + " " + q.Measure
}

// Target is what an indicator must reach: a comparison, a number and a
// measure, "≥ 95 %", "≤ 5 ngày".
type Target struct {
	Cmp     Comparison
	Value   float64
	Measure string
}

// Quantity returns the target's number with its measure.
func (t Target) Quantity() Quantity { return Quantity{Value: t.Value, Measure: t.Measure} }

// String formats t as plans print it, "≥ 95 %"; ParseTarget reads it back.
func (t Target) String() string {
	if !t.Cmp.Valid() {
		return ""
	}
	return t.Cmp.Symbol() + " " + t.Quantity().String()
}

// tolerance is how far apart two numbers may be and still count as equal:
// values are typed with a few decimals, so only the float's own noise is
// forgiven.
func tolerance(a, b float64) float64 { return 1e-9 * math.Max(1, math.Max(math.Abs(a), math.Abs(b))) }

// Meets reports whether v reaches the target: 95 meets ≥ 95.
func (t Target) Meets(v float64) bool {
	tol := tolerance(v, t.Value)
	switch t.Cmp {
	case AtLeast:
		return v >= t.Value-tol
	case AtMost:
		return v <= t.Value+tol
	case Exactly:
		return math.Abs(v-t.Value) <= tol
	}
	return false
}

// maxNumberDigits bounds the digits of a number: plans count files in the
// millions, and a float holds 15 digits exactly.
const maxNumberDigits = 15

// maxMeasureLen bounds a measure's length in runes.
const maxMeasureLen = 40

// comparisonWords are the folded prefixes (spaces removed) that set a
// target's comparison. A bare number means reaching it (≥).
var comparisonWords = map[string]Comparison{
	"": AtLeast, "≥": AtLeast, ">=": AtLeast, "=>": AtLeast, "⩾": AtLeast,
	"toithieu": AtLeast, "itnhat": AtLeast, "khongduoi": AtLeast, "khongthaphon": AtLeast,
	"dat": AtLeast, "phandau": AtLeast, "phandaudat": AtLeast, "phandautoithieu": AtLeast,
	"dattoithieu": AtLeast, "tu": AtLeast, "min": AtLeast, "atleast": AtLeast,
	"≤": AtMost, "<=": AtMost, "=<": AtMost, "⩽": AtMost,
	"toida": AtMost, "khongqua": AtMost, "khongvuotqua": AtMost, "max": AtMost, "atmost": AtMost,
	"=": Exactly, "bang": Exactly, "dung": Exactly,
}

// ParseTarget reads an indicator's target as plans write it: a comparison
// (≥, >=, ≤, <=, =, or the words tối thiểu, ít nhất, không dưới, tối đa,
// không quá …), a number written the Vietnamese way, and a measure ("%",
// "phần trăm", or words such as "ngày", "hội nghị"). "95% trở lên" is ≥ and
// "5 ngày trở xuống" is ≤. A number with no comparison means reaching it:
// "100 %" is ≥ 100 %. Accents and case are ignored. The error is an *Error
// with code EINVALID and key bad_target.
func ParseTarget(s string) (Target, error) {
	bad := func(why string) (Target, error) {
		return Target{}, NewError(EINVALID, "bad_target",
			fmt.Sprintf("%q is not a target (%s); write it like \"≥ 95 %%\" or \"≤ 5 ngày\"", s, why), s)
	}
	if len(s) > 200 {
		return bad("too long")
	}
	i := strings.IndexFunc(s, isASCIIDigit)
	if i < 0 {
		return bad("no number")
	}
	key := strings.ReplaceAll(strings.TrimRight(Fold(s[:i]), " :"), " ", "")
	cmp, ok := comparisonWords[key]
	if !ok {
		return bad("unknown comparison")
	}
	num, rest := numberAt(s[i:])
	v, ok := parseNumber(num)
	if !ok {
		return bad("bad number")
	}
	words := strings.Fields(rest)
	if n := len(words); n >= 2 {
		switch Fold(words[n-2] + " " + words[n-1]) {
		case "tro len":
			if key != "" && cmp != AtLeast {
				return bad("two comparisons")
			}
			cmp, words = AtLeast, words[:n-2]
		case "tro xuong":
			if key != "" && key != "tu" && cmp != AtMost {
				return bad("two comparisons")
			}
			cmp, words = AtMost, words[:n-2]
		}
	}
	if n := len(words); n >= 2 && strings.HasPrefix(Fold(words[n-2]+" "+words[n-1]), "tro ") {
		return bad("two comparisons") // "trở lên trở lên"
	}
	measure, ok := measureOf(strings.Join(words, " "))
	if !ok {
		return bad("bad measure")
	}
	return Target{Cmp: cmp, Value: v, Measure: measure}, nil
}

// measureOf returns the measure written after a number: "%" for a
// percentage, the words otherwise. ok is false for anything that is not a
// short run of words (digits, a second number, a long sentence).
func measureOf(s string) (string, bool) {
	s = strings.TrimRight(strings.TrimSpace(s), ". ")
	if s == "" {
		return "", true
	}
	if isPercentWord(s) {
		return MeasurePercent, true
	}
	if utf8.RuneCountInString(s) > maxMeasureLen || strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsDigit(r) || (!unicode.IsLetter(r) && !unicode.IsMark(r) && r != ' ' && r != '/')
	}) {
		return "", false
	}
	return strings.Join(strings.Fields(s), " "), true
}

func isPercentWord(s string) bool {
	f := Fold(s)
	return f == "%" || f == "phan tram" || f == "percent"
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

// numberAt splits s, which starts with a digit, into the number at its start
// (digits, dots and commas, without a trailing dot or comma, which end a
// sentence) and the rest.
func numberAt(s string) (num, rest string) {
	j := 0
	for j < len(s) && (isDigit(s[j]) || s[j] == '.' || s[j] == ',') {
		j++
	}
	for j > 0 && (s[j-1] == '.' || s[j-1] == ',') {
		j--
	}
	return s[:j], s[j:]
}

// parseNumber reads a number as Vietnamese writes it: a comma before the
// decimals and dots between thousands ("1.250,5", "96,2", "1.207"). A lone
// dot followed by other than three digits is a decimal point ("96.2"), as
// phones and spreadsheets write it; "0.250" is a quarter. ok is false for
// anything else, including "1,250.5" and numbers of more than 15 digits.
func parseNumber(s string) (float64, bool) {
	if s == "" || !isDigit(s[0]) || !isDigit(s[len(s)-1]) {
		return 0, false
	}
	whole, frac, hasComma := strings.Cut(s, ",")
	if hasComma && strings.ContainsAny(frac, ".,") {
		return 0, false
	}
	if !hasComma && strings.Count(whole, ".") == 1 {
		a, b, _ := strings.Cut(whole, ".")
		if len(b) != 3 || strings.TrimLeft(a, "0") == "" {
			whole, frac = a, b
		}
	}
	if strings.Contains(whole, ".") {
		groups := strings.Split(whole, ".")
		if len(groups[0]) > 3 || groups[0] == "0" {
			return 0, false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, false
			}
		}
		whole = strings.Join(groups, "")
	}
	if len(whole)+len(frac) > maxNumberDigits || strings.Trim(whole+frac, "0123456789") != "" {
		return 0, false
	}
	num := whole
	if frac != "" {
		num += "." + frac
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// FormatNumber writes v as Vietnamese documents do: dots between
// thousands, a comma before the decimals ("1.250,5", "96,2"), with as many
// decimals as it takes for parseNumber to read back the same number.
func FormatNumber(v float64) string {
	neg := v < 0
	s := strconv.FormatFloat(math.Abs(v), 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}
