package bot_test

import (
	"strings"
	"testing"

	"steerbot/bot"
	"steerbot/bot/telegramtest"
	"steerbot/tasks"
)

func TestStranger(t *testing.T) {
	h := newHarness(t)
	m := one(t, h.say(strangerID, "/start"))
	contains(t, m.Text, "link mời")
	help := one(t, h.say(strangerID, "/help")).Text
	contains(t, help, "/start", "/help")
	lacks(t, help, "/digest", "/tasks", "/update")
	for _, cmd := range []string{"/digest", "/tasks SNV", "/task CCHC-01", "/overdue", "/units", "/update CCHC-01 xong", "/export"} {
		got := one(t, h.say(strangerID, cmd)).Text
		contains(t, got, "chưa được liên kết")
		lacks(t, got, "CCHC", "Sở Nội vụ", "Xây dựng")
	}
	one(t, h.say(strangerID, "xin chào"))
	if st := h.task("CCHC-01").Status; st != tasks.InProgress {
		t.Errorf("a stranger changed CCHC-01 to %s", st)
	}
}

func TestHelpPerRole(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		who        int64
		want, lack []string
	}{
		{headSNV, []string{"/tasks", "/task", "/update", "/extend", "/lang"}, []string{"/digest", "/newtask", "/invite", "/overdue"}},
		{chairID, []string{"/digest", "/overdue", "/units", "/meetings"}, []string{"/update", "/newtask", "/invite", "/extend"}},
		{secrID, []string{"/digest", "/update", "/newtask", "/invite", "/remind", "/export", "/meeting add"}, []string{"/extend"}},
	}
	for _, c := range cases {
		got := one(t, h.say(c.who, "/help")).Text
		contains(t, got, c.want...)
		lacks(t, got, c.lack...)
	}
}

func TestTasksAndTask(t *testing.T) {
	h := newHarness(t)
	m := one(t, h.say(headSNV, "/tasks"))
	contains(t, m.Text, "Sở Nội vụ", "CCHC-01", "CCHC-02", "CCHC-03", "quá hạn 16 ngày", "còn 4 ngày")
	lacks(t, m.Text, "CCHC-04", "CCHC-05")
	if i, j := strings.Index(m.Text, "CCHC-01"), strings.Index(m.Text, "CCHC-03"); i > j {
		t.Errorf("overdue CCHC-01 is not listed before CCHC-03:\n%s", m.Text)
	}
	if len(m.Buttons) != 3 {
		t.Errorf("want a row of buttons per open task, got %v", m.Buttons)
	}

	refused := one(t, h.say(headSNV, "/tasks QHK")).Text
	contains(t, refused, "Chỉ Lãnh đạo Ban và Văn phòng")
	lacks(t, refused, "CCHC-04")

	card := one(t, h.say(headSNV, "/task cchc-02"))
	contains(t, card.Text, "CCHC-02", "Kiểm tra công tác CCHC", "Sở Nội vụ (SNV)", "Đơn vị phối hợp: UBND quận Hoàn Kiếm", "20/10/2023", "còn 4 ngày", "Cập nhật gần đây")
	if len(card.Buttons) == 0 {
		t.Error("the lead unit's card has no buttons")
	}
	// A coordinating unit reads, but gets no buttons to change it.
	co := one(t, h.say(headQHK, "/task CCHC-02"))
	contains(t, co.Text, "CCHC-02")
	if len(co.Buttons) != 0 {
		t.Errorf("a coordinating unit got buttons %v", co.Buttons)
	}
	other := one(t, h.say(headQHK, "/task CCHC-01")).Text
	contains(t, other, "CCHC-01 do đơn vị khác chủ trì")
	lacks(t, other, "Xây dựng Kế hoạch")

	contains(t, one(t, h.say(headSNV, "/task NOPE-1")).Text, "Không tìm thấy nhiệm vụ NOPE-1")
	contains(t, one(t, h.say(headSNV, "/task")).Text, "mã nhiệm vụ")
	chairList := one(t, h.say(chairID, "/tasks QHK")).Text
	contains(t, chairList, "CCHC-04")
	contains(t, one(t, h.say(chairID, "/tasks")).Text, "SNV", "QHK")
}

