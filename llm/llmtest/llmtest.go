// Package llmtest is a fake OpenAI-compatible server for tests: it answers
// POST /v1/chat/completions (and /chat/completions) with responses that the
// test scripts, and records the requests it received, so that the real
// go-openai client is exercised over HTTP.
package llmtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Response is one scripted answer. The zero Response is a successful
// completion with an empty message.
type Response struct {
	Content string // the assistant's message
	JSON    any    // when not nil, encoded as JSON into the message instead of Content
	Refusal string // the assistant's refusal, sent with an empty message

	// ToolCalls, when not empty, are sent as the assistant's calls of
	// tools (function calling), with finish_reason "tool_calls".
	ToolCalls []openai.ToolCall

	NoChoices    bool                // answer with an empty choices list
	FinishReason openai.FinishReason // "" means "stop"
	Usage        openai.Usage        // reported as is (zero unless set)

	// Status, when not 0 or 200, answers with that HTTP status and an
	// OpenAI error body made of ErrorType, ErrorCode and ErrorMessage.
	Status       int
	ErrorType    string
	ErrorCode    string
	ErrorMessage string

	// Body, when not empty, is sent as is (with Status, or 200) instead of
	// a completion: a malformed or truncated reply.
	Body string

	// Delay holds the answer back; the wait ends early, with no answer,
	// when the client gives up (its request is cancelled) or the server
	// closes.
	Delay time.Duration
}

// Text returns a Response whose message is s.
func Text(s string) Response { return Response{Content: s} }

// Calls returns a Response in which the model calls tools.
func Calls(calls ...openai.ToolCall) Response { return Response{ToolCalls: calls} }

// Call returns a call of the function name with args (a JSON object); id
// is the call's id that the tool's result must name.
func Call(id, name, args string) openai.ToolCall {
	return openai.ToolCall{ID: id, Type: openai.ToolTypeFunction, Function: openai.FunctionCall{Name: name, Arguments: args}}
}

// JSON returns a Response whose message is v encoded as JSON.
func JSON(v any) Response { return Response{JSON: v} }

// Error returns a Response with an HTTP error status and an OpenAI error
// body, e.g. Error(429, "rate_limit_exceeded", "Rate limit reached").
func Error(status int, code, message string) Response {
	typ := "server_error"
	if status < 500 {
		typ = "invalid_request_error"
	}
	return Response{Status: status, ErrorType: typ, ErrorCode: code, ErrorMessage: message}
}

// Server is the fake. It is safe for concurrent use.
type Server struct {
	srv     *httptest.Server
	closing chan struct{}
	once    sync.Once

	mu     sync.Mutex
	script func(openai.ChatCompletionRequest) Response
	queue  []Response
	reqs   []openai.ChatCompletionRequest
	key    string
	n      int
}

// New starts a Server. Close it when done.
func New() *Server {
	s := &Server{closing: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/chat/completions", s.handle)
	mux.HandleFunc("/chat/completions", s.handle)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "invalid_request_error", "unknown_url", "llmtest: unknown URL "+r.URL.Path)
	})
	s.srv = httptest.NewServer(mux)
	return s
}

// URL returns the base URL to give the client, ending with /v1.
func (s *Server) URL() string { return s.srv.URL + "/v1" }

// Close stops the server, ending any delayed answer.
func (s *Server) Close() {
	s.once.Do(func() { close(s.closing) })
	s.srv.Close()
}

// Script makes fn choose every answer from the request; it takes precedence
// over the queue. A nil fn returns to the queue.
func (s *Server) Script(fn func(req openai.ChatCompletionRequest) Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = fn
}

// Push queues answers, given out one per request in order. A request that
// finds the queue empty gets a 500 error.
func (s *Server) Push(rs ...Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, rs...)
}

// RequireAPIKey makes the server answer 401 to any request without the
// header "Authorization: Bearer key". An empty key accepts every request.
func (s *Server) RequireAPIKey(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.key = key
}

// Requests returns the chat completion requests received so far, in order,
// including those refused for a bad API key.
func (s *Server) Requests() []openai.ChatCompletionRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]openai.ChatCompletionRequest(nil), s.reqs...)
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, "invalid_request_error", "method_not_allowed", "llmtest: POST only")
		return
	}
	var req openai.ChatCompletionRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<20)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "invalid_json", "llmtest: bad request body: "+err.Error())
		return
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, req)
	if s.key != "" && r.Header.Get("Authorization") != "Bearer "+s.key {
		s.mu.Unlock()
		writeError(w, http.StatusUnauthorized, "invalid_request_error", "invalid_api_key", "llmtest: incorrect API key provided")
		return
	}
	s.n++
	id := s.n
	script := s.script
	var resp Response
	ok := script != nil
	if !ok && len(s.queue) > 0 {
		resp, ok = s.queue[0], true
		s.queue = s.queue[1:]
	}
	s.mu.Unlock()
	if script != nil {
		resp = script(req) // outside the lock: it may call the Server
	}
	if !ok {
		writeError(w, http.StatusInternalServerError, "server_error", "no_response", "llmtest: no response scripted")
		return
	}
	if resp.Delay > 0 {
		t := time.NewTimer(resp.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		}
	}
	s.write(w, id, req, resp)
}

func (s *Server) write(w http.ResponseWriter, id int, req openai.ChatCompletionRequest, resp Response) {
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	if resp.Body != "" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(resp.Body))
		return
	}
	if status != http.StatusOK {
		writeError(w, status, resp.ErrorType, resp.ErrorCode, resp.ErrorMessage)
		return
	}
	content := resp.Content
	if resp.JSON != nil {
		b, err := json.Marshal(resp.JSON)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "server_error", "bad_script", "llmtest: encode scripted JSON: "+err.Error())
			return
		}
		content = string(b)
	}
	finish := resp.FinishReason
	if finish == "" {
		finish = openai.FinishReasonStop
		if len(resp.ToolCalls) > 0 {
			finish = openai.FinishReasonToolCalls
		}
	}
	out := openai.ChatCompletionResponse{
		ID:      fmt.Sprintf("chatcmpl-llmtest-%d", id),
		Object:  "chat.completion",
		Model:   req.Model,
		Choices: []openai.ChatCompletionChoice{},
		Usage:   resp.Usage,
	}
	if !resp.NoChoices {
		out.Choices = append(out.Choices, openai.ChatCompletionChoice{
			Message: openai.ChatCompletionMessage{
				Role:      openai.ChatMessageRoleAssistant,
				Content:   content,
				Refusal:   resp.Refusal,
				ToolCalls: resp.ToolCalls,
			},
			FinishReason: finish,
		})
	}
	writeJSON(w, http.StatusOK, out)
}

func writeError(w http.ResponseWriter, status int, typ, code, message string) {
	if message == "" {
		message = http.StatusText(status)
	}
	body := map[string]any{"error": map[string]any{
		"message": message,
		"type":    typ,
		"param":   nil,
		"code":    code,
	}}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
