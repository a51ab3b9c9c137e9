package bot

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"steerbot/tasks"
)

// The assistant (LLM) is slow and may fail, so it never runs inside an
// update's transaction. The update records a job (tasks.AssistJob); after
// the commit a worker asks the model and answers in a transaction of its
// own. Jobs survive a restart: they are in the store until done.

// Kinds of assistant jobs.
const (
	jobUpdate      = "update"
	jobConclusions = "conclusions"
)

// addJob records an assistant job made at now.
func addJob(tx tasks.StateStore, j tasks.AssistJob, now time.Time) error {
	j.Created = now
	if err := tx.PutAssistJob(j); err != nil {
		return fmt.Errorf("add assistant job %d: %w", j.ID, err)
	}
	return nil
}

// askAssistant hands a reply about one task that the rules could not read
// to the assistant.
func (b *Bot) askAssistant(r *req, t tasks.Task, body string) error {
	return b.queueAssistant(r, []tasks.Task{t}, body)
}

// queueAssistant records an assistant job for a member's free text about
// one of candidates.
func (b *Bot) queueAssistant(r *req, cands []tasks.Task, body string) error {
	return b.queueJob(r, jobUpdate, cands, body)
}

// RunAssistant answers assistant jobs until ctx ends. It does nothing when
// the assistant is off.
func (b *Bot) RunAssistant(ctx context.Context) {
	if b.o.Assistant == nil {
		return
	}
	// A job whose model call failed for a passing reason is tried again
	// within a minute, not only when the next job comes.
	retry := b.o.Clock.After(time.Minute)
	for {
		b.AssistOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-b.assistKick:
		case <-retry:
			retry = b.o.Clock.After(time.Minute)
		}
	}
}

// kickAssistant wakes the assistant worker.
func (b *Bot) kickAssistant() {
	select {
	case b.assistKick <- struct{}{}:
	default:
	}
}

// AssistOnce answers every pending assistant job.
func (b *Bot) AssistOnce(ctx context.Context) {
	var jobs []tasks.AssistJob
	if err := b.o.Store.View(ctx, func(tx tasks.Tx) error {
		var err error
		jobs, err = tx.AssistJobs()
		return err
	}); err != nil {
		if ctx.Err() == nil {
			b.log.Error("assistant: read jobs", "err", err)
		}
		return
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			return
		}
		var err error
		switch j.Kind {
		case jobUpdate:
			err = b.runUpdateJob(ctx, j)
		case jobConclusions:
			err = b.runConclusionsJob(ctx, j)
		case jobReply, jobFreeText:
			err = b.runProposalsJob(ctx, j)
		case jobNarrate:
			err = b.runNarrateJob(ctx, j)
		case jobAsk:
			err = b.runAskJob(ctx, j)
		}
		if err != nil {
			b.log.Error("assistant job", "id", j.ID, "err", err)
		}
		b.o.Kick()
	}
}

