package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/text/unicode/norm"
)

// The PDF is laid out here line by line with fpdf (MIT licensed, the
// maintained fork of gofpdf), in Liberation Serif embedded as a subset:
// the metrics of Times New Roman, every Vietnamese letter.

const family = "serif"

// Vertical metrics of Liberation Serif, in ems.
const (
	ascent  = 0.891
	descent = 0.216
)

func mm(pt float64) float64 { return pt * 25.4 / 72 }

// lineHeight returns the height of a line of text at size points, in mm.
func lineHeight(size float64) float64 { return mm(size * lineFactor) }

// pdfWriter lays a document out on pages.
type pdfWriter struct {
	f         *fpdf.Fpdf
	w, h      float64 // the current page's size
	landscape bool
	y         float64 // where the next line starts
	font      fontKey // the font last set: fpdf writes every SetFont into the page
	spaces    map[fontKey]float64
}

// fontKey is a style at a size.
type fontKey struct {
	bold, italic bool
	size         float64
}

// writePDF writes d as a PDF dated now.
func writePDF(w io.Writer, d *document, now time.Time) error {
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: fpdf.SizeType{Wd: pageW, Ht: pageH}})
	for _, st := range []struct {
		style        string
		bold, italic bool
	}{{"", false, false}, {"B", true, false}, {"I", false, true}, {"BI", true, true}} {
		f.AddUTF8FontFromBytes(family, st.style, ttf(st.bold, st.italic))
	}
	f.SetMargins(marginLeft, marginTop, marginRight)
	f.SetAutoPageBreak(false, marginBottom) // pages are broken here, row by row
	f.SetCreationDate(now.UTC())            // written without a zone: read as UTC
	f.SetModificationDate(now.UTC())
	f.SetTitle(norm.NFC.String(d.title), true)
	f.SetAuthor(norm.NFC.String(d.who), true)
	f.SetCreator("steerbot", true)
	if d.lang == "en" {
		f.SetLang("en-GB")
	} else {
		f.SetLang("vi-VN")
	}
	p := &pdfWriter{f: f, spaces: map[fontKey]float64{}}
	// Nghị định 30/2020: the page number at the top centre, from page 2.
	f.SetHeaderFunc(func() {
		if n := f.PageNo(); n > 1 {
			// Not p.setFont: fpdf sets the page's font back after the header.
			f.SetFont(family, "", sizePageNo)
			s := strconv.Itoa(n)
			w, _ := f.GetPageSize() // of the page being started
			f.Text((w+marginLeft-marginRight-f.GetStringWidth(s))/2, headerY+mm(sizePageNo)*ascent, s)
		}
	})
	p.newPage(false)
	p.document(d)
	if err := f.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

func (p *pdfWriter) setFont(bold, italic bool, size float64) {
	k := fontKey{bold, italic, size}
	if k == p.font {
		return
	}
	p.font = k
	style := ""
	if bold {
		style += "B"
	}
	if italic {
		style += "I"
	}
	p.f.SetFont(family, style, size)
}

// newPage starts an A4 page, landscape or not.
func (p *pdfWriter) newPage(landscape bool) {
	if landscape {
		p.f.AddPageFormat("L", fpdf.SizeType{Wd: pageW, Ht: pageH})
	} else {
		p.f.AddPageFormat("P", fpdf.SizeType{Wd: pageW, Ht: pageH})
	}
	p.landscape = landscape
	p.w, p.h = p.f.GetPageSize()
	p.y = marginTop
}

// room reports whether h mm fit on the page from the current line.
func (p *pdfWriter) room(h float64) bool { return p.y+h <= p.h-marginBottom+0.01 }

// ensure starts a new page unless h mm fit on this one.
func (p *pdfWriter) ensure(h float64) {
	if !p.room(h) {
		p.newPage(p.landscape)
	}
}

// word is a word in one style, measured.
type word struct {
	text         string
	bold, italic bool
	width        float64
}

// line is a line of words; br is true when the text broke it (not the
// width), so that a justified paragraph leaves it ragged.
type line struct {
	words []word
	width float64 // of the words and the spaces between them
	br    bool
}

// layout breaks spans into lines: the first w-first wide, the others w.
func (p *pdfWriter) layout(spans []span, size, w, first float64) []line {
	var lines []line
	cur := line{}
	limit := w - first
	space := func(bold, italic bool) float64 { return p.space(bold, italic, size) }
	push := func(br bool) {
		cur.br = br
		lines = append(lines, cur)
		cur = line{}
		limit = w
	}
	for _, sp := range spans {
		paras := strings.Split(clean(strings.ReplaceAll(sp.text, "\r", "")), "\n")
		for i, text := range paras {
			if i > 0 {
				push(true)
			}
			p.setFont(sp.bold, sp.italic, size)
			// Words break at spaces and tabs, not at the no-break
			// spaces of a blank left to fill in.
			for _, t := range strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '\t' }) {
				for _, piece := range p.split(t, w) {
					ww := p.f.GetStringWidth(piece)
					gap := 0.0
					if len(cur.words) > 0 {
						gap = space(sp.bold, sp.italic)
					}
					if len(cur.words) > 0 && cur.width+gap+ww > limit {
						push(false)
						gap = 0
					}
					cur.words = append(cur.words, word{text: piece, bold: sp.bold, italic: sp.italic, width: ww})
					cur.width += gap + ww
				}
			}
		}
	}
	push(true)
	return lines
}

