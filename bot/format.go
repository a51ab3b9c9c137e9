package bot

import (
	"fmt"
	"html"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"steerbot/tasks"
)

// esc escapes user-provided text for Telegram's HTML parse mode.
func esc(s string) string { return html.EscapeString(s) }

// clip shortens s to at most n runes, marking the cut with "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// utf16Len counts what Telegram counts.
func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// timelinessText describes where a task stands against its deadline.
func timelinessText(lang string, tl tasks.Timeline, t tasks.Task) string {
	switch tl.Of(t) {
	case tasks.Overdue:
		return "⚠️ " + text(lang, "tl_overdue", tl.DaysLate(t))
	case tasks.DueSoon:
		if d := tl.DaysLeft(t); d == 0 {
			return "⏰ " + text(lang, "tl_due_today")
		} else {
			return "⏰ " + text(lang, "tl_due_in", d)
		}
	case tasks.OnTrack:
		return text(lang, "tl_on_track")
	case tasks.DoneOnTime:
		return "✅ " + text(lang, "tl_done_on_time")
	case tasks.DoneLate:
		return "✅ " + text(lang, "tl_done_late")
	case tasks.DoneUndated:
		return "✅ " + tasks.Done.Name(lang)
	case tasks.Closed:
		return t.Status.Name(lang)
	case tasks.Ongoing:
		return text(lang, "tl_ongoing")
	case tasks.Reported:
		loc := tl.Loc
		if loc == nil {
			loc = time.UTC // a timeline built without a zone: In(nil) would panic
		}
		return "⏳ " + text(lang, "tl_reported", tasks.DateOf(t.CompletedAt, loc).VN())
	}
	return text(lang, "tl_no_deadline")
}

// taskLine is one task in a list: code, title, status, progress, deadline.
func taskLine(lang string, tl tasks.Timeline, t tasks.Task) string {
	s := fmt.Sprintf("• <b>%s</b> %s\n   %s, %d%%", esc(t.Code), esc(clip(t.Title, 90)), t.Status.Name(lang), t.Progress)
	if !t.Deadline.IsZero() || t.Ongoing() {
		s += " · " + text(lang, "deadline_short", esc(t.DeadlineLabel())) + " · " + timelinessText(lang, tl, t)
	}
	if t.Blocker != "" && t.Status.Open() {
		s += "\n   " + text(lang, "blocker_short", esc(clip(t.Blocker, 120)))
	}
	return s
}

// renderList renders tasks as a list with buttons: per task, Done and
// Progress for those who may update, else a button to open the task.
func (b *Bot) renderList(lang string, now time.Time, title string, ts []tasks.Task, canUpdate bool) (string, [][]tasks.Button, []string) {
	tl := b.timeline(now)
	ts = tl.ReminderOrder(ts)
	var sb strings.Builder
	sb.WriteString(title)
	var kb [][]tasks.Button
	codes := make([]string, 0, len(ts))
	for i, t := range ts {
		sb.WriteString("\n" + taskLine(lang, tl, t))
		codes = append(codes, t.Code)
		if i >= 10 {
			continue // keep the keyboard usable on a phone
		}
		if canUpdate && t.Status.Open() {
			row := b.row(
				btn(text(lang, "btn_done_code", t.Code), b.sign.sign(opDone, t.Code)),
				btn(text(lang, "btn_progress_short"), b.sign.sign(opProgress, t.Code)),
				btn(text(lang, "btn_extend_short"), b.sign.sign(opExtend, t.Code)),
			)
			if len(row) > 0 {
				kb = append(kb, row)
			}
		} else if row := b.row(btn("📄 "+t.Code, b.sign.sign(opView, t.Code))); len(row) > 0 {
			kb = append(kb, row)
		}
	}
	if len(ts) > 10 {
		sb.WriteString("\n\n" + text(lang, "list_more_buttons"))
	}
	return sb.String(), kb, codes
}

