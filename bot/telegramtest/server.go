// Package telegramtest is an in-process fake of the Telegram Bot API.
//
// A Server speaks the Bot API over real HTTP (net/http/httptest), so the
// production client (github.com/go-telegram/bot, configured with
// bot.WithServerURL(srv.URL())) talks to it exactly as it would talk to
// api.telegram.org. Tests play the users' side with SendText, Reply,
// SendDocument, SendPhoto and Press, and observe everything the bot did with
// Sent, SentTo, WaitFor, WaitSent, Events, Subscribe, Callbacks and Count.
//
// The server validates requests the way Telegram does (message and caption
// lengths in UTF-16 code units, HTML entity parsing (the bot sends no Markdown), inline
// keyboard callback data, command names, reply targets, ...) and answers
// with Telegram's error codes and descriptions. It can also enforce
// Telegram's flood limits (WithLimits), inject failures (SetDown, FailNext),
// refuse chats (Block) and deliver updates to a webhook (setWebhook).
//
// All methods are safe for concurrent use.
package telegramtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Default identity of the fake bot, as reported by getMe.
const (
	// DefaultBotID is the bot's user id unless WithBotUser says otherwise.
	DefaultBotID int64 = 1000
	// DefaultBotUsername is the bot's username unless WithBotUser says otherwise.
	DefaultBotUsername = "steerbot_test_bot"
)

// Telegram's size limits enforced by the server.
const (
	// MaxMessageLength is the longest message text, in UTF-16 code units after entity parsing.
	MaxMessageLength = 4096
	// MaxCaptionLength is the longest media caption, in UTF-16 code units after entity parsing.
	MaxCaptionLength = 1024
	// MaxCallbackDataLength is the longest inline button callback_data, in bytes.
	MaxCallbackDataLength = 64
	// MaxCallbackAnswerLength is the longest answerCallbackQuery text, in UTF-16 code units.
	MaxCallbackAnswerLength = 200
	// MaxDownloadSize is the largest file getFile lets a bot download (20 MB).
	MaxDownloadSize = 20 << 20
	// MaxUploadSize is the largest request body the server accepts (50 MB).
	MaxUploadSize = 50 << 20
)

// ErrClosed is returned by the waiting methods once the server is closed.
var ErrClosed = errors.New("telegramtest: server closed")

// User is a Telegram user acting in a test.
type User struct {
	ID           int64
	FirstName    string
	Username     string
	LanguageCode string
}

// Chat is a Telegram chat. Type is "private", "group" or "supergroup"; an
// empty Type means "private". Title names group chats.
type Chat struct {
	ID    int64
	Type  string
	Title string
}

// Private returns the private chat between u and the bot.
func Private(u User) Chat {
	return Chat{ID: u.ID, Type: "private"}
}

// Limits are Telegram's flood limits. A zero field disables that limit.
//
// Each scope is a token bucket: the global bucket holds max(1, GlobalPerSec)
// tokens, a chat's bucket and a group's bucket hold one token each. Requests
// arriving up to 50 ms early are tolerated to absorb scheduling jitter.
// Only sendMessage, sendDocument and sendPhoto are limited.
type Limits struct {
	GlobalPerSec   float64 // messages per second across all chats (Telegram: 30)
	PerChatPerSec  float64 // messages per second in one chat (Telegram: 1)
	PerGroupPerMin float64 // messages per minute in one group or supergroup (Telegram: 20)
}

// Option configures a Server.
type Option func(*config)

type config struct {
	botID         int64
	botUsername   string
	botFirstName  string
	token         string
	limits        Limits
	clock         func() time.Time
	firstUpdateID int64
}

// WithBotUser sets the bot's identity reported by getMe and used as the
// sender of the bot's messages.
func WithBotUser(id int64, username string) Option {
	return func(c *config) {
		c.botID = id
		c.botUsername = username
	}
}

// WithToken makes the server accept only requests made with tok; any other
// token is answered 401 Unauthorized. By default every token is accepted.
func WithToken(tok string) Option {
	return func(c *config) { c.token = tok }
}

// WithLimits enforces Telegram's send limits; exceeding them is answered
// 429 Too Many Requests with parameters.retry_after.
func WithLimits(l Limits) Option {
	return func(c *config) { c.limits = l }
}

// WithClock sets the clock used for message dates and flood limits
// (default time.Now). Long-poll and webhook timers always use real time.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithFirstUpdateID sets the id of the first update (default 1).
func WithFirstUpdateID(id int64) Option {
	return func(c *config) { c.firstUpdateID = id }
}

// Server is a fake Telegram Bot API server. Create it with New and release
// it with Close.
type Server struct {
	cfg       config
	ts        *httptest.Server
	hookHTTP  *http.Client
	ctx       context.Context
	cancel    context.CancelFunc
	closeOnce sync.Once
	wg        sync.WaitGroup

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change
	closed  bool

	down     bool
	faults   map[string][]fault
	counts   map[string]int
	count429 int

	nextUpdateID int64
	queue        []queuedUpdate
	allowed      map[string]bool
	pollGen      int64
	polling      int

	hook webhookState

	chats   map[int64]*chatState
	sent    []*msgRec
	events  []Event
	files   map[string]*fileRec
	paths   map[string]*fileRec
	fileSeq int

	callbacks map[string]*callbackRec
	answers   []CallbackAnswer
	cbSeq     int

	commands map[string][]Command
	menus    map[int64]MenuButton // setChatMenuButton, by chat (menu.go)

	limiter limiter
}

