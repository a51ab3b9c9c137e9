package bot

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"steerbot/tasks"
)

func (b *Bot) cmdExtend(r *req, args string) error {
	f := strings.Fields(args)
	if len(f) < 3 {
		return userError(tasks.EINVALID, "usage_extend")
	}
	t, err := b.loadTask(r, f[0], tasks.RequestExtend)
	if err != nil {
		return err
	}
	if err := b.o.Policy.Can(r.member, tasks.RequestExtend, &t); err != nil {
		return err
	}
	dl, reason, err := tasks.CutDeadline(restWords(args, 1), tasks.DateOf(r.now, b.o.Loc))
	if err != nil {
		return err
	}
	return b.requestDeadline(r, t, dl, reason)
}

// requestExtension records a request for a later deadline and sends it to
// every decider with Approve / Reject buttons.
func (b *Bot) requestExtension(r *req, t tasks.Task, date, reason string) error {
	if err := b.o.Policy.Can(r.member, tasks.RequestExtend, &t); err != nil {
		return err
	}
	dl, err := tasks.ParseDeadline(date, tasks.DateOf(r.now, b.o.Loc))
	if err != nil {
		return err
	}
	return b.requestDeadline(r, t, dl, reason)
}

// requestDeadline is requestExtension with the deadline read: a date, with
// the words it was written in ("Quý I/2025") kept.
func (b *Bot) requestDeadline(r *req, t tasks.Task, dl tasks.Deadline, reason string) error {
	if err := b.o.Policy.Can(r.member, tasks.RequestExtend, &t); err != nil {
		return err
	}
	today := tasks.DateOf(r.now, b.o.Loc)
	if dl.Ongoing {
		return userError(tasks.EINVALID, "extend_needs_date")
	}
	nd := dl.Date
	if !t.Status.Open() {
		return userError(tasks.ECONFLICT, "extend_closed", t.Code)
	}
	if nd.Before(today) || (!t.Deadline.IsZero() && !t.Deadline.Before(nd)) {
		return userError(tasks.EINVALID, "extend_not_later", nd.VN(), t.Deadline.VN())
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return userError(tasks.EINVALID, "extend_needs_reason")
	}
	if utf8.RuneCountInString(reason) > tasks.MaxTitle {
		return userError(tasks.EINVALID, "title_too_long", tasks.MaxTitle)
	}
	pending, err := r.tx.Extensions(tasks.ExtPending)
	if err != nil {
		return err
	}
	for _, e := range pending {
		if e.Task == t.Code {
			return userError(tasks.ECONFLICT, "extend_pending", t.Code)
		}
	}
	e := tasks.ExtensionRequest{Task: t.Code, RequesterID: r.member.ID, OldDeadline: t.Deadline, NewDeadline: nd, NewDeadlineText: dl.Text, Reason: reason, State: tasks.ExtPending, Created: r.now}
	if err := r.tx.PutExtension(&e); err != nil {
		return err
	}
	deciders, err := b.deciders(r.tx)
	if err != nil {
		return err
	}
	for _, d := range deciders {
		r.out = append(r.out, b.extensionAsk(r.tx, e, t, r.member.Name, d))
	}
	if len(deciders) == 0 {
		r.reply(r.t("extend_no_deciders", esc(t.Code)), nil, t.Code)
		return nil
	}
	r.reply(r.t("extend_sent", esc(t.Code), nd.VN(), len(deciders)), nil, t.Code)
	return nil
}

