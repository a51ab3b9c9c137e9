package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const (
	conflictWebhook = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
	conflictPoll    = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)

// apiGetUpdates implements getUpdates with long polling. It is called
// without s.mu held.
func (s *Server) apiGetUpdates(ctx context.Context, q *request) (any, *apiError) {
	offset, _ := q.integer("offset")
	limit, ok := q.integer("limit")
	if !ok || limit < 1 || limit > 100 {
		limit = 100
	}
	timeout, _ := q.integer("timeout")
	timeout = max(timeout, 0)

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hook.url != "" {
		return nil, &apiError{code: http.StatusConflict, desc: conflictWebhook}
	}
	if v := q.str("allowed_updates"); v != "" {
		var list []string
		if json.Unmarshal([]byte(v), &list) == nil {
			s.allowed = nil
			if len(list) > 0 {
				s.allowed = map[string]bool{}
				for _, k := range list {
					s.allowed[k] = true
				}
			}
		}
	}
	s.pollGen++
	gen := s.pollGen
	s.notify() // an older long poll is terminated with 409

	// Confirm: drop every update below offset; a negative offset keeps
	// only the last -offset updates.
	switch {
	case offset > 0:
		i := 0
		for i < len(s.queue) && s.queue[i].id < offset {
			i++
		}
		s.queue = s.queue[i:]
	case offset < 0:
		if keep := int(-offset); keep < len(s.queue) {
			s.queue = s.queue[len(s.queue)-keep:]
		}
	}

	deadline := time.Now().Add(time.Duration(timeout) * time.Second)
	var timer *time.Timer
	for {
		if s.allowed != nil {
			kept := s.queue[:0:0]
			for _, u := range s.queue {
				if s.allowed[u.kind] {
					kept = append(kept, u)
				}
			}
			s.queue = kept
		}
		if n := min(len(s.queue), int(limit)); n > 0 {
			res := make([]json.RawMessage, n)
			for i := range n {
				res[i] = s.queue[i].raw
			}
			s.notify()
			return res, nil
		}
		if s.closed || !time.Now().Before(deadline) {
			return []json.RawMessage{}, nil
		}
		if timer == nil {
			timer = time.NewTimer(time.Until(deadline))
			defer timer.Stop()
		}
		s.polling++
		s.notify()
		ch := s.changed
		s.mu.Unlock()
		var expired, gone bool
		select {
		case <-ch:
		case <-timer.C:
			expired = true
		case <-ctx.Done():
			gone = true
		}
		s.mu.Lock()
		s.polling--
		s.notify()
		switch {
		case gone:
			return nil, &apiError{code: 499, desc: "Client Closed Request"}
		case s.pollGen != gen:
			return nil, &apiError{code: http.StatusConflict, desc: conflictPoll}
		case s.down:
			return nil, &apiError{code: http.StatusBadGateway}
		case s.hook.url != "":
			return nil, &apiError{code: http.StatusConflict, desc: conflictWebhook}
		case expired:
			deadline = time.Now() // answer with whatever is queued, else []
		}
	}
}

// ---------------------------------------------------------------- webhook

// Webhook delivery retries a failing update this many times, waiting
// webhookRetryDelay, doubling, between attempts. After that the update
// stays pending until a new update arrives or setWebhook is called again.
const (
	webhookAttempts   = 5
	webhookRetryDelay = 10 * time.Millisecond
)

type webhookState struct {
	url         string
	secret      string
	maxConn     int
	allowed     []string
	lastErrDate int64
	lastErrMsg  string
	attempts    int
	paused      bool
}

