package tasks_test

import (
	"os"
	"strings"
	"testing"
	"unicode"

	"steerbot/tasks"
)

// statusStems are the folded stems of every word the reader may take a
// status from. A reply without any of them must never get a status.
var statusStems = []string{
	"xong", "hoan thanh", "hoan tat", "done", "finish", "complet", "thuc hien", "trien khai",
	"lam", "tien hanh", "progress", "ongoing", "on going", "underway", "under way", "bat dau",
	"khoi cong", "thi cong", "start", "begun", "begin", "doing", "implement", "working",
	"dung", "stop", "cancel", "huy", "discontinu", "chuyen", "carr", "roll",
}

// hasStatusWord reports whether text, folded and with everything but
// letters turned into spaces, holds a status stem.
func hasStatusWord(text string) bool {
	f := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsMark(r) {
			return r
		}
		return ' '
	}, tasks.Fold(text))
	f = " " + strings.Join(strings.Fields(f), " ") + " "
	for _, s := range statusStems {
		if strings.Contains(f, s) {
			return true
		}
	}
	return false
}

// breaksSentence reports whether text holds anything that may end a
// sentence for the reader.
func breaksSentence(text string) bool {
	return strings.ContainsAny(text, ".!?;…。！？；\n\r\v\f\u0085\u2028\u2029")
}

func FuzzReadReply(f *testing.F) {
	for _, c := range replyCases {
		f.Add(c.text)
	}
	if b, err := os.ReadFile("testdata/replies/seeds.txt"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if text, _, ok := strings.Cut(line, " => "); ok && !strings.HasPrefix(line, "#") {
				f.Add(text)
			}
		}
	}
	f.Add("không xong 101% -3% 99,999% 1.5% 30/02 29/02 2026-13-01 tháng 13")
	f.Add("vướng, vướng: vướng - khó khăn ạ ạ anh ạ")
	f.Fuzz(func(t *testing.T, text string) {
		r := tasks.ReadReply(text, replyToday)
		if want := strings.TrimSpace(text); r.Note != want {
			t.Fatalf("note=%q, want %q", r.Note, want)
		}
		if r.Progress != nil && (*r.Progress < 0 || *r.Progress > 100) {
			t.Fatalf("progress=%d, want 0..100", *r.Progress)
		}
		if r.Status != nil {
			switch *r.Status {
			case tasks.NotStarted, tasks.InProgress, tasks.Done, tasks.ProposedStop, tasks.ProposedCarryover:
			default:
				t.Fatalf("status=%q, want a status a unit may report (decisions come back as proposals)", *r.Status)
			}
			if !hasStatusWord(text) {
				t.Fatalf("status=%q from a reply without a status word", *r.Status)
			}
			if *r.Status == tasks.Done && r.Blocker != "" {
				t.Fatalf("blocker=%q on a done reply", r.Blocker)
			}
		}
		if !r.ExpectedDate.IsZero() && r.ExpectedDate.Before(replyToday) {
			t.Fatalf("expected date %s is before today %s", r.ExpectedDate, replyToday)
		}
		if want := r.Status != nil || r.Progress != nil || !r.ExpectedDate.IsZero() || r.Blocker != ""; r.Understood != want {
			t.Fatalf("understood=%v, want %v for %+v", r.Understood, want, r)
		}
		c := r.Change()
		if (c.Status == nil) != (r.Status == nil) || (c.Status != nil && *c.Status != *r.Status) ||
			(c.Progress == nil) != (r.Progress == nil) || (c.Progress != nil && *c.Progress != *r.Progress) ||
			c.Note != r.Note || c.Blocker != r.Blocker || c.Deadline != nil {
			t.Fatalf("change %+v does not mirror reading %+v", c, r)
		}
		// A one-sentence reply turned into a question never gives a status.
		if !breaksSentence(text) {
			if q := tasks.ReadReply(text+" ?", replyToday); q.Status != nil {
				t.Fatalf("status=%q for the question %q", *q.Status, text+" ?")
			}
		}
		// A one-clause reply put next week is a promise, never done nor 100%.
		if !breaksSentence(text) && !strings.ContainsAny(text, ",，、–—-") {
			later := "tuần sau " + text
			if p := tasks.ReadReply(later, replyToday); (p.Status != nil && *p.Status == tasks.Done) ||
				(p.Progress != nil && *p.Progress == 100) {
				t.Fatalf("reading %+v for the promise %q, want neither done nor 100%%", p, later)
			}
		}
	})
}

// BenchmarkReadReply reads the table's replies in turn ("Table") and one
// long reply of 50 sentences, about the 4096 characters a Telegram message
// may hold ("Long").
func BenchmarkReadReply(b *testing.B) {
	var texts []string
	for _, c := range replyCases {
		texts = append(texts, c.text)
	}
	b.Run("Table", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			tasks.ReadReply(texts[i%len(texts)], replyToday)
		}
	})
	long := strings.Repeat("Đang triển khai, đạt 60%, vướng mặt bằng, dự kiến xong 30/11 ạ. ", 50)
	b.Run("Long", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(long)))
		for i := 0; i < b.N; i++ {
			tasks.ReadReply(long, replyToday)
		}
	})
}
