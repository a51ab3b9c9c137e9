package bot_test

import (
	"testing"

	"steerbot/bot/telegramtest"
	"steerbot/tasks"
)

// TestDeadlinesAsPlansWrite: /newtask and /extend take deadlines as plans
// write them, /task shows the words beside the date, an ongoing task is
// never overdue and the digest counts it on its own line.
func TestDeadlinesAsPlansWrite(t *testing.T) {
	h := newHarness(t)
	m := one(t, h.say(secrID, "/newtask SNV Quý IV/2023 Rà soát quy chế làm việc"))
	contains(t, m.Text, "SNV-1", "Rà soát quy chế làm việc", "Quý IV/2023 (31/12/2023)")
	if tk := h.task("SNV-1"); tk.Title != "Rà soát quy chế làm việc" || tk.Deadline.String() != "2023-12-31" || tk.DeadlineText != "Quý IV/2023" {
		t.Errorf("new task = %+v", tk)
	}
	contains(t, one(t, h.say(secrID, "/task SNV-1")).Text, "Thời hạn: Quý IV/2023 (31/12/2023)")

	one(t, h.say(secrID, "/newtask SNV thuong xuyen Kiểm tra công vụ"))
	if tk := h.task("SNV-2"); tk.Title != "Kiểm tra công vụ" || !tk.Ongoing() {
		t.Errorf("ongoing task = %+v", tk)
	}
	card := one(t, h.say(secrID, "/task SNV-2")).Text
	contains(t, card, "Thời hạn: thuong xuyen — nhiệm vụ thường xuyên")
	lacks(t, card, "quá hạn", "chưa có thời hạn")
	contains(t, one(t, h.say(chairID, "/digest")).Text, "1 nhiệm vụ thường xuyên")

	bad := one(t, h.say(secrID, "/newtask SNV Quý V/2023 Việc")).Text
	contains(t, bad, "«Quý V/2023» không phải thời hạn hợp lệ", "Quý IV/2024", "Tháng 12/2024", "Năm 2024", "trước 15/12/2024", "Thường xuyên")

	// An extension in a plan's words keeps them once approved.
	one(t, h.say(headSNV, "/extend SNV-1 quý I năm 2024 chờ kinh phí"))
	sent := h.srv.SentTo(chairID)
	a := sent[len(sent)-1]
	contains(t, a.Text, "SNV-1", "31/03/2024", "chờ kinh phí")
	h.srv.Press(user(chairID), telegramtest.Private(user(chairID)), a.MessageID, buttonData(t, a, "Đồng ý"))
	h.step()
	if tk := h.task("SNV-1"); tk.DeadlineLabel() != "quý I năm 2024 (31/03/2024)" {
		t.Errorf("after the extension: %q", tk.DeadlineLabel())
	}
	contains(t, one(t, h.say(headSNV, "/extend SNV-1 Thường xuyên vì lâu dài")).Text, "thời hạn cụ thể")
	if tk := h.task("SNV-1"); tk.Status != tasks.NotStarted {
		t.Errorf("status changed: %s", tk.Status)
	}
}