// extensionAsk is one decider's copy of an extension request, with Approve
// / Reject buttons, under the key that editCopies finds.
func (b *Bot) extensionAsk(tx tasks.UnitStore, e tasks.ExtensionRequest, t tasks.Task, requester string, d tasks.Member) tasks.OutMessage {
	lang := b.langOf(d)
	kb := [][]tasks.Button{b.row(
		btn(approveLabel(lang, t.Status, true, t.Code), b.sign.sign(opDecideExtension, fmt.Sprint(e.ID), verdictApprove)),
		btn(text(lang, "btn_reject"), b.sign.sign(opDecideExtension, fmt.Sprint(e.ID), verdictReject)),
	)}
	return tasks.OutMessage{ChatID: d.TelegramID, Text: b.extensionText(lang, tx, e, t, requester), Buttons: kb, TaskCodes: []string{t.Code}, Purpose: tasks.PurposeDecision, Key: fmt.Sprintf("ext:%d:ask:%d", e.ID, d.ID)}
}

// extensionText presents an extension request to a decider.
func (b *Bot) extensionText(lang string, tx tasks.UnitStore, e tasks.ExtensionRequest, t tasks.Task, requester string) string {
	unit := t.Unit
	if u, err := tx.Unit(t.Unit); err == nil {
		unit = u.Name
	}
	old := e.OldDeadline.VN()
	if old == "" {
		old = "—"
	}
	return text(lang, "extend_ask", esc(t.Code), esc(clip(t.Title, 120)), esc(unit), esc(requester), old, e.NewDeadline.VN(), esc(e.Reason))
}

// deciders are the linked members who may decide: chairs, and the
// secretariat when the committee allows it.
func (b *Bot) deciders(tx tasks.MemberStore) ([]tasks.Member, error) {
	ms, err := tx.Members()
	if err != nil {
		return nil, err
	}
	return b.o.Policy.Deciders(ms), nil
}

// decideExtension applies a decider's tap. The first decision wins; the
// other deciders' messages are edited to say who decided; the requester is
// told; the deadline changes only on approval, with an Update.
func (b *Bot) decideExtension(r *req, idText, verdict string) error {
	if err := b.o.Policy.Can(r.member, tasks.Decide, nil); err != nil {
		return err
	}
	id, err := strconv.ParseUint(idText, 10, 64)
	if err != nil {
		return userError(tasks.EINVALID, "stale_button")
	}
	e, err := r.tx.Extension(id)
	if tasks.IsNotFound(err) {
		return userError(tasks.EINVALID, "stale_button")
	} else if err != nil {
		return err
	}
	t, err := r.tx.Task(e.Task)
	if err != nil {
		return err
	}
	if e.State != tasks.ExtPending {
		who := ""
		if d, err := r.tx.Member(e.DeciderID); err == nil {
			who = d.Name
		}
		r.cbText = stripTags(r.t("already_decided", esc(who)))
		b.showDecision(r, b.decidedText(r.lang, r.tx, e, t, who), t.Code)
		return nil
	}
	e.DeciderID, e.Decided = r.member.ID, r.now
	if verdict == verdictApprove {
		e.State = tasks.ExtApproved
		if _, err := b.o.Policy.Commit(r.tx, &t, tasks.Change{Deadline: &e.NewDeadline, DeadlineText: e.NewDeadlineText, Note: e.Reason}, r.member, tasks.ViaDecision, r.now); err != nil {
			return err
		}
	} else {
		e.State = tasks.ExtRejected
	}
	if err := r.tx.PutExtension(&e); err != nil {
		return err
	}
	r.cbText = stripTags(r.t("decision_saved"))
	b.showDecision(r, b.decidedText(r.lang, r.tx, e, t, r.member.Name), t.Code)
	if err := b.editCopies(r, fmt.Sprintf("ext:%d:ask:", e.ID), t.Code, func(lang string) string {
		return b.decidedText(lang, r.tx, e, t, r.member.Name)
	}); err != nil {
		return err
	}
	if req, err := r.tx.Member(e.RequesterID); err == nil && req.Linked() {
		lang := b.langOf(req)
		key := "extend_approved_you"
		if e.State == tasks.ExtRejected {
			key = "extend_rejected_you"
		}
		r.send(req.TelegramID, text(lang, key, esc(t.Code), e.NewDeadline.VN(), esc(r.member.Name)), nil, t.Code)
	}
	return nil
}

