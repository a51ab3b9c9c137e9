package taskfile_test

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"steerbot/taskfile"
	"steerbot/tasks"
)

// indTx adds indicators over maps to fakeTx.
type indTx struct {
	*fakeTx
	inds   map[string]tasks.Indicator
	values []tasks.IndicatorValue
}

func newIndTx(units ...tasks.Unit) *indTx {
	return &indTx{fakeTx: newFakeTx(units...), inds: map[string]tasks.Indicator{}}
}

func (f *indTx) Indicator(code string) (tasks.Indicator, error) {
	ind, ok := f.inds[tasks.NormalizeCode(code)]
	if !ok {
		return tasks.Indicator{}, tasks.NewError(tasks.ENOTFOUND, "indicator_not_found", "no indicator "+code)
	}
	return ind, nil
}

func (f *indTx) Indicators(tasks.IndicatorFilter) ([]tasks.Indicator, error) {
	var out []tasks.Indicator
	for _, ind := range f.inds {
		out = append(out, ind)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

func (f *indTx) PutIndicator(ind tasks.Indicator) error {
	f.writes++
	f.inds[ind.Code] = ind
	return nil
}

func (f *indTx) AddIndicatorValue(v *tasks.IndicatorValue) error {
	f.writes++
	v.ID = uint64(len(f.values) + 1)
	f.values = append(f.values, *v)
	return nil
}

func (f *indTx) IndicatorValues(code string, _ int) ([]tasks.IndicatorValue, error) {
	var out []tasks.IndicatorValue
	for _, v := range f.values {
		if v.Indicator == code {
			out = append(out, v)
		}
	}
	return out, nil
}

// standings judges the stored indicators on today.
func (f *indTx) standings(t *testing.T) []tasks.IndicatorStanding {
	t.Helper()
	st, err := tasks.LoadIndicatorStandings(f, tasks.IndicatorFilter{}, today)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

const indicatorCSV = "Mã,Chỉ tiêu,Đơn vị chủ trì,Mục tiêu,Kỳ,Giá trị,Trạng thái,Ngày giao,Kế hoạch,Đơn vị phối hợp,Văn bản\n" +
	"CT-01,Hồ sơ giải quyết đúng hạn,VPUB,Tối thiểu 95%,tháng,\"96,2%\",đang triển khai,,Kế hoạch CCHC 2024,STTTT,QĐ 7028/QĐ-UBND\n" +
	"CT-02,Hồ sơ đất đai được số hoá,STP,≥ 10.000 hồ sơ,năm,12.450 hồ sơ,,,Kế hoạch CCHC 2024,,\n" +
	"CT-03,Phiếu lý lịch tư pháp qua VNeID,STP,≥ 30 %,quý,,mới giao,29/05/2024,Kế hoạch CCHC 2024,,TB 125/TB-VP\n"

func TestImport_IndicatorCSV(t *testing.T) {
	tx := newIndTx(baseUnits()...)
	res, err := taskfile.Import(tx, strings.NewReader(indicatorCSV), taskfile.CSV, clerk, now, hcm)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if want := (taskfile.IndicatorCounts{Created: 3, Values: 2}); res.Indicators != want || res.Created != 0 {
		t.Fatalf("result=%+v, want %+v and no task", res, want)
	}
	ct1 := tx.inds["CT-01"]
	if ct1.Target != (tasks.Target{Cmp: tasks.AtLeast, Value: 95, Measure: "%"}) || ct1.Period != tasks.CadenceMonth ||
		!slices.Equal(ct1.CoUnits, []string{"STTTT"}) || ct1.Source != "QĐ 7028/QĐ-UBND" {
		t.Errorf("CT-01=%+v", ct1)
	}
	if ct3 := tx.inds["CT-03"]; ct3.State != tasks.IndicatorNew || ct3.AssignedOn != date(2024, 5, 29) {
		t.Errorf("CT-03 state=%s assigned=%s, want new on 2024-05-29", ct3.State, ct3.AssignedOn)
	}
	if v := tx.values[0]; v.Indicator != "CT-01" || v.Value != 96.2 || v.By != clerk.ID || v.Via != tasks.ViaImport {
		t.Errorf("first value=%+v, want 96.2 for CT-01 by the clerk via import", v)
	}
	st := tasks.SummarizeIndicators(tx.standings(t))
	if st.Achieved != 2 || st.New != 1 {
		t.Errorf("summary: %d achieved, %d new; want 2, 1", st.Achieved, st.New)
	}
	// The same file again appends nothing and changes nothing.
	writes := tx.writes
	res, err = taskfile.Import(tx, strings.NewReader(indicatorCSV), taskfile.CSV, clerk, now, hcm)
	if err != nil {
		t.Fatal(err)
	}
	if want := (taskfile.IndicatorCounts{Unchanged: 3}); res.Indicators != want || tx.writes != writes {
		t.Errorf("again: result=%+v, %d writes; want %+v and none", res.Indicators, tx.writes-writes, want)
	}
}

func TestImport_BadIndicatorRowRejectsAll(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetRow("Sheet1", "A1", &[]any{"code", "title", "unit"}))
	must(f.SetSheetRow("Sheet1", "A2", &[]any{"A-1", "Một nhiệm vụ tốt", "SNV"}))
	_, err := f.NewSheet("Chỉ tiêu")
	must(err)
	must(f.SetSheetRow("Chỉ tiêu", "A1", &[]any{"Mã", "Chỉ tiêu", "Đơn vị chủ trì", "Mục tiêu", "Giá trị", "Trạng thái"}))
	must(f.SetSheetRow("Chỉ tiêu", "A2", &[]any{"CT-01", "Tốt", "SNV", "≥ 95%", "96%"}))
	must(f.SetSheetRow("Chỉ tiêu", "A3", &[]any{"CT-02", "Mục tiêu sai", "SNV", "nhiều", ""}))
	must(f.SetSheetRow("Chỉ tiêu", "A4", &[]any{"CT-03", "Đơn vị lạ", "XYZ", "100%", "5 ngày"}))
	must(f.SetSheetRow("Chỉ tiêu", "A5", &[]any{"CT-01", "Lặp", "SNV", "100%", "", "dừng hẳn"}))
	var buf bytes.Buffer
	must(f.Write(&buf))
	tx := newIndTx(baseUnits()...)
	_, err = taskfile.Import(tx, &buf, taskfile.XLSX, clerk, now, hcm)
	checkProblems(t, err, []string{
		`sheet "Chỉ tiêu", row 3, target: "nhiều" is not a target (e.g. ≥ 95 %, 100 %, ≤ 5 ngày)`,
		`sheet "Chỉ tiêu", row 4, value: "5 ngày" is not in the target's measure`,
		`sheet "Chỉ tiêu", row 4, unit: "XYZ" is not a known unit`,
		`sheet "Chỉ tiêu", row 5, state: "dừng hẳn" is not a state (assigned, new, stopped; đang triển khai, mới giao, dừng)`,
		`sheet "Chỉ tiêu", row 5, code: "CT-01" repeats row 2`,
	})
	if tx.writes != 0 || len(tx.tasks) != 0 {
		t.Errorf("%d writes, %d tasks; want none: a bad indicator row rejects the tasks too", tx.writes, len(tx.tasks))
	}
}

func TestImport_StoppedIndicatorTakesNoNewValue(t *testing.T) {
	tx := newIndTx(baseUnits()...)
	if _, err := taskfile.Import(tx, strings.NewReader(indicatorCSV), taskfile.CSV, clerk, now, hcm); err != nil {
		t.Fatal(err)
	}
	in := "code,indicator,unit,target,value,state\nCT-01,Hồ sơ giải quyết đúng hạn,VPUB,≥ 95%,\"97,5%\",stopped\n"
	_, err := taskfile.Import(tx, strings.NewReader(in), taskfile.CSV, clerk, now, hcm)
	checkProblems(t, err, []string{`row 2, value: "97,5%" is a new value of a stopped indicator`})
	// The latest value as it stands stops it without a problem.
	in = "code,indicator,unit,target,value,state\nCT-01,Hồ sơ giải quyết đúng hạn,VPUB,≥ 95%,\"96,2 %\",stopped\n"
	if _, err := taskfile.Import(tx, strings.NewReader(in), taskfile.CSV, clerk, now, hcm); err != nil {
		t.Fatalf("stop with the same value: %v", err)
	}
	if tx.inds["CT-01"].State != tasks.IndicatorStopped || len(tx.values) != 2 {
		t.Errorf("state=%s, %d values; want stopped and 2", tx.inds["CT-01"].State, len(tx.values))
	}
}

func TestWriteAll_RoundTripBothSheets(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			src := newIndTx(baseUnits()...)
			tasksCSV := "code,title,unit,deadline,status,progress\nA-1,Rà soát thủ tục,SNV,31/12/2024,in_progress,40\n"
			for _, in := range []string{tasksCSV, indicatorCSV} {
				if _, err := taskfile.Import(src, strings.NewReader(in), taskfile.CSV, clerk, now, hcm); err != nil {
					t.Fatal(err)
				}
			}
			var buf bytes.Buffer
			units, _ := src.Units()
			if err := taskfile.WriteAll(&buf, taskfile.XLSX, src.sortedTasks(t), src.standings(t), units, lang); err != nil {
				t.Fatalf("WriteAll: %v", err)
			}
			wb, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			sheets := wb.GetSheetList()
			wb.Close()
			if len(sheets) != 2 {
				t.Fatalf("sheets=%q, want the tasks' and the indicators'", sheets)
			}

			// Into the same store: nothing changes, no value is appended.
			writes := src.writes
			res, err := taskfile.Import(src, bytes.NewReader(buf.Bytes()), taskfile.XLSX, clerk, now, hcm)
			if err != nil {
				t.Fatalf("re-import: %v", err)
			}
			if res.Unchanged != 1 || res.Indicators != (taskfile.IndicatorCounts{Unchanged: 3}) || src.writes != writes {
				t.Errorf("re-import: %+v, %d writes; want all unchanged and no write", res, src.writes-writes)
			}

			// Into an empty store: the same indicators and latest values.
			dst := newIndTx(baseUnits()...)
			if _, err := taskfile.Import(dst, bytes.NewReader(buf.Bytes()), taskfile.XLSX, clerk, now, hcm); err != nil {
				t.Fatalf("import into a new store: %v", err)
			}
			if len(dst.tasks) != 1 {
				t.Errorf("%d tasks, want 1", len(dst.tasks))
			}
			for code, want := range src.inds {
				got := dst.inds[code]
				got.Created, got.Updated, want.Created, want.Updated = want.Created, want.Updated, got.Created, got.Updated
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s:\n got %+v\nwant %+v", code, got, want)
				}
			}
			a, b := src.standings(t), dst.standings(t)
			for i := range a {
				if (a[i].Last == nil) != (b[i].Last == nil) || a[i].Last != nil && a[i].Last.Quantity() != b[i].Last.Quantity() {
					t.Errorf("%s: last value %v, want %v", a[i].Indicator.Code, b[i].Last, a[i].Last)
				}
			}
		})
	}
}

