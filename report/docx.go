package report

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
)

// The DOCX is WordprocessingML written with the standard library: a zip of
// a few XML parts, no template and no third-party code to license.

// twips converts millimetres to twentieths of a point.
func twips(mm float64) int { return int(math.Round(mm * 1440 / 25.4)) }

// halfPoints converts a font size to w:sz's unit.
func halfPoints(pt float64) int { return int(math.Round(pt * 2)) }

const (
	nsW = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	nsR = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
)

var docxStatic = map[string]string{
	"[Content_Types].xml": xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
		`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
		`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
		`<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
		`<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
		`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
		`</Types>`,
	"_rels/.rels": xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
		`</Relationships>`,
	"word/_rels/document.xml.rels": xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
		`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
		`<Relationship Id="rIdPageNo" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>` +
		`<Relationship Id="rIdFirst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>` +
		`</Relationships>`,
	"word/settings.xml": xml.Header + `<w:settings ` + nsW + `><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`,
	// Nghị định 30/2020: the page number at the top centre, from the second page.
	"word/header1.xml": xml.Header + `<w:hdr ` + nsW + `><w:p><w:pPr><w:jc w:val="center"/></w:pPr>` +
		`<w:r><w:rPr><w:sz w:val="` + fmt.Sprint(halfPoints(sizePageNo)) + `"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>` +
		`<w:r><w:rPr><w:sz w:val="` + fmt.Sprint(halfPoints(sizePageNo)) + `"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
		`<w:r><w:rPr><w:sz w:val="` + fmt.Sprint(halfPoints(sizePageNo)) + `"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r>` +
		`<w:r><w:rPr><w:sz w:val="` + fmt.Sprint(halfPoints(sizePageNo)) + `"/></w:rPr><w:t>2</w:t></w:r>` +
		`<w:r><w:rPr><w:sz w:val="` + fmt.Sprint(halfPoints(sizePageNo)) + `"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>`,
	"word/header2.xml": xml.Header + `<w:hdr ` + nsW + `><w:p/></w:hdr>`,
}

// docxStyles is the styles part: Times New Roman 14 in Vietnamese, single
// spacing, for every paragraph that does not say otherwise.
func docxStyles(lang string) string {
	l := "vi-VN"
	if lang == "en" {
		l = "en-GB"
	}
	return xml.Header + `<w:styles ` + nsW + `><w:docDefaults><w:rPrDefault><w:rPr>` +
		`<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>` +
		fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/><w:lang w:val="%s"/>`, halfPoints(sizeBody), halfPoints(sizeBody), l) +
		`</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
		`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>` +
		`<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="85" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
		`</w:styles>`
}

// docxWriter writes document.xml.
type docxWriter struct {
	b *bufio.Writer
}

func (x *docxWriter) s(s string) { x.b.WriteString(s) }

func (x *docxWriter) f(format string, args ...any) { fmt.Fprintf(x.b, format, args...) }

// text writes the runs of one span, a "\n" as a line break.
func (x *docxWriter) text(sp span, size float64) {
	rpr := ""
	if sp.bold {
		rpr += "<w:b/><w:bCs/>"
	}
	if sp.italic {
		rpr += "<w:i/><w:iCs/>"
	}
	if size != sizeBody {
		rpr += fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, halfPoints(size), halfPoints(size))
	}
	x.s("<w:r>")
	if rpr != "" {
		x.s("<w:rPr>" + rpr + "</w:rPr>")
	}
	for i, line := range strings.Split(strings.ReplaceAll(clean(sp.text), "\r", ""), "\n") {
		if i > 0 {
			x.s("<w:br/>")
		}
		x.s(`<w:t xml:space="preserve">`)
		xml.EscapeText(x.b, []byte(line))
		x.s("</w:t>")
	}
	x.s("</w:r>")
}

var jc = map[align]string{alignLeft: "left", alignCenter: "center", alignRight: "right", alignJustify: "both"}

