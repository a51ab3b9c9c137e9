package dashboard

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"steerbot/tasks"
)

//go:embed assets
var assets embed.FS

// TelegramScript is where Telegram serves the script that a Mini App
// loads to talk to Telegram (Telegram.WebApp).
const TelegramScript = "https://telegram.org/js/telegram-web-app.js"

// CookieName is the session cookie's name.
const CookieName = "steerbot_dash"

// Options configures a Server. Store, Loc and Token are required.
type Options struct {
	Store  tasks.Store
	Policy tasks.Policy
	Clock  tasks.Clock
	Loc    *time.Location
	Logger *slog.Logger
	// Token is the bot's token: initData is signed with a key derived
	// from it.
	Token string
	// URL is the dashboard's public base URL ("https://…"), the start of
	// every one-time link.
	URL string
	// MaxAge is how old initData may be; 0 for an hour.
	MaxAge time.Duration
	// Lang is the committee's language, for members who chose none and
	// for strangers.
	Lang          string
	CommitteeName string
	DueSoonDays   int
	// BotUsername returns the bot's @username (known once the bot has
	// connected), for the links back to the bot.
	BotUsername func() string
	// Script is the URL of Telegram's telegram-web-app.js to include in
	// every page; empty for none (tests: the pages work without it).
	Script string
	// TrendPoints is how many digests the trend shows; 0 for 12.
	TrendPoints int
}

// Server serves the dashboard.
type Server struct {
	o     Options
	log   *slog.Logger
	pages map[string]*template.Template
	mux   *http.ServeMux

	failMu sync.Mutex
	fails  map[string]failWindow

	cache  taskCache
	trends trendCache
}

// failWindow counts one client's failed sign-ins in a window.
type failWindow struct {
	start time.Time
	n     int
}

// Sign-in attempts: a client that failed maxFails times in failWindowLen
// is refused until the window ends.
const (
	maxFails      = 10
	failWindowLen = 10 * time.Minute
)

// New builds a Server.
func New(o Options) (*Server, error) {
	if o.Store == nil || o.Loc == nil || o.Token == "" {
		return nil, errors.New("dashboard: Store, Loc and Token are required")
	}
	if o.Clock == nil {
		o.Clock = tasks.SystemClock
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxAge <= 0 {
		o.MaxAge = time.Hour
	}
	if o.Lang != "en" {
		o.Lang = "vi"
	}
	if o.TrendPoints <= 0 {
		o.TrendPoints = 12
	}
	if o.BotUsername == nil {
		o.BotUsername = func() string { return "" }
	}
	o.URL = strings.TrimRight(o.URL, "/")
	s := &Server{o: o, log: o.Logger, fails: map[string]failWindow{}}
	if err := s.parse(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// parse reads the embedded templates: each page with the layout.
func (s *Server) parse() error {
	s.pages = map[string]*template.Template{}
	names, err := fs.Glob(assets, "assets/page_*.html")
	if err != nil {
		return fmt.Errorf("dashboard templates: %w", err)
	}
	for _, n := range names {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "assets/layout.html", n)
		if err != nil {
			return fmt.Errorf("dashboard template %s: %w", n, err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(n, "assets/page_"), ".html")
		s.pages[name] = t
	}
	return nil
}

// Handler returns the dashboard's HTTP handler.
func (s *Server) Handler() http.Handler { return s.headers(s.mux) }

func (s *Server) routes() {
	mux := http.NewServeMux()
	static, _ := fs.Sub(assets, "assets/static") // a fixed embedded path
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("POST /auth/telegram", s.handleInitData)
	mux.HandleFunc("GET /link/{token}", s.handleLinkPage)
	mux.HandleFunc("POST /link/{token}", s.handleLink)
	mux.HandleFunc("POST /signout", s.handleSignOut)
	mux.HandleFunc("GET /{$}", s.page(s.overview))
	mux.HandleFunc("GET /units", s.page(s.units))
	mux.HandleFunc("GET /units/{code}", s.page(s.unit))
	mux.HandleFunc("GET /tasks", s.page(s.taskList))
	mux.HandleFunc("GET /tasks/{code}", s.page(s.task))
	mux.HandleFunc("GET /overdue", s.page(s.overdue))
	mux.HandleFunc("GET /meetings", s.page(s.meetings))
	mux.HandleFunc("/", s.page(func(*request) (string, any, error) { return "", nil, errNotFound }))
	s.mux = mux
}

// headers sets the security headers on every answer: only the app itself
// and Telegram's script run, only Telegram's web clients may frame it, and
// no page (a one-time link least of all) is sent on as a referrer.
func (s *Server) headers(h http.Handler) http.Handler {
	csp := "default-src 'self'; script-src 'self' https://telegram.org; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; " +
		"frame-ancestors 'self' https://web.telegram.org https://*.telegram.org"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			hd.Set("Cache-Control", "no-store")
		}
		h.ServeHTTP(w, r)
	})
}

