package bot

// This file holds the indicators (chỉ tiêu) in chat: /indicators,
// /indicator, /value, a reply to an indicator reminder, the reminder
// itself and the indicators' lines of the digest and the scorecard.

import (
	"fmt"
	"strings"

	"steerbot/tasks"
)

// maxIndicatorHistory is how many values /indicator shows.
const maxIndicatorHistory = 10

func (b *Bot) cmdIndicators(r *req, args string) error {
	unit, err := unitArg(r, args)
	if err != nil {
		return err
	}
	if unit == "" && r.member.Role.ForUnit() {
		unit = r.member.Unit
	}
	if unit != "" && unit != r.member.Unit {
		if err := b.o.Policy.Can(r.member, tasks.ReadAll, nil); err != nil {
			return err
		}
	}
	today := tasks.DateOf(r.now, b.o.Loc)
	st, err := tasks.LoadIndicatorStandings(r.tx, tasks.IndicatorFilter{Involving: unit}, today)
	if err != nil {
		return err
	}
	title := r.t("indicators_title_all", len(st))
	if unit != "" {
		u, err := r.tx.Unit(unit)
		if err != nil {
			return err
		}
		if len(st) == 0 {
			r.reply(r.t("indicators_none", esc(u.Name)), nil)
			return nil
		}
		title = r.t("indicators_title", esc(u.Name), len(st))
	} else if len(st) == 0 {
		r.reply(r.t("indicators_none_all"), nil)
		return nil
	}
	var sb strings.Builder
	sb.WriteString(title)
	sb.WriteString("\n" + indicatorSummaryLine(r.lang, tasks.SummarizeIndicators(st), false))
	for _, x := range st {
		who := ""
		if unit == "" || x.Indicator.Unit != unit {
			who = " (" + esc(x.Indicator.Unit) + ")"
		}
		sb.WriteString(fmt.Sprintf("\n\n• <b>%s</b>%s %s\n   %s", esc(x.Indicator.Code), who,
			esc(clip(x.Indicator.Name, 90)), standingText(r.lang, x)))
	}
	r.reply(sb.String(), nil)
	return nil
}

// standingText is "mục tiêu ≥ 95 % · ✅ đạt 96,2 % (tháng 9/2026)".
func standingText(lang string, x tasks.IndicatorStanding) string {
	return text(lang, "ind_target", esc(x.Indicator.Target.String())) + " · " + resultText(lang, x)
}

// resultText is where an indicator stands: "✅ đạt 96,2 % (tháng 9/2026)",
// "⏳ chưa có số liệu quý 4/2026 (lần trước …)", "⛔ đã dừng".
func resultText(lang string, x tasks.IndicatorStanding) string {
	span := spanText(lang, x.Span)
	var res string
	switch x.Result {
	case tasks.IndicatorAchieved:
		res = text(lang, "ind_achieved", esc(x.Current.Quantity().String()), span)
	case tasks.IndicatorNotAchieved:
		res = text(lang, "ind_not_achieved", esc(x.Current.Quantity().String()), span)
	case tasks.IndicatorClosed:
		res = text(lang, "ind_stopped")
	default:
		res = text(lang, "ind_no_value", span)
		if x.Last != nil {
			res += " " + text(lang, "ind_last", esc(x.Last.Quantity().String()), x.Last.AsOf.VN())
		}
	}
	if x.Indicator.State == tasks.IndicatorNew && !x.Indicator.AssignedOn.IsZero() {
		res += " · " + text(lang, "ind_new_on", x.Indicator.AssignedOn.VN())
	}
	return res
}

// spanText names a period: "tháng 9/2026", "quý 3/2026", "năm 2026".
func spanText(lang string, s tasks.Span) string {
	switch s.Period {
	case tasks.CadenceMonth, tasks.CadenceQuarter:
		return text(lang, "span_"+string(s.Period), s.N, s.Year)
	case tasks.CadenceHalf:
		return text(lang, fmt.Sprintf("span_half%d", s.N), s.Year)
	}
	return text(lang, "span_year", s.Year)
}

