package bot_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"steerbot/bot"
	"steerbot/bot/telegramtest"
	"steerbot/llm"
	"steerbot/llm/llmtest"
	"steerbot/tasks"
)

// codeless is a head's reply to the Monday reminder that names no code and
// that the rules do not read.
const codeless = "Đơn vị đã gửi dự thảo kế hoạch sang Sở Tư pháp thẩm định, dự kiến trình UBND tuần sau"

// twoInOne reports on two tasks in one sentence, naming neither.
const twoInOne = "kế hoạch CCHC 2024 đã trình, còn kiểm tra công tác CCHC mới được 40%"

// modelUpdates is a model answer to ProposeUpdates.
func modelUpdates(entries ...map[string]any) llmtest.Response {
	if entries == nil {
		entries = []map[string]any{}
	}
	return llmtest.JSON(map[string]any{"updates": entries})
}

// taskEntry is one entry about a task; progress is nil or a number.
func taskEntry(code, status string, progress any) map[string]any {
	return map[string]any{"task": code, "indicator": "", "value": "", "status": status, "progress": progress,
		"expected_date": "", "blocker": "", "note": ""}
}

func valueEntry(code, value string) map[string]any {
	return map[string]any{"task": "", "indicator": code, "value": value, "status": "", "progress": nil,
		"expected_date": "", "blocker": "", "note": ""}
}

func TestAssistTextsForSeveralTasks(t *testing.T) {
	today := tasks.Date{Year: 2023, Month: 10, Day: 16}
	if tasks.ReadReply(codeless, today).Understood || !tasks.IsAcknowledgement(codeless, today) || tasks.IsCourtesy(codeless) {
		t.Errorf("the rules read %q: the tests below need a reply only the model reads", codeless)
	}
	if tasks.IsCourtesy(twoInOne) {
		t.Errorf("%q is read as a courtesy", twoInOne)
	}
}

// TestAssistCodelessReply: a reply to a three-task reminder that names no
// code → one model request offering those three tasks → a proposal naming
// the model's task → Confirm → stored.
func TestAssistCodelessReply(t *testing.T) {
	h, fake := newAssisted(t, 5*time.Second)
	rem := h.remind(headSNV)
	if got := h.reply(headSNV, rem.MessageID, codeless); len(got) != 0 {
		t.Fatalf("the update answered %q; the answer should come from the worker", got[0].Text)
	}
	fake.Push(modelUpdates(taskEntry("CCHC-01", "", 60)))
	prop := one(t, h.assist(headSNV))
	contains(t, prop.Text, "CCHC-01", "Xây dựng Kế hoạch CCHC năm 2024", "20% → 60%", "Chưa có gì được lưu")
	if got := buttonLabels(prop); strings.Join(got, "|") != "✅ Xác nhận CCHC-01|✏️ Sửa|✖️ Huỷ" {
		t.Errorf("buttons = %q", got)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("the model was asked %d times, want 1", len(reqs))
	}
	prompt := userPrompt(t, reqs[0])
	contains(t, prompt, "CCHC-01 | Xây dựng Kế hoạch CCHC năm 2024 | in_progress | 20% | 2023-09-30",
		"CCHC-02 | Kiểm tra công tác CCHC | in_progress | 30% | 2023-10-20", "CCHC-03 | Xác định Chỉ số CCHC 2023 | not_started | 0% | 2023-12-31", codeless)
	lacks(t, prompt, "CCHC-04", "CCHC-05")
	if tk := h.task("CCHC-01"); tk.Progress != 20 {
		t.Fatalf("changed before Confirm: %d%%", tk.Progress)
	}

	h.press(headSNV, prop, "Xác nhận")
	tk := h.task("CCHC-01")
	if tk.Progress != 60 {
		t.Fatalf("after Confirm: %d%%, want 60%%", tk.Progress)
	}
	hist := h.history("CCHC-01")
	if last := hist[len(hist)-1]; last.Via != tasks.ViaLLM || last.Note != codeless {
		t.Errorf("last update = %+v, want via llm with the member's words", last)
	}
	contains(t, h.message(headSNV, prop.MessageID).Text, "CCHC-01")
}

// TestAssistAcknowledgementNeverAsks: "Dạ em nhận ạ" is acknowledged at
// once, by the rules, whatever the model.
func TestAssistAcknowledgementNeverAsks(t *testing.T) {
	h, fake := newAssisted(t, 5*time.Second)
	rem := h.remind(headSNV)
	contains(t, one(t, h.reply(headSNV, rem.MessageID, "Dạ em nhận ạ")).Text, "Đã nhận. Để báo cáo")
	card := one(t, h.say(headSNV, "/task CCHC-02"))
	h.reply(headSNV, card.MessageID, "Vâng, em xin tiếp thu ạ")
	if got := h.say(headSNV, "Dạ em cảm ơn ạ"); len(got) != 1 {
		t.Fatalf("a private thanks got %d answers, want 1", len(got))
	}
	if got := h.assist(headSNV); len(got) != 0 {
		t.Errorf("the worker answered %q", got[0].Text)
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("the model was asked %d times, want 0", n)
	}
}