func TestWriteIndicators_CSVRoundTrip(t *testing.T) {
	src := newIndTx(baseUnits()...)
	if _, err := taskfile.Import(src, strings.NewReader(indicatorCSV), taskfile.CSV, clerk, now, hcm); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := taskfile.WriteAll(&buf, taskfile.CSV, nil, src.standings(t), nil, "vi"); err != nil {
		t.Fatal(err)
	}
	writes := src.writes
	res, err := taskfile.Import(src, &buf, taskfile.CSV, clerk, now, hcm)
	if err != nil {
		t.Fatalf("re-import: %v\n%s", err, buf.String())
	}
	if res.Indicators != (taskfile.IndicatorCounts{Unchanged: 3}) || src.writes != writes {
		t.Errorf("re-import: %+v, %d writes; want all unchanged", res.Indicators, src.writes-writes)
	}
}

// FuzzImportIndicatorCSV feeds arbitrary bytes after an indicator header:
// the import never panics, refuses only with a user error whose problems
// name a row and a reason, stores only valid indicators, and a second
// import of the same file appends no value and creates nothing.
func FuzzImportIndicatorCSV(f *testing.F) {
	f.Add([]byte(indicatorCSV))
	f.Add([]byte("code,indicator,unit,target,value,state\nCT-1,X,SNV,<= 5 ngày,4 ngày,stopped\nCT-2,Y,stp,100%,\"99,5 %\",\n"))
	f.Add([]byte("code;indicator;unit;target;period\nCT-1;X;SNV;≥ 1.000 hồ sơ;quý\nct-1;X;SNV;abc;kỳ\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tx := newIndTx(baseUnits()...)
		res, err := taskfile.Import(tx, bytes.NewReader(data), taskfile.CSV, clerk, now, hcm)
		if err != nil {
			if tasks.ErrorCode(err) != tasks.EINVALID {
				t.Fatalf("err=%v: code %s, want %s", err, tasks.ErrorCode(err), tasks.EINVALID)
			}
			var verr *taskfile.ValidationError
			if errors.As(err, &verr) {
				for _, p := range verr.Problems {
					if p.Row < 1 || p.Why == "" {
						t.Errorf("problem %+v: want a row from 1 and a reason", p)
					}
				}
			}
			if len(tx.inds) != 0 || len(tx.values) != 0 {
				t.Fatalf("refused import wrote %d indicators, %d values", len(tx.inds), len(tx.values))
			}
			return
		}
		for code, ind := range tx.inds {
			if err := ind.Validate(); err != nil || code != ind.Code {
				t.Errorf("stored %s: %+v: %v", code, ind, err)
			}
		}
		if res.Indicators.Values != len(tx.values) {
			t.Errorf("result says %d values, %d stored", res.Indicators.Values, len(tx.values))
		}
		again, err := taskfile.Import(tx, bytes.NewReader(data), taskfile.CSV, clerk, now, hcm)
		if err != nil {
			t.Fatalf("second import: %v", err)
		}
		if again.Indicators.Values != 0 || again.Indicators.Created != 0 {
			t.Errorf("second import: %+v, want no value and nothing created", again.Indicators)
		}
	})
}