func (b *Bot) runUpdateJob(ctx context.Context, j tasks.AssistJob) error {
	var member tasks.Member
	var cands []tasks.Task
	if err := b.o.Store.View(ctx, func(tx tasks.Tx) error {
		var err error
		if member, err = tx.Member(j.Member); err != nil {
			return err
		}
		cands, err = jobCandidates(tx, j.Codes)
		return err
	}); err != nil {
		return err
	}
	today := tasks.DateOf(b.o.Clock.Now(), b.o.Loc)
	p, askErr := b.o.Assistant.ProposeUpdate(ctx, member, j.Text, cands, today)
	var chosen *tasks.Task
	if askErr == nil {
		for i := range cands {
			if strings.EqualFold(cands[i].Code, p.Task) {
				chosen = &cands[i]
			}
		}
		if chosen == nil {
			askErr = tasks.Errorf(tasks.EINVALID, "proposal for a task not offered: %q", p.Task)
		} else if err := b.checkProposal(member, *chosen, p); err != nil {
			askErr = err
		}
	}
	return b.o.Store.Update(ctx, func(tx tasks.Tx) error {
		if err := tx.DeleteAssistJob(j.ID); err != nil {
			return err
		}
		lang := b.langOf(member)
		key := fmt.Sprintf("assist:%d", j.ID)
		if askErr != nil {
			b.log.Warn("assistant failed; rule-based path", "id", j.ID, "err", askErr)
			// The rule-based path: keep the text as a note when it
			// concerns exactly one task, and say so.
			msg := tasks.OutMessage{Key: key, ChatID: j.Chat, Created: b.o.Clock.Now()}
			if len(cands) == 1 {
				t := cands[0]
				_, err := b.o.Policy.Commit(tx, &t, tasks.Change{Note: j.Text}, member, tasks.ViaFreeText, b.o.Clock.Now())
				if err != nil && tasks.ErrorCode(err) == tasks.EINTERNAL {
					return err
				}
				if err == nil {
					// A model that answered something invalid is not
					// "down": the member sees the rule-based path's
					// own message.
					key := "assistant_failed_note"
					if tasks.ErrorCode(askErr) != tasks.EINTERNAL {
						key = "kept_as_note"
					}
					msg.Text = text(lang, key, esc(t.Code))
					msg.Buttons = b.taskButtons(lang, member, t)
					msg.TaskCodes = []string{t.Code}
					_, err := tx.Enqueue(&msg)
					return err
				}
			}
			msg.Text = text(lang, "assistant_failed") + "\n" + text(lang, "free_text_hint")
			_, err := tx.Enqueue(&msg)
			return err
		}
		if err := tx.PutProposal(tasks.PendingProposal{ID: j.ID, Member: member.ID, Text: j.Text, Proposal: p, Created: b.o.Clock.Now()}); err != nil {
			return err
		}
		id := strconv.FormatInt(j.ID, 10)
		kb := [][]tasks.Button{b.row(
			btn(text(lang, "btn_confirm"), b.sign.sign(opConfirmProposal, id, "ok")),
			btn(text(lang, "btn_edit"), b.sign.sign(opConfirmProposal, id, "edit")),
			btn(text(lang, "btn_cancel"), b.sign.sign(opConfirmProposal, id, "no")),
		)}
		msg := tasks.OutMessage{Key: key, ChatID: j.Chat, Text: b.proposalText(lang, *chosen, p), Buttons: kb, TaskCodes: []string{chosen.Code}, Created: b.o.Clock.Now()}
		_, err := tx.Enqueue(&msg)
		return err
	})
}

// checkProposal validates a model's proposal like any input: the member's
// own task, a status the member may set, progress 0–100.
func (b *Bot) checkProposal(m tasks.Member, t tasks.Task, p tasks.Proposal) error {
	if err := b.o.Policy.Can(m, tasks.UpdateTask, &t); err != nil {
		return err
	}
	if p.Status != nil {
		if !p.Status.Valid() {
			return userError(tasks.EINVALID, "bad_value", string(*p.Status))
		}
		if (*p.Status == tasks.Stopped || *p.Status == tasks.CarriedOver) && b.o.Policy.Can(m, tasks.Decide, &t) != nil {
			return userError(tasks.EFORBIDDEN, "only_chairs")
		}
	}
	if p.Progress != nil && (*p.Progress < 0 || *p.Progress > 100) {
		return userError(tasks.EINVALID, "bad_progress", *p.Progress)
	}
	if p.Status == nil && p.Progress == nil && p.Blocker == "" && p.Note == "" && p.ExpectedDate.IsZero() {
		return userError(tasks.EINVALID, "empty_reply")
	}
	return nil
}

// proposalText shows what the assistant understood, for Confirm.
func (b *Bot) proposalText(lang string, t tasks.Task, p tasks.Proposal) string {
	var lines []string
	if p.Status != nil {
		lines = append(lines, text(lang, "prop_status", t.Status.Name(lang), p.Status.Name(lang)))
	}
	if p.Progress != nil {
		lines = append(lines, text(lang, "prop_progress", t.Progress, *p.Progress))
	}
	if !p.ExpectedDate.IsZero() {
		lines = append(lines, text(lang, "prop_expected", p.ExpectedDate.VN()))
	}
	if p.Blocker != "" {
		lines = append(lines, text(lang, "blocker_short", esc(clip(p.Blocker, 200))))
	}
	if p.Note != "" {
		lines = append(lines, "“"+esc(clip(p.Note, 200))+"”")
	}
	return text(lang, "prop_title", esc(t.Code), esc(clip(t.Title, 80))) + "\n• " + strings.Join(lines, "\n• ") + "\n\n" + text(lang, "prop_confirm")
}

