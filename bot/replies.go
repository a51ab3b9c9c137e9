package bot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"steerbot/tasks"
)

// attachments returns the evidence a message carries.
func attachments(m *models.Message) []tasks.Attachment {
	var out []tasks.Attachment
	if d := m.Document; d != nil {
		name := d.FileName
		if name == "" {
			name = "document"
		}
		out = append(out, tasks.Attachment{FileID: d.FileID, Name: name, Size: d.FileSize, Kind: "document"})
	}
	if n := len(m.Photo); n > 0 {
		p := m.Photo[n-1] // the largest size
		name := "photo.jpg"
		if id := p.FileUniqueID; len(id) >= 6 {
			name = "photo-" + id[len(id)-6:] + ".jpg" // photos of one album told apart
		}
		out = append(out, tasks.Attachment{FileID: p.FileID, Name: name, Size: int64(p.FileSize), Kind: "photo"})
	}
	return out
}

// messageText is what a member wrote: the text, or a file's caption.
func messageText(m *models.Message) string {
	if m.Text != "" {
		return strings.TrimSpace(m.Text)
	}
	return strings.TrimSpace(m.Caption)
}

// onReply reads a reply to one of the bot's messages: as its purpose says
// (a date for more time, a progress, conclusions, a draft), or else as an
// update of the task(s) that message was about.
func (b *Bot) onReply(r *req, m *models.Message) (err error) {
	if !r.linked {
		if r.private {
			r.reply(r.t("not_linked"), nil)
		}
		return nil
	}
	ref, err := b.repliedTo(r, m)
	if tasks.IsNotFound(err) {
		if !r.private {
			return nil
		}
		return b.onFreeText(r, m)
	} else if err != nil {
		return err
	}
	if ref.Purpose == tasks.PurposeUpdate && !r.private && !r.member.Role.ForUnit() {
		// In the committee group, chairs and the secretariat reply to one
		// another ("đề nghị Sở Nội vụ khẩn trương…"): that is talk, not a
		// report. Only a unit's own people report there, and anyone
		// answers the bot's own questions.
		return nil
	}
	if len(ref.TaskCodes) == 0 && ref.Purpose == tasks.PurposeUpdate {
		if !r.private {
			return nil
		}
		return b.onFreeText(r, m)
	}
	body, atts := messageText(m), attachments(m)
	if done, err := b.albumFollower(r, m, atts); done || err != nil {
		return err
	}
	defer func() {
		if err == nil {
			err = b.rememberAlbum(r, m)
		}
	}()
	if done, err := b.onPurpose(r, ref, body, atts, m); done || err != nil {
		return err
	}
	cands, refusal := b.replyCandidates(r, ref)
	switch {
	case len(cands) == 0 && !r.private:
		return nil // not this unit's task: no refusal posted in the group
	case len(cands) == 0 && refusal != nil:
		return refusal
	case len(cands) == 0:
		return userError(tasks.ECONFLICT, "reply_no_open_task")
	}
	return b.applyReply(r, body, atts, cands)
}

// repliedTo returns what the bot remembers of the message m replies to
// (ENOTFOUND when nothing).
func (b *Bot) repliedTo(r *req, m *models.Message) (tasks.MessageRef, error) {
	ref, err := r.tx.MessageRef(r.chatID, m.ReplyToMessage.ID)
	if tasks.IsNotFound(err) {
		// A group that became a supergroup: the bot's messages there are
		// recorded under the group's old id.
		old, ok, merr := b.movedFrom(r.tx, r.chatID)
		if merr != nil {
			return ref, merr
		}
		if ok {
			ref, err = r.tx.MessageRef(old, m.ReplyToMessage.ID)
		}
	}
	return ref, err
}

// onPurpose handles a reply to a message that asked for something in
// particular; done is false when the reply is to be read as an update.
func (b *Bot) onPurpose(r *req, ref tasks.MessageRef, body string, atts []tasks.Attachment, m *models.Message) (done bool, err error) {
	switch ref.Purpose {
	case tasks.PurposeExtend:
		t, err := b.loadTask(r, ref.TaskCodes[0], tasks.RequestExtend)
		if err != nil {
			return true, err
		}
		date, reason := tasks.ExtensionWords(body, tasks.DateOf(r.now, b.o.Loc))
		return true, b.requestExtension(r, t, date, reason)
	case tasks.PurposeProgress:
		if n, ok := tasks.ParsePercent(strings.Fields(body + " x")[0]); ok && len(atts) == 0 {
			t, err := b.loadTask(r, ref.TaskCodes[0], tasks.UpdateTask)
			if err != nil {
				return true, err
			}
			ch := tasks.Change{Progress: &n, Note: strings.TrimSpace(restWords(body, 1))}
			return true, b.applyChange(r, t, ch, tasks.ViaReply, true)
		}
	case tasks.PurposeConclusions:
		return true, b.onConclusions(r, body, m)
	case tasks.PurposeImport:
		return true, b.importFile(r, m)
	case tasks.PurposeIndicator:
		return true, b.onIndicatorReply(r, ref, body, atts)
	case tasks.PurposeReturn:
		return true, b.onReturnReason(r, ref.TaskCodes[0], body)
	}
	if draft, ok := ref.Purpose.Draft(); ok {
		return true, b.editDraft(r, draft, body)
	}
	return false, nil
}

