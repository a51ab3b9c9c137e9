package chart_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"

	"steerbot/chart"
)

var viLegend = chart.Legend{Done: "Đã hoàn thành", InProgress: "Đang thực hiện", NotStarted: "Chưa triển khai", Awaiting: "Chờ quyết định", Overdue: "Quá hạn"}

var viBars = []chart.Bar{
	{Label: "Sở Nội vụ", Done: 12, InProgress: 5, Overdue: 2},
	{Label: "UBND quận Hoàn Kiếm", Done: 7, InProgress: 3},
	{Label: "Văn phòng UBND thành phố", Done: 20, InProgress: 4, Overdue: 6},
	{Label: "Sở Kế hoạch và Đầu tư", Done: 1, InProgress: 7},
	{Label: "Sở Tài nguyên và Môi trường, Ban Quản lý các dự án đầu tư xây dựng công trình giao thông", Overdue: 3},
	{Label: "Ủy ban MTTQ Việt Nam thành phố"},
	{Label: "Sở Giáo dục và Đào tạo", Done: 33},
}

func manyBars(n int) []chart.Bar {
	bars := make([]chart.Bar, n)
	for i := range bars {
		bars[i] = chart.Bar{
			Label:      fmt.Sprintf("UBND phường Đống Đa số %d", i+1),
			Done:       (i * 7) % 23,
			InProgress: (i * 5) % 11,
			Overdue:    (i * 3) % 5,
		}
	}
	return bars
}

// decode checks that data is a PNG of sane size and returns it.
func decode(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w < chart.MinWidth || w > chart.MaxWidth || h < chart.MinHeight || h > chart.MaxHeight {
		t.Fatalf("size %dx%d outside [%d..%d]x[%d..%d]", w, h,
			chart.MinWidth, chart.MaxWidth, chart.MinHeight, chart.MaxHeight)
	}
	// Telegram's sendPhoto limits.
	if w+h > 10000 || h > 20*w || w > 20*h {
		t.Fatalf("size %dx%d not accepted by Telegram as a photo", w, h)
	}
	return img
}

// dump writes the PNG to $CHART_DUMP_DIR (if set) for eyeballing.
func dump(t *testing.T, name string, data []byte) {
	if dir := os.Getenv("CHART_DUMP_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestProgressPNGVietnamese(t *testing.T) {
	data, err := chart.ProgressPNG("Tiến độ thực hiện nhiệm vụ theo đơn vị — họp ngày 15/07", viBars, viLegend)
	if err != nil {
		t.Fatal(err)
	}
	dump(t, "chart_vi.png", data)
	img := decode(t, data)
	if w := img.Bounds().Dx(); w != chart.DefaultWidth {
		t.Errorf("width = %d, want %d", w, chart.DefaultWidth)
	}
	if h := img.Bounds().Dy(); h < len(viBars)*chart.RowHeight {
		t.Errorf("height = %d, want at least %d", h, len(viBars)*chart.RowHeight)
	}
}

// The bundled font must have a glyph for every letter of the Vietnamese
// alphabet (and the punctuation the package draws), or labels show tofu.
func TestFontCoversVietnamese(t *testing.T) {
	const lower = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
	letters := lower + strings.ToUpper(lower) + "…—%/()0123456789"
	for name, ttf := range map[string][]byte{"regular": liberationsansregular.TTF, "bold": liberationsansbold.TTF} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			t.Fatal(err)
		}
		var buf sfnt.Buffer
		for _, r := range letters {
			idx, err := f.GlyphIndex(&buf, r)
			if err != nil || idx == 0 {
				t.Errorf("%s: no glyph for %q (%U)", name, r, r)
			}
		}
	}
}

// Labels typed with combining marks (NFD) must render exactly like the
// precomposed (NFC) form, which the font draws properly.
func TestDecomposedLabelsRenderLikeComposed(t *testing.T) {
	nfd := make([]chart.Bar, len(viBars))
	for i, b := range viBars {
		b.Label = norm.NFD.String(b.Label)
		nfd[i] = b
	}
	if nfd[0].Label == viBars[0].Label {
		t.Fatal("test setup: NFD form equals NFC form")
	}
	a, err := chart.ProgressPNG("Tiến độ", viBars, viLegend)
	if err != nil {
		t.Fatal(err)
	}
	b, err := chart.ProgressPNG(norm.NFD.String("Tiến độ"), nfd, viLegend)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("NFD labels rendered differently from NFC labels")
	}
}

