package bot_test

import (
	"testing"

	"steerbot/tasks"
)

// seedIndicators gives the test committee four indicators: CT-01 (SNV,
// monthly, QHK coordinating), CT-02 (QHK), CT-03 (SNV, stopped) and CT-04
// (SNV, yearly).
func (h *harness) seedIndicators() {
	h.t.Helper()
	ge95 := tasks.Target{Cmp: tasks.AtLeast, Value: 95, Measure: "%"}
	all := tasks.Target{Cmp: tasks.AtLeast, Value: 100, Measure: "%"}
	err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		for _, ind := range []tasks.Indicator{
			{Code: "CT-01", Name: "Hồ sơ giải quyết đúng hạn", Unit: "SNV", CoUnits: []string{"QHK"}, Target: ge95, Period: tasks.CadenceMonth, Group: "Kế hoạch CCHC 2023"},
			{Code: "CT-02", Name: "Hồ sơ cấp quận đúng hạn", Unit: "QHK", Target: ge95, Period: tasks.CadenceMonth, Group: "Kế hoạch CCHC 2023"},
			{Code: "CT-03", Name: "Chỉ tiêu đã dừng", Unit: "SNV", Target: ge95, State: tasks.IndicatorStopped, Group: "Kế hoạch CCHC 2023"},
			{Code: "CT-04", Name: "Bố trí công chức theo vị trí việc làm", Unit: "SNV", Target: all, Period: tasks.CadenceYear, Group: "Kế hoạch CCHC 2023"},
		} {
			if err := tx.PutIndicator(ind); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.t.Fatalf("seed indicators: %v", err)
	}
}

// remindIndicators has the bot send the indicator reminder to a member
// as the scheduler's round does, with the codes given, and returns it.
func (h *harness) remindIndicators(tgID int64, codes ...string) int {
	h.t.Helper()
	err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		m, err := tx.MemberByTelegram(tgID)
		if err != nil {
			return err
		}
		u, err := tx.Unit(m.Unit)
		if err != nil {
			return err
		}
		st, err := tasks.LoadIndicatorStandings(tx, tasks.IndicatorFilter{Unit: m.Unit}, tasks.DateOf(h.clock.Now(), h.loc))
		if err != nil {
			return err
		}
		rm := tasks.Reminder{Kind: tasks.RemindIndicators, Key: "indicators:test", Member: m, Unit: u}
		for _, x := range st {
			for _, c := range codes {
				if x.Indicator.Code == c {
					rm.Indicators = append(rm.Indicators, x)
				}
			}
		}
		return h.b.Remind(tx, rm)
	})
	if err != nil {
		h.t.Fatalf("remind: %v", err)
	}
	before := len(h.srv.SentTo(tgID))
	h.flush()
	msg := one(h.t, h.srv.SentTo(tgID)[before:])
	contains(h.t, msg.Text, "Đề nghị báo cáo số liệu chỉ tiêu")
	return msg.MessageID
}

// values reads an indicator's values.
func (h *harness) values(code string) []tasks.IndicatorValue {
	h.t.Helper()
	var vs []tasks.IndicatorValue
	if err := h.st.View(h.ctx, func(tx tasks.Tx) error {
		var err error
		vs, err = tx.IndicatorValues(code, 0)
		return err
	}); err != nil {
		h.t.Fatal(err)
	}
	return vs
}