// confirmProposal applies, edits or cancels an assistant's proposal.
func (b *Bot) confirmProposal(r *req, id, verdict string) error {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return userError(tasks.EINVALID, "stale_button")
	}
	rec, err := r.tx.Proposal(n)
	if tasks.IsNotFound(err) {
		return userError(tasks.EINVALID, "stale_button")
	} else if err != nil {
		return err
	}
	if rec.Member != r.member.ID {
		return tasks.NewError(tasks.EFORBIDDEN, "not_yours", "not your proposal")
	}
	if err := r.tx.DeleteProposal(n); err != nil {
		return err
	}
	if rec.Proposal.Indicator != "" {
		return b.confirmValueProposal(r, rec, verdict)
	}
	t, err := b.loadTask(r, rec.Proposal.Task, tasks.UpdateTask)
	if err != nil {
		return err
	}
	switch verdict {
	case "no":
		r.edit(r.chatID, r.msgID, r.t("prop_cancelled", esc(t.Code)), nil, t.Code)
		r.cbText = stripTags(r.t("prop_cancelled", esc(t.Code)))
		return nil
	case "edit":
		r.edit(r.chatID, r.msgID, r.t("prop_cancelled", esc(t.Code)), nil, t.Code)
		r.reply(r.t("prop_edit", esc(t.Code)), nil, t.Code)
		return nil
	case "ok":
	default:
		return userError(tasks.EINVALID, "stale_button")
	}
	p := rec.Proposal
	if err := b.checkProposal(r.member, t, p); err != nil {
		return err
	}
	ch := tasks.Change{Status: p.Status, Progress: p.Progress, Blocker: p.Blocker, Note: rec.Text}
	old := t
	if err := b.applyChange(r, t, ch, tasks.ViaLLM, false); err != nil {
		return err
	}
	nt, err := r.tx.Task(t.Code)
	if err != nil {
		return err
	}
	hist, err := r.tx.History(t.Code, 1)
	if err != nil || len(hist) == 0 {
		return fmt.Errorf("history after confirm: %w", err)
	}
	r.edit(r.chatID, r.msgID, b.savedText(r.lang, old, nt, hist[0]), nil, t.Code)
	r.cbText = stripTags(r.t("saved_toast", esc(t.Code), nt.Status.Name(r.lang)))
	return nil
}

func (b *Bot) cmdConclusions(r *req, args string) error {
	if b.o.Assistant == nil {
		return userError(tasks.ECONFLICT, "assistant_off")
	}
	if strings.TrimSpace(args) == "" && r.upd.Message.Document == nil {
		r.out = append(r.out, tasks.OutMessage{ChatID: r.chatID, Text: r.t("conclusions_prompt"), Purpose: tasks.PurposeConclusions, ForceReply: true})
		return nil
	}
	return b.onConclusions(r, args, r.upd.Message)
}

// onConclusions queues a meeting's conclusions (text or a text document)
// for the assistant to draft tasks from.
func (b *Bot) onConclusions(r *req, body string, m *models.Message) error {
	if err := b.o.Policy.Can(r.member, tasks.EditTasks, nil); err != nil {
		return err
	}
	if b.o.Assistant == nil {
		return userError(tasks.ECONFLICT, "assistant_off")
	}
	j := tasks.AssistJob{ID: r.upd.ID, Kind: jobConclusions, Member: r.member.ID, Chat: r.chatID, Text: body}
	if m != nil && m.Document != nil {
		if m.Document.FileSize > 1<<20 {
			return userError(tasks.EINVALID, "file_too_big", 1)
		}
		j.FileID = m.Document.FileID
	}
	if strings.TrimSpace(j.Text) == "" && j.FileID == "" {
		return userError(tasks.EINVALID, "empty_reply")
	}
	if err := addJob(r.tx, j, r.now); err != nil {
		return err
	}
	r.then(b.wakeAssistant(r.chatID))
	r.reply(r.t("conclusions_working"), nil)
	return nil
}

