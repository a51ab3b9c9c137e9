package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	xfont "golang.org/x/image/font"
	"golang.org/x/text/unicode/norm"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Bar is one unit's figures. The five segments partition the unit's tasks
// that are still counted (stopped and carried-over tasks are left out).
type Bar struct {
	Label      string // unit name, e.g. "Sở Nội vụ"
	Done       int    // tasks completed
	InProgress int    // open, on track, being carried out
	NotStarted int    // open, on track, not started yet
	Awaiting   int    // open, on track, awaiting a chair's decision
	Overdue    int    // open past their deadline
}

// segments returns the figures in drawing order.
func (b Bar) segments() [nSegments]int {
	return [nSegments]int{b.Done, b.InProgress, b.NotStarted, b.Awaiting, b.Overdue}
}

// Total returns the sum of the five segments.
func (b Bar) Total() int {
	t := 0
	for _, v := range b.segments() {
		t += v
	}
	return t
}

// DonePercent returns the share of done tasks in percent, rounded half up
// (1/8 → 13, 1/3 → 33). It is 0 when the unit has no tasks.
func (b Bar) DonePercent() int {
	t := int64(b.Total())
	if t <= 0 || b.Done <= 0 {
		return 0
	}
	// floor(done*100/t + 1/2) in integer arithmetic.
	return int((200*int64(b.Done) + t) / (2 * t))
}

// Caption returns the annotation printed next to the bar:
// "done/total (pct%)", e.g. "7/12 (58%)". A unit without tasks gets "0/0".
func (b Bar) Caption() string {
	t := b.Total()
	if t == 0 {
		return "0/0"
	}
	return strconv.Itoa(b.Done) + "/" + strconv.Itoa(t) + " (" + strconv.Itoa(b.DonePercent()) + "%)"
}

// Legend holds the legend texts of the five segments. The caller supplies
// them from its (Vietnamese or English) catalog; an empty field falls back
// to English.
type Legend struct {
	Done       string // e.g. "Đã hoàn thành"
	InProgress string // e.g. "Đang thực hiện"
	NotStarted string // e.g. "Chưa triển khai"
	Awaiting   string // e.g. "Chờ quyết định"
	Overdue    string // e.g. "Quá hạn"
}

func (l Legend) names() [nSegments]string {
	return [nSegments]string{
		orDefault(l.Done, "Done"),
		orDefault(l.InProgress, "In progress"),
		orDefault(l.NotStarted, "Not started"),
		orDefault(l.Awaiting, "Awaiting decision"),
		orDefault(l.Overdue, "Overdue"),
	}
}

// Options controls Render.
type Options struct {
	// Title is drawn in bold above the chart (the committee's name, say);
	// empty means no title.
	Title string
	// Subtitle is drawn under the title (what and as of when, say
	// "Tiến độ theo đơn vị, đến ngày 03/12/2026"); empty means none.
	Subtitle string
	// Note is drawn on its own line under the subtitle, in the text's
	// colour: a figure the chart's bars do not show (the indicators, say
	// "Chỉ tiêu: 17/28 đạt"); empty means none.
	Note string
	// AxisLabel is drawn under the percentage axis; empty means none.
	AxisLabel string
	// Width and Height of the image in pixels. Zero selects the default:
	// DefaultWidth wide and tall enough to give every bar RowHeight pixels
	// (capped at MaxHeight). Values are clamped to [MinWidth, MaxWidth] and
	// [MinHeight, MaxHeight]; a Height too small to give each bar
	// MinRowHeight pixels is raised (within MaxHeight).
	Width, Height int
	// Legend texts.
	Legend Legend
	// NoData is the text shown when there are no bars; default "—".
	NoData string
}

// Size limits, in pixels.
const (
	DefaultWidth = 900
	RowHeight    = 48 // default height per bar
	MinRowHeight = 14 // below this labels are no longer legible
	MinWidth     = 400
	MaxWidth     = 4000
	MinHeight    = 160
	MaxHeight    = 6000 // Telegram accepts width+height ≤ 10000
)