func TestHeightGrowsWithBars(t *testing.T) {
	prev := 0
	for _, n := range []int{0, 1, 2, 5, 10, 30, 60} {
		data, err := chart.ProgressPNG("Tiến độ", manyBars(n), viLegend)
		if err != nil {
			t.Fatalf("%d bars: %v", n, err)
		}
		if n == 60 {
			dump(t, "chart_60.png", data)
		}
		img := decode(t, data)
		h := img.Bounds().Dy()
		if h <= prev {
			t.Errorf("%d bars: height %d, not more than %d", n, h, prev)
		}
		if h < n*chart.RowHeight {
			t.Errorf("%d bars: height %d < %d px per bar", n, h, chart.RowHeight)
		}
		prev = h
	}
}

func TestEmpty(t *testing.T) {
	for _, tc := range []struct {
		name  string
		title string
		bars  []chart.Bar
	}{
		{"nil", "Không có dữ liệu", nil},
		{"empty slice", "", []chart.Bar{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := chart.ProgressPNG(tc.title, tc.bars, viLegend)
			if err != nil {
				t.Fatal(err)
			}
			dump(t, "chart_empty.png", data)
			img := decode(t, data)
			if h := img.Bounds().Dy(); h > 300 {
				t.Errorf("empty chart is %d px tall, want a small one", h)
			}
		})
	}
	data, err := chart.Render(nil, chart.Options{Title: "Trống", NoData: "Chưa có nhiệm vụ"})
	if err != nil {
		t.Fatal(err)
	}
	decode(t, data)
}

func TestAllZero(t *testing.T) {
	bars := []chart.Bar{{Label: "Sở Nội vụ"}, {Label: ""}, {Label: "  \n\t "}}
	data, err := chart.ProgressPNG("", bars, chart.Legend{})
	if err != nil {
		t.Fatal(err)
	}
	dump(t, "chart_zero.png", data)
	decode(t, data)
}

func TestNegativeFigure(t *testing.T) {
	_, err := chart.ProgressPNG("x", []chart.Bar{{Label: "Sở Nội vụ", Done: 1, InProgress: -1}}, viLegend)
	if err == nil || !strings.Contains(err.Error(), "Sở Nội vụ") {
		t.Errorf("err = %v, want an error naming the unit", err)
	}
}

func TestTooManyBars(t *testing.T) {
	_, err := chart.ProgressPNG("x", manyBars(1000), viLegend)
	if !errors.Is(err, chart.ErrTooManyBars) {
		t.Errorf("err = %v, want ErrTooManyBars", err)
	}
}

