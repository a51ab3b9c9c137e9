package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"steerbot/bot"
	"steerbot/bot/telegramtest"
	"steerbot/storage"
	"steerbot/tasks"
	"steerbot/tasks/taskstest"
)

// Telegram ids of the test committee.
const (
	chairID    int64 = 111
	vice       int64 = 112
	secrID     int64 = 222
	headSNV    int64 = 333
	headQHK    int64 = 334
	delegSNV   int64 = 335
	strangerID int64 = 999
	groupID    int64 = -100500
)

// harness is the bot over a real bbolt file and the fake Telegram, driven
// one step at a time: fetch updates, handle them, send the outbox.
type harness struct {
	t      *testing.T
	ctx    context.Context
	srv    *telegramtest.Server
	st     *storage.Store
	b      *bot.Bot
	clock  *taskstest.Clock
	loc    *time.Location
	path   string
	opts   bot.Options
	marked map[int]bool
}

type option func(*bot.Options)

func newHarness(t *testing.T, opts ...option) *harness {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, ctx: context.Background(), loc: loc, clock: taskstest.NewClock(time.Date(2023, 10, 16, 9, 0, 0, 0, loc))}
	h.srv = telegramtest.New()
	t.Cleanup(h.srv.Close)
	h.path = t.TempDir() + "/steerbot.db"
	h.open()
	seed(t, h.st, loc)
	h.opts = bot.Options{
		Token: "123:test", APIURL: h.srv.URL(), Store: h.st, Loc: loc, Clock: h.clock, Lang: "vi",
		CommitteeName: "Ban chỉ đạo CCHC", CommitteeChatID: groupID, DueSoonDays: 7, PollTimeout: time.Second,
	}
	for _, o := range opts {
		o(&h.opts)
	}
	h.start()
	return h
}

func (h *harness) open() {
	st, err := storage.Open(h.path)
	if err != nil {
		h.t.Fatalf("open store: %v", err)
	}
	h.st = st
	h.t.Cleanup(func() { st.Close() })
}

func (h *harness) start() {
	h.opts.Store = h.st
	b, err := bot.New(h.ctx, h.opts)
	if err != nil {
		h.t.Fatalf("bot.New: %v", err)
	}
	h.b = b
}

// restart closes the database and starts a new bot on the same file, as a
// process restart would.
func (h *harness) restart() {
	h.st.Close()
	h.open()
	h.start()
}

