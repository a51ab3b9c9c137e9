package bot

import (
	"fmt"
	"strconv"

	"steerbot/tasks"
)

// onCallback handles a button tap. The data is verified first: a forged,
// stale or foreign button is refused politely and changes nothing.
func (b *Bot) onCallback(r *req) error {
	f, ok := b.sign.verify(r.cb.Data)
	if !ok || len(f) == 0 {
		return userError(tasks.EINVALID, "stale_button")
	}
	if !r.linked {
		return tasks.NewError(tasks.EFORBIDDEN, "not_linked", "not linked")
	}
	arg := func(i int) string {
		if i < len(f) {
			return f[i]
		}
		return ""
	}
	switch f[0] {
	case "v": // open a task
		t, err := b.loadTask(r, arg(1), tasks.ReadTask)
		if err != nil {
			return err
		}
		body, kb, err := b.renderCard(r.tx, r.lang, r.now, r.member, t)
		if err != nil {
			return err
		}
		r.reply(body, kb, t.Code)
		return nil
	case "d": // done
		t, err := b.loadTask(r, arg(1), tasks.UpdateTask)
		if err != nil {
			return err
		}
		if t.Status == tasks.Done {
			r.cbText = stripTags(r.t("already_done", esc(t.Code)))
			return nil
		}
		if err := b.applyChange(r, t, tasks.Change{Status: tasks.StatusPtr(tasks.Done)}, tasks.ViaButton, false); err != nil {
			return err
		}
		r.cbText = stripTags(r.t("saved_toast", esc(t.Code), tasks.Done.Name(r.lang)))
		return b.refreshMessage(r)
	case "p": // progress: ask, or set a quick value
		t, err := b.loadTask(r, arg(1), tasks.UpdateTask)
		if err != nil {
			return err
		}
		if arg(2) == "" {
			row := []tasks.Button{}
			for _, n := range []int{25, 50, 75, 100} {
				row = append(row, btn(fmt.Sprintf("%d%%", n), b.sign.sign("p", t.Code, strconv.Itoa(n))))
			}
			r.out = append(r.out, tasks.OutMessage{ChatID: r.chatID, Text: r.t("progress_ask", esc(t.Code), t.Progress), Buttons: [][]tasks.Button{b.row(row...)}, TaskCodes: []string{t.Code}, Purpose: "progress"})
			return nil
		}
		n, err := strconv.Atoi(arg(2))
		if err != nil {
			return userError(tasks.EINVALID, "stale_button")
		}
		if err := b.applyChange(r, t, tasks.Change{Progress: &n}, tasks.ViaButton, false); err != nil {
			return err
		}
		r.cbText = stripTags(r.t("saved_toast", esc(t.Code), fmt.Sprintf("%d%%", n)))
		return b.refreshMessage(r)
	case "x": // ask for more time: the answer comes as a reply
		t, err := b.loadTask(r, arg(1), tasks.RequestExtend)
		if err != nil {
			return err
		}
		r.out = append(r.out, tasks.OutMessage{ChatID: r.chatID, Text: r.t("extend_prompt", esc(t.Code), t.Deadline.VN()), TaskCodes: []string{t.Code}, Purpose: "extend", ForceReply: true})
		return nil
	case "u": // a unit's open tasks, from the list of units
		return b.cmdTasks(r, arg(1))
	case "e":
		return b.decideExtension(r, arg(1), arg(2))
	case "q":
		return b.decideProposal(r, arg(1), arg(2))
	case "c":
		return b.choosePending(r, arg(1), arg(2))
	case "f":
		return b.resendEvidence(r, arg(1), arg(2), arg(3))
	case "t": // a task in full, as a file
		return b.sendFullText(r, arg(1))
	case "rm":
		return b.onRemoveButton(r, arg(1), arg(2))
	case "ri":
		return b.onRevokeButton(r, arg(1))
	case "l":
		return b.confirmProposal(r, arg(1), arg(2))
	case "k":
		return b.confirmDraft(r, arg(1), arg(2), arg(3))
	}
	return userError(tasks.EINVALID, "stale_button")
}

// refreshMessage edits the message whose button was tapped to show the
// tasks' new state: the task card for a one-task message, else the list.
func (b *Bot) refreshMessage(r *req) error {
	ref, err := r.tx.MessageRef(r.chatID, r.msgID)
	if tasks.IsNotFound(err) || (err == nil && len(ref.TaskCodes) == 0) {
		return nil
	} else if err != nil {
		return err
	}
	var ts []tasks.Task
	for _, c := range ref.TaskCodes {
		t, err := r.tx.Task(c)
		if err == nil {
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 {
		return nil
	}
	if ref.Purpose == "progress" {
		t := ts[0]
		r.edit(r.chatID, r.msgID, r.t("progress_set", esc(t.Code), t.Progress, t.Status.Name(r.lang)), nil, t.Code)
		return nil
	}
	if len(ts) == 1 {
		body, kb, err := b.renderCard(r.tx, r.lang, r.now, r.member, ts[0])
		if err != nil {
			return err
		}
		r.edit(r.chatID, r.msgID, body, kb, ts[0].Code)
		return nil
	}
	canUpdate := b.o.Policy.Can(r.member, tasks.UpdateTask, &ts[0]) == nil
	body, kb, codes := b.renderList(r.lang, r.now, r.t("list_updated"), ts, canUpdate)
	if len(splitMessage(body, maxMessage)) > 1 {
		return nil // a list in several messages: rewriting one part would lose tasks; the toast says it
	}
	r.edit(r.chatID, r.msgID, body, kb, codes...)
	return nil
}

// resendEvidence sends a stored attachment again.
func (b *Bot) resendEvidence(r *req, code, updID, idx string) error {
	t, err := b.loadTask(r, code, tasks.ReadTask)
	if err != nil {
		return err
	}
	hist, err := r.tx.History(t.Code, 0)
	if err != nil {
		return err
	}
	for _, u := range hist {
		if fmt.Sprint(u.ID) != updID {
			continue
		}
		i, err := strconv.Atoi(idx)
		if err != nil || i < 0 || i >= len(u.Attachments) {
			break
		}
		a := u.Attachments[i]
		m := tasks.OutMessage{ChatID: r.chatID, Text: r.t("evidence_caption", esc(t.Code), esc(u.ByName), u.At.In(b.o.Loc).Format("02/01/2006")), TaskCodes: []string{t.Code}}
		if a.Kind == "photo" {
			m.Photo = &tasks.File{FileID: a.FileID, Name: a.Name}
		} else {
			m.Document = &tasks.File{FileID: a.FileID, Name: a.Name}
		}
		r.out = append(r.out, m)
		return nil
	}
	return userError(tasks.EINVALID, "stale_button")
}
