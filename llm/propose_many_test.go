package llm_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"steerbot/llm"
	"steerbot/llm/llmtest"
	"steerbot/tasks"
)

var indicators = []tasks.Indicator{
	{Code: "CT-05", Name: "Tỷ lệ hồ sơ giải quyết đúng hạn", Unit: "SNV",
		Target: tasks.Target{Cmp: tasks.AtLeast, Value: 95, Measure: "%"}, Period: tasks.CadenceMonth},
}

// entry is one entry of a ProposeUpdates answer; edit changes it.
func entry(edit func(map[string]any)) map[string]any {
	e := map[string]any{"task": "", "indicator": "", "value": "", "status": "", "progress": nil,
		"expected_date": "", "blocker": "", "note": ""}
	edit(e)
	return e
}

func updates(entries ...map[string]any) llmtest.Response {
	if entries == nil {
		entries = []map[string]any{}
	}
	return llmtest.JSON(map[string]any{"updates": entries})
}

const twoTasks = "dự thảo quy chế rà soát đã trình, còn số hóa hồ sơ mới được 40%"

func TestClient_ProposeUpdates(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, nil)
	srv.Push(updates(
		entry(func(e map[string]any) { e["task"] = "CCHC-12"; e["status"] = "done" }),
		entry(func(e map[string]any) { e["task"] = "cchc-15"; e["progress"] = 40 }),
	))
	ps, err := c.ProposeUpdates(context.Background(), unitHead, twoTasks, candidates, indicators, today)
	if err != nil {
		t.Fatalf("ProposeUpdates: %v", err)
	}
	if len(ps) != 2 {
		t.Fatalf("got %d proposals, want 2: %+v", len(ps), ps)
	}
	if ps[0].Task != "CCHC-12" || ps[0].Status == nil || *ps[0].Status != tasks.Done {
		t.Errorf("first=%+v, want CCHC-12 done", ps[0])
	}
	if ps[1].Task != "CCHC-15" || ps[1].Progress == nil || *ps[1].Progress != 40 {
		t.Errorf("second=%+v, want CCHC-15 at 40%%", ps[1])
	}
	req := srv.Requests()[0]
	prompt := userContent(t, req)
	for _, want := range []string{"CCHC-12 | Rà soát thủ tục hành chính | in_progress | 40% | 2024-03-31", "CCHC-15", "CT-05 | Tỷ lệ hồ sơ giải quyết đúng hạn", twoTasks} {
		if !strings.Contains(prompt, want) {
			t.Errorf("prompt lacks %q:\n%s", want, prompt)
		}
	}
	schema := schemaOf(t, req)
	assertStrictObject(t, schema)
}

func TestClient_ProposeUpdates_IndicatorValue(t *testing.T) {
	const msg = "tháng này tỷ lệ hồ sơ đúng hạn đạt 96,2%"
	for _, tt := range []struct {
		name, value string
		ok          bool
	}{
		{"AsWritten", "96,2%", true},
		{"Invented", "98%", false},
		{"NotAValue", "cao", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			c := newClient(t, srv, nil)
			srv.Push(updates(entry(func(e map[string]any) { e["indicator"] = "CT-05"; e["value"] = tt.value })))
			ps, err := c.ProposeUpdates(context.Background(), unitHead, msg, candidates, indicators, today)
			if !tt.ok {
				if tasks.ErrorCode(err) != tasks.EINVALID || !errors.Is(err, llm.ErrInvalidAnswer) {
					t.Fatalf("ProposeUpdates=%+v, %v; want EINVALID", ps, err)
				}
				return
			}
			if err != nil || len(ps) != 1 || ps[0].Indicator != "CT-05" || ps[0].Value != "96,2%" || ps[0].Task != "" {
				t.Fatalf("ProposeUpdates=%+v, %v; want one value 96,2%% of CT-05", ps, err)
			}
		})
	}
}

func TestClient_ProposeUpdates_Invalid(t *testing.T) {
	for _, tt := range []struct {
		name  string
		reply llmtest.Response
	}{
		{"NotJSON", llmtest.Text("CCHC-12 is done")},
		{"WrongShape", llmtest.JSON(map[string]any{"task": "CCHC-12"})},
		{"NoEntry", updates()},
		{"UnknownTask", updates(entry(func(e map[string]any) { e["task"] = "CCHC-99"; e["status"] = "done" }))},
		{"UnitStops", updates(entry(func(e map[string]any) { e["task"] = "CCHC-12"; e["status"] = "stopped" }))},
		{"Progress150", updates(entry(func(e map[string]any) { e["task"] = "CCHC-12"; e["progress"] = 150 }))},
		{"Both", updates(entry(func(e map[string]any) { e["task"] = "CCHC-12"; e["indicator"] = "CT-05"; e["value"] = "40%" }))},
		{"UnknownIndicator", updates(entry(func(e map[string]any) { e["indicator"] = "CT-99"; e["value"] = "40%" }))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			c := newClient(t, srv, nil)
			srv.Push(tt.reply)
			ps, err := c.ProposeUpdates(context.Background(), unitHead, twoTasks, candidates, indicators, today)
			if tasks.ErrorCode(err) != tasks.EINVALID || !errors.Is(err, llm.ErrInvalidAnswer) {
				t.Fatalf("ProposeUpdates=%+v, %v; want EINVALID wrapping ErrInvalidAnswer", ps, err)
			}
			if st := c.Stats(); st.Failures != 1 {
				t.Errorf("stats=%+v, want 1 failure", st)
			}
		})
	}
	t.Run("OneBadEntryDropped", func(t *testing.T) {
		srv := newServer(t)
		c := newClient(t, srv, nil)
		srv.Push(updates(
			entry(func(e map[string]any) { e["task"] = "CCHC-99"; e["status"] = "done" }),
			entry(func(e map[string]any) { e["task"] = "CCHC-15"; e["progress"] = 40 }),
			entry(func(e map[string]any) { e["task"] = "CCHC-15"; e["progress"] = 50 }),
		))
		ps, err := c.ProposeUpdates(context.Background(), unitHead, twoTasks, candidates, nil, today)
		if err != nil || len(ps) != 1 || ps[0].Task != "CCHC-15" || *ps[0].Progress != 40 {
			t.Fatalf("ProposeUpdates=%+v, %v; want only the first valid entry of CCHC-15", ps, err)
		}
	})
}

