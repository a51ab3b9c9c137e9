package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"steerbot/bot"
	"steerbot/bot/telegramtest"
	"steerbot/tasks"
)

func TestButtonsOnTaskCard(t *testing.T) {
	h := newHarness(t)
	card := one(t, h.say(headSNV, "/task CCHC-03"))

	toast := h.press(headSNV, card, "Cập nhật tiến độ")
	_ = toast
	ask := h.srv.SentTo(headSNV)[len(h.srv.SentTo(headSNV))-1]
	contains(t, ask.Text, "CCHC-03", "0%")
	h.press(headSNV, ask, "75%")
	if tk := h.task("CCHC-03"); tk.Progress != 75 || tk.Status != tasks.InProgress {
		t.Fatalf("after 75%% button: %s %d%%", tk.Status, tk.Progress)
	}
	edited := h.srv.SentTo(headSNV)[len(h.srv.SentTo(headSNV))-1]
	if edited.MessageID != ask.MessageID || edited.Edits == 0 {
		t.Fatalf("the progress question was not edited: %+v", edited)
	}
	contains(t, edited.Text, "75%")

	// A typed percentage in reply to the question works too.
	card = one(t, h.say(headSNV, "/task CCHC-03"))
	h.press(headSNV, card, "Cập nhật tiến độ")
	ask = h.srv.SentTo(headSNV)[len(h.srv.SentTo(headSNV))-1]
	contains(t, one(t, h.reply(headSNV, ask.MessageID, "85% đã xong phần khảo sát")).Text, "85%")
	if tk := h.task("CCHC-03"); tk.Progress != 85 {
		t.Fatalf("typed progress: %d%%", tk.Progress)
	}

	toast = h.press(headSNV, card, "Hoàn thành")
	contains(t, toast, "CCHC-03", "đã hoàn thành")
	if tk := h.task("CCHC-03"); tk.Status != tasks.Done {
		t.Fatalf("after Done: %s", tk.Status)
	}
	after := h.srv.History(headSNV)
	var card2 telegramtest.Message
	for _, m := range after {
		if m.MessageID == card.MessageID {
			card2 = m
		}
	}
	if card2.Edits == 0 || !strings.Contains(card2.Text, "đã hoàn thành") || len(card2.Buttons) != 0 {
		t.Errorf("the card was not edited to show the new state: edits=%d %q buttons=%v", card2.Edits, card2.Text, card2.Buttons)
	}
	hist := h.history("CCHC-03")
	if last := hist[len(hist)-1]; last.Via != tasks.ViaButton || last.NewStatus != tasks.Done {
		t.Errorf("last update = %+v", last)
	}
}

func TestForgedAndForeignButtons(t *testing.T) {
	h := newHarness(t)
	card := one(t, h.say(headSNV, "/task CCHC-01"))
	data := card.Buttons[0][0].Data

	// Forged: the same shape, another task, the old signature.
	forged := strings.Replace(data, "CCHC-01", "CCHC-04", 1)
	toast := h.pressData(headQHK, headQHK, card.MessageID, forged)
	contains(t, toast, "không còn hiệu lực")
	for _, junk := range []string{"d|CCHC-04", "d|CCHC-04~AAAAAAAA", "", strings.Repeat("x", 64)} {
		contains(t, h.pressData(headQHK, headQHK, card.MessageID, junk), "không còn hiệu lực")
	}
	if st := h.task("CCHC-04").Status; st != tasks.InProgress {
		t.Fatalf("a forged button changed CCHC-04 to %s", st)
	}
	// A genuine button pressed by another unit's head.
	toast = h.pressData(headQHK, headQHK, card.MessageID, data)
	contains(t, toast, "thuộc đơn vị khác")
	if st := h.task("CCHC-01").Status; st != tasks.InProgress {
		t.Fatalf("a foreign press changed CCHC-01 to %s", st)
	}
	// And by a stranger.
	contains(t, h.pressData(strangerID, strangerID, card.MessageID, data), "chưa được liên kết")
}