// hashID is what the store keeps of a token or a session id: a copy of
// the database opens nothing.
func hashID(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// newSecret returns a random URL-safe secret.
func newSecret() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// NewLink stores a one-time link for m, valid tasks.DashLinkTTL from now,
// and returns its URL. It is made in the caller's transaction, so the link
// exists once the message that carries it is committed.
func (s *Server) NewLink(tx tasks.DashStore, m tasks.Member, now time.Time) (string, error) {
	tok, err := newSecret()
	if err != nil {
		return "", fmt.Errorf("dashboard link: %w", err)
	}
	if err := tx.PutDashLink(tasks.DashLink{ID: hashID(tok), Member: m.ID, Created: now}); err != nil {
		return "", fmt.Errorf("dashboard link: %w", err)
	}
	return s.o.URL + "/link/" + tok, nil
}

// startSession stores a new session for member and sets its cookie.
func (s *Server) startSession(w http.ResponseWriter, tx tasks.DashStore, member int64, now time.Time) error {
	id, err := newSecret()
	if err != nil {
		return err
	}
	if err := tx.PutDashSession(tasks.DashSession{ID: hashID(id), Member: member, Created: now}); err != nil {
		return fmt.Errorf("store session: %w", err)
	}
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: id, Path: "/", HttpOnly: true,
		Secure: strings.HasPrefix(s.o.URL, "https://"), SameSite: http.SameSiteLaxMode,
		MaxAge: int(tasks.DashSessionTTL / time.Second),
	})
	return nil
}

// client names the client for the sign-in rate limit: its address, or,
// for a request from the TLS proxy on this machine, the address the proxy
// names in X-Real-IP (so one guesser does not lock everybody out).
func client(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		if real := strings.TrimSpace(r.Header.Get("X-Real-IP")); real != "" && len(real) <= 64 {
			return real
		}
	}
	return host
}

// limited reports whether the client has failed too often lately.
func (s *Server) limited(r *http.Request) bool {
	s.failMu.Lock()
	defer s.failMu.Unlock()
	f, ok := s.fails[client(r)]
	return ok && f.n >= maxFails && s.o.Clock.Now().Sub(f.start) < failWindowLen
}

// failed counts a failed sign-in.
func (s *Server) failed(r *http.Request, why string) {
	now := s.o.Clock.Now()
	s.failMu.Lock()
	defer s.failMu.Unlock()
	c := client(r)
	f := s.fails[c]
	if now.Sub(f.start) >= failWindowLen {
		f = failWindow{start: now}
	}
	f.n++
	s.fails[c] = f
	if len(s.fails) > 10000 { // a flood of addresses: forget the old windows
		for k, v := range s.fails {
			if now.Sub(v.start) >= failWindowLen {
				delete(s.fails, k)
			}
		}
	}
	s.log.Info("dashboard sign-in refused", "why", why) // never the data, token or id
}