// btn makes a callback button; data "" (too long to sign) drops it.
func btn(label, data string) tasks.Button { return tasks.Button{Text: label, Data: data} }

// row keeps the buttons whose data could be signed.
func (b *Bot) row(bs ...tasks.Button) []tasks.Button {
	out := bs[:0]
	for _, x := range bs {
		if x.Data != "" || x.URL != "" {
			out = append(out, x)
		}
	}
	return out
}

// taskButtons are the buttons under a task for a member who may update it.
func (b *Bot) taskButtons(lang string, m tasks.Member, t tasks.Task) [][]tasks.Button {
	if !t.Status.Open() || t.Status.Proposal() {
		return nil
	}
	var kb [][]tasks.Button
	if (tasks.Policy{}).Can(m, tasks.UpdateTask, &t) == nil || m.Role == tasks.RoleSecretariat {
		if row := b.row(btn(text(lang, "btn_done"), b.sign.sign(opDone, t.Code)), btn(text(lang, "btn_progress"), b.sign.sign(opProgress, t.Code))); len(row) > 0 {
			kb = append(kb, row)
		}
	}
	if b.o.Policy.Can(m, tasks.RequestExtend, &t) == nil {
		if row := b.row(btn(text(lang, "btn_extend"), b.sign.sign(opExtend, t.Code))); len(row) > 0 {
			kb = append(kb, row)
		}
	}
	return kb
}

// The longest a field is shown on a task card, in characters: with five
// history lines and five files a card stays one message. A longer field is
// cut with "…" and the card gets a Full text button (see fullText).
const (
	cardLong  = 300 // title, blocker, an extension's reason
	cardShort = 150 // unit, co-units, group, source
	cardWho   = 40  // a name in the history
)

// cardReader is what a task's card reads: its unit, history and extension
// requests.
type cardReader interface {
	tasks.UnitStore
	tasks.TaskStore
	tasks.ExtensionStore
}