// replyCandidates returns the tasks of ref that the member may update: the
// open ones, or the one task of a one-task message whatever its status.
// refusal is the first permission refused, to explain an empty list.
func (b *Bot) replyCandidates(r *req, ref tasks.MessageRef) (cands []tasks.Task, refusal error) {
	for _, code := range ref.TaskCodes {
		t, err := r.tx.Task(code)
		if err != nil {
			continue
		}
		if err := b.o.Policy.Can(r.member, tasks.UpdateTask, &t); err != nil {
			if refusal == nil {
				refusal = err
			}
			continue
		}
		if t.Status.Open() || len(ref.TaskCodes) == 1 {
			cands = append(cands, t)
		}
	}
	return cands, refusal
}

// applyReply applies a reply to the task it is about among cands: the one
// task, the one it names, each named task its own words, or the task the
// member then chooses.
func (b *Bot) applyReply(r *req, body string, atts []tasks.Attachment, cands []tasks.Task) error {
	if len(cands) == 1 {
		return b.applyText(r, cands[0], body, atts, tasks.ViaReply)
	}
	if parts := tasks.SplitByCode(body, cands); len(parts) == 1 {
		return b.applyText(r, parts[0].Task, parts[0].Text, atts, tasks.ViaReply)
	} else if len(parts) > 1 && len(atts) == 0 {
		// "CCHC-01 xong, CCHC-02 được 50%": each task gets its own words.
		for _, p := range parts {
			if err := b.applyText(r, p.Task, p.Text, nil, tasks.ViaReply); err != nil {
				return err
			}
		}
		return nil
	}
	if done, err := b.assistReply(r, body, atts, cands); done {
		return err
	}
	if len(atts) == 0 && tasks.IsAcknowledgement(body, tasks.DateOf(r.now, b.o.Loc)) {
		r.reply(r.t("reply_not_read"), nil)
		return nil
	}
	return b.askWhich(r, body, atts, cands)
}

// albumFollower adds the files of a later message of an album (several
// photos or files sent at once, each a message of its own) to where the
// first one went — its task, or the question which task — without a
// question or a confirmation of its own. done is false for a message that
// is not such a follower.
func (b *Bot) albumFollower(r *req, m *models.Message, atts []tasks.Attachment) (bool, error) {
	if m.MediaGroupID == "" || len(atts) == 0 {
		return false, nil
	}
	a, err := r.tx.Album(m.MediaGroupID)
	if tasks.IsNotFound(err) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	switch {
	case a.Task != "":
		t, err := b.loadTask(r, a.Task, tasks.UpdateTask)
		if err != nil {
			return true, err
		}
		return true, b.applyChange(r, t, tasks.Change{Attachments: atts, Note: messageText(m)}, tasks.ViaReply, false)
	case a.Pending != 0:
		p, err := r.tx.PendingChoice(a.Pending)
		if tasks.IsNotFound(err) {
			return true, nil // already chosen: the files came too late for it
		} else if err != nil {
			return true, err
		}
		p.Atts = append(p.Atts, atts...)
		return true, r.tx.PutPendingChoice(p)
	}
	return false, nil
}

// rememberAlbum records where the first message of an album went.
func (b *Bot) rememberAlbum(r *req, m *models.Message) error {
	a := tasks.Album{ID: m.MediaGroupID, Pending: r.pending, Created: r.now}
	if r.pending == 0 {
		a.Task = r.task
	}
	if a.ID == "" || (a.Pending == 0 && a.Task == "") {
		return nil
	}
	if err := r.tx.PutAlbum(a); err != nil {
		return fmt.Errorf("remember album: %w", err)
	}
	return nil
}

// askWhich asks with one button per task which task a reply is about.
func (b *Bot) askWhich(r *req, body string, atts []tasks.Attachment, cands []tasks.Task) error {
	p := tasks.PendingChoice{ID: r.upd.ID, Member: r.member.ID, Text: body, Atts: atts, Created: r.now}
	if err := r.tx.PutPendingChoice(p); err != nil {
		return err
	}
	r.pending = p.ID
	r.reply(b.whichTask(r.lang, p.ID, cands))
	return nil
}

// whichTask is the question which of cands the pending reply id is about,
// with one button per task.
func (b *Bot) whichTask(lang string, pending int64, cands []tasks.Task) (string, [][]tasks.Button) {
	id := fmt.Sprint(pending)
	var kb [][]tasks.Button
	var lines []string
	for i, t := range cands {
		if i == 12 {
			break
		}
		lines = append(lines, fmt.Sprintf("• <b>%s</b> %s", esc(t.Code), esc(clipWord(t.Title, 70))))
		if row := b.row(btn(t.Code+" — "+clipWord(t.Title, 30), b.sign.sign(opChoose, id, t.Code))); len(row) > 0 {
			kb = append(kb, row)
		}
	}
	return text(lang, "which_task") + "\n" + strings.Join(lines, "\n"), kb
}

