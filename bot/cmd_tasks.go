package bot

// This file holds the commands about one unit's tasks: listing, showing, updating and creating them.

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"steerbot/tasks"
)

// timeline is the clock reading handlers judge deadlines against.
func (b *Bot) timeline(now time.Time) tasks.Timeline {
	return tasks.Timeline{Now: now, Loc: b.o.Loc, DueSoonDays: b.o.DueSoonDays}
}

func (b *Bot) cmdTasks(r *req, args string) error {
	unit := tasks.NormalizeCode(args)
	if unit == "" {
		if !r.member.Role.ForUnit() {
			return b.askUnit(r, "tasks")
		}
		unit = r.member.Unit
	}
	u, err := r.tx.Unit(unit)
	if tasks.IsNotFound(err) {
		return userError(tasks.ENOTFOUND, "unit_not_found", unit)
	} else if err != nil {
		return err
	}
	if unit != r.member.Unit {
		if err := b.o.Policy.Can(r.member, tasks.ReadAll, nil); err != nil {
			return err
		}
	}
	ts, err := r.tx.Tasks(tasks.TaskFilter{Unit: unit, OpenOnly: true})
	if err != nil {
		return err
	}
	if len(ts) == 0 {
		r.reply(r.t("tasks_none", esc(u.Name)), nil)
		return nil
	}
	body, kb, codes := b.renderList(r.lang, r.now, r.t("tasks_title", esc(u.Name), len(ts)), ts, b.o.Policy.Can(r.member, tasks.UpdateTask, &ts[0]) == nil)
	r.reply(body, kb, codes...)
	return nil
}

// askUnit answers a command that needs a unit with the list of units.
func (b *Bot) askUnit(r *req, cmd string) error {
	us, err := r.tx.Units()
	if err != nil {
		return err
	}
	var codes []string
	var kb [][]tasks.Button
	for i, u := range us {
		codes = append(codes, "<code>"+esc(u.Code)+"</code>")
		if i%3 == 0 {
			kb = append(kb, nil)
		}
		if data := b.sign.sign(opUnit, u.Code); data != "" && i < 60 {
			kb[len(kb)-1] = append(kb[len(kb)-1], btn(u.Code, data))
		}
	}
	r.reply(r.t("need_unit", cmd, strings.Join(codes, ", ")), kb)
	return nil
}

// loadTask finds a task by the code a member typed and checks that the
// member may do a on it.
func (b *Bot) loadTask(r *req, code string, a tasks.Action) (tasks.Task, error) {
	code = tasks.NormalizeCode(code)
	if code == "" {
		return tasks.Task{}, userError(tasks.EINVALID, "need_code")
	}
	t, err := r.tx.Task(code)
	if tasks.IsNotFound(err) {
		// "cchc2", "CCHC 02" for CCHC-02: the same code, typed loosely.
		if found, ok, lerr := findLoose(r.tx, code); lerr != nil {
			return t, lerr
		} else if ok {
			t, err = found, nil
		}
	}
	if tasks.IsNotFound(err) {
		return t, userError(tasks.ENOTFOUND, "task_not_found", code)
	} else if err != nil {
		return t, err
	}
	r.task = t.Code
	if err := b.o.Policy.Can(r.member, a, &t); err != nil {
		return t, err
	}
	return t, nil
}

// findLoose finds the one task whose code matches code loosely (see
// tasks.FindLoose); ok is false when none or several do.
func findLoose(tx tasks.Tx, code string) (tasks.Task, bool, error) {
	if tasks.LooseCode(code) == "" {
		return tasks.Task{}, false, nil
	}
	ts, err := tx.Tasks(tasks.TaskFilter{})
	if err != nil {
		return tasks.Task{}, false, err
	}
	t, ok := tasks.FindLoose(ts, code)
	return t, ok, nil
}

func (b *Bot) cmdTask(r *req, args string) error {
	args = strings.TrimSpace(args)
	code, _, _ := strings.Cut(args, " ")
	t, err := b.loadTask(r, code, tasks.ReadTask)
	if tasks.IsNotFound(err) && code != args {
		t, err = b.loadTask(r, args, tasks.ReadTask) // "CCHC 02"
	}
	if err != nil {
		return err
	}
	return b.showCard(r, t)
}

func (b *Bot) cmdUpdate(r *req, args string) error {
	code, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	if code == "" {
		return userError(tasks.EINVALID, "usage_update")
	}
	t, err := b.loadTask(r, code, tasks.UpdateTask)
	if err != nil {
		return err
	}
	ch, note, err := tasks.ParseValue(rest)
	if err != nil {
		return err
	}
	ch.Note = note
	return b.applyChange(r, t, ch, tasks.ViaCommand, true)
}

// applyChange applies a change to a task for the member, stores the task
// and its Update, and confirms. confirm false leaves the answer to the
// caller.
func (b *Bot) applyChange(r *req, t tasks.Task, ch tasks.Change, via tasks.Via, confirm bool) error {
	r.task = t.Code
	old := t
	u, err := b.o.Policy.Commit(r.tx, &t, ch, r.member, via, r.now)
	if err != nil {
		return err
	}
	if t.Status.Proposal() && !old.Status.Proposal() {
		b.notifyDeciders(r, t, u.Note)
	}
	if confirm {
		r.reply(b.savedText(r.lang, old, t, u), b.taskButtons(r.lang, r.member, t), t.Code)
	}
	switch {
	case t.Status == tasks.DoneReported && old.Status != tasks.DoneReported:
		return b.notifyReport(r, t, u)
	case t.Status == tasks.DoneReported:
		return b.notifyMoreEvidence(r, t, u)
	}
	return nil
}