func TestReplyToReminder(t *testing.T) {
	h := newHarness(t)
	// A reminder covering several tasks.
	rem := h.remind(headSNV)
	got := h.reply(headSNV, rem.MessageID, "Đã hoàn thành, đã ban hành kế hoạch ạ")
	ask := one(t, got)
	contains(t, ask.Text, "nhiệm vụ nào")
	if len(ask.Buttons) != 3 {
		t.Fatalf("want one button per open task, got %v", ask.Buttons)
	}
	if st := h.task("CCHC-01").Status; st != tasks.InProgress {
		t.Fatalf("applied before the choice: %s", st)
	}
	h.press(headSNV, ask, "CCHC-01")
	if tk := h.task("CCHC-01"); tk.Status != tasks.Done {
		t.Fatalf("after choosing: %s", tk.Status)
	}
	hist := h.history("CCHC-01")
	if last := hist[len(hist)-1]; last.Via != tasks.ViaReply || last.Note != "Đã hoàn thành, đã ban hành kế hoạch ạ" {
		t.Errorf("last update = %+v", last)
	}
	// The choice cannot be replayed.
	contains(t, h.press(headSNV, ask, "CCHC-02"), "không còn hiệu lực")

	// One task in the message: applied at once.
	card := one(t, h.say(headSNV, "/task CCHC-02"))
	contains(t, one(t, h.reply(headSNV, card.MessageID, "đang triển khai, được 60%")).Text, "Đã lưu", "60%")
	if tk := h.task("CCHC-02"); tk.Progress != 60 {
		t.Errorf("CCHC-02 progress %d", tk.Progress)
	}
	// A blocker.
	m := one(t, h.reply(headSNV, card.MessageID, "vướng mặt bằng, chưa có kinh phí"))
	contains(t, m.Text, "Vướng mắc")
	if tk := h.task("CCHC-02"); tk.Blocker == "" || tk.Progress != 60 {
		t.Errorf("blocker not recorded: %+v", tk)
	}
	contains(t, one(t, h.say(headSNV, "/task CCHC-02")).Text, "Vướng mắc")
	contains(t, one(t, h.say(chairID, "/digest")).Text, "Vướng mắc (1)", "CCHC-02")
	// Text the rules cannot read: kept as a note, status unchanged, buttons shown.
	before := h.task("CCHC-02")
	m = one(t, h.reply(headSNV, card.MessageID, "Đã họp với các phòng chuyên môn sáng nay"))
	contains(t, m.Text, "ghi chú", "trạng thái giữ nguyên")
	if len(m.Buttons) == 0 {
		t.Error("no buttons offered after an unreadable reply")
	}
	if tk := h.task("CCHC-02"); tk.Status != before.Status || tk.Progress != before.Progress || tk.Note != "Đã họp với các phòng chuyên môn sáng nay" {
		t.Errorf("unreadable reply changed the task: %+v", tk)
	}
	// A coordinating unit replying to its own copy of the card is refused.
	co := one(t, h.say(headQHK, "/task CCHC-02"))
	contains(t, one(t, h.reply(headQHK, co.MessageID, "xong")).Text, "thuộc đơn vị khác")
	if st := h.task("CCHC-02").Status; st != tasks.InProgress {
		t.Errorf("another unit's reply changed CCHC-02 to %s", st)
	}
}

// remind sends the head a reminder with all their unit's open tasks, as the
// scheduler does, and returns it as delivered.
func (h *harness) remind(head int64) telegramtest.Message {
	h.t.Helper()
	err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		m, err := tx.MemberByTelegram(head)
		if err != nil {
			return err
		}
		ts, err := tx.Tasks(tasks.TaskFilter{Unit: m.Unit, OpenOnly: true})
		if err != nil {
			return err
		}
		u, _ := tx.Unit(m.Unit)
		return h.b.Remind(tx, tasks.Reminder{Kind: tasks.RemindWeekly, Key: "weekly:test:" + m.Unit, Member: m, Unit: u, Tasks: ts,
			Timeline: tasks.Timeline{Now: h.clock.Now(), Loc: h.loc, DueSoonDays: 7}})
	})
	if err != nil {
		h.t.Fatal(err)
	}
	h.flush()
	msgs := h.srv.SentTo(head)
	return msgs[len(msgs)-1]
}