// download fetches a file a member sent, up to limit bytes.
func (b *Bot) download(ctx context.Context, fileID string, limit int64) ([]byte, error) {
	f, err := b.client.GetFile(ctx, &tgbot.GetFileParams{FileID: fileID})
	b.noteCall(err)
	if err != nil {
		return nil, fmt.Errorf("getFile: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.client.FileDownloadLink(f), nil)
	if err != nil {
		return nil, fmt.Errorf("download: bad link")
	}
	resp, err := b.o.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download failed")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download: HTTP %d", resp.StatusCode)
	}
	return io.ReadAll(io.LimitReader(resp.Body, limit))
}

func (b *Bot) runConclusionsJob(ctx context.Context, j tasks.AssistJob) error {
	body := j.Text
	var dlErr error
	if j.FileID != "" {
		data, err := b.download(ctx, j.FileID, 1<<20)
		if err == nil && utf8.Valid(data) {
			body = strings.TrimSpace(body + "\n" + string(data))
		} else if err == nil {
			dlErr = fmt.Errorf("document is not UTF-8 text")
		} else {
			dlErr = err
		}
	}
	var units []tasks.Unit
	var member tasks.Member
	if err := b.o.Store.View(ctx, func(tx tasks.Tx) error {
		var err error
		if member, err = tx.Member(j.Member); err != nil {
			return err
		}
		units, err = tx.Units()
		return err
	}); err != nil {
		return err
	}
	var drafts []tasks.Draft
	err := dlErr
	if err == nil {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		drafts, err = b.o.Assistant.DraftTasks(cctx, body, units, tasks.DateOf(b.o.Clock.Now(), b.o.Loc))
		cancel()
	}
	return b.o.Store.Update(ctx, func(tx tasks.Tx) error {
		if err := tx.DeleteAssistJob(j.ID); err != nil {
			return err
		}
		lang := b.langOf(member)
		if err != nil || len(drafts) == 0 {
			b.log.Warn("conclusions: no drafts", "id", j.ID, "err", err)
			m := tasks.OutMessage{Key: fmt.Sprintf("assist:%d", j.ID), ChatID: j.Chat, Text: text(lang, "conclusions_failed"), Created: b.o.Clock.Now()}
			_, err := tx.Enqueue(&m)
			return err
		}
		rec := tasks.DraftSet{ID: j.ID, Member: member.ID, Drafts: drafts, State: make([]tasks.DraftState, len(drafts)), Created: b.o.Clock.Now()}
		if err := tx.PutDraftSet(rec); err != nil {
			return err
		}
		head := tasks.OutMessage{Key: fmt.Sprintf("assist:%d", j.ID), ChatID: j.Chat, Text: text(lang, "conclusions_drafts", len(drafts)), Created: b.o.Clock.Now()}
		if _, err := tx.Enqueue(&head); err != nil {
			return err
		}
		for i, d := range drafts {
			m := tasks.OutMessage{Key: fmt.Sprintf("assist:%d:%d", j.ID, i), ChatID: j.Chat, Text: draftText(lang, i, d), Buttons: b.draftButtons(lang, j.ID, i), Created: b.o.Clock.Now(),
				Purpose: tasks.DraftPurpose(fmt.Sprintf("%d:%d", j.ID, i))}
			if _, err := tx.Enqueue(&m); err != nil {
				return err
			}
		}
		return nil
	})
}

func (b *Bot) draftButtons(lang string, id int64, i int) [][]tasks.Button {
	sid, si := strconv.FormatInt(id, 10), strconv.Itoa(i)
	return [][]tasks.Button{b.row(
		btn(text(lang, "btn_create"), b.sign.sign(opConfirmDraft, sid, si, "ok")),
		btn(text(lang, "btn_edit"), b.sign.sign(opConfirmDraft, sid, si, "edit")),
		btn(text(lang, "btn_drop"), b.sign.sign(opConfirmDraft, sid, si, "no")),
	)}
}