// para writes a paragraph; sect is a section's properties when the
// paragraph ends one. The children of w:pPr keep the schema's order.
func (x *docxWriter) para(p para, sect string) {
	x.s("<w:p><w:pPr>")
	if p.keepNext {
		x.s("<w:keepNext/>")
	}
	x.f(`<w:spacing w:before="%d" w:after="%d" w:line="%d" w:lineRule="auto"/>`, int(p.before*20), int(p.after*20), 240)
	if p.indent {
		x.f(`<w:ind w:firstLine="%d"/>`, twips(indentBody))
	}
	x.f(`<w:jc w:val="%s"/>`, jc[p.align])
	if len(p.spans) == 0 && p.size != 0 {
		// An empty paragraph is as tall as its mark.
		x.f(`<w:rPr><w:sz w:val="%d"/><w:szCs w:val="%d"/></w:rPr>`, halfPoints(p.size), halfPoints(p.size))
	}
	x.s(sect + "</w:pPr>")
	for _, sp := range p.spans {
		x.text(sp, p.size)
	}
	x.s("</w:p>")
}

// line writes a one-line paragraph of one style.
func (x *docxWriter) line(s string, bold, italic bool, size float64, a align) {
	x.para(para{spans: []span{{text: s, bold: bold, italic: italic}}, size: size, align: a}, "")
}

// rule writes a short horizontal line centred in a column of width col: the
// top border of an empty, tiny paragraph indented from both sides.
func (x *docxWriter) rule(r rule, col float64) {
	side := twips(max(0, (col-r.width)/2))
	x.f(`<w:p><w:pPr><w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>`+
		`<w:spacing w:before="60" w:after="0" w:line="120" w:lineRule="exact"/><w:ind w:left="%d" w:right="%d"/>`+
		`<w:rPr><w:sz w:val="4"/></w:rPr></w:pPr></w:p>`, side, side)
}

