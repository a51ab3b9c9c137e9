package report

// The report is built once as a document model that both writers render,
// so that the DOCX and the PDF cannot say different things. Lengths are in
// millimetres, font sizes in points.

// Page geometry, Nghị định 30/2020/NĐ-CP: A4, margins top and bottom
// 20–25 mm, left 30–35 mm, right 15–20 mm. We take the narrow end of each
// range: the tables need the width.
const (
	pageW        = 210.0
	pageH        = 297.0
	marginTop    = 20.0
	marginBottom = 20.0
	marginLeft   = 30.0
	marginRight  = 15.0
	headerY      = 10.0 // the page number's line, inside the top margin
)

// textWidth returns the width between the margins of a page of width w.
func textWidth(w float64) float64 { return w - marginLeft - marginRight }

// Font sizes, within the ranges of Nghị định 30/2020.
const (
	sizeBody     = 14.0 // body text: 13–14
	sizeOrg      = 12.0 // the issuing body's block: 12–13
	sizeMotto1   = 12.0 // quốc hiệu: 12–13
	sizeMotto2   = 13.0 // tiêu ngữ: 13–14
	sizeNumber   = 13.0
	sizeDate     = 14.0 // place and date, italic: 13–14
	sizeTitle    = 14.0 // "BÁO CÁO" and its subject: 13–14
	sizeTable    = 12.0
	sizeAnnex    = 11.0
	sizeRecvHead = 12.0 // "Nơi nhận:", bold italic
	sizeRecv     = 11.0
	sizeSigner   = 14.0
	sizePageNo   = 13.0

	cellPadH   = 1.0  // a table cell's inner margin, left and right
	cellPadV   = 0.5  // and top and bottom
	lineFactor = 1.15 // single line spacing of Times New Roman and Liberation Serif
	indentBody = 10.0 // first-line indent of body paragraphs: 10–12.7 mm
	afterBody  = 6.0  // points after a body paragraph: at least 6
)

// The two-column blocks: the issuing body (left) and the national motto
// (right) at the top; recipients (left) and the signer (right) at the end.
const (
	orgColumn  = 70.0
	sendColumn = 80.0
)

// align is a paragraph's or a column's alignment.
type align uint8

const (
	alignLeft align = iota
	alignCenter
	alignRight
	alignJustify
)

// span is a run of text in one style. A "\n" in text breaks the line.
type span struct {
	text         string
	bold, italic bool
}

// para is a paragraph.
type para struct {
	spans    []span
	size     float64
	align    align
	indent   bool    // first line indented by indentBody
	before   float64 // points
	after    float64 // points
	keepNext bool    // on the same page as what follows
}

// text returns the paragraph's text in one string.
func (p para) text() string {
	s := ""
	for _, sp := range p.spans {
		s += sp.text
	}
	return s
}

// rule is a horizontal line of width mm, centred in its column.
type rule struct{ width float64 }

// column is a table column: a share of the text width and an alignment.
type column struct {
	width float64 // mm
	align align
}

// table is a bordered table whose header row repeats on every page.
type table struct {
	cols []column
	head []string
	rows [][]string
	bold []bool // per row: a total line
	size float64
}

// block is a paragraph or a table in the body.
type block struct {
	p *para
	t *table
}

// document is a report ready to render.
type document struct {
	lang  string
	title string // metadata: the subject line
	who   string // metadata: the issuer

	// The top blocks. org holds the parent line and the issuer's lines
	// (pre-wrapped, so that both writers break them alike).
	parent    string
	issuer    []string
	orgRule   rule
	number    string
	motto1    string
	motto2    string
	mottoRule rule
	placeDate string

	heading    []para // "BÁO CÁO" and the subject lines
	titleRule  rule
	body       []block
	recvHead   string
	recipients []string
	signFor    string
	signer     string
	signerName string

	annexHead []para
	annex     table
}