// editCopies edits every other decider's copy of one decision request
// (keys under prefix) to say how it was decided, in their language and
// without buttons, so nobody decides twice.
func (b *Bot) editCopies(r *req, prefix, code string, say func(lang string) string) error {
	ds, err := b.deciders(r.tx)
	if err != nil {
		return err
	}
	return b.editCopiesOf(r, ds, prefix, code, say)
}

// editCopiesOf is editCopies for the copies sent to members: the deciders,
// or the secretariat for a done report.
func (b *Bot) editCopiesOf(r *req, members []tasks.Member, prefix, code string, say func(lang string) string) error {
	copies, err := b.copiesOf(r, members, prefix)
	if err != nil {
		return err
	}
	for _, c := range copies {
		if c.ChatID == r.chatID && c.SentMessageID == r.msgID {
			continue
		}
		lang := b.o.Lang
		if m, err := r.tx.MemberByTelegram(c.ChatID); err == nil {
			lang = b.langOf(m)
		}
		r.edit(c.ChatID, c.SentMessageID, say(lang), nil, code)
	}
	return nil
}

// copiesOf returns the outbox messages sent to members under keys with a
// prefix.
func (b *Bot) copiesOf(r *req, ds []tasks.Member, prefix string) ([]tasks.OutMessage, error) {
	var out []tasks.OutMessage
	for _, d := range ds {
		c, err := r.tx.DecisionCopy(prefix + fmt.Sprint(d.ID))
		if tasks.IsNotFound(err) {
			continue // never asked, or long ago
		} else if err != nil {
			return nil, err
		}
		m, err := r.tx.OutMessage(c.OutID)
		if tasks.IsNotFound(err) || (err == nil && m.State != tasks.OutSent) {
			continue // pruned, or not delivered: nothing to edit
		} else if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// decidedText replaces a decision request once decided.
func (b *Bot) decidedText(lang string, tx tasks.UnitStore, e tasks.ExtensionRequest, t tasks.Task, who string) string {
	key := "extend_decided_approved"
	if e.State == tasks.ExtRejected {
		key = "extend_decided_rejected"
	}
	return text(lang, key, esc(t.Code), e.NewDeadline.VN(), esc(who))
}

// notifyDeciders tells the deciders that a unit proposes to stop or carry
// over a task, with Approve / Reject buttons.
func (b *Bot) notifyDeciders(r *req, t tasks.Task, reason string) {
	unit := t.Unit
	if u, err := r.tx.Unit(t.Unit); err == nil {
		unit = u.Name
	}
	ds, err := b.deciders(r.tx)
	if err != nil {
		return
	}
	for _, d := range ds {
		if d.ID == r.member.ID {
			continue
		}
		r.out = append(r.out, b.proposalAsk(t, unit, r.member.Name, reason, fmt.Sprint(r.upd.ID), d))
	}
}

// proposalAsk is one decider's copy of a proposal to stop or carry over a
// task; from names what made it (an update id), so that each proposal has
// its own key.
func (b *Bot) proposalAsk(t tasks.Task, unit, proposer, reason, from string, d tasks.Member) tasks.OutMessage {
	lang := b.langOf(d)
	kb := [][]tasks.Button{b.row(
		btn(approveLabel(lang, t.Status, false, t.Code), b.sign.sign(opDecideProposal, t.Code, verdictApprove)),
		btn(text(lang, "btn_reject"), b.sign.sign(opDecideProposal, t.Code, verdictReject)),
	)}
	return tasks.OutMessage{
		ChatID: d.TelegramID, Buttons: kb, TaskCodes: []string{t.Code},
		Key: fmt.Sprintf("prop:%s:%s:ask:%d", t.Code, from, d.ID), Purpose: tasks.PurposeDecision,
		Text: text(lang, "proposal_ask", esc(t.Code), esc(clip(t.Title, 120)), t.Status.Name(lang), esc(unit), esc(proposer), esc(clip(orDash(reason), 300))),
	}
}

// orDash returns s, or "—" for nothing.
func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// decideProposal approves or rejects a proposal to stop or carry over.
func (b *Bot) decideProposal(r *req, code, verdict string) error {
	if err := b.o.Policy.Can(r.member, tasks.Decide, nil); err != nil {
		return err
	}
	t, err := r.tx.Task(code)
	if tasks.IsNotFound(err) {
		return userError(tasks.EINVALID, "stale_button")
	} else if err != nil {
		return err
	}
	if !t.Status.Proposal() {
		r.cbText = stripTags(r.t("proposal_already", esc(t.Code), t.Status.Name(r.lang)))
		b.showDecision(r, r.t("proposal_state", esc(t.Code), t.Status.Name(r.lang)), t.Code)
		return nil
	}
	next := tasks.InProgress
	if verdict == verdictApprove {
		next = tasks.Stopped
		if t.Status == tasks.ProposedCarryover {
			next = tasks.CarriedOver
		}
	}
	old := t.Status
	if _, err := b.o.Policy.Commit(r.tx, &t, tasks.Change{Status: &next, Note: text(b.o.Lang, "decision_note_"+verdict, old.Name(b.o.Lang))}, r.member, tasks.ViaDecision, r.now); err != nil {
		return err
	}
	r.cbText = stripTags(r.t("decision_saved"))
	key := "proposal_decided"
	if verdict != verdictApprove {
		key = "proposal_rejected"
	}
	b.showDecision(r, r.t(key, esc(t.Code), old.Name(r.lang), t.Status.Name(r.lang), esc(r.member.Name)), t.Code)
	if err := b.editCopies(r, "prop:"+t.Code+":ask:", t.Code, func(lang string) string {
		return text(lang, key, esc(t.Code), old.Name(lang), t.Status.Name(lang), esc(r.member.Name))
	}); err != nil {
		return err
	}
	// Tell the lead unit.
	ms, err := r.tx.Members()
	if err != nil {
		return err
	}
	for _, m := range tasks.UnitContacts(ms, t.Unit) {
		lang := b.langOf(m)
		r.send(m.TelegramID, text(lang, key, esc(t.Code), old.Name(lang), t.Status.Name(lang), esc(r.member.Name)), nil, t.Code)
	}
	return nil
}

// showDecision puts the outcome where the decider tapped: a message that
// asked for this one decision is edited to say it (and loses its buttons);
// a message with several items, such as a digest, is left as it is and the
// outcome is said below it.
func (b *Bot) showDecision(r *req, body, code string) {
	if ref, err := r.tx.MessageRef(r.chatID, r.msgID); err == nil && ref.Purpose == tasks.PurposeDecision {
		r.edit(r.chatID, r.msgID, body, nil, code)
		return
	}
	// The digest keeps its text; the row of the item just decided leaves
	// its keyboard, so nobody taps it again.
	if r.cb != nil && r.cb.Message.Message != nil && r.cb.Message.Message.ReplyMarkup != nil {
		var rest [][]tasks.Button
		for _, row := range r.cb.Message.Message.ReplyMarkup.InlineKeyboard {
			var keep []tasks.Button
			decided := false
			for _, x := range row {
				if x.CallbackData != "" && decisionOf(x.CallbackData) == decisionOf(r.cb.Data) {
					decided = true
				}
				keep = append(keep, tasks.Button{Text: x.Text, Data: x.CallbackData, URL: x.URL})
			}
			if !decided {
				rest = append(rest, keep)
			}
		}
		r.out = append(r.out, tasks.OutMessage{ChatID: r.chatID, EditMessageID: r.msgID, Buttons: rest, KeyboardOnly: true})
	}
	r.reply(body, nil, code)
}

// decisionOf names what a decision button decides ("q|CODE", "e|ID"),
// whichever way it decides it.
func decisionOf(data string) string {
	f := strings.SplitN(data, "|", 3)
	if len(f) < 2 {
		return data
	}
	return f[0] + "|" + f[1]
}
