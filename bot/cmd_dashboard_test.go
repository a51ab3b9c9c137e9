package bot_test

import (
	"strings"
	"testing"
	"time"

	"steerbot/bot"
	"steerbot/bot/telegramtest"
	"steerbot/tasks"
)

// withDashboard gives the bot a dashboard whose links are recorded as the
// dashboard package records them: a DashLink in the command's transaction.
func withDashboard(o *bot.Options) {
	o.DashboardURL = "https://dash.example.org/"
	o.DashboardLink = func(tx tasks.DashStore, m tasks.Member, now time.Time) (string, error) {
		id := "tok-" + m.Name
		if err := tx.PutDashLink(tasks.DashLink{ID: id, Member: m.ID, Created: now}); err != nil {
			return "", err
		}
		return "https://dash.example.org/link/" + id, nil
	}
}

// TestDashboard: /dashboard answers in the member's private chat with the
// one-time link (stored by then) and buttons to open it in a browser or
// as a Mini App; asked in the group, the link still goes privately.
func TestDashboard(t *testing.T) {
	h := newHarness(t, withDashboard)
	m := one(t, h.say(headSNV, "/dashboard"))
	contains(t, m.Text, "https://dash.example.org/link/tok-Lê Văn Cường", "10 phút")
	if len(m.Buttons) != 2 || m.Buttons[0][0].URL == "" || m.Buttons[1][0].WebApp != "https://dash.example.org/" {
		t.Fatalf("buttons %+v, want a link and a Mini App", m.Buttons)
	}
	if mb, ok := h.srv.ChatMenuButton(headSNV); !ok || mb.Type != "web_app" || mb.WebApp != "https://dash.example.org/" || mb.Text != "📊 Bảng điều khiển" {
		t.Errorf("menu button of the private chat: %+v, %v", mb, ok)
	}
	if err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		l, err := tx.TakeDashLink("tok-Lê Văn Cường")
		if err != nil {
			t.Fatalf("the link was not stored: %v", err)
		}
		if l.Member == 0 {
			t.Fatalf("link %+v names no member", l)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	group := telegramtest.Chat{ID: groupID, Type: "supergroup", Title: "BCĐ"}
	beforeGroup, beforeChair := len(h.srv.SentTo(groupID)), len(h.srv.SentTo(chairID))
	h.srv.SendText(user(chairID), group, "/dashboard")
	h.step()
	g := one(t, h.srv.SentTo(groupID)[beforeGroup:])
	lacks(t, g.Text, "https://dash.example.org/link/")
	contains(t, g.Text, "tin nhắn riêng")
	p := one(t, h.srv.SentTo(chairID)[beforeChair:])
	contains(t, p.Text, "https://dash.example.org/link/tok-Nguyễn Văn An")
}

// TestDashboard_Off: without a dashboard the command says so.
func TestDashboard_Off(t *testing.T) {
	h := newHarness(t)
	m := one(t, h.say(headSNV, "/dashboard"))
	if !strings.Contains(m.Text, "chưa được bật") {
		t.Fatalf("got %q", m.Text)
	}
}

// TestDashboard_DigestButton: /digest in a private chat carries a button
// that opens the dashboard inside Telegram; in the group it does not.
func TestDashboard_DigestButton(t *testing.T) {
	h := newHarness(t, withDashboard)
	m := one(t, h.say(chairID, "/digest"))
	last := m.Buttons[len(m.Buttons)-1]
	if len(last) != 1 || last[0].WebApp != "https://dash.example.org/" {
		t.Fatalf("private /digest buttons %+v, want the Mini App last", m.Buttons)
	}
	group := telegramtest.Chat{ID: groupID, Type: "supergroup", Title: "BCĐ"}
	before := len(h.srv.SentTo(groupID))
	h.srv.SendText(user(chairID), group, "/digest")
	h.step()
	for _, g := range h.srv.SentTo(groupID)[before:] {
		for _, row := range g.Buttons {
			for _, x := range row {
				if x.WebApp != "" {
					t.Fatalf("group /digest carries a Mini App button: %+v", g.Buttons)
				}
			}
		}
	}
}

// TestDashboard_MenuButtons: publishing the menus gives each linked member
// a menu button that opens the dashboard.
func TestDashboard_MenuButtons(t *testing.T) {
	h := newHarness(t, withDashboard)
	if err := h.b.SetCommands(h.ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{chairID, secrID, headSNV, delegSNV} {
		if mb, ok := h.srv.ChatMenuButton(id); !ok || mb.WebApp != "https://dash.example.org/" {
			t.Errorf("member %d: menu button %+v, %v", id, mb, ok)
		}
	}
}