// seed loads a small committee: two units, their heads, chairs, the
// secretariat and five tasks.
func seed(t *testing.T, st tasks.Store, loc *time.Location) {
	t.Helper()
	d := func(y int, m time.Month, dd int) tasks.Date { return tasks.Date{Year: y, Month: m, Day: dd} }
	err := st.Update(context.Background(), func(tx tasks.Tx) error {
		for _, u := range []tasks.Unit{{Code: "SNV", Name: "Sở Nội vụ"}, {Code: "QHK", Name: "UBND quận Hoàn Kiếm"}, {Code: "STP", Name: "Sở Tư pháp"}} {
			if err := tx.PutUnit(u); err != nil {
				return err
			}
		}
		for _, m := range []tasks.Member{
			{Name: "Nguyễn Văn An", Role: tasks.RoleChair, TelegramID: chairID},
			{Name: "Đỗ Thị Hà", Role: tasks.RoleChair, TelegramID: vice},
			{Name: "Trần Thị Bình", Role: tasks.RoleSecretariat, TelegramID: secrID},
			{Name: "Lê Văn Cường", Role: tasks.RoleUnitHead, Unit: "SNV", TelegramID: headSNV},
			{Name: "Phạm Minh Đức", Role: tasks.RoleUnitHead, Unit: "QHK", TelegramID: headQHK},
			{Name: "Vũ Thu Hằng", Role: tasks.RoleUnitDelegate, Unit: "SNV", TelegramID: delegSNV},
		} {
			if err := tx.PutMember(&m); err != nil {
				return err
			}
		}
		now := time.Date(2023, 10, 1, 9, 0, 0, 0, loc)
		for _, tk := range []tasks.Task{
			{Code: "CCHC-01", Title: "Xây dựng Kế hoạch CCHC năm 2024", Unit: "SNV", Group: "Kế hoạch CCHC 2023", Deadline: d(2023, 9, 30), Status: tasks.InProgress, Progress: 20},
			{Code: "CCHC-02", Title: "Kiểm tra công tác CCHC", Unit: "SNV", CoUnits: []string{"QHK"}, Group: "Kế hoạch CCHC 2023", Deadline: d(2023, 10, 20), Status: tasks.InProgress, Progress: 30},
			{Code: "CCHC-03", Title: "Xác định Chỉ số CCHC 2023", Unit: "SNV", Group: "Kế hoạch CCHC 2023", Deadline: d(2023, 12, 31), Status: tasks.NotStarted},
			{Code: "CCHC-04", Title: "Nâng cấp Bộ phận Một cửa", Unit: "QHK", Group: "Kế hoạch CCHC 2023", Deadline: d(2023, 12, 31), Status: tasks.InProgress, Progress: 50},
			{Code: "CCHC-05", Title: "Số hóa sổ hộ tịch", Unit: "STP", Group: "Chuyển đổi số", Deadline: d(2023, 11, 30), Status: tasks.Done, Progress: 100, CompletedAt: now},
		} {
			tk.Created, tk.Updated = now, now
			if err := tx.PutTask(tk); err != nil {
				return err
			}
			u := tasks.Update{Task: tk.Code, At: now, Via: tasks.ViaImport, NewStatus: tk.Status, NewProgress: tk.Progress, NewDeadline: tk.Deadline}
			if err := tx.AddUpdate(&u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
}

func user(id int64) telegramtest.User {
	return telegramtest.User{ID: id, FirstName: "User", LanguageCode: "vi"}
}

// step fetches what the users sent, handles it and sends the answers.
func (h *harness) step() {
	h.t.Helper()
	if _, err := h.b.PollOnce(h.ctx, 0); err != nil {
		h.t.Fatalf("poll: %v", err)
	}
	h.b.ProcessInbox(h.ctx)
	h.flush()
}

// flush sends every queued outbox message in order, as the outbox does.
func (h *harness) flush() {
	h.t.Helper()
	var queued []tasks.OutMessage
	if err := h.st.View(h.ctx, func(tx tasks.Tx) error {
		var err error
		queued, err = tx.Queued(0)
		return err
	}); err != nil {
		h.t.Fatal(err)
	}
	for _, m := range queued {
		id, err := h.b.Send(h.ctx, m)
		if err != nil {
			m.State, m.LastError = tasks.OutFailed, err.Error()
		} else {
			m.State, m.SentMessageID, m.SentAt = tasks.OutSent, id, h.clock.Now()
		}
		if err := h.st.Update(h.ctx, func(tx tasks.Tx) error { return tx.PutOutMessage(m) }); err != nil {
			h.t.Fatal(err)
		}
	}
}

// say sends text privately as a user, runs a step and returns what the
// bot sent to that chat in answer.
func (h *harness) say(from int64, text string) []telegramtest.Message {
	h.t.Helper()
	before := len(h.srv.SentTo(from))
	h.srv.SendText(user(from), telegramtest.Private(user(from)), text)
	h.step()
	return h.srv.SentTo(from)[before:]
}

// reply answers a bot message as a user.
func (h *harness) reply(from int64, to int, text string) []telegramtest.Message {
	h.t.Helper()
	before := len(h.srv.SentTo(from))
	h.srv.Reply(user(from), telegramtest.Private(user(from)), to, text)
	h.step()
	return h.srv.SentTo(from)[before:]
}

// press taps the button whose label contains label on msg, in the chat of
// from, and returns the toast the bot answered with.
func (h *harness) press(from int64, msg telegramtest.Message, label string) string {
	h.t.Helper()
	for _, row := range msg.Buttons {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				return h.pressData(from, msg.ChatID, msg.MessageID, b.Data)
			}
		}
	}
	h.t.Fatalf("no button %q on %q (buttons %v)", label, msg.Text, msg.Buttons)
	return ""
}

// pressData taps a button with the given callback data.
func (h *harness) pressData(from, chat int64, msgID int, data string) string {
	h.t.Helper()
	c := telegramtest.Private(user(from))
	if chat < 0 {
		c = telegramtest.Chat{ID: chat, Type: "supergroup", Title: "BCĐ"}
	}
	id := h.srv.Press(user(from), c, msgID, data)
	h.step()
	for _, a := range h.srv.Callbacks() {
		if a.QueryID == id {
			return a.Text
		}
	}
	h.t.Fatalf("button %q was not answered", data)
	return ""
}

// one asserts that exactly one message came back and returns its text.
func one(t *testing.T, got []telegramtest.Message) telegramtest.Message {
	t.Helper()
	if len(got) != 1 {
		var texts []string
		for _, m := range got {
			texts = append(texts, m.Text)
		}
		t.Fatalf("got %d messages, want 1: %q", len(got), texts)
	}
	return got[0]
}

func contains(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%q does not contain %q", s, sub)
		}
	}
}

func lacks(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			t.Errorf("%q contains %q", s, sub)
		}
	}
}

// task reads a task from the store.
func (h *harness) task(code string) tasks.Task {
	h.t.Helper()
	var tk tasks.Task
	if err := h.st.View(h.ctx, func(tx tasks.Tx) error {
		var err error
		tk, err = tx.Task(code)
		return err
	}); err != nil {
		h.t.Fatalf("task %s: %v", code, err)
	}
	return tk
}

// history reads a task's updates.
func (h *harness) history(code string) []tasks.Update {
	h.t.Helper()
	var us []tasks.Update
	if err := h.st.View(h.ctx, func(tx tasks.Tx) error {
		var err error
		us, err = tx.History(code, 0)
		return err
	}); err != nil {
		h.t.Fatal(err)
	}
	return us
}
