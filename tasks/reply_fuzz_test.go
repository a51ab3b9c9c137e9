package tasks_test

import (
	"os"
	"slices"
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

// checkIntent checks what the reader says a reply asks for beside its
// report (more time, a look at a task, which tasks it names) on any text.
func checkIntent(t *testing.T, text string) {
	t.Helper()
	if date, reason := tasks.ExtensionWords(text, replyToday); date != "" {
		if _, err := tasks.ParseDate(date, replyToday); err == nil && !strings.Contains(text, date) {
			t.Fatalf("extension date %q is not in %q", date, text)
		}
		if len(reason) > len(text) {
			t.Fatalf("extension reason %q is longer than %q", reason, text)
		}
	}
	if tasks.IsAcknowledgement(text, replyToday) && (tasks.AsksExtension(text) || tasks.ReadReply(text, replyToday).Understood) {
		t.Fatalf("%q is an acknowledgement yet asks for time or reports", text)
	}
	words := tasks.CodeWords(text)
	var cands []tasks.Task
	for i, w := range words {
		if len(w) < 2 || len(w) > 40 || !strings.ContainsAny(w, "0123456789") || w != tasks.NormalizeCode(w) {
			t.Fatalf("code word %q of %q", w, text)
		}
		if slices.Contains(words[:i], w) {
			t.Fatalf("code word %q twice in %q", w, text)
		}
		cands = append(cands, tasks.Task{Code: w})
		if got, ok := tasks.FindLoose([]tasks.Task{{Code: w}}, w); ok != (tasks.LooseCode(w) != "") || (ok && got.Code != w) {
			t.Fatalf("FindLoose(%q) = %q, %v: a code must find itself", w, got.Code, ok)
		}
		if isASCII(w) {
			if got := tasks.ReplaceCode(text, w, ""); len(got) != len(text)-len(w) {
				t.Fatalf("ReplaceCode(%q, %q) = %q, want the code taken out", text, w, got)
			}
		}
	}
	parts := tasks.SplitByCode(text, cands)
	if len(parts) > len(cands) {
		t.Fatalf("%d parts from %d codes in %q", len(parts), len(cands), text)
	}
	seen := map[string]bool{}
	for _, p := range parts {
		if seen[p.Task.Code] {
			t.Fatalf("task %q in two parts of %q", p.Task.Code, text)
		}
		seen[p.Task.Code] = true
		if !strings.Contains(strings.ToUpper(text), p.Task.Code) {
			t.Fatalf("part %q names a code not in %q", p.Task.Code, text)
		}
	}
	named, rest, ok := tasks.NamedTask(text, cands)
	if ok != (len(parts) == 1) || (ok && (named.Code != parts[0].Task.Code || rest != parts[0].Text)) || (!ok && rest != text) {
		t.Fatalf("NamedTask(%q) = %q, %q, %v; parts %v", text, named.Code, rest, ok, parts)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
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
	for _, s := range append(extensionAsks, extensionNots...) {
		f.Add(s)
	}
	f.Add("CCHC-01 xong, CCHC-02 được 50%")
	f.Add("CCHC-01, cchc-02: đã hoàn thành")
	f.Add("cchc2 thế nào rồi?")
	f.Add("xin gia hạn đến 15/12 do thiếu người")
	f.Fuzz(func(t *testing.T, text string) {
		checkIntent(t, text)
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
