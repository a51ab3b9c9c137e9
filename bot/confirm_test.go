package bot_test

import (
	"strings"
	"testing"
	"time"

	"steerbot/bot"
	"steerbot/bot/telegramtest"
	"steerbot/tasks"
)

// secr2ID is a second secretariat member, whose copy of a report card is
// edited when the first decides.
const secr2ID int64 = 223

func confirmDone(require bool) option {
	return func(o *bot.Options) { o.Policy = tasks.Policy{ConfirmDone: true, RequireEvidence: require} }
}

func (h *harness) addSecretary() {
	h.t.Helper()
	if err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		return tx.PutMember(&tasks.Member{Name: "Hoàng Văn Tâm", Role: tasks.RoleSecretariat, TelegramID: secr2ID})
	}); err != nil {
		h.t.Fatal(err)
	}
}

// card returns the last message to chat with a button labelled label.
func card(t *testing.T, msgs []telegramtest.Message, label string) telegramtest.Message {
	t.Helper()
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, row := range msgs[i].Buttons {
			for _, b := range row {
				if strings.Contains(b.Text, label) {
					return msgs[i]
				}
			}
		}
	}
	t.Fatalf("no message with a %q button among %d", label, len(msgs))
	return telegramtest.Message{}
}

func (h *harness) digestText() string {
	h.t.Helper()
	got := h.say(chairID, "/digest")
	if len(got) == 0 {
		h.t.Fatal("no digest")
	}
	return got[0].Text
}

func TestConfirmDone_ConfirmedAtReportTime(t *testing.T) {
	h := newHarness(t, confirmDone(false))
	h.addSecretary()
	reportAt := h.clock.Now() // 16/10/2023; CCHC-02 is due 20/10

	before := len(h.srv.SentTo(headSNV))
	h.srv.SendDocument(user(headSNV), telegramtest.Private(user(headSNV)), 0, "FILE-1", "bao-cao-kiem-tra.pdf", 52000, "CCHC-02 đã hoàn thành")
	h.step()
	ans := one(t, h.srv.SentTo(headSNV)[before:])
	contains(t, ans.Text, "CCHC-02", "đã báo cáo hoàn thành, chờ xác nhận", "Văn phòng Ban chỉ đạo xác nhận")
	if tk := h.task("CCHC-02"); tk.Status != tasks.DoneReported || !tk.CompletedAt.Equal(reportAt) {
		t.Fatalf("status=%s completed=%v, want done_reported at %v", tk.Status, tk.CompletedAt, reportAt)
	}

	// Each secretariat member: the file again, and a card with the buttons.
	for _, id := range []int64{secrID, secr2ID} {
		msgs := h.srv.SentTo(id)
		if len(msgs) != 2 || msgs[0].Document == nil || msgs[0].Document.FileID != "FILE-1" {
			t.Fatalf("secretary %d got %d messages (first document %+v), want the file then the card", id, len(msgs), msgs[0].Document)
		}
		contains(t, msgs[1].Text, "Báo cáo hoàn thành CCHC-02", "Sở Nội vụ", "Lê Văn Cường", "16/10/2023", "1 tệp")
	}
	contains(t, h.digestText(), "1/5 nhiệm vụ đã hoàn thành, chiếm 20%", "chờ xác nhận: 1")
	contains(t, one(t, h.say(chairID, "/pending")).Text, "chờ xác nhận: 1", "CCHC-02", "Lê Văn Cường", "16/10/2023")
	if n := len(h.srv.SentTo(headSNV)); n != before+1 {
		t.Fatalf("head got %d more messages before any decision, want 1", n-before)
	}

	h.clock.Set(time.Date(2023, 10, 23, 9, 0, 0, 0, h.loc)) // after the deadline
	c := card(t, h.srv.SentTo(secrID), "Xác nhận hoàn thành")
	toast := h.press(secrID, c, "Xác nhận hoàn thành")
	contains(t, toast, "Đã ghi nhận")
	tk := h.task("CCHC-02")
	if tk.Status != tasks.Done || !tk.CompletedAt.Equal(reportAt) {
		t.Fatalf("status=%s completed=%v, want done, completed at the report %v", tk.Status, tk.CompletedAt, reportAt)
	}
	if tm := (tasks.Timeline{Now: h.clock.Now(), Loc: h.loc}).Of(tk); tm != tasks.DoneOnTime {
		t.Fatalf("timeliness=%s, want done on time (reported before the deadline)", tm)
	}
	d := h.digestText()
	contains(t, d, "2/5 nhiệm vụ đã hoàn thành, chiếm 40%")
	lacks(t, d, "chờ xác nhận")

	// The other secretary's card says who confirmed and loses its buttons;
	// a tap on it now changes nothing.
	other := h.srv.SentTo(secr2ID)[1]
	if other.Edits == 0 || len(other.Buttons) != 0 {
		t.Fatalf("second card: edits=%d buttons=%v, want edited without buttons", other.Edits, other.Buttons)
	}
	contains(t, other.Text, "CCHC-02", "Trần Thị Bình đã xác nhận hoàn thành")
	contains(t, h.pressData(secr2ID, secr2ID, other.MessageID, c.Buttons[0][0].Data), "đã được xử lý")
	if n := len(h.history("CCHC-02")); n != 3 {
		t.Fatalf("history has %d updates, want 3 (import, report, confirmation)", n)
	}
	told := h.srv.SentTo(headSNV)
	contains(t, told[len(told)-1].Text, "đã xác nhận", "CCHC-02", "16/10/2023")
}