func TestUpdate(t *testing.T) {
	h := newHarness(t)
	m := one(t, h.say(headSNV, "/update CCHC-03 60% đã xây dựng bộ tiêu chí"))
	contains(t, m.Text, "Đã lưu", "CCHC-03", "60%", "đang triển khai", "đã xây dựng bộ tiêu chí")
	tk := h.task("CCHC-03")
	if tk.Progress != 60 || tk.Status != tasks.InProgress {
		t.Fatalf("CCHC-03 = %s %d%%, want in_progress 60%%", tk.Status, tk.Progress)
	}
	hist := h.history("CCHC-03")
	last := hist[len(hist)-1]
	if last.Via != tasks.ViaCommand || last.NewProgress != 60 || last.ByName != "Lê Văn Cường" || last.Note != "đã xây dựng bộ tiêu chí" {
		t.Errorf("last update = %+v", last)
	}

	contains(t, one(t, h.say(delegSNV, "/update CCHC-03 hoàn thành")).Text, "đã hoàn thành")
	if tk := h.task("CCHC-03"); tk.Status != tasks.Done || tk.Progress != 100 || tk.CompletedAt.IsZero() {
		t.Errorf("after done: %+v", tk)
	}

	contains(t, one(t, h.say(headSNV, "/update CCHC-02 đề xuất dừng do trùng nhiệm vụ")).Text, "đề xuất dừng", "Lãnh đạo")
	if st := h.task("CCHC-02").Status; st != tasks.ProposedStop {
		t.Errorf("CCHC-02 = %s, want proposed_stop", st)
	}
	// The chairs were asked to decide.
	for _, c := range []int64{chairID, vice} {
		ask := h.srv.SentTo(c)
		if len(ask) != 1 || !strings.Contains(ask[0].Text, "CCHC-02") || len(ask[0].Buttons) == 0 {
			t.Errorf("chair %d was not asked to decide: %v", c, ask)
		}
	}

	before := h.task("CCHC-04")
	bad := []struct {
		who       int64
		cmd, want string
	}{
		{headSNV, "/update CCHC-04 50%", "thuộc đơn vị khác"},
		{headSNV, "/update CCHC-01 150%", "từ 0 đến 100"},
		{headSNV, "/update CCHC-01 maybe", "không phải tiến độ hay trạng thái"},
		{headSNV, "/update CCHC-01", "Thiếu giá trị"},
		{headSNV, "/update", "Cú pháp"},
		{headSNV, "/update NOPE-9 50%", "Không tìm thấy nhiệm vụ NOPE-9"},
		{chairID, "/update CCHC-01 50%", "Chỉ đơn vị chủ trì"},
	}
	for _, c := range bad {
		contains(t, one(t, h.say(c.who, c.cmd)).Text, c.want)
	}
	if after := h.task("CCHC-04"); after.Progress != before.Progress {
		t.Errorf("a refused update changed CCHC-04: %d → %d", before.Progress, after.Progress)
	}
	if tk := h.task("CCHC-01"); tk.Progress != 20 {
		t.Errorf("a bad update changed CCHC-01 to %d%%", tk.Progress)
	}
	// The secretariat may update any task.
	contains(t, one(t, h.say(secrID, "/update CCHC-04 70%")).Text, "70%")
}

func TestCommitteeViews(t *testing.T) {
	h := newHarness(t)
	d := one(t, h.say(secrID, "/digest")).Text
	contains(t, d, "1/5 nhiệm vụ đã hoàn thành, chiếm 20%", "Kế hoạch CCHC 2023", "0/4 nhiệm vụ đã hoàn thành, chiếm 0%", "Chuyển đổi số", "1/1 nhiệm vụ đã hoàn thành, chiếm 100%", "Quá hạn theo đơn vị", "Sở Nội vụ", "CCHC-01 (quá 16 ngày)")
	g := one(t, h.say(chairID, "/digest Chuyển đổi số")).Text
	contains(t, g, "1/1 (100%)")
	lacks(t, g, "CCHC-01")
	contains(t, one(t, h.say(chairID, "/digest Không có")).Text, "Không có kế hoạch")

	o := one(t, h.say(chairID, "/overdue")).Text
	contains(t, o, "Nhiệm vụ quá hạn: 1", "CCHC-01", "quá 16 ngày")
	contains(t, one(t, h.say(chairID, "/overdue QHK")).Text, "Không có nhiệm vụ nào quá hạn")

	u := one(t, h.say(chairID, "/units")).Text
	contains(t, u, "Sở Nội vụ: 0/3 (0%)", "Sở Tư pháp: 1/1 (100%)", "UBND quận Hoàn Kiếm")

	for _, cmd := range []string{"/digest", "/overdue", "/units", "/meetings"} {
		got := one(t, h.say(headSNV, cmd)).Text
		contains(t, got, "Chỉ Lãnh đạo Ban và Văn phòng")
		lacks(t, got, "CCHC-0")
	}
}

