package tasks

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Deadline is a deadline as a plan writes it: a date, or words that mean
// one ("Quý IV/2023" is 31/12/2023), or words that mean none because the
// task goes on ("Thường xuyên").
type Deadline struct {
	Date    Date   // the day it falls due; zero when Ongoing
	Text    string // the words as written, spaces tidied; empty for a plain date
	Ongoing bool   // a standing duty: no deadline, never overdue
}

// DeadlineForms lists the forms ParseDeadline reads, one example each, as
// the catalogs show them to a member who wrote something else.
const DeadlineForms = "31/12/2024, 2024-12-31, Quý IV/2024, Tháng 12/2024, T12/2024, 6 tháng đầu năm 2024, Năm 2024, trước 15/12/2024, Thường xuyên"

// maxDeadline is the longest text read as a deadline, in bytes: the
// longest form ("6 tháng cuối năm 2024", "trước ngày 15/12/2023") with
// room for spaces.
const maxDeadline = 64

// ParseDeadline reads a deadline written as ParseDate reads dates, or as
// Vietnamese plans write them, accents and case ignored:
//
//	Quý IV/2023, Quý 4/2023, quý IV năm 2023      31/12/2023, the quarter's end
//	Tháng 12/2023, tháng 12 năm 2023, T12/2023    31/12/2023, the month's end
//	6 tháng đầu năm 2024, 6 tháng cuối năm 2024   30/06/2024, 31/12/2024
//	Năm 2024                                      31/12/2024
//	trước 15/12/2023, trước ngày 15/12/2023       15/12/2023
//	Thường xuyên, Hằng năm, Định kỳ               ongoing: no date
//
// The words are kept in Text, except for a plain date. The error is an
// *Error with code EINVALID: key "bad_date" for text without letters
// ("31/02/2024"), otherwise "bad_deadline", its argument the text.
func ParseDeadline(s string, today Date) (Deadline, error) {
	text := strings.Join(strings.Fields(s), " ")
	bad := NewError(EINVALID, "bad_deadline",
		fmt.Sprintf("%q is not a deadline: write it as one of %s", clipText(text, 40), DeadlineForms), clipText(text, 40))
	if text == "" || len(text) > maxDeadline {
		return Deadline{}, bad
	}
	d, err := ParseDate(text, today)
	switch {
	case err == nil:
		return Deadline{Date: d}, nil
	case strings.IndexFunc(text, unicode.IsLetter) < 0:
		return Deadline{}, err // "31/02/2024": a date that is wrong, said so
	}
	f := Fold(text)
	switch f {
	case "thuong xuyen", "hang nam", "dinh ky":
		return Deadline{Text: text, Ongoing: true}, nil
	}
	if rest, ok := strings.CutPrefix(f, "truoc "); ok {
		rest = strings.TrimPrefix(rest, "ngay ")
		if d, err := ParseDate(rest, today); err == nil {
			return Deadline{Date: d, Text: text}, nil
		}
		return Deadline{}, bad
	}
	if d, ok := periodEnd(f); ok {
		return Deadline{Date: d, Text: text}, nil
	}
	return Deadline{}, bad
}

