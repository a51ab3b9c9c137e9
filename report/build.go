package report

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"steerbot/tasks"
)

// figures are the counts of section I, all from the digest except those
// the digest does not keep (ongoing tasks, tasks due in the period).
type figures struct {
	total, done, onTime, late, undated int
	notDone, within, overdue, reported int // reported: done reports awaiting the secretariat, not done yet
	ongoing, stopped, carried          int
	due, dueDone                       int
}

// count computes the figures of in.
func count(in Input) figures {
	g := in.Digest.Total
	f := figures{
		total: g.Total, done: g.Done, onTime: g.DoneOnTime, late: g.DoneLate,
		overdue: g.Overdue, stopped: g.Counts[tasks.Stopped], carried: g.Counts[tasks.CarriedOver],
		reported: g.Reported(),
	}
	f.undated = f.done - f.onTime - f.late
	tl := tasks.Timeline{Now: in.Digest.At, Loc: in.Loc}
	for _, t := range in.Tasks {
		tm := tl.Of(t)
		if ongoing(tm) {
			f.ongoing++
		}
		if tm != tasks.Closed && in.Period.Contains(t.Deadline) {
			f.due++
			if t.Status == tasks.Done {
				f.dueDone++
			}
		}
	}
	// Not done: open with a deadline. Ongoing tasks have their own line.
	f.notDone = max(0, f.total-f.done-f.stopped-f.carried-f.ongoing)
	f.within = max(0, f.notDone-f.overdue-f.reported)
	return f
}

// ongoing reports whether a task of timeliness tm is an ongoing task
// ("nhiệm vụ thường xuyên", a standing duty) or an open one with no
// deadline: neither is counted as within or past its deadline.
func ongoing(tm tasks.Timeliness) bool { return tm == tasks.Ongoing || tm == tasks.NoDeadline }