func TestNewTaskInviteAndStart(t *testing.T) {
	h := newHarness(t)
	m := one(t, h.say(secrID, "/newtask SNV 31/12/2023 Rà soát quy chế làm việc"))
	contains(t, m.Text, "SNV-1", "Rà soát quy chế làm việc", "31/12/2023")
	if tk := h.task("SNV-1"); tk.Unit != "SNV" || tk.Status != tasks.NotStarted || tk.Deadline.String() != "2023-12-31" {
		t.Errorf("new task = %+v", tk)
	}
	told := h.srv.SentTo(headSNV)
	if len(told) != 1 || !strings.Contains(told[0].Text, "SNV-1") || len(told[0].Buttons) == 0 {
		t.Errorf("the unit was not told of its new task: %v", told)
	}
	contains(t, one(t, h.say(secrID, "/newtask SNV 01/10/2023 Việc cũ")).Text, "đã qua")
	contains(t, one(t, h.say(secrID, "/newtask XYZ 31/12/2023 A")).Text, "Không có đơn vị XYZ")
	contains(t, one(t, h.say(secrID, "/newtask SNV 31/02/2024 A")).Text, "31/02/2024", "không phải ngày")
	contains(t, one(t, h.say(headSNV, "/newtask SNV 31/12/2023 A")).Text, "Chỉ Văn phòng")
	contains(t, one(t, h.say(chairID, "/invite chair")).Text, "Chỉ Văn phòng")

	inv := one(t, h.say(secrID, "/invite unit_delegate QHK Ngô Thị Lan")).Text
	contains(t, inv, "https://t.me/steerbot_test_bot?start=")
	token := inv[strings.Index(inv, "start=")+6:]
	token = strings.Fields(token)[0]
	newcomer := int64(777)
	welcome := one(t, h.say(newcomer, "/start "+token)).Text
	contains(t, welcome, "Ngô Thị Lan", "Cán bộ đầu mối", "UBND quận Hoàn Kiếm", "/tasks")
	// The inviter is told.
	contains(t, h.srv.SentTo(secrID)[len(h.srv.SentTo(secrID))-1].Text, "Ngô Thị Lan")
	contains(t, one(t, h.say(newcomer, "/tasks")).Text, "CCHC-04")
	// The member's own command menu is published.
	if cmds := h.srv.Commands("chat:777"); len(cmds) == 0 {
		t.Errorf("no command menu for the new member; scopes hold %v", h.srv.Commands("default"))
	}
	// One use only.
	contains(t, one(t, h.say(888, "/start "+token)).Text, "không hợp lệ")
	contains(t, one(t, h.say(888, "/tasks")).Text, "chưa được liên kết")
	// Expired.
	inv2 := one(t, h.say(secrID, "/invite chair")).Text
	tok2 := strings.Fields(inv2[strings.Index(inv2, "start=")+6:])[0]
	h.clock.Set(h.clock.Now().Add(73 * 3600e9))
	contains(t, one(t, h.say(889, "/start "+tok2)).Text, "hết hạn")
	contains(t, one(t, h.say(secrID, "/invite boss")).Text, "không phải vai trò")
	contains(t, one(t, h.say(secrID, "/invite unit_head")).Text, "cần mã đơn vị")
}