// loadIndicator finds an indicator by the code a member typed and checks
// that the member may do a on it.
func (b *Bot) loadIndicator(r *req, code string, a tasks.Action) (tasks.Indicator, error) {
	code = tasks.NormalizeCode(code)
	if code == "" {
		return tasks.Indicator{}, userError(tasks.EINVALID, "usage_indicator")
	}
	ind, err := r.tx.Indicator(code)
	if err != nil {
		return ind, err
	}
	return ind, b.o.Policy.CanIndicator(r.member, a, &ind)
}

func (b *Bot) cmdIndicator(r *req, args string) error {
	code, _, _ := strings.Cut(strings.TrimSpace(args), " ")
	ind, err := b.loadIndicator(r, code, tasks.ReadIndicator)
	if err != nil {
		return err
	}
	vals, err := r.tx.IndicatorValues(ind.Code, 0)
	if err != nil {
		return err
	}
	x := tasks.JudgeIndicator(ind, vals, tasks.DateOf(r.now, b.o.Loc))
	var sb strings.Builder
	sb.WriteString(r.t("ind_card_title", esc(ind.Code), esc(ind.Name)))
	name := func(code string) string {
		if u, err := r.tx.Unit(code); err == nil && u.Name != "" {
			return esc(u.Name)
		}
		return esc(code)
	}
	sb.WriteString("\n" + r.t("ind_card_unit", name(ind.Unit)))
	if len(ind.CoUnits) > 0 {
		co := make([]string, len(ind.CoUnits))
		for i, c := range ind.CoUnits {
			co[i] = name(c)
		}
		sb.WriteString("\n" + r.t("ind_card_co", strings.Join(co, ", ")))
	}
	sb.WriteString("\n" + r.t("ind_card_target", esc(ind.Target.String()), r.t("ind_period_"+string(ind.Period.Norm()))))
	sb.WriteString("\n" + r.t("ind_card_state", r.t("ind_state_"+string(ind.State.Norm()))))
	if ind.Group != "" {
		sb.WriteString("\n" + r.t("ind_card_group", esc(ind.Group)))
	}
	if ind.Source != "" {
		sb.WriteString("\n" + r.t("ind_card_source", esc(ind.Source)))
	}
	sb.WriteString("\n" + r.t("ind_card_now", resultText(r.lang, x)))
	if len(vals) == 0 {
		sb.WriteString("\n\n" + r.t("ind_card_no_history"))
	} else {
		sb.WriteString("\n\n" + r.t("ind_card_history", len(vals)))
		from := max(0, len(vals)-maxIndicatorHistory)
		for i := len(vals) - 1; i >= from; i-- {
			sb.WriteString("\n" + valueLine(r.lang, vals[i]))
		}
	}
	r.reply(sb.String(), nil)
	return nil
}

// valueLine is one reported value: "• 20/09/2026 Lê Văn C: 96,2 % “note”".
func valueLine(lang string, v tasks.IndicatorValue) string {
	who := v.ByName
	if who == "" {
		who = text(lang, "via_"+string(v.Via))
	}
	line := fmt.Sprintf("• %s %s: %s", v.AsOf.VN(), esc(clip(who, cardWho)), esc(v.Quantity().String()))
	if v.Note != "" {
		line += " “" + esc(clip(v.Note, histClip)) + "”"
	}
	if len(v.Evidence) > 0 {
		line += fmt.Sprintf(" 📎%d", len(v.Evidence))
	}
	return line
}

func (b *Bot) cmdValue(r *req, args string) error {
	code, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	if code == "" || strings.TrimSpace(rest) == "" {
		return userError(tasks.EINVALID, "usage_value")
	}
	ind, err := b.loadIndicator(r, code, tasks.ReportValue)
	if err != nil {
		return err
	}
	return b.reportValue(r, ind, tasks.ValueReport{Text: rest, Via: tasks.ViaCommand})
}

