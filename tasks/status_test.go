package tasks_test

import (
	"testing"

	"steerbot/tasks"
)

func TestParseStatus(t *testing.T) {
	cases := []struct {
		in   string
		want tasks.Status
		ok   bool
	}{
		{"done", tasks.Done, true},
		{"DONE", tasks.Done, true},
		{"xong", tasks.Done, true},
		{"hoàn thành", tasks.Done, true},
		{"Đã hoàn thành", tasks.Done, true},
		{"da hoan thanh", tasks.Done, true},
		{"đang triển khai", tasks.InProgress, true},
		{"Dang  trien khai", tasks.InProgress, true},
		{"in_progress", tasks.InProgress, true},
		{"in progress", tasks.InProgress, true},
		{"chưa triển khai", tasks.NotStarted, true},
		{"not_started", tasks.NotStarted, true},
		{"đề xuất dừng", tasks.ProposedStop, true},
		{"đề xuất dừng thực hiện", tasks.ProposedStop, true},
		{"de xuat chuyen tiep", tasks.ProposedCarryover, true},
		{"proposed_carryover", tasks.ProposedCarryover, true},
		{"chuyển tiếp", tasks.CarriedOver, true},
		{"stopped", tasks.Stopped, true},
		{"dừng thực hiện", tasks.Stopped, true},
		{"carried_over", tasks.CarriedOver, true},
		{"", "", false},
		{"xongxong", "", false},
		{"maybe", "", false},
	}
	for _, c := range cases {
		got, ok := tasks.ParseStatus(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseStatus(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestStatusNameRoundTrip(t *testing.T) {
	for _, s := range tasks.Statuses {
		for _, lang := range []string{"vi", "en"} {
			got, ok := tasks.ParseStatus(s.Name(lang))
			if !ok || got != s {
				t.Errorf("ParseStatus(%q) = %q, %v; want %q", s.Name(lang), got, ok, s)
			}
		}
	}
	if got := tasks.InProgress.Name("vi"); got != "đang triển khai" {
		t.Errorf("InProgress.Name(vi) = %q", got)
	}
}

func TestFold(t *testing.T) {
	cases := map[string]string{
		"Đang Triển  khai": "dang trien khai",
		"  ĐỀ XUẤT DỪNG ":  "de xuat dung",
		"Sở Nội vụ":        "so noi vu",
		"Thời hạn":         "thoi han",
		"Tiến độ (%)":      "tien do (%)",
		"Hoàn Kiếm":        "hoan kiem",
		"Ứng dụng":         "ung dung",
	}
	for in, want := range cases {
		if got := tasks.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseValue(t *testing.T) {
	cases := []struct {
		in       string
		status   tasks.Status
		progress int // -1: none
		note     string
		err      string // error key
	}{
		{"60%", "", 60, "", ""},
		{"60", "", 60, "", ""},
		{"100% đã nghiệm thu", "", 100, "đã nghiệm thu", ""},
		{"xong", tasks.Done, -1, "", ""},
		{"hoàn thành đúng hạn", tasks.Done, -1, "đúng hạn", ""},
		{"đang triển khai chờ kinh phí", tasks.InProgress, -1, "chờ kinh phí", ""},
		{"đề xuất dừng do thay đổi quy định", tasks.ProposedStop, -1, "do thay đổi quy định", ""},
		{"chuyển tiếp sang 2025", tasks.CarriedOver, -1, "sang 2025", ""},
		{"150%", "", -1, "", "bad_progress"},
		{"-5%", "", -1, "", "bad_progress"},
		{"abc", "", -1, "", "bad_value"},
		{"", "", -1, "", "missing_value"},
	}
	for _, c := range cases {
		ch, note, err := tasks.ParseValue(c.in)
		if c.err != "" {
			var e *tasks.Error
			if err == nil || !asError(err, &e) || e.Key != c.err {
				t.Errorf("ParseValue(%q) err = %v, want key %s", c.in, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseValue(%q): %v", c.in, err)
			continue
		}
		var st tasks.Status
		if ch.Status != nil {
			st = *ch.Status
		}
		pr := -1
		if ch.Progress != nil {
			pr = *ch.Progress
		}
		if st != c.status || pr != c.progress || note != c.note {
			t.Errorf("ParseValue(%q) = %q %d %q; want %q %d %q", c.in, st, pr, note, c.status, c.progress, c.note)
		}
	}
}