func TestEvidence(t *testing.T) {
	h := newHarness(t)
	card := one(t, h.say(headSNV, "/task CCHC-02"))
	h.srv.SendDocument(user(headSNV), telegramtest.Private(user(headSNV)), card.MessageID, "FILE-1", "bien-ban-kiem-tra.pdf", 52000, "đã kiểm tra 5 quận, 80%")
	h.step()
	msgs := h.srv.SentTo(headSNV)
	contains(t, msgs[len(msgs)-1].Text, "80%", "1 tệp minh chứng")
	hist := h.history("CCHC-02")
	last := hist[len(hist)-1]
	if len(last.Attachments) != 1 || last.Attachments[0].FileID != "FILE-1" || last.Attachments[0].Name != "bien-ban-kiem-tra.pdf" || last.Attachments[0].Size != 52000 || last.By == 0 {
		t.Fatalf("evidence not on the history: %+v", last)
	}
	// A photo alone: evidence, no status change.
	h.srv.SendPhoto(user(headSNV), telegramtest.Private(user(headSNV)), card.MessageID, "PHOTO-1", "anh.jpg", 1000, "")
	h.step()
	msgs = h.srv.SentTo(headSNV)
	contains(t, msgs[len(msgs)-1].Text, "minh chứng", "CCHC-02")
	// The card lists the evidence and resends it.
	card = one(t, h.say(chairID, "/task CCHC-02"))
	contains(t, card.Text, "Minh chứng", "bien-ban-kiem-tra.pdf")
	h.press(chairID, card, "bien-ban")
	sent := h.srv.SentTo(chairID)
	doc := sent[len(sent)-1]
	if doc.Document == nil || doc.Document.FileID != "FILE-1" {
		t.Fatalf("evidence not resent: %+v", doc)
	}
}

func TestExtension(t *testing.T) {
	for _, verdict := range []string{"Đồng ý", "Không đồng ý"} {
		t.Run(verdict, func(t *testing.T) {
			h := newHarness(t)
			m := one(t, h.say(headSNV, "/extend CCHC-01 15/11/2023 chờ ý kiến thẩm định"))
			contains(t, m.Text, "CCHC-01", "2 lãnh đạo")
			a, b := one(t, h.srv.SentTo(chairID)), one(t, h.srv.SentTo(vice))
			contains(t, a.Text, "CCHC-01", "30/09/2023", "15/11/2023", "chờ ý kiến thẩm định", "Lê Văn Cường")
			if tk := h.task("CCHC-01"); tk.Deadline.String() != "2023-09-30" {
				t.Fatalf("deadline moved before a decision: %s", tk.Deadline)
			}
			// Both deciders tap at once: both updates arrive in one batch.
			h.srv.Press(user(chairID), telegramtest.Private(user(chairID)), a.MessageID, buttonData(t, a, verdict))
			other := "Đồng ý"
			if verdict == other {
				other = "Không đồng ý"
			}
			h.srv.Press(user(vice), telegramtest.Private(user(vice)), b.MessageID, buttonData(t, b, other))
			h.step()
			tk := h.task("CCHC-01")
			var exts []tasks.ExtensionRequest
			_ = h.st.View(h.ctx, func(tx tasks.Tx) error { exts, _ = tx.Extensions(""); return nil })
			if len(exts) != 1 || exts[0].DeciderID == 0 {
				t.Fatalf("extensions = %+v", exts)
			}
			if verdict == "Đồng ý" {
				if tk.Deadline.String() != "2023-11-15" || exts[0].State != tasks.ExtApproved {
					t.Fatalf("approved: deadline %s state %s", tk.Deadline, exts[0].State)
				}
				hist := h.history("CCHC-01")
				if last := hist[len(hist)-1]; last.Via != tasks.ViaDecision || last.NewDeadline.String() != "2023-11-15" {
					t.Errorf("no update records the new deadline: %+v", last)
				}
			} else if tk.Deadline.String() != "2023-09-30" || exts[0].State != tasks.ExtRejected {
				t.Fatalf("rejected: deadline %s state %s", tk.Deadline, exts[0].State)
			}
			// Both copies now say who decided; the loser's tap changed nothing.
			for _, c := range []int64{chairID, vice} {
				m := h.srv.History(c)[0]
				contains(t, m.Text, "Nguyễn Văn An")
				if len(m.Buttons) != 0 {
					t.Errorf("decided request still has buttons in chat %d", c)
				}
			}
			told := h.srv.SentTo(headSNV)
			contains(t, told[len(told)-1].Text, "CCHC-01", "Nguyễn Văn An")
		})
	}
	h := newHarness(t)
	contains(t, one(t, h.say(headSNV, "/extend CCHC-01 01/09/2023 lý do")).Text, "phải sau")
	contains(t, one(t, h.say(headSNV, "/extend CCHC-01 15/11/2023")).Text, "Cú pháp")
	contains(t, one(t, h.say(headSNV, "/extend CCHC-04 15/11/2023 x")).Text, "thuộc đơn vị khác")
	contains(t, one(t, h.say(chairID, "/extend CCHC-01 15/11/2023 x")).Text, "Chỉ đơn vị chủ trì")
	one(t, h.say(headSNV, "/extend CCHC-02 15/11/2023 chờ"))
	contains(t, one(t, h.say(headSNV, "/extend CCHC-02 20/11/2023 chờ")).Text, "đang chờ quyết định")
	// The button flow: a prompt, then a reply with the date and reason.
	card := one(t, h.say(headSNV, "/task CCHC-03"))
	h.press(headSNV, card, "Xin gia hạn")
	prompt := h.srv.SentTo(headSNV)[len(h.srv.SentTo(headSNV))-1]
	contains(t, prompt.Text, "CCHC-03", "thời hạn mới")
	contains(t, one(t, h.reply(headSNV, prompt.MessageID, "31/01/2024 chờ số liệu")).Text, "Đã gửi đề nghị gia hạn")
}