// renderCard renders one task: fields, timeliness, the last updates and
// the evidence, with buttons for what the member may do. Fields are cut
// to cardLong / cardShort characters, so a task is always one message.
func (b *Bot) renderCard(tx cardReader, lang string, now time.Time, m tasks.Member, t tasks.Task) (string, [][]tasks.Button, error) {
	tl := b.timeline(now)
	cut := false // some field is shown shortened
	short := func(s string, n int) string {
		if utf8.RuneCountInString(s) > n {
			cut = true
		}
		return esc(clip(s, n))
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "<b>%s</b> · %s · %d%%\n%s", esc(t.Code), t.Status.Name(lang), t.Progress, short(t.Title, cardLong))
	unit := esc(t.Unit)
	if u, err := tx.Unit(t.Unit); err == nil {
		unit = short(u.Name, cardShort) + " (" + esc(u.Code) + ")"
	}
	sb.WriteString("\n" + text(lang, "card_unit", unit))
	if len(t.CoUnits) > 0 {
		sb.WriteString("\n" + text(lang, "card_co_units", short(coUnitNames(tx, t), cardShort)))
	}
	if t.Group != "" {
		sb.WriteString("\n" + text(lang, "card_group", short(t.Group, cardShort)))
	}
	if t.Source != "" {
		sb.WriteString("\n" + text(lang, "card_source", short(t.Source, cardShort)))
	}
	if !t.Deadline.IsZero() || t.Ongoing() {
		sb.WriteString("\n" + text(lang, "card_deadline", esc(t.DeadlineLabel()), timelinessText(lang, tl, t)))
	} else {
		sb.WriteString("\n" + text(lang, "tl_no_deadline"))
	}
	if t.Blocker != "" && t.Status.Open() {
		sb.WriteString("\n" + text(lang, "card_blocker", short(t.Blocker, cardLong)))
	}
	hist, err := tx.History(t.Code, 0)
	if err != nil {
		return "", nil, err
	}
	var evidence []evidenceRef
	for _, u := range hist {
		for i, a := range u.Attachments {
			evidence = append(evidence, evidenceRef{u, i, a})
		}
	}
	if len(hist) > 0 {
		sb.WriteString("\n\n" + text(lang, "card_history"))
		start := max(0, len(hist)-5)
		for _, u := range hist[start:] {
			sb.WriteString("\n" + updateLine(lang, b.o.Loc, u))
			if utf8.RuneCountInString(u.Note) > histClip || utf8.RuneCountInString(u.Blocker) > histClip {
				cut = true
			}
		}
	}
	kb := b.taskButtons(lang, m, t)
	if b.o.Policy.Can(m, tasks.Decide, &t) == nil {
		// A decider looking at a task that awaits them decides here.
		if t.Status.Proposal() {
			kb = append(kb, b.row(btn(approveLabel(lang, t.Status, false, t.Code), b.sign.sign(opDecideProposal, t.Code, verdictApprove)), btn(text(lang, "btn_reject"), b.sign.sign(opDecideProposal, t.Code, verdictReject))))
		}
		pending, err := tx.Extensions(tasks.ExtPending)
		if err != nil {
			return "", nil, err
		}
		for _, e := range pending {
			if e.Task == t.Code {
				sb.WriteString("\n" + text(lang, "card_extension", e.NewDeadline.VN(), short(e.Reason, cardLong)))
				id := fmt.Sprint(e.ID)
				kb = append(kb, b.row(btn(approveLabel(lang, t.Status, true, t.Code), b.sign.sign(opDecideExtension, id, verdictApprove)), btn(text(lang, "btn_reject"), b.sign.sign(opDecideExtension, id, verdictReject))))
			}
		}
	}
	if len(evidence) > 0 {
		sb.WriteString("\n\n" + text(lang, "card_evidence", len(evidence)))
		start := max(0, len(evidence)-5)
		for _, e := range evidence[start:] {
			sb.WriteString(fmt.Sprintf("\n📎 %s (%s, %s)", esc(clip(e.a.Name, 60)), esc(clip(e.u.ByName, cardWho)), e.u.At.In(b.o.Loc).Format("02/01/2006")))
			if row := b.row(btn("📎 "+clip(e.a.Name, 28), b.sign.sign(opEvidence, t.Code, fmt.Sprint(e.u.ID), fmt.Sprint(e.i)))); len(row) > 0 {
				kb = append(kb, row)
			}
		}
	}
	if cut {
		if row := b.row(btn(text(lang, "btn_full_text"), b.sign.sign(opFullText, t.Code))); len(row) > 0 {
			kb = append(kb, row)
		}
	}
	return sb.String(), kb, nil
}

// evidenceRef is one attachment in a task's history.
type evidenceRef struct {
	u tasks.Update
	i int
	a tasks.Attachment
}

// histClip is how much of a note or a blocker a history line shows.
const histClip = 80

// updateLine is one line of a task's history, in HTML, notes and blockers
// cut to histClip characters.
func updateLine(lang string, loc *time.Location, u tasks.Update) string {
	return historyLine(lang, loc, u, func(s string, n int) string { return esc(clip(s, n)) })
}

