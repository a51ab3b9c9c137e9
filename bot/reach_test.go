package bot_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"steerbot/bot/telegramtest"
	"steerbot/tasks"
)

// member reads the member linked to a Telegram id.
func (h *harness) member(tg int64) tasks.Member {
	h.t.Helper()
	var m tasks.Member
	if err := h.st.View(h.ctx, func(tx tasks.Tx) error {
		var err error
		m, err = tx.MemberByTelegram(tg)
		return err
	}); err != nil {
		h.t.Fatalf("member %d: %v", tg, err)
	}
	return m
}

// update changes the store in one transaction, failing the test on error.
func (h *harness) update(fn func(tx tasks.Tx) error) {
	h.t.Helper()
	if err := h.st.Update(h.ctx, fn); err != nil {
		h.t.Fatal(err)
	}
}

func TestInvite_TitleAfterTheName(t *testing.T) {
	h := newHarness(t)
	inv := one(t, h.say(secrID, "/invite unit_head STP Hoàng Văn Em, Giám đốc Sở Tư pháp")).Text
	tok := startToken.FindStringSubmatch(inv)
	if tok == nil {
		t.Fatalf("no link in %q", inv)
	}
	const newcomer = 777
	h.say(newcomer, "/start "+tok[1])
	m := h.member(newcomer)
	if m.Name != "Hoàng Văn Em" || m.Title != "Giám đốc Sở Tư pháp" || m.Unit != "STP" {
		t.Fatalf("new member %+v, want Hoàng Văn Em, Giám đốc Sở Tư pháp of STP", m)
	}
	// Today's syntax still works: a name without a title.
	one(t, h.say(secrID, "/invite unit_delegate STP Trịnh Văn F"))

	// Reminders open with the form of address, the name and the title.
	h.update(func(tx tasks.Tx) error {
		return tx.PutTask(tasks.Task{Code: "STP-1", Title: "Rà soát thủ tục", Unit: "STP", Status: tasks.InProgress})
	})
	contains(t, h.remind(newcomer).Text, "Kính gửi đồng chí Hoàng Văn Em, Giám đốc Sở Tư pháp")
	contains(t, h.remind(headSNV).Text, "Kính gửi đồng chí Lê Văn Cường,")
}

func TestMembers_PerUnit(t *testing.T) {
	h := newHarness(t)
	one(t, h.say(headSNV, "/update CCHC-02 60% đã họp"))
	h.clock.Advance(time.Hour)
	one(t, h.say(secrID, "/invite unit_delegate QHK Ngô Thị Giang"))
	h.update(func(tx tasks.Tx) error {
		m, err := tx.MemberByTelegram(headQHK)
		if err != nil {
			return err
		}
		return tasks.MarkBlocked(tx, m.TelegramID, h.clock.Now())
	})
	one(t, h.say(headSNV, "/away 17/10 20/10"))
	h.removeMember("Vũ Thu Hằng")
	got := one(t, h.say(secrID, "/members")).Text
	contains(t, got, "Sở Nội vụ", "Lê Văn Cường", "báo cáo gần nhất: 16/10/2023",
		"UBND quận Hoàn Kiếm", "Phạm Minh Đức", "đã chặn bot từ 16/10/2023", "Đã mời", "Ngô Thị Giang",
		"Vắng từ 17/10/2023 đến 20/10/2023", "Sở Tư pháp", "Không ai nhận được nhắc việc")
	lacks(t, got, "Vũ Thu Hằng")
	// Only the secretariat sees it.
	lacks(t, one(t, h.say(headSNV, "/members")).Text, "Phạm Minh Đức")
}

