package taskfile_test

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"

	"steerbot/taskfile"
	"steerbot/tasks"
)

// TestPreview_ProblemKinds: every problem a file can have comes with a
// kind, so that the bot says it in the member's language.
func TestPreview_ProblemKinds(t *testing.T) {
	long := strings.Repeat("x", 5000)
	files := map[string]string{
		"rows": "code,title,unit,unit_name,deadline,status,progress,co_units\n" +
			"-bad,T,SNV,,,,,\n" +
			"A-1,,SNV,,31/02/2024,xyz,150,\n" +
			"A-1,T,SNV,,Quý V/2024,,,\n" +
			"A-2,T,XYZ,,,,,\n" +
			"A-3,T,SNV,,,,,QQQ\n" +
			"A-4,T,NEW-1,New one,,,,\n" +
			"A-5,T,NEW-1,Other,,,,\n" +
			"A-6,T,Sở Mới,Sở Mới,,,,\n" +
			"A-7,T,SNV,,,done,50,\n" +
			"A-8," + long + ",SNV,,,,,\n",
		"dup":     "code,title,unit,mã\nA-1,T,SNV,A-1\n",
		"columns": "code,title\nA-1,T\n",
		"empty":   "\n\n",
	}
	want := map[string][]string{
		"rows": {"bad_task_code", "contradicts", "missing", "not_date", "not_deadline", "not_progress", "not_status",
			"repeats_row", "too_long", "unit_name_differs", "unknown_co_unit", "unknown_unit", "bad_unit_code"},
		"dup":     {"same_column"},
		"columns": {"missing_columns"},
		"empty":   {"empty_file"},
	}
	var tf taskfile.Files
	for name, in := range files {
		pv, err := tf.Preview(newFakeTx(baseUnits()...), name+".csv", []byte(in), now, hcm)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var kinds []string
		for _, p := range pv.Problems {
			if p.Kind == "" {
				t.Errorf("%s: problem %+v has no kind", name, p)
			}
			if !slices.Contains(kinds, p.Kind) {
				kinds = append(kinds, p.Kind)
			}
			if p.Kind == "repeats_row" && !slices.Equal(p.Args, []string{"3"}) {
				t.Errorf("repeats_row args %q, want [3]", p.Args)
			}
			if p.Kind == "unit_name_differs" && !slices.Equal(p.Args, []string{"New one", "7"}) {
				t.Errorf("unit_name_differs args %q", p.Args)
			}
		}
		for _, k := range want[name] {
			if !slices.Contains(kinds, k) {
				t.Errorf("%s: no problem of kind %s (got %q)", name, k, kinds)
			}
		}
	}
}

// FuzzPreview: a preview never panics and agrees with Import: a file
// without problems imports with the counts the preview gave, a file with
// problems (each with its kind) imports nothing.
func FuzzPreview(f *testing.F) {
	f.Add([]byte("code,title,unit,deadline,progress\nA-1,T,SNV,Quý IV/2024,10\nVD-01,Example,SNV,,\n"))
	f.Add([]byte("ma;nhiem vu;don vi chu tri;trang thai\nA-1;T;STP;xong\nA-1;T;SNV;\n"))
	f.Add([]byte("code,title,unit,unit_name\nA-2,T,NEW,New unit\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var tf taskfile.Files
		pv, err := tf.Preview(newFakeTx(baseUnits()...), "f.csv", data, now, hcm)
		if err != nil {
			if tasks.ErrorCode(err) != tasks.EINVALID {
				t.Fatalf("preview error %v, want EINVALID", err)
			}
			return
		}
		tx := newFakeTx(baseUnits()...)
		res, err := tf.Import(tx, "f.csv", data, clerk, now, hcm)
		if len(pv.Problems) > 0 {
			for _, p := range pv.Problems {
				if p.Kind == "" {
					t.Errorf("problem %+v has no kind", p)
				}
			}
			if err == nil || tx.writes != 0 {
				t.Fatalf("preview found %d problems, Import = %+v, %v (%d writes)", len(pv.Problems), res, err, tx.writes)
			}
			return
		}
		if err != nil || res != pv.ImportResult {
			t.Fatalf("preview %+v, Import %+v, %v", pv.ImportResult, res, err)
		}
	})
}

// BenchmarkPreview1k previews an XLSX of 1,000 tasks against a store that
// holds them all with another progress (every row a change): the work an
// update's transaction does before the secretariat sees the preview, and
// again at Apply.
func BenchmarkPreview1k(b *testing.B) {
	const n = 1000
	units := baseUnits()
	tx := newFakeTx(units...)
	ts := make([]tasks.Task, n)
	for i := range ts {
		ts[i] = tasks.Task{Code: "CCHC-" + strconv.Itoa(10000+i), Title: "Rà soát thủ tục hành chính số " + strconv.Itoa(i),
			Unit: units[i%len(units)].Code, Deadline: date(2024, 12, 31), Status: tasks.InProgress, Progress: 1 + i%98}
		old := ts[i]
		old.Progress++
		tx.tasks[old.Code] = old
	}
	var buf bytes.Buffer
	if err := taskfile.Write(&buf, taskfile.XLSX, ts, units, "vi"); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	var tf taskfile.Files
	b.ReportAllocs()
	for b.Loop() {
		pv, err := tf.Preview(tx, "plan.xlsx", data, now, hcm)
		if err != nil || pv.Updated != n {
			b.Fatalf("preview %+v, %v", pv.ImportResult, err)
		}
	}
	b.ReportMetric(float64(len(data)), "file-bytes")
}
