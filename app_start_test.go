package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"steerbot/bot/telegramtest"
	"steerbot/sample"
	"steerbot/tasks"
	"steerbot/tasks/taskstest"
)

// TestOpen_TelegramUnreachableAtStart: while getMe fails, the listener is
// up: /healthz says why and since when, /metrics answers, and the command
// line's digest reaches the bot; once Telegram is back, Open returns and
// /healthz is green.
func TestOpen_TelegramUnreachableAtStart(t *testing.T) {
	srv := telegramtest.New(telegramtest.WithBotUser(1000, "steerbot_demo_bot"))
	t.Cleanup(srv.Close)
	cfg, err := demoConfig(t.TempDir(), srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Telegram.Token = testToken
	cfg.HTTP.Listen = "127.0.0.1:0"
	clock := taskstest.NewClock(sample.Eve(cfg.Location))
	m := &Main{Config: cfg, Clock: clock, PollTimeout: time.Second}
	t.Cleanup(func() { m.Close() })
	srv.SetDown(true)
	opened := make(chan error, 1)
	go func() { opened <- m.Open(context.Background()) }()
	// getMe failed and waits for its retry: nothing else waits yet.
	waitClock(t, clock, 1, "the retry of getMe")
	a := &app{t: t, m: m}
	code, body := a.get("/healthz")
	if code != 503 || !strings.Contains(body, "telegram") || !strings.Contains(body, "failing since "+clock.Now().Format(time.RFC3339)) {
		t.Errorf("healthz while Telegram is unreachable = %d %q, want 503 with the reason and since when", code, body)
	}
	if code, _ := a.get("/metrics"); code != 200 {
		t.Errorf("metrics while Telegram is unreachable = %d, want 200", code)
	}
	// The command line's way to a running bot (as `steerbot digest` with
	// http.listen at this address).
	asked := *cfg
	asked.HTTP.Listen = m.HTTPAddr()
	digest, err := viaBot(context.Background(), &asked, "/digest", nil)
	if err != nil {
		t.Errorf("digest from the bot while Telegram is unreachable: %v", err)
	} else if !strings.Contains(string(digest), cfg.Committee.Name) {
		t.Errorf("digest %q does not name the committee", digest)
	}

	srv.SetDown(false)
	clock.Advance(time.Second) // the retry
	if err := <-opened; err != nil {
		t.Fatalf("open once Telegram is back: %v", err)
	}
	if code, body := a.get("/healthz"); code != 200 {
		t.Errorf("healthz once Telegram is back = %d %q", code, body)
	}
	m.Close()
	if _, err := os.Stat(adminTokenPath(cfg)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("token file left after Close: %v", err)
	}
}

// runConfig writes a configuration for `steerbot run` against apiURL and
// returns its path and the database's.
func runConfig(t *testing.T, apiURL, listen string) (cfgPath, dbPath string) {
	t.Helper()
	dir := t.TempDir()
	cfgPath, dbPath = filepath.Join(dir, "steerbot.yaml"), filepath.Join(dir, "steerbot.db")
	y := fmt.Sprintf(`telegram: {api_url: %q}
storage: {path: %q}
http: {listen: %q}
units: [{code: SNV, name: "Sở Nội vụ"}]
members: [{name: "Trần Thị Bình", role: secretariat, telegram_id: 222}]
`, apiURL, dbPath, listen)
	if err := os.WriteFile(cfgPath, []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath, dbPath
}

// tokenEnv gives testToken as STEERBOT_TELEGRAM_TOKEN.
func tokenEnv(k string) string {
	if k == EnvTelegramToken {
		return testToken
	}
	return ""
}

// problemLines returns stderr's lines that are not the JSON log.
func problemLines(stderr string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if l != "" && !strings.HasPrefix(l, "{") {
			out = append(out, l)
		}
	}
	return out
}

func TestRun_TokenRejected(t *testing.T) {
	srv := telegramtest.New(telegramtest.WithToken("777:GOOD-token")) // any other token: 401
	t.Cleanup(srv.Close)
	cfgPath, dbPath := runConfig(t, srv.URL(), "127.0.0.1:0")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var stderr syncBuffer
	code := cli(ctx, []string{"run", "-config", cfgPath}, io.Discard, &stderr, tokenEnv)
	if code != exitUsage {
		t.Fatalf("run with a rejected token exited %d, want %d:\n%s", code, exitUsage, stderr.String())
	}
	lines := problemLines(stderr.String())
	if len(lines) != 1 || !strings.Contains(lines[0], "401") || !strings.Contains(lines[0], EnvTelegramToken) {
		t.Errorf("want one line naming the cause and %s, got %q", EnvTelegramToken, lines)
	}
	if strings.Contains(stderr.String(), testToken) || strings.Contains(stderr.String(), "SECRET") {
		t.Errorf("the token was printed:\n%s", stderr.String())
	}
	if srv.Count("getMe") != 1 {
		t.Errorf("getMe called %d times, want 1: a rejected token is not retried", srv.Count("getMe"))
	}
	if _, err := os.Stat(dbPath + ".token"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("admin token file left behind: %v", err)
	}
}

func TestRun_TokenFileRemovedWhenTheListenerCannotBind(t *testing.T) {
	srv := telegramtest.New()
	t.Cleanup(srv.Close)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cfgPath, dbPath := runConfig(t, srv.URL(), busy.Addr().String())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var stderr syncBuffer
	if code := cli(ctx, []string{"run", "-config", cfgPath}, io.Discard, &stderr, tokenEnv); code != exitError {
		t.Fatalf("run with the port taken exited %d, want %d:\n%s", code, exitError, stderr.String())
	}
	if !strings.Contains(stderr.String(), "http.listen") {
		t.Errorf("the failure does not name http.listen:\n%s", stderr.String())
	}
	if _, err := os.Stat(dbPath + ".token"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("admin token file left behind after a failed bind: %v", err)
	}
}

// TestBootstrap_RemovesMembersTakenOutOfTheConfig: a member taken out of
// the configuration's list gets a stranger's answer after the restart (and
// the log says so); one added in chat keeps access.
func TestBootstrap_RemovesMembersTakenOutOfTheConfig(t *testing.T) {
	a := newApp(t, nil)
	const chatAdded = 4242
	// The secretariat invites someone in chat, who joins.
	invite := a.say(sample.SecretariatID, "/invite unit_head SNV")
	link := invite.Text[strings.Index(invite.Text, "start=")+len("start="):]
	token := strings.FieldsFunc(link, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
	})[0]
	a.say(chatAdded, "/start "+token)
	stranger := a.say(sample.StrangerID, "/task CCHC-01").Text
	if before := a.say(sample.HeadSNVID, "/task CCHC-01").Text; before == stranger {
		t.Fatalf("the unit head is a stranger before the change")
	}
	a.shutdown()
	a.cfg.Members = slices.DeleteFunc(a.cfg.Members, func(m MemberConfig) bool { return m.TelegramID == sample.HeadSNVID })
	a.start(false)
	if got := a.say(sample.HeadSNVID, "/task CCHC-01").Text; got != stranger {
		t.Errorf("a member taken out of the configuration is answered %q, want the stranger's %q", got, stranger)
	}
	if got := a.say(chatAdded, "/task CCHC-01").Text; got == stranger {
		t.Errorf("a member added in chat lost access: %q", got)
	}
	if !strings.Contains(a.logs.String(), "member removed") {
		t.Errorf("the log does not say who was removed:\n%s", a.logs.String())
	}
}