func TestImport_IndicatorPercentCells(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	sheet := f.GetSheetName(0)
	must(f.SetSheetName(sheet, "Indicators"))
	must(f.SetSheetRow("Indicators", "A1", &[]any{"code", "indicator", "unit", "target", "value"}))
	must(f.SetSheetRow("Indicators", "A2", &[]any{"CT-01", "Hồ sơ đúng hạn", "SNV", 0.95, 0.9974}))
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 9}) // 0%
	must(err)
	must(f.SetCellStyle("Indicators", "D2", "E2", pct))
	var buf bytes.Buffer
	must(f.Write(&buf))
	tx := newIndTx(baseUnits()...)
	res, err := taskfile.Import(tx, &buf, taskfile.XLSX, clerk, now, hcm)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if res.Indicators.Created != 1 || res.Created != 0 {
		t.Fatalf("result=%+v, want one indicator and no task (a workbook of indicators only)", res)
	}
	if got := tx.inds["CT-01"].Target; got != (tasks.Target{Cmp: tasks.AtLeast, Value: 95, Measure: "%"}) {
		t.Errorf("target=%+v, want ≥ 95 %%", got)
	}
	if len(tx.values) != 1 || tx.values[0].Value != 99.74 {
		t.Errorf("values=%+v, want 99,74 %% (not 100 as the cell shows it)", tx.values)
	}
}