// Labels longer than the label column are cut with "…": two labels that
// differ only after the cut render identically.
func TestLongLabelShortened(t *testing.T) {
	long := strings.Repeat("Ban Quản lý dự án đầu tư xây dựng ", 6)
	render := func(suffix string) []byte {
		data, err := chart.ProgressPNG("", []chart.Bar{{Label: long + suffix, Done: 1, InProgress: 1}}, viLegend)
		if err != nil {
			t.Fatal(err)
		}
		decode(t, data)
		return data
	}
	if !bytes.Equal(render("A"), render("Ợ")) {
		t.Error("long labels were not shortened")
	}
	short := func(l string) []byte {
		data, err := chart.ProgressPNG("", []chart.Bar{{Label: l, Done: 1}}, viLegend)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	if bytes.Equal(short("Sở Nội vụ A"), short("Sở Nội vụ B")) {
		t.Error("short labels are not drawn in full")
	}
}

func TestOptionsSize(t *testing.T) {
	for _, tc := range []struct {
		opt          chart.Options
		bars         int
		wantW, wantH int // 0: don't check
	}{
		{chart.Options{Width: 1600, Height: 900}, 5, 1600, 900},
		{chart.Options{Width: 10}, 5, chart.MinWidth, 0},
		{chart.Options{Width: 1 << 20}, 5, chart.MaxWidth, 0},
		{chart.Options{Height: 10}, 3, chart.DefaultWidth, chart.MinHeight},
		{chart.Options{Height: 1 << 20}, 3, chart.DefaultWidth, chart.MaxHeight},
		// Too small for 60 legible rows: raised.
		{chart.Options{Height: 300}, 60, chart.DefaultWidth, 0},
	} {
		data, err := chart.Render(manyBars(tc.bars), tc.opt)
		if err != nil {
			t.Fatalf("%+v: %v", tc.opt, err)
		}
		b := decode(t, data).Bounds()
		if tc.wantW != 0 && b.Dx() != tc.wantW || tc.wantH != 0 && b.Dy() != tc.wantH {
			t.Errorf("%+v: got %dx%d, want %dx%d", tc.opt, b.Dx(), b.Dy(), tc.wantW, tc.wantH)
		}
		if b.Dy() < tc.bars*chart.MinRowHeight {
			t.Errorf("%+v: %d px for %d bars", tc.opt, b.Dy(), tc.bars)
		}
	}
}

func countPixels(img image.Image, match func(r, g, b uint32) bool) int {
	n := 0
	bo := img.Bounds()
	for y := bo.Min.Y; y < bo.Max.Y; y++ {
		for x := bo.Min.X; x < bo.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if match(r>>8, g>>8, b>>8) {
				n++
			}
		}
	}
	return n
}

func TestSegmentColours(t *testing.T) {
	greenish := func(r, g, b uint32) bool { return g > 120 && g > r+60 && g > b+40 }
	reddish := func(r, g, b uint32) bool { return r > 160 && r > g+80 && r > b+80 }
	render := func(b chart.Bar) image.Image {
		data, err := chart.ProgressPNG("", []chart.Bar{b}, viLegend)
		if err != nil {
			t.Fatal(err)
		}
		return decode(t, data)
	}
	done := render(chart.Bar{Label: "A", Done: 10})
	over := render(chart.Bar{Label: "A", Overdue: 10})
	// The legend has a swatch of each colour; the bar adds thousands more.
	if g0, g1 := countPixels(done, greenish), countPixels(over, greenish); g0 < g1+1000 {
		t.Errorf("done bar not green: %d vs %d green pixels", g0, g1)
	}
	if r0, r1 := countPixels(over, reddish), countPixels(done, reddish); r0 < r1+1000 {
		t.Errorf("overdue bar not red: %d vs %d red pixels", r0, r1)
	}
}

// Each status has its own colour: not started grey, awaiting a decision
// amber, besides done green and overdue red.
func TestStatusColours(t *testing.T) {
	greyish := func(r, g, b uint32) bool {
		return r > 150 && r < 200 && g > 160 && g < 210 && b > 170 && b < 220 && b >= r
	}
	amber := func(r, g, b uint32) bool { return r > 200 && g > 130 && g < 190 && b < 90 }
	render := func(b chart.Bar) image.Image {
		data, err := chart.ProgressPNG("", []chart.Bar{b}, viLegend)
		if err != nil {
			t.Fatal(err)
		}
		return decode(t, data)
	}
	ns := render(chart.Bar{Label: "A", NotStarted: 10})
	aw := render(chart.Bar{Label: "A", Awaiting: 10})
	if g0, g1 := countPixels(ns, greyish), countPixels(aw, greyish); g0 < g1+1000 {
		t.Errorf("not-started bar not grey: %d vs %d grey pixels", g0, g1)
	}
	if a0, a1 := countPixels(aw, amber), countPixels(ns, amber); a0 < a1+1000 {
		t.Errorf("awaiting bar not amber: %d vs %d amber pixels", a0, a1)
	}
}