// maxFigure bounds each figure so that sums and percentages cannot overflow.
const maxFigure = 1 << 28

// ErrTooManyBars is returned when the bars cannot get MinRowHeight pixels
// each even at MaxHeight.
var ErrTooManyBars = errors.New("chart: too many bars to fit in the maximum image height")

// ProgressPNG renders bars as a PNG horizontal stacked bar chart with the
// default size. See Render.
func ProgressPNG(title string, bars []Bar, legend Legend) ([]byte, error) {
	return Render(bars, Options{Title: title, Legend: legend})
}

// Render draws one horizontal bar per unit, in the order given, top to
// bottom. Each bar is 100 % of the unit's tasks, split into done, in
// progress, not started, awaiting a decision and overdue, each segment
// labelled with its count where it fits, and annotated with Bar.Caption.
// With no bars it returns a small chart showing the title and
// Options.NoData. Negative figures are an error.
func Render(bars []Bar, opt Options) ([]byte, error) {
	for i, b := range bars {
		for _, v := range b.segments() {
			if v < 0 {
				return nil, fmt.Errorf("chart: bar %d (%q) has a negative figure: %+v", i, b.Label, b)
			}
			if v > maxFigure {
				return nil, fmt.Errorf("chart: bar %d (%q) has a figure above %d", i, b.Label, maxFigure)
			}
		}
	}
	r := newRenderer(opt, len(bars))
	if r.rows > 0 && r.rowH < MinRowHeight {
		return nil, ErrTooManyBars
	}
	r.draw(bars)
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, r.canvas.Image()); err != nil {
		return nil, fmt.Errorf("chart: encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// Colours.
var (
	colDone       = color.RGBA{0x2E, 0x9D, 0x4F, 0xFF} // green
	colInProgress = color.RGBA{0x3D, 0x7E, 0xC9, 0xFF} // blue
	colNotStarted = color.RGBA{0xB4, 0xBC, 0xC6, 0xFF} // grey
	colAwaiting   = color.RGBA{0xF0, 0xA2, 0x2E, 0xFF} // amber
	colOverdue    = color.RGBA{0xD6, 0x45, 0x41, 0xFF} // red
	colText       = color.RGBA{0x21, 0x21, 0x21, 0xFF}
	colMuted      = color.RGBA{0x61, 0x61, 0x61, 0xFF}
	colGrid       = color.RGBA{0xE0, 0xE0, 0xE0, 0xFF}
	colAxis       = color.RGBA{0x9E, 0x9E, 0x9E, 0xFF}
	colZebra      = color.RGBA{0xF4, 0xF6, 0xF9, 0xFF}
	colWhite      = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
)

// nSegments is the number of segments of a bar.
const nSegments = 5

// segColours are the segments' colours, in drawing order.
var segColours = [nSegments]color.Color{colDone, colInProgress, colNotStarted, colAwaiting, colOverdue}

// segTextLight tells which segments take white count labels.
var segTextLight = [nSegments]bool{true, true, false, false, true}

// Layout, in pixels (the canvas runs at 72 dpi, so 1 pt = 1 px). The sizes
// are chosen for a phone: Telegram shows a 900-px image about 360 pt wide,
// so 18-px text reads as 7–8 pt.
const (
	pad         = 18.0
	titleSize   = 26.0
	subSize     = 19.0
	titleGap    = 12.0
	legendSize  = 17.0
	legendGap   = 16.0
	legendRowH  = legendSize * 1.5
	tickSize    = 15.0
	axisH       = 30.0 // tick marks + tick labels below the plot
	axisLabelH  = 26.0
	noDataRowH  = 80.0
	labelGap    = 10.0 // between label column and bars
	inset       = 8.0  // between the row background's edges and text
	captionGap  = 8.0  // between bar end and caption
	maxLabelPct = 0.36 // label column at most this share of the width
)

var (
	fonts   = font.NewCache(liberation.Collection())
	handler = text.Plain{Fonts: fonts}
	sans    = font.Font{Typeface: "Liberation", Variant: "Sans"}
)

func style(size float64, bold bool, clr color.Color, xa text.XAlignment) text.Style {
	f := sans
	if bold {
		f.Weight = xfont.WeightBold
	}
	return text.Style{
		Color:   clr,
		Font:    font.From(f, vg.Length(size)),
		XAlign:  xa,
		YAlign:  text.YCenter,
		Handler: handler,
	}
}

func textW(s text.Style, str string) float64 { return float64(s.Width(str)) }

type renderer struct {
	opt     Options
	w, h    float64
	rows    int
	rowH    float64
	title   string
	sub     string
	note    string
	axis    string
	legend  [][]int // legend entries per line
	top     float64 // y (from the top) of the first row
	canvas  *vgimg.Canvas
	c       draw.Canvas
	legendW [nSegments]float64
	names   [nSegments]string
}

// Legend swatch and spacing.
const swatch, swatchGap, itemGap = legendSize, 7.0, 24.0

func (r *renderer) headerHeight() float64 {
	h := pad
	if r.title != "" {
		h += titleSize * 1.25
	}
	if r.sub != "" {
		h += subSize * 1.3
	}
	if r.note != "" {
		h += subSize * 1.3
	}
	if r.title != "" || r.sub != "" || r.note != "" {
		h += titleGap
	}
	if r.rows > 0 {
		h += float64(len(r.legend))*legendRowH + legendGap
	}
	return h
}

func (r *renderer) footerHeight() float64 {
	if r.rows == 0 {
		return pad
	}
	h := axisH + pad
	if r.axis != "" {
		h += axisLabelH
	}
	return h
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }

func newRenderer(opt Options, rows int) *renderer {
	r := &renderer{opt: opt, rows: rows, title: cleanLabel(opt.Title), sub: cleanLabel(opt.Subtitle), note: cleanLabel(opt.Note), axis: cleanLabel(opt.AxisLabel)}
	w := DefaultWidth
	if opt.Width != 0 {
		w = clamp(opt.Width, MinWidth, MaxWidth)
	}
	r.w = float64(w)
	r.layoutLegend()
	over := r.headerHeight() + r.footerHeight()
	body := float64(rows) * RowHeight
	if rows == 0 {
		body = noDataRowH
	}
	h := clamp(int(math.Ceil(over+body)), MinHeight, MaxHeight)
	if opt.Height != 0 {
		minH := int(math.Ceil(over + float64(rows)*MinRowHeight))
		h = clamp(max(opt.Height, minH), MinHeight, MaxHeight)
	}
	r.h = float64(h)
	r.top = r.headerHeight()
	if rows > 0 {
		r.rowH = (r.h - over) / float64(rows)
	}
	return r
}

// layoutLegend shortens the legend's names to at most half the width each
// and breaks them into lines.
func (r *renderer) layoutLegend() {
	s := style(legendSize, false, colText, text.XLeft)
	avail := r.w - 2*pad
	r.legend = r.legend[:0]
	var line []int
	x := 0.0
	for i, n := range r.opt.Legend.names() {
		n = shorten(s, cleanLabel(n), avail/2-swatch-swatchGap)
		r.names[i] = n
		r.legendW[i] = swatch + swatchGap + textW(s, n)
		if len(line) > 0 && x+r.legendW[i] > avail {
			r.legend = append(r.legend, line)
			line, x = nil, 0
		}
		line = append(line, i)
		x += r.legendW[i] + itemGap
	}
	r.legend = append(r.legend, line)
}

// Drawing helpers; y is measured from the top of the image.

func (r *renderer) rect(x0, y0, x1, y1 float64, clr color.Color) {
	if x1 <= x0 || y1 <= y0 {
		return
	}
	var p vg.Path
	p.Move(vg.Point{X: vg.Length(x0), Y: vg.Length(r.h - y0)})
	p.Line(vg.Point{X: vg.Length(x1), Y: vg.Length(r.h - y0)})
	p.Line(vg.Point{X: vg.Length(x1), Y: vg.Length(r.h - y1)})
	p.Line(vg.Point{X: vg.Length(x0), Y: vg.Length(r.h - y1)})
	p.Close()
	r.c.SetColor(clr)
	r.c.Fill(p)
}

func (r *renderer) vline(x, y0, y1 float64, clr color.Color) {
	r.c.StrokeLine2(draw.LineStyle{Color: clr, Width: 1},
		vg.Length(x), vg.Length(r.h-y0), vg.Length(x), vg.Length(r.h-y1))
}

// text draws str with its vertical centre at y.
func (r *renderer) text(s text.Style, x, y float64, str string) {
	if str == "" {
		return
	}
	r.c.FillText(s, vg.Point{X: vg.Length(x), Y: vg.Length(r.h - y)}, str)
}

func (r *renderer) draw(bars []Bar) {
	r.canvas = vgimg.NewWith(
		vgimg.UseWH(vg.Length(r.w), vg.Length(r.h)),
		vgimg.UseDPI(72),
		vgimg.UseBackgroundColor(colWhite),
	)
	r.c = draw.New(r.canvas)

	y := pad
	if r.title != "" {
		ts := style(titleSize, true, colText, text.XLeft)
		r.text(ts, pad, y+titleSize*0.6, shorten(ts, r.title, r.w-2*pad))
		y += titleSize * 1.25
	}
	if r.sub != "" {
		ss := style(subSize, false, colMuted, text.XLeft)
		r.text(ss, pad, y+subSize*0.6, shorten(ss, r.sub, r.w-2*pad))
		y += subSize * 1.3
	}
	if r.note != "" {
		ns := style(subSize, false, colText, text.XLeft)
		r.text(ns, pad, y+subSize*0.6, shorten(ns, r.note, r.w-2*pad))
		y += subSize * 1.3
	}
	if r.title != "" || r.sub != "" || r.note != "" {
		y += titleGap
	}
	if len(bars) == 0 {
		r.noData(y)
		return
	}
	r.drawLegend(y)
	r.bars(bars)
}

func (r *renderer) noData(y float64) {
	msg := r.opt.NoData
	if msg == "" {
		msg = "—"
	}
	y1 := r.h - pad
	r.rect(pad, y, r.w-pad, y1, colZebra)
	s := style(legendSize+2, false, colMuted, text.XCenter)
	r.text(s, r.w/2, (y+y1)/2, shorten(s, cleanLabel(msg), r.w-4*pad))
}

func (r *renderer) drawLegend(y float64) {
	s := style(legendSize, false, colText, text.XLeft)
	for li, line := range r.legend {
		cy := y + float64(li)*legendRowH + legendSize*0.65
		x := pad
		for _, i := range line {
			r.rect(x, math.Round(cy-swatch/2), x+swatch, math.Round(cy-swatch/2)+swatch, segColours[i])
			r.text(s, x+swatch+swatchGap, cy, r.names[i])
			x += r.legendW[i] + itemGap
		}
	}
}

func (r *renderer) bars(bars []Bar) {
	n := len(bars)
	rowH := r.rowH
	fs := math.Max(10, math.Min(18, rowH*0.40))
	ls := style(fs, false, colText, text.XRight)
	cs := style(math.Max(10, fs-1), true, colText, text.XLeft)
	ns := style(math.Max(9, fs-3), true, colWhite, text.XCenter)
	nd := style(math.Max(9, fs-3), true, colText, text.XCenter)

	// Label column.
	labels := make([]string, n)
	maxLabel := (r.w-2*pad)*maxLabelPct - inset
	labelW := 0.0
	for i, b := range bars {
		labels[i] = shorten(ls, cleanLabel(b.Label), maxLabel)
		labelW = math.Max(labelW, textW(ls, labels[i]))
	}
	x0 := math.Round(pad+inset+labelW+labelGap) + 0.5

	// Every bar is 100 %; leave room for the widest caption on the right.
	captionW := 0.0
	captions := make([]string, n)
	for i, b := range bars {
		captions[i] = b.Caption()
		captionW = math.Max(captionW, textW(cs, captions[i]))
	}
	plotW := math.Max(20, r.w-pad-inset-x0-captionW-captionGap)
	xOf := func(pct float64) float64 { return x0 + pct/100*plotW }

	yTop := r.top
	yBot := r.top + rowH*float64(n)

	// Zebra rows, then grid, then bars and text on top.
	for i := 1; i < n; i += 2 {
		r.rect(pad, yTop+rowH*float64(i), r.w-pad, yTop+rowH*float64(i+1), colZebra)
	}
	step := 20.0
	if plotW < 250 {
		step = 50
	}
	ts := style(tickSize, false, colMuted, text.XCenter)
	for v := 0.0; v <= 100; v += step {
		x := math.Round(xOf(v)) + 0.5
		if v > 0 {
			r.vline(x, yTop, yBot, colGrid)
		}
		r.vline(x, yBot, yBot+4, colAxis)
		r.text(ts, x, yBot+4+tickSize*0.8, strconv.FormatFloat(v, 'f', -1, 64)+"%")
	}
	r.vline(x0, yTop, yBot+4, colAxis)
	if r.axis != "" {
		as := style(tickSize, false, colMuted, text.XCenter)
		r.text(as, x0+plotW/2, yBot+axisH+axisLabelH*0.45, shorten(as, r.axis, r.w-2*pad))
	}

	thick := math.Round(math.Min(rowH*0.66, 30))
	for i, b := range bars {
		cy := yTop + rowH*(float64(i)+0.5)
		by0 := math.Round(cy - thick/2)
		by1 := by0 + thick
		r.text(ls, x0-labelGap+0.5, cy, labels[i])

		total := b.Total()
		acc := 0
		for k, v := range b.segments() {
			if v == 0 {
				continue
			}
			xa, xb := xOf(float64(acc)*100/float64(total)), xOf(float64(acc+v)*100/float64(total))
			if xb-xa < 2 { // keep tiny non-zero segments visible
				xb = xa + 2
			}
			r.rect(xa, by0, xb, by1, segColours[k])
			st := nd
			if segTextLight[k] {
				st = ns
			}
			if label := strconv.Itoa(v); textW(st, label)+6 <= xb-xa {
				r.text(st, (xa+xb)/2, cy, label)
			}
			acc += v
		}
		cx := xOf(100) + captionGap
		if total == 0 {
			cx = x0 + captionGap
		}
		r.text(cs, cx, cy, captions[i])
	}
}

// niceStep returns a step of 1, 2 or 5 × 10^k (at least 1) that splits
// [0, maxV] into roughly target intervals.
func niceStep(maxV, target float64) float64 {
	raw := maxV / target
	if raw <= 1 {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / mag; {
	case f <= 1:
		return mag
	case f <= 2:
		return 2 * mag
	case f <= 5:
		return 5 * mag
	default:
		return 10 * mag
	}
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// cleanLabel normalises to NFC (so "Hoàn Kiếm" typed with combining marks
// uses the precomposed glyphs), turns control characters and runs of white
// space into single spaces and trims.
func cleanLabel(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = norm.NFC.String(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// shorten returns s, or its longest prefix followed by "…" that fits in
// maxW pixels.
func shorten(st text.Style, s string, maxW float64) string {
	if s == "" || textW(st, s) <= maxW {
		return s
	}
	const ell = "…"
	runes := []rune(s)
	fits := func(k int) bool {
		return textW(st, strings.TrimRight(string(runes[:k]), " ")+ell) <= maxW
	}
	lo, hi := 0, len(runes) // invariant: fits(lo) or lo == 0; !fits(hi)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if fits(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	// Do not separate a base letter from a following combining mark.
	for lo > 0 && lo < len(runes) && unicode.Is(unicode.Mn, runes[lo]) {
		lo--
	}
	return strings.TrimRight(string(runes[:lo]), " ") + ell
}
