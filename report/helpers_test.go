package report_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"steerbot/report"
	"steerbot/sample"
	"steerbot/tasks"
)

func hcm(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		tb.Fatalf("load location: %v", err)
	}
	return loc
}

func day(y int, m time.Month, d int) tasks.Date { return tasks.Date{Year: y, Month: m, Day: d} }

// header is the `report:` section of the contract's example.
var header = report.Header{
	Parent:      "UBND THÀNH PHỐ HÀ NỘI",
	Issuer:      "BAN CHỈ ĐẠO CCHC, CHUYỂN ĐỔI SỐ",
	Symbol:      "BC-BCĐ",
	Place:       "Hà Nội",
	SignerTitle: "Trưởng ban",
	SignerName:  "Nguyễn Văn An",
	Recipients:  []string{"Thường trực Thành ủy", "Thường trực HĐND Thành phố", "Lưu: VT"},
}

// sampleCommittee reads the sample committee's task file as the import
// does (done tasks with no completion date).
func sampleCommittee(tb testing.TB) ([]tasks.Task, []tasks.Unit) {
	tb.Helper()
	recs, err := csv.NewReader(bytes.NewReader(sample.CSV)).ReadAll()
	if err != nil {
		tb.Fatalf("read the sample: %v", err)
	}
	var ts []tasks.Task
	for i, r := range recs[1:] {
		dl, err := tasks.ParseDate(r[4], day(2023, 10, 16))
		if err != nil {
			tb.Fatalf("row %d: %v", i+2, err)
		}
		st, ok := tasks.ParseStatus(r[5])
		if !ok {
			tb.Fatalf("row %d: status %q", i+2, r[5])
		}
		pr, err := strconv.Atoi(r[6])
		if err != nil {
			tb.Fatalf("row %d: %v", i+2, err)
		}
		ts = append(ts, tasks.Task{Code: r[0], Title: r[1], Unit: r[2], Deadline: dl, Status: st, Progress: pr, Group: r[7], Source: r[8]})
	}
	var us []tasks.Unit
	for _, u := range sample.Units() {
		us = append(us, tasks.Unit{Code: u.Code, Name: u.Name})
	}
	return ts, us
}

// inputAt is the report of kind over ts at now, with the digest computed
// at the period's cut-off as the caller computes it.
func inputAt(tb testing.TB, ts []tasks.Task, us []tasks.Unit, exts []tasks.ExtensionRequest, kind tasks.PeriodKind, now time.Time) report.Input {
	tb.Helper()
	loc := hcm(tb)
	p, err := tasks.PeriodOf(kind, tasks.DateOf(now, loc))
	if err != nil {
		tb.Fatal(err)
	}
	tl := tasks.Timeline{Now: p.Cutoff(now, loc), Loc: loc, DueSoonDays: 7}
	d := tasks.ComputeDigest(tasks.DigestInput{Tasks: ts, Units: us, Extensions: exts, Timeline: tl})
	return report.Input{
		Committee: "Ban Chỉ đạo CCHC, chuyển đổi số Thành phố Hà Nội", Header: header, Period: p,
		Digest: d, Tasks: ts, Units: us, Loc: loc, Now: now,
	}
}

// nfd is s decomposed, as some phones send Vietnamese.
func nfd(s string) string {
	// The precomposed letters this test uses, as base + combining marks.
	r := strings.NewReplacer("ễ", "e\u0302\u0303", "ư", "u\u031b", "ờ", "o\u031b\u0300", "ệ", "e\u0302\u0323", "ạ", "a\u0323", "ả", "a\u0309")
	return r.Replace(s)
}

// vietnameseLetters is every accented letter of Vietnamese, in words.
const vietnameseLetters = "àáạảã âầấậẩẫ ăằắặẳẵ èéẹẻẽ êềếệểễ ìíịỉĩ òóọỏõ ôồốộổỗ ơờớợởỡ ùúụủũ ưừứựửữ ỳýỵỷỹ đ " +
	"ÀÁẠẢÃ ÂẦẤẬẨẪ ĂẰẮẶẲẴ ÈÉẸẺẼ ÊỀẾỆỂỄ ÌÍỊỈĨ ÒÓỌỎÕ ÔỒỐỘỔỖ ƠỜỚỢỞỠ ÙÚỤỦŨ ƯỪỨỰỬỮ ỲÝỴỶỸ Đ"