// build lays out the report of in.
func build(in Input, m *measurer) *document {
	c := catalogFor(in.Lang)
	h := in.Header
	nfc := norm.NFC.String
	committee := nfc(strings.TrimSpace(in.Committee))
	issuer := nfc(strings.TrimSpace(h.Issuer))
	if issuer == "" {
		issuer = strings.ToUpper(committee)
	}
	if committee == "" {
		committee = issuer
	}
	today := tasks.DateOf(in.Now, in.Loc)
	// The number is left blank, to be written in when the report is
	// registered; no-break spaces keep the blank as wide in every reader.
	number := c.number + " " + strings.Repeat("\u00a0", 8) + "/" + nfc(strings.TrimSpace(h.Symbol))
	period := c.periodName(in.Period)
	names := make(map[string]string, len(in.Units))
	for _, u := range in.Units {
		names[u.Code] = u.Name
	}
	unitName := func(code string) string {
		if n := names[code]; n != "" {
			return n
		}
		return code
	}

	d := &document{lang: in.Lang, who: issuer}
	d.parent = nfc(strings.TrimSpace(h.Parent))
	d.issuer = m.wrap(issuer, true, false, sizeOrg, orgColumn-4)
	d.orgRule = rule{width: 0.4 * m.widest(d.issuer, true, false, sizeOrg)}
	d.number = number
	d.motto1, d.motto2 = c.motto1, c.motto2
	d.mottoRule = rule{width: m.width(c.motto2, true, false, sizeMotto2)}
	d.placeDate = c.placeDate(nfc(strings.TrimSpace(h.Place)), today)

	subject := fmt.Sprintf(c.subject, period)
	d.title = subject
	lines := m.wrap(subject, true, false, sizeTitle, 0.8*textWidth(pageW))
	d.heading = []para{{spans: []span{{text: c.title, bold: true}}, size: sizeTitle, align: alignCenter, before: 18, keepNext: true}}
	d.heading = append(d.heading, para{spans: []span{{text: strings.Join(lines, "\n"), bold: true}}, size: sizeTitle, align: alignCenter, keepNext: true})
	d.titleRule = rule{width: 0.4 * m.widest(lines, true, false, sizeTitle)}

	var body []block
	add := func(p para) { body = append(body, block{p: &p}) }
	text := func(s string) {
		add(para{spans: []span{{text: s}}, size: sizeBody, align: alignJustify, indent: true, after: afterBody})
	}
	heading := func(s string) {
		add(para{spans: []span{{text: s, bold: true}}, size: sizeBody, align: alignJustify, indent: true, before: 6, after: afterBody, keepNext: true})
	}
	// items writes a list whose last item ends with a full stop.
	items := func(lines []string) {
		for i, l := range lines {
			if i == len(lines)-1 {
				l = strings.TrimSuffix(l, ";") + "."
			}
			text(l)
		}
	}
	asOf := tasks.DateOf(in.Digest.At, in.Loc)
	if in.Period.From.IsZero() {
		text(fmt.Sprintf(c.introFirst, committee, period, asOf.VN()))
	} else {
		text(fmt.Sprintf(c.intro, committee, period, in.Period.From.VN(), in.Period.To.VN(), asOf.VN()))
	}

	// I. The general situation.
	f := count(in)
	pct := func(n int) int { return tasks.Percent(n, f.total) }
	heading(c.general)
	text(fmt.Sprintf(c.total, f.total))
	text(fmt.Sprintf(c.done, f.done, f.total, pct(f.done)))
	sub := []string{fmt.Sprintf(c.doneOnTime, f.onTime, pct(f.onTime)), fmt.Sprintf(c.doneLate, f.late, pct(f.late))}
	if f.undated > 0 {
		sub = append(sub, fmt.Sprintf(c.doneUndated, f.undated, pct(f.undated)))
	}
	items(sub)
	text(fmt.Sprintf(c.notDone, f.notDone, pct(f.notDone)))
	notDone := []string{fmt.Sprintf(c.notDoneIn, f.within, pct(f.within)), fmt.Sprintf(c.notDoneLate, f.overdue, pct(f.overdue))}
	if f.reported > 0 {
		notDone = append(notDone, fmt.Sprintf(c.awaitingConf, f.reported, pct(f.reported)))
	}
	items(notDone)
	text(fmt.Sprintf(c.ongoing, f.ongoing, pct(f.ongoing)))
	if f.stopped > 0 {
		text(fmt.Sprintf(c.stopped, f.stopped, pct(f.stopped)))
	}
	if f.carried > 0 {
		text(fmt.Sprintf(c.carriedOver, f.carried, pct(f.carried)))
	}
	text(fmt.Sprintf(c.dueInPeriod, f.due, pct(f.due), f.dueDone))
	body = append(body, indicatorBlocks(c, in.Digest.Indicators, m, unitName)...)

	// II. By unit: the digest's scorecard, in its order.
	heading(c.byUnit)
	tw := textWidth(pageW)
	num := (tw - 10 - 45) / 6
	ut := table{size: sizeTable, head: c.unitHead, cols: []column{{10, alignCenter}, {45, alignLeft},
		{num, alignCenter}, {num, alignCenter}, {num, alignCenter}, {num, alignCenter}, {num, alignCenter}, {num, alignCenter}}}
	for i, s := range in.Digest.Scorecard {
		ut.rows = append(ut.rows, []string{strconv.Itoa(i + 1), s.Unit.Name,
			strconv.Itoa(s.Total), strconv.Itoa(s.Done), strconv.Itoa(s.DoneOnTime), strconv.Itoa(s.DoneLate), strconv.Itoa(s.Overdue),
			strconv.Itoa(tasks.Percent(s.Done, s.Total)) + "%"})
		ut.bold = append(ut.bold, false)
	}
	ut.rows = append(ut.rows, []string{"", c.totalRow, strconv.Itoa(f.total), strconv.Itoa(f.done), strconv.Itoa(f.onTime),
		strconv.Itoa(f.late), strconv.Itoa(f.overdue), strconv.Itoa(pct(f.done)) + "%"})
	ut.bold = append(ut.bold, true)
	body = append(body, block{t: &ut})

	// III. Overdue tasks, most late unit first, as the digest orders them.
	heading(c.overdue)
	byCode := make(map[string]*tasks.Task, len(in.Tasks))
	for i := range in.Tasks {
		byCode[in.Tasks[i].Code] = &in.Tasks[i]
	}
	if f.overdue == 0 {
		text(c.noOverdue)
	} else {
		text(fmt.Sprintf(c.overdueIntro, f.overdue))
		var codes []string
		for _, uo := range in.Digest.Overdue {
			for _, o := range uo.Tasks {
				codes = append(codes, o.Code)
			}
		}
		cw := codeWidth(m, codes, sizeTable)
		ot := table{size: sizeTable, head: c.overdueHead, cols: []column{{9, alignCenter}, {cw, alignLeft}, {60 - cw, alignLeft},
			{24, alignLeft}, {23, alignCenter}, {14, alignCenter}, {14, alignCenter}, {21, alignLeft}}}
		n := 0
		for _, uo := range in.Digest.Overdue {
			for _, o := range uo.Tasks {
				n++
				note := ""
				if t := byCode[o.Code]; t != nil {
					note = t.Note
				}
				ot.rows = append(ot.rows, []string{strconv.Itoa(n), o.Code, o.Title, uo.Unit.Name, o.Deadline.VN(),
					strconv.Itoa(o.DaysLate), strconv.Itoa(o.Progress), note})
				ot.bold = append(ot.bold, false)
			}
		}
		body = append(body, block{t: &ot})
	}

	// IV. Blockers.
	heading(c.blockers)
	if len(in.Digest.Blocked) == 0 {
		text(c.noBlockers)
	} else {
		var ls []string
		for _, b := range in.Digest.Blocked {
			ls = append(ls, strings.TrimRight(fmt.Sprintf(c.blockerLine, unitName(b.Unit), b.Code, oneLine(b.Blocker)), ".;")+";")
		}
		items(ls)
	}

	// V. Proposals and extension requests awaiting a decision.
	heading(c.proposals)
	if len(in.Digest.Awaiting) == 0 {
		text(c.noProposals)
	} else {
		text(c.proposalsIn)
		var ls []string
		for _, a := range in.Digest.Awaiting {
			var l string
			if e := a.Extension; e != nil {
				l = fmt.Sprintf(c.extension, unitName(a.Unit), a.Code, a.Title, e.OldDeadline.VN(), e.NewDeadline.VN())
				if r := oneLine(e.Reason); r != "" {
					l += fmt.Sprintf(c.reason, strings.TrimRight(r, ".;"))
				}
			} else {
				l = fmt.Sprintf(c.proposal, unitName(a.Unit), a.Status.Name(in.Lang), a.Code, a.Title)
			}
			ls = append(ls, l+";")
		}
		items(ls)
	}
	text(fmt.Sprintf(c.closing, period, committee))
	d.body = body

	// Recipients and signer.
	d.recvHead = c.recipients
	for i, r := range h.Recipients {
		r = strings.TrimRight(strings.TrimSpace(nfc(r)), ".;,")
		if r == "" {
			continue
		}
		end := ";"
		if i == len(h.Recipients)-1 {
			end = "."
		}
		d.recipients = append(d.recipients, "- "+r+end)
	}
	d.signFor = c.signFor
	d.signer = strings.ToUpper(nfc(strings.TrimSpace(h.SignerTitle)))
	d.signerName = nfc(strings.TrimSpace(h.SignerName))

	// The annex: every task, landscape.
	d.annexHead = []para{
		{spans: []span{{text: c.annex, bold: true}}, size: sizeTitle, align: alignCenter, keepNext: true},
		{spans: []span{{text: c.annexTitle, bold: true}}, size: sizeTitle, align: alignCenter, keepNext: true},
		{spans: []span{{text: fmt.Sprintf(c.annexOf, strings.TrimPrefix(number, c.number+" "), today.VN(), committee), italic: true}},
			size: sizeBody - 1, align: alignCenter, after: 6, keepNext: true},
	}
	aw := textWidth(pageH)
	codes := make([]string, len(in.Tasks))
	for i, t := range in.Tasks {
		codes[i] = t.Code
	}
	cw := codeWidth(m, codes, sizeAnnex)
	d.annex = table{size: sizeAnnex, head: c.annexHead, cols: []column{{10, alignCenter}, {cw, alignLeft}, {aw - 156 - cw, alignLeft},
		{38, alignLeft}, {26, alignCenter}, {30, alignLeft}, {16, alignCenter}, {36, alignLeft}}}
	tl := tasks.Timeline{Now: in.Digest.At, Loc: in.Loc}
	d.annex.rows = make([][]string, 0, len(in.Tasks))
	d.annex.bold = make([]bool, len(in.Tasks))
	for i, t := range in.Tasks {
		tm := tl.Of(t)
		state := t.Status.Name(in.Lang)
		if w := c.timeliness[tm]; w != "" {
			state += ", " + w
		}
		deadline := t.DeadlineLabel() // as the plan wrote it: "Quý IV/2023 (31/12/2023)"
		if ongoing(tm) && t.DeadlineText == "" {
			deadline = c.ongoingDL
		}
		d.annex.rows = append(d.annex.rows, []string{strconv.Itoa(i + 1), t.Code, t.Title, unitName(t.Unit), deadline,
			state, strconv.Itoa(t.Progress), t.Note})
	}
	return d
}

// codeWidth returns the width of a column of task codes: the widest
// code on one line (a code cut in two reads as two codes), within reason.
func codeWidth(m *measurer, codes []string, size float64) float64 {
	w := 0.0
	for _, c := range codes {
		w = max(w, m.width(c, false, false, size))
	}
	return min(max(w+2*cellPadH+1, 14), 30)
}

// oneLine joins the lines of a note into one.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
