package report_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"steerbot/report"
	"steerbot/tasks"
)

// richLines are the lines a reader finds in the report of the rich
// committee for Q4/2023 (15/09–14/12/2023), on 16/10/2023.
var richLines = []string{
	"UBND THÀNH PHỐ HÀ NỘI", "BAN CHỈ ĐẠO CCHC,", "CHUYỂN ĐỔI SỐ",
	"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
	"Hà Nội, ngày 16 tháng 10 năm 2023",
	"BÁO CÁO", "Kết quả thực hiện nhiệm vụ quý IV năm 2023",
	"kỳ báo cáo từ ngày 15/09/2023 đến ngày 14/12/2023; số liệu tính đến ngày 16/10/2023",
	"I. Tình hình chung",
	"- Tổng số nhiệm vụ: 10 nhiệm vụ.",
	"- Đã hoàn thành: 3/10 nhiệm vụ, chiếm 30%, trong đó:",
	"+ Hoàn thành đúng hạn: 1 nhiệm vụ (10%);",
	"+ Hoàn thành quá hạn: 1 nhiệm vụ (10%);",
	"+ Chưa xác định được thời điểm hoàn thành: 1 nhiệm vụ (10%).",
	"- Chưa hoàn thành: 5 nhiệm vụ, chiếm 50%, trong đó:",
	"+ Trong hạn: 2 nhiệm vụ (20%);",
	"+ Quá hạn: 3 nhiệm vụ (30%).",
	"- Nhiệm vụ thường xuyên: 1 nhiệm vụ, chiếm 10%.",
	"- Dừng thực hiện: 1 nhiệm vụ, chiếm 10%.",
	"- Đến hạn trong kỳ: 5 nhiệm vụ, chiếm 50%; trong đó đã hoàn thành 2 nhiệm vụ.",
	"II. Kết quả theo đơn vị", "Tổng cộng",
	"III. Nhiệm vụ quá hạn", "Có 3 nhiệm vụ đã quá hạn nhưng chưa hoàn thành:",
	"Đang chờ <Sở TT&TT> hướng dẫn kỹ thuật", // the unit's latest note, a control character dropped
	"IV. Khó khăn, vướng mắc",
	"- Sở Tư pháp (nhiệm vụ A-04): Thiếu kinh phí nâng cấp phần mềm, đề nghị bổ sung.",
	"V. Đề xuất, kiến nghị",
	"- UBND quận Hoàn Kiếm – Nguyễn Thị Thường đề nghị gia hạn nhiệm vụ A-07 (Tuyên truyền cải cách hành chính) từ ngày 31/12/2023 đến ngày 31/03/2024; lý do: Chờ kinh phí năm 2024;",
	"- Sở Tư pháp đề xuất dừng thực hiện nhiệm vụ A-08 (Xây dựng kho dữ liệu dùng chung).",
	"Trên đây là báo cáo kết quả thực hiện nhiệm vụ quý IV năm 2023 của Ban Chỉ đạo CCHC, chuyển đổi số Thành phố Hà Nội./.",
	"Nơi nhận:", "- Thường trực Thành ủy;", "- Thường trực HĐND Thành phố;", "- Lưu: VT.",
	"TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN", "Nguyễn Văn An",
	"Phụ lục", "DANH MỤC NHIỆM VỤ VÀ TÌNH HÌNH THỰC HIỆN",
	"ngày 16/10/2023 của Ban Chỉ đạo CCHC, chuyển đổi số Thành phố Hà Nội)",
}

// richCells are texts in the tables and beside a blank, where a PDF
// reader's order of lines is its own: the PDF is checked for their words.
var richCells = []string{
	"Số: /BC-BCĐ", "(Kèm theo Báo cáo số /BC-BCĐ",
	"đang triển khai, thường xuyên", "đã hoàn thành, quá hạn", "dừng thực hiện",
	vietnameseLetters,
}

// mustHaveWords checks that every word of wants is a word of text.
func mustHaveWords(tb testing.TB, what, text string, wants ...string) {
	tb.Helper()
	words := map[string]bool{}
	for _, w := range strings.Fields(text) {
		words[w] = true
	}
	for _, want := range wants {
		for _, w := range strings.Fields(want) {
			if !words[w] {
				tb.Errorf("%s has no word %q (of %q)", what, w, want)
			}
		}
	}
}