// space returns the width of a space in a style.
func (p *pdfWriter) space(bold, italic bool, size float64) float64 {
	k := fontKey{bold, italic, size}
	w, ok := p.spaces[k]
	if !ok {
		p.setFont(bold, italic, size)
		w = p.f.GetStringWidth(" ")
		p.spaces[k] = w
	}
	return w
}

// split cuts a word wider than w (a long code, a link) into pieces that fit.
func (p *pdfWriter) split(t string, w float64) []string {
	if p.f.GetStringWidth(t) <= w {
		return []string{t}
	}
	var pieces []string
	start := 0
	for i := range t {
		if i > start && p.f.GetStringWidth(t[start:i+runeLen(t[i:])]) > w {
			pieces = append(pieces, t[start:i])
			start = i
		}
	}
	return append(pieces, t[start:])
}

func runeLen(s string) int {
	_, n := utf8.DecodeRuneInString(s)
	return n
}

// drawLine draws l with its top at y in a box from x, w wide.
func (p *pdfWriter) drawLine(l line, a align, x, y, w, size float64, last bool) {
	base := y + (lineHeight(size)-mm(size)*(ascent+descent))/2 + mm(size)*ascent
	extra := w - l.width
	gap := 0.0
	switch {
	case a == alignCenter:
		x += extra / 2
	case a == alignRight:
		x += extra
	case a == alignJustify && !l.br && !last && len(l.words) > 1:
		gap = extra / float64(len(l.words)-1)
	}
	if gap == 0 && oneStyle(l.words) {
		// One string for the line: a fifth of the drawing commands.
		texts := make([]string, len(l.words))
		for i, wd := range l.words {
			texts[i] = wd.text
		}
		if len(l.words) > 0 {
			p.setFont(l.words[0].bold, l.words[0].italic, size)
			p.f.Text(x, base, strings.Join(texts, " "))
		}
		return
	}
	for i, wd := range l.words {
		if i > 0 {
			x += p.space(wd.bold, wd.italic, size) + gap
		}
		p.setFont(wd.bold, wd.italic, size)
		p.f.Text(x, base, wd.text)
		x += wd.width
	}
}

func oneStyle(ws []word) bool {
	for _, w := range ws[min(1, len(ws)):] {
		if w.bold != ws[0].bold || w.italic != ws[0].italic {
			return false
		}
	}
	return true
}

// paragraph lays out and draws a paragraph across the text width, or in a
// column from x, w wide when w > 0; it breaks pages only in the full width.
func (p *pdfWriter) paragraph(par para, x, w float64) {
	full := w == 0
	if full {
		x, w = marginLeft, p.w-marginLeft-marginRight
	}
	indent := 0.0
	if par.indent {
		indent = indentBody
	}
	lines := p.layout(par.spans, par.size, w, indent)
	lh := lineHeight(par.size)
	p.y += mm(par.before)
	if full && par.keepNext {
		p.ensure(lh * float64(len(lines)+2))
	}
	for i, l := range lines {
		if full {
			p.ensure(lh)
		}
		lx, lw := x, w
		if i == 0 {
			lx, lw = x+indent, w-indent
		}
		p.drawLine(l, par.align, lx, p.y, lw, par.size, i == len(lines)-1)
		p.y += lh
	}
	p.y += mm(par.after)
}

// text draws one line of one style (or several, at "\n") in a column.
func (p *pdfWriter) text(s string, bold, italic bool, size float64, a align, x, w float64) {
	p.paragraph(para{spans: []span{{text: s, bold: bold, italic: italic}}, size: size, align: a}, x, w)
}

// rule draws r centred in the column from x, w wide, below the last line.
func (p *pdfWriter) rule(r rule, x, w float64) {
	y := p.y + 1.2
	p.f.SetLineWidth(0.3)
	p.f.Line(x+(w-r.width)/2, y, x+(w+r.width)/2, y)
	p.y = y + 1
}

// cellLines wraps a cell's text to its column.
func (p *pdfWriter) cellLines(s string, bold bool, size, w float64) []line {
	return p.layout([]span{{text: s, bold: bold}}, size, w-2*cellPadH, 0)
}

