package tasks_test

import (
	"testing"
	"time"

	"steerbot/tasks"
)

func TestParseDate(t *testing.T) {
	today := day(2026, time.November, 25)
	cases := []struct {
		in   string
		want tasks.Date
		ok   bool
	}{
		{"2026-12-31", day(2026, 12, 31), true},
		{"31/12/2026", day(2026, 12, 31), true},
		{"1/2/2027", day(2027, 2, 1), true},
		{"30/11", day(2026, 11, 30), true},
		{"25/11", day(2026, 11, 25), true}, // today counts as coming
		{"24/11", day(2027, 11, 24), true}, // passed: next year
		{"29/02", day(2028, 2, 29), false}, // 2027 is not a leap year
		{"31/02/2024", tasks.Date{}, false},
		{"2024-02-30", tasks.Date{}, false},
		{"2024-13-01", tasks.Date{}, false},
		{"12/31/2026", tasks.Date{}, false},
		{"tomorrow", tasks.Date{}, false},
		{"", tasks.Date{}, false},
		{"2024-2-3", day(2024, 2, 3), true},
	}
	for _, c := range cases {
		got, err := tasks.ParseDate(c.in, today)
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v ok=%v", c.in, got, err, c.want, c.ok)
		}
		if err != nil && tasks.ErrorCode(err) != tasks.EINVALID {
			t.Errorf("ParseDate(%q) error code %s, want invalid", c.in, tasks.ErrorCode(err))
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-12-31", "31/12/2026", "30/11", "29/02", "1.2.2024", "-1/-1", "99999-1-1"} {
		f.Add(s)
	}
	today := day(2026, time.November, 25)
	f.Fuzz(func(t *testing.T, s string) {
		d, err := tasks.ParseDate(s, today)
		if err != nil {
			return
		}
		// A parsed date formats and parses back to itself.
		back, err := tasks.ParseDate(d.String(), today)
		if err != nil || back != d {
			t.Fatalf("ParseDate(%q) = %v; reparse %v, %v", s, d, back, err)
		}
	})
}

func FuzzParseValue(f *testing.F) {
	for _, s := range []string{"60%", "xong", "đang triển khai ok", "150", "đề xuất dừng vì", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ch, _, err := tasks.ParseValue(s)
		if err != nil {
			if tasks.ErrorCode(err) != tasks.EINVALID {
				t.Fatalf("ParseValue(%q): code %s", s, tasks.ErrorCode(err))
			}
			return
		}
		if ch.Progress != nil && (*ch.Progress < 0 || *ch.Progress > 100) {
			t.Fatalf("ParseValue(%q) progress %d", s, *ch.Progress)
		}
		if ch.Status != nil && !ch.Status.Valid() {
			t.Fatalf("ParseValue(%q) status %q", s, *ch.Status)
		}
	})
}