// choosePending applies a pending reply to the task the member chose.
func (b *Bot) choosePending(r *req, id, code string) error {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return userError(tasks.EINVALID, "stale_button")
	}
	p, err := r.tx.PendingChoice(n)
	if tasks.IsNotFound(err) {
		return userError(tasks.EINVALID, "stale_button")
	} else if err != nil {
		return err
	}
	if p.Member != r.member.ID {
		return tasks.NewError(tasks.EFORBIDDEN, "not_yours", "not your reply")
	}
	t, err := b.loadTask(r, code, tasks.UpdateTask)
	if err != nil {
		return err
	}
	if err := r.tx.DeletePendingChoice(n); err != nil {
		return err
	}
	r.edit(r.chatID, r.msgID, r.t("which_task_chosen", esc(t.Code)), nil, t.Code)
	return b.applyText(r, t, p.Text, p.Atts, tasks.ViaReply)
}

// applyText applies what the rules read in a member's text (and any
// evidence) to a task. Text the rules cannot read is kept as a note with no
// status change, and the member is told so and shown the buttons.
func (b *Bot) applyText(r *req, t tasks.Task, body string, atts []tasks.Attachment, via tasks.Via) error {
	today := tasks.DateOf(r.now, b.o.Loc)
	rd := tasks.ReadReply(body, today)
	if tasks.AsksExtension(body) && len(atts) == 0 && rd.Status == nil && rd.Progress == nil && b.o.Policy.Can(r.member, tasks.RequestExtend, &t) == nil {
		// "xin gia hạn đến 30/11 vì chờ kinh phí": a request for more
		// time, sent to the deciders, not a note.
		if date, reason := tasks.ExtensionWords(body, today); date != "" {
			if _, err := tasks.ParseDate(date, today); err == nil {
				if reason == "" {
					reason = body
				}
				return b.requestExtension(r, t, date, reason)
			}
		}
		b.askExtension(r, t)
		return nil
	}
	ch := rd.Change()
	ch.Attachments = atts
	if !rd.Understood && len(atts) == 0 && b.o.Assistant != nil && !tasks.IsCourtesy(body) {
		return b.askAssistant(r, t, body)
	}
	if ch.Empty() {
		return userError(tasks.EINVALID, "empty_reply")
	}
	if !rd.Understood {
		if err := b.applyChange(r, t, ch, via, false); err != nil {
			return err
		}
		key := "kept_as_note"
		if len(atts) > 0 {
			key = "evidence_saved"
		}
		r.reply(r.t(key, esc(t.Code), len(atts)), b.taskButtons(r.lang, r.member, t), t.Code)
		return nil
	}
	return b.applyChange(r, t, ch, via, true)
}

// onFreeText handles a private message that is neither a command nor a
// reply: if it names one of the member's tasks by code it updates it,
// otherwise it explains how to report.
func (b *Bot) onFreeText(r *req, m *models.Message) error {
	body := messageText(m)
	var found []tasks.Task
	var loose []string // code-like words that name no task exactly
	for _, code := range tasks.CodeWords(body) {
		if t, err := r.tx.Task(code); err == nil {
			found = append(found, t)
		} else if tasks.MayBeLooseCode(code) {
			loose = append(loose, code)
		}
	}
	if len(found) == 0 && len(loose) == 1 {
		// "cchc2 xong": the one code-like word, typed loosely.
		if t, ok, err := findLoose(r.tx, loose[0]); err != nil {
			return err
		} else if ok {
			found = append(found, t)
			body = tasks.ReplaceCode(body, loose[0], t.Code)
		}
	}
	if len(found) == 1 {
		t := found[0]
		rest := strings.Trim(strings.TrimSpace(tasks.ReplaceCode(body, t.Code, "")), " :-,")
		atts := attachments(m)
		if len(atts) == 0 && (rest == "" || tasks.IsQuestion(rest)) {
			// "CCHC-01" or "CCHC-01 thế nào rồi?": they want to see it.
			if err := b.o.Policy.Can(r.member, tasks.ReadTask, &t); err != nil {
				return err
			}
			return b.showCard(r, t)
		}
		if err := b.o.Policy.Can(r.member, tasks.UpdateTask, &t); err != nil {
			return err
		}
		return b.applyText(r, t, rest, atts, tasks.ViaFreeText)
	}
	if len(attachments(m)) > 0 {
		// Evidence with no task named: the file is not lost silently; the
		// member is told how to attach it.
		r.reply(r.t("evidence_how"), nil)
		return nil
	}
	if done, err := b.assistFreeText(r, body); done {
		return err
	}
	r.reply(r.t("free_text_hint"), nil)
	return nil
}
