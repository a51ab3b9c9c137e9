package llm_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"steerbot/llm"
	"steerbot/llm/llmtest"
	"steerbot/tasks"
)

// fakeTools is a function-field fake of tasks.Tools that records its
// calls.
type fakeTools struct {
	call  func(name, args string) (string, error)
	calls []string
}

func (f *fakeTools) Specs() []tasks.ToolSpec {
	return []tasks.ToolSpec{
		{Name: "list_tasks", Description: "tasks by unit", Parameters: json.RawMessage(`{"type":"object","properties":{"unit":{"type":"string"}}}`)},
		{Name: "scorecard", Description: "units", Parameters: json.RawMessage(`{"type":"object","properties":{}}`)},
	}
}

func (f *fakeTools) Call(_ context.Context, name, args string) (string, error) {
	f.calls = append(f.calls, name+" "+args)
	return f.call(name, args)
}

// snvTasks is what list_tasks answers: one task 12 days late at 40%.
const snvTasks = `{"today":"2024-03-14","tasks":[{"code":"CCHC-12","unit":"SNV","status":"in_progress","progress_pct":40,"deadline":"2024-03-02","days_late":12}]}`

func listing() *fakeTools {
	return &fakeTools{call: func(name, args string) (string, error) {
		if name == "list_tasks" {
			return snvTasks, nil
		}
		return "", tasks.Errorf(tasks.EINVALID, "unknown tool %s", name)
	}}
}

func TestClient_Answer(t *testing.T) {
	for _, tt := range []struct {
		name, answer string
		ok           bool
	}{
		{"NumbersFromTools", "Sở Nội vụ chậm nhất: CCHC-12 quá hạn 12 ngày, mới đạt 40%, hạn 02/03/2024.", true},
		{"NoNumber", "Dữ liệu không cho biết điều này.", true},
		{"InventedNumber", "Sở Nội vụ chậm nhất: CCHC-12 quá hạn 13 ngày.", false},
		{"InventedDecimal", "Tỷ lệ hoàn thành 33,3%.", false},
		{"EchoesTheQuestion", "Không có nhiệm vụ nào quá hạn hơn 30 ngày; CCHC-12 quá hạn 12 ngày.", true},
		{"CodeInAnyCase", "cchc-12 quá hạn 12 ngày.", true},
		{"InventedCode", "CCHC-40 quá hạn 12 ngày.", false}, // 40 is a progress, not a task
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			c := newClient(t, srv, nil)
			srv.Push(llmtest.Calls(llmtest.Call("call_1", "list_tasks", `{"unit":"SNV"}`)), llmtest.Text(tt.answer))
			tools := listing()
			got, err := c.Answer(context.Background(), "Đơn vị nào chậm nhất, quá hạn hơn 30 ngày?", tools, "vi")
			if tt.ok {
				if err != nil || got != tt.answer {
					t.Fatalf("Answer=%q, %v; want %q", got, err, tt.answer)
				}
			} else if !errors.Is(err, llm.ErrUnverifiedNumbers) || tasks.ErrorCode(err) != tasks.EINVALID || got != "" {
				t.Fatalf("Answer=%q, %v; want it refused (ErrUnverifiedNumbers)", got, err)
			}
			if len(tools.calls) != 1 || tools.calls[0] != `list_tasks {"unit":"SNV"}` {
				t.Errorf("tools called: %q, want list_tasks once", tools.calls)
			}
			reqs := srv.Requests()
			if len(reqs) != 2 {
				t.Fatalf("%d requests, want 2", len(reqs))
			}
			if n := len(reqs[0].Tools); n != 2 || reqs[0].Tools[0].Function.Name != "list_tasks" {
				t.Errorf("tools offered: %+v", reqs[0].Tools)
			}
			if q := userContent(t, reqs[0]); !strings.Contains(q, "<<<QUESTION\nĐơn vị nào chậm nhất, quá hạn hơn 30 ngày?") {
				t.Errorf("question not fenced: %q", q)
			}
			// The second request carries the call and its result.
			msgs := reqs[1].Messages
			last := msgs[len(msgs)-1]
			if last.Role != openai.ChatMessageRoleTool || last.ToolCallID != "call_1" || last.Content != snvTasks {
				t.Errorf("last message=%+v, want the tool's result for call_1", last)
			}
			if prev := msgs[len(msgs)-2]; prev.Role != openai.ChatMessageRoleAssistant || len(prev.ToolCalls) != 1 {
				t.Errorf("message before the result=%+v, want the model's call", prev)
			}
		})
	}
}

