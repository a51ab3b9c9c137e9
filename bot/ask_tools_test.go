package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"steerbot/bot"
	"steerbot/llm"
	"steerbot/llm/llmtest"
	"steerbot/tasks"
)

// toolResults returns the results of tools that the model was sent in req,
// in order.
func toolResults(req openai.ChatCompletionRequest) []string {
	var out []string
	for _, m := range req.Messages {
		if m.Role == openai.ChatMessageRoleTool {
			out = append(out, m.Content)
		}
	}
	return out
}

// memberOf returns the member with Telegram id tg.
func (h *harness) memberOf(tg int64) tasks.Member {
	h.t.Helper()
	var m tasks.Member
	if err := h.st.View(h.ctx, func(tx tasks.Tx) error {
		var err error
		m, err = tx.MemberByTelegram(tg)
		return err
	}); err != nil {
		h.t.Fatal(err)
	}
	return m
}

// TestAssistAsk: /ask with a scripted model that calls the tools: the
// answer, whose numbers come from the tools, is shown; an answer with an
// invented number never is.
func TestAssistAsk(t *testing.T) {
	h, fake := newAssisted(t, 5*time.Second)
	if got := h.say(chairID, "/ask Đơn vị nào chậm nhất?"); len(got) != 0 {
		t.Fatalf("answered %q before the worker", got[0].Text)
	}
	const answer = "Sở Nội vụ chậm nhất: CCHC-01 quá hạn 16 ngày, tiến độ 20%."
	fake.Push(llmtest.Calls(llmtest.Call("c1", "list_tasks", `{"status":"overdue"}`), llmtest.Call("c2", "scorecard", `{}`)),
		llmtest.Text(answer))
	contains(t, one(t, h.assist(chairID)).Text, answer)
	reqs := fake.Requests()
	if len(reqs) != 2 {
		t.Fatalf("the model was asked %d times, want 2 (a round of tools, then the answer)", len(reqs))
	}
	var names []string
	for _, tool := range reqs[0].Tools {
		names = append(names, tool.Function.Name)
	}
	contains(t, strings.Join(names, " "), "list_tasks", "task_history", "scorecard", "meetings", "digest_at")
	contains(t, userPrompt(t, reqs[0]), "Đơn vị nào chậm nhất?")
	res := toolResults(reqs[1])
	if len(res) != 2 {
		t.Fatalf("tool results %q, want 2", res)
	}
	contains(t, res[0], `"code":"CCHC-01"`, `"days_late":16`, `"unit_name":"Sở Nội vụ"`, `"count":1`)
	lacks(t, res[0], "CCHC-04")
	contains(t, res[1], `"unit":"QHK"`, `"unit_name":"UBND quận Hoàn Kiếm"`)

	// An invented number: the answer is not shown.
	h.say(chairID, "/ask Đơn vị nào chậm nhất?")
	fake.Push(llmtest.Calls(llmtest.Call("c1", "list_tasks", `{"status":"overdue"}`)), llmtest.Text("Sở Nội vụ: CCHC-01 quá hạn 17 ngày."))
	got := one(t, h.assist(chairID)).Text
	contains(t, got, "không được hiển thị")
	lacks(t, got, "17")

	// A plain question in a private chat goes the same way.
	fake.Push(llmtest.Calls(llmtest.Call("c1", "list_tasks", `{"unit":"Sở Nội vụ","status":"overdue"}`)), llmtest.Text(answer))
	h.say(secrID, "Sở Nội vụ còn những nhiệm vụ nào quá hạn?")
	contains(t, one(t, h.assist(secrID)).Text, answer)

	// A unit head may not ask: the model is not asked.
	n := len(fake.Requests())
	contains(t, one(t, h.say(headSNV, "/ask Đơn vị nào chậm nhất?")).Text, "Chỉ Lãnh đạo Ban")
	if got := len(fake.Requests()); got != n {
		t.Errorf("the model was asked %d more times for a unit head, want 0", got-n)
	}
}