// echoes reports whether a note says little more than the blocker read
// from it ("vướng: chờ kinh phí" and "chờ kinh phí"): showing both would
// repeat the member's words back twice.
func echoes(note, blocker string) bool {
	return blocker != "" && strings.Contains(note, blocker) && utf8.RuneCountInString(note)-utf8.RuneCountInString(blocker) <= 12
}

// savedText confirms a stored update: "✅ Đã lưu CCHC-12: …".
func (b *Bot) savedText(lang string, old, t tasks.Task, u tasks.Update) string {
	var parts []string
	if old.Status != t.Status {
		parts = append(parts, old.Status.Name(lang)+" → <b>"+t.Status.Name(lang)+"</b>")
	}
	if old.Progress != t.Progress {
		parts = append(parts, fmt.Sprintf("%d%% → <b>%d%%</b>", old.Progress, t.Progress))
	}
	if len(parts) == 0 {
		parts = append(parts, t.Status.Name(lang)+fmt.Sprintf(", %d%%", t.Progress))
	}
	s := text(lang, "saved", esc(t.Code), strings.Join(parts, "; "))
	if u.Blocker != "" {
		s += "\n" + text(lang, "saved_blocker", esc(u.Blocker))
	}
	if u.Note != "" && !echoes(u.Note, u.Blocker) {
		s += "\n" + text(lang, "saved_note", esc(clip(u.Note, 300)))
	}
	if n := len(u.Attachments); n > 0 {
		s += "\n" + text(lang, "saved_files", n)
	}
	if t.Status.Proposal() {
		s += "\n" + text(lang, "saved_proposal")
	}
	if t.Status == tasks.DoneReported && old.Status != tasks.DoneReported {
		s += "\n" + text(lang, "saved_reported")
	}
	return s
}

func (b *Bot) cmdNewTask(r *req, args string) error {
	f := strings.Fields(args)
	if len(f) < 3 {
		return userError(tasks.EINVALID, "usage_newtask")
	}
	unit := tasks.NormalizeCode(f[0])
	if _, err := r.tx.Unit(unit); tasks.IsNotFound(err) {
		return userError(tasks.ENOTFOUND, "unit_not_found", unit)
	} else if err != nil {
		return err
	}
	today := tasks.DateOf(r.now, b.o.Loc)
	deadline, title, err := tasks.CutDeadline(restWords(args, 1), today)
	if err != nil {
		return err
	}
	if !deadline.Ongoing && deadline.Date.Before(today) {
		return userError(tasks.EINVALID, "deadline_past", deadline.Date.VN())
	}
	code, err := b.createTask(r, unit, deadline, title)
	if err != nil {
		return err
	}
	t, err := r.tx.Task(code)
	if err != nil {
		return err
	}
	u, err := r.tx.Unit(unit)
	if err != nil {
		return err
	}
	r.reply(r.t("newtask_done", esc(code), esc(t.Title), esc(u.Name), esc(t.DeadlineLabel())), nil, code)
	// The unit learns of its new task at once, with its buttons.
	ms, err := r.tx.Members()
	if err != nil {
		return err
	}
	for _, m := range tasks.UnitContacts(ms, unit) {
		lang := b.langOf(m)
		r.send(m.TelegramID, text(lang, "newtask_for_unit", esc(code), esc(t.Title), esc(t.DeadlineLabel())), b.taskButtons(lang, m, t), code)
	}
	return nil
}

// createTask adds a task for a unit, coded UNIT-n, and records its first
// Update. It returns the code.
func (b *Bot) createTask(r *req, unit string, deadline tasks.Deadline, title string) (string, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		return "", userError(tasks.EINVALID, "usage_newtask")
	}
	if utf8.RuneCountInString(title) > tasks.MaxTitle {
		return "", userError(tasks.EINVALID, "title_too_long", tasks.MaxTitle)
	}
	unit = tasks.NormalizeCode(unit)
	if _, err := r.tx.Unit(unit); tasks.IsNotFound(err) {
		return "", userError(tasks.ENOTFOUND, "unit_not_found", unit)
	} else if err != nil {
		return "", err
	}
	var code string
	for {
		n, err := r.tx.NextSeq("task:" + unit)
		if err != nil {
			return "", err
		}
		code = fmt.Sprintf("%s-%d", unit, n)
		if _, err := r.tx.Task(code); tasks.IsNotFound(err) {
			break
		} else if err != nil {
			return "", err
		}
	}
	t := tasks.Task{Code: code, Title: title, Unit: unit, Status: tasks.NotStarted, Created: r.now, Updated: r.now}
	t.SetDeadline(deadline)
	u := tasks.Update{Task: code, At: r.now, By: r.member.ID, ByName: r.member.Name, Via: tasks.ViaCommand, NewStatus: t.Status, NewDeadline: t.Deadline, Note: "created"}
	if err := tasks.Record(r.tx, t, &u); err != nil {
		return "", err
	}
	return code, nil
}

// restWords returns s without its first k words.
func restWords(s string, k int) string {
	s = strings.TrimSpace(s)
	for i := 0; i < k; i++ {
		j := strings.IndexAny(s, " \t\n")
		if j < 0 {
			return ""
		}
		s = strings.TrimSpace(s[j:])
	}
	return s
}
