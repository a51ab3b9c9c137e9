package taskfile_test

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"steerbot/taskfile"
	"steerbot/tasks"
)

func TestTemplate_IndicatorSheet(t *testing.T) {
	f, _ := openTemplate(t, "vi")
	rows, err := f.GetRows("Chỉ tiêu")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], "|"); got != "Mã|Chỉ tiêu|Đơn vị chủ trì|Mục tiêu|Kỳ|Giá trị|Trạng thái|Ngày giao|Kế hoạch|Đơn vị phối hợp|Văn bản" {
		t.Errorf("header %q, want the contract's columns", got)
	}
	if len(rows) != 2 || !strings.HasPrefix(rows[1][0], taskfile.ExamplePrefix) {
		t.Fatalf("want one example row with a code %s…, got %q", taskfile.ExamplePrefix, rows[1:])
	}
	// The example reads as an indicator would: its target, period, value
	// and state are in the forms the import takes.
	ex := rows[1]
	target, err := tasks.ParseTarget(ex[3])
	if err != nil {
		t.Fatalf("the example's target %q: %v", ex[3], err)
	}
	if _, err := tasks.ParseIndicatorValue(ex[5], target); err != nil {
		t.Errorf("the example's value %q: %v", ex[5], err)
	}
	if _, ok := tasks.ParseCadence(ex[4]); !ok {
		t.Errorf("the example's period %q", ex[4])
	}
	if _, ok := tasks.ParseIndicatorState(ex[6]); !ok {
		t.Errorf("the example's state %q", ex[6])
	}

	dvs, err := f.GetDataValidations("Chỉ tiêu")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, dv := range dvs {
		kinds[strings.Split(dv.Sqref, ":")[0]] = dv.Type + " " + dv.Formula1
	}
	for cell, want := range map[string]string{"E2": "list 'Danh mục'!$D$2:$D$5", "G2": "list 'Danh mục'!$E$2:$E$4", "C2": "list 'Danh mục'!$A$2:$A$6"} {
		if !strings.HasPrefix(kinds[cell], want) {
			t.Errorf("validation at %s = %q, want %q…", cell, kinds[cell], want)
		}
	}
	lists, err := f.GetCols("Danh mục")
	if err != nil {
		t.Fatal(err)
	}
	if len(lists) < 5 {
		t.Fatalf("the lists sheet has %d columns, want the periods and states in D and E", len(lists))
	}
	var periods []tasks.Cadence
	for _, p := range lists[3][1:] {
		if p == "" {
			continue
		}
		c, ok := tasks.ParseCadence(p)
		if !ok {
			t.Errorf("period %q offered by the list does not import", p)
		}
		periods = append(periods, c)
	}
	if want := []tasks.Cadence{tasks.CadenceYear, tasks.CadenceHalf, tasks.CadenceQuarter, tasks.CadenceMonth}; !slices.Equal(periods, want) {
		t.Errorf("periods %v, want %v", periods, want)
	}
	var states []tasks.IndicatorState
	for _, s := range lists[4][1:] {
		if s == "" {
			continue
		}
		st, ok := tasks.ParseIndicatorState(s)
		if !ok {
			t.Errorf("state %q offered by the list does not import", s)
		}
		states = append(states, st)
	}
	if want := []tasks.IndicatorState{tasks.IndicatorAssigned, tasks.IndicatorNew, tasks.IndicatorStopped}; !slices.Equal(states, want) {
		t.Errorf("states %v, want %v", states, want)
	}

	help, err := f.GetRows("Hướng dẫn")
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, r := range help {
		all.WriteString(strings.Join(r, " ") + "\n")
	}
	for _, want := range []string{"Trang «Chỉ tiêu»", "Mục tiêu", "Giá trị", "Ngày giao", "≥ 95 %", "Tối thiểu 95%", "100%", "≤ 5 ngày",
		"đúng 95% là đạt", "dấu phẩy thập phân", "Quý IV/2024"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("instructions lack %q", want)
		}
	}
	// Every target form the instructions name reads.
	i := slices.IndexFunc(help, func(r []string) bool { return len(r) > 0 && strings.HasPrefix(r[0], "Mục tiêu có thể ghi") })
	if i < 0 {
		t.Fatal("the instructions have no target forms")
	}
	n := 0
	for _, r := range help[i+1:] {
		if len(r) == 0 || r[0] == "" {
			break
		}
		for _, form := range strings.Split(r[0], ", ") {
			n++
			if _, err := tasks.ParseTarget(form); err != nil {
				t.Errorf("the instructions offer the target %q, which does not read: %v", form, err)
			}
		}
	}
	if n < 8 {
		t.Errorf("%d target forms in the instructions, want the eight of the table", n)
	}
}