// TestAssistSeveralDown: with the model down, slow or out of budget, the
// member gets the rules' answer: "received" for words the rules do not
// read, "which task?" for words they read.
func TestAssistSeveralDown(t *testing.T) {
	for _, tt := range []struct {
		name  string
		setup func(fake *llmtest.Server)
	}{
		{"APIError", func(fake *llmtest.Server) {
			fake.Script(func(openai.ChatCompletionRequest) llmtest.Response {
				return llmtest.Error(500, "server_error", "down")
			})
		}},
		{"Slow", func(fake *llmtest.Server) {
			fake.Script(func(openai.ChatCompletionRequest) llmtest.Response { return llmtest.Response{Delay: time.Hour} })
		}},
		{"Malformed", func(fake *llmtest.Server) {
			fake.Script(func(openai.ChatCompletionRequest) llmtest.Response { return llmtest.Text("CCHC-01 xong") })
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, fake := newAssisted(t, 100*time.Millisecond)
			tt.setup(fake)
			rem := h.remind(headSNV)
			h.reply(headSNV, rem.MessageID, codeless)
			contains(t, one(t, h.assist(headSNV)).Text, "Đã nhận. Để báo cáo")

			h.reply(headSNV, rem.MessageID, twoInOne)
			ask := one(t, h.assist(headSNV))
			contains(t, ask.Text, "nhiệm vụ nào")
			h.press(headSNV, ask, "CCHC-02")
			if tk := h.task("CCHC-02"); tk.Progress != 40 {
				t.Errorf("after choosing: %d%%, want 40%%", tk.Progress)
			}
		})
	}
	t.Run("OverBudget", func(t *testing.T) {
		fake := llmtest.New()
		t.Cleanup(fake.Close)
		client, err := llm.New(llm.Config{BaseURL: fake.URL(), Model: "test", DailyTokenBudget: 10})
		if err != nil {
			t.Fatal(err)
		}
		spend := modelUpdates()
		spend.Usage = openai.Usage{TotalTokens: 100}
		fake.Push(spend)
		h := newHarness(t, func(o *bot.Options) { o.Assistant = client })
		rem := h.remind(headSNV)
		h.reply(headSNV, rem.MessageID, codeless) // spends the day's budget
		contains(t, one(t, h.assist(headSNV)).Text, "Đã nhận. Để báo cáo")
		h.reply(headSNV, rem.MessageID, codeless+" nữa")
		contains(t, one(t, h.assist(headSNV)).Text, "Đã nhận. Để báo cáo")
		if n := len(fake.Requests()); n != 1 {
			t.Errorf("the model was asked %d times, want 1: the budget is spent", n)
		}
	})
}

// TestAssistTwoTasksInOneSentence: one proposal per task, each confirmed
// on its own, with a Confirm button that names its task.
func TestAssistTwoTasksInOneSentence(t *testing.T) {
	h, fake := newAssisted(t, 5*time.Second)
	rem := h.remind(headSNV)
	if got := h.reply(headSNV, rem.MessageID, twoInOne); len(got) != 0 {
		t.Fatalf("the update answered %q before the worker", got[0].Text)
	}
	fake.Push(modelUpdates(taskEntry("CCHC-01", "done", nil), taskEntry("CCHC-02", "", 40)))
	props := h.assist(headSNV)
	if len(props) != 2 {
		t.Fatalf("got %d messages, want one proposal per task", len(props))
	}
	contains(t, props[0].Text, "CCHC-01", "đã hoàn thành")
	contains(t, props[1].Text, "CCHC-02", "30% → 40%")
	lacks(t, props[0].Text, "CCHC-02")
	h.press(headSNV, props[1], "Xác nhận CCHC-02")
	if tk := h.task("CCHC-02"); tk.Progress != 40 {
		t.Errorf("CCHC-02 after its Confirm: %d%%", tk.Progress)
	}
	if tk := h.task("CCHC-01"); tk.Status != tasks.InProgress {
		t.Errorf("CCHC-01 changed by CCHC-02's Confirm: %s", tk.Status)
	}
	h.press(headSNV, props[0], "Xác nhận CCHC-01")
	if tk := h.task("CCHC-01"); tk.Status != tasks.Done {
		t.Errorf("CCHC-01 after its Confirm: %s", tk.Status)
	}
	// A task of another unit named by the model is refused like any input.
	h.reply(headSNV, rem.MessageID, twoInOne)
	fake.Push(modelUpdates(taskEntry("CCHC-04", "done", nil)))
	contains(t, one(t, h.assist(headSNV)).Text, "nhiệm vụ nào")
	if st := h.task("CCHC-04").Status; st != tasks.InProgress {
		t.Errorf("CCHC-04 changed to %s", st)
	}
}