func TestConfirmDone_SecondTapIsRefused(t *testing.T) {
	h := newHarness(t, confirmDone(false))
	h.addSecretary()
	h.say(headSNV, "/update CCHC-02 xong")
	c1 := card(t, h.srv.SentTo(secrID), "Xác nhận hoàn thành")
	c2 := card(t, h.srv.SentTo(secr2ID), "Xác nhận hoàn thành")
	h.press(secrID, c1, "Xác nhận hoàn thành")
	toast := h.pressData(secr2ID, secr2ID, c2.MessageID, c2.Buttons[0][0].Data)
	contains(t, toast, "đã được xử lý", "Trần Thị Bình")
	if n := len(h.history("CCHC-02")); n != 3 {
		t.Fatalf("history has %d updates, want 3: the second tap recorded nothing", n)
	}
}

func TestConfirmDone_Returned(t *testing.T) {
	h := newHarness(t, confirmDone(false))
	h.say(headSNV, "/update CCHC-01 xong Văn bản số 12/BC-SNV")
	if tk := h.task("CCHC-01"); tk.Status != tasks.DoneReported {
		t.Fatalf("status=%s, want done_reported", tk.Status)
	}
	c := card(t, h.srv.SentTo(secrID), "Trả lại")
	contains(t, c.Text, "12/BC-SNV", "Không kèm tệp")
	before := len(h.srv.SentTo(secrID))
	h.press(secrID, c, "Trả lại")
	prompt := one(t, h.srv.SentTo(secrID)[before:])
	contains(t, prompt.Text, "lý do")
	if tk := h.task("CCHC-01"); tk.Status != tasks.DoneReported {
		t.Fatalf("status=%s after Return alone, want still done_reported until the reason comes", tk.Status)
	}
	h.reply(secrID, prompt.MessageID, "Chưa có phụ lục số liệu")
	tk := h.task("CCHC-01")
	if tk.Status != tasks.InProgress || tk.Progress != 20 || !tk.CompletedAt.IsZero() {
		t.Fatalf("status=%s progress=%d completed=%v, want in progress at 20%% as before the report", tk.Status, tk.Progress, tk.CompletedAt)
	}
	told := h.srv.SentTo(headSNV)
	contains(t, told[len(told)-1].Text, "CCHC-01", "chưa được xác nhận", "Chưa có phụ lục số liệu", "Trần Thị Bình")
	card := h.srv.SentTo(secrID)[before-1]
	if card.Edits == 0 || len(card.Buttons) != 0 {
		t.Fatalf("card: edits=%d buttons=%v, want edited without buttons", card.Edits, card.Buttons)
	}
	contains(t, one(t, h.say(chairID, "/pending")).Text, "Không có báo cáo")
	hist := h.history("CCHC-01")
	if last := hist[len(hist)-1]; last.Via != tasks.ViaConfirm || last.Note != "Chưa có phụ lục số liệu" {
		t.Fatalf("last update via=%s note=%q, want the return with its reason", last.Via, last.Note)
	}
}

func TestConfirmDone_RequireEvidence(t *testing.T) {
	h := newHarness(t, confirmDone(true))
	got := one(t, h.say(headSNV, "CCHC-02 xong"))
	contains(t, got.Text, "CCHC-02", "tệp", "số văn bản")
	if strings.Contains(strings.TrimSpace(got.Text), "\n") {
		t.Fatalf("refusal %q is more than one line", got.Text)
	}
	if tk := h.task("CCHC-02"); tk.Status != tasks.InProgress {
		t.Fatalf("status=%s, want unchanged", tk.Status)
	}
	if n := len(h.srv.SentTo(secrID)); n != 0 {
		t.Fatalf("secretariat got %d messages for a refused report", n)
	}
	h.srv.SendDocument(user(headSNV), telegramtest.Private(user(headSNV)), 0, "FILE-2", "bao-cao.pdf", 1000, "CCHC-02 xong")
	h.step()
	if tk := h.task("CCHC-02"); tk.Status != tasks.DoneReported {
		t.Fatalf("status=%s with a file, want done_reported", tk.Status)
	}
}