var secretChars = func(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(isAlnumByte(c) || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func (s *Server) apiSetWebhook(q *request) (any, *apiError) {
	raw := strings.TrimSpace(q.str("url"))
	if raw == "" {
		return s.apiDeleteWebhook(q)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	secret := q.str("secret_token")
	if len(secret) > 256 {
		return nil, badRequest("secret token is too long")
	}
	if !secretChars(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	maxConn := 40
	if v, ok := q.integer("max_connections"); ok {
		if v < 1 || v > 100 {
			return nil, badRequest("bad webhook: invalid max_connections")
		}
		maxConn = int(v)
	}
	var allowed []string
	if v := q.str("allowed_updates"); v != "" {
		if json.Unmarshal([]byte(v), &allowed) != nil {
			return nil, badRequest("can't parse allowed_updates JSON object")
		}
	}
	same := s.hook.url == raw && s.hook.secret == secret
	if q.boolean("drop_pending_updates") {
		s.queue = nil
	}
	s.hook.url, s.hook.secret, s.hook.maxConn, s.hook.allowed = raw, secret, maxConn, allowed
	s.hook.paused, s.hook.attempts = false, 0
	if same {
		return withDescription{true, "Webhook is already set"}, nil
	}
	return withDescription{true, "Webhook was set"}, nil
}

func (s *Server) apiDeleteWebhook(q *request) (any, *apiError) {
	if q.boolean("drop_pending_updates") {
		s.queue = nil
	}
	if s.hook.url == "" {
		return withDescription{true, "Webhook is already deleted"}, nil
	}
	s.hook = webhookState{}
	return withDescription{true, "Webhook was deleted"}, nil
}

type apiWebhookInfo struct {
	URL                  string   `json:"url"`
	HasCustomCertificate bool     `json:"has_custom_certificate"`
	PendingUpdateCount   int      `json:"pending_update_count"`
	IPAddress            string   `json:"ip_address,omitempty"`
	LastErrorDate        int64    `json:"last_error_date,omitempty"`
	LastErrorMessage     string   `json:"last_error_message,omitempty"`
	MaxConnections       int      `json:"max_connections,omitempty"`
	AllowedUpdates       []string `json:"allowed_updates,omitempty"`
}

func (s *Server) apiGetWebhookInfo(*request) (any, *apiError) {
	info := apiWebhookInfo{URL: s.hook.url, PendingUpdateCount: len(s.queue)}
	if s.hook.url != "" {
		info.IPAddress = "127.0.0.1"
		info.LastErrorDate = s.hook.lastErrDate
		info.LastErrorMessage = s.hook.lastErrMsg
		info.MaxConnections = s.hook.maxConn
		info.AllowedUpdates = s.hook.allowed
	}
	return info, nil
}

// deliverLoop posts queued updates, one at a time and in order, to the
// webhook while one is set.
func (s *Server) deliverLoop() {
	defer s.wg.Done()
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		for !s.closed && !(s.hook.url != "" && !s.down && !s.hook.paused && len(s.queue) > 0) {
			ch := s.changed
			s.mu.Unlock()
			<-ch
			s.mu.Lock()
		}
		if s.closed {
			return
		}
		u := s.queue[0]
		if len(s.hook.allowed) > 0 && !contains(s.hook.allowed, u.kind) {
			s.queue = s.queue[1:]
			s.notify()
			continue
		}
		target, secret := s.hook.url, s.hook.secret
		s.mu.Unlock()
		status, err := post(s.ctx, s.hookHTTP, target, secret, u.raw)
		s.mu.Lock()
		if s.closed {
			return
		}
		if err == nil && status >= 200 && status < 300 {
			if len(s.queue) > 0 && s.queue[0].id == u.id {
				s.queue = s.queue[1:]
			}
			s.hook.attempts = 0
			s.notify()
			continue
		}
		if s.hook.url != target {
			continue // webhook changed meanwhile
		}
		s.hook.lastErrDate = s.now().Unix()
		if err != nil {
			s.hook.lastErrMsg = "Connection refused"
		} else {
			s.hook.lastErrMsg = fmt.Sprintf("Wrong response from the webhook: %d %s", status, http.StatusText(status))
		}
		s.hook.attempts++
		delay := webhookRetryDelay * time.Duration(math.Pow(2, float64(s.hook.attempts-1)))
		if s.hook.attempts >= webhookAttempts {
			s.hook.paused = true
			s.hook.attempts = 0
		}
		s.notify()
		if s.hook.paused {
			continue
		}
		s.mu.Unlock()
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-s.ctx.Done():
			t.Stop()
		}
		s.mu.Lock()
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func post(ctx context.Context, c *http.Client, target, secret string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// DeliverRaw posts update to a webhook URL the way Telegram does, with the
// X-Telegram-Bot-Api-Secret-Token header when secret is not empty, and
// returns the HTTP status. update is sent as is when it is a []byte,
// json.RawMessage or string, and JSON-encoded otherwise. It does not touch
// the server's update queue; see NewTextUpdate for building updates.
func (s *Server) DeliverRaw(url, secret string, update any) (status int, err error) {
	var body []byte
	switch v := update.(type) {
	case []byte:
		body = v
	case json.RawMessage:
		body = v
	case string:
		body = []byte(v)
	default:
		if body, err = json.Marshal(update); err != nil {
			return 0, err
		}
	}
	return post(s.ctx, s.hookHTTP, url, secret, body)
}

// ---------------------------------------------------------------- limits

// limitGrace is how early a request may arrive and still get a token.
const limitGrace = 50 * time.Millisecond

type bucket struct {
	tokens float64
	last   time.Time
	used   bool
}

func (b *bucket) level(now time.Time, rate, burst float64) float64 {
	if !b.used {
		return burst
	}
	return math.Min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
}

type limiter struct {
	l      Limits
	global bucket
	chats  map[int64]*bucket
	groups map[int64]*bucket
}

func newLimiter(l Limits) limiter {
	return limiter{l: l, chats: map[int64]*bucket{}, groups: map[int64]*bucket{}}
}

// take consumes a token from every bucket that applies to a send to cs, or
// answers 429 without consuming anything.
func (l *limiter) take(now time.Time, cs *chatState) *apiError {
	type scope struct {
		b           *bucket
		rate, burst float64
	}
	var scopes []scope
	if l.l.GlobalPerSec > 0 {
		scopes = append(scopes, scope{&l.global, l.l.GlobalPerSec, math.Max(1, l.l.GlobalPerSec)})
	}
	id := cs.info.ID
	if l.l.PerChatPerSec > 0 {
		if l.chats[id] == nil {
			l.chats[id] = &bucket{}
		}
		scopes = append(scopes, scope{l.chats[id], l.l.PerChatPerSec, 1})
	}
	if l.l.PerGroupPerMin > 0 && (cs.isGroup() || id < 0) {
		if l.groups[id] == nil {
			l.groups[id] = &bucket{}
		}
		scopes = append(scopes, scope{l.groups[id], l.l.PerGroupPerMin / 60, 1})
	}
	retry := 0
	for _, sc := range scopes {
		lvl := sc.b.level(now, sc.rate, sc.burst)
		if math.Min(sc.burst, lvl+limitGrace.Seconds()*sc.rate) >= 1 {
			continue
		}
		wait := int(math.Ceil((1-lvl)/sc.rate - 1e-9))
		retry = max(retry, wait, 1)
	}
	if retry > 0 {
		return &apiError{
			code:       http.StatusTooManyRequests,
			desc:       fmt.Sprintf("Too Many Requests: retry after %d", retry),
			retryAfter: retry,
		}
	}
	for _, sc := range scopes {
		sc.b.tokens = sc.b.level(now, sc.rate, sc.burst) - 1
		sc.b.last = now
		sc.b.used = true
	}
	return nil
}