// periodEnd reads a folded period (quarter, month, half, year) and
// returns its last day.
func periodEnd(f string) (Date, bool) {
	words := strings.Fields(strings.NewReplacer("/", " ", "-", " ", ".", " ").Replace(f))
	// "t12 2023" is "thang 12 2023".
	if len(words) > 0 && len(words[0]) > 1 && words[0][0] == 't' && isDigits(words[0][1:]) {
		words = append([]string{"thang", words[0][1:]}, words[1:]...)
	}
	// The year, with "nam" before it or not, ends every form.
	if len(words) < 2 {
		return Date{}, false
	}
	y, ok := year(words[len(words)-1])
	if !ok {
		return Date{}, false
	}
	words = words[:len(words)-1]
	if words[len(words)-1] == "nam" {
		words = words[:len(words)-1]
	}
	switch {
	case len(words) == 0:
		// "nam 2024" alone: a bare "2024" is not a deadline.
		if strings.HasPrefix(f, "nam ") {
			return Date{y, time.December, 31}, true
		}
	case len(words) == 2 && words[0] == "quy":
		if q, ok := quarter(words[1]); ok {
			return monthEnd(y, time.Month(3*q)), true
		}
	case len(words) == 2 && words[0] == "thang":
		if m, err := strconv.Atoi(words[1]); err == nil && len(words[1]) <= 2 && m >= 1 && m <= 12 {
			return monthEnd(y, time.Month(m)), true
		}
	case len(words) == 3 && words[0] == "6" && words[1] == "thang":
		switch words[2] {
		case "dau":
			return Date{y, time.June, 30}, true
		case "cuoi":
			return Date{y, time.December, 31}, true
		}
	}
	return Date{}, false
}

// year reads a four-digit year between 1900 and 9999.
func year(s string) (int, bool) {
	if len(s) != 4 || !isDigits(s) {
		return 0, false
	}
	y, _ := strconv.Atoi(s)
	return y, y >= 1900
}

// quarter reads a quarter as Roman (i–iv, folded) or Arabic numerals.
func quarter(s string) (int, bool) {
	switch s {
	case "i", "1":
		return 1, true
	case "ii", "2":
		return 2, true
	case "iii", "3":
		return 3, true
	case "iv", "4":
		return 4, true
	}
	return 0, false
}

// monthEnd returns the last day of month m of year y.
func monthEnd(y int, m time.Month) Date {
	_, _, d := time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Date()
	return Date{y, m, d}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// clipText returns s cut to n characters, for echoing a member's input.
func clipText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// maxDeadlineWords is the most words a deadline takes ("trước ngày
// 15/12/2023", "6 tháng cuối năm 2024").
const maxDeadlineWords = 5

// CutDeadline reads the deadline at the start of s, as a command gives it
// before more words (`/newtask SNV Quý IV/2024 Rà soát…`): the longest run
// of leading words that ParseDeadline reads. It returns the deadline and
// the rest of s, trimmed; the error is ParseDeadline's for the first word.
func CutDeadline(s string, today Date) (Deadline, string, error) {
	words := strings.Fields(s)
	for k := min(len(words), maxDeadlineWords); k >= 1; k-- {
		if d, err := ParseDeadline(strings.Join(words[:k], " "), today); err == nil {
			return d, restAfter(s, k), nil
		}
	}
	// Echo what looks meant as the deadline: "Quý V/2024", not "Quý".
	n := min(len(words), 1)
	switch Fold(strings.Join(words[:n], "")) {
	case "quy", "thang", "nam", "truoc", "thuong", "hang", "dinh", "6":
		n = min(len(words), 2)
	}
	_, err := ParseDeadline(strings.Join(words[:n], " "), today)
	return Deadline{}, "", err
}

// DeadlineLabel returns t's deadline as a committee reads it: the words as
// written with the date they mean ("Quý IV/2023 (31/12/2023)"), the date
// alone (31/12/2023), the words alone for an ongoing task ("Thường
// xuyên"), or "" for none.
func (t Task) DeadlineLabel() string {
	switch {
	case t.DeadlineText != "" && !t.Deadline.IsZero():
		return t.DeadlineText + " (" + t.Deadline.VN() + ")"
	case t.DeadlineText != "":
		return t.DeadlineText
	}
	return t.Deadline.VN()
}

// Ongoing reports whether t is a standing duty ("Thường xuyên"): words for
// its deadline and no date. It is never overdue nor due soon.
func (t Task) Ongoing() bool { return t.Deadline.IsZero() && t.DeadlineText != "" }

// SetDeadline gives t the deadline d.
func (t *Task) SetDeadline(d Deadline) { t.Deadline, t.DeadlineText = d.Date, d.Text }
