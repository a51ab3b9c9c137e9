package bot

import (
	"fmt"
	"strconv"

	"steerbot/tasks"
)

// op is the first field of a button's data: what a tap on it does. The
// letters are kept short for Telegram's 64 bytes of callback data, and
// never change: buttons already sent carry them.
type op string

// The buttons' operations, with the fields that follow the op.
const (
	opView            op = "v"  // CODE: open a task's card
	opDone            op = "d"  // CODE: mark a task done
	opProgress        op = "p"  // CODE [PERCENT]: ask for progress, or set a quick value
	opExtend          op = "x"  // CODE: ask for more time (the answer comes as a reply)
	opUnit            op = "u"  // UNIT: a unit's open tasks, from the list of units
	opDecideExtension op = "e"  // ID VERDICT: decide an extension request
	opDecideProposal  op = "q"  // CODE VERDICT: decide a proposal to stop or carry over
	opChoose          op = "c"  // ID CODE: the task a pending reply is about
	opEvidence        op = "f"  // CODE UPDATE INDEX: send a stored attachment again
	opConfirmProposal op = "l"  // ID ANSWER: confirm, edit or cancel an assistant's proposal
	opConfirmDraft    op = "k"  // ID INDEX ANSWER: create, edit or drop a drafted task
	opFullText        op = "t"  // CODE: a task in full, as a file
	opRemove          op = "rm" // MEMBER [y|n]: remove a member (ask, confirm or cancel)
	opRevoke          op = "ri" // TOKEN: revoke an open invite
	opImport          op = "im" // ID a|n: apply or cancel a previewed task file
	opConfirmReport   op = "cr" // CODE UPDATE VERDICT: confirm or return a done report
)

// The verdicts of a decision button.
const (
	verdictApprove = "a"
	verdictReject  = "r"
)

// cbArgs are the fields of a button's data after its op; a missing one
// reads "".
type cbArgs []string

func (a cbArgs) at(i int) string {
	if i < len(a) {
		return a[i]
	}
	return ""
}

// callbackTable maps each op to its handler.
func callbackTable() map[op]func(b *Bot, r *req, a cbArgs) error {
	return map[op]func(b *Bot, r *req, a cbArgs) error{
		opView:     (*Bot).cbView,
		opDone:     (*Bot).cbDone,
		opProgress: (*Bot).cbProgress,
		opExtend:   (*Bot).cbExtend,
		opUnit:     func(b *Bot, r *req, a cbArgs) error { return b.cmdTasks(r, a.at(0)) },
		opDecideExtension: func(b *Bot, r *req, a cbArgs) error {
			return b.decideExtension(r, a.at(0), a.at(1))
		},
		opDecideProposal: func(b *Bot, r *req, a cbArgs) error {
			return b.decideProposal(r, a.at(0), a.at(1))
		},
		opChoose:   func(b *Bot, r *req, a cbArgs) error { return b.choosePending(r, a.at(0), a.at(1)) },
		opEvidence: func(b *Bot, r *req, a cbArgs) error { return b.resendEvidence(r, a.at(0), a.at(1), a.at(2)) },
		opConfirmProposal: func(b *Bot, r *req, a cbArgs) error {
			return b.confirmProposal(r, a.at(0), a.at(1))
		},
		opConfirmDraft: func(b *Bot, r *req, a cbArgs) error {
			return b.confirmDraft(r, a.at(0), a.at(1), a.at(2))
		},
		opFullText: func(b *Bot, r *req, a cbArgs) error { return b.sendFullText(r, a.at(0)) },
		opRemove:   func(b *Bot, r *req, a cbArgs) error { return b.onRemoveButton(r, a.at(0), a.at(1)) },
		opRevoke:   func(b *Bot, r *req, a cbArgs) error { return b.onRevokeButton(r, a.at(0)) },
		opImport:   func(b *Bot, r *req, a cbArgs) error { return b.onImportButton(r, a.at(0), a.at(1)) },
		opConfirmReport: func(b *Bot, r *req, a cbArgs) error {
			v, err := reportVerdict(a.at(2))
			if err != nil {
				return err
			}
			return b.onReportButton(r, a.at(0), a.at(1), v)
		},
	}
}

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
	handle, ok := callbackTable()[op(f[0])]
	if !ok {
		return userError(tasks.EINVALID, "stale_button")
	}
	return handle(b, r, cbArgs(f[1:]))
}

// cbView opens a task's card.
func (b *Bot) cbView(r *req, a cbArgs) error {
	t, err := b.loadTask(r, a.at(0), tasks.ReadTask)
	if err != nil {
		return err
	}
	return b.showCard(r, t)
}

// showCard answers with a task's card and its buttons.
func (b *Bot) showCard(r *req, t tasks.Task) error {
	body, kb, err := b.renderCard(r.tx, r.lang, r.now, r.member, t)
	if err != nil {
		return err
	}
	r.reply(body, kb, t.Code)
	return nil
}

// cbDone marks a task done and shows it so where the button was.
func (b *Bot) cbDone(r *req, a cbArgs) error {
	t, err := b.loadTask(r, a.at(0), tasks.UpdateTask)
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
	st := tasks.Done
	if nt, err := r.tx.Task(t.Code); err == nil {
		st = nt.Status // reported done, when the secretariat confirms completions
	}
	r.cbText = stripTags(r.t("saved_toast", esc(t.Code), st.Name(r.lang)))
	return b.refreshMessage(r)
}

// cbProgress asks for a task's progress with quick values, or sets the
// quick value tapped.
func (b *Bot) cbProgress(r *req, a cbArgs) error {
	t, err := b.loadTask(r, a.at(0), tasks.UpdateTask)
	if err != nil {
		return err
	}
	if a.at(1) == "" {
		row := []tasks.Button{}
		for _, n := range []int{25, 50, 75, 100} {
			row = append(row, btn(fmt.Sprintf("%d%%", n), b.sign.sign(opProgress, t.Code, strconv.Itoa(n))))
		}
		r.out = append(r.out, tasks.OutMessage{ChatID: r.chatID, Text: r.t("progress_ask", esc(t.Code), t.Progress), Buttons: [][]tasks.Button{b.row(row...)}, TaskCodes: []string{t.Code}, Purpose: tasks.PurposeProgress})
		return nil
	}
	n, err := strconv.Atoi(a.at(1))
	if err != nil {
		return userError(tasks.EINVALID, "stale_button")
	}
	if err := b.applyChange(r, t, tasks.Change{Progress: &n}, tasks.ViaButton, false); err != nil {
		return err
	}
	r.cbText = stripTags(r.t("saved_toast", esc(t.Code), fmt.Sprintf("%d%%", n)))
	return b.refreshMessage(r)
}

// cbExtend asks for the new date and the reason, as a reply.
func (b *Bot) cbExtend(r *req, a cbArgs) error {
	t, err := b.loadTask(r, a.at(0), tasks.RequestExtend)
	if err != nil {
		return err
	}
	b.askExtension(r, t)
	return nil
}

// askExtension asks a unit for the date and the reason of more time, as a
// reply to this message.
func (b *Bot) askExtension(r *req, t tasks.Task) {
	r.out = append(r.out, tasks.OutMessage{ChatID: r.chatID, Text: r.t("extend_prompt", esc(t.Code), t.Deadline.VN()), TaskCodes: []string{t.Code}, Purpose: tasks.PurposeExtend, ForceReply: true})
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
	if ref.Purpose == tasks.PurposeProgress {
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
