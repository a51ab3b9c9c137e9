package report

import (
	"fmt"
	"strings"

	"codeberg.org/go-fonts/liberation/liberationserifbold"
	"codeberg.org/go-fonts/liberation/liberationserifbolditalic"
	"codeberg.org/go-fonts/liberation/liberationserifitalic"
	"codeberg.org/go-fonts/liberation/liberationserifregular"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Liberation Serif has the metrics of Times New Roman, so a line measured
// with it breaks where Word breaks it in Times New Roman. The PDF embeds
// it; the DOCX names Times New Roman.

// ttf returns the TrueType bytes of the style.
func ttf(bold, italic bool) []byte {
	switch {
	case bold && italic:
		return liberationserifbolditalic.TTF
	case bold:
		return liberationserifbold.TTF
	case italic:
		return liberationserifitalic.TTF
	}
	return liberationserifregular.TTF
}

// measurer measures text in Liberation Serif.
type measurer struct {
	fonts [4]*sfnt.Font // by style: regular, bold, italic, bold italic
	buf   sfnt.Buffer
}

func newMeasurer() (*measurer, error) {
	m := &measurer{}
	for i := range m.fonts {
		f, err := sfnt.Parse(ttf(i&1 != 0, i&2 != 0))
		if err != nil {
			return nil, fmt.Errorf("parse font: %w", err)
		}
		m.fonts[i] = f
	}
	return m, nil
}

// width returns the width of s in mm at size points.
func (m *measurer) width(s string, bold, italic bool, size float64) float64 {
	i := 0
	if bold {
		i |= 1
	}
	if italic {
		i |= 2
	}
	f := m.fonts[i]
	upem := fixed.Int26_6(f.UnitsPerEm())
	var units fixed.Int26_6
	for _, r := range s {
		g, err := f.GlyphIndex(&m.buf, r)
		if err != nil || g == 0 {
			continue // a missing glyph: what the font shows as nothing
		}
		adv, err := f.GlyphAdvance(&m.buf, g, upem, font.HintingNone)
		if err != nil {
			continue
		}
		units += adv
	}
	return float64(units) / float64(upem) * size * 25.4 / 72
}

// wrap breaks s into lines no wider than w mm, at spaces. Two lines are
// balanced, a break after a comma preferred, as a typist sets a heading:
// "BAN CHỈ ĐẠO CCHC," over "CHUYỂN ĐỔI SỐ", not a long line over a word.
func (m *measurer) wrap(s string, bold, italic bool, size, w float64) []string {
	words := strings.Fields(s)
	var lines []string
	line := ""
	for _, word := range words {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if line != "" && m.width(try, bold, italic, size) > w {
			lines = append(lines, line)
			line = word
			continue
		}
		line = try
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	if len(lines) != 2 {
		return lines
	}
	best := -1.0
	for k := 1; k < len(words); k++ {
		a, b := strings.Join(words[:k], " "), strings.Join(words[k:], " ")
		wa, wb := m.width(a, bold, italic, size), m.width(b, bold, italic, size)
		if wa > w || wb > w {
			continue
		}
		score := max(wa, wb)
		if strings.HasSuffix(words[k-1], ",") {
			score -= w / 4
		}
		if best < 0 || score < best {
			best, lines = score, []string{a, b}
		}
	}
	return lines
}

// widest returns the width of the widest line.
func (m *measurer) widest(lines []string, bold, italic bool, size float64) float64 {
	w := 0.0
	for _, l := range lines {
		w = max(w, m.width(l, bold, italic, size))
	}
	return w
}
