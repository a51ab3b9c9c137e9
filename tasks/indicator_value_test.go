package tasks_test

import (
	"testing"

	"steerbot/tasks"
)

func mustTarget(tb testing.TB, s string) tasks.Target {
	tb.Helper()
	tg, err := tasks.ParseTarget(s)
	if err != nil {
		tb.Fatalf("ParseTarget(%q): %v", s, err)
	}
	return tg
}

func TestParseIndicatorValue(t *testing.T) {
	tests := []struct {
		in, target string
		value      float64
		measure    string
	}{
		{"96,2 %", "≥ 95 %", 96.2, "%"},
		{"96,2%", "≥ 95 %", 96.2, "%"},
		{"96.2", "≥ 95 %", 96.2, "%"},
		{"96,2", "≥ 95 %", 96.2, "%"},
		{"đạt 96,2%", "≥ 95 %", 96.2, "%"},
		{"Đạt 96,2%", "≥ 95 %", 96.2, "%"},
		{"dat 96,2%", "≥ 95 %", 96.2, "%"},
		{"đạt 96,2% ạ", "≥ 95 %", 96.2, "%"},
		{"Kết quả: 99,74%", "≥ 95 %", 99.74, "%"},
		{"tỷ lệ đạt 96,2 phần trăm", "≥ 95 %", 96.2, "%"},
		{"100%", "100 %", 100, "%"},
		{"95%", "≥ 95 %", 95, "%"},
		{"0,26%", "≤ 1 %", 0.26, "%"},
		{"1.250 hồ sơ", "≥ 1.000 hồ sơ", 1250, "hồ sơ"},
		{"1.250", "≥ 1.000 hồ sơ", 1250, "hồ sơ"},
		{"1.250,5", "≥ 1.000", 1250.5, ""},
		{"1.207.000 hồ sơ", "≥ 1.000", 1207000, "hồ sơ"},
		{"0.5", "≤ 1 %", 0.5, "%"},
		{"4,5 ngày", "≤ 5 ngày", 4.5, "ngày"},
		{"4,5 NGÀY", "≤ 5 ngày", 4.5, "ngày"},
		{"3 hội nghị", "≥ 2 hội nghị", 3, "hội nghị"},
		{"3 hội nghị đối thoại", "≥ 2 hội nghị", 3, "hội nghị"},
		{"2", "≥ 2 hội nghị", 2, "hội nghị"},
		{"120%", "≥ 110 %", 120, "%"},
	}
	for _, tt := range tests {
		got, err := tasks.ParseIndicatorValue(tt.in, mustTarget(t, tt.target))
		if err != nil {
			t.Errorf("ParseIndicatorValue(%q, %q): %v", tt.in, tt.target, err)
			continue
		}
		if got.Value != tt.value || got.Measure != tt.measure {
			t.Errorf("ParseIndicatorValue(%q, %q) = %v %q, want %v %q", tt.in, tt.target, got.Value, got.Measure, tt.value, tt.measure)
		}
	}
}

func TestParseIndicatorValue_Bad(t *testing.T) {
	tests := []struct {
		in, target, key string
	}{
		{"", "≥ 95 %", "bad_indicator_value"},
		{"chưa có", "≥ 95 %", "bad_indicator_value"},
		{"trên 95%", "≥ 95 %", "bad_indicator_value"}, // not exact
		{"khoảng 95%", "≥ 95 %", "bad_indicator_value"},
		{"-5", "≤ 5 ngày", "bad_indicator_value"},
		{"96,2,5%", "≥ 95 %", "bad_indicator_value"},
		{"1,250.5", "≥ 1.000", "bad_indicator_value"},
		{"95% - 96%", "≥ 95 %", "bad_indicator_value"},
		{"1.25.0", "≥ 1.000", "bad_indicator_value"},
		{"5 ngày", "≥ 95 %", "measure_mismatch"},
		{"96,2%", "≤ 5 ngày", "measure_mismatch"},
		{"1.250 hồ sơ", "≥ 95 %", "measure_mismatch"},
		{"3 ngày", "≥ 2 hội nghị", "measure_mismatch"},
		{"962%", "≥ 95 %", "value_over_100"}, // 96,2 without its comma
		{"101 %", "100 %", "value_over_100"},
	}
	for _, tt := range tests {
		_, err := tasks.ParseIndicatorValue(tt.in, mustTarget(t, tt.target))
		var e *tasks.Error
		if !asError(err, &e) || e.Code != tasks.EINVALID || e.Key != tt.key {
			t.Errorf("ParseIndicatorValue(%q, %q) error = %v, want EINVALID %s", tt.in, tt.target, err, tt.key)
		}
	}
}