// gridTable opens a table of the given column widths (mm); borders or not.
func (x *docxWriter) gridTable(widths []float64, borders bool) {
	total := 0
	for _, w := range widths {
		total += twips(w)
	}
	// The children of w:tblPr keep the schema's order.
	x.f(`<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/>`, total)
	if borders {
		x.s(`<w:tblBorders>`)
		for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
			x.f(`<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
		}
		x.s(`</w:tblBorders><w:tblLayout w:type="fixed"/>`)
		x.f(`<w:tblCellMar><w:top w:w="%d" w:type="dxa"/><w:left w:w="%d" w:type="dxa"/><w:bottom w:w="%d" w:type="dxa"/><w:right w:w="%d" w:type="dxa"/></w:tblCellMar>`,
			twips(cellPadV), twips(cellPadH), twips(cellPadV), twips(cellPadH))
	} else {
		x.s(`<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>`)
	}
	x.s(`<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		x.f(`<w:gridCol w:w="%d"/>`, twips(w))
	}
	x.s(`</w:tblGrid>`)
}

// cell writes a table cell; the bordered tables centre their cells
// vertically, the blocks at the top and the end align them at the top.
func (x *docxWriter) cell(width float64, v string, fill func()) {
	x.f(`<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:vAlign w:val="%s"/></w:tcPr>`, twips(width), v)
	fill()
	x.s(`</w:tc>`)
}

// table writes a bordered table whose header row repeats on each page and
// whose rows never split across pages.
func (x *docxWriter) table(t *table) {
	widths := make([]float64, len(t.cols))
	for i, c := range t.cols {
		widths[i] = c.width
	}
	x.gridTable(widths, true)
	row := func(cells []string, head, bold bool) {
		x.s(`<w:tr><w:trPr><w:cantSplit/>`)
		if head {
			x.s(`<w:tblHeader/>`)
		}
		x.s(`</w:trPr>`)
		for i, c := range t.cols {
			a := c.align
			if head {
				a = alignCenter
			}
			x.cell(c.width, "center", func() { x.line(cells[i], head || bold, false, t.size, a) })
		}
		x.s(`</w:tr>`)
	}
	row(t.head, true, false)
	for i, r := range t.rows {
		row(r, false, t.bold[i])
	}
	x.s(`</w:tbl>`)
}

// sectPr returns a section's properties: A4 portrait or landscape, the
// standard margins, the page number at the top from the second page.
func sectPr(landscape, first bool) string {
	w, h, orient := twips(pageW), twips(pageH), ""
	if landscape {
		w, h, orient = h, w, ` w:orient="landscape"`
	}
	s := `<w:sectPr><w:headerReference w:type="default" r:id="rIdPageNo"/>`
	if first {
		s += `<w:headerReference w:type="first" r:id="rIdFirst"/>`
	}
	s += fmt.Sprintf(`<w:type w:val="nextPage"/><w:pgSz w:w="%d" w:h="%d"%s/>`, w, h, orient)
	s += fmt.Sprintf(`<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="%d" w:footer="%d" w:gutter="0"/>`,
		twips(marginTop), twips(marginRight), twips(marginBottom), twips(marginLeft), twips(headerY), twips(headerY))
	if first {
		s += `<w:titlePg/>`
	}
	return s + `</w:sectPr>`
}

// writeDOCX writes d as a DOCX.
func writeDOCX(w io.Writer, d *document) error {
	z := zip.NewWriter(w)
	part := func(name string, write func(io.Writer) error) error {
		f, err := z.Create(name)
		if err != nil {
			return fmt.Errorf("create %s: %w", name, err)
		}
		if err := write(f); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		return nil
	}
	str := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/settings.xml", "word/header1.xml", "word/header2.xml"} {
		if err := part(name, str(docxStatic[name])); err != nil {
			return err
		}
	}
	if err := part("word/styles.xml", str(docxStyles(d.lang))); err != nil {
		return err
	}
	var core strings.Builder
	core.WriteString(xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>`)
	xml.EscapeText(&core, []byte(clean(d.title)))
	core.WriteString(`</dc:title><dc:creator>`)
	xml.EscapeText(&core, []byte(clean(d.who)))
	core.WriteString(`</dc:creator></cp:coreProperties>`)
	if err := part("docProps/core.xml", str(core.String())); err != nil {
		return err
	}
	if err := part("word/document.xml", func(w io.Writer) error {
		x := &docxWriter{b: bufio.NewWriterSize(w, 64<<10)}
		x.document(d)
		return x.b.Flush()
	}); err != nil {
		return err
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("close zip: %w", err)
	}
	return nil
}

// document writes document.xml.
func (x *docxWriter) document(d *document) {
	x.s(xml.Header + `<w:document ` + nsW + ` ` + nsR + `><w:body>`)
	tw := textWidth(pageW)
	motto := tw - orgColumn

	// The issuing body (left) and the national motto (right); a second row
	// puts "Số:" and the place and date on one line.
	x.gridTable([]float64{orgColumn, motto}, false)
	x.s(`<w:tr>`)
	x.cell(orgColumn, "top", func() {
		if d.parent != "" {
			x.line(d.parent, false, false, sizeOrg, alignCenter)
		}
		x.line(strings.Join(d.issuer, "\n"), true, false, sizeOrg, alignCenter)
		x.rule(d.orgRule, orgColumn)
	})
	x.cell(motto, "top", func() {
		x.line(d.motto1, true, false, sizeMotto1, alignCenter)
		x.line(d.motto2, true, false, sizeMotto2, alignCenter)
		x.rule(d.mottoRule, motto)
	})
	x.s(`</w:tr><w:tr>`)
	x.cell(orgColumn, "top", func() { x.line(d.number, false, false, sizeNumber, alignCenter) })
	x.cell(motto, "top", func() { x.line(d.placeDate, false, true, sizeDate, alignCenter) })
	x.s(`</w:tr></w:tbl>`)

	for _, p := range d.heading {
		x.para(p, "")
	}
	x.rule(d.titleRule, tw)
	x.para(para{size: 6}, "")
	for _, b := range d.body {
		if b.p != nil {
			x.para(*b.p, "")
		} else {
			x.table(b.t)
			x.para(para{size: 6, after: 0}, "")
		}
	}

	// Recipients (left) and the signer (right), kept on one page.
	sign := tw - sendColumn
	x.para(para{size: 6}, "")
	x.gridTable([]float64{sendColumn, sign}, false)
	x.s(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
	x.cell(sendColumn, "top", func() {
		x.line(d.recvHead, true, true, sizeRecvHead, alignLeft)
		for _, r := range d.recipients {
			x.line(r, false, false, sizeRecv, alignLeft)
		}
	})
	x.cell(sign, "top", func() {
		x.line(d.signFor, true, false, sizeSigner, alignCenter)
		if d.signer != "" {
			x.line(d.signer, true, false, sizeSigner, alignCenter)
		}
		for range 4 {
			x.line("", false, false, sizeSigner, alignCenter)
		}
		x.line(d.signerName, true, false, sizeSigner, alignCenter)
	})
	x.s(`</w:tr></w:tbl>`)
	// The body's section ends here; the annex is landscape.
	x.para(para{size: 2}, sectPr(false, true))

	for _, p := range d.annexHead {
		x.para(p, "")
	}
	x.table(&d.annex)
	x.s(sectPr(true, false))
	x.s(`</w:body></w:document>`)
}
