package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"steerbot/tasks"
)

// Where the rules give up, the assistant reads: a reply about several
// tasks that names none of them, a private message that names no task (and
// may state an indicator's value). It proposes one change per task or
// indicator; each is confirmed on its own before anything is stored. When
// the model is off, down, slow or out of budget, the member gets the
// answer the rules give.

// Kinds of assistant jobs, besides jobUpdate and jobConclusions.
const (
	jobReply    = "reply"     // a reply about several tasks that names none
	jobFreeText = "free_text" // a private message that names no task
)

// maxJobProposals is how many proposals one message may give; proposal
// ids of a job are made from the job's id and the proposal's index.
const maxJobProposals = 16

// proposalID returns the id of the i-th proposal of job: negative, so that
// it never meets the id of a one-task proposal (the update's own id).
func proposalID(job int64, i int) int64 { return -(job*maxJobProposals + int64(i) + 1) }

// assistReply hands a reply about several tasks that names none of them to
// the assistant; done is false when the assistant is not for it: it is off,
// the reply carries files, or it is only a courtesy ("Dạ em nhận ạ").
func (b *Bot) assistReply(r *req, body string, atts []tasks.Attachment, cands []tasks.Task) (done bool, err error) {
	if b.o.Assistant == nil || len(atts) > 0 || len(cands) < 2 || tasks.IsCourtesy(body) {
		return false, nil
	}
	if len(tasks.SplitByCode(body, cands)) > 0 {
		return false, nil // the rules know which task: no need to ask
	}
	return true, b.queueJob(r, jobReply, cands, body)
}

// assistFreeText hands a private message that names no task to the
// assistant: a unit's report on its tasks or indicators, or a question of
// a chair or the secretariat. done is false when the assistant is not for
// it.
func (b *Bot) assistFreeText(r *req, body string) (done bool, err error) {
	if b.o.Assistant == nil || tasks.IsCourtesy(body) {
		return false, nil
	}
	if b.o.Policy.Can(r.member, tasks.ReadAll, nil) == nil && tasks.IsQuestion(body) {
		return true, b.queueAsk(r, body)
	}
	if !r.member.Role.ForUnit() {
		return false, nil
	}
	ts, err := r.tx.Tasks(tasks.TaskFilter{Unit: r.member.Unit, OpenOnly: true})
	if err != nil {
		return false, err
	}
	inds, err := b.reportableIndicators(r.tx, r.member)
	if err != nil {
		return false, err
	}
	if len(ts) == 0 && len(inds) == 0 {
		return false, nil
	}
	return true, b.queueJob(r, jobFreeText, ts, body)
}

// reportableIndicators returns the active indicators whose value m may
// report.
func (b *Bot) reportableIndicators(tx tasks.IndicatorStore, m tasks.Member) ([]tasks.Indicator, error) {
	if !m.Role.ForUnit() {
		return nil, nil
	}
	all, err := tx.Indicators(tasks.IndicatorFilter{Unit: m.Unit, ActiveOnly: true})
	if err != nil {
		return nil, fmt.Errorf("indicators of %s: %w", m.Unit, err)
	}
	var out []tasks.Indicator
	for _, ind := range all {
		if b.o.Policy.CanIndicator(m, tasks.ReportValue, &ind) == nil {
			out = append(out, ind)
		}
	}
	return out, nil
}

// queueJob records an assistant job of kind for a member's text about
// cands.
func (b *Bot) queueJob(r *req, kind string, cands []tasks.Task, body string) error {
	j := tasks.AssistJob{ID: r.upd.ID, Kind: kind, Member: r.member.ID, Chat: r.chatID, Text: body}
	for _, t := range cands {
		j.Codes = append(j.Codes, t.Code)
	}
	if err := addJob(r.tx, j, r.now); err != nil {
		return err
	}
	r.then(b.wakeAssistant(r.chatID))
	return nil
}