func TestBlocked_ClearedWhenTheyWriteAgain(t *testing.T) {
	h := newHarness(t)
	h.srv.Block(headQHK)
	_, err := h.b.Send(h.ctx, tasks.OutMessage{ChatID: headQHK, Text: "x"})
	var se *tasks.SendError
	if !errors.As(err, &se) || !se.Permanent || !se.Blocked {
		t.Fatalf("send to a user who blocked the bot: %v, want a permanent SendError marked Blocked", err)
	}
	_, err = h.b.Send(h.ctx, tasks.OutMessage{ChatID: headSNV, Text: "<b>unclosed"})
	if !errors.As(err, &se) || se.Blocked {
		t.Fatalf("a bad request: %v, want not Blocked", err)
	}
	h.update(func(tx tasks.Tx) error { return tasks.MarkBlocked(tx, headQHK, h.clock.Now()) })
	h.srv.Unblock(headQHK)
	h.say(headQHK, "/tasks")
	if m := h.member(headQHK); !m.BlockedAt.IsZero() {
		t.Fatalf("BlockedAt %v after they wrote, want cleared", m.BlockedAt)
	}
}

func TestAway_SecretariatForAnyoneAndOff(t *testing.T) {
	h := newHarness(t)
	got := one(t, h.say(secrID, "/away 17/10 20/10 Lê Văn Cường, Phạm Minh Đức")).Text
	contains(t, got, "Lê Văn Cường vắng từ 17/10/2023 đến hết 20/10/2023", "Phạm Minh Đức")
	if a := h.member(headSNV).Away; a.Cover != h.member(headQHK).ID {
		t.Fatalf("absence %+v, want Phạm Minh Đức covering", a)
	}
	msgs := h.srv.SentTo(headSNV)
	contains(t, msgs[len(msgs)-1].Text, "Văn phòng đã ghi nhận đồng chí vắng từ 17/10/2023", "Phạm Minh Đức")
	msgs = h.srv.SentTo(headQHK)
	contains(t, msgs[len(msgs)-1].Text, "nhận nhắc việc thay Lê Văn Cường")
	contains(t, one(t, h.say(headSNV, "/away off")).Text, "đã trở lại")
	if a := h.member(headSNV).Away; !a.From.IsZero() {
		t.Fatalf("absence %+v after /away off", a)
	}
	contains(t, one(t, h.say(chairID, "/away 17/10 20/10")).Text, "Chỉ thành viên đơn vị")
	contains(t, one(t, h.say(headSNV, "/away 20/10 17/10")).Text, "quá 92 ngày")
	contains(t, one(t, h.say(headSNV, "/away 2023-10-20 2023-10-17")).Text, "trước ngày bắt đầu")
}

func TestRemind_SaysForWhomTheyStandIn(t *testing.T) {
	h := newHarness(t)
	one(t, h.say(headSNV, "/away 16/10 20/10"))
	head := h.member(headSNV)
	deleg := h.member(delegSNV)
	h.update(func(tx tasks.Tx) error {
		ts, err := tx.Tasks(tasks.TaskFilter{Unit: "SNV", OpenOnly: true})
		if err != nil {
			return err
		}
		return h.b.Remind(tx, tasks.Reminder{Kind: tasks.RemindWeekly, Key: "w:cover", Member: deleg, For: []tasks.Member{head},
			Unit: tasks.Unit{Code: "SNV", Name: "Sở Nội vụ"}, Tasks: ts, Timeline: tasks.Timeline{Now: h.clock.Now(), Loc: h.loc}})
	})
	h.flush()
	msgs := h.srv.SentTo(delegSNV)
	contains(t, msgs[len(msgs)-1].Text, "nhận thay Lê Văn Cường (vắng đến hết ngày 20/10/2023)")
}