// New starts a fake Bot API server.
func New(opts ...Option) *Server {
	cfg := config{
		botID:         DefaultBotID,
		botUsername:   DefaultBotUsername,
		botFirstName:  "Steerbot",
		clock:         time.Now,
		firstUpdateID: 1,
	}
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		cfg:          cfg,
		hookHTTP:     &http.Client{Timeout: 5 * time.Second},
		ctx:          ctx,
		cancel:       cancel,
		changed:      make(chan struct{}),
		faults:       map[string][]fault{},
		counts:       map[string]int{},
		nextUpdateID: cfg.firstUpdateID,
		chats:        map[int64]*chatState{},
		files:        map[string]*fileRec{},
		paths:        map[string]*fileRec{},
		callbacks:    map[string]*callbackRec{},
		commands:     map[string][]Command{},
		limiter:      newLimiter(cfg.limits),
	}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.wg.Add(1)
	go s.deliverLoop()
	return s
}

// URL returns the server's base URL, the value for bot.WithServerURL.
func (s *Server) URL() string { return s.ts.URL }

// Close stops the server: pending long polls return, waiters get ErrClosed,
// webhook delivery stops. Close waits for all of the server's goroutines
// except subscribers (see Subscribe).
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.notify()
		s.mu.Unlock()
		s.cancel()
		s.ts.Close()
		s.wg.Wait()
	})
}

// notify wakes everyone waiting for a state change. s.mu must be held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) now() time.Time { return s.cfg.clock() }

// ---------------------------------------------------------------- faults

type fault struct {
	code       int
	retryAfter int
}

// SetDown makes every request (API calls and file downloads) fail with
// 502 Bad Gateway and an HTML body, as a reverse proxy in front of a dead
// backend would, until SetDown(false). Webhook delivery pauses meanwhile.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
	s.notify()
}

// FailNext makes the next n calls of method (case-insensitive; "" matches
// any method) fail with the HTTP status and error_code code. retryAfter is
// reported in parameters.retry_after (used with 429). Codes 502, 503 and 504
// are answered with an HTML gateway page instead of JSON.
func (s *Server) FailNext(method string, n int, code int, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(method)
	for range n {
		s.faults[key] = append(s.faults[key], fault{code: code, retryAfter: retryAfter})
	}
}

// Block makes the chat refuse the bot: sending to it, editing in it and
// chat actions are answered 403 "Forbidden: bot was blocked by the user"
// ("bot was kicked from the group chat" for groups).
func (s *Server) Block(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chat(chatID).blocked = true
}

// Unblock undoes Block.
func (s *Server) Unblock(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chat(chatID).blocked = false
}

// ---------------------------------------------------------------- HTTP

type apiError struct {
	code       int
	desc       string
	retryAfter int
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: http.StatusBadRequest, desc: "Bad Request: " + fmt.Sprintf(format, args...)}
}

var errNotFound = &apiError{code: http.StatusNotFound, desc: "Not Found"}

func faultError(f fault) *apiError {
	e := &apiError{code: f.code, retryAfter: f.retryAfter}
	switch f.code {
	case 400:
		e.desc = "Bad Request: injected failure"
	case 401:
		e.desc = "Unauthorized"
	case 403:
		e.desc = "Forbidden: bot was blocked by the user"
	case 404:
		e.desc = "Not Found"
	case 409:
		e.desc = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	case 429:
		e.desc = fmt.Sprintf("Too Many Requests: retry after %d", f.retryAfter)
	case 500:
		e.desc = "Internal Server Error"
	default:
		e.desc = http.StatusText(f.code)
	}
	return e
}

type okResponse struct {
	OK          bool   `json:"ok"`
	Result      any    `json:"result"`
	Description string `json:"description,omitempty"`
}

type errParams struct {
	RetryAfter int `json:"retry_after,omitempty"`
}

type errResponse struct {
	OK          bool       `json:"ok"`
	ErrorCode   int        `json:"error_code"`
	Description string     `json:"description"`
	Parameters  *errParams `json:"parameters,omitempty"`
}

// withDescription lets a handler add a description to a successful answer.
type withDescription struct {
	result any
	desc   string
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"ok":false,"error_code":500,"description":"Internal Server Error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeGateway(w http.ResponseWriter, code int) {
	text := fmt.Sprintf("%d %s", code, http.StatusText(code))
	body := "<html>\r\n<head><title>" + text + "</title></head>\r\n<body>\r\n<center><h1>" + text +
		"</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n"
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	_, _ = io.WriteString(w, body)
}