// runProposalsJob asks the model about a reply or a private message and
// queues one proposal per task or indicator it reports on, or the rules'
// answer when the model gives none.
func (b *Bot) runProposalsJob(ctx context.Context, j tasks.AssistJob) error {
	var member tasks.Member
	var cands []tasks.Task
	var inds []tasks.Indicator
	if err := b.o.Store.View(ctx, func(tx tasks.Tx) error {
		var err error
		if member, err = tx.Member(j.Member); err != nil {
			return err
		}
		all, err := jobCandidates(tx, j.Codes)
		if err != nil {
			return err
		}
		for _, t := range all {
			if b.o.Policy.Can(member, tasks.UpdateTask, &t) == nil {
				cands = append(cands, t)
			}
		}
		if j.Kind == jobFreeText {
			inds, err = b.reportableIndicators(tx, member)
		}
		return err
	}); err != nil {
		return err
	}
	today := tasks.DateOf(b.o.Clock.Now(), b.o.Loc)
	var ps []tasks.Proposal
	var askErr error
	if len(cands)+len(inds) == 0 {
		askErr = tasks.Errorf(tasks.ECONFLICT, "no candidate left")
	} else {
		ps, askErr = b.o.Assistant.ProposeUpdates(ctx, member, j.Text, cands, inds, today)
	}
	ps = b.keepValid(member, ps, cands, inds)
	if askErr == nil && len(ps) == 0 {
		askErr = tasks.Errorf(tasks.EINVALID, "no valid proposal")
	}
	return b.o.Store.Update(ctx, func(tx tasks.Tx) error {
		if err := tx.DeleteAssistJob(j.ID); err != nil {
			return err
		}
		lang := b.langOf(member)
		now := b.o.Clock.Now()
		if askErr != nil {
			b.log.Warn("assistant failed; rule-based path", "id", j.ID, "kind", j.Kind, "err", askErr)
			return b.rulesAnswer(tx, j, member, cands, lang)
		}
		for i, p := range ps {
			id := proposalID(j.ID, i)
			if err := tx.PutProposal(tasks.PendingProposal{ID: id, Member: member.ID, Text: j.Text, Proposal: p, Created: now}); err != nil {
				return err
			}
			msg := tasks.OutMessage{Key: fmt.Sprintf("assist:%d:%d", j.ID, i), ChatID: j.Chat, Created: now}
			if p.Indicator != "" {
				ind := findIndicator(inds, p.Indicator)
				msg.Text = text(lang, "prop_value", esc(ind.Code), esc(clip(ind.Name, 80)), esc(p.Value)) + "\n\n" + text(lang, "prop_confirm")
				msg.Buttons = b.proposalButtons(lang, id, ind.Code)
			} else {
				t := findTask(cands, p.Task)
				msg.Text = b.proposalText(lang, t, p)
				msg.Buttons = b.proposalButtons(lang, id, t.Code)
				msg.TaskCodes = []string{t.Code}
			}
			if _, err := tx.Enqueue(&msg); err != nil {
				return err
			}
		}
		return nil
	})
}

// jobCandidates loads the tasks a job offers the model; one deleted since
// is no longer a candidate.
func jobCandidates(tx tasks.TaskStore, codes []string) ([]tasks.Task, error) {
	var out []tasks.Task
	for _, c := range codes {
		t, err := tx.Task(c)
		if tasks.IsNotFound(err) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("candidate %s: %w", c, err)
		}
		out = append(out, t)
	}
	return out, nil
}

// keepValid keeps the proposals that name a candidate and that member may
// make, as any input is checked.
func (b *Bot) keepValid(member tasks.Member, ps []tasks.Proposal, cands []tasks.Task, inds []tasks.Indicator) []tasks.Proposal {
	var out []tasks.Proposal
	for _, p := range ps {
		if p.Indicator != "" {
			if ind := findIndicator(inds, p.Indicator); ind.Code != "" && p.Value != "" {
				out = append(out, p)
			}
			continue
		}
		t := findTask(cands, p.Task)
		if t.Code == "" {
			continue
		}
		if err := b.checkProposal(member, t, p); err != nil {
			b.log.Warn("assistant proposal refused", "task", t.Code, "err", err)
			continue
		}
		out = append(out, p)
	}
	return out
}