// TestAssistAskComparesMeetings: "progress of a plan against the previous
// meeting" is answered from the digest sent at that meeting and today's.
func TestAssistAskComparesMeetings(t *testing.T) {
	h, fake := newAssisted(t, 5*time.Second)
	sent := time.Date(2023, 10, 9, 8, 0, 0, 0, h.loc)
	if err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		m := tasks.Meeting{Title: "Phiên họp thứ 3", Start: sent.Add(time.Hour), DigestSentAt: sent}
		if err := tx.PutMeeting(&m); err != nil {
			return err
		}
		return tx.PutSnapshot(tasks.Snapshot{At: sent, Tasks: []tasks.TaskState{
			{Code: "CCHC-01", Status: tasks.NotStarted}, {Code: "CCHC-02", Status: tasks.InProgress, Progress: 10},
			{Code: "CCHC-03", Status: tasks.NotStarted}, {Code: "CCHC-04", Status: tasks.InProgress, Progress: 30},
			{Code: "CCHC-05", Status: tasks.InProgress, Progress: 90},
		}})
	}); err != nil {
		t.Fatal(err)
	}
	const answer = "Kế hoạch CCHC 2023 có 4 nhiệm vụ: tại Phiên họp thứ 3 (09/10/2023) có 2 nhiệm vụ đang thực hiện, nay có 3."
	fake.Push(
		llmtest.Calls(llmtest.Call("m", "meetings", `{}`)),
		llmtest.Calls(llmtest.Call("then", "digest_at", `{"date":"2023-10-09","plan":"CCHC 2023"}`), llmtest.Call("now", "digest_at", `{"plan":"CCHC 2023"}`)),
		llmtest.Text(answer))
	h.say(chairID, "/ask Tiến độ Kế hoạch CCHC 2023 so với phiên họp trước?")
	contains(t, one(t, h.assist(chairID)).Text, answer)
	res := toolResults(fake.Requests()[2])
	if len(res) != 3 {
		t.Fatalf("tool results %q, want 3", res)
	}
	contains(t, res[0], `"title":"Phiên họp thứ 3"`, `"digest_sent":"2023-10-09"`)
	contains(t, res[1], `"date":"2023-10-09"`, `"meeting":"Phiên họp thứ 3"`, `"plan":"Kế hoạch CCHC 2023"`, `"total":4`, `"in_progress":2`, `"not_started":2`)
	contains(t, res[2], `"date":"2023-10-16"`, `"total":4`, `"in_progress":3`, `"not_started":1`)
}

// TestAssistAskFails: model down, too many rounds of tools, the budget
// spent: one clear line each, no answer.
func TestAssistAskFails(t *testing.T) {
	t.Run("ModelDown", func(t *testing.T) {
		h, fake := newAssisted(t, 5*time.Second)
		fake.Push(llmtest.Error(503, "overloaded", "try later"))
		h.say(chairID, "/ask Đơn vị nào chậm nhất?")
		contains(t, one(t, h.assist(chairID)).Text, "hiện không trả lời được")
	})
	t.Run("TooManyRounds", func(t *testing.T) {
		h, fake := newAssisted(t, 5*time.Second)
		fake.Script(func(openai.ChatCompletionRequest) llmtest.Response {
			return llmtest.Calls(llmtest.Call("c", "list_tasks", `{}`))
		})
		h.say(chairID, "/ask Đơn vị nào chậm nhất?")
		contains(t, one(t, h.assist(chairID)).Text, "hiện không trả lời được")
		if n := len(fake.Requests()); n != llm.MaxToolRounds+1 {
			t.Errorf("the model was asked %d times, want %d", n, llm.MaxToolRounds+1)
		}
	})
	t.Run("OverBudget", func(t *testing.T) {
		fake := llmtest.New()
		t.Cleanup(fake.Close)
		client, err := llm.New(llm.Config{BaseURL: fake.URL(), Model: "test", DailyTokenBudget: 100})
		if err != nil {
			t.Fatal(err)
		}
		h := newHarness(t, func(o *bot.Options) { o.Assistant = client })
		call := llmtest.Calls(llmtest.Call("c", "list_tasks", `{}`))
		call.Usage = openai.Usage{TotalTokens: 150} // the first round spends the day
		fake.Push(call, llmtest.Text("never asked"))
		h.say(chairID, "/ask Đơn vị nào chậm nhất?")
		contains(t, one(t, h.assist(chairID)).Text, "hiện không trả lời được")
		h.say(chairID, "/ask Đơn vị nào chậm nhất?")
		contains(t, one(t, h.assist(chairID)).Text, "hiện không trả lời được")
		if n := len(fake.Requests()); n != 1 {
			t.Errorf("the model was asked %d times, want 1: the budget is spent", n)
		}
	})
}

