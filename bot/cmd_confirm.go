package bot

// This file holds the secretariat's confirmation of done reports
// (committee.confirm_done): the card each report sends, the Confirm and
// Return buttons, the reason a report is returned with, and /pending.

import (
	"fmt"
	"strings"

	"steerbot/tasks"
)

// reportKey is the key prefix of the cards of one done report (the Update
// that made it), one per secretariat member; copyKey remembers them so
// that the first decision edits the others.
func reportKey(updID uint64) string { return fmt.Sprintf("conf:%d:ask:", updID) }

// notifyReport sends every secretariat member a card for a unit's report
// that t is done (u), with the evidence sent again as files and Confirm /
// Return buttons.
func (b *Bot) notifyReport(r *req, t tasks.Task, u tasks.Update) error {
	ms, err := r.tx.Members()
	if err != nil {
		return err
	}
	unit := b.unitName(r.tx, t.Unit)
	for _, s := range b.o.Policy.Confirmers(ms) {
		lang := b.langOf(s)
		key := reportKey(u.ID) + fmt.Sprint(s.ID)
		b.forwardEvidence(r, t, u, s)
		r.out = append(r.out, tasks.OutMessage{
			ChatID: s.TelegramID, Key: key, TaskCodes: []string{t.Code}, Purpose: tasks.PurposeDecision,
			Text: b.reportText(lang, t, unit, u, len(u.Attachments)), Buttons: b.reportButtons(lang, t.Code, u.ID),
		})
	}
	return nil
}

// forwardEvidence sends secretariat member s the files of update u, each
// with a caption naming the task, who sent it and when.
func (b *Bot) forwardEvidence(r *req, t tasks.Task, u tasks.Update, s tasks.Member) {
	lang := b.langOf(s)
	for i, a := range u.Attachments {
		f := tasks.OutMessage{ChatID: s.TelegramID, Key: fmt.Sprintf("conf:%d:file:%d:%d", u.ID, s.ID, i), TaskCodes: []string{t.Code},
			Text: text(lang, "evidence_caption", esc(t.Code), esc(u.ByName), u.At.In(b.o.Loc).Format("02/01/2006"))}
		if a.Kind == "photo" {
			f.Photo = &tasks.File{FileID: a.FileID, Name: a.Name}
		} else {
			f.Document = &tasks.File{FileID: a.FileID, Name: a.Name}
		}
		r.out = append(r.out, f)
	}
}

// notifyMoreEvidence sends the secretariat the files a unit adds to a task
// whose done report awaits confirmation (the later photos of an album, a
// file sent after "xong"), so that what they confirm on is all in front of
// them.
func (b *Bot) notifyMoreEvidence(r *req, t tasks.Task, u tasks.Update) error {
	if len(u.Attachments) == 0 || !r.member.Role.ForUnit() {
		return nil
	}
	ms, err := r.tx.Members()
	if err != nil {
		return err
	}
	for _, s := range b.o.Policy.Confirmers(ms) {
		b.forwardEvidence(r, t, u, s)
	}
	return nil
}

// reportText presents a done report to the secretariat.
func (b *Bot) reportText(lang string, t tasks.Task, unit string, u tasks.Update, files int) string {
	s := text(lang, "report_card", esc(t.Code), esc(clip(t.Title, 200)), esc(unit), esc(u.ByName), u.At.In(b.o.Loc).Format("15:04 02/01/2006"))
	if !t.Deadline.IsZero() {
		s += "\n" + text(lang, "report_card_deadline", esc(t.DeadlineLabel()))
	}
	if u.Note != "" {
		s += "\n" + text(lang, "saved_note", esc(clip(u.Note, 300)))
	}
	if files > 0 {
		s += "\n" + text(lang, "saved_files", files)
	} else {
		s += "\n" + text(lang, "report_no_files")
	}
	return s
}

// reportButtons are a card's Confirm / Return buttons.
func (b *Bot) reportButtons(lang, code string, updID uint64) [][]tasks.Button {
	id := fmt.Sprint(updID)
	row := b.row(
		btn(text(lang, "btn_report_confirm"), b.sign.sign(opConfirmReport, code, id, verdictApprove)),
		btn(text(lang, "btn_report_return"), b.sign.sign(opConfirmReport, code, id, verdictReject)),
	)
	if len(row) == 0 {
		return nil
	}
	return [][]tasks.Button{row}
}

// unitName is a unit's name, or its code when it has none.
func (b *Bot) unitName(tx tasks.UnitStore, code string) string {
	if u, err := tx.Unit(code); err == nil && u.Name != "" {
		return u.Name
	}
	return code
}

// currentReport reads a task's history for the report that awaits
// confirmation; ok is false when the task is not (or no longer) reported
// done, or when updID names an older report.
func (b *Bot) currentReport(r *req, t tasks.Task, updID string) (report tasks.Update, evidence []tasks.Attachment, ok bool, err error) {
	hist, err := r.tx.History(t.Code, 0)
	if err != nil {
		return report, nil, false, err
	}
	report, evidence, found := tasks.LastReport(hist)
	if !found || t.Status != tasks.DoneReported || (updID != "" && fmt.Sprint(report.ID) != updID) {
		return report, evidence, false, nil
	}
	return report, evidence, true, nil
}