// historyLine is one line of a task's history; show renders a field of
// the Update cut to n characters (or not, as the caller wants).
func historyLine(lang string, loc *time.Location, u tasks.Update, show func(s string, n int) string) string {
	if u.Unit != "" {
		return partLine(lang, loc, u, show)
	}
	var what []string
	if u.OldStatus != u.NewStatus {
		if u.OldStatus == "" {
			what = append(what, u.NewStatus.Name(lang))
		} else {
			what = append(what, u.OldStatus.Name(lang)+" → "+u.NewStatus.Name(lang))
		}
	}
	if u.OldProgress != u.NewProgress {
		what = append(what, fmt.Sprintf("%d%% → %d%%", u.OldProgress, u.NewProgress))
	}
	if u.OldDeadline != u.NewDeadline && !u.OldDeadline.IsZero() {
		what = append(what, text(lang, "hist_deadline", u.OldDeadline.VN(), u.NewDeadline.VN()))
	}
	if u.Blocker != "" {
		what = append(what, text(lang, "blocker_short", show(u.Blocker, histClip)))
	}
	if u.Note != "" && u.Note != "created" {
		what = append(what, "“"+show(u.Note, histClip)+"”")
	}
	if len(u.Attachments) > 0 {
		what = append(what, fmt.Sprintf("📎%d", len(u.Attachments)))
	}
	who := u.ByName
	if who == "" {
		who = text(lang, "via_"+string(u.Via))
	}
	return fmt.Sprintf("• %s %s: %s", u.At.In(loc).Format("02/01"), show(who, cardWho), strings.Join(what, "; "))
}

// FormatDigest renders a digest in lang: as Telegram HTML when html is
// true, as plain text (for the command line) otherwise.
func FormatDigest(d tasks.Digest, lang, committee string, html bool) string {
	w := digestWriter{lang: lang, html: html}
	w.header(d, committee)
	if line := unreachedLine(lang, d); line != "" {
		w.sb.WriteString("\n" + line)
	}
	w.groups(d)
	w.indicators(d)
	w.overdue(d)
	w.awaiting(d)
	w.blocked(d)
	w.changes(d)
	w.sb.WriteString("\n\n" + formatScorecardWith(d, lang, 10, w.b, w.e))
	return w.sb.String()
}

// digestWriter writes the sections of a digest, in HTML or plain text.
type digestWriter struct {
	sb   strings.Builder
	lang string
	html bool
}

// b is s in bold.
func (w *digestWriter) b(s string) string {
	if w.html {
		return "<b>" + s + "</b>"
	}
	return s
}

// e is s escaped.
func (w *digestWriter) e(s string) string {
	if w.html {
		return esc(s)
	}
	return s
}

// header writes the title, the totals and the narrative.
func (w *digestWriter) header(d tasks.Digest, committee string) {
	lang, sb := w.lang, &w.sb
	at := d.At.Format("02/01/2006")
	group := d.Group
	if group == "" && len(d.Groups) == 1 {
		group = d.Groups[0].Name // one plan: named once, in the title (see groups)
	}
	if group != "" {
		sb.WriteString(w.b(text(lang, "digest_title_group", w.e(committee), w.e(group), at)))
	} else {
		sb.WriteString(w.b(text(lang, "digest_title", w.e(committee), at)))
	}
	sb.WriteString("\n" + doneRatio(lang, d.Total))
	if judged := d.Total.DoneOnTime + d.Total.DoneLate; judged > 0 && d.Total.Done-judged <= judged {
		// When most completion dates are unknown (an imported list), a
		// split of the few known ones would mislead: it is left out.
		// Only the counts that are not zero: "(hoàn thành đúng hạn 40,
		// trễ hạn 8)", never "trễ hạn 0".
		var parts []string
		for _, p := range []struct {
			key string
			n   int
		}{{"digest_on_time_n", d.Total.DoneOnTime}, {"digest_late_n", d.Total.DoneLate}, {"digest_undated_n", d.Total.Done - judged}} {
			if p.n > 0 {
				parts = append(parts, text(lang, p.key, p.n))
			}
		}
		sb.WriteString(" " + text(lang, "digest_on_time", strings.Join(parts, ", ")))
	}
	if n := d.Total.Reported(); n > 0 {
		sb.WriteString(text(lang, "digest_reported", n))
	}
	sb.WriteString("\n" + statusCounts(lang, d.Total))
	if d.Total.Overdue > 0 {
		sb.WriteString("\n⚠️ " + text(lang, "digest_overdue_count", d.Total.Overdue))
	}
	if d.Total.Ongoing > 0 {
		sb.WriteString("\n" + text(lang, "digest_ongoing", d.Total.Ongoing))
	}
	if d.Narrative != "" {
		sb.WriteString("\n\n" + w.e(d.Narrative))
	}
}

