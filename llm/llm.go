// Package llm is the optional assistant of steerbot: an OpenAI-compatible
// chat model (OpenAI, a local Ollama or llama.cpp server, …) reached through
// github.com/sashabaranov/go-openai. Client implements tasks.Assistant.
//
// The model is untrusted. Every answer is decoded against a JSON schema and
// then validated like any input a member types; a narrative is kept only if
// each number in it is one of the digest's figures. Every request has a
// deadline and a token cap, and a daily token budget stops asking the model
// for the rest of the day once it is spent. Callers fall back to the
// rule-based path on any error.
package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	openai "github.com/sashabaranov/go-openai"

	"steerbot/tasks"
)

// Defaults for the Config fields left zero.
const (
	DefaultTimeout   = 20 * time.Second
	DefaultMaxTokens = 800
)

// Errors a call may return besides transport and API errors
// (*openai.APIError, *openai.RequestError) and invalid answers (an
// *tasks.Error with code EINVALID that also wraps ErrInvalidAnswer).
var (
	// ErrOverBudget means the day's token budget is spent: the model was not
	// asked. It clears at midnight in Config.Loc.
	ErrOverBudget = errors.New("daily token budget spent")
	// ErrNoAnswer means the model answered with no choice or an empty message.
	ErrNoAnswer = errors.New("no answer from the model")
	// ErrRefused means the model refused, or its answer was filtered.
	ErrRefused = errors.New("the model refused to answer")
	// ErrTruncated means the answer hit the token cap (finish_reason "length").
	ErrTruncated = errors.New("answer cut at the token cap")
	// ErrInvalidAnswer is wrapped by every error about an answer that does not
	// decode or validate.
	ErrInvalidAnswer = errors.New("invalid answer")
	// ErrUnverifiedNumbers means a narrative states a number that is not among
	// the digest's figures (see NumbersOK). It also wraps ErrInvalidAnswer.
	ErrUnverifiedNumbers = errors.New("narrative states numbers not in the digest")
)

// Config configures a Client.
type Config struct {
	BaseURL          string        // e.g. http://127.0.0.1:11434/v1; empty: OpenAI; a bare host gets /v1
	Model            string        // required
	APIKey           string        // empty sends no Authorization header (local servers)
	Timeout          time.Duration // deadline of every request; 0: DefaultTimeout
	MaxTokens        int           // cap on the tokens of one answer; 0: DefaultMaxTokens
	DailyTokenBudget int           // total tokens a day (in Loc); 0 or less: no limit
	Clock            func() time.Time
	Loc              *time.Location // the committee's time zone; nil: UTC
	Logger           *slog.Logger   // nil: silent
	HTTPClient       *http.Client   // nil: a plain client (the deadline comes from Timeout)
	Ledger           Ledger         // nil: the day's tokens are counted in memory only
}

// Ledger keeps the day's token count where a restart finds it, so that a
// restart does not give the model a fresh budget.
type Ledger interface {
	// TokensSpent returns the tokens recorded for day (0 when none).
	TokensSpent(ctx context.Context, day tasks.Date) (int, error)
	// SaveTokens records that tokens were spent on day in all.
	SaveTokens(ctx context.Context, day tasks.Date, tokens int) error
}

// String describes c without its API key, so that a Config printed by
// mistake leaks no secret.
func (c Config) String() string {
	key := ""
	if c.APIKey != "" {
		key = "[redacted]"
	}
	return fmt.Sprintf("llm.Config{BaseURL:%q Model:%q APIKey:%q Timeout:%s MaxTokens:%d DailyTokenBudget:%d}",
		c.BaseURL, c.Model, key, c.Timeout, c.MaxTokens, c.DailyTokenBudget)
}

// GoString is String, for %#v.
func (c Config) GoString() string { return c.String() }

// LogValue logs c without its API key.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("base_url", c.BaseURL),
		slog.String("model", c.Model),
		slog.Bool("api_key_set", c.APIKey != ""),
		slog.Duration("timeout", c.Timeout),
		slog.Int("max_tokens", c.MaxTokens),
		slog.Int("daily_token_budget", c.DailyTokenBudget),
	)
}

// chatClient is the part of the go-openai client that this package uses.
type chatClient interface {
	CreateChatCompletion(ctx context.Context, req openai.ChatCompletionRequest) (openai.ChatCompletionResponse, error)
}

// Client is the assistant. It is safe for concurrent use.
type Client struct {
	chat      chatClient
	model     string
	key       string
	timeout   time.Duration
	maxTokens int
	budget    int
	now       func() time.Time
	loc       *time.Location
	log       *slog.Logger
	ledger    Ledger

	mu         sync.Mutex
	loadedDay  tasks.Date // the last day the ledger was read
	day        tasks.Date
	tokens     int
	calls      int64
	failures   int64
	overBudget int64
	warnedDay  tasks.Date // the last day the spent budget was logged
}