func buttonData(t *testing.T, m telegramtest.Message, label string) string {
	t.Helper()
	for _, row := range m.Buttons {
		for _, b := range row {
			if b.Text == label || strings.HasSuffix(b.Text, " "+label) || strings.Contains(b.Text, " "+label+" ") {
				return b.Data
			}
		}
	}
	t.Fatalf("no button %q in %v", label, m.Buttons)
	return ""
}

func TestProposalDecision(t *testing.T) {
	h := newHarness(t)
	one(t, h.say(headSNV, "/update CCHC-02 chuyển tiếp sang năm 2024"))
	if st := h.task("CCHC-02").Status; st != tasks.ProposedCarryover {
		t.Fatalf("a unit's carry-over is a proposal, got %s", st)
	}
	d := one(t, h.say(chairID, "/digest"))
	contains(t, d.Text, "Chờ Ban chỉ đạo quyết định (1)", "CCHC-02")
	// The secretariat sees the item but may not decide.
	if s := one(t, h.say(secrID, "/digest")); len(s.Buttons) != 0 {
		t.Errorf("the secretariat got decision buttons %v", s.Buttons)
	}
	contains(t, h.pressData(secrID, secrID, d.MessageID, d.Buttons[0][0].Data), "Chỉ Trưởng/Phó Trưởng ban")
	h.press(chairID, d, "✅ Đồng ý chuyển tiếp CCHC-02")
	if st := h.task("CCHC-02").Status; st != tasks.CarriedOver {
		t.Fatalf("approved carry-over: %s", st)
	}
	// The digest stays as it was; the outcome is said below it.
	chat := h.srv.History(chairID)
	for _, m := range chat {
		if m.MessageID == d.MessageID && !strings.Contains(m.Text, "Chờ Ban chỉ đạo quyết định") {
			t.Errorf("the digest was overwritten by the decision: %q", m.Text)
		}
		if m.MessageID == d.MessageID && len(m.Buttons) != 0 {
			t.Errorf("the decided item's buttons are still on the digest: %v", m.Buttons)
		}
	}
	contains(t, chat[len(chat)-1].Text, "CCHC-02", "chuyển tiếp", "Nguyễn Văn An")
	contains(t, h.srv.SentTo(headSNV)[len(h.srv.SentTo(headSNV))-1].Text, "CCHC-02", "chuyển tiếp")
	// Decided: the unit can no longer change it.
	contains(t, one(t, h.say(headSNV, "/update CCHC-02 đang triển khai")).Text, "đã được Ban chỉ đạo quyết định")

	one(t, h.say(headSNV, "/update CCHC-03 đề xuất dừng do trùng với nhiệm vụ của Sở Tư pháp"))
	ask := h.srv.SentTo(vice)[len(h.srv.SentTo(vice))-1]
	contains(t, ask.Text, "CCHC-03", "Sở Nội vụ (Lê Văn Cường)", "đề xuất dừng thực hiện", "Lý do: do trùng với nhiệm vụ của Sở Tư pháp")
	h.press(vice, ask, "Không đồng ý")
	if st := h.task("CCHC-03").Status; st != tasks.InProgress {
		t.Fatalf("rejected stop: %s", st)
	}
	// The chair's copy now says who decided, and has no buttons left.
	for _, m := range h.srv.History(chairID) {
		if strings.Contains(m.Text, "CCHC-03") && len(m.Buttons) != 0 {
			t.Errorf("the chair's copy still offers a decision: %q", m.Text)
		}
	}
}