func richInput(tb testing.TB) report.Input {
	ts, us, exts, now := richCommittee(tb)
	in := inputAt(tb, ts, us, exts, tasks.PeriodQuarter, now)
	// The figures above are the digest's.
	g := in.Digest.Total
	if g.Total != 10 || g.Done != 3 || g.DoneOnTime != 1 || g.DoneLate != 1 || g.Overdue != 3 {
		tb.Fatalf("digest = %+v, want 10 tasks, 3 done (1 on time, 1 late), 3 overdue", g)
	}
	return in
}

func TestWrite_DOCX(t *testing.T) {
	parts := docxParts(t, write(t, report.DOCX, richInput(t)))
	text := docxText(t, parts["word/document.xml"])
	mustContain(t, "the DOCX", text, richLines...)
	mustContain(t, "the DOCX", text, richCells...)
	// Every overdue task with its days late, in the digest's order.
	mustContain(t, "the DOCX", text, "A-05\nBáo cáo chỉ số cải cách hành chính\nUBND quận Hoàn Kiếm – Nguyễn Thị Thường\n10/09/2023\n36\n0",
		"A-04\nTriển khai dịch vụ công trực tuyến toàn trình\nSở Tư pháp\n05/10/2023\n11\n60", "A-08\nXây dựng kho dữ liệu dùng chung\nSở Tư pháp\n14/10/2023\n2\n10")
	if !norm.NFC.IsNormalString(text) {
		t.Error("the DOCX's text is not NFC")
	}

	// A4 portrait for the report, A4 landscape for the annex, the
	// margins of Nghị định 30/2020 in twips.
	type size struct{ W, H, Orient string }
	var sizes []size
	var margins []map[string]int
	dec := xml.NewDecoder(bytes.NewReader(parts["word/document.xml"]))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attr := map[string]string{}
		for _, a := range se.Attr {
			attr[a.Name.Local] = a.Value
		}
		switch se.Name.Local {
		case "pgSz":
			sizes = append(sizes, size{attr["w"], attr["h"], attr["orient"]})
		case "pgMar":
			m := map[string]int{}
			for k, v := range attr {
				m[k], _ = strconv.Atoi(v)
			}
			margins = append(margins, m)
		}
	}
	want := []size{{"11906", "16838", ""}, {"16838", "11906", "landscape"}}
	if fmt.Sprint(sizes) != fmt.Sprint(want) {
		t.Errorf("page sizes = %v, want A4 portrait then landscape %v", sizes, want)
	}
	twips := func(mm float64) int { return int(mm*1440/25.4 + 0.5) }
	for _, m := range margins {
		for _, c := range []struct {
			side   string
			lo, hi float64
		}{{"top", 20, 25}, {"bottom", 20, 25}, {"left", 30, 35}, {"right", 15, 20}} {
			if m[c.side] < twips(c.lo) || m[c.side] > twips(c.hi) {
				t.Errorf("margin %s = %d twips, want %.0f–%.0f mm (%d–%d)", c.side, m[c.side], c.lo, c.hi, twips(c.lo), twips(c.hi))
			}
		}
	}
	if len(margins) != 2 {
		t.Errorf("sections = %d, want 2", len(margins))
	}
	if !bytes.Contains(parts["word/styles.xml"], []byte(`w:ascii="Times New Roman"`)) {
		t.Error("the DOCX's default font is not Times New Roman")
	}
}

