package tasks_test

import (
	"testing"

	"steerbot/tasks"
)

func TestIsCourtesy(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"Dạ em nhận ạ", true},
		{"Đã nhận, cảm ơn đồng chí!", true},
		{"ok", true},
		{"Vâng ạ, em xin tiếp thu", true},
		{"", false},
		{"Đơn vị đã gửi dự thảo quy chế sang Sở Tư pháp thẩm định, dự kiến trình UBND tuần sau", false},
		{"dự thảo quy chế đã trình, còn số hóa hồ sơ mới được 40%", false},
		{"ok 100", false},
	} {
		if got := tasks.IsCourtesy(c.text); got != c.want {
			t.Errorf("IsCourtesy(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func FuzzIsCourtesy(f *testing.F) {
	f.Add("Dạ em nhận ạ")
	f.Add("mới được 40%")
	f.Fuzz(func(t *testing.T, s string) {
		if tasks.IsCourtesy(s) && tasks.ReadReply(s, tasks.Date{Year: 2023, Month: 10, Day: 16}).Understood {
			t.Fatalf("%q is both courtesy and a report the rules read", s)
		}
	})
}

func BenchmarkIsCourtesy(b *testing.B) {
	for b.Loop() {
		tasks.IsCourtesy("Dạ em nhận ạ, cảm ơn đồng chí")
		tasks.IsCourtesy("Đơn vị đã gửi dự thảo quy chế sang Sở Tư pháp thẩm định, dự kiến trình UBND tuần sau")
	}
}