func TestRedeliveryAndRestart(t *testing.T) {
	h := newHarness(t)
	// Updates confirmed to Telegram (fetched into the inbox) but not yet
	// handled when the process dies.
	for i := 0; i < 5; i++ {
		h.srv.SendText(user(headSNV), telegramtest.Private(user(headSNV)), "/update CCHC-03 "+[]string{"10", "20", "30", "40", "50"}[i]+"%")
	}
	for i := 0; i < 2; i++ { // the second call confirms the first batch
		if _, err := h.b.PollOnce(h.ctx, 0); err != nil {
			t.Fatal(err)
		}
	}
	if n := h.srv.PendingUpdates(); n != 0 {
		t.Fatalf("%d updates not confirmed", n)
	}
	h.restart()
	h.step()
	got := h.srv.SentTo(headSNV)
	if len(got) != 5 {
		t.Fatalf("after restart %d answers, want 5", len(got))
	}
	for i, m := range got {
		contains(t, m.Text, []string{"10%", "20%", "30%", "40%", "50%"}[i])
	}
	if tk := h.task("CCHC-03"); tk.Progress != 50 || len(h.history("CCHC-03")) != 6 {
		t.Fatalf("progress %d, %d updates; want 50 and 6", tk.Progress, len(h.history("CCHC-03")))
	}
	// Telegram delivers one of them again (an offset lost upstream): ignored.
	raw := h.srv.NewTextUpdate(user(headSNV), telegramtest.Private(user(headSNV)), "/update CCHC-03 90%")
	var upd map[string]any
	_ = json.Unmarshal(raw, &upd)
	upd["update_id"] = 1
	again, _ := json.Marshal(upd)
	h.b.Deliver(h.ctx, again)
	h.restart()
	h.step()
	if n := len(h.srv.SentTo(headSNV)); n != 5 {
		t.Fatalf("a redelivered update was answered again (%d answers)", n)
	}
	if tk := h.task("CCHC-03"); tk.Progress != 50 {
		t.Fatalf("a redelivered update changed the task to %d%%", tk.Progress)
	}
}

// panicky is a Reminding that panics, to test recovery.
type panicky struct{}

func (panicky) RemindNow(tasks.RosterTx, string, string) (int, error) { panic("boom") }

func TestPanicRecovered(t *testing.T) {
	h := newHarness(t, func(o *bot.Options) { o.Reminders = panicky{} })
	m := one(t, h.say(secrID, "/remind"))
	contains(t, m.Text, "Xin lỗi", "Không có gì bị thay đổi")
	// The bot goes on.
	contains(t, one(t, h.say(headSNV, "/update CCHC-03 40%")).Text, "40%")
	_ = context.Background
}

func TestUpdateIDsRestartAfterAQuietWeek(t *testing.T) {
	h := newHarness(t)
	one(t, h.say(headSNV, "/task CCHC-01"))
	// A quiet week; Telegram then restarts update ids below the stored
	// offset.
	if err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		_, last, err := tx.UpdateOffset()
		if err != nil {
			return err
		}
		return tx.PutUpdateOffset(9001, last)
	}); err != nil {
		t.Fatal(err)
	}
	h.clock.Set(h.clock.Now().Add(8 * 24 * time.Hour))
	m := one(t, h.say(headSNV, "/update CCHC-03 40%"))
	contains(t, m.Text, "40%")
	// And the next one, after the new offset.
	contains(t, one(t, h.say(headSNV, "/update CCHC-03 50%")).Text, "50%")
}

