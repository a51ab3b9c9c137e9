package dashboard

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"time"

	"steerbot/tasks"
)

// trendPoint is the figures of one digest: done of total.
type trendPoint struct {
	At          time.Time
	Label       string
	Done, Total int
}

// trendPoints counts, at each snapshot, the tasks done of those in the
// plan (plan "" for all; a task's plan is the one it has now).
func trendPoints(snaps []tasks.Snapshot, groupOf map[string]string, plan string, loc *time.Location) []trendPoint {
	out := make([]trendPoint, 0, len(snaps))
	for _, s := range snaps {
		p := trendPoint{At: s.At, Label: s.At.In(loc).Format("02/01")}
		for _, st := range s.Tasks {
			if plan != "" {
				if g, ok := groupOf[st.Code]; !ok || g != plan {
					continue
				}
			}
			p.Total++
			if st.Status == tasks.Done {
				p.Done++
			}
		}
		out = append(out, p)
	}
	return out
}

// trendSVG draws the done share at each point as a line over a 0–100 %
// grid: an inline SVG that scales to the page's width and takes its
// colours from the theme (CSS classes).
func trendSVG(points []trendPoint, title string) template.HTML {
	const w, h, left, right, top, bottom = 360.0, 180.0, 34.0, 14.0, 22.0, 26.0
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="trend" viewBox="0 0 %g %g" role="img" aria-label="%s">`, w, h, html.EscapeString(title))
	plotW, plotH := w-left-right, h-top-bottom
	for _, pct := range []int{0, 50, 100} {
		y := top + plotH*(1-float64(pct)/100)
		fmt.Fprintf(&b, `<line class="grid" x1="%g" y1="%.1f" x2="%g" y2="%.1f"/><text class="axis" x="%g" y="%.1f" text-anchor="end">%d%%</text>`,
			left, y, w-right, y, left-6, y+4, pct)
	}
	n := len(points)
	x := func(i int) float64 {
		if n == 1 {
			return left + plotW/2
		}
		return left + plotW*float64(i)/float64(n-1)
	}
	y := func(p trendPoint) float64 { return top + plotH*(1-float64(tasks.Percent(p.Done, p.Total))/100) }
	var pts []string
	for i, p := range points {
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(p)))
	}
	if n > 1 {
		fmt.Fprintf(&b, `<polyline class="line" points="%s"/>`, strings.Join(pts, " "))
	}
	every := max(1, (n+5)/6) // at most about six labels under the axis
	for i, p := range points {
		fmt.Fprintf(&b, `<circle class="dot" cx="%.1f" cy="%.1f" r="3.5"><title>%s: %d/%d (%d%%)</title></circle>`,
			x(i), y(p), html.EscapeString(p.Label), p.Done, p.Total, tasks.Percent(p.Done, p.Total))
		if i%every == 0 || i == n-1 {
			anchor := "middle"
			if i == n-1 && n > 1 {
				anchor = "end"
			} else if i == 0 && n > 1 {
				anchor = "start"
			}
			fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%g" text-anchor="%s">%s</text>`, x(i), h-8, anchor, html.EscapeString(p.Label))
			fmt.Fprintf(&b, `<text class="val" x="%.1f" y="%.1f" text-anchor="%s">%d%%</text>`, x(i), y(p)-8, anchor, tasks.Percent(p.Done, p.Total))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // built here from numbers and escaped labels only
}