// Bars are percentages of each unit's tasks: a unit with 3 tasks all done
// fills as much of its row as one with 30 done, and half done fills half.
func TestBarsArePercentages(t *testing.T) {
	greenish := func(r, g, b uint32) bool { return g > 120 && g > r+60 && g > b+40 }
	green := func(b chart.Bar) int {
		data, err := chart.ProgressPNG("", []chart.Bar{b}, viLegend)
		if err != nil {
			t.Fatal(err)
		}
		return countPixels(decode(t, data), greenish)
	}
	small, large := green(chart.Bar{Label: "A", Done: 3}), green(chart.Bar{Label: "A", Done: 30})
	// The captions differ in width ("3/3" and "30/30"), and with them the
	// plot: allow 5 %.
	if d := small - large; d*20 < -large || d*20 > large {
		t.Errorf("3/3 done has %d green pixels, 30/30 has %d: want the same bar", small, large)
	}
	half := green(chart.Bar{Label: "A", Done: 15, InProgress: 15})
	if half < large*4/10 || half > large*6/10 {
		t.Errorf("15/30 done has %d green pixels, want about half of %d", half, large)
	}
}

// The title, the subtitle (what and as of when) and the axis label each
// take their own line.
func TestTitleSubtitleAxisLabel(t *testing.T) {
	height := func(opt chart.Options) int {
		data, err := chart.Render(viBars, opt)
		if err != nil {
			t.Fatal(err)
		}
		return decode(t, data).Bounds().Dy()
	}
	base := height(chart.Options{Title: "Ban Chỉ đạo CCHC thành phố", Legend: viLegend})
	sub := height(chart.Options{Title: "Ban Chỉ đạo CCHC thành phố", Subtitle: "Tiến độ đến ngày 03/12/2026", Legend: viLegend})
	axis := height(chart.Options{Title: "Ban Chỉ đạo CCHC thành phố", Subtitle: "Tiến độ đến ngày 03/12/2026", AxisLabel: "Tỷ lệ nhiệm vụ của đơn vị (%)", Legend: viLegend})
	if sub <= base || axis <= sub {
		t.Errorf("heights %d, %d, %d: the subtitle and the axis label take no room", base, sub, axis)
	}
	data, err := chart.Render(viBars, chart.Options{Title: "Ban Chỉ đạo CCHC thành phố", Subtitle: "Tiến độ đến ngày 03/12/2026", AxisLabel: "Tỷ lệ nhiệm vụ của đơn vị (%)", Legend: viLegend})
	if err != nil {
		t.Fatal(err)
	}
	dump(t, "chart_full.png", data)
}

func TestCaption(t *testing.T) {
	for _, tc := range []struct {
		b    chart.Bar
		want string
	}{
		{chart.Bar{Done: 7, InProgress: 3, Overdue: 2}, "7/12 (58%)"},
		{chart.Bar{Done: 1, InProgress: 7}, "1/8 (13%)"}, // 12.5 → 13
		{chart.Bar{Done: 3, Overdue: 5}, "3/8 (38%)"},    // 37.5 → 38
		{chart.Bar{Done: 1, InProgress: 2}, "1/3 (33%)"},
		{chart.Bar{Done: 2, Overdue: 1}, "2/3 (67%)"},
		{chart.Bar{Done: 1, InProgress: 199}, "1/200 (1%)"},  // 0.5 → 1
		{chart.Bar{Done: 199, Overdue: 1}, "199/200 (100%)"}, // 99.5 → 100
		{chart.Bar{InProgress: 4}, "0/4 (0%)"},
		{chart.Bar{Done: 5}, "5/5 (100%)"},
		{chart.Bar{}, "0/0"},
	} {
		if got := tc.b.Caption(); got != tc.want {
			t.Errorf("%+v.Caption() = %q, want %q", tc.b, got, tc.want)
		}
	}
}

func TestConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	want, err := chart.ProgressPNG("Tiến độ", viBars, viLegend)
	if err != nil {
		t.Fatal(err)
	}
	for range 8 {
		wg.Go(func() {
			got, err := chart.ProgressPNG("Tiến độ", viBars, viLegend)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("concurrent render differs (err %v)", err)
			}
		})
	}
	wg.Wait()
}

func BenchmarkProgressPNG(b *testing.B) {
	bars := manyBars(60)
	var size int
	for b.Loop() {
		data, err := chart.ProgressPNG("Tiến độ thực hiện nhiệm vụ", bars, viLegend)
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
	}
	b.ReportMetric(float64(size), "png-bytes")
}
