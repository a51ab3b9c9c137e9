package taskfile_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"steerbot/taskfile"
	"steerbot/tasks"
)

// FuzzReadCSV feeds arbitrary bytes to the CSV reader: it never panics, a
// good file gives rows that satisfy the contract, and a bad one gives
// problems on real rows or a user error.
func FuzzReadCSV(f *testing.F) {
	for _, name := range []string{"good_vi.csv", "bad.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("sep=;\nma;nhiem vu;don vi chu tri;han;tien do\nA;T;SNV;15/06;50%\n"))
	f.Add([]byte("code,title,unit,co_units\n\"A\",\"multi\nline\",SNV,\"STP;;VPUB\"\n\n\nB,x,y\n"))
	f.Add([]byte("\xef\xbb\xbfcode;title;unit;status;progress\nA;\"T\";SNV;xong;100.0\n"))
	f.Add([]byte("\"code,title,unit\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := taskfile.Read(strings.NewReader(string(data)), taskfile.CSV, today)
		if err != nil {
			if rows != nil {
				t.Errorf("rows returned with error %v", err)
			}
			var verr *taskfile.ValidationError
			if errors.As(err, &verr) {
				if len(verr.Problems) == 0 {
					t.Errorf("ValidationError without problems")
				}
				for _, p := range verr.Problems {
					if p.Row < 1 || p.Why == "" {
						t.Errorf("problem %+v: want a row from 1 and a reason", p)
					}
				}
			}
			if tasks.ErrorCode(err) != tasks.EINVALID {
				t.Errorf("err=%v: code %s, want %s", err, tasks.ErrorCode(err), tasks.EINVALID)
			}
			return
		}
		seen := map[string]bool{}
		last := 1
		for _, r := range rows {
			if r.Line <= last {
				t.Errorf("row line %d after %d, want increasing from 2", r.Line, last)
			}
			last = r.Line
			if r.Task.Code == "" || r.Task.Title == "" || r.Task.Unit == "" {
				t.Errorf("row %d lacks a required field: %+v", r.Line, r.Task)
			}
			if seen[r.Task.Code] {
				t.Errorf("row %d: code %s twice", r.Line, r.Task.Code)
			}
			seen[r.Task.Code] = true
			if r.Task.Progress < 0 || r.Task.Progress > 100 {
				t.Errorf("row %d: progress %d", r.Line, r.Task.Progress)
			}
			if r.Task.Status != "" && !r.Task.Status.Valid() {
				t.Errorf("row %d: status %q", r.Line, r.Task.Status)
			}
			if !r.Has.Contains(taskfile.ColCode | taskfile.ColTitle | taskfile.ColUnit) {
				t.Errorf("row %d: Has=%s lacks the required columns", r.Line, r.Has)
			}
		}
		// Whatever reads must apply to a store, or be refused with problems.
		if _, err := taskfile.Apply(newFakeTx(baseUnits()...), rows, clerk, now); err != nil {
			var verr *taskfile.ValidationError
			if !errors.As(err, &verr) {
				t.Errorf("Apply: %v, want nil or a *ValidationError", err)
			}
		}
	})
}

// FuzzReadXLSX feeds arbitrary XML into a workbook's sheet (after its two
// rows) and shared strings: the limits' scanner and the reader never
// panic, and refuse only with a user error.
func FuzzReadXLSX(f *testing.F) {
	f.Add([]byte(`<row r="3"><c r="A3" t="inlineStr"><is><t>B</t></is></c><c r="B3" t="s"><v>1</v></c></row>`), []byte(`<si><t>x</t></si><si><r><t>y</t></r></si>`))
	f.Add([]byte(`<row><c/><c t="n"/><x:c r="A9"/></row>`), []byte(`<si/><si><t><![CDATA[<a>]]></t></si>`))
	f.Add([]byte(`<c`), []byte(`<si`))
	f.Add([]byte(`</c></c><c>`), []byte(`<!-- > --><si>`))
	f.Fuzz(func(t *testing.T, sheet, sst []byte) {
		data := workbook(t, func(w io.Writer) error { _, err := w.Write(sst); return err },
			func(w io.Writer) error { _, err := w.Write(sheet); return err })
		rows, err := taskfile.Read(bytes.NewReader(data), taskfile.XLSX, today)
		if err != nil {
			if rows != nil {
				t.Errorf("rows returned with error %v", err)
			}
			if tasks.ErrorCode(err) != tasks.EINVALID {
				t.Errorf("err=%v: code %s, want %s", err, tasks.ErrorCode(err), tasks.EINVALID)
			}
		}
	})
}
