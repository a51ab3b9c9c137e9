package llmtest_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"steerbot/llm/llmtest"
)

func client(baseURL, key string) *openai.Client {
	cfg := openai.DefaultConfig(key)
	cfg.BaseURL = baseURL
	return openai.NewClientWithConfig(cfg)
}

func ask(c *openai.Client) (openai.ChatCompletionResponse, error) {
	return c.CreateChatCompletion(context.Background(), openai.ChatCompletionRequest{
		Model:    "m",
		Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "hi"}},
	})
}

func TestServer(t *testing.T) {
	srv := llmtest.New()
	defer srv.Close()
	if !strings.HasSuffix(srv.URL(), "/v1") {
		t.Errorf("URL()=%q, want it to end with /v1", srv.URL())
	}
	srv.Push(llmtest.Text("one"), llmtest.JSON(map[string]int{"n": 2}))
	srv.Push(llmtest.Response{Content: "three", Usage: openai.Usage{TotalTokens: 7}})

	for i, want := range []string{"one", `{"n":2}`} {
		resp, err := ask(client(srv.URL(), ""))
		if err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
		if got := resp.Choices[0].Message.Content; got != want {
			t.Errorf("answer %d=%q, want %q", i+1, got, want)
		}
	}
	// Without /v1, as some servers serve it.
	resp, err := ask(client(strings.TrimSuffix(srv.URL(), "/v1"), ""))
	if err != nil {
		t.Fatalf("request without /v1: %v", err)
	}
	if resp.Choices[0].Message.Content != "three" || resp.Usage.TotalTokens != 7 {
		t.Errorf("answer=%+v, want three with 7 tokens", resp)
	}
	// The queue is empty now.
	_, err = ask(client(srv.URL(), ""))
	var ae *openai.APIError
	if !errors.As(err, &ae) || ae.HTTPStatusCode != 500 {
		t.Errorf("err=%v with an empty queue, want a 500 APIError", err)
	}
	if n := len(srv.Requests()); n != 4 {
		t.Errorf("Requests() has %d, want 4", n)
	}
}

func TestServer_RequireAPIKey(t *testing.T) {
	srv := llmtest.New()
	defer srv.Close()
	srv.RequireAPIKey("sk-good")
	srv.Push(llmtest.Text("ok"))

	_, err := ask(client(srv.URL(), "sk-bad"))
	var ae *openai.APIError
	if !errors.As(err, &ae) || ae.HTTPStatusCode != 401 || ae.Code != "invalid_api_key" {
		t.Fatalf("err=%v with a wrong key, want a 401 invalid_api_key", err)
	}
	if _, err := ask(client(srv.URL(), "")); err == nil {
		t.Fatal("no key accepted, want a 401")
	}
	resp, err := ask(client(srv.URL(), "sk-good"))
	if err != nil {
		t.Fatalf("right key: %v (a refused request must not use up the queued answer)", err)
	}
	if resp.Choices[0].Message.Content != "ok" {
		t.Errorf("answer=%q, want ok", resp.Choices[0].Message.Content)
	}
}

func TestServer_DelayEndsWithTheRequest(t *testing.T) {
	srv := llmtest.New()
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	srv.Script(func(openai.ChatCompletionRequest) llmtest.Response {
		cancel()
		return llmtest.Response{Delay: 1 << 62}
	})
	_, err := client(srv.URL(), "").CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model: "m", Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "hi"}},
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err=%v, want context.Canceled", err)
	}
	srv.Close() // returns although the answer was delayed for ages
}

// TestServer_ToolCalls: a scripted model that calls a tool sends the calls
// with finish_reason tool_calls, then a final answer.
func TestServer_ToolCalls(t *testing.T) {
	srv := llmtest.New()
	defer srv.Close()
	srv.Push(llmtest.Calls(llmtest.Call("c1", "list_tasks", `{"unit":"SNV"}`)), llmtest.Text("done"))
	resp, err := ask(client(srv.URL(), ""))
	if err != nil {
		t.Fatal(err)
	}
	ch := resp.Choices[0]
	if ch.FinishReason != openai.FinishReasonToolCalls || len(ch.Message.ToolCalls) != 1 {
		t.Fatalf("choice=%+v, want one tool call", ch)
	}
	if c := ch.Message.ToolCalls[0]; c.ID != "c1" || c.Function.Name != "list_tasks" || c.Function.Arguments != `{"unit":"SNV"}` {
		t.Errorf("call=%+v", c)
	}
	resp, err = ask(client(srv.URL(), ""))
	if err != nil || resp.Choices[0].Message.Content != "done" || len(resp.Choices[0].Message.ToolCalls) != 0 {
		t.Fatalf("second answer=%+v, %v; want the text", resp, err)
	}
}
