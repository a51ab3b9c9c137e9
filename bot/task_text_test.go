package bot_test

import (
	"strings"
	"testing"

	"steerbot/bot/telegramtest"
	"steerbot/tasks"
)

// A task whose fields run to thousands of characters is one message with
// its fields cut, and its Full text button sends all of it as a file.
func TestTask_LongFieldsOneMessageAndFullText(t *testing.T) {
	h := newHarness(t)
	title := strings.Repeat("Rà soát thủ tục hành chính ", 200) + "HẾT"
	blocker := strings.Repeat("Thiếu kinh phí ", 400) + "CUỐI"
	group := strings.Repeat("&<>", 333) // 999 bytes, escapes to 4,995 characters
	source := strings.Repeat("<QĐ&>", 1000)
	unit := strings.Repeat("Sở Nội vụ ", 500)
	if err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		if err := tx.PutUnit(tasks.Unit{Code: "DAI", Name: unit}); err != nil {
			return err
		}
		return tx.PutTask(tasks.Task{Code: "CCHC-09", Title: title, Unit: "DAI", Group: group, Source: source,
			Blocker: blocker, Status: tasks.InProgress, Progress: 10, Created: h.clock.Now(), Updated: h.clock.Now()})
	}); err != nil {
		t.Fatal(err)
	}
	card := one(t, h.say(secrID, "/task CCHC-09"))
	if n := telegramtest.UTF16Len(card.Text); n > telegramtest.MaxMessageLength {
		t.Fatalf("card shows %d units", n)
	}
	contains(t, card.Text, "CCHC-09", "Rà soát thủ tục hành chính", "…", "Thiếu kinh phí")
	lacks(t, card.Text, "HẾT", "CUỐI")

	before := len(h.srv.SentTo(secrID))
	h.press(secrID, card, "Toàn văn")
	doc := one(t, h.srv.SentTo(secrID)[before:])
	if doc.Document == nil || doc.Document.Name != "CCHC-09.txt" {
		t.Fatalf("got %+v, want the document CCHC-09.txt", doc)
	}
	contains(t, doc.Caption, "CCHC-09")
	full := string(doc.Document.Data)
	contains(t, full, title, blocker, group, source, strings.TrimSpace(unit))

	// A short task has no such button.
	short := one(t, h.say(secrID, "/task CCHC-02"))
	for _, row := range short.Buttons {
		for _, b := range row {
			if strings.Contains(b.Text, "Toàn văn") {
				t.Errorf("a task shown whole has a %q button", b.Text)
			}
		}
	}
}

// A unit head may not read another unit's task in full either.
func TestTask_FullTextFollowsReadRights(t *testing.T) {
	h := newHarness(t)
	if err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		return tx.PutTask(tasks.Task{Code: "CCHC-10", Title: strings.Repeat("dài ", 200), Unit: "QHK", Status: tasks.InProgress, Created: h.clock.Now(), Updated: h.clock.Now()})
	}); err != nil {
		t.Fatal(err)
	}
	card := one(t, h.say(secrID, "/task CCHC-10"))
	var data string
	for _, row := range card.Buttons {
		for _, b := range row {
			if strings.Contains(b.Text, "Toàn văn") {
				data = b.Data
			}
		}
	}
	if data == "" {
		t.Fatal("no Full text button")
	}
	before := len(h.srv.SentTo(headSNV))
	h.pressData(headSNV, headSNV, card.MessageID, data)
	for _, m := range h.srv.SentTo(headSNV)[before:] {
		if m.Document != nil {
			t.Fatalf("a unit head got another unit's task as %s", m.Document.Name)
		}
	}
}
