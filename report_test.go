package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"steerbot/bot"
	"steerbot/report"
	"steerbot/sample"
	"steerbot/tasks"
)

// docxWords returns the text of a DOCX's body, a paragraph a line, failing
// unless the file is a zip of well-formed XML.
func docxWords(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the DOCX is not a zip: %v", err)
	}
	var b strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(f.Name, ".xml") && !strings.HasSuffix(f.Name, ".rels") {
			continue
		}
		dec := xml.NewDecoder(bytes.NewReader(body))
		in := false
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", f.Name, err)
			}
			if f.Name != "word/document.xml" {
				continue
			}
			switch tk := tok.(type) {
			case xml.StartElement:
				in = tk.Name.Local == "t"
			case xml.EndElement:
				in = false
				if tk.Name.Local == "p" || tk.Name.Local == "tc" {
					b.WriteString("\n")
				}
			case xml.CharData:
				if in {
					b.Write(tk)
				}
			}
		}
	}
	return b.String()
}

// hasAll fails for each of wants that text, its white space squashed, lacks.
func hasAll(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	squash := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	text = squash(text)
	for _, w := range wants {
		if !strings.Contains(text, squash(w)) {
			t.Errorf("%s has no %q", what, w)
		}
	}
}

// digestAt is the sample committee's digest at the instant at, as /digest
// computes it.
func digestAt(t *testing.T, a *app, at time.Time) tasks.Digest {
	t.Helper()
	var d tasks.Digest
	err := a.m.Store.View(context.Background(), func(tx tasks.Tx) error {
		var err error
		d, err = bot.ComputeDigest(tx, tasks.Timeline{Now: at, Loc: a.cfg.Location, DueSoonDays: dueSoon(a.cfg)}, "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// sectionOne is the figures of section I a report must show for d.
func sectionOne(d tasks.Digest) []string {
	g := d.Total
	return []string{
		fmt.Sprintf("Tổng số nhiệm vụ: %d nhiệm vụ.", g.Total),
		fmt.Sprintf("Đã hoàn thành: %d/%d nhiệm vụ, chiếm %d%%", g.Done, g.Total, g.Pct()),
		fmt.Sprintf("Quá hạn: %d nhiệm vụ (%d%%)", g.Overdue, tasks.Percent(g.Overdue, g.Total)),
	}
}

func TestReportInChat(t *testing.T) {
	a := newApp(t, func(c *Config) {
		c.Report.Parent = "UBND THÀNH PHỐ HÀ NỘI"
		c.Report.Place = "Hà Nội"
	})
	loc := a.cfg.Location

	t.Run("DOCX of the month just closed", func(t *testing.T) {
		m := a.say(sample.SecretariatID, "/report")
		if m.Document == nil || m.Document.Name != "bao-cao-2023-10.docx" {
			t.Fatalf("/report sent %+v, want bao-cao-2023-10.docx", m)
		}
		// 16/10: the month that closed on 14/10 is the one due (by the 20th).
		hasAll(t, "the caption", m.Caption, "Báo cáo tháng 10/2023 (từ 15/09/2023 đến 14/10/2023), số liệu đến ngày 14/10/2023")
		cutoff := time.Date(2023, 10, 15, 0, 0, 0, 0, loc).Add(-time.Nanosecond)
		d := digestAt(t, a, cutoff)
		if got := d.Total.Ratio(); got != "47/79 (59%)" {
			t.Fatalf("the digest at the cut-off is %s, want 47/79 (59%%)", got)
		}
		text := docxWords(t, m.Document.Data)
		hasAll(t, "the DOCX", text, append(sectionOne(d), "UBND THÀNH PHỐ HÀ NỘI", "Hà Nội, ngày 16 tháng 10 năm 2023", "BÁO CÁO", "TRƯỞNG BAN", "Lưu: VT")...)
	})

	t.Run("PDF of the quarter, as /digest shows it now", func(t *testing.T) {
		m := a.say(sample.SecretariatID, "/report pdf quý")
		if m.Document == nil || m.Document.Name != "bao-cao-2023-q4.pdf" {
			t.Fatalf("/report pdf quý sent %+v, want bao-cao-2023-q4.pdf", m)
		}
		hasAll(t, "the caption", m.Caption, "quý IV/2023", "số liệu đến ngày 16/10/2023")
		d := digestAt(t, a, a.clock.Now())
		dg := a.say(sample.SecretariatID, "/digest")
		hasAll(t, "/digest", dg.Text, fmt.Sprintf("%d/%d nhiệm vụ đã hoàn thành, chiếm %d%%", d.Total.Done, d.Total.Total, tasks.Percent(d.Total.Done, d.Total.Total)))
		hasPDF(t, m.Document.Data, append(sectionOne(d), "Hà Nội, ngày 16 tháng 10 năm 2023", "quý IV năm 2023")...)
	})

	t.Run("since the last meeting held", func(t *testing.T) {
		// The meeting held on 09/10 had its digest on 08/10; tomorrow's
		// meeting had its digest already: the report covers 08/10 to now.
		err := a.m.Store.Update(context.Background(), func(tx tasks.Tx) error {
			for _, m := range []tasks.Meeting{
				{Title: "Phiên họp thứ 2", Start: time.Date(2023, 10, 9, 14, 0, 0, 0, loc), DigestSentAt: time.Date(2023, 10, 8, 14, 0, 0, 0, loc)},
				{Title: "Phiên họp thứ 3", Start: time.Date(2023, 10, 17, 14, 0, 0, 0, loc), DigestSentAt: time.Date(2023, 10, 16, 7, 0, 0, 0, loc)},
			} {
				if err := tx.PutMeeting(&m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		m := a.say(sample.SecretariatID, "/report họp")
		if m.Document == nil || m.Document.Name != "bao-cao-2023-10-16.docx" {
			t.Fatalf("/report họp sent %+v", m)
		}
		hasAll(t, "the caption", m.Caption, "Báo cáo kỳ họp (từ 08/10/2023 đến 16/10/2023), số liệu đến ngày 16/10/2023")
		hasAll(t, "the DOCX", docxWords(t, m.Document.Data), "từ phiên họp ngày 08/10/2023 đến ngày 16/10/2023")
	})

	t.Run("English words, any order", func(t *testing.T) {
		m := a.say(sample.ChairID, "/report quarter pdf")
		if m.Document == nil || m.Document.Name != "bao-cao-2023-q4.pdf" {
			t.Fatalf("a chair's /report quarter pdf sent %+v", m)
		}
	})

	t.Run("in the member's language", func(t *testing.T) {
		a.say(sample.ViceChairID, "/lang en")
		m := a.say(sample.ViceChairID, "/report")
		if m.Document == nil {
			t.Fatalf("/report in English sent %+v", m)
		}
		hasAll(t, "the caption", m.Caption, "Report, month 10/2023 (15/09/2023 to 14/10/2023), figures as of 14/10/2023")
		hasAll(t, "the DOCX", docxWords(t, m.Document.Data), "REPORT", "SOCIALIST REPUBLIC OF VIETNAM")
	})

	t.Run("refused", func(t *testing.T) {
		m := a.say(sample.HeadSNVID, "/report")
		if m.Document != nil || !strings.Contains(m.Text, "Chỉ Lãnh đạo Ban") {
			t.Errorf("a unit head's /report: %+v, want a refusal", m)
		}
		m = a.say(sample.SecretariatID, "/report hôm qua")
		if m.Document != nil || !strings.Contains(m.Text, "Cú pháp: /report") {
			t.Errorf("/report hôm qua: %+v, want the usage", m)
		}
	})
}

func TestReportCommand(t *testing.T) {
	t.Run("from the database", func(t *testing.T) {
		s := cliNew(t, "committee: {name: \"Ban chỉ đạo CCHC\"}\nreport: {issuer: \"BAN CHỈ ĐẠO CCHC\", place: \"Hà Nội\"}\n")
		s.importOK(t, cliSampleFile(t, s.dir))
		out := filepath.Join(s.dir, "bao-cao.docx")
		r := s.run(t, "report", "-o", out, "-period", "quý", "-date", "2023-10-16")
		cliWant(t, r, exitOK)
		if r.stdout != out+": đã ghi\n" {
			t.Errorf("stdout=%q", r.stdout)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		hasAll(t, "the DOCX", docxWords(t, data), "BAN CHỈ ĐẠO CCHC", "quý IV năm 2023", "Đã hoàn thành: 47/79 nhiệm vụ, chiếm 59%")

		pdf := filepath.Join(s.dir, "bao-cao.pdf")
		cliWant(t, s.run(t, "report", "-o", pdf, "-period", "year"), exitOK)
		data, err = os.ReadFile(pdf)
		if err != nil {
			t.Fatal(err)
		}
		hasPDF(t, data, "Đã hoàn thành: 47/79 nhiệm vụ, chiếm 59%")
	})

	t.Run("through the running bot", func(t *testing.T) {
		a := newApp(t, func(c *Config) { c.HTTP.Listen = "127.0.0.1:0" })
		a.cfg.HTTP.Listen = a.m.HTTPAddr()
		cfgPath := filepath.Join(t.TempDir(), "steerbot.yaml")
		writeTestConfig(t, cfgPath, a.cfg)
		out := filepath.Join(t.TempDir(), "bao-cao.pdf")
		r := cliRun(t, "report", "-config", cfgPath, "-o", out)
		cliWant(t, r, exitOK)
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		// The running bot's clock says 16/10/2023: the month closed on 14/10.
		hasPDF(t, data, "tháng 10 năm 2023", "Đã hoàn thành: 47/79 nhiệm vụ, chiếm 59%")
	})

	t.Run("usage", func(t *testing.T) {
		s := cliNew(t, "")
		for _, args := range [][]string{
			{"-o", "x.txt"},
			{"-o", "x.pdf", "-period", "tuần"},
			{"-o", "x.pdf", "-period", "meeting", "-date", "2023-10-16"},
			{"-o", "x.pdf", "-date", "hôm qua"},
			{},
		} {
			r := s.run(t, "report", args...)
			cliWant(t, r, exitUsage)
		}
		cliNotExist(t, s.db)
	})

	t.Run("a folder that does not exist", func(t *testing.T) {
		s := cliNew(t, "")
		s.importOK(t, cliSampleFile(t, s.dir))
		missing := filepath.Join(s.dir, "khong-co", "bao-cao.docx")
		r := s.run(t, "report", "-o", missing)
		cliWant(t, r, exitError)
		want := "steerbot: report: thư mục " + filepath.Dir(missing) + " không tồn tại: hãy tạo thư mục trước hoặc chọn chỗ khác\n"
		if r.stderr != want {
			t.Errorf("stderr=%q, want %q", r.stderr, want)
		}
		en := cliNew(t, "committee: {language: en}\n")
		en.importOK(t, cliSampleFile(t, en.dir))
		r = en.run(t, "export", "-o", filepath.Join(en.dir, "nope", "x.csv"))
		cliWant(t, r, exitError)
		if !strings.Contains(r.stderr, "the folder "+filepath.Join(en.dir, "nope")+" does not exist") || strings.Contains(r.stderr, ".steerbot-") {
			t.Errorf("stderr=%q, want the folder named plainly", r.stderr)
		}
		r = en.run(t, "backup", "-o", filepath.Join(en.dir, "nope", "x.db"))
		cliWant(t, r, exitError)
		if want := "steerbot: backup: the folder " + filepath.Join(en.dir, "nope") + " does not exist: create it first or choose another place\n"; r.stderr != want {
			t.Errorf("stderr=%q, want %q", r.stderr, want)
		}
	})
}

func TestCLI_DryRunCreatesNothing(t *testing.T) {
	s := cliNew(t, "")
	r := s.run(t, "import", "-dry-run", cliGood)
	cliWant(t, r, exitOK)
	if !strings.Contains(r.stdout, "hợp lệ (chạy thử): sẽ thêm mới 5") {
		t.Errorf("stdout=%q", r.stdout)
	}
	cliNotExist(t, s.db)
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("the folder holds %d entries after a dry run, want only the config", len(entries))
	}
}

func TestCLI_EnglishPlurals(t *testing.T) {
	s := cliNew(t, "committee: {language: en}\nunits: [{code: SNV, name: Sở Nội vụ}]\n")
	one := filepath.Join(s.dir, "one.csv")
	cliWriteFile(t, one, []byte("code,title,unit,unit_name\nA-1,Rà soát,STP,Sở Tư pháp\n"))
	r := s.run(t, "import", one)
	cliWant(t, r, exitOK)
	if want := one + ": 1 created, 0 updated, 0 unchanged; 1 new unit\n"; r.stdout != want {
		t.Errorf("stdout=%q, want %q", r.stdout, want)
	}
	bad := filepath.Join(s.dir, "bad.csv")
	cliWriteFile(t, bad, []byte("code,title,unit\nA-2,,SNV\n"))
	r = s.run(t, "import", bad)
	cliWant(t, r, exitError)
	if !strings.HasSuffix(r.stderr, "steerbot import: 1 problem; nothing was imported\n") {
		t.Errorf("stderr=%q", r.stderr)
	}
}

// BenchmarkWriteReport measures what /report and `steerbot report` do over
// the sample committee (79 tasks): read the digest's input in a
// transaction and write the document.
func BenchmarkWriteReport(b *testing.B) {
	s := cliNew(b, "")
	s.importOK(b, cliSampleFile(b, s.dir))
	cfg, err := LoadConfig(s.config, nil)
	if err != nil {
		b.Fatal(err)
	}
	st, _, err := openStore(cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2023, 10, 16, 9, 0, 0, 0, cfg.Location)
	for _, format := range []string{"docx", "pdf"} {
		b.Run(format, func(b *testing.B) {
			rq := reportRequest{Kind: tasks.PeriodMonth, Format: report.Format(format), Lang: "vi", Now: now}
			for b.Loop() {
				if _, err := reportFromStore(context.Background(), st, cfg, rq); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