func TestIndicators_ReplyToReminderIsStoredShownAndCounted(t *testing.T) {
	h := newHarness(t)
	h.seedIndicators()
	rem := h.remindIndicators(headSNV, "CT-01")

	got := one(t, h.reply(headSNV, rem, "đạt 96,2%"))
	contains(t, got.Text, "Đã ghi nhận số liệu chỉ tiêu CT-01: 96,2 %", "✅ đạt: 96,2 % (tháng 10/2023)")
	vs := h.values("CT-01")
	if len(vs) != 1 || vs[0].Value != 96.2 || vs[0].Measure != "%" || vs[0].Via != tasks.ViaReply || vs[0].ByName != "Lê Văn Cường" {
		t.Fatalf("values=%+v, want one 96.2 %% by Lê Văn Cường via reply", vs)
	}

	card := one(t, h.say(headSNV, "/indicator ct-01")).Text
	contains(t, card, "CT-01", "Mục tiêu: ≥ 95 %", "16/10/2023 Lê Văn Cường: 96,2 %", "Số liệu đã báo cáo (1)")

	digest := one(t, h.say(secrID, "/digest")).Text
	contains(t, digest, "📊 Chỉ tiêu: 1/3 đạt, 1 đã dừng", "Chưa có số liệu kỳ này (2): CT-02, CT-04")

	units := one(t, h.say(chairID, "/units")).Text
	contains(t, units, "Chỉ tiêu theo đơn vị", "Sở Nội vụ: 1/2 đạt, chưa có số liệu 1", "UBND quận Hoàn Kiếm: 0/1 đạt")

	list := one(t, h.say(headSNV, "/indicators")).Text
	contains(t, list, "CT-01", "CT-03", "CT-04", "⛔ đã dừng")
	lacks(t, list, "CT-02")
}

func TestIndicators_AnotherUnitCannotReport(t *testing.T) {
	h := newHarness(t)
	h.seedIndicators()
	// QHK coordinates CT-01: it may read it, not report it.
	contains(t, one(t, h.say(headQHK, "/indicator CT-01")).Text, "CT-01")
	got := one(t, h.say(headQHK, "/value CT-01 97%"))
	contains(t, got.Text, "Chỉ tiêu CT-01 thuộc đơn vị khác")
	contains(t, one(t, h.say(headSNV, "/indicator CT-02")).Text, "thuộc đơn vị khác")
	contains(t, one(t, h.say(chairID, "/value CT-01 97%")).Text, "Chỉ đơn vị chủ trì hoặc Văn phòng")
	if vs := h.values("CT-01"); len(vs) != 0 {
		t.Fatalf("values=%+v, want none", vs)
	}
	// The secretariat reports for any unit.
	contains(t, one(t, h.say(secrID, "/value CT-01 97% số liệu của Văn phòng")).Text, "Đã ghi nhận")
}

func TestIndicators_StoppedRefusedInOneLine(t *testing.T) {
	h := newHarness(t)
	h.seedIndicators()
	got := one(t, h.say(headSNV, "/value CT-03 97%"))
	if got.Text != "⚠️ Chỉ tiêu CT-03 đã dừng, không nhận thêm số liệu." {
		t.Errorf("refusal %q, want one line saying CT-03 is stopped", got.Text)
	}
	if vs := h.values("CT-03"); len(vs) != 0 {
		t.Fatalf("values=%+v, want none", vs)
	}
}

func TestIndicators_BadValuesRefused(t *testing.T) {
	h := newHarness(t)
	h.seedIndicators()
	for _, tc := range []struct{ in, want string }{
		{"/value CT-01 5 ngày", "tính bằng «ngày» nhưng mục tiêu tính bằng «%»"},
		{"/value CT-01 khoảng chín mươi", "không phải số liệu"},
		{"/value CT-01 962%", "lớn hơn 100%"},
		{"/value CT-01", "Cú pháp: /value"},
		{"/value CT-99 97%", "Không tìm thấy chỉ tiêu CT-99"},
	} {
		contains(t, one(t, h.say(headSNV, tc.in)).Text, tc.want)
	}
	if vs := h.values("CT-01"); len(vs) != 0 {
		t.Fatalf("values=%+v, want none", vs)
	}
}

func TestIndicators_ReminderOfSeveralNeedsTheCode(t *testing.T) {
	h := newHarness(t)
	h.seedIndicators()
	rem := h.remindIndicators(headSNV, "CT-01", "CT-04")
	contains(t, one(t, h.reply(headSNV, rem, "đạt 96,2%")).Text, "Trả lời bắt đầu bằng mã chỉ tiêu")
	contains(t, one(t, h.reply(headSNV, rem, "CT-04: 100%")).Text, "Đã ghi nhận số liệu chỉ tiêu CT-04: 100 %")
	if len(h.values("CT-01")) != 0 || len(h.values("CT-04")) != 1 {
		t.Fatalf("CT-01 has %d values, CT-04 %d; want 0 and 1", len(h.values("CT-01")), len(h.values("CT-04")))
	}
}