// reportValue checks and stores a member's value of ind and answers with
// where the indicator now stands. The value is in the update's
// transaction: committed before the answer goes out.
func (b *Bot) reportValue(r *req, ind tasks.Indicator, rep tasks.ValueReport) error {
	v, err := b.o.Policy.ReportIndicatorValue(r.member, ind, rep, r.now, b.o.Loc)
	if err != nil {
		return err
	}
	if err := r.tx.AddIndicatorValue(&v); err != nil {
		return fmt.Errorf("add value of %s: %w", ind.Code, err)
	}
	vals, err := r.tx.IndicatorValues(ind.Code, 0)
	if err != nil {
		return err
	}
	x := tasks.JudgeIndicator(ind, vals, tasks.DateOf(r.now, b.o.Loc))
	r.reply(r.t("value_saved", esc(ind.Code), esc(v.Quantity().String()), v.AsOf.VN(), standingText(r.lang, x)), nil)
	return nil
}

// onIndicatorReply reads a reply to an indicator reminder as a value: of
// its one indicator, or of the one whose code the reply starts with.
func (b *Bot) onIndicatorReply(r *req, ref tasks.MessageRef, body string, atts []tasks.Attachment) error {
	codes := ref.TaskCodes
	if len(codes) == 0 {
		return userError(tasks.EINVALID, "usage_value")
	}
	// "CT-05: đạt 96,2%" names the indicator; "đạt 96,2%" is the one
	// indicator of the reminder.
	code, valueText := "", body
	first, rest, _ := strings.Cut(strings.TrimSpace(body), " ")
	for _, c := range codes {
		if tasks.NormalizeCode(strings.TrimRight(first, ":,.")) == c {
			code, valueText = c, rest
		}
	}
	if code == "" && len(codes) == 1 {
		code = codes[0]
	}
	if code == "" {
		return userError(tasks.EINVALID, "indicator_which", strings.Join(codes, ", "), codes[0])
	}
	ind, err := b.loadIndicator(r, code, tasks.ReportValue)
	if err != nil {
		return err
	}
	return b.reportValue(r, ind, tasks.ValueReport{Text: valueText, Via: tasks.ViaReply, Evidence: atts})
}

// remindIndicators renders an indicator reminder: the unit's indicators
// with no value for the current period, each with its target. A reply to
// it is a value (PurposeIndicator).
func (b *Bot) remindIndicators(tx tasks.OutboxStore, rm tasks.Reminder) error {
	m := rm.Member
	if !m.Linked() || len(rm.Indicators) == 0 {
		return nil
	}
	lang := b.langOf(m)
	unit := rm.Unit.Name
	if unit == "" {
		unit = m.Unit
	}
	var sb strings.Builder
	sb.WriteString(text(lang, "remind_indicators", esc(tasks.Salutation(m, lang)), esc(unit), len(rm.Indicators)))
	codes := make([]string, len(rm.Indicators))
	for i, x := range rm.Indicators {
		codes[i] = x.Indicator.Code
		sb.WriteString(fmt.Sprintf("\n• <b>%s</b> %s\n   %s", esc(x.Indicator.Code), esc(clip(x.Indicator.Name, 90)), standingText(lang, x)))
	}
	if len(codes) == 1 {
		sb.WriteString("\n\n" + text(lang, "remind_indicators_how_one"))
	} else {
		sb.WriteString("\n\n" + text(lang, "remind_indicators_how_many", esc(codes[0])))
	}
	return b.enqueueAs(tx, tasks.OutMessage{Key: rm.Key, ChatID: m.TelegramID, TaskCodes: codes, Purpose: tasks.PurposeIndicator}, sb.String())
}