func TestEscalate_OneMessageMostLateFirst(t *testing.T) {
	h := newHarness(t)
	var es []tasks.Escalation
	for i, late := range []int{30, 21, 12, 7, 5} {
		tk := h.task([]string{"CCHC-01", "CCHC-02", "CCHC-03", "CCHC-04", "CCHC-01"}[i])
		unit := tasks.Unit{Code: tk.Unit, Name: map[string]string{"SNV": "Sở Nội vụ", "QHK": "UBND quận Hoàn Kiếm"}[tk.Unit]}
		es = append(es, tasks.Escalation{Key: "e", Task: tk, Unit: unit, DaysLate: late})
	}
	es[0].Covers = []tasks.Contact{{Member: tasks.Member{Name: "Vũ Thu Hằng"}, For: []tasks.Member{{Name: "Lê Văn Cường"}}}}
	before := len(h.srv.SentTo(groupID))
	h.update(func(tx tasks.Tx) error { return h.b.Escalate(tx, "escalate:run", es) })
	h.flush()
	got := one(t, h.srv.SentTo(groupID)[before:]).Text
	contains(t, got, "5 nhiệm vụ quá hạn", "UBND quận Hoàn Kiếm", "Lê Văn Cường vắng, Vũ Thu Hằng nhận thay")
	lacks(t, got, "Đơn vị chủ trì: QHK", "Đơn vị chủ trì: SNV")
	if i, j := strings.Index(got, "quá hạn 30 ngày"), strings.Index(got, "quá hạn 5 ngày"); i < 0 || j < i {
		t.Fatalf("30 days late not before 5 days late in %q", got)
	}
}

func TestUnreached_MessageWithInviteLinks(t *testing.T) {
	h := newHarness(t)
	var u tasks.Unreached
	h.update(func(tx tasks.Tx) error {
		secr, err := tx.MemberByTelegram(secrID)
		if err != nil {
			return err
		}
		u = tasks.Unreached{Key: "unreached:test", To: []tasks.Member{secr}}
		for _, code := range []string{"STP", "QHK"} {
			inv, err := tasks.CreateInvite(tx, tasks.Invite{Role: tasks.RoleUnitHead, Unit: code}, h.clock.Now(), 72*time.Hour)
			if err != nil {
				return err
			}
			un, err := tx.Unit(code)
			if err != nil {
				return err
			}
			u.Units = append(u.Units, tasks.UnreachedUnit{Unit: un, Invite: inv})
		}
		return h.b.Unreached(tx, u)
	})
	h.flush()
	msgs := h.srv.SentTo(secrID)
	got := msgs[len(msgs)-1].Text
	contains(t, got, "2 đơn vị", "Sở Tư pháp", "UBND quận Hoàn Kiếm", "https://t.me/steerbot_test_bot?start="+u.Units[0].Invite.Token)
	// The link works: whoever opens it joins as the unit's head.
	const newcomer = 778
	h.srv.SendText(user(newcomer), telegramtest.Private(user(newcomer)), "/start "+u.Units[0].Invite.Token)
	h.step()
	if m := h.member(newcomer); m.Unit != "STP" || m.Role != tasks.RoleUnitHead {
		t.Fatalf("joined as %+v, want STP's head", m)
	}
}

func TestPart_CoUnitReportsItsPart(t *testing.T) {
	h := newHarness(t)
	before := h.task("CCHC-02")
	contains(t, one(t, h.say(headQHK, "/part CCHC-02 60% đã gửi số liệu quận")).Text, "UBND quận Hoàn Kiếm", "CCHC-02", "60%")
	after := h.task("CCHC-02")
	if after.Status != before.Status || after.Progress != before.Progress {
		t.Fatalf("task %s %d%% after a co-unit's part, want %s %d%% unchanged", after.Status, after.Progress, before.Status, before.Progress)
	}
	hist := h.history("CCHC-02")
	if last := hist[len(hist)-1]; last.Unit != "QHK" || last.NewProgress != 60 {
		t.Fatalf("last update %+v, want QHK's part at 60%%", last)
	}
	contains(t, one(t, h.say(secrID, "/task CCHC-02")).Text, "phần của QHK: 60%", "đã gửi số liệu quận")
	contains(t, one(t, h.say(headSNV, "/part CCHC-02 60%")).Text, "đơn vị chủ trì dùng /update")
	contains(t, one(t, h.say(headQHK, "/part CCHC-04 60%")).Text, "/update")
}
