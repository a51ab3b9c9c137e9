//go:build poppler

// The PDF read back with poppler-utils (pdftotext, pdfinfo): run with
// `go test -tags poppler ./report/` (.ci/run installs poppler-utils and
// does).

package report_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"golang.org/x/text/unicode/norm"

	"steerbot/report"
)

// checkPDFPages checks the pages of the PDF at path (see checkPages).
func checkPDFPages(t *testing.T, path string) { t.Helper(); checkPages(t, path) }

// checkPDFText checks that the PDF at path reads, as pdftotext extracts
// it, with every one of wants.
func checkPDFText(t *testing.T, path string, wants ...string) {
	t.Helper()
	mustContain(t, "the PDF", tool(t, "pdftotext", "-enc", "UTF-8", path, "-"), wants...)
}

func TestWrite_PDF(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, write(t, report.PDF, richInput(t)), 0o600); err != nil {
		t.Fatal(err)
	}
	text := tool(t, "pdftotext", "-enc", "UTF-8", path, "-")
	mustContain(t, "the PDF", text, richLines...)
	mustHaveWords(t, "the PDF", text, richCells...)
	// The overdue table's rows and the blank number, as a reader reads
	// across.
	lay := tool(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-")
	for _, re := range []string{`Số:\s+/BC-BCĐ`, `A-05 +.*10/09/2023 +36 +0`, `A-04 +.*05/10/2023 +11 +60`, `A-08 +.*14/10/2023 +2 +10`} {
		if !regexp.MustCompile(re).MatchString(lay) {
			t.Errorf("the PDF has no overdue row like %q", re)
		}
	}
	if !norm.NFC.IsNormalString(text) {
		t.Error("the PDF's text is not NFC: the diacritics are apart from their letters")
	}
	checkPages(t, path)
}

// checkPages checks from the file that every page is A4 and that all text
// but the page number keeps within the margins, and reaches them.
func checkPages(t *testing.T, path string) {
	t.Helper()
	info := tool(t, "pdfinfo", "-f", "1", "-l", "999", path)
	pages := regexp.MustCompile(`Page +\d+ size: +(\S+) x (\S+) pts \(A4\)`).FindAllStringSubmatch(info, -1)
	n, _ := strconv.Atoi(regexp.MustCompile(`Pages: +(\d+)`).FindStringSubmatch(info)[1])
	if len(pages) != n || n < 2 {
		t.Fatalf("%d A4 pages of %d:\n%s", len(pages), n, info)
	}
	const pt = 72 / 25.4
	box := tool(t, "pdftotext", "-bbox", path, "-")
	pageRe := regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">`)
	wordRe := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	chunks := pageRe.Split(box, -1)[1:]
	dims := pageRe.FindAllStringSubmatch(box, -1)
	for i, chunk := range chunks {
		w, _ := strconv.ParseFloat(dims[i][1], 64)
		h, _ := strconv.ParseFloat(dims[i][2], 64)
		left, right, top, bottom := 30*pt, w-15*pt, 20*pt, h-20*pt
		minX, maxX, minY := w, 0.0, h
		for _, m := range wordRe.FindAllStringSubmatch(chunk, -1) {
			var v [4]float64
			for j := range v {
				v[j], _ = strconv.ParseFloat(m[j+1], 64)
			}
			if v[3] < top {
				// The page number, at the top centre from the second page.
				if _, err := strconv.Atoi(m[5]); err != nil || m[5] != strconv.Itoa(i+1) || i == 0 {
					t.Errorf("page %d: %q above the top margin", i+1, m[5])
				}
				if c := (v[0] + v[2]) / 2; c < (left+right)/2-3 || c > (left+right)/2+3 {
					t.Errorf("page %d: the page number is not centred (%.1f)", i+1, c)
				}
				continue
			}
			if v[0] < left-0.5 || v[2] > right+0.5 || v[1] < top-0.5 || v[3] > bottom+0.5 {
				t.Errorf("page %d: %q at (%.1f,%.1f)–(%.1f,%.1f) is outside the margins", i+1, m[5], v[0], v[1], v[2], v[3])
			}
			minX, maxX, minY = min(minX, v[0]), max(maxX, v[2]), min(minY, v[1])
		}
		if i == 0 && (minX > left+1 || maxX < right-2 || minY > top+1) {
			t.Errorf("page 1: the text spans (%.1f,%.1f)–%.1f, not the text area from (%.1f,%.1f) to %.1f", minX, minY, maxX, left, top, right)
		}
	}
}
