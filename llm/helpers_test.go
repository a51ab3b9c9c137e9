package llm_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"steerbot/llm"
	"steerbot/llm/llmtest"
	"steerbot/tasks"
	"steerbot/tasks/taskstest"
)

// ict is the committee's time zone (Asia/Ho_Chi_Minh, without tzdata).
var ict = time.FixedZone("ICT", 7*3600)

// newServer starts a fake server closed at the end of the test.
func newServer(t *testing.T) *llmtest.Server {
	t.Helper()
	srv := llmtest.New()
	t.Cleanup(srv.Close)
	return srv
}

// newClient returns a client of srv; edit changes the config first.
func newClient(t *testing.T, srv *llmtest.Server, edit func(*llm.Config)) *llm.Client {
	t.Helper()
	clock := taskstest.NewClock(time.Date(2024, 3, 14, 9, 0, 0, 0, ict))
	cfg := llm.Config{
		BaseURL:   srv.URL(),
		Model:     "test-model",
		Timeout:   10 * time.Second,
		MaxTokens: 300,
		Clock:     clock.Now,
		Loc:       ict,
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := llm.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// userContent returns the user message of req.
func userContent(t *testing.T, req openai.ChatCompletionRequest) string {
	t.Helper()
	for _, m := range req.Messages {
		if m.Role == openai.ChatMessageRoleUser {
			return m.Content
		}
	}
	t.Fatalf("request has no user message: %+v", req.Messages)
	return ""
}

// systemContent returns the system message of req.
func systemContent(t *testing.T, req openai.ChatCompletionRequest) string {
	t.Helper()
	for _, m := range req.Messages {
		if m.Role == openai.ChatMessageRoleSystem {
			return m.Content
		}
	}
	t.Fatalf("request has no system message: %+v", req.Messages)
	return ""
}

// schemaOf decodes the JSON schema that req asked the answer to follow.
func schemaOf(t *testing.T, req openai.ChatCompletionRequest) map[string]any {
	t.Helper()
	rf := req.ResponseFormat
	if rf == nil || rf.Type != openai.ChatCompletionResponseFormatTypeJSONSchema || rf.JSONSchema == nil {
		t.Fatalf("response_format=%+v, want json_schema", rf)
	}
	if !rf.JSONSchema.Strict {
		t.Errorf("json_schema strict=false, want true")
	}
	b, err := json.Marshal(rf.JSONSchema.Schema)
	if err != nil {
		t.Fatalf("schema: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("schema %s: %v", b, err)
	}
	return m
}

// assertStrictObject checks that every property of the object schema s is
// required, as strict structured output demands.
func assertStrictObject(t *testing.T, s map[string]any) {
	t.Helper()
	props, _ := s["properties"].(map[string]any)
	req, _ := s["required"].([]any)
	if len(props) == 0 || len(req) != len(props) {
		t.Errorf("required=%v for properties %v: want every property required", req, props)
	}
	if s["additionalProperties"] != false {
		t.Errorf("additionalProperties=%v, want false", s["additionalProperties"])
	}
}

func date(y int, m time.Month, d int) tasks.Date { return tasks.Date{Year: y, Month: m, Day: d} }

func fmtV(v any) string      { return fmt.Sprintf("%v", v) }
func fmtPlusV(v any) string  { return fmt.Sprintf("%+v", v) }
func fmtSharpV(v any) string { return fmt.Sprintf("%#v", v) }
