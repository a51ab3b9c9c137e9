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

// Bar is one unit's figures.
type Bar struct {
	Label   string // unit name, e.g. "Sở Nội vụ"
	Done    int    // tasks completed
	Open    int    // tasks open and still on track
	Overdue int    // tasks open past their deadline
}

// Total returns Done+Open+Overdue.
func (b Bar) Total() int { return b.Done + b.Open + b.Overdue }

// DonePercent returns the share of done tasks in percent, rounded half up
// (1/8 → 13, 1/3 → 33). It is 0 when the unit has no tasks.
func (b Bar) DonePercent() int {
	t := int64(b.Done) + int64(b.Open) + int64(b.Overdue)
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

// Legend holds the legend texts of the three segments. The caller supplies
// them from its (Vietnamese or English) catalog; an empty field falls back
// to the English "Done", "Open" or "Overdue".
type Legend struct {
	Done    string // e.g. "Đã hoàn thành"
	Open    string // e.g. "Đang thực hiện, đúng hạn"
	Overdue string // e.g. "Quá hạn"
}

// Options controls Render.
type Options struct {
	// Title is drawn in bold above the chart; empty means no title.
	Title string
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
	DefaultWidth = 1000
	RowHeight    = 40 // default height per bar
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

// Render draws one horizontal stacked bar per unit, in the order given,
// top to bottom: done, open on track and overdue, each annotated with
// Bar.Caption. With no bars it returns a small chart showing the title
// and Options.NoData. Negative figures are an error.
func Render(bars []Bar, opt Options) ([]byte, error) {
	for i, b := range bars {
		if b.Done < 0 || b.Open < 0 || b.Overdue < 0 {
			return nil, fmt.Errorf("chart: bar %d (%q) has a negative figure: done=%d open=%d overdue=%d",
				i, b.Label, b.Done, b.Open, b.Overdue)
		}
		if b.Done > maxFigure || b.Open > maxFigure || b.Overdue > maxFigure {
			return nil, fmt.Errorf("chart: bar %d (%q) has a figure above %d", i, b.Label, maxFigure)
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
	colDone    = color.RGBA{0x2E, 0x9D, 0x4F, 0xFF} // green
	colOpen    = color.RGBA{0x4A, 0x90, 0xD9, 0xFF} // blue
	colOverdue = color.RGBA{0xD6, 0x45, 0x41, 0xFF} // red
	colText    = color.RGBA{0x21, 0x21, 0x21, 0xFF}
	colMuted   = color.RGBA{0x61, 0x61, 0x61, 0xFF}
	colGrid    = color.RGBA{0xE0, 0xE0, 0xE0, 0xFF}
	colAxis    = color.RGBA{0x9E, 0x9E, 0x9E, 0xFF}
	colZebra   = color.RGBA{0xF4, 0xF6, 0xF9, 0xFF}
	colWhite   = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
)

// Layout, in pixels (the canvas runs at 72 dpi, so 1 pt = 1 px).
const (
	pad         = 16.0
	titleSize   = 22.0
	titleGap    = 10.0
	legendSize  = 14.0
	legendGap   = 14.0
	tickSize    = 12.0
	axisH       = 26.0 // tick marks + tick labels below the plot
	noDataRowH  = 80.0
	labelGap    = 10.0 // between label column and bars
	inset       = 8.0  // between the row background's edges and text
	captionGap  = 6.0  // between bar end and caption
	maxLabelPct = 0.38 // label column at most this share of the width
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
	opt    Options
	w, h   float64
	rows   int
	rowH   float64
	title  string
	top    float64 // y (from the top) of the first row
	canvas *vgimg.Canvas
	c      draw.Canvas
}

func headerHeight(title string, rows int) float64 {
	h := pad
	if title != "" {
		h += titleSize*1.2 + titleGap
	}
	if rows > 0 {
		h += legendSize*1.3 + legendGap
	}
	return h
}

func footerHeight(rows int) float64 {
	if rows == 0 {
		return pad
	}
	return axisH + pad
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }

func newRenderer(opt Options, rows int) *renderer {
	title := cleanLabel(opt.Title)
	over := headerHeight(title, rows) + footerHeight(rows)
	w := DefaultWidth
	if opt.Width != 0 {
		w = clamp(opt.Width, MinWidth, MaxWidth)
	}
	body := float64(rows) * RowHeight
	if rows == 0 {
		body = noDataRowH
	}
	h := clamp(int(math.Ceil(over+body)), MinHeight, MaxHeight)
	if opt.Height != 0 {
		minH := int(math.Ceil(over + float64(rows)*MinRowHeight))
		h = clamp(max(opt.Height, minH), MinHeight, MaxHeight)
	}
	r := &renderer{opt: opt, w: float64(w), h: float64(h), rows: rows, title: title}
	r.top = headerHeight(title, rows)
	if rows > 0 {
		r.rowH = (r.h - over) / float64(rows)
	}
	return r
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
		y += titleSize*1.2 + titleGap
	}
	if len(bars) == 0 {
		r.noData(y)
		return
	}
	r.legend(y)
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

func (r *renderer) legend(y float64) {
	names := [3]string{
		orDefault(r.opt.Legend.Done, "Done"),
		orDefault(r.opt.Legend.Open, "Open"),
		orDefault(r.opt.Legend.Overdue, "Overdue"),
	}
	cols := [3]color.Color{colDone, colOpen, colOverdue}
	s := style(legendSize, false, colText, text.XLeft)
	const sw, swGap, itemGap = legendSize, 6.0, 22.0
	total := 0.0
	for i, n := range names {
		names[i] = cleanLabel(n)
		total += sw + swGap + textW(s, names[i]) + itemGap
	}
	// If the line overflows, each entry may use at most a third of it.
	maxText := math.Inf(1)
	if total-itemGap > r.w-2*pad {
		maxText = (r.w-2*pad)/3 - sw - swGap - itemGap
	}
	cy := y + legendSize*0.65
	x := pad
	for i, n := range names {
		n = shorten(s, n, maxText)
		r.rect(x, math.Round(cy-sw/2), x+sw, math.Round(cy-sw/2)+sw, cols[i])
		x += sw + swGap
		r.text(s, x, cy, n)
		x += textW(s, n) + itemGap
	}
}

func (r *renderer) bars(bars []Bar) {
	n := len(bars)
	rowH := r.rowH
	fs := math.Max(9, math.Min(15, rowH*0.40))
	ls := style(fs, false, colText, text.XRight)
	cs := style(math.Max(9, fs-1), false, colMuted, text.XLeft)

	// Label column.
	labels := make([]string, n)
	maxLabel := (r.w-2*pad)*maxLabelPct - inset
	labelW := 0.0
	for i, b := range bars {
		labels[i] = shorten(ls, cleanLabel(b.Label), maxLabel)
		labelW = math.Max(labelW, textW(ls, labels[i]))
	}
	x0 := math.Round(pad+inset+labelW+labelGap) + 0.5

	// Value scale: leave room for the widest caption right of the bars.
	maxTotal, captionW := 0, 0.0
	captions := make([]string, n)
	for i, b := range bars {
		maxTotal = max(maxTotal, b.Total())
		captions[i] = b.Caption()
		captionW = math.Max(captionW, textW(cs, captions[i]))
	}
	plotW := math.Max(20, r.w-pad-inset-x0-captionW-captionGap)
	step := niceStep(float64(max(maxTotal, 1)), math.Max(2, math.Min(10, plotW/90)))
	axisMax := math.Ceil(float64(max(maxTotal, 1))/step) * step
	xOf := func(v float64) float64 { return x0 + v/axisMax*plotW }

	yTop := r.top
	yBot := r.top + rowH*float64(n)

	// Zebra rows, then grid, then bars and text on top.
	for i := 1; i < n; i += 2 {
		r.rect(pad, yTop+rowH*float64(i), r.w-pad, yTop+rowH*float64(i+1), colZebra)
	}
	ts := style(tickSize, false, colMuted, text.XCenter)
	for v := 0.0; v <= axisMax+step/2; v += step {
		x := math.Round(xOf(v)) + 0.5
		if v > 0 {
			r.vline(x, yTop, yBot, colGrid)
		}
		r.vline(x, yBot, yBot+4, colAxis)
		r.text(ts, x, yBot+4+tickSize*0.8, strconv.FormatFloat(v, 'f', -1, 64))
	}
	r.vline(x0, yTop, yBot+4, colAxis)

	thick := math.Round(math.Min(rowH*0.62, 26))
	for i, b := range bars {
		cy := yTop + rowH*(float64(i)+0.5)
		by0 := math.Round(cy - thick/2)
		by1 := by0 + thick
		bg := colWhite
		if i%2 == 1 {
			bg = colZebra
		}
		r.text(ls, x0-labelGap+0.5, cy, labels[i])

		acc := 0
		segs := [3]int{b.Done, b.Open, b.Overdue}
		cols := [3]color.Color{colDone, colOpen, colOverdue}
		for k, v := range segs {
			if v == 0 {
				continue
			}
			xa, xb := xOf(float64(acc)), xOf(float64(acc+v))
			if xb-xa < 2 { // keep tiny non-zero segments visible
				xb = xa + 2
			}
			r.rect(xa, by0, xb, by1, cols[k])
			acc += v
		}
		cx := math.Max(xOf(float64(b.Total())), x0)
		if b.Total() > 0 && cx < x0+2 {
			cx = x0 + 2
		}
		cx += captionGap
		// Mask grid lines behind the caption.
		cw := textW(cs, captions[i])
		r.rect(cx-2, by0, cx+cw+2, by1, bg)
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
