package bot_test

import (
	"strings"
	"testing"

	"steerbot/bot/telegramtest"
	"steerbot/tasks"
)

// The reminder header counts only what is there: "(quá hạn 1, sắp đến hạn
// 1)", and no parenthesis at all for a unit with nothing late or near.
func TestRemindHeaderLeavesOutZeroCounts(t *testing.T) {
	h := newHarness(t)
	snv := h.remind(headSNV)
	contains(t, snv.Text, "đơn vị có 3 nhiệm vụ chưa hoàn thành (quá hạn 1, sắp đến hạn 1):")
	qhk := h.remind(headQHK)
	contains(t, qhk.Text, "đơn vị có 1 nhiệm vụ chưa hoàn thành:")
	lacks(t, qhk.Text, "quá hạn 0", "sắp đến hạn 0", "()", "đang mở")
}

// A chair's weekly note names units, not codes, and leaves out a zero.
func TestChairNoteNamesUnits(t *testing.T) {
	h := newHarness(t)
	err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		m, err := tx.MemberByTelegram(chairID)
		if err != nil {
			return err
		}
		overdue, err := tx.Task("CCHC-01")
		if err != nil {
			return err
		}
		units := map[string]tasks.Unit{"SNV": {Code: "SNV", Name: "Sở Nội vụ"}}
		return h.b.Remind(tx, tasks.Reminder{Kind: tasks.RemindWeekly, Key: "weekly-chair:test", Member: m, Tasks: []tasks.Task{overdue}, UnitNames: units,
			Timeline: tasks.Timeline{Now: h.clock.Now(), Loc: h.loc, DueSoonDays: 7}})
	})
	if err != nil {
		t.Fatal(err)
	}
	h.flush()
	note := one(t, h.srv.SentTo(chairID)).Text
	contains(t, note, "1 nhiệm vụ quá hạn.", "CCHC-01", "(Sở Nội vụ)")
	lacks(t, note, "(SNV)", "0 nhiệm vụ")
}

// Decision buttons say what they decide.
func TestDecisionButtonsSayWhat(t *testing.T) {
	h := newHarness(t)
	h.say(headSNV, "/update CCHC-02 đề xuất dừng vì đã lồng ghép vào nhiệm vụ khác")
	ask := one(t, h.srv.SentTo(chairID))
	if got := buttonLabels(ask); strings.Join(got, "|") != "✅ Đồng ý dừng CCHC-02|❌ Không đồng ý" {
		t.Fatalf("proposal buttons %q", got)
	}
	h.say(headSNV, "/extend CCHC-01 15/11/2023 chờ thẩm định")
	ext := h.srv.SentTo(chairID)[1]
	if got := buttonLabels(ext); strings.Join(got, "|") != "✅ Đồng ý gia hạn CCHC-01|❌ Không đồng ý" {
		t.Fatalf("extension buttons %q", got)
	}
	contains(t, ext.Text, "15/11/2023")
}

// The buttons that ask which task a message is about cut titles at a word.
func TestTaskChoiceButtonsCutAtWord(t *testing.T) {
	h := newHarness(t)
	rem := h.remind(headSNV)
	before := len(h.srv.SentTo(headSNV))
	h.srv.SendDocument(user(headSNV), telegramtest.Private(user(headSNV)), rem.MessageID, "FILE-9", "bao-cao.pdf", 1000, "gửi báo cáo kết quả")
	h.step()
	ask := one(t, h.srv.SentTo(headSNV)[before:])
	labels := buttonLabels(ask)
	if len(labels) == 0 {
		t.Fatalf("no task buttons on %q", ask.Text)
	}
	cuts := 0
	for _, l := range labels {
		code, title, _ := strings.Cut(l, " — ")
		tk := h.task(code)
		if title == tk.Title {
			continue
		}
		cuts++
		cut := strings.TrimSuffix(title, "…")
		if cut == title || !strings.HasPrefix(tk.Title, cut+" ") {
			t.Errorf("button %q: %q is not %q cut at a word with …", l, title, tk.Title)
		}
	}
	if cuts == 0 {
		t.Fatalf("no title was cut in %q: the test shows nothing", labels)
	}
}
