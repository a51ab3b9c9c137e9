package taskfile_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"steerbot/taskfile"
	"steerbot/tasks"
)

// workbook builds a minimal XLSX by hand, as a hostile one would be: a
// header row and task A of unit SNV, whose title B2 is shared string 0.
// strings writes the <si> elements of xl/sharedStrings.xml; sheet, when
// given, writes more cells after row 2.
func workbook(tb testing.TB, strings func(w io.Writer) error, sheet func(w io.Writer) error) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	part := func(name string, write func(w io.Writer) error) {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		if err := write(w); err != nil {
			tb.Fatal(err)
		}
	}
	text := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	part("[Content_Types].xml", text(head+`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`+
		`<Default Extension="xml" ContentType="application/xml"/>`+
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`+
		`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`+
		`</Types>`))
	part("_rels/.rels", text(head+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>`+
		`</Relationships>`))
	part("xl/workbook.xml", text(head+`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" `+
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`+
		`<sheets><sheet name="Nhiệm vụ" sheetId="1" r:id="rId1"/></sheets></workbook>`))
	part("xl/_rels/workbook.xml.rels", text(head+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>`+
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`+
		`</Relationships>`))
	part("xl/worksheets/sheet1.xml", func(w io.Writer) error {
		if _, err := io.WriteString(w, head+`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+
			`<row r="1"><c r="A1" t="inlineStr"><is><t>Mã</t></is></c><c r="B1" t="inlineStr"><is><t>Nhiệm vụ</t></is></c>`+
			`<c r="C1" t="inlineStr"><is><t>Đơn vị chủ trì</t></is></c></row>`+
			`<row r="2"><c r="A2" t="inlineStr"><is><t>A</t></is></c><c r="B2" t="s"><v>0</v></c>`+
			`<c r="C2" t="inlineStr"><is><t>SNV</t></is></c></row>`); err != nil {
			return err
		}
		if sheet != nil {
			if err := sheet(w); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, `</sheetData></worksheet>`)
		return err
	})
	part("xl/sharedStrings.xml", func(w io.Writer) error {
		if _, err := io.WriteString(w, head+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`); err != nil {
			return err
		}
		if err := strings(w); err != nil {
			return err
		}
		_, err := io.WriteString(w, `</sst>`)
		return err
	})
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// oneString writes one shared string of n bytes of 'a'.
func oneString(n int) func(io.Writer) error {
	return func(w io.Writer) error {
		if _, err := io.WriteString(w, "<si><t>"); err != nil {
			return err
		}
		chunk := strings.Repeat("a", 1<<20)
		for n > 0 {
			k := min(n, len(chunk))
			if _, err := io.WriteString(w, chunk[:k]); err != nil {
				return err
			}
			n -= k
		}
		_, err := io.WriteString(w, "</t></si>")
		return err
	}
}

// manyStrings writes n short shared strings.
func manyStrings(n int) func(io.Writer) error {
	return func(w io.Writer) error {
		const k = 4096
		chunk := strings.Repeat("<si><t>x</t></si>", k)
		for ; n > 0; n -= k {
			if _, err := io.WriteString(w, chunk[:len(chunk)/k*min(n, k)]); err != nil {
				return err
			}
		}
		return nil
	}
}

// hostileFiles are the worst files the limits are for, built once.
type hostileFile struct {
	name   string
	format taskfile.Format
	data   func(tb testing.TB) []byte
	want   string // the error, whole
}

var hostileFiles = []hostileFile{
	{"xlsx one 200 MB shared string", taskfile.XLSX,
		func(tb testing.TB) []byte { return workbook(tb, oneString(200<<20), nil) },
		"the workbook unpacks to more than 64 MiB"},
	{"xlsx one 1 MB shared string", taskfile.XLSX,
		func(tb testing.TB) []byte { return workbook(tb, oneString(1<<20), nil) },
		"a cell of the task file is longer than 32767 characters"},
	{"xlsx 14 M shared strings", taskfile.XLSX,
		func(tb testing.TB) []byte { return workbook(tb, manyStrings(14_000_000), nil) },
		"the workbook unpacks to more than 64 MiB"},
	{"xlsx 100,001 shared strings", taskfile.XLSX,
		func(tb testing.TB) []byte { return workbook(tb, manyStrings(taskfile.MaxTexts+1), nil) },
		"the workbook has more than 100000 different texts"},
	{"xlsx 40000-character title", taskfile.XLSX,
		func(tb testing.TB) []byte { return workbook(tb, oneString(40000), nil) },
		"row 2, column B: the cell is longer than 32767 characters"},
	{"xlsx 1.1 M empty cells", taskfile.XLSX,
		func(tb testing.TB) []byte {
			return workbook(tb, oneString(1), func(w io.Writer) error {
				_, err := io.WriteString(w, `<row r="3">`+strings.Repeat(`<c t="n"/>`, 1_100_000)+`</row>`)
				return err
			})
		},
		"the task file has more than 1000000 cells"},
	{"csv 10 MB cell", taskfile.CSV,
		func(tb testing.TB) []byte {
			return []byte("code,title,unit\nA," + strings.Repeat("a", 10<<20) + ",SNV\n")
		},
		"row 2, column B: the cell is longer than 32767 characters"},
	{"csv a million rows", taskfile.CSV,
		func(tb testing.TB) []byte {
			return []byte("code,title,unit\n" + strings.Repeat("A,T,SNV\n", 1_000_000))
		},
		"the task file has more than 50000 rows"},
	{"csv 1.1 M cells in a row", taskfile.CSV,
		func(tb testing.TB) []byte {
			return []byte("code,title,unit\nA,T,SNV" + strings.Repeat(",", 1_100_000) + "\n")
		},
		"the task file has more than 1000000 cells"},
}

func TestRead_HostileFiles(t *testing.T) {
	for _, h := range hostileFiles {
		t.Run(h.name, func(t *testing.T) {
			data := h.data(t)
			_, err := taskfile.Read(bytes.NewReader(data), h.format, today)
			if err == nil || err.Error() != h.want || tasks.ErrorCode(err) != tasks.EINVALID {
				t.Errorf("err=%v, want EINVALID %q", err, h.want)
			}
		})
	}
}

// TestRead_HandMadeWorkbook checks the hostile files' builder: with a
// title of a sensible length, its workbook imports.
func TestRead_HandMadeWorkbook(t *testing.T) {
	// A second shared string for B3: one over the title's cap.
	data := workbook(t, func(w io.Writer) error {
		if err := oneString(500)(w); err != nil {
			return err
		}
		return oneString(501)(w)
	}, func(w io.Writer) error {
		_, err := io.WriteString(w, `<row r="3"><c r="A3" t="inlineStr"><is><t>B</t></is></c><c r="B3" t="s"><v>1</v></c>`+
			`<c r="C3" t="inlineStr"><is><t>SNV</t></is></c></row>`)
		return err
	})
	_, err := taskfile.Read(bytes.NewReader(data), taskfile.XLSX, today)
	want := `row 3, title: "` + strings.Repeat("a", 60) + `…" is longer than 500 characters`
	if err == nil || err.Error() != want {
		t.Fatalf("err=%v, want %q", err, want)
	}
	data = workbook(t, oneString(500), nil)
	rows, err := taskfile.Read(bytes.NewReader(data), taskfile.XLSX, today)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(rows) != 1 || rows[0].Task.Code != "A" || rows[0].Task.Title != strings.Repeat("a", 500) || rows[0].Task.Unit != "SNV" {
		t.Errorf("rows=%+v, want task A of SNV with a 500-character title", rows)
	}
}

func TestRead_FieldCaps(t *testing.T) {
	long := func(n int) string { return strings.Repeat("ệ", n) }
	tests := []struct {
		column, value, want string
	}{
		{"title", long(tasks.MaxTitle), ""},
		{"title", long(tasks.MaxTitle + 1), `row 2, title: "` + long(60) + `…" is longer than 500 characters`},
		{"unit_name", long(tasks.MaxName + 1), `row 2, unit_name: "` + long(60) + `…" is longer than 200 characters`},
		{"group", long(tasks.MaxName + 1), `row 2, group: "` + long(60) + `…" is longer than 200 characters`},
		{"source", long(tasks.MaxName + 1), `row 2, source: "` + long(60) + `…" is longer than 200 characters`},
		{"source", long(tasks.MaxName), ""},
	}
	for _, tt := range tests {
		in := "code,unit," + tt.column + "\nA,SNV," + tt.value + "\n"
		if tt.column != "title" {
			in = "code,unit,title," + tt.column + "\nA,SNV,T," + tt.value + "\n"
		}
		_, err := taskfile.Read(strings.NewReader(in), taskfile.CSV, today)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s of %d characters: %v", tt.column, len([]rune(tt.value)), err)
		case tt.want != "" && (err == nil || err.Error() != tt.want):
			t.Errorf("%s of %d characters: err=%v, want %q", tt.column, len([]rune(tt.value)), err, tt.want)
		}
	}
}

// BenchmarkReadWorstAccepted reads the worst workbooks the limits let
// through: MaxTexts shared strings, all but one unused; MaxRows rows of
// numbers and empty cells.
//
//	go test -run '^$' -bench ReadWorstAccepted -benchtime 3x ./taskfile/
func BenchmarkReadWorstAccepted(b *testing.B) {
	texts := workbook(b, func(w io.Writer) error {
		const k = 1000
		chunk := strings.Repeat("<si><t>"+strings.Repeat("a", 50)+"</t></si>", k)
		for i := 0; i < taskfile.MaxTexts/k; i++ {
			if _, err := io.WriteString(w, chunk); err != nil {
				return err
			}
		}
		return nil
	}, nil)
	cells := workbook(b, oneString(10), func(w io.Writer) error {
		var buf bytes.Buffer
		for i := 3; i <= taskfile.MaxRows; i++ {
			fmt.Fprintf(&buf, `<row><c t="inlineStr"><is><t>T-%d</t></is></c><c t="inlineStr"><is><t>Rà soát thủ tục</t></is></c>`+
				`<c t="inlineStr"><is><t>SNV</t></is></c>%s</row>`, i, strings.Repeat(`<c t="n"/>`, 16))
		}
		_, err := w.Write(buf.Bytes())
		return err
	})
	for _, tt := range []struct {
		name string
		data []byte
		rows int
	}{
		{"100k_texts", texts, 1},
		{"50k_rows_of_19_cells", cells, taskfile.MaxRows - 1},
	} {
		b.Run(tt.name, func(b *testing.B) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for b.Loop() {
				rows, err := taskfile.Read(bytes.NewReader(tt.data), taskfile.XLSX, today)
				if err != nil || len(rows) != tt.rows {
					b.Fatalf("rows=%d err=%v, want %d", len(rows), err, tt.rows)
				}
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "MiB-alloc/op")
			b.ReportMetric(float64(len(tt.data))/1024, "file-KiB")
		})
	}
}

// BenchmarkReadHostile reads each hostile file: time per refusal, and the
// bytes allocated per refusal, a bound on the memory it takes at its peak.
//
//	go test -run '^$' -bench ReadHostile -benchtime 3x ./taskfile/
func BenchmarkReadHostile(b *testing.B) {
	for _, h := range hostileFiles {
		data := h.data(b)
		b.Run(strings.ReplaceAll(h.name, " ", "_"), func(b *testing.B) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for b.Loop() {
				if _, err := taskfile.Read(bytes.NewReader(data), h.format, today); err == nil || err.Error() != h.want {
					b.Fatalf("err=%v, want %q", err, h.want)
				}
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "MiB-alloc/op")
			b.ReportMetric(float64(len(data))/1024, "file-KiB")
		})
	}
}