// failures are the ways a call fails before any answer can be read, each
// with its check.
var failures = []struct {
	name  string
	reply llmtest.Response
	check func(t *testing.T, err error)
}{
	{"APIError500", llmtest.Error(500, "server_error", "The server had an error"), apiStatus(500)},
	{"RateLimited429", llmtest.Error(429, "rate_limit_exceeded", "Rate limit reached"), apiStatus(429)},
	{"MalformedBody", llmtest.Response{Body: `{"choices": [`}, func(t *testing.T, err error) {}},
	{"NoChoices", llmtest.Response{NoChoices: true}, is(llm.ErrNoAnswer)},
	{"Refusal", llmtest.Response{Refusal: "no"}, is(llm.ErrRefused)},
	{"Truncated", llmtest.Response{Content: `{"updates":[`, FinishReason: openai.FinishReasonLength}, is(llm.ErrTruncated)},
	{"Timeout", llmtest.Response{Delay: time.Hour}, is(context.DeadlineExceeded)},
}

// callers are the new calls, each asked the same way.
var callers = []struct {
	name string
	call func(c *llm.Client) error
}{
	{"ProposeUpdates", func(c *llm.Client) error {
		_, err := c.ProposeUpdates(context.Background(), unitHead, twoTasks, candidates, indicators, today)
		return err
	}},
	{"Answer", func(c *llm.Client) error {
		_, err := c.Answer(context.Background(), "Đơn vị nào chậm nhất?", listing(), "vi")
		return err
	}},
}

func TestClient_NewCalls_Failures(t *testing.T) {
	for _, cl := range callers {
		for _, f := range failures {
			t.Run(cl.name+"/"+f.name, func(t *testing.T) {
				srv := newServer(t)
				c := newClient(t, srv, func(cfg *llm.Config) { cfg.Timeout = 100 * time.Millisecond })
				srv.Push(f.reply)
				err := cl.call(c)
				if err == nil {
					t.Fatal("no error")
				}
				if code := tasks.ErrorCode(err); code != tasks.EINTERNAL {
					t.Errorf("code=%s (%v), want %s: the caller falls back", code, err, tasks.EINTERNAL)
				}
				f.check(t, err)
				if st := c.Stats(); st.Calls != 1 || st.Failures != 1 {
					t.Errorf("stats=%+v, want 1 call and 1 failure", st)
				}
			})
		}
		t.Run(cl.name+"/OverBudget", func(t *testing.T) {
			srv := newServer(t)
			c := newClient(t, srv, func(cfg *llm.Config) { cfg.DailyTokenBudget = 10 })
			spent := llmtest.Text("x")
			spent.Usage = openai.Usage{TotalTokens: 50}
			srv.Push(spent)
			_ = cl.call(c) // spends the budget, whatever it answered
			err := cl.call(c)
			if !errors.Is(err, llm.ErrOverBudget) {
				t.Fatalf("err=%v, want ErrOverBudget", err)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("server saw %d requests, want 1", n)
			}
		})
	}
}

// memLedger is a Ledger in memory, shared by the clients of a test as a
// database is shared by the bot before and after a restart.
type memLedger struct {
	day    tasks.Date
	tokens int
}

func (l *memLedger) TokensSpent(_ context.Context, day tasks.Date) (int, error) {
	if day != l.day {
		return 0, nil
	}
	return l.tokens, nil
}

func (l *memLedger) SaveTokens(_ context.Context, day tasks.Date, n int) error {
	l.day, l.tokens = day, n
	return nil
}

func TestClient_BudgetSurvivesRestart(t *testing.T) {
	srv := newServer(t)
	ledger := &memLedger{}
	spent := llmtest.Text("Dữ liệu không cho biết.")
	spent.Usage = openai.Usage{TotalTokens: 120}
	srv.Script(func(openai.ChatCompletionRequest) llmtest.Response { return spent })
	cfg := func(c *llm.Config) { c.DailyTokenBudget = 100; c.Ledger = ledger }

	before := newClient(t, srv, cfg)
	if _, err := before.Answer(context.Background(), "Đơn vị nào chậm nhất?", listing(), "vi"); err != nil {
		t.Fatalf("first call: %v", err)
	}
	if ledger.tokens != 120 || ledger.day != today {
		t.Fatalf("ledger=%+v, want 120 tokens on %s", ledger, today)
	}
	after := newClient(t, srv, cfg) // a restart: a new client, the same ledger
	_, err := after.Answer(context.Background(), "Đơn vị nào chậm nhất?", listing(), "vi")
	if !errors.Is(err, llm.ErrOverBudget) {
		t.Fatalf("after the restart: %v, want ErrOverBudget", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
	if st := after.Stats(); st.TokensToday != 120 || st.Budget != 100 {
		t.Errorf("stats after the restart=%+v, want 120 tokens of 100", st)
	}
}
