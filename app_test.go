package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"steerbot/bot/telegramtest"
	"steerbot/llm/llmtest"
	"steerbot/sample"
	"steerbot/storage"
	"steerbot/taskfile"
	"steerbot/tasks"
	"steerbot/tasks/taskstest"
)

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// app is the whole bot, as `steerbot run` wires it, over a database in a
// temporary directory and the fake Telegram.
type app struct {
	t     *testing.T
	srv   *telegramtest.Server
	cfg   *Config
	m     *Main
	clock *taskstest.Clock
	logs  *syncBuffer
	stop  context.CancelFunc
	done  chan error
}

const testToken = "4242:SECRET-test-token"

// newApp starts the sample committee's bot. mutate may change the
// configuration before it starts.
func newApp(t *testing.T, mutate func(*Config)) *app {
	t.Helper()
	srv := telegramtest.New(telegramtest.WithBotUser(1000, "steerbot_demo_bot"))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfg, err := demoConfig(dir, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Telegram.Token = testToken
	a := &app{t: t, srv: srv, cfg: cfg, clock: taskstest.NewClock(sample.Eve(cfg.Location)), logs: &syncBuffer{}}
	if mutate != nil {
		mutate(cfg)
	}
	a.start(true)
	return a
}

// start opens the Main on the configured database and runs it.
func (a *app) start(seed bool) {
	a.t.Helper()
	a.m = &Main{Config: a.cfg, Clock: a.clock, PollTimeout: time.Second, Logger: slog.New(slog.NewJSONHandler(a.logs, nil))}
	ctx := context.Background()
	if err := a.m.Open(ctx); err != nil {
		a.t.Fatalf("open: %v", err)
	}
	if seed {
		if err := a.m.Store.Update(ctx, func(tx tasks.Tx) error {
			_, err := taskfile.Import(tx, bytes.NewReader(sample.CSV), taskfile.CSV, tasks.Member{Name: "import"}, a.clock.Now(), a.cfg.Location)
			return err
		}); err != nil {
			a.t.Fatalf("import: %v", err)
		}
	}
	if err := a.m.Scheduler.Tick(ctx); err != nil {
		a.t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	a.stop, a.done = stop, make(chan error, 1)
	go func() { a.done <- a.m.Run(runCtx) }()
	a.t.Cleanup(a.shutdown)
}

// shutdown stops the bot as SIGTERM does and closes the database.
func (a *app) shutdown() {
	if a.stop == nil {
		return
	}
	a.stop()
	if err := <-a.done; err != nil {
		a.t.Errorf("run: %v", err)
	}
	a.stop = nil
	a.m.Close()
}

func (a *app) user(id int64) telegramtest.User {
	return telegramtest.User{ID: id, FirstName: "U", LanguageCode: "vi"}
}

// say sends a private message and waits for the n-th message in that chat.
func (a *app) say(from int64, text string) telegramtest.Message {
	a.t.Helper()
	before := len(a.srv.SentTo(from))
	a.srv.SendText(a.user(from), telegramtest.Private(a.user(from)), text)
	return a.waitCount(from, before+1)
}

func (a *app) waitCount(chat int64, n int) telegramtest.Message {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := a.srv.WaitSent(ctx, chat, n)
	if err != nil {
		a.t.Fatalf("waiting for message %d in chat %d: %v", n, chat, err)
	}
	return msgs[n-1]
}

func TestDemoTranscript(t *testing.T) {
	var out, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// The demo works in a temporary folder of its own and leaves nothing
	// there; with -out it writes what it produced into the folder given.
	tmp, dir := t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", tmp)
	// Without the browser here: TestBrowser_DemoScreenshots takes them.
	noBrowser := func(k string) string { return map[string]string{"STEERBOT_CHROMIUM": "off"}[k] }
	if code := cli(ctx, []string{"demo", "-out", dir}, &out, &stderr, noBrowser); code != exitOK {
		t.Fatalf("demo: exit %d: %s\n%s", code, stderr.String(), out.String())
	}
	checkDemoOut(t, tmp, dir)
	tr := out.String()
	if !strings.Contains(tr, "Không có Chromium trên máy: bỏ qua ảnh chụp bảng điều khiển") {
		t.Errorf("demo -out without a browser does not say the screenshots were skipped")
	}
	for _, want := range []string{
		"Nhắc việc hằng tuần", "quá hạn 16 ngày",
		"👤 Lê Văn Cường: ↩ Đã hoàn thành", "Đã lưu CCHC-02: đang triển khai → đã báo cáo hoàn thành, chờ xác nhận",
		"📥 Báo cáo hoàn thành CCHC-02", "Trần Thị Bình bấm [✅ Xác nhận hoàn thành]", "đã xác nhận CCHC-02 hoàn thành ngày 16/10/2023",
		"Đề nghị gia hạn CCHC-01", "đã được Nguyễn Văn An đồng ý",
		"48/79 nhiệm vụ đã hoàn thành, chiếm 61%", "Nhiệm vụ quá hạn: 6",
		"chưa được liên kết", "Báo cáo Ban chỉ đạo: 6 nhiệm vụ quá hạn kéo dài",
		"Kính gửi đồng chí Lê Văn Cường", "Chưa ai nhận được nhắc việc của 8 đơn vị", "Sở Tư pháp: https://t.me/steerbot_demo_bot?start=…",
		"8 đơn vị chưa có ai nhận nhắc việc",
		"Chuẩn bị Phiên họp thứ 3", "[ảnh tien-do.png",
		"[tệp bao-cao-2023-10.docx", "[tệp bao-cao-2023-10.pdf", "Báo cáo tháng 10/2023 (từ 15/09/2023 đến 14/10/2023)",
		"📊 Chỉ tiêu: 17/28 đạt", "👤 Phạm Minh Đức: ↩ Đạt 96,2% ạ",
		"Đã ghi nhận số liệu chỉ tiêu CT-02: 96,2 %", "📊 Chỉ tiêu: 18/28 đạt",
	} {
		if !strings.Contains(tr, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
	stranger := tr[strings.Index(tr, "👤 Người lạ"):]
	stranger = stranger[:strings.Index(stranger, "\n#")]
	if strings.Contains(stranger, "CCHC") || strings.Contains(stranger, "/79") {
		t.Errorf("the stranger was shown task data:\n%s", stranger)
	}
	// Escalations: one post, most days late first.
	if n := strings.Count(tr, "🔺 Báo cáo Ban chỉ đạo"); n != 1 {
		t.Errorf("%d escalation posts, want 1", n)
	}
	if i, j := strings.Index(tr, "quá hạn 16 ngày · tiến độ"), strings.Index(tr, "quá hạn 6 ngày · tiến độ"); i < 0 || j < i {
		t.Errorf("escalations not most days late first")
	}
}

func TestRestartSendsNothingTwice(t *testing.T) {
	a := newApp(t, nil)
	a.clock.Set(a.clock.Now().Add(5 * time.Minute)) // 08:30 Monday
	if err := a.m.Scheduler.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	a.waitCount(sample.HeadSNVID, 1)
	a.say(sample.HeadSNVID, "/update CCHC-03 40%")
	a.shutdown()
	for i := 0; i < 2; i++ { // two restarts in a row
		a.start(false)
		if err := a.m.Scheduler.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
		a.say(sample.HeadSNVID, fmt.Sprintf("/update CCHC-03 %d%%", 50+i*10))
		a.shutdown()
	}
	msgs := a.srv.SentTo(sample.HeadSNVID)
	reminders, answers := 0, 0
	for _, m := range msgs {
		switch {
		case strings.Contains(m.Text, "Nhắc việc hằng tuần"):
			reminders++
		case strings.Contains(m.Text, "Đã lưu CCHC-03"):
			answers++
		}
	}
	if reminders != 1 || answers != 3 {
		t.Fatalf("after two restarts: %d reminders, %d answers; want 1 and 3", reminders, answers)
	}
}

func TestWebhookMode(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	a := newApp(t, func(c *Config) {
		c.Telegram.Mode = "webhook"
		c.Telegram.Webhook.Listen = addr
		c.Telegram.Webhook.URL = "http://" + addr + "/telegram"
		c.Telegram.Webhook.SecretToken = "s3cret-Token_1234"
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.srv.Wait(ctx, func() bool { u, _ := a.srv.Webhook(); return u != "" }); err != nil {
		t.Fatalf("setWebhook never called: %v", err)
	}
	if url, secret := a.srv.Webhook(); url != "http://"+addr+"/telegram" || secret != "s3cret-Token_1234" {
		t.Fatalf("webhook = %q %q", url, secret)
	}
	m := a.say(sample.HeadSNVID, "/update CCHC-03 55%")
	if !strings.Contains(m.Text, "55%") {
		t.Fatalf("answer over webhook: %q", m.Text)
	}
	// Without the secret, or with a wrong one: 401, nothing handled.
	upd := a.srv.NewTextUpdate(a.user(sample.HeadSNVID), telegramtest.Private(a.user(sample.HeadSNVID)), "/update CCHC-03 99%")
	for _, secret := range []string{"", "wrong"} {
		status, err := a.srv.DeliverRaw("http://"+addr+"/telegram", secret, upd)
		if err != nil || status != http.StatusUnauthorized {
			t.Fatalf("delivery with secret %q: %d %v, want 401", secret, status, err)
		}
	}
	// With it: handled once, even delivered twice.
	for i := 0; i < 2; i++ {
		if status, err := a.srv.DeliverRaw("http://"+addr+"/telegram", "s3cret-Token_1234", upd); err != nil || status != http.StatusOK {
			t.Fatalf("delivery: %d %v", status, err)
		}
	}
	before := len(a.srv.SentTo(sample.HeadSNVID))
	a.waitCount(sample.HeadSNVID, before)
	a.say(sample.HeadSNVID, "/task CCHC-03") // a later update: the earlier ones are done by then
	var got []string
	for _, m := range a.srv.SentTo(sample.HeadSNVID) {
		if strings.Contains(m.Text, "99%") && strings.Contains(m.Text, "Đã lưu") {
			got = append(got, m.Text)
		}
	}
	if len(got) != 1 {
		t.Fatalf("the update delivered twice was answered %d times", len(got))
	}
}

func (a *app) get(path string) (int, string) {
	a.t.Helper()
	resp, err := http.Get("http://" + a.m.HTTPAddr() + path)
	if err != nil {
		a.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitClock waits until n waits on the test clock are pending: the bot's
// own background work (a retry, the scheduler, a backup) has got to its
// wait.
func waitClock(t *testing.T, c *taskstest.Clock, n int, what string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := c.BlockUntil(ctx, n); err != nil {
		t.Fatalf("waiting for %s: %d waits on the clock, want %d: %v", what, c.Waiting(), n, err)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	a := newApp(t, func(c *Config) { c.HTTP.Listen = "127.0.0.1:0" })
	a.say(sample.HeadSNVID, "/update CCHC-03 40%")
	if code, body := a.get("/healthz"); code != 200 {
		t.Fatalf("healthz = %d %s", code, body)
	}
	// Nothing in flight that could still succeed once Telegram is down:
	// the outbox has sent everything (the long poll's requests wake Wait).
	wctx, wcancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer wcancel()
	if err := a.srv.Wait(wctx, func() bool { return a.m.queued() == 0 }); err != nil {
		t.Fatalf("the outbox does not empty: %v", err)
	}
	a.srv.SetDown(true)
	// The scheduler waits for the next minute, the update loop for its
	// retry after the failed getUpdates.
	waitClock(t, a.clock, 2, "the retry of getUpdates")
	code, body := a.get("/healthz")
	if code != 503 || !strings.Contains(body, "telegram") || !strings.Contains(body, "failing since") {
		t.Errorf("healthz with Telegram down = %d %q, want 503 naming telegram and since when", code, body)
	}
	a.srv.SetDown(false)
	a.clock.Advance(time.Second) // the retry
	a.say(sample.HeadSNVID, "/task CCHC-03")
	if code, body := a.get("/healthz"); code != 200 {
		t.Fatalf("healthz once Telegram is back = %d %s", code, body)
	}

	// The data itself is only for the bot's own user: the token file.
	for _, p := range []string{"/backup", "/export", "/digest"} {
		if code, _ := a.get(p); code != http.StatusUnauthorized {
			t.Errorf("GET %s without the token = %d, want 401", p, code)
		}
	}
	if fi, err := os.Stat(adminTokenPath(a.cfg)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("token file: %v %v", fi, err)
	}

	// A pending choice waiting: counted among the short-lived records.
	if err := a.m.Store.Update(context.Background(), func(tx tasks.Tx) error {
		return tx.PutPendingChoice(tasks.PendingChoice{ID: 1, Member: 1, Text: "đã xong", Created: a.m.Clock.Now()})
	}); err != nil {
		t.Fatal(err)
	}
	code, text := a.get("/metrics")
	if code != 200 {
		t.Fatalf("metrics = %d", code)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parse metrics: %v", err)
	}
	for _, name := range []string{
		"steerbot_updates_total", "steerbot_command_duration_seconds", "steerbot_outbox_queued",
		"steerbot_outbox_oldest_age_seconds", "steerbot_messages_sent_total", "steerbot_telegram_429_total",
		"steerbot_reminders_total", "steerbot_llm_calls_total", "steerbot_llm_failures_total", "steerbot_db_size_bytes",
	} {
		if _, ok := families[name]; !ok && name != "steerbot_reminders_total" {
			t.Errorf("metrics lack %s", name)
		}
	}
	if f := families["steerbot_messages_sent_total"]; f == nil || f.Metric[0].GetCounter().GetValue() < 1 {
		t.Errorf("messages sent not counted: %v", f)
	}
	if f := families["steerbot_db_size_bytes"]; f == nil || f.Metric[0].GetGauge().GetValue() <= 0 {
		t.Errorf("db size %v", f)
	}
	state := map[string]float64{}
	for _, m := range families["steerbot_state_records"].GetMetric() {
		state[m.GetLabel()[0].GetValue()] = m.GetGauge().GetValue()
	}
	if state["pending_choice"] != 1 || state["album"] != 0 || len(state) != len(tasks.StateKinds()) {
		t.Errorf("steerbot_state_records = %v, want every kind, one pending choice", state)
	}
	if f := families["steerbot_state_swept_total"]; len(f.GetMetric()) != len(tasks.StateKinds()) {
		t.Errorf("steerbot_state_swept_total = %v, want a series per kind", f)
	}
	var ok float64
	for _, m := range families["steerbot_updates_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "result" && l.GetValue() == "ok" {
				ok += m.GetCounter().GetValue()
			}
		}
	}
	if ok < 1 {
		t.Errorf("updates_total{result=ok} = %v", ok)
	}
	// The token never reaches the logs, even through network errors.
	if strings.Contains(a.logs.String(), testToken) || strings.Contains(a.logs.String(), "SECRET-test") {
		t.Fatal("the token appears in the logs")
	}
	if !strings.Contains(a.logs.String(), `"update_id"`) || !strings.Contains(a.logs.String(), `"command":"update"`) {
		t.Errorf("log lines lack the update id and command:\n%.2000s", a.logs.String())
	}
}

func TestBackupUnderLoad(t *testing.T) {
	a := newApp(t, func(c *Config) { c.HTTP.Listen = "127.0.0.1:0" })
	head := sample.HeadSNVID
	for i := 1; i <= 20; i++ {
		a.say(head, fmt.Sprintf("/update CCHC-08 %d%%", i))
	}
	// Updates keep coming while the backup is taken.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 21; i <= 40; i++ {
			a.srv.SendText(a.user(head), telegramtest.Private(a.user(head)), fmt.Sprintf("/update CCHC-08 %d%%", i))
		}
	}()
	a.cfg.HTTP.Listen = a.m.HTTPAddr()
	cfgPath := t.TempDir() + "/steerbot.yaml"
	writeTestConfig(t, cfgPath, a.cfg)
	out := t.TempDir() + "/backup.db"
	var stderr bytes.Buffer
	if code := cli(context.Background(), []string{"backup", "-config", cfgPath, "-o", out}, io.Discard, &stderr, func(string) string { return "" }); code != 0 {
		t.Fatalf("backup exit %d: %s", code, stderr.String())
	}
	wg.Wait()
	st, err := storage.Open(out)
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	defer st.Close()
	var hist []tasks.Update
	_ = st.View(context.Background(), func(tx tasks.Tx) error { hist, err = tx.History("CCHC-08", 0); return err })
	seen := map[int]bool{}
	for _, u := range hist {
		seen[u.NewProgress] = true
	}
	for i := 1; i <= 20; i++ {
		if !seen[i] {
			t.Errorf("the backup lacks the confirmed update to %d%%", i)
		}
	}
}

// writeTestConfig writes the parts of cfg the command line needs.
func writeTestConfig(t *testing.T, path string, cfg *Config) {
	t.Helper()
	y := fmt.Sprintf("storage:\n  path: %q\nhttp:\n  listen: %q\n", cfg.Storage.Path, cfg.HTTP.Listen)
	if err := writeFileAtomic(path, []byte(y)); err != nil {
		t.Fatal(err)
	}
}

func TestRemindNowAndMeetingDigestChart(t *testing.T) {
	a := newApp(t, nil)
	m := a.say(sample.SecretariatID, "/remind SNV")
	if !strings.Contains(m.Text, "2 tin nhắc việc") {
		t.Fatalf("/remind SNV answered %q", m.Text)
	}
	for _, id := range []int64{sample.HeadSNVID, sample.DelegateSNVID} {
		r := a.waitCount(id, 1)
		if !strings.Contains(r.Text, "Văn phòng Ban chỉ đạo nhắc việc") || !strings.Contains(r.Text, "CCHC-01") {
			t.Errorf("reminder to %d: %q", id, r.Text)
		}
	}
	if n := len(a.srv.SentTo(sample.HeadQHKID)); n != 0 {
		t.Errorf("/remind SNV reminded QHK too (%d messages)", n)
	}
	// Reminding everyone names the units nobody could be reached in.
	all := a.say(sample.SecretariatID, "/remind")
	if !strings.Contains(all.Text, "Sở Tư pháp") || strings.Contains(all.Text, "Sở Nội vụ,") {
		t.Errorf("/remind did not list the unreached units: %q", all.Text)
	}

	// A meeting added after its digest time gets its digest at once.
	a.say(sample.SecretariatID, "/meeting add 16/10/2023 15:00 Phiên họp đột xuất")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	photo, err := a.srv.WaitFor(ctx, func(m telegramtest.Message) bool { return m.ChatID == sample.CommitteeChat && m.Photo != nil })
	if err != nil {
		t.Fatalf("no chart in the committee chat: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(photo.Photo.Data))
	if err != nil {
		t.Fatalf("the chart is not a PNG: %v", err)
	}
	// Ten units, one bar each: the chart is wide and tall enough to show them.
	if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 10*30 || b.Dy() > 4000 {
		t.Errorf("chart is %dx%d", b.Dx(), b.Dy())
	}
	digest, err := a.srv.WaitFor(ctx, func(m telegramtest.Message) bool {
		return m.ChatID == sample.CommitteeChat && strings.Contains(m.Text, "Phiên họp đột xuất")
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(digest.Text, "47/79 nhiệm vụ đã hoàn thành, chiếm 59%") {
		t.Errorf("digest: %q", digest.Text)
	}
	// Sent once: another tick sends nothing more.
	if err := a.m.Scheduler.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	a.say(sample.SecretariatID, "/meetings")
	n := 0
	for _, m := range a.srv.SentTo(sample.CommitteeChat) {
		if m.Photo != nil {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d charts sent, want 1", n)
	}
}

func TestMeetingDigestNarrative(t *testing.T) {
	cases := []struct {
		name, narrative string
		shown           bool
	}{
		{"checked", "Đã hoàn thành 47/79 nhiệm vụ (59%); cần đôn đốc các đơn vị còn nhiệm vụ quá hạn.", true},
		{"invented number", "Đã hoàn thành 999 nhiệm vụ, vượt kế hoạch.", false},
		{"model down", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			model := llmtest.New()
			t.Cleanup(model.Close)
			if c.narrative != "" {
				model.Push(llmtest.Text(c.narrative))
			} else {
				model.Push(llmtest.Error(500, "server_error", "down"))
			}
			a := newApp(t, func(cfg *Config) {
				cfg.LLM.Enabled, cfg.LLM.BaseURL, cfg.LLM.Model = true, model.URL(), "test-model"
				cfg.LLM.Timeout.Duration = 5 * time.Second
			})
			a.say(sample.SecretariatID, "/meeting add 16/10/2023 15:00 Phiên họp đột xuất")
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			d, err := a.srv.WaitFor(ctx, func(m telegramtest.Message) bool {
				return m.ChatID == sample.CommitteeChat && strings.Contains(m.Text, "Phiên họp đột xuất")
			})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(d.Text, "47/79 nhiệm vụ đã hoàn thành, chiếm 59%") {
				t.Errorf("the computed digest is missing: %q", d.Text)
			}
			if got := strings.Contains(d.Text, strings.TrimSpace(c.narrative)) && c.narrative != ""; got != c.shown {
				t.Errorf("narrative shown = %v, want %v:\n%s", got, c.shown, d.Text)
			}
			if strings.Contains(d.Text, "999") {
				t.Error("an unchecked number reached the committee")
			}
		})
	}
}

func TestScheduledBackupsSurviveRestarts(t *testing.T) {
	dir := t.TempDir()
	a := newApp(t, func(c *Config) {
		c.Storage.BackupDir, c.Storage.BackupEvery.Duration, c.Storage.BackupKeep = dir, 24*time.Hour, 2
	})
	// No backup yet: the first is taken at once, not a day after start.
	// Then the backups wait for the next one, the scheduler for the next
	// minute.
	waitClock(t, a.clock, 2, "a first backup")
	if newest, err := newestBackup(dir, a.cfg.Storage.Path); err != nil || newest.IsZero() {
		t.Fatalf("no first backup: %v", err)
	}
	a.shutdown()
	files, _ := os.ReadDir(dir)
	// A restart soon after does not take another one: it waits.
	a.clock = taskstest.NewClock(a.clock.Now().Add(time.Hour))
	a.start(false)
	waitClock(t, a.clock, 2, "the wait for the next backup")
	a.say(sample.HeadSNVID, "/task CCHC-01")
	a.shutdown()
	again, _ := os.ReadDir(dir)
	if len(again) != len(files) {
		t.Errorf("a restart took another backup: %d files, then %d", len(files), len(again))
	}
	st, err := storage.Open(filepath.Join(dir, files[0].Name()))
	if err != nil {
		t.Fatalf("the scheduled backup does not open: %v", err)
	}
	st.Close()
}

func TestRunCommand(t *testing.T) {
	srv := telegramtest.New()
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "steerbot.yaml")
	y := fmt.Sprintf(`telegram: {api_url: %q}
storage: {path: %q}
http: {listen: ""}
units: [{code: SNV, name: "Sở Nội vụ"}]
members: [{name: "Trần Thị Bình", role: secretariat, telegram_id: 222}]
`, srv.URL(), filepath.Join(dir, "steerbot.db"))
	if err := os.WriteFile(cfgPath, []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string {
		if k == EnvTelegramToken {
			return testToken
		}
		return ""
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- cli(ctx, []string{"run", "-config", cfgPath}, io.Discard, &stderr, env) }()
	u := telegramtest.User{ID: 222, FirstName: "Bình"}
	srv.SendText(u, telegramtest.Private(u), "/newtask SNV 31/12/2030 Rà soát quy chế")
	wctx, wcancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer wcancel()
	msgs, err := srv.WaitSent(wctx, 222, 1)
	if err != nil {
		cancel()
		t.Fatalf("no answer from `steerbot run`: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(msgs[0].Text, "SNV-1") {
		t.Errorf("answer %q", msgs[0].Text)
	}
	cancel() // as SIGTERM does
	if code := <-done; code != exitOK {
		t.Fatalf("run exited %d:\n%s", code, stderr.String())
	}
	if strings.Contains(stderr.String(), testToken) {
		t.Error("the token was logged")
	}
	// The database was closed: it opens again at once.
	st, err := storage.Open(filepath.Join(dir, "steerbot.db"))
	if err != nil {
		t.Fatalf("database not released after shutdown: %v", err)
	}
	st.Close()
}
