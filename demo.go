package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"steerbot/bot/telegramtest"
	"steerbot/sample"
	"steerbot/taskfile"
	"steerbot/tasks"
	"steerbot/tasks/taskstest"
)

func cmdDemo(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("steerbot demo", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	out := fs.String("out", "", "also write the chart and the reports (DOCX, PDF) the demo produced into this folder, and screenshots of the dashboard when Chromium is installed")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "usage: steerbot demo [-out DIR]")
		return exitUsage
	}
	if *out != "" {
		if fi, err := os.Stat(*out); err != nil || !fi.IsDir() {
			return fail(e, "demo: %s", cliText("vi", "no_folder", *out))
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var chromium string // the dashboard's screenshots, for -out only
	if *out != "" {
		chromium = findChromium(e.getenv)
	}
	files, err := runDemo(ctx, e.stdout, chromium)
	if err != nil {
		return fail(e, "demo: %v", err)
	}
	if *out == "" {
		return exitOK
	}
	if chromium == "" {
		fmt.Fprintln(e.stdout, "\n"+cliText("vi", "demo_no_chromium"))
	}
	var names []string
	for _, f := range files {
		if err := writeOutput("vi", filepath.Join(*out, f.Name), f.Data); err != nil {
			return fail(e, "demo: %v", err)
		}
		names = append(names, f.Name)
	}
	fmt.Fprintln(e.stdout, "\n"+cliText("vi", "demo_wrote", *out, strings.Join(names, ", ")))
	return exitOK
}

// demoConfig is the sample committee's configuration.
func demoConfig(dir, apiURL string) (*Config, error) {
	cfg := DefaultConfig()
	var y strings.Builder
	fmt.Fprintf(&y, "telegram:\n  token: \"demo:token\"\n  api_url: %q\n  rate: {global_per_sec: 200, per_chat_per_sec: 50, per_group_per_min: 600}\n", apiURL)
	fmt.Fprintf(&y, "committee:\n  name: \"BCĐ CCHC, chuyển đổi số TP Hà Nội\"\n  chat_id: %d\n  confirm_done: true\n", sample.CommitteeChat)
	y.WriteString("report:\n  parent: \"UBND THÀNH PHỐ HÀ NỘI\"\n  issuer: \"BAN CHỈ ĐẠO CCHC, CHUYỂN ĐỔI SỐ\"\n  place: \"Hà Nội\"\n")
	fmt.Fprintf(&y, "storage:\n  path: %q\nhttp:\n  listen: \"\"\nunits:\n", filepath.Join(dir, "steerbot.db"))
	for _, u := range sample.Units() {
		fmt.Fprintf(&y, "  - {code: %s, name: %q}\n", u.Code, u.Name)
	}
	// The indicator round, at 10:00 on the demo's day (a committee would
	// pick the 10th of the month, before the reporting cut-off).
	y.WriteString("reminders:\n  indicators: \"0 10 16 * *\"\n")
	y.WriteString("members:\n")
	for _, m := range sample.Members() {
		fmt.Fprintf(&y, "  - {name: %q, role: %s, unit: %q, telegram_id: %d}\n", m.Name, m.Role, m.Unit, m.TelegramID)
	}
	_ = cfg
	return ParseConfig([]byte(y.String()), nil)
}

// runDemo runs the whole bot against the in-process fake Telegram with the
// sample committee, plays a scripted conversation, and writes it to w as a
// transcript. It returns the files the bot sent that a user would want to
// look at: the chart and the reports, and the dashboard's screenshots
// when chromium is the path of a browser to take them with. It leaves
// nothing behind.
func runDemo(ctx context.Context, w io.Writer, chromium string) ([]tasks.File, error) {
	dir, err := os.MkdirTemp("", "steerbot-demo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	srv := telegramtest.New(telegramtest.WithBotUser(1000, "steerbot_demo_bot"))
	defer srv.Close()
	cfg, err := demoConfig(dir, srv.URL())
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	clock := taskstest.NewClock(sample.Eve(cfg.Location))
	logger := slog.New(slog.DiscardHandler)
	if os.Getenv("STEERBOT_DEMO_LOG") != "" {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	m := &Main{Config: cfg, Clock: clock, PollTimeout: time.Second, Logger: logger}
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return nil, err
	}
	err = m.Store.Update(ctx, func(tx tasks.Tx) error {
		if _, err := taskfile.Import(tx, bytes.NewReader(sample.CSV), taskfile.CSV, tasks.Member{Name: "Văn phòng"}, clock.Now(), cfg.Location); err != nil {
			return err
		}
		// The indicators' values are as the units reported them at the
		// month's cut-off.
		_, err := taskfile.Import(tx, bytes.NewReader(sample.IndicatorsCSV), taskfile.CSV, tasks.Member{Name: "Văn phòng"}, sample.IndicatorsReported(cfg.Location), cfg.Location)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("import the sample committee: %w", err)
	}
	// The scheduler's first look, at 08:25, starts its record: a new
	// database has missed nothing.
	if err := m.Scheduler.Tick(ctx); err != nil {
		return nil, err
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(runCtx) }()
	defer func() { stop(); <-done }()

	d := &demo{srv: srv, ctx: ctx, w: w, clock: clock, m: m, names: map[int64]string{sample.CommitteeChat: "Nhóm Ban chỉ đạo", sample.StrangerID: "Người lạ"}}
	for _, mb := range sample.Members() {
		d.names[mb.TelegramID] = mb.Name
	}
	if err := d.script(); err != nil {
		return nil, err
	}
	files := d.files()
	if chromium != "" {
		// The screenshots are a bonus: a browser that fails costs them,
		// not the transcript and the reports.
		shots, err := demoScreenshots(ctx, m, chromium, dir)
		if err != nil {
			fmt.Fprintln(w, "\n"+cliText("vi", "demo_shots_failed", err))
		}
		files = append(files, shots...)
	}
	return files, nil
}

// demo plays the script and prints the transcript.
type demo struct {
	srv    *telegramtest.Server
	ctx    context.Context
	w      io.Writer
	clock  *taskstest.Clock
	m      *Main
	names  map[int64]string
	cursor int // events printed so far
}

func (d *demo) user(id int64) telegramtest.User {
	first := d.names[id]
	return telegramtest.User{ID: id, FirstName: first, LanguageCode: "vi"}
}

func (d *demo) say(format string, args ...any) {
	fmt.Fprintf(d.w, "\n# "+format+"\n", args...)
}

// settle waits until the bot has done n more things after the cursor (sends,
// edits, answers), then prints everything new.
func (d *demo) settle(n int, what string) error {
	ctx, cancel := context.WithTimeout(d.ctx, 20*time.Second)
	defer cancel()
	err := d.srv.Wait(ctx, func() bool {
		got := 0
		for _, e := range d.srv.Events()[d.cursor:] {
			if e.Kind == telegramtest.EventSend || e.Kind == telegramtest.EventEdit || e.Kind == telegramtest.EventAnswer {
				got++
			}
		}
		return got >= n
	})
	if err == nil {
		err = d.recorded(ctx)
	}
	d.print()
	if err != nil {
		return fmt.Errorf("waiting for the bot (%s): %w", what, err)
	}
	return nil
}

// settleUntil waits until cond holds, then prints everything new.
func (d *demo) settleUntil(what string, cond func() bool) error {
	ctx, cancel := context.WithTimeout(d.ctx, 20*time.Second)
	defer cancel()
	err := d.srv.Wait(ctx, cond)
	d.print()
	if err != nil {
		return fmt.Errorf("waiting for the bot (%s): %w", what, err)
	}
	return nil
}

// recorded waits until the outbox has recorded every message it sent (the
// record is what a reply is matched against), a moment after Telegram saw
// the message: the script replies as fast as a machine, not as a person.
func (d *demo) recorded(ctx context.Context) error {
	for d.m.queued() > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
	return nil
}

// print writes the events not yet printed.
func (d *demo) print() {
	evs := d.srv.Events()
	for _, e := range evs[d.cursor:] {
		who := d.names[e.ChatID]
		switch e.Kind {
		case telegramtest.EventUserMessage:
			line := e.Text
			if e.Message != nil && e.Message.ReplyTo != 0 {
				line = "↩ " + line
			}
			if e.Message != nil && e.Message.Document != nil {
				line += " 📎 " + e.Message.Document.Name
			}
			fmt.Fprintf(d.w, "\n👤 %s: %s\n", d.names[e.From.ID], line)
		case telegramtest.EventUserPress:
			fmt.Fprintf(d.w, "\n👆 %s bấm [%s]\n", d.names[e.From.ID], e.Text)
		case telegramtest.EventSend, telegramtest.EventEdit:
			verb := "→"
			if e.Kind == telegramtest.EventEdit {
				verb = "✎ (sửa tin)"
			}
			body := e.Text
			if e.Message != nil && e.Message.Photo != nil {
				body = fmt.Sprintf("[ảnh %s, %d KB] %s", e.Message.Photo.Name, len(e.Message.Photo.Data)/1024, e.Message.Caption)
			}
			if e.Message != nil && e.Message.Document != nil {
				body = fmt.Sprintf("[tệp %s, %d KB] %s", e.Message.Document.Name, len(e.Message.Document.Data)/1024, e.Message.Caption)
			}
			fmt.Fprintf(d.w, "\n🤖 %s %s:\n%s\n", verb, who, indent(maskInvites(body)))
			if e.Message != nil {
				for _, row := range e.Message.Buttons {
					var labels []string
					for _, b := range row {
						labels = append(labels, "["+b.Text+"]")
					}
					fmt.Fprintf(d.w, "   %s\n", strings.Join(labels, " "))
				}
			}
		case telegramtest.EventAnswer:
			if e.Text != "" {
				fmt.Fprintf(d.w, "\n🤖 (thông báo nhanh) %s\n", e.Text)
			}
		}
	}
	d.cursor = len(evs)
}

// inviteToken matches the random part of an invite link.
var inviteToken = regexp.MustCompile(`\?start=[A-Za-z0-9_-]+`)

// maskInvites hides invite tokens, which are random, so that the
// transcript is the same on every run.
func maskInvites(s string) string { return inviteToken.ReplaceAllString(s, "?start=…") }

func indent(s string) string { return "   " + strings.ReplaceAll(s, "\n", "\n   ") }

// lastTo returns the newest bot message in a chat whose text contains sub.
func (d *demo) lastTo(chat int64, sub string) (telegramtest.Message, error) {
	msgs := d.srv.SentTo(chat)
	for i := len(msgs) - 1; i >= 0; i-- {
		if strings.Contains(msgs[i].Text, sub) || strings.Contains(msgs[i].Caption, sub) {
			return msgs[i], nil
		}
	}
	return telegramtest.Message{}, fmt.Errorf("no message to %s containing %q", d.names[chat], sub)
}

// press taps the button whose label contains label on msg.
func (d *demo) press(who int64, msg telegramtest.Message, label string) error {
	for _, row := range msg.Buttons {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				d.srv.Press(d.user(who), telegramtest.Private(d.user(who)), msg.MessageID, b.Data)
				return nil
			}
		}
	}
	return fmt.Errorf("no button %q on message %d", label, msg.MessageID)
}

func (d *demo) script() error {
	head, chair, vice, secr := sample.HeadSNVID, sample.ChairID, sample.ViceChairID, sample.SecretariatID
	fmt.Fprintln(d.w, "steerbot demo — Ban chỉ đạo CCHC, chuyển đổi số (dữ liệu mẫu: 79 nhiệm vụ, 47 đã hoàn thành)")
	fmt.Fprintln(d.w, "The whole bot runs against an in-process fake Telegram; the committee's clock is set to Monday 16/10/2023.")

	d.say("08:30 Monday: the weekly reminder goes to every unit head and delegate, and a note to the chairs; the secretariat learns which units nobody receives reminders for, with invite links to forward.")
	d.clock.Set(d.clock.Now().Add(5 * time.Minute))
	if err := d.m.Scheduler.Tick(d.ctx); err != nil {
		return err
	}
	// 10 units' heads/delegates linked: SNV head + delegate, QHK head; 2 chairs.
	if err := d.settle(5, "weekly reminders"); err != nil {
		return err
	}

	d.say("The head of Sở Nội vụ answers the reminder in plain words, replying to it.")
	rem, err := d.lastTo(head, "Nhắc việc hằng tuần")
	if err != nil {
		return err
	}
	d.srv.Reply(d.user(head), telegramtest.Private(d.user(head)), rem.MessageID, "Đã hoàn thành, đã kiểm tra xong 12 sở và 6 quận, huyện ạ")
	if err := d.settle(1, "which task"); err != nil {
		return err
	}
	ask, err := d.lastTo(head, "nhiệm vụ nào")
	if err != nil {
		return err
	}
	if err := d.press(head, ask, "CCHC-02"); err != nil {
		return err
	}
	if err := d.settle(3, "applied"); err != nil {
		return err
	}

	d.say("The report goes to the secretariat, who confirms it: only now does it count as done, completed when the head reported it.")
	rep, err := d.lastTo(secr, "Báo cáo hoàn thành CCHC-02")
	if err != nil {
		return err
	}
	if err := d.press(secr, rep, "Xác nhận hoàn thành"); err != nil {
		return err
	}
	if err := d.settleUntil("confirmation", func() bool {
		m, err := d.lastTo(head, "đã xác nhận")
		return err == nil && m.MessageID != 0
	}); err != nil {
		return err
	}

	d.say("A progress figure with a command, and a blocker in free text on another task.")
	d.srv.SendText(d.user(head), telegramtest.Private(d.user(head)), "/update CCHC-03 80% đang tổng hợp kết quả chấm điểm")
	if err := d.settle(1, "update"); err != nil {
		return err
	}
	card, err := d.lastTo(head, "Đã lưu CCHC-03")
	if err != nil {
		return err
	}
	d.srv.Reply(d.user(head), telegramtest.Private(d.user(head)), card.MessageID, "vướng: chờ Sở Tài chính bố trí kinh phí khảo sát")
	if err := d.settle(1, "blocker"); err != nil {
		return err
	}

	d.say("The overdue task CCHC-01 needs more time: the head asks in a reply to the reminder, both chairs are asked, the first decision wins.")
	d.srv.Reply(d.user(head), telegramtest.Private(d.user(head)), rem.MessageID, "CCHC-01 xin gia hạn đến 15/11/2023 vì chờ ý kiến thẩm định của Sở Tư pháp")
	if err := d.settle(3, "extension request"); err != nil {
		return err
	}
	req, err := d.lastTo(chair, "Đề nghị gia hạn")
	if err != nil {
		return err
	}
	if err := d.press(chair, req, "Đồng ý"); err != nil {
		return err
	}
	if err := d.settle(4, "decision"); err != nil {
		return err
	}
	_ = vice

	d.say("The secretariat asks for the digest (47 tasks were done this morning; one more since); a chair asks what is overdue.")
	d.srv.SendText(d.user(secr), telegramtest.Private(d.user(secr)), "/digest")
	if err := d.settle(1, "digest"); err != nil {
		return err
	}
	d.srv.SendText(d.user(chair), telegramtest.Private(d.user(chair)), "/overdue")
	if err := d.settle(1, "overdue"); err != nil {
		return err
	}

	d.say("Someone who was never invited asks for the digest: refused, nothing leaks.")
	stranger := telegramtest.User{ID: sample.StrangerID, FirstName: "Người lạ", LanguageCode: "vi"}
	d.srv.SendText(stranger, telegramtest.Private(stranger), "/digest")
	if err := d.settle(1, "stranger"); err != nil {
		return err
	}

	d.say("09:00: the daily overdue round. Overdue units are reminded; tasks overdue 3 days or more are escalated to the committee group in one message, most days late first, once each.")
	d.clock.Set(time.Date(2023, 10, 16, 9, 0, 0, 0, d.m.Config.Location))
	if err := d.m.Scheduler.Tick(d.ctx); err != nil {
		return err
	}
	if err := d.settleUntil("overdue round", func() bool { return d.m.queued() == 0 }); err != nil {
		return err
	}

	d.say("10:00: the indicator round. Units whose indicators have no value for this period are asked for one; the head of quận Hoàn Kiếm replies with the figure in plain words.")
	d.clock.Set(time.Date(2023, 10, 16, 10, 0, 0, 0, d.m.Config.Location))
	if err := d.m.Scheduler.Tick(d.ctx); err != nil {
		return err
	}
	if err := d.settle(1, "indicator reminder"); err != nil {
		return err
	}
	ind, err := d.lastTo(sample.HeadQHKID, "số liệu chỉ tiêu")
	if err != nil {
		return err
	}
	qhk := sample.HeadQHKID
	d.srv.Reply(d.user(qhk), telegramtest.Private(d.user(qhk)), ind.MessageID, "Đạt 96,2% ạ")
	if err := d.settle(1, "indicator value"); err != nil {
		return err
	}

	d.say("The secretariat schedules the third meeting; at 14:00, 24 hours before it, the digest and its chart go to the committee group.")
	d.srv.SendText(d.user(secr), telegramtest.Private(d.user(secr)), "/meeting add 17/10/2023 14:00 Phiên họp thứ 3")
	if err := d.settle(1, "meeting"); err != nil {
		return err
	}
	d.clock.Set(time.Date(2023, 10, 16, 14, 0, 0, 0, d.m.Config.Location))
	if err := d.m.Scheduler.Tick(d.ctx); err != nil {
		return err
	}
	if err := d.settleUntil("meeting digest", func() bool {
		for _, m := range d.srv.SentTo(sample.CommitteeChat) {
			if m.Photo != nil {
				return true
			}
		}
		return false
	}); err != nil {
		return err
	}
	d.say("The secretariat takes the month's report for the meeting file, in Word and in PDF (the month closed on 14/10; its figures are the digest's at that cut-off).")
	for _, cmd := range []string{"/report", "/report pdf"} {
		d.srv.SendText(d.user(secr), telegramtest.Private(d.user(secr)), cmd)
		if err := d.settle(1, cmd); err != nil {
			return err
		}
	}
	fmt.Fprintln(d.w, "\n# End of the demo: every message above went through the real bot, its bbolt database and its outbox.")
	return nil
}

// files returns the chart and the reports the bot sent, the newest of
// each name.
func (d *demo) files() []tasks.File {
	var out []tasks.File
	seen := map[string]int{}
	keep := func(f *telegramtest.File) {
		if f == nil {
			return
		}
		if i, ok := seen[f.Name]; ok {
			out[i].Data = f.Data
			return
		}
		seen[f.Name] = len(out)
		out = append(out, tasks.File{Name: f.Name, Data: f.Data})
	}
	for _, m := range d.srv.SentTo(sample.CommitteeChat) {
		keep(m.Photo)
	}
	for _, m := range d.srv.SentTo(sample.SecretariatID) {
		if m.Document != nil && strings.HasPrefix(m.Document.Name, "bao-cao-") {
			keep(m.Document)
		}
	}
	return out
}
