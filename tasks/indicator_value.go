package tasks

import (
	"fmt"
	"strings"
	"unicode"
)

// valueLeadWords are the folded words (spaces removed) that may come before
// the number of a reported value: "đạt 96,2%", "kết quả: 1.250 hồ sơ".
// Words that qualify the number ("trên", "gần", "khoảng") are not here: such
// a value is not exact, and the member is asked for the number.
var valueLeadWords = map[string]bool{
	"": true, "dat": true, "datduoc": true, "dattyle": true, "dattile": true, "tyle": true,
	"tile": true, "tyledat": true, "la": true, "ketqua": true, "ketquadat": true, "giatri": true,
	"solieu": true, "hiendat": true, "moidat": true, "chidat": true, "datmuc": true,
	"thuchien": true, "thuchiendat": true, "value": true, "result": true,
}

// measureWords are the folded measures a member may write after a number
// in a report, so that a note after the value is told apart from its
// measure, and a measure that contradicts the target is caught.
var measureWords = map[string]bool{
	"ngay": true, "ngay lam viec": true, "gio": true, "phut": true, "lan": true, "ho so": true,
	"hoi nghi": true, "cuoc": true, "buoi": true, "van ban": true, "thu tuc": true, "tthc": true,
	"dich vu": true, "don vi": true, "co quan": true, "doanh nghiep": true, "nguoi": true,
	"sang kien": true, "diem": true, "dong": true, "trieu dong": true, "ty dong": true, "xa": true,
}

// maxValueText bounds the text of a report that the value readers look at.
const maxValueText = 2000

// ParseIndicatorValue reads a value of an indicator whose target is t, as
// Vietnamese writes numbers: "96,2 %", "96,2%", "96.2", "đạt 96,2%", "1.250
// hồ sơ" (a dot between thousands), "1.250,5", "100%". The whole of s must
// be the value, with an optional measure; accents and case are ignored. A
// value without a measure takes the target's. The error is an *Error with
// code EINVALID: key bad_indicator_value when s is not a value,
// measure_mismatch when its measure contradicts the target's ("5 ngày" for a
// "%" target), value_over_100 for a percentage over 100 against a target
// that is not.
func ParseIndicatorValue(s string, t Target) (Quantity, error) {
	v, rest, err := leadNumber(s)
	if err != nil {
		return Quantity{}, err
	}
	rest = strings.TrimRightFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(".!", r) })
	rest = strings.TrimSuffix(strings.TrimSuffix(rest, "ạ"), "Ạ")
	measure, ok := measureOf(rest)
	if !ok {
		return Quantity{}, badValue(s)
	}
	return checkValue(s, Quantity{Value: v, Measure: measure}, t)
}

// ReadIndicatorValue reads a value at the start of text and returns the
// rest as a note: "/value CT-05 96,2% đúng hạn" gives 96,2 % and "đúng
// hạn". The value is written as for ParseIndicatorValue; after the number
// the bot takes "%", "phần trăm", the target's measure or another measure it
// knows (ngày, hồ sơ, hội nghị …) as the measure, and anything else as the
// start of the note. Errors as for ParseIndicatorValue.
func ReadIndicatorValue(text string, t Target) (q Quantity, note string, err error) {
	v, rest, err := leadNumber(text)
	if err != nil {
		return Quantity{}, "", err
	}
	measure := ""
	rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
	switch {
	case strings.HasPrefix(rest, "%"):
		measure, rest = MeasurePercent, rest[1:]
	default:
		for _, n := range []int{len(strings.Fields(t.Measure)), 3, 2, 1} {
			words, after := cutWords(rest, n)
			if n == 0 || len(words) < n {
				continue
			}
			written := strings.TrimRight(strings.Join(words, " "), ",;:.")
			f := Fold(written)
			if f == "phan tram" || (t.Measure != "" && f == Fold(t.Measure)) || measureWords[f] {
				measure, rest = written, after
				if isPercentWord(written) {
					measure = MeasurePercent
				}
				break
			}
		}
	}
	q, err = checkValue(text, Quantity{Value: v, Measure: measure}, t)
	if err != nil {
		return Quantity{}, "", err
	}
	note = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(rest), ",;:.-–—()"))
	if strings.HasSuffix(note, ")") && !strings.Contains(note, "(") {
		note = strings.TrimSpace(strings.TrimSuffix(note, ")")) // "4 ngày (bình quân)"
	}
	// "đạt 96,2% ạ": the closing particle is courtesy, not a note.
	if strings.HasSuffix(note, "ạ") || strings.HasSuffix(note, "Ạ") {
		if base := note[:len(note)-len("ạ")]; base == "" || strings.HasSuffix(base, " ") {
			note = strings.TrimSpace(base)
		}
	}
	return q, note, nil
}

// cutWords returns the first n space-separated words of s (fewer if s has
// fewer) and what follows them.
func cutWords(s string, n int) (words []string, after string) {
	after = s
	for len(words) < n {
		after = strings.TrimLeftFunc(after, unicode.IsSpace)
		if after == "" {
			break
		}
		end := strings.IndexFunc(after, unicode.IsSpace)
		if end < 0 {
			end = len(after)
		}
		words = append(words, after[:end])
		after = after[end:]
	}
	return words, after
}

func badValue(s string) error {
	return NewError(EINVALID, "bad_indicator_value",
		fmt.Sprintf("%q is not a value; write a number like \"96,2%%\" or \"1.250\"", s), s)
}

// leadNumber reads the optional lead words and the number of a value and
// returns the number and the text after it.
func leadNumber(s string) (float64, string, error) {
	if len(s) > maxValueText {
		return 0, "", badValue(s[:40] + "…")
	}
	i := strings.IndexFunc(s, isASCIIDigit)
	if i < 0 {
		return 0, "", badValue(s)
	}
	lead := strings.ReplaceAll(strings.TrimRight(Fold(s[:i]), " :="), " ", "")
	if !valueLeadWords[lead] {
		return 0, "", badValue(s)
	}
	num, rest := numberAt(s[i:])
	v, ok := parseNumber(num)
	if !ok {
		return 0, "", badValue(s)
	}
	return v, rest, nil
}

// checkValue gives q the target's measure when it has none and checks that
// the two agree.
func checkValue(s string, q Quantity, t Target) (Quantity, error) {
	m, ok := sameMeasure(q.Measure, t.Measure)
	if !ok {
		return Quantity{}, NewError(EINVALID, "measure_mismatch",
			fmt.Sprintf("%q is in %q but the target is in %q", s, q.Measure, t.Measure), s, q.Measure, t.Measure)
	}
	q.Measure = m
	if m == MeasurePercent && q.Value > 100 && !(t.Measure == MeasurePercent && t.Value > 100) {
		return Quantity{}, NewError(EINVALID, "value_over_100",
			fmt.Sprintf("%q is over 100%%", s), s)
	}
	return q, nil
}

// sameMeasure reports whether a value's measure v agrees with a target's t
// and returns the one to store: the target's when v is empty or names the
// same thing ("hội nghị đối thoại" for "hội nghị"), v when the target has
// none.
func sameMeasure(v, t string) (string, bool) {
	switch {
	case v == "":
		return t, true
	case t == "":
		return v, true
	case v == MeasurePercent || t == MeasurePercent:
		return t, v == t
	}
	fv, ft := Fold(v), Fold(t)
	if fv == ft || strings.HasPrefix(fv, ft+" ") || strings.HasPrefix(ft, fv+" ") {
		return t, true
	}
	return "", false
}
