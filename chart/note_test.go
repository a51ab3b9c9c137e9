package chart_test

import (
	"image"
	"testing"

	"steerbot/chart"
)

// darkRows returns how many rows of img between y0 and y1 hold dark
// (text) pixels.
func darkRows(img image.Image, y0, y1 int) int {
	n := 0
	b := img.Bounds()
	for y := max(y0, b.Min.Y); y < min(y1, b.Max.Y); y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 < 0x60 && g>>8 < 0x60 && bl>>8 < 0x60 {
				n++
				break
			}
		}
	}
	return n
}

// The note (the indicators' line, "Chỉ tiêu: 17/28 đạt") takes its own
// line under the subtitle, in dark text, and pushes the bars down.
func TestNote(t *testing.T) {
	opt := chart.Options{Title: "Ban Chỉ đạo CCHC thành phố", Subtitle: "Tiến độ đến ngày 16/10/2023", Legend: viLegend}
	without, err := chart.Render(viBars, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Note = "Chỉ tiêu: 17/28 đạt, 4 chưa đạt, 7 chưa có số liệu kỳ này"
	with, err := chart.Render(viBars, opt)
	if err != nil {
		t.Fatal(err)
	}
	dump(t, "chart_note.png", with)
	a, b := decode(t, without), decode(t, with)
	grow := b.Bounds().Dy() - a.Bounds().Dy()
	if grow < 20 {
		t.Fatalf("the note made the chart %d px taller, want a line of text (≥ 20)", grow)
	}
	// The line under the subtitle (grey, not dark) holds dark text, above
	// where the legend begins without the note.
	top := 75 // pad 18, title 26×1.25, subtitle 19×1.3
	if n := darkRows(b, top, top+25); n < 10 {
		t.Errorf("the note's line has %d rows of dark text, want a line of text", n)
	}
	if fa, fb := firstDark(a, top), firstDark(b, top); fb >= fa {
		t.Errorf("under the subtitle, text begins at row %d with the note, %d without: the note is not drawn there", fb, fa)
	}
	// Decomposed letters and control characters are cleaned as elsewhere.
	opt.Note = "Chi\u0309 tiêu:\n17/28 đạt"
	if _, err := chart.Render(viBars, opt); err != nil {
		t.Fatal(err)
	}
	// With no bars, the note is still drawn.
	empty, err := chart.Render(nil, chart.Options{Title: "Trống", Note: "Chỉ tiêu: 0/3 đạt"})
	if err != nil {
		t.Fatal(err)
	}
	if n := darkRows(decode(t, empty), 50, 76); n < 10 {
		t.Errorf("the empty chart's note has %d rows of dark text", n)
	}
}

// firstDark returns the first row of img from y0 that holds dark pixels.
func firstDark(img image.Image, y0 int) int {
	for y := y0; y < img.Bounds().Max.Y; y++ {
		if darkRows(img, y, y+1) > 0 {
			return y
		}
	}
	return img.Bounds().Max.Y
}