// indicatorSummaryLine is the indicators' line of a digest: "Chỉ tiêu:
// 25/28 đạt", or before any value "25/28 đang triển khai, 3 mới giao".
func indicatorSummaryLine(lang string, s tasks.IndicatorSummary, withDates bool) string {
	var line string
	if s.HasValues() {
		line = text(lang, "digest_ind_achieved", s.Achieved, s.Total)
	} else {
		line = text(lang, "digest_ind_assigned", s.Assigned, s.Total)
		if s.New > 0 {
			line += text(lang, "digest_ind_new", s.New)
			if withDates && len(s.NewOn) > 0 {
				days := make([]string, len(s.NewOn))
				for i, d := range s.NewOn {
					days[i] = d.VN()
				}
				line += text(lang, "digest_ind_new_on", strings.Join(days, ", "))
			}
		}
	}
	if s.Stopped > 0 {
		line += text(lang, "digest_ind_stopped", s.Stopped)
	}
	return line
}

// indicators writes the indicators' section of a digest: the summary, the
// ones not achieved with value against target, the ones with no value.
func (w *digestWriter) indicators(d tasks.Digest) {
	s := d.Indicators
	if s.Total == 0 && s.Stopped == 0 {
		return
	}
	lang, sb := w.lang, &w.sb
	sb.WriteString("\n\n" + w.b(indicatorSummaryLine(lang, s, true)))
	if !s.HasValues() {
		return
	}
	// Units by name, as the rest of the digest names them; a unit that
	// leads no task keeps its code.
	names := make(map[string]string, len(d.Scorecard))
	for _, u := range d.Scorecard {
		names[u.Unit.Code] = u.Unit.Name
	}
	unitName := func(code string) string {
		if n := names[code]; n != "" {
			return n
		}
		return code
	}
	if len(s.NotAchieved) > 0 {
		sb.WriteString("\n" + text(lang, "digest_ind_not", len(s.NotAchieved)))
		for i, x := range s.NotAchieved {
			if i == 10 {
				sb.WriteString("\n" + text(lang, "digest_more", len(s.NotAchieved)-i))
				break
			}
			sb.WriteString("\n" + text(lang, "digest_ind_not_line", w.e(x.Indicator.Code), w.e(unitName(x.Indicator.Unit)),
				w.e(x.Current.Quantity().String()), w.e(x.Indicator.Target.String())))
		}
	}
	if len(s.NoValue) > 0 {
		var codes []string
		for i, x := range s.NoValue {
			if i == 15 {
				codes = append(codes, text(lang, "digest_more", len(s.NoValue)-i))
				break
			}
			codes = append(codes, w.e(x.Indicator.Code))
		}
		sb.WriteString("\n" + text(lang, "digest_ind_no_value", len(s.NoValue), strings.Join(codes, ", ")))
	}
}

// unitIndicatorsText is the scorecard's indicator figures per unit, named
// by units: "Sở Nội vụ: 3/4 đạt, chưa có số liệu 1"; "" when no unit has
// an indicator.
func unitIndicatorsText(lang string, per []tasks.UnitIndicators, units []tasks.Unit) string {
	if len(per) == 0 {
		return ""
	}
	names := make(map[string]string, len(units))
	for _, u := range units {
		names[u.Code] = u.Name
	}
	var sb strings.Builder
	sb.WriteString("<b>" + text(lang, "units_ind_title") + "</b>")
	for _, ui := range per {
		s := ui.Summary
		if s.Total == 0 {
			continue
		}
		name := names[ui.Unit]
		if name == "" {
			name = ui.Unit
		}
		line := text(lang, "units_ind_line", esc(name), s.Achieved, s.Total)
		if n := len(s.NotAchieved); n > 0 {
			line += text(lang, "units_ind_not", n)
		}
		if n := len(s.NoValue); n > 0 {
			line += text(lang, "units_ind_missing", n)
		}
		sb.WriteString("\n• " + line)
	}
	return sb.String()
}