// richCommittee is a committee with a task in every category a report
// counts, on 16/10/2023 (the month of 15/09–14/10 is over; October's runs).
func richCommittee(tb testing.TB) ([]tasks.Task, []tasks.Unit, []tasks.ExtensionRequest, time.Time) {
	loc := hcm(tb)
	now := time.Date(2023, 10, 16, 9, 0, 0, 0, loc)
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, loc) }
	us := []tasks.Unit{{Code: "SNV", Name: "Sở Nội vụ"}, {Code: "STP", Name: "Sở Tư pháp"}, {Code: "QHK", Name: nfd("UBND quận Hoàn Kiếm – Nguyễn Thị Thường")}}
	ts := []tasks.Task{
		{Code: "A-01", Title: "Rà soát thủ tục hành chính", Unit: "SNV", Deadline: day(2023, 9, 30), Status: tasks.Done, Progress: 100, CompletedAt: at(2023, 9, 28)},
		{Code: "A-02", Title: "Số hóa hồ sơ", Unit: "SNV", Deadline: day(2023, 9, 20), Status: tasks.Done, Progress: 100, CompletedAt: at(2023, 10, 2)},
		{Code: "A-03", Title: "Công bố danh mục thủ tục", Unit: "STP", Deadline: day(2023, 8, 31), Status: tasks.Done, Progress: 100},
		{Code: "A-04", Title: "Triển khai dịch vụ công trực tuyến toàn trình", Unit: "STP", Deadline: day(2023, 10, 5), Status: tasks.InProgress, Progress: 60,
			Note: "Đang chờ <Sở TT&TT> hướng dẫn\x01 kỹ thuật", Blocker: nfd("Thiếu kinh phí nâng cấp phần mềm, đề nghị bổ sung")},
		{Code: "A-05", Title: "Báo cáo chỉ số cải cách hành chính", Unit: "QHK", Deadline: day(2023, 9, 10), Status: tasks.NotStarted},
		{Code: "A-06", Title: "Kiểm tra công vụ", Unit: "SNV", Status: tasks.InProgress, Progress: 40},
		{Code: "A-07", Title: "Tuyên truyền cải cách hành chính", Unit: "QHK", Deadline: day(2023, 12, 31), Status: tasks.InProgress, Progress: 30},
		{Code: "A-08", Title: "Xây dựng kho dữ liệu dùng chung", Unit: "STP", Deadline: day(2023, 10, 14), Status: tasks.ProposedStop, Progress: 10},
		{Code: "A-09", Title: "Thí điểm một cửa liên thông", Unit: "QHK", Deadline: day(2023, 6, 30), Status: tasks.Stopped},
		{Code: "A-10", Title: vietnameseLetters, Unit: "SNV", Deadline: day(2023, 11, 30), Status: tasks.InProgress, Progress: 10},
	}
	exts := []tasks.ExtensionRequest{{ID: 1, Task: "A-07", OldDeadline: day(2023, 12, 31), NewDeadline: day(2024, 3, 31),
		Reason: "Chờ kinh phí năm 2024.", State: tasks.ExtPending}}
	return ts, us, exts, now
}

// write writes the report and returns it.
func write(tb testing.TB, f report.Format, in report.Input) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := report.Write(&b, f, in); err != nil {
		tb.Fatalf("write %s: %v", f, err)
	}
	return b.Bytes()
}

// docxParts opens a DOCX and decodes every XML part to its end; it
// returns the parts by name.
func docxParts(tb testing.TB, b []byte) map[string][]byte {
	tb.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tb.Fatalf("the DOCX is not a zip: %v", err)
	}
	parts := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			tb.Fatalf("open %s: %v", f.Name, err)
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			tb.Fatalf("read %s: %v", f.Name, err)
		}
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				tb.Fatalf("%s is not well-formed XML: %v", f.Name, err)
			}
		}
		parts[f.Name] = data
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels"} {
		if parts[name] == nil {
			tb.Fatalf("the DOCX has no %s", name)
		}
	}
	return parts
}

// docxText returns the text of document.xml, a line per paragraph.
func docxText(tb testing.TB, doc []byte) string {
	tb.Helper()
	var b strings.Builder
	dec := xml.NewDecoder(bytes.NewReader(doc))
	in := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				in = true
			case "br":
				b.WriteString("\n")
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				in = false
			case "p":
				b.WriteString("\n")
			}
		case xml.CharData:
			if in {
				b.Write(t)
			}
		}
	}
	return b.String()
}

// tool runs a poppler tool, failing the test when it is not installed.
func tool(tb testing.TB, name string, args ...string) string {
	tb.Helper()
	if _, err := exec.LookPath(name); err != nil {
		tb.Fatalf("%s is not installed: install poppler-utils (apt-get install -y poppler-utils) to check the PDF", name)
	}
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		tb.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// squash folds runs of white space into one space, as a reader of the
// page sees the words.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func mustContain(tb testing.TB, what, text string, wants ...string) {
	tb.Helper()
	text = squash(text)
	for _, w := range wants {
		if !strings.Contains(text, squash(w)) {
			tb.Errorf("%s has no %q", what, w)
		}
	}
}

func pct(part, whole int) string { return fmt.Sprintf("%d%%", tasks.Percent(part, whole)) }
