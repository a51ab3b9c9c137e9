package bot_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"steerbot/bot/telegramtest"
	"steerbot/tasks"
)

// sent returns the message with that id in a chat, as it stands now.
func (h *harness) sent(chat int64, id int) telegramtest.Message {
	h.t.Helper()
	for _, m := range h.srv.SentTo(chat) {
		if m.MessageID == id {
			return m
		}
	}
	h.t.Fatalf("no message %d in chat %d", id, chat)
	return telegramtest.Message{}
}

// removeMember has the secretariat remove the member named, through the
// confirmation card, and returns the card as it ends.
func (h *harness) removeMember(name string) telegramtest.Message {
	h.t.Helper()
	card := one(h.t, h.say(secrID, "/remove "+name))
	contains(h.t, card.Text, "Xoá")
	h.press(secrID, card, "Xoá")
	return h.sent(secrID, card.MessageID)
}

// Removing a member ends their access at once: their next message, command
// or button gets the stranger's answer; their history still names them.
func TestRemove_EndsAccessAtOnce(t *testing.T) {
	h := newHarness(t)
	one(t, h.say(headSNV, "/update CCHC-02 60% đã họp triển khai"))
	list := one(t, h.say(headSNV, "/tasks"))

	card := h.removeMember("le van cuong") // accents and case ignored
	contains(t, card.Text, "Đã xoá", "Lê Văn Cường")
	if len(card.Buttons) != 0 {
		t.Errorf("the confirmation keeps its buttons: %v", card.Buttons)
	}

	stranger := one(t, h.say(strangerID, "/tasks")).Text
	for _, msg := range []string{"/tasks", "CCHC-02 xong", "/task CCHC-02"} {
		if got := one(t, h.say(headSNV, msg)).Text; got != stranger {
			t.Errorf("after removal %q got %q, want the stranger's %q", msg, got, stranger)
		}
	}
	toast := h.press(headSNV, list, "Tiến độ")
	contains(t, toast, "chưa được liên kết")
	if tk := h.task("CCHC-02"); tk.Progress != 60 {
		t.Errorf("progress %d after a removed member's button, want 60", tk.Progress)
	}

	// Who did what stays true.
	hist := h.history("CCHC-02")
	if last := hist[len(hist)-1]; last.ByName != "Lê Văn Cường" || last.NewProgress != 60 {
		t.Errorf("last update %+v, want Lê Văn Cường's 60%%", last)
	}
	contains(t, one(t, h.say(secrID, "/task CCHC-02")).Text, "Lê Văn Cường")
	var m tasks.Member
	if err := h.st.View(h.ctx, func(tx tasks.Tx) error {
		ms, err := tx.Members()
		for _, x := range ms {
			if x.FormerTelegramID == headSNV {
				m = x
			}
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if !m.Removed() || m.Linked() || m.Name != "Lê Văn Cường" {
		t.Errorf("member record after removal %+v", m)
	}

	// They are no longer among /remove's choices.
	contains(t, one(t, h.say(secrID, "/remove Lê Văn Cường")).Text, "Không tìm thấy")
}

// /remove asks first; Cancel removes nobody; nobody removes themselves;
// only the secretariat removes.
func TestRemove_ConfirmCancelAndRights(t *testing.T) {
	h := newHarness(t)
	card := one(t, h.say(secrID, "/remove Phạm Minh Đức"))
	h.press(secrID, card, "Huỷ")
	contains(t, h.sent(secrID, card.MessageID).Text, "Đã huỷ")
	if len(one(t, h.say(headQHK, "/tasks")).Buttons) == 0 {
		t.Error("a cancelled removal removed")
	}
	contains(t, one(t, h.say(secrID, "/remove Trần Thị Bình")).Text, "không thể tự xoá")
	contains(t, one(t, h.say(chairID, "/remove Phạm Minh Đức")).Text, "Chỉ Văn phòng")
	contains(t, one(t, h.say(headSNV, "/invites")).Text, "Chỉ Văn phòng")
	contains(t, one(t, h.say(secrID, "/remove")).Text, "/remove")

	// Several matches: one button each, then the same confirmation.
	pick := one(t, h.say(secrID, "/remove van"))
	if len(pick.Buttons) < 2 {
		t.Fatalf("several matches gave %v", pick.Buttons)
	}
	before := len(h.srv.SentTo(secrID))
	h.press(secrID, pick, "Nguyễn Văn An")
	confirm := one(t, h.srv.SentTo(secrID)[before:])
	contains(t, confirm.Text, "Nguyễn Văn An")
	h.press(secrID, confirm, "Xoá")
	if got := one(t, h.say(chairID, "/digest")).Text; !strings.Contains(got, "chưa được liên kết") {
		t.Errorf("removed chair still reads the digest: %q", got)
	}

	// Help and the command menu offer both commands to the secretariat only.
	help := one(t, h.say(secrID, "/help")).Text
	contains(t, help, "/remove", "/invites")
	lacks(t, one(t, h.say(headQHK, "/help")).Text, "/remove", "/invites")
	if err := h.b.SetCommands(h.ctx); err != nil {
		t.Fatal(err)
	}
	names := func(scope string) string {
		var s []string
		for _, c := range h.srv.Commands(scope) {
			s = append(s, c.Command)
		}
		return " " + strings.Join(s, " ") + " "
	}
	contains(t, names("chat:222"), " remove ", " invites ")
	lacks(t, names("chat:334"), " remove ", " invites ")

	// A removed member's menu goes with them.
	if !strings.Contains(names("chat:334"), " tasks ") {
		t.Fatalf("unit head's menu %q", names("chat:334"))
	}
	h.removeMember("Phạm Minh Đức")
	if got := names("chat:334"); got != "  " {
		t.Errorf("a removed member keeps the menu %q", got)
	}
}

// A decision card the removed decider held goes to the deciders who lack
// one; those who have one get no second; the removed one's buttons no
// longer decide.
func TestRemove_DecisionCardsGoToOtherDeciders(t *testing.T) {
	h := newHarness(t)
	contains(t, one(t, h.say(headSNV, "/extend CCHC-02 30/11/2023 chờ số liệu")).Text, "Đã gửi")
	held := one(t, h.srv.SentTo(chairID))
	// A third chair joins after the request was sent.
	if err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		return tx.PutMember(&tasks.Member{Name: "Hoàng Văn Ba", Role: tasks.RoleChair, TelegramID: 113})
	}); err != nil {
		t.Fatal(err)
	}
	viceBefore := len(h.srv.SentTo(vice))

	card := h.removeMember("Nguyễn Văn An")
	contains(t, card.Text, "Đã gửi 1 đề nghị")
	got := one(t, h.srv.SentTo(113))
	contains(t, got.Text, "CCHC-02", "chờ số liệu")
	if n := len(h.srv.SentTo(vice)) - viceBefore; n != 0 {
		t.Errorf("the vice-chair, who had the card, got %d more messages", n)
	}

	contains(t, h.press(chairID, held, "Đồng ý"), "chưa được liên kết")
	if d := h.task("CCHC-02").Deadline; d.VN() != "20/10/2023" {
		t.Fatalf("a removed chair's button moved the deadline to %s", d.VN())
	}
	h.press(113, got, "Đồng ý")
	if d := h.task("CCHC-02").Deadline; d.VN() != "30/11/2023" {
		t.Errorf("deadline %s after the new chair approved, want 30/11/2023", d.VN())
	}
}

// An extension the removed member asked for stays and is decided; they
// are not told, having left.
func TestRemove_RequestsStay(t *testing.T) {
	h := newHarness(t)
	one(t, h.say(headSNV, "/extend CCHC-02 30/11/2023 chờ số liệu"))
	card := h.removeMember("Lê Văn Cường")
	contains(t, card.Text, "1 đề nghị gia hạn")
	before := len(h.srv.SentTo(headSNV))
	h.press(chairID, one(t, h.srv.SentTo(chairID)), "Đồng ý")
	if d := h.task("CCHC-02").Deadline; d.VN() != "30/11/2023" {
		t.Errorf("deadline %s, want 30/11/2023", d.VN())
	}
	if n := len(h.srv.SentTo(headSNV)) - before; n != 0 {
		t.Errorf("the removed member was told %d times", n)
	}
}

var startToken = regexp.MustCompile(`start=([A-Za-z0-9_-]+)`)

// A revoked invite's link answers as an expired one, and /invites no
// longer lists it.
func TestInvites_RevokedAnswersAsExpired(t *testing.T) {
	h := newHarness(t)
	token := func(msg string) string {
		m := startToken.FindStringSubmatch(one(t, h.say(secrID, msg)).Text)
		if m == nil {
			t.Fatalf("no link in the answer to %q", msg)
		}
		return m[1]
	}
	revoked := token("/invite unit_head STP Ngô Thị Mai")
	kept := token("/invite secretariat")

	list := one(t, h.say(secrID, "/invites"))
	contains(t, list.Text, "(2)", "Ngô Thị Mai", "STP", "Trần Thị Bình")
	n := "2" // the list goes by expiry, and both expire together
	if strings.Contains(list.Text, "1. Thủ trưởng đơn vị — STP") {
		n = "1"
	}
	toast := h.press(secrID, list, "Thu hồi link "+n)
	contains(t, toast, "Đã thu hồi")
	list = h.sent(secrID, list.MessageID)
	contains(t, list.Text, "(1)")
	lacks(t, list.Text, "Ngô Thị Mai")

	// The revoked link answers exactly as an expired one does.
	gotRevoked := one(t, h.say(strangerID, "/start "+revoked)).Text
	h.clock.Advance(73 * time.Hour)
	gotExpired := one(t, h.say(998, "/start "+kept)).Text
	if gotRevoked != gotExpired {
		t.Errorf("revoked link: %q; expired link: %q", gotRevoked, gotExpired)
	}
	contains(t, gotRevoked, "hết hạn")
	contains(t, one(t, h.say(secrID, "/invites")).Text, "Không có link mời")
}

// The other secretariat members are told of a removal; a removed member's
// unused invites are withdrawn with them.
func TestRemove_RecordedAndInvitesWithdrawn(t *testing.T) {
	h := newHarness(t)
	const secr2 int64 = 223
	if err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		return tx.PutMember(&tasks.Member{Name: "Đinh Thị Lan", Role: tasks.RoleSecretariat, TelegramID: secr2})
	}); err != nil {
		t.Fatal(err)
	}
	m := startToken.FindStringSubmatch(one(t, h.say(secr2, "/invite secretariat")).Text)
	if m == nil {
		t.Fatal("no invite link")
	}

	before := len(h.srv.SentTo(secr2))
	h.removeMember("Lê Văn Cường")
	told := one(t, h.srv.SentTo(secr2)[before:])
	contains(t, told.Text, "Trần Thị Bình", "Lê Văn Cường", "Sở Nội vụ")

	card := h.removeMember("Đinh Thị Lan")
	contains(t, card.Text, "thu hồi 1 link mời")
	contains(t, one(t, h.say(strangerID, "/start "+m[1])).Text, "hết hạn")
}

// Removing the last decider says that the open decisions have nobody left.
func TestRemove_LastDeciderWarns(t *testing.T) {
	h := newHarness(t)
	one(t, h.say(headSNV, "/extend CCHC-02 30/11/2023 chờ số liệu"))
	lacks(t, h.removeMember("Đỗ Thị Hà").Text, "Không còn lãnh đạo")
	contains(t, h.removeMember("Nguyễn Văn An").Text, "Không còn lãnh đạo nào để quyết định 1 đề nghị")
}