// row draws one table row at the current line; it returns false, drawing
// nothing, when the row does not fit on the page.
func (p *pdfWriter) row(t *table, cells []string, head, bold bool, force bool) bool {
	lh := lineHeight(t.size)
	wrapped := make([][]line, len(t.cols))
	n := 1
	for i, c := range t.cols {
		wrapped[i] = p.cellLines(cells[i], head || bold, t.size, c.width)
		n = max(n, len(wrapped[i]))
	}
	// A row never runs off a page: an immense note is cut.
	maxLines := int((p.h - marginTop - marginBottom - 4*lh - 2*cellPadV) / lh)
	if n > maxLines {
		n = maxLines
		for i := range wrapped {
			if len(wrapped[i]) > n {
				wrapped[i] = wrapped[i][:n]
				last := &wrapped[i][n-1]
				last.words = append(last.words, word{text: "…", width: 0})
			}
		}
	}
	h := float64(n)*lh + 2*cellPadV
	if !force && !p.room(h) {
		return false
	}
	x := marginLeft
	p.f.SetLineWidth(0.2)
	for i, c := range t.cols {
		p.f.Rect(x, p.y, c.width, h, "D")
		a := c.align
		if head {
			a = alignCenter
		}
		// Centred vertically, as Word's cells are set.
		y := p.y + cellPadV + (float64(n-len(wrapped[i]))*lh)/2
		for _, l := range wrapped[i] {
			p.drawLine(l, a, x+cellPadH, y, c.width-2*cellPadH, t.size, true)
			y += lh
		}
		x += c.width
	}
	p.y += h
	return true
}

// table draws a table, its header again at the top of every page.
func (p *pdfWriter) table(t *table) {
	lh := lineHeight(t.size)
	// The header and a first row together, or neither.
	p.ensure(4*lh + 4*cellPadV)
	p.row(t, t.head, true, false, true)
	for i, r := range t.rows {
		if !p.row(t, r, false, t.bold[i], false) {
			p.newPage(p.landscape)
			p.row(t, t.head, true, false, true)
			p.row(t, r, false, t.bold[i], true)
		}
	}
}

// document draws d.
func (p *pdfWriter) document(d *document) {
	tw := textWidth(pageW)
	motto := tw - orgColumn
	left, right := marginLeft, marginLeft+orgColumn

	// The issuing body (left) and the national motto (right), then "Số:"
	// and the place and date on one line.
	top := p.y
	if d.parent != "" {
		p.text(d.parent, false, false, sizeOrg, alignCenter, left, orgColumn)
	}
	p.text(strings.Join(d.issuer, "\n"), true, false, sizeOrg, alignCenter, left, orgColumn)
	p.rule(d.orgRule, left, orgColumn)
	yl := p.y
	p.y = top
	p.text(d.motto1, true, false, sizeMotto1, alignCenter, right, motto)
	p.text(d.motto2, true, false, sizeMotto2, alignCenter, right, motto)
	p.rule(d.mottoRule, right, motto)
	p.y = max(p.y, yl) + 1
	top = p.y
	p.text(d.number, false, false, sizeNumber, alignCenter, left, orgColumn)
	p.y = top
	p.text(d.placeDate, false, true, sizeDate, alignCenter, right, motto)

	for _, h := range d.heading {
		p.paragraph(h, 0, 0)
	}
	p.rule(d.titleRule, marginLeft, tw)
	p.y += mm(6)
	for _, b := range d.body {
		if b.p != nil {
			p.paragraph(*b.p, 0, 0)
		} else {
			p.table(b.t)
			p.y += mm(afterBody)
		}
	}

	// Recipients (left) and the signer (right), on one page.
	sign := tw - sendColumn
	recvH := lineHeight(sizeRecvHead) + float64(len(d.recipients))*lineHeight(sizeRecv)
	signH := 7 * lineHeight(sizeSigner)
	p.y += mm(6)
	p.ensure(max(recvH, signH))
	top = p.y
	p.text(d.recvHead, true, true, sizeRecvHead, alignLeft, left, sendColumn)
	for _, r := range d.recipients {
		p.text(r, false, false, sizeRecv, alignLeft, left, sendColumn)
	}
	p.y = top
	p.text(d.signFor, true, false, sizeSigner, alignCenter, left+sendColumn, sign)
	if d.signer != "" {
		p.text(d.signer, true, false, sizeSigner, alignCenter, left+sendColumn, sign)
	}
	p.y += 4 * lineHeight(sizeSigner)
	p.text(d.signerName, true, false, sizeSigner, alignCenter, left+sendColumn, sign)

	// The annex, landscape.
	p.newPage(true)
	for _, h := range d.annexHead {
		p.paragraph(h, 0, 0)
	}
	p.table(&d.annex)
}
