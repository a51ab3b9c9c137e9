package bot_test

import (
	"testing"
	"time"

	"steerbot/tasks"
)

// TestPendingChoiceEnds: a "which task?" left unanswered past its end is
// swept by the daily maintenance; a later tap says the button is no longer
// valid and changes nothing, while a question asked since still works.
func TestPendingChoiceEnds(t *testing.T) {
	h := newHarness(t)
	rem := h.remind(headSNV)
	old := one(t, h.reply(headSNV, rem.MessageID, "Đã hoàn thành ạ"))
	contains(t, old.Text, "nhiệm vụ nào")
	h.clock.Advance(tasks.PendingChoiceTTL - time.Hour)
	fresh := one(t, h.reply(headSNV, rem.MessageID, "Đã hoàn thành, gửi kèm báo cáo"))
	contains(t, fresh.Text, "nhiệm vụ nào")
	h.clock.Advance(2 * time.Hour)
	if err := h.st.Update(h.ctx, func(tx tasks.Tx) error {
		swept, err := tx.SweepState(h.clock.Now())
		if err == nil && swept[tasks.StatePendingChoice] != 1 {
			t.Errorf("swept %v, want one pending choice", swept)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	contains(t, h.press(headSNV, old, "CCHC-01"), "không còn hiệu lực")
	if st := h.task("CCHC-01").Status; st != tasks.InProgress {
		t.Fatalf("an ended choice changed CCHC-01 to %s", st)
	}
	h.press(headSNV, fresh, "CCHC-01")
	if st := h.task("CCHC-01").Status; st != tasks.Done {
		t.Fatalf("the fresh choice left CCHC-01 %s, want done", st)
	}
}
