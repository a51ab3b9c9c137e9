package tasks_test

import (
	"testing"

	"steerbot/tasks"
)

func TestImportIndicatorValue(t *testing.T) {
	loc := hcm(t)
	today := day(2023, 10, 16)
	now := hcmNoon(t, today)
	ind := indicator(t, "CT-01", "VP", "Tối thiểu 95%", tasks.CadenceMonth)
	earlier := []tasks.IndicatorValue{value(1, "CT-01", 99.74, "%", day(2023, 10, 2))}

	v, err := tasks.ImportIndicatorValue(ind, "99,74%", nil, now, loc)
	if err != nil || v == nil {
		t.Fatalf("first import = %v, %v, want a value", v, err)
	}
	if v.Value != 99.74 || v.Measure != "%" || v.AsOf != today || v.Via != tasks.ViaImport || v.By != 0 || v.Text != "99,74%" {
		t.Errorf("imported value = %+v", v)
	}
	for _, cell := range []string{"", "  ", "99,74%", "99.74", "99,74 %"} {
		if v, err := tasks.ImportIndicatorValue(ind, cell, earlier, now, loc); err != nil || v != nil {
			t.Errorf("import of %q over 99,74 %% = %+v, %v, want nothing to add", cell, v, err)
		}
	}
	if v, err := tasks.ImportIndicatorValue(ind, "96,2%", earlier, now, loc); err != nil || v == nil || v.Value != 96.2 {
		t.Errorf("import of a new value = %+v, %v, want 96,2", v, err)
	}
	if _, err := tasks.ImportIndicatorValue(ind, "5 ngày", earlier, now, loc); tasks.ErrorCode(err) != tasks.EINVALID {
		t.Errorf("import of days for a percentage: %v, want EINVALID", err)
	}
	stopped := ind
	stopped.State = tasks.IndicatorStopped
	if v, err := tasks.ImportIndicatorValue(stopped, "99,74%", earlier, now, loc); err != nil || v != nil {
		t.Errorf("re-import of a stopped indicator's last value = %+v, %v, want nothing", v, err)
	}
	var e *tasks.Error
	if _, err := tasks.ImportIndicatorValue(stopped, "96%", earlier, now, loc); !asError(err, &e) || e.Key != "indicator_stopped" {
		t.Errorf("a new value for a stopped indicator: %v, want indicator_stopped", err)
	}
}