func (s *Server) writeError(w http.ResponseWriter, e *apiError) {
	if e.code == http.StatusTooManyRequests {
		s.mu.Lock()
		s.count429++
		s.notify()
		s.mu.Unlock()
	}
	if e.code == http.StatusBadGateway || e.code == http.StatusServiceUnavailable || e.code == http.StatusGatewayTimeout {
		writeGateway(w, e.code)
		return
	}
	resp := errResponse{ErrorCode: e.code, Description: e.desc}
	if e.retryAfter > 0 {
		resp.Parameters = &errParams{RetryAfter: e.retryAfter}
	}
	writeJSON(w, e.code, resp)
}

func (s *Server) writeResult(w http.ResponseWriter, res any) {
	resp := okResponse{OK: true, Result: res}
	if d, ok := res.(withDescription); ok {
		resp.Result, resp.Description = d.result, d.desc
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, "/file/bot"); ok {
		s.serveFile(w, r, rest)
		return
	}
	rest, ok := strings.CutPrefix(path, "/bot")
	token, method, found := strings.Cut(rest, "/")
	method = strings.TrimPrefix(method, "test/")
	key := strings.ToLower(method)

	s.mu.Lock()
	if ok && found && method != "" {
		s.counts[key]++
		s.notify() // a request is a change Wait sees, also one refused while down
	}
	down := s.down
	s.mu.Unlock()
	if down {
		writeGateway(w, http.StatusBadGateway)
		return
	}
	if !ok || !found || token == "" || method == "" {
		s.writeError(w, errNotFound)
		return
	}
	if s.cfg.token != "" && token != s.cfg.token {
		s.writeError(w, &apiError{code: http.StatusUnauthorized, desc: "Unauthorized"})
		return
	}
	h, known := handlers[key]
	s.mu.Lock()
	var injected *apiError
	for _, k := range []string{key, ""} {
		if q := s.faults[k]; len(q) > 0 {
			injected = faultError(q[0])
			s.faults[k] = q[1:]
			break
		}
	}
	s.mu.Unlock()
	if injected != nil {
		s.writeError(w, injected)
		return
	}
	if !known {
		s.writeError(w, errNotFound)
		return
	}
	req, aerr := parseRequest(w, r)
	if aerr != nil {
		s.writeError(w, aerr)
		return
	}
	var res any
	if key == "getupdates" {
		res, aerr = s.apiGetUpdates(r.Context(), req)
	} else {
		s.mu.Lock()
		res, aerr = h(s, req)
		s.notify()
		s.mu.Unlock()
	}
	if aerr != nil {
		s.writeError(w, aerr)
		return
	}
	s.writeResult(w, res)
}

// ---------------------------------------------------------------- requests

type upload struct {
	filename    string
	contentType string
	data        []byte
}

type request struct {
	values map[string]string
	files  map[string]*upload
}

func (q *request) str(name string) string { return q.values[name] }

func (q *request) has(name string) bool {
	_, ok := q.values[name]
	return ok
}

func (q *request) boolean(name string) bool {
	v := strings.ToLower(q.values[name])
	return v == "true" || v == "1"
}

func (q *request) integer(name string) (int64, bool) {
	v, err := strconv.ParseInt(strings.TrimSpace(q.values[name]), 10, 64)
	return v, err == nil
}

// parseRequest accepts the encodings Telegram accepts: query string,
// application/x-www-form-urlencoded, application/json and multipart/form-data.
func parseRequest(w http.ResponseWriter, r *http.Request) (*request, *apiError) {
	q := &request{values: map[string]string{}, files: map[string]*upload{}}
	for k, v := range r.URL.Query() {
		if len(v) > 0 {
			q.values[k] = v[0]
		}
	}
	if r.Body == nil {
		return q, nil
	}
	body := http.MaxBytesReader(w, r.Body, MaxUploadSize+1<<20)
	tooBig := func(err error) *apiError {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &apiError{code: http.StatusRequestEntityTooLarge, desc: "Request Entity Too Large"}
		}
		return badRequest("can't parse request: %v", err)
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return q, nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return q, nil
	}
	switch mt {
	case "multipart/form-data":
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, tooBig(err)
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return nil, tooBig(err)
			}
			if part.FileName() != "" {
				q.files[part.FormName()] = &upload{
					filename:    part.FileName(),
					contentType: part.Header.Get("Content-Type"),
					data:        data,
				}
			} else {
				q.values[part.FormName()] = string(data)
			}
		}
	case "application/x-www-form-urlencoded":
		r.Body = body
		if err := r.ParseForm(); err != nil {
			return nil, tooBig(err)
		}
		for k, v := range r.PostForm {
			if len(v) > 0 {
				q.values[k] = v[0]
			}
		}
	case "application/json":
		data, err := io.ReadAll(body)
		if err != nil {
			return nil, tooBig(err)
		}
		if len(strings.TrimSpace(string(data))) == 0 {
			return q, nil
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, badRequest("can't parse JSON encoded request")
		}
		for k, raw := range m {
			var str string
			if json.Unmarshal(raw, &str) == nil {
				q.values[k] = str
			} else if string(raw) != "null" {
				q.values[k] = string(raw)
			}
		}
	}
	return q, nil
}