func TestMeetingsAndLang(t *testing.T) {
	h := newHarness(t)
	contains(t, one(t, h.say(secrID, "/meeting add 17/10/2023 14:00 Phiên họp thứ 3")).Text, "«Phiên họp thứ 3»", "14:00 17/10/2023", "/meeting remove 1")
	contains(t, one(t, h.say(chairID, "/meetings")).Text, "Phiên họp thứ 3", "chưa gửi báo cáo")
	contains(t, one(t, h.say(secrID, "/meeting add 01/01/2020 14:00 Cũ")).Text, "đã qua")
	contains(t, one(t, h.say(secrID, "/meeting add 17/10/2023 25:00 X")).Text, "giờ hợp lệ")
	contains(t, one(t, h.say(secrID, "/meeting remove 1")).Text, "Đã huỷ")
	contains(t, one(t, h.say(chairID, "/meetings")).Text, "Chưa có phiên họp")
	contains(t, one(t, h.say(secrID, "/meeting remove 9")).Text, "Không có phiên họp số 9")
	contains(t, one(t, h.say(chairID, "/meeting add 17/10/2023 14:00 X")).Text, "Chỉ Văn phòng")

	contains(t, one(t, h.say(headSNV, "/lang en")).Text, "English")
	contains(t, one(t, h.say(headSNV, "/task CCHC-01")).Text, "Deadline", "16 days overdue")
	contains(t, one(t, h.say(headSNV, "/digest")).Text, "Only chairs and the secretariat")
	contains(t, one(t, h.say(headSNV, "/lang fr")).Text, "Usage")
	contains(t, one(t, h.say(headSNV, "/lang vi")).Text, "tiếng Việt")
}

func TestExport(t *testing.T) {
	exported := 0
	h := newHarness(t, func(o *optionsT) {
		o.Export = func(ts []tasks.Task, _ []tasks.IndicatorStanding, us []tasks.Unit, lang string) ([]byte, error) {
			exported = len(ts)
			return []byte("PK fake xlsx"), nil
		}
	})
	m := one(t, h.say(secrID, "/export"))
	if m.Document == nil || !strings.HasSuffix(m.Document.Name, ".xlsx") || string(m.Document.Data) != "PK fake xlsx" {
		t.Fatalf("export sent %+v", m)
	}
	if exported != 5 {
		t.Errorf("exported %d tasks, want 5", exported)
	}
	contains(t, one(t, h.say(headSNV, "/export")).Text, "Chỉ Văn phòng")
}

func TestBadInput(t *testing.T) {
	h := newHarness(t)
	contains(t, one(t, h.say(headSNV, "/frobnicate")).Text, "Không có lệnh /frobnicate")
	long := "/update CCHC-01 50% " + strings.Repeat("rất dài ", 600)
	contains(t, one(t, h.say(headSNV, long)).Text, "quá dài")
	if tk := h.task("CCHC-01"); tk.Progress != 20 {
		t.Errorf("a refused long message changed CCHC-01 to %d%%", tk.Progress)
	}
	// User text is escaped: it shows as typed, never as markup.
	m := one(t, h.say(headSNV, "/update CCHC-01 <b>50</b>"))
	contains(t, m.Text, "«<b>50</b>»")
	contains(t, m.Raw, "&lt;b&gt;50&lt;/b&gt;")
}

func TestGroupChat(t *testing.T) {
	h := newHarness(t)
	group := telegramtest.Chat{ID: groupID, Type: "supergroup", Title: "BCĐ"}
	before := len(h.srv.SentTo(groupID))
	h.srv.SendText(user(chairID), group, "/digest@steerbot_test_bot")
	h.srv.SendText(user(chairID), group, "/digest@some_other_bot")
	h.srv.SendText(user(headSNV), group, "chào cả nhà")
	h.srv.SendText(user(headSNV), group, "/task@steerbot_test_bot CCHC-01")
	h.step()
	got := h.srv.SentTo(groupID)[before:]
	if len(got) != 2 {
		t.Fatalf("group got %d messages, want the digest and the task asked there", len(got))
	}
	contains(t, got[0].Text, "1/5 nhiệm vụ đã hoàn thành, chiếm 20%")
	contains(t, got[1].Text, "CCHC-01")
	if n := len(h.srv.SentTo(headSNV)); n != 0 {
		t.Errorf("the head got %d private messages from group commands", n)
	}
}

// optionsT names bot.Options for option funcs.
type optionsT = bot.Options

func TestLooselyTypedCodes(t *testing.T) {
	h := newHarness(t)
	for _, cmd := range []string{"/task cchc01", "/task CCHC 1", "/task cchc-1", "/task CCHC_01"} {
		contains(t, one(t, h.say(headSNV, cmd)).Text, "CCHC-01", "Xây dựng Kế hoạch")
	}
	contains(t, one(t, h.say(headSNV, "/update cchc3 40%")).Text, "CCHC-03", "40%")
	contains(t, one(t, h.say(headSNV, "/task CCHC-99")).Text, "Không tìm thấy nhiệm vụ CCHC-99")
}