// onReportButton confirms a done report, or asks for the reason to return
// it. The first decision wins: a later tap is told who decided.
func (b *Bot) onReportButton(r *req, code, updID, verdict string) error {
	t, err := b.loadTask(r, code, tasks.ConfirmReport)
	if err != nil {
		return err
	}
	report, _, ok, err := b.currentReport(r, t, updID)
	if err != nil {
		return err
	}
	if !ok {
		return b.reportAlreadyDecided(r, t)
	}
	if verdict != verdictApprove {
		r.out = append(r.out, tasks.OutMessage{ChatID: r.chatID, Text: r.t("report_return_prompt", esc(t.Code)), TaskCodes: []string{t.Code}, Purpose: tasks.PurposeReturn, ForceReply: true})
		r.cbText = stripTags(r.t("report_return_toast"))
		return nil
	}
	if _, err := b.o.Policy.Confirm(r.tx, &t, r.member, r.now); err != nil {
		return err
	}
	r.cbText = stripTags(r.t("decision_saved"))
	return b.reportDecided(r, t, report, "report_confirmed", "report_confirmed_you", "")
}

// onReturnReason returns a done report with the reason replied to the
// prompt.
func (b *Bot) onReturnReason(r *req, code, reason string) error {
	t, err := b.loadTask(r, code, tasks.ConfirmReport)
	if err != nil {
		return err
	}
	report, _, ok, err := b.currentReport(r, t, "")
	if err != nil {
		return err
	}
	if !ok {
		return b.reportAlreadyDecided(r, t)
	}
	reason = strings.TrimSpace(reason)
	if n := len([]rune(reason)); n > tasks.MaxTitle {
		return userError(tasks.EINVALID, "title_too_long", tasks.MaxTitle)
	}
	if _, err := b.o.Policy.Return(r.tx, &t, report, reason, r.member, r.now); err != nil {
		return err
	}
	r.reply(r.t("report_returned", esc(t.Code), esc(b.unitName(r.tx, t.Unit))), nil, t.Code)
	return b.reportDecided(r, t, report, "report_returned_card", "report_returned_you", reason)
}

// reportDecided edits every secretariat member's card of the report to say
// how it was decided (the one tapped included), and tells the unit.
func (b *Bot) reportDecided(r *req, t tasks.Task, report tasks.Update, cardKey, unitKey, reason string) error {
	ms, err := r.tx.Members()
	if err != nil {
		return err
	}
	say := func(lang string) string {
		return text(lang, cardKey, esc(t.Code), esc(r.member.Name), r.now.In(b.o.Loc).Format("02/01/2006"), esc(reason))
	}
	if r.cb != nil {
		b.showDecision(r, say(r.lang), t.Code)
	}
	if err := b.editCopiesOf(r, b.o.Policy.Confirmers(ms), reportKey(report.ID), t.Code, say); err != nil {
		return err
	}
	for _, m := range tasks.UnitContacts(ms, t.Unit) {
		lang := b.langOf(m)
		r.send(m.TelegramID, text(lang, unitKey, esc(t.Code), report.At.In(b.o.Loc).Format("02/01/2006"), esc(r.member.Name), esc(reason)), nil, t.Code)
	}
	return nil
}

// reportAlreadyDecided answers a tap or a reason that comes after the
// report was decided, naming who decided it.
func (b *Bot) reportAlreadyDecided(r *req, t tasks.Task) error {
	hist, err := r.tx.History(t.Code, 0)
	if err != nil {
		return err
	}
	who := ""
	for i := len(hist) - 1; i >= 0; i-- {
		if hist[i].Via == tasks.ViaConfirm {
			who = hist[i].ByName
			break
		}
	}
	msg := r.t("report_already", esc(t.Code), t.Status.Name(r.lang), esc(orDash(who)))
	if r.cb != nil {
		r.cbText = stripTags(msg)
		b.showDecision(r, msg, t.Code)
		return nil
	}
	r.reply(msg, nil, t.Code)
	return nil
}

// cmdPending lists the done reports awaiting confirmation, oldest first,
// with Confirm / Return buttons for the secretariat.
func (b *Bot) cmdPending(r *req, _ string) error {
	all, err := r.tx.Tasks(tasks.TaskFilter{})
	if err != nil {
		return err
	}
	list := tasks.AwaitingConfirmation(all)
	if len(list) == 0 {
		r.reply(r.t("pending_none"), nil)
		return nil
	}
	canConfirm := b.o.Policy.Can(r.member, tasks.ConfirmReport, nil) == nil
	var sb strings.Builder
	sb.WriteString(r.t("pending_title", len(list)))
	var kb [][]tasks.Button
	codes := make([]string, 0, len(list))
	for i, t := range list {
		report, evidence, ok, err := b.currentReport(r, t, "")
		if err != nil {
			return err
		}
		who, at := "—", t.CompletedAt
		if ok {
			who, at = report.ByName, report.At
		}
		sb.WriteString("\n" + r.t("pending_line", esc(t.Code), esc(clip(t.Title, 80)), esc(b.unitName(r.tx, t.Unit)), esc(who), at.In(b.o.Loc).Format("02/01/2006"), len(evidence)))
		codes = append(codes, t.Code)
		if canConfirm && ok && i < 8 {
			row := b.row(
				btn(r.t("btn_report_confirm_code", t.Code), b.sign.sign(opConfirmReport, t.Code, fmt.Sprint(report.ID), verdictApprove)),
				btn(r.t("btn_report_return"), b.sign.sign(opConfirmReport, t.Code, fmt.Sprint(report.ID), verdictReject)),
			)
			if len(row) > 0 {
				kb = append(kb, row)
			}
		}
	}
	r.reply(sb.String(), kb, codes...)
	return nil
}

// reportVerdict reads a report button's verdict; anything else is stale.
func reportVerdict(v string) (string, error) {
	if v != verdictApprove && v != verdictReject {
		return "", userError(tasks.EINVALID, "stale_button")
	}
	return v, nil
}