func TestGroupUpgradedToSupergroup(t *testing.T) {
	const newGroup int64 = -1009999
	var migrated int
	h := newHarness(t, func(o *bot.Options) {
		target, _ := url.Parse(o.APIURL)
		proxy := httputil.NewSingleHostReverseProxy(target)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/sendMessage") {
				if err := r.ParseMultipartForm(1 << 20); err == nil && r.FormValue("chat_id") == fmt.Sprint(groupID) {
					migrated++
					w.Header().Set("Content-Type", "application/json")
					fmt.Fprintf(w, `{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":%d}}`, newGroup)
					return
				}
				// ParseMultipartForm consumed the body: rebuild it.
				var body bytes.Buffer
				mw := multipart.NewWriter(&body)
				for k, vs := range r.MultipartForm.Value {
					for _, v := range vs {
						_ = mw.WriteField(k, v)
					}
				}
				_ = mw.Close()
				r.Body = io.NopCloser(&body)
				r.ContentLength = int64(body.Len())
				r.Header.Set("Content-Type", mw.FormDataContentType())
			}
			proxy.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		o.APIURL = srv.URL
	})
	escalate := func(code string) {
		err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
			tk, err := tx.Task(code)
			if err != nil {
				return err
			}
			return h.b.Escalate(tx, "esc:"+code, []tasks.Escalation{{Key: "esc:" + code, Task: tk, DaysLate: 5}})
		})
		if err != nil {
			t.Fatal(err)
		}
		h.flush()
	}
	escalate("CCHC-01")
	escalate("CCHC-02")
	got := h.srv.SentTo(newGroup)
	if len(got) != 2 || !strings.Contains(got[0].Text, "CCHC-01") || !strings.Contains(got[1].Text, "CCHC-02") {
		t.Fatalf("messages to the supergroup: %v", got)
	}
	if migrated != 1 {
		t.Errorf("the old group id was tried %d times, want once", migrated)
	}
}

func TestFreeTextNamingTasks(t *testing.T) {
	h := newHarness(t)
	// A bare code or a question shows the task and stores nothing.
	before := len(h.history("CCHC-01"))
	contains(t, one(t, h.say(headSNV, "cchc-01")).Text, "CCHC-01", "Xây dựng Kế hoạch")
	contains(t, one(t, h.say(headSNV, "CCHC-01 thế nào rồi?")).Text, "CCHC-01", "Thời hạn")
	if n := len(h.history("CCHC-01")); n != before {
		t.Errorf("looking at a task recorded %d updates", n-before)
	}
	// A code and a report update that task.
	contains(t, one(t, h.say(headSNV, "CCHC-03: đã triển khai được 30%")).Text, "Đã lưu", "CCHC-03", "30%")
	// In reply to a message with several tasks, naming one picks it.
	rem := h.remind(headSNV)
	contains(t, one(t, h.reply(headSNV, rem.MessageID, "CCHC-02 đã hoàn thành")).Text, "Đã lưu", "CCHC-02")
	if st := h.task("CCHC-02").Status; st != tasks.Done {
		t.Errorf("CCHC-02 = %s", st)
	}
}