func findTask(ts []tasks.Task, code string) tasks.Task {
	for _, t := range ts {
		if strings.EqualFold(t.Code, code) {
			return t
		}
	}
	return tasks.Task{}
}

func findIndicator(inds []tasks.Indicator, code string) tasks.Indicator {
	for _, ind := range inds {
		if strings.EqualFold(ind.Code, code) {
			return ind
		}
	}
	return tasks.Indicator{}
}

// proposalButtons are Confirm, Edit and Cancel of one proposal. Confirm
// names the task or indicator it confirms: the member wrote no code, and
// several proposals may stand one under the other.
func (b *Bot) proposalButtons(lang string, id int64, code string) [][]tasks.Button {
	sid := strconv.FormatInt(id, 10)
	return [][]tasks.Button{b.row(
		btn(text(lang, "btn_confirm_code", code), b.sign.sign(opConfirmProposal, sid, "ok")),
		btn(text(lang, "btn_edit"), b.sign.sign(opConfirmProposal, sid, "edit")),
		btn(text(lang, "btn_cancel"), b.sign.sign(opConfirmProposal, sid, "no")),
	)}
}

// rulesAnswer queues what the rules answer when the model gave nothing: for
// a reply, "received" to words the rules do not read and "which task?" to
// words they do; for a private message, how to report.
func (b *Bot) rulesAnswer(tx tasks.Tx, j tasks.AssistJob, member tasks.Member, cands []tasks.Task, lang string) error {
	now := b.o.Clock.Now()
	msg := tasks.OutMessage{Key: fmt.Sprintf("assist:%d", j.ID), ChatID: j.Chat, Created: now}
	switch {
	case j.Kind == jobReply && len(cands) > 1 && !tasks.IsAcknowledgement(j.Text, tasks.DateOf(now, b.o.Loc)):
		p := tasks.PendingChoice{ID: j.ID, Member: member.ID, Text: j.Text, Created: now}
		if err := tx.PutPendingChoice(p); err != nil {
			return err
		}
		msg.Text, msg.Buttons = b.whichTask(lang, j.ID, cands)
	case j.Kind == jobReply:
		msg.Text = text(lang, "reply_not_read")
	default:
		msg.Text = text(lang, "assistant_failed") + "\n" + text(lang, "free_text_hint")
	}
	_, err := tx.Enqueue(&msg)
	return err
}

// confirmValueProposal stores, or drops, an indicator's value that the
// assistant read, as /value would store it.
func (b *Bot) confirmValueProposal(r *req, rec tasks.PendingProposal, verdict string) error {
	p := rec.Proposal
	ind, err := r.tx.Indicator(p.Indicator)
	if tasks.IsNotFound(err) {
		return userError(tasks.EINVALID, "stale_button")
	} else if err != nil {
		return err
	}
	switch verdict {
	case "no", "edit":
		r.edit(r.chatID, r.msgID, r.t("prop_cancelled", esc(ind.Code)), nil)
		r.cbText = stripTags(r.t("prop_cancelled", esc(ind.Code)))
		if verdict == "edit" {
			r.reply(r.t("prop_value_edit", esc(ind.Code)), nil)
		}
		return nil
	case "ok":
	default:
		return userError(tasks.EINVALID, "stale_button")
	}
	v, err := b.o.Policy.ReportIndicatorValue(r.member, ind, tasks.ValueReport{Text: p.Value, Note: p.Note, Via: tasks.ViaLLM}, r.now, b.o.Loc)
	if err != nil {
		return err
	}
	if err := r.tx.AddIndicatorValue(&v); err != nil {
		return fmt.Errorf("store value of %s: %w", ind.Code, err)
	}
	saved := r.t("prop_value_saved", esc(ind.Code), esc(v.Quantity().String()), v.AsOf.VN())
	r.edit(r.chatID, r.msgID, saved, nil)
	r.cbText = stripTags(saved)
	return nil
}