// draftText shows one drafted task.
func draftText(lang string, i int, d tasks.Draft) string {
	unit, deadline := d.Unit, d.Deadline.VN()
	if unit == "" {
		unit = "—"
	}
	if deadline == "" {
		deadline = "—"
	}
	return text(lang, "draft_line", i+1, esc(d.Title), esc(unit), deadline)
}

// confirmDraft creates, edits or drops one drafted task.
func (b *Bot) confirmDraft(r *req, id, idx, verdict string) error {
	if err := b.o.Policy.Can(r.member, tasks.EditTasks, nil); err != nil {
		return err
	}
	rec, i, err := loadDraft(r.tx, id, idx)
	if err != nil {
		return err
	}
	if rec.State[i] != tasks.DraftOpen {
		r.cbText = stripTags(r.t("draft_already"))
		return nil
	}
	d := rec.Drafts[i]
	switch verdict {
	case "no":
		rec.State[i] = tasks.DraftDropped
		r.edit(r.chatID, r.msgID, "<s>"+draftText(r.lang, i, d)+"</s>\n"+r.t("draft_dropped"), nil)
	case "edit":
		r.out = append(r.out, tasks.OutMessage{ChatID: r.chatID, Text: r.t("draft_edit_prompt", i+1), Purpose: tasks.DraftPurpose(fmt.Sprintf("%s:%d", id, i)), ForceReply: true})
		return nil
	case "ok":
		if d.Unit == "" {
			return userError(tasks.EINVALID, "draft_needs_unit", i+1)
		}
		code, err := b.createTask(r, d.Unit, tasks.Deadline{Date: d.Deadline}, d.Title)
		if err != nil {
			return err
		}
		rec.State[i] = tasks.DraftCreated + tasks.DraftState(code)
		r.edit(r.chatID, r.msgID, draftText(r.lang, i, d)+"\n"+r.t("draft_created", esc(code)), nil, code)
	default:
		return userError(tasks.EINVALID, "stale_button")
	}
	return r.tx.PutDraftSet(rec)
}

// editDraft replaces a draft with the secretariat's "UNIT DATE title" and
// shows it again with its buttons.
func (b *Bot) editDraft(r *req, ref, body string) error {
	if err := b.o.Policy.Can(r.member, tasks.EditTasks, nil); err != nil {
		return err
	}
	id, idx, _ := strings.Cut(ref, ":")
	rec, i, err := loadDraft(r.tx, id, idx)
	if err != nil {
		return err
	}
	if rec.State[i] != tasks.DraftOpen {
		return userError(tasks.EINVALID, "stale_button")
	}
	f := strings.Fields(body)
	if len(f) < 3 {
		return userError(tasks.EINVALID, "usage_draft_edit")
	}
	unit := tasks.NormalizeCode(f[0])
	if _, err := r.tx.Unit(unit); tasks.IsNotFound(err) {
		return userError(tasks.ENOTFOUND, "unit_not_found", unit)
	} else if err != nil {
		return err
	}
	day, err := tasks.ParseDate(f[1], tasks.DateOf(r.now, b.o.Loc))
	if err != nil {
		return err
	}
	rec.Drafts[i] = tasks.Draft{Title: clip(restWords(body, 2), tasks.MaxTitle), Unit: unit, Deadline: day}
	if err := r.tx.PutDraftSet(rec); err != nil {
		return err
	}
	r.reply(draftText(r.lang, i, rec.Drafts[i]), b.draftButtons(r.lang, rec.ID, i))
	return nil
}

// loadDraft reads the set of drafts id and checks that idx names one of
// them; a set that is gone (or expired) or an index out of range is a stale
// button.
func loadDraft(tx tasks.StateStore, id, idx string) (rec tasks.DraftSet, i int, err error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return rec, 0, userError(tasks.EINVALID, "stale_button")
	}
	rec, err = tx.DraftSet(n)
	if tasks.IsNotFound(err) {
		return rec, 0, userError(tasks.EINVALID, "stale_button")
	} else if err != nil {
		return rec, 0, err
	}
	i, err = strconv.Atoi(idx)
	if err != nil || i < 0 || i >= len(rec.Drafts) || len(rec.State) != len(rec.Drafts) {
		return rec, 0, userError(tasks.EINVALID, "stale_button")
	}
	return rec, i, nil
}
