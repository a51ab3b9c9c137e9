package tasks_test

import (
	"testing"
	"time"

	"steerbot/tasks"
)

func TestPolicy_CanIndicator(t *testing.T) {
	ind := tasks.Indicator{Code: "CT-02", Unit: "QHK", CoUnits: []string{"VP"}}
	chair := tasks.Member{ID: 1, Role: tasks.RoleChair, TelegramID: 111}
	sec := tasks.Member{ID: 2, Role: tasks.RoleSecretariat, TelegramID: 222}
	head := tasks.Member{ID: 3, Role: tasks.RoleUnitHead, Unit: "QHK", TelegramID: 334}
	delegate := tasks.Member{ID: 4, Role: tasks.RoleUnitDelegate, Unit: "QHK", TelegramID: 335}
	coHead := tasks.Member{ID: 5, Role: tasks.RoleUnitHead, Unit: "VP", TelegramID: 336}
	other := tasks.Member{ID: 6, Role: tasks.RoleUnitHead, Unit: "SNV", TelegramID: 333}
	unlinked := tasks.Member{ID: 7, Role: tasks.RoleUnitHead, Unit: "QHK"}

	tests := []struct {
		name string
		m    tasks.Member
		a    tasks.Action
		key  string // "" for allowed
	}{
		{"chair reads", chair, tasks.ReadIndicator, ""},
		{"secretariat reads", sec, tasks.ReadIndicator, ""},
		{"lead unit reads", head, tasks.ReadIndicator, ""},
		{"co-unit reads", coHead, tasks.ReadIndicator, ""},
		{"other unit does not read", other, tasks.ReadIndicator, "other_unit_indicator"},
		{"lead head reports", head, tasks.ReportValue, ""},
		{"lead delegate reports", delegate, tasks.ReportValue, ""},
		{"secretariat reports", sec, tasks.ReportValue, ""},
		{"co-unit does not report", coHead, tasks.ReportValue, "other_unit_indicator"},
		{"other unit does not report", other, tasks.ReportValue, "other_unit_indicator"},
		{"chair does not report", chair, tasks.ReportValue, "only_units_report_value"},
		{"secretariat edits", sec, tasks.EditIndicators, ""},
		{"chair does not edit", chair, tasks.EditIndicators, "only_secretariat"},
		{"head does not edit", head, tasks.EditIndicators, "only_secretariat"},
		{"unlinked does nothing", unlinked, tasks.ReadIndicator, "not_linked"},
		{"task actions are not indicator actions", sec, tasks.UpdateTask, "forbidden"},
	}
	for _, tt := range tests {
		err := tasks.Policy{}.CanIndicator(tt.m, tt.a, &ind)
		if tt.key == "" {
			if err != nil {
				t.Errorf("%s: %v, want allowed", tt.name, err)
			}
			continue
		}
		var e *tasks.Error
		if !asError(err, &e) || e.Code != tasks.EFORBIDDEN || e.Key != tt.key {
			t.Errorf("%s: %v, want EFORBIDDEN %s", tt.name, err, tt.key)
		}
	}
}

