package bot_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"steerbot/bot"
	"steerbot/bot/telegramtest"
	"steerbot/tasks"
)

func TestR7SecretariatGroupProgressPrompt(t *testing.T) {
	h := newHarness(t)
	group := telegramtest.Chat{ID: groupID, Type: "supergroup", Title: "BCĐ"}
	h.srv.SendText(user(secrID), group, "/task CCHC-01")
	h.step()
	g := h.srv.SentTo(groupID)
	card := g[len(g)-1]
	h.press(secrID, card, "Cập nhật tiến độ")
	g = h.srv.SentTo(groupID)
	prompt := g[len(g)-1]
	t.Logf("prompt: %q", prompt.Text)
	before := len(g)
	h.srv.Reply(user(secrID), group, prompt.MessageID, "65%")
	h.step()
	got := h.srv.SentTo(groupID)[before:]
	for _, m := range got {
		t.Logf("answer: %q", m.Text)
	}
	if p := h.task("CCHC-01").Progress; p != 65 {
		t.Errorf("secretariat's reply to the bot's progress prompt in the group: progress %d, want 65 (answers %d)", p, len(got))
	}
}

func TestR7MigratedGroupReply(t *testing.T) {
	const newGroup int64 = -1009999
	h := newHarness(t, func(o *bot.Options) {
		target, _ := url.Parse(o.APIURL)
		proxy := httputil.NewSingleHostReverseProxy(target)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/sendMessage") {
				if err := r.ParseMultipartForm(1 << 20); err == nil && r.FormValue("chat_id") == fmt.Sprint(groupID) {
					w.Header().Set("Content-Type", "application/json")
					fmt.Fprintf(w, `{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":%d}}`, newGroup)
					return
				}
				var body bytes.Buffer
				mw := multipart.NewWriter(&body)
				for k, vs := range r.MultipartForm.Value {
					for _, v := range vs {
						_ = mw.WriteField(k, v)
					}
				}
				_ = mw.Close()
				r.Body = io.NopCloser(&body)
				r.ContentLength = int64(body.Len())
				r.Header.Set("Content-Type", mw.FormDataContentType())
			}
			proxy.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		o.APIURL = srv.URL
	})
	err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		tk, err := tx.Task("CCHC-01")
		if err != nil {
			return err
		}
		return h.b.Escalate(tx, tasks.Escalation{Key: "esc:x", Task: tk, DaysLate: 5})
	})
	if err != nil {
		t.Fatal(err)
	}
	h.flush()
	esc := h.srv.SentTo(newGroup)[0]
	sg := telegramtest.Chat{ID: newGroup, Type: "supergroup", Title: "BCĐ"}
	h.srv.Reply(user(headSNV), sg, esc.MessageID, "đạt 60%")
	h.step()
	if p := h.task("CCHC-01").Progress; p != 60 {
		t.Errorf("head's reply in the supergroup to the escalation: progress %d, want 60", p)
	}
	h.srv.Reply(user(headSNV), group2(groupID), esc.MessageID, "đạt 70%")
}

func group2(id int64) telegramtest.Chat { return telegramtest.Chat{ID: id, Type: "supergroup"} }
