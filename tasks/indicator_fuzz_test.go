package tasks_test

import (
	"math"
	"testing"
	"unicode/utf8"

	"steerbot/tasks"
)

func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{
		"≥ 95 %", ">= 95%", "≥95 %", "100%", "<= 5 ngày", "≤ 5 ngày", "≥ 2 hội nghị", "Tối thiểu 95%",
		"Tối đa 5 ngày", "95% trở lên", "5 ngày trở xuống", "= 100 %", "≥ 1.250,5 hồ sơ", "ít nhất 2 lần/năm",
		"≥ 99.5%", "50% - 52%", "> 95%", "1,250.5", "≥ 0,26 %", "Phấn đấu 100%",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := tasks.ParseTarget(s)
		if err != nil {
			if tasks.ErrorCode(err) != tasks.EINVALID {
				t.Fatalf("ParseTarget(%q) error %v is not EINVALID", s, err)
			}
			return
		}
		if !tg.Cmp.Valid() || math.IsNaN(tg.Value) || math.IsInf(tg.Value, 0) || tg.Value < 0 {
			t.Fatalf("ParseTarget(%q) = %+v", s, tg)
		}
		if utf8.RuneCountInString(tg.Measure) > 40 {
			t.Fatalf("ParseTarget(%q) measure %q is too long", s, tg.Measure)
		}
		back, err := tasks.ParseTarget(tg.String())
		if err != nil || back != tg {
			t.Fatalf("ParseTarget(%q) = %+v, but its String %q reads back as %+v, %v", s, tg, tg.String(), back, err)
		}
		if !tg.Meets(tg.Value) && tg.Cmp.Valid() {
			t.Fatalf("target %q is not met by its own number", tg)
		}
	})
}

// fuzzTargets are the targets FuzzParseIndicatorValue reads values against.
var fuzzTargets = []string{"≥ 95 %", "≤ 5 ngày", "≥ 2 hội nghị", "≥ 1.000", "≥ 120 %", "≤ 5 ngày làm việc"}

func FuzzParseIndicatorValue(f *testing.F) {
	for _, s := range []string{
		"96,2 %", "96,2%", "96.2", "đạt 96,2%", "1.250 hồ sơ", "100%", "1.250,5", "5 ngày", "3 hội nghị đối thoại",
		"Kết quả: 99,74%", "962%", "96,2% đúng hạn", "4 ngày (bình quân)", "0.250", "1,250.5", "tháng 9 đạt 96%",
	} {
		for i := range fuzzTargets {
			f.Add(s, uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, s string, ti uint8) {
		tg := mustTarget(t, fuzzTargets[int(ti)%len(fuzzTargets)])
		check := func(what string, q tasks.Quantity, err error) bool {
			if err != nil {
				if tasks.ErrorCode(err) != tasks.EINVALID {
					t.Fatalf("%s(%q, %q) error %v is not EINVALID", what, s, tg, err)
				}
				return false
			}
			if math.IsNaN(q.Value) || math.IsInf(q.Value, 0) || q.Value < 0 {
				t.Fatalf("%s(%q, %q) = %v", what, s, tg, q.Value)
			}
			if tg.Measure != "" && q.Measure != tg.Measure {
				t.Fatalf("%s(%q, %q) measure %q is not the target's", what, s, tg, q.Measure)
			}
			if q.Measure == tasks.MeasurePercent && q.Value > 100 && tg.Value <= 100 {
				t.Fatalf("%s(%q, %q) = %v %%, over 100", what, s, tg, q.Value)
			}
			return true
		}
		q, err := tasks.ParseIndicatorValue(s, tg)
		rq, _, rerr := tasks.ReadIndicatorValue(s, tg)
		check("ReadIndicatorValue", rq, rerr)
		if !check("ParseIndicatorValue", q, err) {
			return
		}
		if rerr != nil || rq.Value != q.Value {
			t.Fatalf("ParseIndicatorValue(%q, %q) = %v, but ReadIndicatorValue gives %v, %v", s, tg, q, rq, rerr)
		}
		back, err := tasks.ParseIndicatorValue(q.String(), tg)
		if err != nil || back != q {
			t.Fatalf("ParseIndicatorValue(%q, %q) = %v, but %q reads back as %v, %v", s, tg, q, q.String(), back, err)
		}
	})
}