func TestGroupRepliesAreTalkUnlessAUnitReports(t *testing.T) {
	h := newHarness(t)
	group := telegramtest.Chat{ID: groupID, Type: "supergroup", Title: "BCĐ"}
	err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		tk, err := tx.Task("CCHC-01")
		if err != nil {
			return err
		}
		return h.b.Escalate(tx, "esc:1", []tasks.Escalation{{Key: "esc:1", Task: tk, DaysLate: 16}})
	})
	if err != nil {
		t.Fatal(err)
	}
	h.flush()
	esc := h.srv.SentTo(groupID)[0]
	before := len(h.srv.SentTo(groupID))
	h.srv.Reply(user(secrID), group, esc.MessageID, "Đề nghị Sở Nội vụ khẩn trương hoàn thành trong tuần này")
	h.srv.Reply(user(chairID), group, esc.MessageID, "xong chưa?")
	h.srv.Reply(user(headQHK), group, esc.MessageID, "xong")
	h.srv.SendText(user(strangerID), group, "/digest")
	h.step()
	if got := h.srv.SentTo(groupID)[before:]; len(got) != 0 {
		t.Fatalf("the bot answered group talk: %q", got[0].Text)
	}
	if tk := h.task("CCHC-01"); tk.Status != tasks.InProgress || tk.Progress != 20 {
		t.Fatalf("group talk changed CCHC-01: %s %d%%", tk.Status, tk.Progress)
	}
	// The lead unit's head reporting in the group is read.
	h.srv.Reply(user(headSNV), group, esc.MessageID, "đạt 60%")
	h.step()
	if tk := h.task("CCHC-01"); tk.Progress != 60 {
		t.Fatalf("the head's report in the group: %d%%", tk.Progress)
	}
}

func TestChairsTapInsteadOfTyping(t *testing.T) {
	h := newHarness(t)
	units := one(t, h.say(chairID, "/tasks"))
	h.press(chairID, units, "QHK")
	last := h.srv.SentTo(chairID)[len(h.srv.SentTo(chairID))-1]
	contains(t, last.Text, "UBND quận Hoàn Kiếm", "CCHC-04")

	one(t, h.say(headSNV, "/update CCHC-02 đề xuất dừng vì trùng nhiệm vụ"))
	one(t, h.say(headSNV, "/extend CCHC-01 15/11/2023 chờ thẩm định"))
	card := one(t, h.say(chairID, "/task CCHC-02"))
	h.press(chairID, card, "Đồng ý")
	if st := h.task("CCHC-02").Status; st != tasks.Stopped {
		t.Fatalf("approved from the card: %s", st)
	}
	card = one(t, h.say(vice, "/task CCHC-01"))
	contains(t, card.Text, "Đề nghị gia hạn đến 15/11/2023", "chờ thẩm định")
	h.press(vice, card, "Đồng ý")
	if d := h.task("CCHC-01").Deadline.String(); d != "2023-11-15" {
		t.Fatalf("extension approved from the card: deadline %s", d)
	}
}

func TestErrorsNameTheTask(t *testing.T) {
	h := newHarness(t)
	card := one(t, h.say(headSNV, "/task CCHC-03"))
	h.press(headSNV, card, "Cập nhật tiến độ")
	ask := h.srv.SentTo(headSNV)[len(h.srv.SentTo(headSNV))-1]
	contains(t, one(t, h.reply(headSNV, ask.MessageID, "150%")).Text, "CCHC-03", "từ 0 đến 100")
	contains(t, one(t, h.say(headSNV, "/update CCHC-03 maybe")).Text, "CCHC-03", "không phải tiến độ")
}

func TestReplyCoveringSeveralTasks(t *testing.T) {
	h := newHarness(t)
	rem := h.remind(headSNV)
	got := h.reply(headSNV, rem.MessageID, "CCHC-01 xong, CCHC-03 được 50%")
	if len(got) != 2 {
		t.Fatalf("want one confirmation per task, got %d", len(got))
	}
	if tk := h.task("CCHC-01"); tk.Status != tasks.Done {
		t.Errorf("CCHC-01 = %s %d%%, want done", tk.Status, tk.Progress)
	}
	if tk := h.task("CCHC-03"); tk.Progress != 50 {
		t.Errorf("CCHC-03 = %d%%, want 50%%", tk.Progress)
	}
	// An acknowledgement is not a report: one line, nothing stored.
	before := len(h.history("CCHC-02"))
	contains(t, one(t, h.reply(headSNV, rem.MessageID, "Dạ em nhận ạ")).Text, "Đã nhận")
	if len(h.history("CCHC-02")) != before {
		t.Error("an acknowledgement was stored")
	}
}