var _ tasks.Assistant = (*Client)(nil)

// Stats is what a Client counted, for metrics.
type Stats struct {
	Calls       int64 // requests sent to the model
	Failures    int64 // of those, the ones that failed or gave an unusable answer
	OverBudget  int64 // calls refused without asking the model, the budget being spent
	TokensToday int   // tokens spent today (in Config.Loc)
	Budget      int   // the daily token budget; 0: none
}

// New returns a Client for cfg. It does not contact the server.
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.Model) == "" {
		return nil, errors.New("new llm client: no model")
	}
	if cfg.Timeout < 0 || cfg.MaxTokens < 0 {
		return nil, errors.New("new llm client: negative timeout or max tokens")
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	if cfg.BaseURL != "" {
		base, err := baseURL(cfg.BaseURL)
		if err != nil {
			return nil, fmt.Errorf("new llm client: %w", err)
		}
		oc.BaseURL = base
	}
	if cfg.HTTPClient != nil {
		oc.HTTPClient = cfg.HTTPClient
	}
	c := &Client{
		chat:      openai.NewClientWithConfig(oc),
		model:     strings.TrimSpace(cfg.Model),
		key:       cfg.APIKey,
		timeout:   cfg.Timeout,
		maxTokens: cfg.MaxTokens,
		budget:    cfg.DailyTokenBudget,
		now:       cfg.Clock,
		loc:       cfg.Loc,
		log:       cfg.Logger,
		ledger:    cfg.Ledger,
	}
	if c.timeout == 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxTokens == 0 {
		c.maxTokens = DefaultMaxTokens
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.loc == nil {
		c.loc = time.UTC
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// baseURL checks s and adds /v1 to a URL with no path, which is where every
// OpenAI-compatible server serves the API.
func baseURL(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", fmt.Errorf("base url: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("base url %q: want http(s)://host[:port]/v1", s)
	}
	if u.User != nil {
		return "", errors.New("base url: credentials in the URL; use the API key")
	}
	if strings.Trim(u.Path, "/") == "" {
		u.Path = "/v1"
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// Stats returns the counters.
func (c *Client) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rollDay()
	return Stats{Calls: c.calls, Failures: c.failures, OverBudget: c.overBudget, TokensToday: c.tokens, Budget: max(c.budget, 0)}
}

// rollDay resets the token count when the day changed. c.mu is held.
func (c *Client) rollDay() {
	if today := tasks.DateOf(c.now(), c.loc); today != c.day {
		c.day, c.tokens = today, 0
	}
}

// reserve counts a call about to be made, or refuses it when the day's
// budget is spent.
func (c *Client) reserve() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rollDay()
	if c.budget > 0 && c.tokens >= c.budget {
		c.overBudget++
		if c.warnedDay != c.day { // once a day is enough
			c.warnedDay = c.day
			c.log.Warn("llm daily token budget spent: the model is not asked until tomorrow",
				"budget", c.budget, "tokens", c.tokens)
		}
		return ErrOverBudget
	}
	c.calls++
	return nil
}

// spend counts n tokens and returns the day's total.
func (c *Client) spend(n int) (tasks.Date, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rollDay()
	c.tokens += n
	return c.day, c.tokens
}

// loadLedger reads the day's tokens from the ledger once a day (the first
// call after a restart or after midnight). A ledger that cannot be read is
// logged and the count in memory is used.
func (c *Client) loadLedger(ctx context.Context) {
	if c.ledger == nil {
		return
	}
	today := tasks.DateOf(c.now(), c.loc)
	c.mu.Lock()
	loaded := c.loadedDay == today
	c.mu.Unlock()
	if loaded {
		return
	}
	n, err := c.ledger.TokensSpent(ctx, today)
	if err != nil {
		c.log.Warn("llm token ledger unreadable", "err", err)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rollDay()
	if c.day == today {
		c.tokens = max(c.tokens, n)
		c.loadedDay = today
	}
}

// saveLedger records the day's total in the ledger.
func (c *Client) saveLedger(ctx context.Context, day tasks.Date, total int) {
	if c.ledger == nil {
		return
	}
	if err := c.ledger.SaveTokens(ctx, day, total); err != nil {
		c.log.Warn("llm token ledger not saved", "err", err)
	}
}

func (c *Client) failed() {
	c.mu.Lock()
	c.failures++
	c.mu.Unlock()
}

// chatRequest is one question to the model.
type chatRequest struct {
	op     string // for logs and errors: "propose update", …
	system string
	user   string
	format *openai.ChatCompletionResponseFormat // nil: plain text
}

// complete asks the model and returns the text of its answer. It enforces
// the budget, the deadline and the token cap, and turns every way an answer
// can be missing into an error.
func (c *Client) complete(ctx context.Context, q chatRequest) (string, error) {
	req := openai.ChatCompletionRequest{
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: q.system},
			{Role: openai.ChatMessageRoleUser, Content: q.user},
		},
		ResponseFormat: q.format,
	}
	resp, err := c.send(ctx, q.op, req)
	if err != nil {
		return "", err
	}
	text, err := answerText(resp)
	if err != nil {
		c.failed()
		c.log.Warn("llm answer unusable", "op", q.op, "model", c.model, "err", err)
		return "", fmt.Errorf("%s: %w", q.op, err)
	}
	return text, nil
}

// send sends req (its model and token cap set here) within the budget and
// the deadline, and counts the tokens it cost.
func (c *Client) send(ctx context.Context, op string, req openai.ChatCompletionRequest) (openai.ChatCompletionResponse, error) {
	c.loadLedger(ctx)
	if err := c.reserve(); err != nil {
		return openai.ChatCompletionResponse{}, fmt.Errorf("%s: %w", op, err)
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req.Model = c.model
	if reasoningModel(c.model) {
		// go-openai refuses max_tokens for these models.
		req.MaxCompletionTokens = c.maxTokens
	} else {
		req.MaxTokens = c.maxTokens
	}
	start := c.now()
	resp, err := c.chat.CreateChatCompletion(ctx, req)
	if err != nil {
		c.failed()
		err = redacted{err: err, secret: c.key}
		c.log.Warn("llm call failed", "op", op, "model", c.model, "err", err)
		return openai.ChatCompletionResponse{}, fmt.Errorf("%s: %w", op, err)
	}
	tokens := resp.Usage.TotalTokens
	if tokens <= 0 {
		tokens = resp.Usage.PromptTokens + resp.Usage.CompletionTokens
	}
	if tokens <= 0 {
		// The server reports no usage: estimate generously (about three
		// characters a token) so that the budget still holds.
		n := 0
		if len(req.Tools) > 0 {
			if b, err := json.Marshal(req.Tools); err == nil {
				n += utf8.RuneCount(b)
			}
		}
		for _, m := range req.Messages {
			n += utf8.RuneCountInString(m.Content)
			for _, tc := range m.ToolCalls {
				n += utf8.RuneCountInString(tc.Function.Arguments)
			}
		}
		for _, ch := range resp.Choices {
			n += utf8.RuneCountInString(ch.Message.Content)
			for _, tc := range ch.Message.ToolCalls {
				n += utf8.RuneCountInString(tc.Function.Arguments)
			}
		}
		tokens = n/3 + 1
	}
	day, total := c.spend(tokens)
	c.saveLedger(parent, day, total)
	c.log.Debug("llm call", "op", op, "model", c.model, "tokens", tokens, "took", c.now().Sub(start))
	return resp, nil
}

// answerText returns the message of the first choice.
func answerText(resp openai.ChatCompletionResponse) (string, error) {
	if len(resp.Choices) == 0 {
		return "", ErrNoAnswer
	}
	ch := resp.Choices[0]
	if ch.Message.Refusal != "" {
		return "", ErrRefused
	}
	switch ch.FinishReason {
	case openai.FinishReasonLength:
		return "", ErrTruncated
	case openai.FinishReasonContentFilter:
		return "", ErrRefused
	}
	text := strings.TrimSpace(ch.Message.Content)
	if text == "" {
		return "", ErrNoAnswer
	}
	return text, nil
}

// reasoningModel reports whether go-openai wants max_completion_tokens
// instead of max_tokens for model.
func reasoningModel(model string) bool {
	for _, p := range []string{"o1", "o3", "o4", "gpt-5", "gpt-6"} {
		if strings.HasPrefix(model, p) {
			return true
		}
	}
	return false
}

// invalid returns an EINVALID *tasks.Error about a model's answer that also
// wraps ErrInvalidAnswer (and extra, when given).
func invalid(op string, extra error, format string, args ...any) error {
	te := tasks.Errorf(tasks.EINVALID, "%s: %s", op, fmt.Sprintf(format, args...))
	if extra != nil {
		return fmt.Errorf("%w: %w: %w", extra, ErrInvalidAnswer, te)
	}
	return fmt.Errorf("%w: %w", ErrInvalidAnswer, te)
}

// invalidAnswer counts and logs an answer that did not validate.
func (c *Client) invalidAnswer(op string, err error) error {
	c.failed()
	c.log.Warn("llm answer rejected", "op", op, "model", c.model, "err", err)
	return err
}

// redacted hides a secret in an error's text (a server may echo the API key
// back) while keeping the error chain for errors.Is and errors.As.
type redacted struct {
	err    error
	secret string
}

func (r redacted) Error() string {
	s := r.err.Error()
	if r.secret != "" {
		s = strings.ReplaceAll(s, r.secret, "[redacted]")
	}
	return s
}

func (r redacted) Unwrap() error { return r.err }
