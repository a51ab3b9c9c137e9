package tasks

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar day in the committee's time zone, such as a deadline.
// The zero Date means "none".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the day that t falls on in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// VN formats d as DD/MM/YYYY, as Vietnamese documents write dates.
func (d Date) VN() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year)
}

// Start returns the first instant of d in loc.
func (d Date) Start(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// End returns the first instant after d in loc: a task due on d is overdue
// from then on.
func (d Date) End(loc *time.Location) time.Time { return d.AddDays(1).Start(loc) }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date {
	y, m, dd := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC).Date()
	return Date{y, m, dd}
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

// DaysUntil returns the number of calendar days from d to e (negative when e
// is earlier).
func (d Date) DaysUntil(e Date) int {
	a := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	b := time.Date(e.Year, e.Month, e.Day, 12, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Round(24*time.Hour) / (24 * time.Hour))
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ParseDate reads a date written YYYY-MM-DD, DD/MM/YYYY (also with - or .
// between the parts) or DD/MM, the last meaning the coming such day counted
// from today (today itself included). today is the current day in the
// committee's time zone. The error is an *Error with code EINVALID.
func ParseDate(s string, today Date) (Date, error) {
	s = strings.TrimSpace(s)
	bad := NewError(EINVALID, "bad_date", fmt.Sprintf("%q is not a date", s), s)
	if s == "" || len(s) > 10 {
		return Date{}, bad
	}
	var parts []string
	var ymd bool
	switch {
	case strings.Count(s, "-") == 2 && len(s) >= 8 && strings.Index(s, "-") == 4:
		parts, ymd = strings.Split(s, "-"), true
	case strings.ContainsRune(s, '/'):
		parts = strings.Split(s, "/")
	case strings.Count(s, "-") >= 1:
		parts = strings.Split(s, "-")
	case strings.Count(s, ".") >= 1:
		parts = strings.Split(s, ".")
	default:
		return Date{}, bad
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		if p == "" || len(p) > 4 {
			return Date{}, bad
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return Date{}, bad
		}
		nums[i] = n
	}
	var d Date
	switch {
	case ymd && len(nums) == 3 && len(parts[0]) == 4:
		d = Date{nums[0], time.Month(nums[1]), nums[2]}
	case !ymd && len(nums) == 3 && len(parts[2]) == 4 && len(parts[0]) <= 2 && len(parts[1]) <= 2:
		d = Date{nums[2], time.Month(nums[1]), nums[0]}
	case !ymd && len(nums) == 2 && len(parts[0]) <= 2 && len(parts[1]) <= 2:
		d = Date{today.Year, time.Month(nums[1]), nums[0]}
		if !validDate(d) {
			// 29/02 in a non-leap year: try the next leap year only if it is
			// the next year, otherwise it is not a date.
			d.Year++
			if !validDate(d) {
				return Date{}, bad
			}
			return d, nil
		}
		if d.Before(today) {
			d.Year++
			if !validDate(d) {
				return Date{}, bad
			}
		}
		return d, nil
	default:
		return Date{}, bad
	}
	if !validDate(d) {
		return Date{}, bad
	}
	return d, nil
}

// validDate reports whether d names a real day between 1900 and 9999.
func validDate(d Date) bool {
	if d.Year < 1900 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	y, m, dd := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Date()
	return y == d.Year && m == d.Month && dd == d.Day
}

// MarshalText encodes d as YYYY-MM-DD (empty for the zero Date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes YYYY-MM-DD or an empty string.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	t, err := time.Parse("2006-01-02", string(b))
	if err != nil {
		return fmt.Errorf("date %q: %w", b, err)
	}
	*d = Date{t.Year(), t.Month(), t.Day()}
	return nil
}