// TestTemplate_RoundTripIndicators fills in both sheets of the template as
// a secretariat would and imports it: the examples are skipped, the task
// and the indicator written are stored.
func TestTemplate_RoundTripIndicators(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			f, _ := openTemplate(t, lang)
			sheets := f.GetSheetList()
			put := func(sh string, row int, vals ...string) {
				for i, v := range vals {
					if v == "" {
						continue
					}
					ref, _ := excelize.CoordinatesToCellName(i+1, row)
					if err := f.SetCellStr(sh, ref, v); err != nil {
						t.Fatal(err)
					}
				}
			}
			put(sheets[0], 4, "KH-01", "Rà soát thủ tục hành chính", "STP", "", "Quý IV/2024", tasks.InProgress.Name(lang), "40")
			state, period := "mới giao", "tháng"
			if lang == "en" {
				state, period = "new", "month"
			}
			put(sheets[1], 3, "CT-05", "Hồ sơ giải quyết đúng hạn", "VPUB", "Tối thiểu 95%", period, "96,2%", state, "29/05/2024", "Kế hoạch CCHC 2024", "SNV, STP", "QĐ 7028/QĐ-UBND")
			var b bytes.Buffer
			if err := f.Write(&b); err != nil {
				t.Fatal(err)
			}
			tx := newIndTx(baseUnits()...)
			res, err := taskfile.Import(tx, bytes.NewReader(b.Bytes()), taskfile.XLSX, clerk, now, hcm)
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			if res.Created != 1 || res.Indicators.Created != 1 || res.Indicators.Values != 1 {
				t.Fatalf("result %+v, want 1 task and 1 indicator with its value (examples skipped)", res)
			}
			if k := tx.sortedTasks(t); len(k) != 1 || k[0].Code != "KH-01" || k[0].DeadlineLabel() != "Quý IV/2024 (31/12/2024)" {
				t.Errorf("tasks %+v, want KH-01 alone", k)
			}
			ind, ok := tx.inds["CT-05"]
			want := tasks.Indicator{Code: "CT-05", Name: "Hồ sơ giải quyết đúng hạn", Unit: "VPUB", CoUnits: []string{"SNV", "STP"},
				Group: "Kế hoạch CCHC 2024", Source: "QĐ 7028/QĐ-UBND", Target: tasks.Target{Cmp: tasks.AtLeast, Value: 95, Measure: "%"},
				Period: tasks.CadenceMonth, State: tasks.IndicatorNew, AssignedOn: date(2024, 5, 29)}
			ind.Created, ind.Updated = time.Time{}, time.Time{}
			if !ok || !reflect.DeepEqual(ind, want) {
				t.Errorf("CT-05 = %+v,\nwant %+v", ind, want)
			}
			if len(tx.inds) != 1 {
				t.Errorf("%d indicators stored, want CT-05 alone (the example skipped)", len(tx.inds))
			}
			st := tx.standings(t)
			if len(st) != 1 || st[0].Result != tasks.IndicatorAchieved || st[0].Current.Value != 96.2 {
				t.Errorf("CT-05 stands %+v, want achieved with 96,2", st)
			}
		})
	}
}