// handleInitData signs in a Mini App: its initData, validated, names a
// Telegram user linked to a member.
func (s *Server) handleInitData(w http.ResponseWriter, r *http.Request) {
	if s.limited(r) {
		http.Error(w, "too many attempts", http.StatusTooManyRequests)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.failed(r, "bad form")
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	now := s.o.Clock.Now()
	u, err := ValidateInitData(r.PostForm.Get("init_data"), s.o.Token, s.o.MaxAge, now)
	if err != nil {
		s.failed(r, err.Error())
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	err = s.o.Store.Update(r.Context(), func(tx tasks.Tx) error {
		m, err := tx.MemberByTelegram(u.ID)
		if err != nil {
			return err
		}
		if !m.Linked() || m.Removed() {
			return tasks.NewError(tasks.ENOTFOUND, "not_member", "not a member")
		}
		return s.startSession(w, tx, m.ID, now)
	})
	switch {
	case tasks.IsNotFound(err):
		s.failed(r, "not a member")
		http.Error(w, "not a member", http.StatusForbidden)
	case err != nil:
		s.log.Error("dashboard sign-in", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// handleLinkPage answers a one-time link's GET with a page whose form
// (sent at once by the script, or by a tap without it) spends the link: a
// link checker or a preview that fetches the URL spends nothing.
func (s *Server) handleLinkPage(w http.ResponseWriter, r *http.Request) {
	d := layoutData{Lang: s.o.Lang, Committee: s.o.CommitteeName, Nav: "link", BotURL: s.botURL(), Script: s.o.Script,
		Page: "/link/" + url.PathEscape(r.PathValue("token"))}
	s.write(w, http.StatusOK, "link", d)
}

// handleLink opens a session from a one-time link and spends the link.
func (s *Server) handleLink(w http.ResponseWriter, r *http.Request) {
	lang := s.o.Lang
	if s.limited(r) {
		s.renderBare(w, http.StatusTooManyRequests, lang, "link_bad")
		return
	}
	now := s.o.Clock.Now()
	id := hashID(r.PathValue("token"))
	var spent bool
	err := s.o.Store.Update(r.Context(), func(tx tasks.Tx) error {
		l, err := tx.TakeDashLink(id)
		if err != nil {
			return err
		}
		spent = true // taken: a second opening finds nothing, even when this one fails below
		m, err := tx.Member(l.Member)
		if err != nil {
			return err
		}
		if m.Lang == "en" || m.Lang == "vi" {
			lang = m.Lang
		}
		if l.Ended(now) || !m.Linked() || m.Removed() {
			return tasks.NewError(tasks.ENOTFOUND, "link_ended", "link ended")
		}
		return s.startSession(w, tx, m.ID, now)
	})
	switch {
	case tasks.IsNotFound(err):
		s.failed(r, "link spent, expired or unknown")
		if spent {
			// The link's deletion must stick even though no session
			// was made: spend it in a transaction of its own.
			if err := s.o.Store.Update(r.Context(), func(tx tasks.Tx) error {
				_, err := tx.TakeDashLink(id)
				if tasks.IsNotFound(err) {
					return nil
				}
				return err
			}); err != nil {
				s.log.Error("dashboard link", "err", err)
			}
		}
		s.renderBare(w, http.StatusGone, lang, "link_bad")
	case err != nil:
		s.log.Error("dashboard link", "err", err)
		s.renderBare(w, http.StatusInternalServerError, lang, "internal")
	default:
		http.Redirect(w, r, "/", http.StatusSeeOther)
	}
}

// handleSignOut ends the session.
func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(CookieName); err == nil {
		if err := s.o.Store.Update(r.Context(), func(tx tasks.Tx) error { return tx.DeleteDashSession(hashID(c.Value)) }); err != nil {
			s.log.Error("dashboard sign-out", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: strings.HasPrefix(s.o.URL, "https://"), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// errNotFound is a page that does not exist, or one the member may not
// see: both answer alike.
var errNotFound = errors.New("not found")

// request is one page request: the signed-in member and the transaction
// the page is computed from.
type request struct {
	r      *http.Request
	tx     tasks.Tx
	member tasks.Member
	lang   string
	full   bool // the member reads everything (chairs, secretariat)
	now    time.Time
	tl     tasks.Timeline
}

// page wraps a page: the session is checked and the page computed in one
// read transaction, then rendered. A visitor without a session gets the
// sign-in page, which hands Telegram's initData over when there is some
// and otherwise says how to get invited.
func (s *Server) page(fn func(*request) (string, any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		now := s.o.Clock.Now()
		var (
			name  string
			data  any
			rq    *request
			found = true
		)
		err := s.o.Store.View(r.Context(), func(tx tasks.Tx) error {
			m, ok, err := s.sessionMember(r, tx, now)
			if err != nil || !ok {
				found = ok
				return err
			}
			rq = &request{r: r, tx: cachedTx{Tx: tx, c: &s.cache}, member: m, lang: s.o.Lang, now: now,
				full: s.o.Policy.Can(m, tasks.ReadAll, nil) == nil,
				tl:   tasks.Timeline{Now: now, Loc: s.o.Loc, DueSoonDays: s.o.DueSoonDays}}
			if m.Lang == "en" || m.Lang == "vi" {
				rq.lang = m.Lang
			}
			name, data, err = fn(rq)
			return err
		})
		switch {
		case err == nil && !found:
			s.renderBare(w, http.StatusUnauthorized, s.o.Lang, "")
		case errors.Is(err, errNotFound) || tasks.IsNotFound(err):
			s.render(w, http.StatusNotFound, rq, "notfound", nil)
		case err != nil:
			s.log.Error("dashboard page", "path", r.URL.Path, "err", err)
			s.render(w, http.StatusInternalServerError, rq, "notfound", nil)
		default:
			s.render(w, http.StatusOK, rq, name, data)
		}
	}
}

// sessionMember returns the member whose session the request carries;
// ok is false for none, an ended one, or a member no longer linked.
func (s *Server) sessionMember(r *http.Request, tx tasks.Tx, now time.Time) (tasks.Member, bool, error) {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" || len(c.Value) > 64 {
		return tasks.Member{}, false, nil
	}
	sess, err := tx.DashSession(hashID(c.Value))
	if tasks.IsNotFound(err) {
		return tasks.Member{}, false, nil
	}
	if err != nil {
		return tasks.Member{}, false, err
	}
	if sess.Ended(now) {
		return tasks.Member{}, false, nil
	}
	m, err := tx.Member(sess.Member)
	if tasks.IsNotFound(err) {
		return tasks.Member{}, false, nil
	}
	if err != nil {
		return tasks.Member{}, false, err
	}
	if !m.Linked() || m.Removed() {
		return tasks.Member{}, false, nil
	}
	return m, true, nil
}

// layoutData is what the layout template reads.
type layoutData struct {
	Lang      string
	Title     string
	Committee string
	Nav       string // the page's tab
	Member    *tasks.Member
	Full      bool
	BotURL    string
	Script    string
	Message   string // the sign-in page's catalog key
	Page      any
}

func (s *Server) botURL() string {
	if u := s.o.BotUsername(); u != "" {
		return "https://t.me/" + u
	}
	return ""
}

// render writes a page with the layout; rq is nil when nobody is signed
// in.
func (s *Server) render(w http.ResponseWriter, status int, rq *request, name string, data any) {
	d := layoutData{Lang: s.o.Lang, Committee: s.o.CommitteeName, Nav: name, BotURL: s.botURL(), Script: s.o.Script, Page: data}
	if rq != nil {
		d.Lang, d.Member, d.Full = rq.lang, &rq.member, rq.full
	}
	s.write(w, status, name, d)
}

// renderBare writes the sign-in page (msg "") or a message page for a
// visitor without a session.
func (s *Server) renderBare(w http.ResponseWriter, status int, lang, msg string) {
	s.write(w, status, "signin", layoutData{Lang: lang, Committee: s.o.CommitteeName, Nav: "signin",
		BotURL: s.botURL(), Script: s.o.Script, Message: msg})
}

func (s *Server) write(w http.ResponseWriter, status int, name string, d layoutData) {
	t := s.pages[name]
	var buf bytes.Buffer
	if t == nil {
		s.log.Error("dashboard: no template", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := t.Execute(&buf, d); err != nil {
		s.log.Error("dashboard render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w) // the client may have gone; nothing to do then
}

// Serve serves the dashboard on ln until ctx ends, then shuts down,
// letting requests under way finish for up to five seconds.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("dashboard: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("dashboard shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("dashboard: %w", err)
	}
	return nil
}