// TestAskToolsUnitHead: the tools bound to a unit head never reach another
// unit's tasks (/ask itself is for chairs and the secretariat, see
// TestAssistAsk; the tools are tested here with a unit-head asker).
func TestAskToolsUnitHead(t *testing.T) {
	h := newHarness(t)
	codes := func(tools tasks.Tools, args string) []string {
		t.Helper()
		out, err := tools.Call(context.Background(), "list_tasks", args)
		if err != nil {
			t.Fatalf("list_tasks %s: %v", args, err)
		}
		var res struct {
			Tasks []struct{ Code string }
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("list_tasks %s: %v in %s", args, err, out)
		}
		var cs []string
		for _, tk := range res.Tasks {
			cs = append(cs, tk.Code)
		}
		return cs
	}
	head := h.b.ToolsFor(h.memberOf(headSNV))
	for _, args := range []string{`{}`, `{"unit":"QHK"}`, `{"unit":"Hoàn Kiếm","status":"in_progress"}`, `{"plan":"CCHC 2023"}`} {
		for _, c := range codes(head, args) {
			if c == "CCHC-04" || c == "CCHC-05" {
				t.Errorf("list_tasks %s for the head of SNV lists %s (another unit's)", args, c)
			}
		}
	}
	if got := strings.Join(codes(head, `{}`), " "); got != "CCHC-01 CCHC-02 CCHC-03" {
		t.Errorf("list_tasks for the head of SNV: %s, want CCHC-01 CCHC-02 CCHC-03", got)
	}
	for _, call := range [][2]string{
		{"task_history", `{"code":"CCHC-04"}`}, {"task_history", `{"code":"cchc-05"}`},
		{"scorecard", `{}`}, {"digest_at", `{}`}, {"meetings", `{}`},
	} {
		out, err := head.Call(context.Background(), call[0], call[1])
		if tasks.ErrorCode(err) != tasks.EFORBIDDEN || out != "" {
			t.Errorf("%s %s for the head of SNV = %.80q, %v; want EFORBIDDEN", call[0], call[1], out, err)
		}
	}
	out, err := head.Call(context.Background(), "task_history", `{"code":"CCHC-01"}`)
	if err != nil {
		t.Fatal(err)
	}
	contains(t, out, `"code":"CCHC-01"`, `"updates":`)

	// A chair reads every unit; a coordinating unit's task is listed under
	// it too.
	chair := h.b.ToolsFor(h.memberOf(chairID))
	if got := strings.Join(codes(chair, `{"unit":"Hoàn Kiếm"}`), " "); got != "CCHC-02 CCHC-04" {
		t.Errorf("list_tasks QHK for a chair: %s, want CCHC-02 CCHC-04", got)
	}
	for _, call := range [][2]string{{"nope", `{}`}, {"list_tasks", `not json`}, {"list_tasks", `{"status":"sleeping"}`}, {"digest_at", `{"date":"hôm kia"}`}} {
		if _, err := chair.Call(context.Background(), call[0], call[1]); tasks.ErrorCode(err) != tasks.EINVALID {
			t.Errorf("%s %s: %v, want EINVALID", call[0], call[1], err)
		}
	}
	if _, err := chair.Call(context.Background(), "digest_at", `{"date":"2023-01-01"}`); tasks.ErrorCode(err) != tasks.ENOTFOUND {
		t.Errorf("digest_at before any digest: %v, want ENOTFOUND", err)
	}
}

// FuzzAskTools: whatever a model sends as a tool's name and arguments, a
// tool answers valid JSON or refuses with a code the model is told
// (EINVALID, ENOTFOUND, EFORBIDDEN): never an internal error.
func FuzzAskTools(f *testing.F) {
	for _, s := range [][2]string{
		{"list_tasks", `{}`}, {"list_tasks", `{"unit":"snv","status":"overdue","plan":"CCHC"}`}, {"list_tasks", `{"unit":"Sở"}`},
		{"task_history", `{"code":"CCHC-01"}`}, {"task_history", `{"code":""}`}, {"scorecard", `{"plan":"số"}`},
		{"meetings", ``}, {"digest_at", `{"date":"2023-10-09"}`}, {"digest_at", `{"date":"31/12"}`}, {"nope", `[1]`},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, name, args string) {
		// A store per input: slow (about 100 inputs a second) but each
		// input meets the seeded committee, untouched by the previous one.
		h := newHarness(t)
		tools := h.b.ToolsFor(h.memberOf(chairID))
		out, err := tools.Call(context.Background(), name, args)
		if err != nil {
			switch tasks.ErrorCode(err) {
			case tasks.EINVALID, tasks.ENOTFOUND, tasks.EFORBIDDEN:
			default:
				t.Fatalf("%s %q: %v, want a refusal the model is told", name, args, err)
			}
			return
		}
		if !json.Valid([]byte(out)) {
			t.Fatalf("%s %q: result is not JSON: %q", name, args, out)
		}
	})
}

// TestAskToolsResultFits: the longest list a tool gives (60 tasks with the
// longest Vietnamese titles, plans and blockers) stays within what the
// assistant accepts, so that the model never meets a refusal for a plain
// question.
func TestAskToolsResultFits(t *testing.T) {
	h := newHarness(t)
	long := strings.Repeat("Rà soát, đánh giá thủ tục hành chính ", 20)
	cut := func(n int) string { return string([]rune(long)[:n]) }
	if err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		for i := range 60 {
			tk := tasks.Task{Code: fmt.Sprintf("KH-%03d", i+1), Unit: "QHK", Title: cut(tasks.MaxTitle), Group: cut(tasks.MaxName),
				Blocker: cut(tasks.MaxTitle), Deadline: tasks.Date{Year: 2023, Month: 9, Day: 1}, Status: tasks.InProgress, Progress: 10}
			u := tasks.Update{Task: tk.Code, At: h.clock.Now(), Via: tasks.ViaImport, NewStatus: tk.Status, NewProgress: tk.Progress}
			if err := tasks.Record(tx, tk, &u); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	out, err := h.b.ToolsFor(h.memberOf(chairID)).Call(h.ctx, "list_tasks", `{}`)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("list_tasks: %d bytes for 30 tasks listed", len(out))
	if len(out) > llm.MaxToolResult {
		t.Errorf("list_tasks gave %d bytes, over the %d the assistant accepts", len(out), llm.MaxToolResult)
	}
	contains(t, out, `"count":65`, `"not_listed":35`)
}