// TestAssistIndicatorValue: an indicator's value in a private message → a
// proposal to record it → Confirm → stored as /value stores it.
func TestAssistIndicatorValue(t *testing.T) {
	h, fake := newAssisted(t, 5*time.Second)
	if err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		return tx.PutIndicator(tasks.Indicator{Code: "CT-05", Name: "Tỷ lệ hồ sơ giải quyết đúng hạn", Unit: "SNV",
			Target: tasks.Target{Cmp: tasks.AtLeast, Value: 95, Measure: "%"}, Period: tasks.CadenceMonth, State: tasks.IndicatorAssigned})
	}); err != nil {
		t.Fatal(err)
	}
	const msg = "tháng này tỷ lệ hồ sơ đúng hạn đạt 96,2%"
	if got := h.say(headSNV, msg); len(got) != 0 {
		t.Fatalf("answered %q before the worker", got[0].Text)
	}
	fake.Push(modelUpdates(valueEntry("CT-05", "96,2%")))
	prop := one(t, h.assist(headSNV))
	contains(t, prop.Text, "CT-05", "96,2%", "Chưa có gì được lưu")
	contains(t, userPrompt(t, fake.Requests()[0]), "CT-05 | Tỷ lệ hồ sơ giải quyết đúng hạn", msg)
	values := func() []tasks.IndicatorValue {
		var vs []tasks.IndicatorValue
		if err := h.st.View(h.ctx, func(tx tasks.Tx) error {
			var err error
			vs, err = tx.IndicatorValues("CT-05", 0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return vs
	}
	if vs := values(); len(vs) != 0 {
		t.Fatalf("stored before Confirm: %+v", vs)
	}
	h.press(headSNV, prop, "Xác nhận CT-05")
	vs := values()
	if len(vs) != 1 || vs[0].Value != 96.2 || vs[0].Via != tasks.ViaLLM {
		t.Fatalf("values after Confirm = %+v, want one 96.2 via llm", vs)
	}
	contains(t, h.message(headSNV, prop.MessageID).Text, "Đã lưu", "CT-05")
	contains(t, h.press(headSNV, prop, "Xác nhận"), "không còn hiệu lực")
	if n := len(values()); n != 1 {
		t.Errorf("a second press stored %d values", n)
	}
}

// sayInGroup sends text in the committee group and returns what the bot
// sent there.
func (h *harness) sayInGroup(from int64, text string) []telegramtest.Message {
	h.t.Helper()
	before := len(h.srv.SentTo(groupID))
	h.srv.SendText(user(from), telegramtest.Chat{ID: groupID, Type: "supergroup", Title: "BCĐ"}, text)
	h.step()
	return h.srv.SentTo(groupID)[before:]
}

// TestAssistDigestNarrative: /digest answers the figures at once; the
// narrative follows as an edit of that message; the same figures within
// the hour reuse it without asking the model.
func TestAssistDigestNarrative(t *testing.T) {
	h, fake := newAssisted(t, 5*time.Second)
	figs := one(t, h.sayInGroup(chairID, "/digest"))
	contains(t, figs.Text, "1/5")
	if n := len(fake.Requests()); n != 0 {
		t.Fatalf("the model was asked before the figures were answered")
	}
	const narrative = "Đã xong 1/5 nhiệm vụ; CCHC-01 của Sở Nội vụ quá hạn, cần đôn đốc."
	fake.Push(llmtest.Text(narrative))
	if got := h.assist(groupID); len(got) != 0 {
		t.Fatalf("the narrative came as a new message %q, want an edit", got[0].Text)
	}
	edited := h.message(groupID, figs.MessageID)
	contains(t, edited.Text, narrative, "1/5")
	if len(edited.Buttons) != len(figs.Buttons) {
		t.Errorf("the edit changed the buttons: %d rows, want %d", len(edited.Buttons), len(figs.Buttons))
	}

	// Within the hour: at once, with the narrative, no new request.
	h.clock.Advance(30 * time.Minute)
	again := one(t, h.sayInGroup(chairID, "/digest"))
	contains(t, again.Text, narrative)
	h.assist(groupID)
	if n := len(fake.Requests()); n != 1 {
		t.Errorf("the model was asked %d times, want 1", n)
	}

	// After the hour: asked again.
	h.clock.Advance(time.Hour)
	fake.Push(llmtest.Text(narrative))
	lacks(t, one(t, h.sayInGroup(chairID, "/digest")).Text, narrative)
	h.assist(groupID)
	if n := len(fake.Requests()); n != 2 {
		t.Errorf("the model was asked %d times after the hour, want 2", n)
	}
}

// TestAssistDigestNarrativeDropped: a narrative with a number not in the
// figures, or a model that is down, leaves the figures as they are.
func TestAssistDigestNarrativeDropped(t *testing.T) {
	h, fake := newAssisted(t, 5*time.Second)
	figs := one(t, h.say(chairID, "/digest"))
	fake.Push(llmtest.Text("Đã xong 7/9 nhiệm vụ."))
	if got := h.assist(chairID); len(got) != 0 {
		t.Fatalf("sent %q", got[0].Text)
	}
	if got := h.message(chairID, figs.MessageID).Text; got != figs.Text {
		t.Errorf("the figures were edited to %q", got)
	}
	fake.Push(llmtest.Error(503, "unavailable", "down"))
	figs = one(t, h.say(chairID, "/digest"))
	h.assist(chairID)
	if got := h.message(chairID, figs.MessageID).Text; got != figs.Text {
		t.Errorf("the figures were edited to %q", got)
	}
	if n := len(fake.Requests()); n != 2 {
		t.Errorf("the model was asked %d times, want 2 (nothing kept from a refused narrative)", n)
	}
}

func TestAskOff(t *testing.T) {
	h := newHarness(t)
	contains(t, one(t, h.say(chairID, "/ask Đơn vị nào chậm nhất?")).Text, "chưa được bật")
	lacks(t, one(t, h.say(chairID, "/help")).Text, "/ask")
	h2, _ := newAssisted(t, time.Second)
	contains(t, one(t, h2.say(chairID, "/help")).Text, "/ask")
}

// TestAssistDigestNarrativeBeforeFigures: a narrative written before the
// figures left the outbox waits for them, and is then edited in without
// asking the model again.
func TestAssistDigestNarrativeBeforeFigures(t *testing.T) {
	h, fake := newAssisted(t, 5*time.Second)
	h.srv.SendText(user(chairID), telegramtest.Private(user(chairID)), "/digest")
	if _, err := h.b.PollOnce(h.ctx, 0); err != nil {
		t.Fatal(err)
	}
	h.b.ProcessInbox(h.ctx)
	const narrative = "Đã xong 1/5 nhiệm vụ."
	fake.Push(llmtest.Text(narrative))
	h.b.AssistOnce(h.ctx) // the figures are still in the outbox
	if n := len(fake.Requests()); n != 1 {
		t.Fatalf("the model was asked %d times, want 1", n)
	}
	h.flush()
	figs := one(t, h.srv.SentTo(chairID))
	lacks(t, figs.Text, narrative)
	if got := h.assist(chairID); len(got) != 0 {
		t.Fatalf("the narrative came as a new message %q, want an edit", got[0].Text)
	}
	contains(t, h.message(chairID, figs.MessageID).Text, narrative, "1/5")
	if n := len(fake.Requests()); n != 1 {
		t.Errorf("the model was asked %d times, want 1", n)
	}
}

// TestAssistDigestNarrativeLongDigest: figures that took several messages
// cannot be edited into one: the narrative follows as a message of its
// own.
func TestAssistDigestNarrativeLongDigest(t *testing.T) {
	h, fake := newAssisted(t, 5*time.Second)
	if err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		for i := range 60 {
			tk := tasks.Task{Code: fmt.Sprintf("KH-%03d", i+1), Unit: "QHK",
				Title:    "Rà soát, đánh giá và đề xuất phương án đơn giản hóa thủ tục hành chính lĩnh vực thứ " + strconv.Itoa(i+1),
				Deadline: tasks.Date{Year: 2023, Month: 9, Day: 1}, Status: tasks.InProgress, Progress: 10,
				Group: fmt.Sprintf("Kế hoạch chuyên đề số %d về cải cách hành chính", i+1)}
			tk.Created, tk.Updated = h.clock.Now(), h.clock.Now()
			u := tasks.Update{Task: tk.Code, At: h.clock.Now(), Via: tasks.ViaImport, NewStatus: tk.Status, NewProgress: tk.Progress, NewDeadline: tk.Deadline}
			if err := tasks.Record(tx, tk, &u); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	parts := h.say(chairID, "/digest")
	if len(parts) < 2 {
		t.Fatalf("the digest took %d message(s); the test needs several", len(parts))
	}
	const narrative = "Quận Hoàn Kiếm có nhiều nhiệm vụ quá hạn, cần đôn đốc."
	fake.Push(llmtest.Text(narrative))
	got := one(t, h.assist(chairID))
	contains(t, got.Text, "Nhận định", narrative)
	for _, p := range parts {
		if m := h.message(chairID, p.MessageID); m.Text != p.Text {
			t.Errorf("a part of the figures was edited to %q", m.Text)
		}
	}
}