func TestExtensionAskedInWords(t *testing.T) {
	h := newHarness(t)
	card := one(t, h.say(headSNV, "/task CCHC-02"))
	contains(t, one(t, h.reply(headSNV, card.MessageID, "xin gia hạn đến 30/11/2023 vì chờ kinh phí")).Text, "Đã gửi đề nghị gia hạn", "CCHC-02")
	ask := one(t, h.srv.SentTo(chairID))
	contains(t, ask.Text, "30/11/2023", "chờ kinh phí")
	if d := h.task("CCHC-02").Deadline.String(); d != "2023-10-20" {
		t.Errorf("the deadline moved before a decision: %s", d)
	}
	// The prompt's answer may put the date anywhere.
	card = one(t, h.say(headSNV, "/task CCHC-03"))
	h.press(headSNV, card, "Xin gia hạn")
	prompt := h.srv.SentTo(headSNV)[len(h.srv.SentTo(headSNV))-1]
	contains(t, one(t, h.reply(headSNV, prompt.MessageID, "đến 31/01/2024, vì chờ số liệu")).Text, "Đã gửi đề nghị gia hạn", "31/01/2024")
}

// albumPhoto is one photo of an album replying to a bot message, as
// Telegram delivers it: a message of its own with the album's id.
func albumPhoto(album string, updateID int64, msgID, replyTo int, fileID, caption string) []byte {
	upd := map[string]any{
		"update_id": updateID,
		"message": map[string]any{
			"message_id": msgID, "date": 1697420000, "media_group_id": album,
			"from":    map[string]any{"id": headSNV, "is_bot": false, "first_name": "Cường"},
			"chat":    map[string]any{"id": headSNV, "type": "private"},
			"photo":   []map[string]any{{"file_id": fileID, "file_unique_id": "U" + fileID, "width": 800, "height": 600, "file_size": 1000}},
			"caption": caption,
			"reply_to_message": map[string]any{
				"message_id": replyTo, "date": 1697420000,
				"from": map[string]any{"id": 1000, "is_bot": true, "first_name": "bot"},
				"chat": map[string]any{"id": headSNV, "type": "private"},
			},
		},
	}
	raw, _ := json.Marshal(upd)
	return raw
}

func TestAlbumOfEvidence(t *testing.T) {
	h := newHarness(t)
	// To a one-task message: one update with three files, one confirmation.
	card := one(t, h.say(headSNV, "/task CCHC-02"))
	before := len(h.srv.SentTo(headSNV))
	for i, id := range []string{"PA1", "PA2", "PA3"} {
		caption := ""
		if i == 0 {
			caption = "biên bản kiểm tra"
		}
		h.b.Deliver(h.ctx, albumPhoto("album-1", int64(9001+i), 900+i, card.MessageID, id, caption))
	}
	h.flush()
	if got := h.srv.SentTo(headSNV)[before:]; len(got) != 1 {
		t.Fatalf("an album of 3 photos got %d answers, want 1", len(got))
	}
	files := 0
	for _, u := range h.history("CCHC-02") {
		files += len(u.Attachments)
	}
	if files != 3 {
		t.Fatalf("%d photos on the history, want 3", files)
	}
	// To a reminder of several tasks: one question, all files with the choice.
	rem := h.remind(headSNV)
	before = len(h.srv.SentTo(headSNV))
	for i, id := range []string{"PB1", "PB2"} {
		h.b.Deliver(h.ctx, albumPhoto("album-2", int64(9101+i), 950+i, rem.MessageID, id, ""))
	}
	h.flush()
	got := h.srv.SentTo(headSNV)[before:]
	if len(got) != 1 || !strings.Contains(got[0].Text, "nhiệm vụ nào") {
		t.Fatalf("want one question for the album, got %d messages", len(got))
	}
	h.press(headSNV, got[0], "CCHC-03")
	hist := h.history("CCHC-03")
	if last := hist[len(hist)-1]; len(last.Attachments) != 2 {
		t.Fatalf("the chosen task got %d photos, want 2", len(last.Attachments))
	}
}

func TestLooseCodeInFreeText(t *testing.T) {
	h := newHarness(t)
	contains(t, one(t, h.say(headSNV, "cchc3 đạt 40%")).Text, "Đã lưu", "CCHC-03", "40%")
	if tk := h.task("CCHC-03"); tk.Progress != 40 {
		t.Fatalf("CCHC-03 = %d%%", tk.Progress)
	}
}