// TestRun_TelegramUnreachableAtStart runs `steerbot run` while Telegram
// cannot be reached: its listener answers /healthz 503 with the reason and
// since when, `steerbot digest` reaches it, and once Telegram is back the
// bot runs and /healthz is 200.
func TestRun_TelegramUnreachableAtStart(t *testing.T) {
	srv := telegramtest.New()
	t.Cleanup(srv.Close)
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := free.Addr().String()
	free.Close()
	cfgPath, _ := runConfig(t, srv.URL(), addr)
	srv.SetDown(true)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- cli(ctx, []string{"run", "-config", cfgPath}, io.Discard, &stderr, tokenEnv) }()
	wctx, wcancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer wcancel()
	// A second getMe comes after the first one's failure was noted, and
	// the listener was up before the first.
	if err := srv.Wait(wctx, func() bool { return srv.Count("getMe") >= 2 }); err != nil {
		t.Fatalf("getMe not retried: %v\n%s", err, stderr.String())
	}
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/healthz"); code != 503 || !strings.Contains(body, "telegram") || !strings.Contains(body, "failing since") {
		t.Errorf("healthz while Telegram is unreachable = %d %q, want 503 with the reason and since when", code, body)
	}
	if code, _ := get("/metrics"); code != 200 {
		t.Errorf("metrics while Telegram is unreachable = %d", code)
	}
	r := cliRunEnv(t, nil, "digest", "-config", cfgPath)
	if r.code != exitOK || !strings.Contains(r.stdout, DefaultConfig().Committee.Name) {
		t.Errorf("digest while the bot waits for Telegram: %v", r)
	}

	srv.SetDown(false)
	// getUpdates comes after getMe succeeded and was noted.
	if err := srv.Wait(wctx, func() bool { return srv.Count("getUpdates") >= 1 }); err != nil {
		t.Fatalf("the bot does not poll once Telegram is back: %v\n%s", err, stderr.String())
	}
	if code, body := get("/healthz"); code != 200 {
		t.Errorf("healthz once Telegram is back = %d %q", code, body)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("run exited %d:\n%s", code, stderr.String())
	}
}

// A member the secretariat removed in chat (/remove) stays removed across
// restarts while the configuration's members list still names them.
func TestBootstrap_MemberRemovedInChatStaysRemoved(t *testing.T) {
	a := newApp(t, nil)
	stranger := a.say(sample.StrangerID, "/task CCHC-01").Text
	var id int64
	if err := a.m.Store.Update(context.Background(), func(tx tasks.Tx) error {
		m, err := tx.MemberByTelegram(sample.HeadSNVID)
		if err != nil {
			return err
		}
		id = m.ID
		_, err = tasks.RemoveMember(tx, m.ID, 0, a.clock.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := a.say(sample.HeadSNVID, "/task CCHC-01").Text; got != stranger {
		t.Fatalf("a removed member is answered %q, want the stranger's %q", got, stranger)
	}
	a.shutdown()
	a.start(false)
	if got := a.say(sample.HeadSNVID, "/task CCHC-01").Text; got != stranger {
		t.Errorf("after a restart the removed member is answered %q, want the stranger's %q", got, stranger)
	}
	if err := a.m.Store.View(context.Background(), func(tx tasks.Tx) error {
		ms, err := tx.Members()
		for _, m := range ms {
			if m.FormerTelegramID == sample.HeadSNVID && m.ID != id {
				t.Errorf("the configuration made a second record for the removed member: %+v", m)
			}
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