func TestWrite_SeedFigures(t *testing.T) {
	ts, us := sampleCommittee(t)
	loc := hcm(t)
	eve := time.Date(2023, 10, 16, 8, 25, 0, 0, loc)
	in := inputAt(t, ts, us, nil, tasks.PeriodMonth, eve)
	if got := in.Digest.Total.Ratio(); got != "47/79 (59%)" {
		t.Fatalf("the digest says %s, want 47/79 (59%%)", got)
	}
	headline := "Đã hoàn thành: 47/79 nhiệm vụ, chiếm 59%"
	docx := docxText(t, docxParts(t, write(t, report.DOCX, in))["word/document.xml"])
	mustContain(t, "the DOCX", docx, headline)
	path := filepath.Join(t.TempDir(), "seed.pdf")
	if err := os.WriteFile(path, write(t, report.PDF, in), 0o600); err != nil {
		t.Fatal(err)
	}
	checkPDFText(t, path, headline)

	// Section II is the digest's scorecard, unit by unit.
	for i, s := range in.Digest.Scorecard {
		row := strings.Join([]string{strconv.Itoa(i + 1), s.Unit.Name, strconv.Itoa(s.Total), strconv.Itoa(s.Done),
			strconv.Itoa(s.DoneOnTime), strconv.Itoa(s.DoneLate), strconv.Itoa(s.Overdue), pct(s.Done, s.Total)}, "\n")
		mustContain(t, "the DOCX", docx, row)
	}
	g := in.Digest.Total
	mustContain(t, "the DOCX", docx, strings.Join([]string{"Tổng cộng", "79", "47", strconv.Itoa(g.DoneOnTime), strconv.Itoa(g.DoneLate), strconv.Itoa(g.Overdue), "59%"}, "\n"))
	// The annex lists every task.
	for _, tk := range ts {
		if !strings.Contains(docx, "\n"+tk.Code+"\n") {
			t.Errorf("the annex has no %s", tk.Code)
		}
	}
}

func TestWrite_English(t *testing.T) {
	in := richInput(t)
	in.Lang = "en"
	text := docxText(t, docxParts(t, write(t, report.DOCX, in))["word/document.xml"])
	mustContain(t, "the English DOCX", text, "SOCIALIST REPUBLIC OF VIETNAM", "Independence - Freedom - Happiness", "REPORT",
		"Results of task implementation, quarter IV of 2023", "Hà Nội, 16 October 2023",
		"I. General situation", "- Done: 3/10 tasks, 30%, of which:", "+ overdue: 3 (30%).", "II. Results by unit",
		"III. Overdue tasks", "IV. Difficulties and obstacles", "V. Proposals and recommendations", "Recipients:",
		"ON BEHALF OF THE STEERING COMMITTEE", "Annex", "in progress, ongoing")
	for _, vi := range []string{"Tình hình chung", "BÁO CÁO", "Nơi nhận", "đang triển khai"} {
		if strings.Contains(text, vi) {
			t.Errorf("the English report says %q", vi)
		}
	}
}

func TestWrite_DateLine(t *testing.T) {
	loc := hcm(t)
	// Nghị định 30/2020: a zero before a day under 10 and before months 1 and 2.
	cases := map[time.Time]string{
		time.Date(2026, 12, 3, 9, 0, 0, 0, loc):  "Hà Nội, ngày 03 tháng 12 năm 2026",
		time.Date(2026, 2, 5, 9, 0, 0, 0, loc):   "Hà Nội, ngày 05 tháng 02 năm 2026",
		time.Date(2026, 3, 19, 9, 0, 0, 0, loc):  "Hà Nội, ngày 19 tháng 3 năm 2026",
		time.Date(2026, 1, 14, 23, 0, 0, 0, loc): "Hà Nội, ngày 14 tháng 01 năm 2026",
	}
	for now, want := range cases {
		in := inputAt(t, nil, nil, nil, tasks.PeriodMonth, now)
		text := docxText(t, docxParts(t, write(t, report.DOCX, in))["word/document.xml"])
		mustContain(t, "the DOCX of "+now.Format(time.DateOnly), text, want, "- Tổng số nhiệm vụ: 0 nhiệm vụ.", "Không có nhiệm vụ quá hạn.")
	}
}

func TestWrite_Decomposed(t *testing.T) {
	// A unit name typed on a phone that sends decomposed letters comes out
	// composed in both formats.
	name := "UBND quận Hoàn Kiếm – Nguyễn Thị Thường"
	if nfd(name) == name {
		t.Fatal("the test's name is not decomposed")
	}
	in := richInput(t)
	for name, part := range docxParts(t, write(t, report.DOCX, in)) {
		if bytes.Contains(part, []byte(nfd("Nguyễn"))) {
			t.Errorf("the DOCX's %s keeps a decomposed name", name)
		}
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, write(t, report.PDF, in), 0o600); err != nil {
		t.Fatal(err)
	}
	checkPDFText(t, path, name)
}