// TestClient_Answer_NoToolNoNumber: a model that answers without calling
// any tool may say the data does not tell, but may state no number.
func TestClient_Answer_NoToolNoNumber(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, nil)
	srv.Push(llmtest.Text("Dữ liệu không trả lời được câu hỏi này."), llmtest.Text("Có 5 nhiệm vụ quá hạn."))
	if got, err := c.Answer(context.Background(), "Thời tiết hôm nay?", listing(), "vi"); err != nil || got == "" {
		t.Fatalf("Answer=%q, %v", got, err)
	}
	if got, err := c.Answer(context.Background(), "Bao nhiêu nhiệm vụ quá hạn?", listing(), "vi"); !errors.Is(err, llm.ErrUnverifiedNumbers) {
		t.Fatalf("Answer=%q, %v; want ErrUnverifiedNumbers", got, err)
	}
}

// TestClient_Answer_ToolRefused: a tool that refuses (another unit's task)
// tells the model so; the numbers of its refusal are no data.
func TestClient_Answer_ToolRefused(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, nil)
	tools := &fakeTools{call: func(name, args string) (string, error) {
		return "", tasks.NewError(tasks.EFORBIDDEN, "other_unit_read", "task SXD-07 belongs to another unit", "SXD-07")
	}}
	srv.Push(llmtest.Calls(llmtest.Call("a", "list_tasks", `{"unit":"SXD"}`)), llmtest.Text("SXD-07 quá hạn 7 ngày."))
	if _, err := c.Answer(context.Background(), "Sở Xây dựng?", tools, "vi"); !errors.Is(err, llm.ErrUnverifiedNumbers) {
		t.Fatalf("err=%v, want ErrUnverifiedNumbers (a refusal is no data)", err)
	}
	reqs := srv.Requests()
	last := reqs[1].Messages[len(reqs[1].Messages)-1]
	if last.Role != openai.ChatMessageRoleTool || !strings.Contains(last.Content, `"error"`) || !strings.Contains(last.Content, "another unit") {
		t.Errorf("tool message=%+v, want the refusal", last)
	}
}

