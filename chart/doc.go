// Package chart renders the task-progress chart that steerbot attaches to
// the pre-meeting digest it posts to the steering committee group.
//
// The chart is a horizontal stacked bar chart with one bar per unit
// (department, district, office …). Each bar is split into three
// segments: tasks done (green), tasks open and still on track (blue) and
// overdue tasks (red). To the right of every bar a caption
// "done/total (pct%)" is printed, where pct is the share of done tasks
// rounded half up.
//
// Text is drawn with the Liberation Sans fonts bundled with gonum/plot,
// which cover the full Vietnamese alphabet, so unit names such as
// "UBND quận Hoàn Kiếm" render with their diacritics. Labels are
// normalised to Unicode NFC before drawing, so decomposed input
// (base letter + combining marks) renders the same as precomposed input.
// Labels that are too wide for the label column are shortened with "…".
//
// The package has no user-visible strings of its own: the legend texts
// (and the optional "no data" text) are supplied by the caller, which
// owns the Vietnamese/English message catalog.
//
// The default image is 1000 px wide and grows by 40 px per unit (capped at
// MaxHeight), so a chart of 60 units stays legible. Rendering is safe for
// concurrent use.
package chart