func TestPolicy_ReportIndicatorValue(t *testing.T) {
	loc := hcm(t)
	today := day(2023, 10, 16)
	now := hcmNoon(t, today)
	ind := indicator(t, "CT-02", "QHK", "≥ 95 %", tasks.CadenceMonth)
	head := tasks.Member{ID: 3, Name: "Phạm Minh Đức", Role: tasks.RoleUnitHead, Unit: "QHK", TelegramID: 334}
	p := tasks.Policy{}

	t.Run("a head's reply is a value of today, achieved", func(t *testing.T) {
		v, err := p.ReportIndicatorValue(head, ind, tasks.ValueReport{Text: "đạt 96,2%", Via: tasks.ViaReply}, now, loc)
		if err != nil {
			t.Fatalf("report: %v", err)
		}
		want := tasks.IndicatorValue{Indicator: "CT-02", Value: 96.2, Measure: "%", Text: "đạt 96,2%", AsOf: today,
			At: now, By: 3, ByName: "Phạm Minh Đức", Via: tasks.ViaReply}
		if v.Indicator != want.Indicator || v.Value != want.Value || v.Measure != want.Measure || v.Text != want.Text ||
			v.AsOf != want.AsOf || !v.At.Equal(want.At) || v.By != want.By || v.ByName != want.ByName || v.Via != want.Via || v.Note != "" {
			t.Errorf("value = %+v, want %+v", v, want)
		}
		if s := tasks.JudgeIndicator(ind, []tasks.IndicatorValue{v}, today); s.Result != tasks.IndicatorAchieved {
			t.Errorf("judged %q, want achieved", s.Result)
		}
	})

	t.Run("notes from the text and the caption", func(t *testing.T) {
		v, err := p.ReportIndicatorValue(head, ind, tasks.ValueReport{Text: "96,2% đúng hạn", Note: "kèm báo cáo", AsOf: day(2023, 9, 30)}, now, loc)
		if err != nil {
			t.Fatalf("report: %v", err)
		}
		if v.Note != "đúng hạn — kèm báo cáo" || v.AsOf != day(2023, 9, 30) {
			t.Errorf("note %q as of %v, want both notes and 30/09", v.Note, v.AsOf)
		}
	})

	refused := []struct {
		name string
		m    tasks.Member
		ind  func(tasks.Indicator) tasks.Indicator
		r    tasks.ValueReport
		code string
		key  string
	}{
		{"another unit's indicator", tasks.Member{ID: 6, Role: tasks.RoleUnitHead, Unit: "SNV", TelegramID: 333},
			nil, tasks.ValueReport{Text: "96%"}, tasks.EFORBIDDEN, "other_unit_indicator"},
		{"a coordinating unit", tasks.Member{ID: 6, Role: tasks.RoleUnitHead, Unit: "VP", TelegramID: 333},
			func(i tasks.Indicator) tasks.Indicator { i.CoUnits = []string{"VP"}; return i },
			tasks.ValueReport{Text: "96%"}, tasks.EFORBIDDEN, "other_unit_indicator"},
		{"a stopped indicator", head,
			func(i tasks.Indicator) tasks.Indicator { i.State = tasks.IndicatorStopped; return i },
			tasks.ValueReport{Text: "96%"}, tasks.ECONFLICT, "indicator_stopped"},
		{"another unit's stopped indicator says whose it is first", tasks.Member{ID: 6, Role: tasks.RoleUnitHead, Unit: "SNV", TelegramID: 333},
			func(i tasks.Indicator) tasks.Indicator { i.State = tasks.IndicatorStopped; return i },
			tasks.ValueReport{Text: "96%"}, tasks.EFORBIDDEN, "other_unit_indicator"},
		{"days for a percentage", head, nil, tasks.ValueReport{Text: "5 ngày"}, tasks.EINVALID, "measure_mismatch"},
		{"no number", head, nil, tasks.ValueReport{Text: "chưa có số liệu"}, tasks.EINVALID, "bad_indicator_value"},
		{"a day to come", head, nil, tasks.ValueReport{Text: "96%", AsOf: today.AddDays(1)}, tasks.EINVALID, "value_in_future"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			i := ind
			if tt.ind != nil {
				i = tt.ind(i)
			}
			_, err := p.ReportIndicatorValue(tt.m, i, tt.r, now, loc)
			var e *tasks.Error
			if !asError(err, &e) || e.Code != tt.code || e.Key != tt.key {
				t.Errorf("report = %v, want %s %s", err, tt.code, tt.key)
			}
		})
	}

	t.Run("the day is the committee's", func(t *testing.T) {
		// 23:30 on 16/10 in Hà Nội is still 16:30 UTC: as of 16/10, and 16/10 is no day to come.
		late := today.Start(loc).Add(23*time.Hour + 30*time.Minute)
		v, err := p.ReportIndicatorValue(head, ind, tasks.ValueReport{Text: "96%", AsOf: today}, late, loc)
		if err != nil || v.AsOf != today {
			t.Errorf("report at 23:30 = %v as of %v, want accepted as of %v", err, v.AsOf, today)
		}
	})
}