// TestClient_Answer_Fails: every way a question ends without an answer.
func TestClient_Answer_Fails(t *testing.T) {
	call := llmtest.Calls(llmtest.Call("a", "list_tasks", `{}`))
	t.Run("TooManyRounds", func(t *testing.T) {
		srv := newServer(t)
		c := newClient(t, srv, nil)
		srv.Script(func(openai.ChatCompletionRequest) llmtest.Response { return call })
		tools := listing()
		_, err := c.Answer(context.Background(), "Đơn vị nào chậm nhất?", tools, "vi")
		if !errors.Is(err, llm.ErrTooManyToolRounds) || tasks.ErrorCode(err) == tasks.EINVALID {
			t.Fatalf("err=%v, want ErrTooManyToolRounds", err)
		}
		reqs := srv.Requests()
		if len(reqs) != llm.MaxToolRounds+1 || len(tools.calls) != llm.MaxToolRounds {
			t.Fatalf("%d requests, %d tool calls; want %d and %d", len(reqs), len(tools.calls), llm.MaxToolRounds+1, llm.MaxToolRounds)
		}
		if got := fmt.Sprint(reqs[len(reqs)-1].ToolChoice); got != "none" {
			t.Errorf("last request tool_choice=%q, want none", got)
		}
		if s := c.Stats(); s.Failures != 1 {
			t.Errorf("failures=%d, want 1", s.Failures)
		}
	})
	t.Run("ModelDown", func(t *testing.T) {
		srv := newServer(t)
		c := newClient(t, srv, nil)
		srv.Push(call, llmtest.Error(503, "overloaded", "try later"))
		_, err := c.Answer(context.Background(), "Đơn vị nào chậm nhất?", listing(), "vi")
		var api *openai.APIError
		if !errors.As(err, &api) || tasks.ErrorCode(err) == tasks.EINVALID {
			t.Fatalf("err=%v, want the API error", err)
		}
	})
	t.Run("OverBudget", func(t *testing.T) {
		srv := newServer(t)
		c := newClient(t, srv, func(cfg *llm.Config) { cfg.DailyTokenBudget = 100 })
		first := call
		first.Usage = openai.Usage{TotalTokens: 60}
		second := call
		second.Usage = openai.Usage{TotalTokens: 60}
		srv.Push(first, second, llmtest.Text("never asked"))
		_, err := c.Answer(context.Background(), "Đơn vị nào chậm nhất?", listing(), "vi")
		if !errors.Is(err, llm.ErrOverBudget) {
			t.Fatalf("err=%v, want ErrOverBudget (every round counts)", err)
		}
		if n := len(srv.Requests()); n != 2 {
			t.Errorf("%d requests, want 2", n)
		}
		if s := c.Stats(); s.TokensToday != 120 {
			t.Errorf("tokens today=%d, want 120", s.TokensToday)
		}
	})
	t.Run("ToolBroken", func(t *testing.T) {
		srv := newServer(t)
		c := newClient(t, srv, nil)
		srv.Push(call, llmtest.Text("never asked"))
		broken := errors.New("disk on fire")
		tools := &fakeTools{call: func(string, string) (string, error) { return "", broken }}
		if _, err := c.Answer(context.Background(), "Đơn vị nào chậm nhất?", tools, "vi"); !errors.Is(err, broken) {
			t.Fatalf("err=%v, want the tool's error", err)
		}
		if n := len(srv.Requests()); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
	t.Run("ResultTooLarge", func(t *testing.T) {
		srv := newServer(t)
		c := newClient(t, srv, nil)
		srv.Push(call, llmtest.Text("Không trả lời được."))
		huge := `{"tasks":"` + strings.Repeat("9", llm.MaxToolResult) + `"}`
		tools := &fakeTools{call: func(string, string) (string, error) { return huge, nil }}
		if _, err := c.Answer(context.Background(), "Đơn vị nào chậm nhất?", tools, "vi"); err != nil {
			t.Fatal(err)
		}
		msgs := srv.Requests()[1].Messages
		if got := msgs[len(msgs)-1].Content; !strings.Contains(got, "too large") {
			t.Errorf("tool message=%.80q, want a refusal", got)
		}
	})
}

func TestClient_Answer_NothingToAsk(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, nil)
	for _, q := range []string{"", "   ", strings.Repeat("a", 501)} {
		if _, err := c.Answer(context.Background(), q, listing(), "vi"); tasks.ErrorCode(err) != tasks.EINVALID {
			t.Errorf("Answer(%d chars)=%v, want EINVALID", len(q), err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
}

// BenchmarkClient_Answer is one /ask through the fake server: a round of
// one tool call returning 40 tasks, then an answer whose numbers are
// checked. It reports the bytes of the tool's result.
func BenchmarkClient_Answer(b *testing.B) {
	srv := llmtest.New()
	defer srv.Close()
	c, err := llm.New(llm.Config{BaseURL: srv.URL(), Model: "test"})
	if err != nil {
		b.Fatal(err)
	}
	var list []map[string]any
	for i := range 40 {
		list = append(list, map[string]any{"code": fmt.Sprintf("CCHC-%03d", i+1), "unit": fmt.Sprintf("U%02d", i%30),
			"title":  "Rà soát, đánh giá thủ tục hành chính thuộc thẩm quyền giải quyết",
			"status": "in_progress", "progress_pct": i % 100, "deadline": fmt.Sprintf("2024-%02d-%02d", 1+i%12, 1+i%28)})
	}
	result, err := json.Marshal(map[string]any{"tasks": list})
	if err != nil {
		b.Fatal(err)
	}
	tools := &fakeTools{call: func(string, string) (string, error) { return string(result), nil }}
	srv.Script(func(req openai.ChatCompletionRequest) llmtest.Response {
		if req.Messages[len(req.Messages)-1].Role == openai.ChatMessageRoleTool {
			return llmtest.Text("Đơn vị U01: CCHC-002 quá hạn, tiến độ 1%.")
		}
		return llmtest.Calls(llmtest.Call("a", "list_tasks", `{}`))
	})
	b.ResetTimer()
	for b.Loop() {
		tools.calls = tools.calls[:0]
		if _, err := c.Answer(context.Background(), "Đơn vị nào chậm nhất?", tools, "vi"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(result)), "result-bytes")
}