// groups writes the figures of each group, when there is more than one.
func (w *digestWriter) groups(d tasks.Digest) {
	if len(d.Groups) < 2 {
		return // one plan: its figures are the totals above
	}
	lang, sb := w.lang, &w.sb
	sb.WriteString("\n\n" + w.b(text(lang, "digest_groups")))
	for _, g := range d.Groups {
		name := g.Name
		if name == "" {
			name = text(lang, "digest_no_group")
		}
		sb.WriteString(fmt.Sprintf("\n• %s: %s", w.e(name), doneRatio(lang, g)))
		if n := g.Reported(); n > 0 {
			sb.WriteString(text(lang, "digest_reported", n))
		}
		if g.Overdue > 0 {
			sb.WriteString(", " + text(lang, "digest_overdue_count", g.Overdue))
		}
		sb.WriteString("\n   " + statusCounts(lang, g))
	}
}

// overdue writes the overdue tasks by unit.
func (w *digestWriter) overdue(d tasks.Digest) {
	if len(d.Overdue) == 0 {
		return
	}
	lang, sb := w.lang, &w.sb
	sb.WriteString("\n\n" + w.b(text(lang, "digest_overdue_by_unit")))
	for i, uo := range d.Overdue {
		if i == 15 {
			sb.WriteString("\n" + text(lang, "digest_more_units", len(d.Overdue)-i))
			break
		}
		var items []string
		for j, t := range uo.Tasks {
			if j == 5 {
				items = append(items, text(lang, "digest_more", len(uo.Tasks)-j))
				break
			}
			items = append(items, fmt.Sprintf("%s (%s)", w.e(t.Code), text(lang, "days_late", t.DaysLate)))
		}
		sb.WriteString(fmt.Sprintf("\n• %s: %d — %s", w.e(uo.Unit.Name), len(uo.Tasks), strings.Join(items, ", ")))
	}
}

// awaiting writes what awaits a decision.
func (w *digestWriter) awaiting(d tasks.Digest) {
	if len(d.Awaiting) == 0 {
		return
	}
	lang, sb := w.lang, &w.sb
	sb.WriteString("\n\n" + w.b(text(lang, "digest_awaiting", len(d.Awaiting))))
	for _, a := range d.Awaiting {
		if a.Extension != nil {
			sb.WriteString("\n• " + text(lang, "digest_await_ext", w.e(a.Code), w.e(clip(a.Title, 60)), a.Extension.OldDeadline.VN(), a.Extension.NewDeadline.VN()))
		} else {
			sb.WriteString(fmt.Sprintf("\n• %s %s — %s", w.e(a.Code), w.e(clip(a.Title, 60)), a.Status.Name(lang)))
		}
	}
}

// blocked writes the open tasks held up by a blocker.
func (w *digestWriter) blocked(d tasks.Digest) {
	if len(d.Blocked) == 0 {
		return
	}
	lang, sb := w.lang, &w.sb
	sb.WriteString("\n\n" + w.b(text(lang, "digest_blocked", len(d.Blocked))))
	for i, x := range d.Blocked {
		if i == 10 {
			sb.WriteString("\n" + text(lang, "digest_more", len(d.Blocked)-i))
			break
		}
		sb.WriteString(fmt.Sprintf("\n• %s (%s): %s", w.e(x.Code), w.e(x.Unit), w.e(clip(x.Blocker, 100))))
	}
}