func TestWrite_LongTexts(t *testing.T) {
	// A note longer than a page and a code longer than its column stay
	// within the margins.
	ts, us, exts, now := richCommittee(t)
	ts[3].Note = strings.Repeat("Đơn vị đang phối hợp với các sở, ngành liên quan để hoàn thiện hồ sơ. ", 120)
	ts[0].Code = "CHUONGTRINH-CHUYENDOISO-2023-001"
	in := inputAt(t, ts, us, exts, tasks.PeriodQuarter, now)
	path := filepath.Join(t.TempDir(), "long.pdf")
	if err := os.WriteFile(path, write(t, report.PDF, in), 0o600); err != nil {
		t.Fatal(err)
	}
	checkPDFPages(t, path)
	docxParts(t, write(t, report.DOCX, in))
}

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]report.Format{"bao-cao.docx": report.DOCX, "X.PDF": report.PDF, "/tmp/a.b.Docx": report.DOCX} {
		if got, err := report.FormatOf(name); err != nil || got != want {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	for _, name := range []string{"report.doc", "report", "report.xlsx"} {
		if _, err := report.FormatOf(name); tasks.ErrorCode(err) != tasks.EINVALID {
			t.Errorf("FormatOf(%q) err = %v, want EINVALID", name, err)
		}
	}
	if err := report.Write(&bytes.Buffer{}, "odt", richInput(t)); tasks.ErrorCode(err) != tasks.EINVALID {
		t.Errorf("Write(odt) err = %v, want EINVALID", err)
	}
	noPeriod := richInput(t)
	noPeriod.Period = tasks.Period{}
	if err := report.Write(&bytes.Buffer{}, report.PDF, noPeriod); tasks.ErrorCode(err) != tasks.EINVALID {
		t.Errorf("Write(no period) err = %v, want EINVALID", err)
	}
}

func TestFileName(t *testing.T) {
	loc := hcm(t)
	q4, err := tasks.PeriodOf(tasks.PeriodQuarter, day(2023, 10, 16))
	if err != nil {
		t.Fatal(err)
	}
	m, err := tasks.PeriodOf(tasks.PeriodMonth, day(2023, 12, 20))
	if err != nil {
		t.Fatal(err)
	}
	meeting := tasks.MeetingPeriod(time.Date(2023, 9, 18, 16, 0, 0, 0, loc), time.Date(2023, 10, 16, 8, 0, 0, 0, loc), loc)
	for got, want := range map[string]string{
		report.FileName(q4, report.DOCX):     "bao-cao-2023-q4.docx",
		report.FileName(m, report.PDF):       "bao-cao-2024-01.pdf",
		report.FileName(meeting, report.PDF): "bao-cao-2023-10-16.pdf",
	} {
		if got != want {
			t.Errorf("file name %q, want %q", got, want)
		}
	}
}

func TestWrite_MeetingPeriod(t *testing.T) {
	ts, us, exts, now := richCommittee(t)
	loc := hcm(t)
	in := inputAt(t, ts, us, exts, tasks.PeriodQuarter, now)
	in.Period = tasks.MeetingPeriod(time.Date(2023, 9, 18, 16, 0, 0, 0, loc), now, loc)
	text := docxText(t, docxParts(t, write(t, report.DOCX, in))["word/document.xml"])
	mustContain(t, "the meeting report", text, "Kết quả thực hiện nhiệm vụ từ phiên họp ngày 18/09/2023 đến ngày 16/10/2023",
		"kỳ báo cáo từ ngày 18/09/2023 đến ngày 16/10/2023",
		// Due since the meeting: A-01 (30/09) and A-02 (20/09), done; A-04 (05/10), A-08 (14/10).
		"- Đến hạn trong kỳ: 4 nhiệm vụ, chiếm 40%; trong đó đã hoàn thành 2 nhiệm vụ.")

	// Before any meeting: everything so far.
	in.Period = tasks.MeetingPeriod(time.Time{}, now, loc)
	text = docxText(t, docxParts(t, write(t, report.DOCX, in))["word/document.xml"])
	mustContain(t, "the first meeting's report", text, "Kết quả thực hiện nhiệm vụ đến ngày 16/10/2023", "(số liệu tính đến ngày 16/10/2023)")
}