func TestReadIndicatorValue(t *testing.T) {
	tests := []struct {
		in, target string
		value      float64
		measure    string
		note       string
	}{
		{"96,2%", "≥ 95 %", 96.2, "%", ""},
		{"Đạt 96,2% ạ", "≥ 95 %", 96.2, "%", ""},
		{"đạt 96,2%, đúng hạn ạ", "≥ 95 %", 96.2, "%", "đúng hạn"},
		{"96,2% hồ sơ lạ", "≥ 95 %", 96.2, "%", "hồ sơ lạ"},
		{"96,2% a", "≥ 95 %", 96.2, "%", "a"},
		{"96,2% đúng hạn và trước hạn", "≥ 95 %", 96.2, "%", "đúng hạn và trước hạn"},
		{"đạt 96,2%, vượt chỉ tiêu", "≥ 95 %", 96.2, "%", "vượt chỉ tiêu"},
		{"96% hồ sơ đúng hạn", "≥ 95 %", 96, "%", "hồ sơ đúng hạn"},
		{"96,2 phần trăm - số liệu quý III", "≥ 95 %", 96.2, "%", "số liệu quý III"},
		{"96,2 số liệu tháng 9", "≥ 95 %", 96.2, "%", "số liệu tháng 9"},
		{"4 ngày (bình quân)", "≤ 5 ngày", 4, "ngày", "bình quân"},
		{"3 hội nghị, tổ chức tại phường", "≥ 2 hội nghị", 3, "hội nghị", "tổ chức tại phường"},
		{"1.250 hồ sơ", "≥ 1.000 hồ sơ", 1250, "hồ sơ", ""},
		{"2 lần/năm", "ít nhất 2 lần/năm", 2, "lần/năm", ""},
		{"1.250 hồ sơ trực tuyến toàn trình", "≥ 1.000 hồ sơ trực tuyến toàn trình", 1250, "hồ sơ trực tuyến toàn trình", ""},
	}
	for _, tt := range tests {
		q, note, err := tasks.ReadIndicatorValue(tt.in, mustTarget(t, tt.target))
		if err != nil {
			t.Errorf("ReadIndicatorValue(%q, %q): %v", tt.in, tt.target, err)
			continue
		}
		if q.Value != tt.value || q.Measure != tt.measure || note != tt.note {
			t.Errorf("ReadIndicatorValue(%q, %q) = %v %q note %q, want %v %q note %q", tt.in, tt.target, q.Value, q.Measure, note, tt.value, tt.measure, tt.note)
		}
	}
	for _, tt := range []struct{ in, target, key string }{
		{"5 ngày", "≥ 95 %", "measure_mismatch"},
		{"1.250 hồ sơ đã giải quyết", "≥ 95 %", "measure_mismatch"},
		{"96%", "≤ 5 ngày", "measure_mismatch"},
		{"tháng 9 đạt 96%", "≥ 95 %", "bad_indicator_value"},
		{"chưa có số liệu", "≥ 95 %", "bad_indicator_value"},
	} {
		_, _, err := tasks.ReadIndicatorValue(tt.in, mustTarget(t, tt.target))
		var e *tasks.Error
		if !asError(err, &e) || e.Key != tt.key {
			t.Errorf("ReadIndicatorValue(%q, %q) error = %v, want %s", tt.in, tt.target, err, tt.key)
		}
	}
}