// changes writes what changed since the previous digest.
func (w *digestWriter) changes(d tasks.Digest) {
	if !d.HasPrev {
		return
	}
	lang, sb := w.lang, &w.sb
	sb.WriteString("\n\n" + w.b(text(lang, "digest_changes", d.PrevAt.Format("02/01/2006"), len(d.Changes))))
	done := 0
	for _, c := range d.Changes {
		if c.NewStatus == tasks.Done && c.OldStatus != tasks.Done {
			done++
		}
	}
	if done > 0 {
		sb.WriteString("\n" + text(lang, "digest_changes_done", done))
	}
	for i, c := range d.Changes {
		if i == 10 {
			sb.WriteString("\n" + text(lang, "digest_more", len(d.Changes)-i))
			break
		}
		if c.New {
			sb.WriteString(fmt.Sprintf("\n• %s: %s (%s)", w.e(c.Code), text(lang, "digest_new_task"), c.NewStatus.Name(lang)))
			continue
		}
		sb.WriteString(fmt.Sprintf("\n• %s: %s %d%% → %s %d%%", w.e(c.Code), c.OldStatus.Name(lang), c.OldProgress, c.NewStatus.Name(lang), c.NewProgress))
	}
}

// doneRatio is the done share as the committees' reports write it: "48/79
// nhiệm vụ đã hoàn thành, chiếm 61%". Only confirmed completions count.
func doneRatio(lang string, g tasks.GroupStat) string {
	return text(lang, "digest_total", g.Done, g.Total, g.Pct())
}

// statusCounts is "đã hoàn thành 47 · đang triển khai 32 · …", statuses
// with no task left out.
func statusCounts(lang string, g tasks.GroupStat) string {
	var parts []string
	for _, s := range tasks.Statuses {
		if s == tasks.DoneReported {
			continue // beside the done figure: "chờ xác nhận: 1"
		}
		if n := g.Counts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", s.Name(lang), n))
		}
	}
	return strings.Join(parts, " · ")
}

// formatScorecard renders the unit scorecard in HTML; limit 0 shows all.
func formatScorecard(d tasks.Digest, lang string, limit int) string {
	return formatScorecardWith(d, lang, limit, func(s string) string { return "<b>" + s + "</b>" }, esc)
}

func formatScorecardWith(d tasks.Digest, lang string, limit int, b, e func(string) string) string {
	var sb strings.Builder
	sb.WriteString(b(text(lang, "scorecard_title")))
	for i, s := range d.Scorecard {
		if limit > 0 && i == limit {
			sb.WriteString("\n" + text(lang, "digest_more_units", len(d.Scorecard)-i))
			break
		}
		line := text(lang, "scorecard_line", e(s.Unit.Name), s.Done, s.Total, tasks.Percent(s.Done, s.Total))
		if s.Overdue > 0 {
			line += text(lang, "scorecard_overdue", s.Overdue)
		}
		if r := s.OnTimeRate(); r >= 0 && 2*(s.DoneOnTime+s.DoneLate) >= s.Done {
			line += text(lang, "scorecard_on_time", r) // only when most completion dates are known
		}
		if s.Overdue > 0 {
			line = "⚠️ " + line
		}
		sb.WriteString("\n• " + line)
	}
	return sb.String()
}

// decisionButtons lets a decider act on what awaits the committee from the
// digest itself: Approve / Reject per item, for the first few.
func (b *Bot) decisionButtons(lang string, d tasks.Digest) [][]tasks.Button {
	var kb [][]tasks.Button
	for _, a := range d.Awaiting {
		if len(kb) == 8 {
			break
		}
		var ok, no string
		if a.Extension != nil {
			id := fmt.Sprint(a.Extension.ID)
			ok, no = b.sign.sign(opDecideExtension, id, verdictApprove), b.sign.sign(opDecideExtension, id, verdictReject)
		} else {
			ok, no = b.sign.sign(opDecideProposal, a.Code, verdictApprove), b.sign.sign(opDecideProposal, a.Code, verdictReject)
		}
		if row := b.row(btn(approveLabel(lang, a.Status, a.Extension != nil, a.Code), ok), btn(text(lang, "btn_reject"), no)); len(row) == 2 {
			kb = append(kb, row)
		}
	}
	return kb
}