// Every way a unit says done is a report when the secretariat confirms: a
// button, a reply to a reminder.
func TestConfirmDone_EveryWayIsAReport(t *testing.T) {
	h := newHarness(t, confirmDone(false))
	card := one(t, h.say(headSNV, "/task CCHC-02"))
	toast := h.press(headSNV, card, "Hoàn thành")
	contains(t, toast, "chờ xác nhận")
	if st := h.task("CCHC-02").Status; st != tasks.DoneReported {
		t.Fatalf("button: status=%s, want done_reported", st)
	}
	rem := h.remind(headSNV)
	got := one(t, h.reply(headSNV, rem.MessageID, "CCHC-03 đã hoàn thành"))
	contains(t, got.Text, "chờ xác nhận")
	if st := h.task("CCHC-03").Status; st != tasks.DoneReported {
		t.Fatalf("reply: status=%s, want done_reported", st)
	}
	lacks(t, rem.Text, "CCHC-02") // reported: no longer on the unit's list
	if n := len(h.srv.SentTo(secrID)); n != 2 {
		t.Fatalf("secretariat got %d cards, want 2", n)
	}
	// The secretariat's own done is final.
	one(t, h.say(secrID, "/update CCHC-04 xong"))
	if st := h.task("CCHC-04").Status; st != tasks.Done {
		t.Fatalf("secretariat's done: status=%s, want done", st)
	}
}

// A done the AI assistant read, once the member confirms it, is a report too.
func TestConfirmDone_AssistantProposal(t *testing.T) {
	h, fake := newAssisted(t, 5*time.Second)
	h.opts.Policy = tasks.Policy{ConfirmDone: true}
	h.restart()
	task := one(t, h.say(headSNV, "/task CCHC-02"))
	fake.Push(proposal("CCHC-02", "done", nil))
	h.reply(headSNV, task.MessageID, llmOnlyReply)
	prop := one(t, h.assist(headSNV))
	contains(t, h.press(headSNV, prop, "Xác nhận"), "chờ xác nhận")
	if st := h.task("CCHC-02").Status; st != tasks.DoneReported {
		t.Fatalf("status=%s, want done_reported", st)
	}
	contains(t, h.message(headSNV, prop.MessageID).Text, "Văn phòng Ban chỉ đạo xác nhận")
	card2 := card(t, h.srv.SentTo(secrID), "Xác nhận hoàn thành")
	contains(t, card2.Text, "CCHC-02", "Lê Văn Cường")
}

// A task awaiting confirmation shows so on its card, with the report's
// date, and offers no Done button to tap again.
func TestConfirmDone_CardShowsReport(t *testing.T) {
	h := newHarness(t, confirmDone(false))
	h.say(headSNV, "/update CCHC-02 xong")
	c := one(t, h.say(chairID, "/task CCHC-02"))
	contains(t, c.Text, "đã báo cáo hoàn thành, chờ xác nhận", "báo cáo hoàn thành ngày 16/10/2023")
	c = one(t, h.say(headSNV, "/task CCHC-02"))
	for _, l := range buttonLabels(c) {
		if strings.Contains(l, "Hoàn thành") {
			t.Fatalf("the unit still gets a Done button on a reported task: %q", buttonLabels(c))
		}
	}
}

// Files a unit adds while its report awaits confirmation reach the
// secretariat too.
func TestConfirmDone_LaterFilesForwarded(t *testing.T) {
	h := newHarness(t, confirmDone(false))
	h.say(headSNV, "/update CCHC-02 xong")
	card := one(t, h.say(headSNV, "/task CCHC-02"))
	before := len(h.srv.SentTo(secrID))
	h.srv.SendDocument(user(headSNV), telegramtest.Private(user(headSNV)), card.MessageID, "FILE-7", "phu-luc.pdf", 2000, "bổ sung phụ lục")
	h.step()
	got := one(t, h.srv.SentTo(secrID)[before:])
	if got.Document == nil || got.Document.FileID != "FILE-7" {
		t.Fatalf("secretariat got %+v, want the added file", got)
	}
	contains(t, got.Caption, "CCHC-02", "Lê Văn Cường")
	if st := h.task("CCHC-02").Status; st != tasks.DoneReported {
		t.Fatalf("status=%s, want still done_reported", st)
	}
	contains(t, one(t, h.say(chairID, "/pending")).Text, "1 tệp")
}
