package bot

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"steerbot/tasks"
)

// command is one chat command: its name, the action that gates it (empty:
// anyone may use it, linked or not) and its handler.
type command struct {
	name   string
	action tasks.Action
	run    func(b *Bot, r *req, args string) error
}

// commandTable lists the chat commands in the order /help shows them.
func commandTable() []command {
	return []command{
		{"start", "", (*Bot).cmdStart},
		{"help", "", (*Bot).cmdHelp},
		{"tasks", tasks.SetLanguage, (*Bot).cmdTasks},
		{"task", tasks.SetLanguage, (*Bot).cmdTask},
		{"update", tasks.UpdateTask, (*Bot).cmdUpdate},
		{"extend", tasks.RequestExtend, (*Bot).cmdExtend},
		{"overdue", tasks.ReadAll, (*Bot).cmdOverdue},
		{"digest", tasks.ReadAll, (*Bot).cmdDigest},
		{"units", tasks.ReadAll, (*Bot).cmdUnits},
		{"newtask", tasks.EditTasks, (*Bot).cmdNewTask},
		{"meeting", tasks.ManageMeetings, (*Bot).cmdMeeting},
		{"meetings", tasks.ListMeetings, (*Bot).cmdMeetings},
		{"invite", tasks.ManagePeople, (*Bot).cmdInvite},
		{"remind", tasks.SendReminders, (*Bot).cmdRemind},
		{"export", tasks.EditTasks, (*Bot).cmdExport},
		{"conclusions", tasks.EditTasks, (*Bot).cmdConclusions},
		{"lang", tasks.SetLanguage, (*Bot).cmdLang},
	}
}

// parseCommand reads "/name[@bot] args" from the start of a message. A
// command addressed to another bot is not ours (ok false).
func parseCommand(s, username string) (name, args string, ok bool) {
	if !strings.HasPrefix(s, "/") {
		return "", "", false
	}
	head, rest, _ := strings.Cut(s[1:], " ")
	if i := strings.IndexAny(head, "\n\t"); i >= 0 {
		head, rest = head[:i], head[i+1:]+" "+rest
	}
	name, at, addressed := strings.Cut(head, "@")
	if addressed && !strings.EqualFold(at, username) {
		return "", "", false
	}
	if name == "" || len(name) > 32 {
		return "", "", false
	}
	name = strings.ToLower(name)
	for i := 0; i < len(name); i++ {
		if c := name[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return "", "", false // Telegram's command names are a-z, 0-9 and _
		}
	}
	return name, strings.TrimSpace(rest), true
}

// route sends an update to its handler.
func (b *Bot) route(r *req) error {
	if r.cb != nil {
		r.command = "button"
		return b.onCallback(r)
	}
	m := r.upd.Message
	if m == nil || m.From == nil || m.From.IsBot {
		return nil // edits, channel posts and the like are not for us
	}
	body := m.Text
	if body == "" {
		body = m.Caption
	}
	if utf8.RuneCountInString(body) > maxInput {
		return userError(tasks.EINVALID, "too_long", maxInput)
	}
	if name, args, ok := parseCommand(body, b.username); ok {
		r.command = name
		return b.onCommand(r, name, args)
	}
	if m.ReplyToMessage != nil && m.ReplyToMessage.From != nil && m.ReplyToMessage.From.IsBot {
		r.command = "reply"
		return b.onReply(r, m)
	}
	if !r.private {
		return nil // group chatter is not addressed to the bot
	}
	if !r.linked {
		r.reply(r.t("not_linked"), nil)
		return nil
	}
	r.command = "text"
	return b.onFreeText(r, m)
}

func (b *Bot) onCommand(r *req, name, args string) error {
	if !r.linked && !r.private {
		return nil // strangers in a group get no public answer
	}
	for _, c := range commandTable() {
		if c.name != name {
			continue
		}
		if c.action != "" {
			if !r.linked {
				r.reply(r.t("not_linked"), nil)
				return nil
			}
			if err := b.o.Policy.Can(r.member, c.action, nil); err != nil && c.action != tasks.UpdateTask && c.action != tasks.RequestExtend {
				return err
			}
		}
		return c.run(b, r, args)
	}
	if !r.private {
		return nil // another bot's command in a group
	}
	return userError(tasks.EINVALID, "unknown_command", name)
}

func (b *Bot) cmdStart(r *req, args string) error {
	token := strings.TrimSpace(args)
	if token == "" {
		if !r.linked {
			r.reply(r.t("start_stranger", esc(b.o.CommitteeName)), nil)
			return nil
		}
		r.reply(r.t("start_member", esc(r.member.Name), b.roleText(r.tx, r.lang, r.member)), nil)
		return nil
	}
	if r.linked {
		r.reply(r.t("start_already", esc(r.member.Name), b.roleText(r.tx, r.lang, r.member)), nil)
		return nil
	}
	if !r.private {
		return userError(tasks.EINVALID, "start_private")
	}
	inv, err := r.tx.TakeInvite(token)
	if tasks.IsNotFound(err) || (err == nil && !r.now.Before(inv.Expires)) {
		return userError(tasks.EINVALID, "invite_invalid")
	}
	if err != nil {
		return err
	}
	name := inv.Name
	if name == "" {
		name = strings.TrimSpace(r.from.FirstName + " " + r.from.LastName)
	}
	if name == "" {
		name = r.from.Username
	}
	m := tasks.Member{Name: name, Role: inv.Role, Unit: inv.Unit, TelegramID: r.from.ID}
	if r.from.LanguageCode == "en" {
		m.Lang = "en"
	}
	if err := r.tx.PutMember(&m); err != nil {
		return err
	}
	r.member, r.linked, r.joined = m, true, true
	if m.Lang != "" {
		r.lang = m.Lang
	}
	r.reply(r.t("start_linked", esc(m.Name), b.roleText(r.tx, r.lang, m))+"\n\n"+b.helpText(r), nil)
	if inv.CreatedBy != 0 {
		if by, err := r.tx.Member(inv.CreatedBy); err == nil && by.Linked() {
			r.send(by.TelegramID, text(b.langOf(by), "invite_used", esc(m.Name), b.roleText(r.tx, b.langOf(by), m)), nil)
		}
	}
	return nil
}

// roleText names a member's role, with the unit for unit roles.
func (b *Bot) roleText(tx tasks.Tx, lang string, m tasks.Member) string {
	role := text(lang, "role_"+string(m.Role))
	if m.Role.ForUnit() {
		name := m.Unit
		if u, err := tx.Unit(m.Unit); err == nil {
			name = u.Name
		}
		return role + " — " + esc(name)
	}
	return role
}

// langOf returns the language a member reads.
func (b *Bot) langOf(m tasks.Member) string {
	if m.Lang == "vi" || m.Lang == "en" {
		return m.Lang
	}
	return b.o.Lang
}

func (b *Bot) cmdHelp(r *req, _ string) error {
	r.reply(b.helpText(r), nil)
	return nil
}

// helpText lists the commands this member may use, one line each.
func (b *Bot) helpText(r *req) string {
	var sb strings.Builder
	sb.WriteString(r.t("help_title"))
	for _, c := range b.allowed(r) {
		sb.WriteString("\n" + r.t("help_"+c.name))
	}
	if r.linked && r.member.Role.ForUnit() {
		sb.WriteString("\n\n" + r.t("help_reply"))
	}
	if !r.linked {
		sb.WriteString("\n\n" + r.t("not_linked"))
	}
	return sb.String()
}

// allowed returns the commands a member may use.
func (b *Bot) allowed(r *req) []command {
	var out []command
	for _, c := range commandTable() {
		if c.name == "conclusions" && b.o.Assistant == nil {
			continue
		}
		switch {
		case c.action == "":
		case !r.linked:
			continue
		case c.action == tasks.UpdateTask:
			if !r.member.Role.ForUnit() && r.member.Role != tasks.RoleSecretariat {
				continue
			}
		case c.action == tasks.RequestExtend:
			if !r.member.Role.ForUnit() {
				continue
			}
		default:
			if b.o.Policy.Can(r.member, c.action, nil) != nil {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

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
		if data := b.sign.sign("u", u.Code); data != "" && i < 60 {
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

// looseCode reduces a task code to letters and digits, upper case, with
// the leading zeros of each number dropped: "cchc-02", "CCHC 2" and
// "cchc2" all read CCHC2.
func looseCode(s string) string {
	var b strings.Builder
	zeros := true // at the start of a run of digits
	for _, c := range strings.ToUpper(s) {
		switch {
		case c >= '0' && c <= '9':
			if c == '0' && zeros {
				continue
			}
			zeros = false
			b.WriteRune(c)
		case unicode.IsLetter(c):
			zeros = true
			b.WriteRune(c)
		}
	}
	return b.String()
}

// findLoose finds the one task whose code matches code loosely; ok is false
// when none or several do.
func findLoose(tx tasks.Tx, code string) (tasks.Task, bool, error) {
	want := looseCode(code)
	if want == "" {
		return tasks.Task{}, false, nil
	}
	ts, err := tx.Tasks(tasks.TaskFilter{})
	if err != nil {
		return tasks.Task{}, false, err
	}
	var found []tasks.Task
	for _, t := range ts {
		if looseCode(t.Code) == want {
			found = append(found, t)
		}
	}
	if len(found) != 1 {
		return tasks.Task{}, false, nil
	}
	return found[0], true, nil
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
	body, kb, err := b.renderCard(r.tx, r.lang, r.now, r.member, t)
	if err != nil {
		return err
	}
	r.reply(body, kb, t.Code)
	return nil
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
	if err := b.o.Policy.Can(r.member, tasks.UpdateTask, &t); err != nil {
		return err
	}
	old := t
	u, err := b.o.Policy.Apply(&t, ch, r.member, via, r.now)
	if err != nil {
		return err
	}
	if err := r.tx.PutTask(t); err != nil {
		return err
	}
	if err := r.tx.AddUpdate(&u); err != nil {
		return err
	}
	if t.Status.Proposal() && !old.Status.Proposal() {
		b.notifyDeciders(r, t, u.Note)
	}
	if confirm {
		r.reply(b.savedText(r.lang, old, t, u), b.taskButtons(r.lang, r.member, t), t.Code)
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
	return s
}

func (b *Bot) cmdOverdue(r *req, args string) error {
	unit := tasks.NormalizeCode(args)
	if unit != "" {
		if _, err := r.tx.Unit(unit); tasks.IsNotFound(err) {
			return userError(tasks.ENOTFOUND, "unit_not_found", unit)
		}
	}
	d, err := b.digest(r, "")
	if err != nil {
		return err
	}
	var sb strings.Builder
	n, escalated := 0, 0
	for _, uo := range d.Overdue {
		if unit != "" && uo.Unit.Code != unit {
			continue
		}
		sb.WriteString("\n\n<b>" + esc(uo.Unit.Name) + "</b> (" + strconv.Itoa(len(uo.Tasks)) + ")")
		for _, ot := range uo.Tasks {
			n++
			mark := ""
			if b.o.Reminders != nil {
				if ok, _ := b.escalated(r, ot); ok {
					mark = " 🔺"
					escalated++
				}
			}
			sb.WriteString("\n• <b>" + esc(ot.Code) + "</b> " + esc(clip(ot.Title, 80)) + " — " + r.t("days_late", ot.DaysLate) + fmt.Sprintf(", %d%%", ot.Progress) + mark)
		}
	}
	if n == 0 {
		r.reply(r.t("overdue_none"), nil)
		return nil
	}
	if escalated > 0 {
		sb.WriteString("\n\n" + r.t("overdue_legend"))
	}
	r.reply(r.t("overdue_title", n)+sb.String(), nil)
	return nil
}

// escalated asks the scheduler whether the committee chat was told of an
// overdue task.
func (b *Bot) escalated(r *req, ot tasks.OverdueTask) (bool, error) {
	if e, ok := b.o.Reminders.(interface {
		Escalated(tx tasks.Tx, code string, deadline tasks.Date) (bool, error)
	}); ok {
		return e.Escalated(r.tx, ot.Code, ot.Deadline)
	}
	return false, nil
}

// digest computes the digest now from the store.
func (b *Bot) digest(r *req, group string) (tasks.Digest, error) {
	return ComputeDigest(r.tx, b.timeline(r.now), group)
}

// ComputeDigest computes the digest of the tasks in tx at tl.Now, compared
// with the last digest sent.
func ComputeDigest(tx tasks.Tx, tl tasks.Timeline, group string) (tasks.Digest, error) {
	ts, err := tasks.DigestTasks(tx)
	if err != nil {
		return tasks.Digest{}, err
	}
	us, err := tx.Units()
	if err != nil {
		return tasks.Digest{}, err
	}
	exts, err := tx.Extensions(tasks.ExtPending)
	if err != nil {
		return tasks.Digest{}, err
	}
	in := tasks.DigestInput{Tasks: ts, Units: us, Extensions: exts, Group: group, Timeline: tl}
	if prev, err := tx.LastSnapshot(); err == nil {
		in.Previous = &prev
	} else if !tasks.IsNotFound(err) {
		return tasks.Digest{}, err
	}
	return tasks.ComputeDigest(in), nil
}

func (b *Bot) cmdDigest(r *req, args string) error {
	d, err := b.digest(r, strings.TrimSpace(args))
	if err != nil {
		return err
	}
	if d.Total.Total == 0 {
		if args != "" {
			return userError(tasks.ENOTFOUND, "group_not_found", args)
		}
		r.reply(r.t("digest_empty"), nil)
		return nil
	}
	var kb [][]tasks.Button
	if b.o.Policy.Can(r.member, tasks.Decide, nil) == nil {
		kb = b.decisionButtons(r.lang, d)
	}
	r.reply(FormatDigest(d, r.lang, b.o.CommitteeName, true), kb)
	return nil
}

func (b *Bot) cmdUnits(r *req, _ string) error {
	d, err := b.digest(r, "")
	if err != nil {
		return err
	}
	if len(d.Scorecard) == 0 {
		r.reply(r.t("digest_empty"), nil)
		return nil
	}
	r.reply(formatScorecard(d, r.lang, 0), nil)
	return nil
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
	deadline, err := tasks.ParseDate(f[1], today)
	if err != nil {
		return err
	}
	if deadline.Before(today) {
		return userError(tasks.EINVALID, "deadline_past", deadline.VN())
	}
	code, err := b.createTask(r, unit, deadline, restWords(args, 2))
	if err != nil {
		return err
	}
	t, err := r.tx.Task(code)
	if err != nil {
		return err
	}
	u, _ := r.tx.Unit(unit)
	r.reply(r.t("newtask_done", esc(code), esc(t.Title), esc(u.Name), deadline.VN()), nil, code)
	// The unit learns of its new task at once, with its buttons.
	ms, err := r.tx.Members()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Linked() && m.Role.ForUnit() && m.Unit == unit {
			lang := b.langOf(m)
			r.send(m.TelegramID, text(lang, "newtask_for_unit", esc(code), esc(t.Title), deadline.VN()), b.taskButtons(lang, m, t), code)
		}
	}
	return nil
}

// createTask adds a task for a unit, coded UNIT-n, and records its first
// Update. It returns the code.
func (b *Bot) createTask(r *req, unit string, deadline tasks.Date, title string) (string, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		return "", userError(tasks.EINVALID, "usage_newtask")
	}
	if utf8.RuneCountInString(title) > 500 {
		return "", userError(tasks.EINVALID, "title_too_long", 500)
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
	t := tasks.Task{Code: code, Title: title, Unit: unit, Deadline: deadline, Status: tasks.NotStarted, Created: r.now, Updated: r.now}
	if err := r.tx.PutTask(t); err != nil {
		return "", err
	}
	u := tasks.Update{Task: code, At: r.now, By: r.member.ID, ByName: r.member.Name, Via: tasks.ViaCommand, NewStatus: t.Status, NewDeadline: deadline, Note: "created"}
	if err := r.tx.AddUpdate(&u); err != nil {
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

func (b *Bot) cmdMeeting(r *req, args string) error {
	f := strings.Fields(args)
	if len(f) == 0 {
		return userError(tasks.EINVALID, "usage_meeting")
	}
	switch strings.ToLower(f[0]) {
	case "add", "them", "thêm":
		if len(f) < 4 {
			return userError(tasks.EINVALID, "usage_meeting")
		}
		day, err := tasks.ParseDate(f[1], tasks.DateOf(r.now, b.o.Loc))
		if err != nil {
			return err
		}
		hm, err := time.Parse("15:04", f[2])
		if err != nil || len(f[2]) != 5 {
			return userError(tasks.EINVALID, "bad_time", f[2])
		}
		start := time.Date(day.Year, day.Month, day.Day, hm.Hour(), hm.Minute(), 0, 0, b.o.Loc)
		if !start.After(r.now) {
			return userError(tasks.EINVALID, "meeting_past")
		}
		title := restWords(args, 3)
		if utf8.RuneCountInString(title) > 200 {
			return userError(tasks.EINVALID, "title_too_long", 200)
		}
		m := tasks.Meeting{Title: title, Start: start}
		if err := r.tx.PutMeeting(&m); err != nil {
			return err
		}
		r.meetings = true
		r.reply(r.t("meeting_added", m.ID, esc(title), start.Format("15:04 02/01/2006")), nil)
		return nil
	case "remove", "delete", "del", "xoa", "xoá", "xóa":
		if len(f) < 2 {
			return userError(tasks.EINVALID, "usage_meeting")
		}
		id, err := strconv.ParseUint(strings.TrimPrefix(f[1], "#"), 10, 64)
		if err != nil {
			return userError(tasks.EINVALID, "bad_meeting_id", f[1])
		}
		m, err := r.tx.Meeting(id)
		if tasks.IsNotFound(err) {
			return userError(tasks.ENOTFOUND, "meeting_not_found", id)
		} else if err != nil {
			return err
		}
		if err := r.tx.DeleteMeeting(id); err != nil {
			return err
		}
		r.reply(r.t("meeting_removed", id, esc(m.Title)), nil)
		return nil
	}
	return userError(tasks.EINVALID, "usage_meeting")
}

func (b *Bot) cmdMeetings(r *req, _ string) error {
	ms, err := r.tx.Meetings()
	if err != nil {
		return err
	}
	var sb strings.Builder
	n := 0
	for _, m := range ms {
		if m.Start.Before(r.now) {
			continue
		}
		n++
		state := r.t("meeting_digest_pending")
		if !m.DigestSentAt.IsZero() {
			state = r.t("meeting_digest_sent", m.DigestSentAt.In(b.o.Loc).Format("15:04 02/01"))
		}
		sb.WriteString(fmt.Sprintf("\n• #%d <b>%s</b> — %s (%s)", m.ID, esc(m.Title), m.Start.In(b.o.Loc).Format("15:04 02/01/2006"), state))
	}
	if n == 0 {
		r.reply(r.t("meetings_none"), nil)
		return nil
	}
	r.reply(r.t("meetings_title")+sb.String(), nil)
	return nil
}

// roleAliases are the words /invite accepts for each role.
var roleAliases = map[string]tasks.Role{
	"chair": tasks.RoleChair, "truong_ban": tasks.RoleChair, "truongban": tasks.RoleChair,
	"secretariat": tasks.RoleSecretariat, "thu_ky": tasks.RoleSecretariat, "thuky": tasks.RoleSecretariat,
	"unit_head": tasks.RoleUnitHead, "head": tasks.RoleUnitHead, "thu_truong": tasks.RoleUnitHead,
	"unit_delegate": tasks.RoleUnitDelegate, "delegate": tasks.RoleUnitDelegate, "dau_moi": tasks.RoleUnitDelegate,
}

func (b *Bot) cmdInvite(r *req, args string) error {
	f := strings.Fields(args)
	if len(f) == 0 {
		return userError(tasks.EINVALID, "usage_invite")
	}
	role, ok := roleAliases[strings.ReplaceAll(tasks.Fold(f[0]), "-", "_")]
	if !ok {
		return userError(tasks.EINVALID, "bad_role", f[0])
	}
	inv := tasks.Invite{Role: role, CreatedBy: r.member.ID, Expires: r.now.Add(b.o.InviteTTL)}
	if role.ForUnit() {
		if len(f) < 2 {
			return userError(tasks.EINVALID, "invite_needs_unit")
		}
		inv.Unit = tasks.NormalizeCode(f[1])
		if _, err := r.tx.Unit(inv.Unit); tasks.IsNotFound(err) {
			return userError(tasks.ENOTFOUND, "unit_not_found", inv.Unit)
		} else if err != nil {
			return err
		}
		inv.Name = restWords(args, 2)
	} else {
		inv.Name = restWords(args, 1)
	}
	if utf8.RuneCountInString(inv.Name) > 100 {
		return userError(tasks.EINVALID, "title_too_long", 100)
	}
	raw := make([]byte, 18)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("invite token: %w", err)
	}
	inv.Token = base64.RawURLEncoding.EncodeToString(raw)
	if err := r.tx.PutInvite(inv); err != nil {
		return err
	}
	link := "https://t.me/" + b.username + "?start=" + inv.Token
	who := text(r.lang, "role_"+string(role))
	if inv.Unit != "" {
		who += " — " + esc(inv.Unit)
	}
	r.reply(r.t("invite_link", who, link, r.now.Add(b.o.InviteTTL).In(b.o.Loc).Format("15:04 02/01/2006")), nil)
	return nil
}

func (b *Bot) cmdRemind(r *req, args string) error {
	if b.o.Reminders == nil {
		return userError(tasks.ECONFLICT, "remind_unavailable")
	}
	unit := tasks.NormalizeCode(args)
	if unit != "" {
		if _, err := r.tx.Unit(unit); tasks.IsNotFound(err) {
			return userError(tasks.ENOTFOUND, "unit_not_found", unit)
		} else if err != nil {
			return err
		}
	}
	n, err := b.o.Reminders.RemindNow(r.tx, unit, fmt.Sprintf("remind:%d", r.upd.ID))
	if err != nil {
		return err
	}
	missing, err := unreached(r.tx, unit)
	if err != nil {
		return err
	}
	msg := r.t("remind_none")
	if n > 0 {
		msg = r.t("remind_done", n)
	}
	if len(missing) > 0 {
		// The secretariat must know who was not reminded: they chase
		// those by phone, or send them an invite.
		msg += "\n" + r.t("remind_unreached", esc(strings.Join(missing, ", ")))
	}
	r.reply(msg, nil)
	return nil
}

// unreached lists the units (one, or all for "") that have open tasks but
// nobody linked to remind.
func unreached(tx tasks.Tx, unit string) ([]string, error) {
	ms, err := tx.Members()
	if err != nil {
		return nil, err
	}
	linked := map[string]bool{}
	for _, m := range ms {
		if m.Linked() && m.Role.ForUnit() {
			linked[m.Unit] = true
		}
	}
	us, err := tx.Units()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, u := range us {
		if (unit != "" && u.Code != unit) || linked[u.Code] {
			continue
		}
		open, err := tx.Tasks(tasks.TaskFilter{Unit: u.Code, OpenOnly: true})
		if err != nil {
			return nil, err
		}
		if len(open) > 0 {
			out = append(out, u.Name)
		}
	}
	return out, nil
}

func (b *Bot) cmdExport(r *req, _ string) error {
	if b.o.Export == nil {
		return userError(tasks.ECONFLICT, "export_unavailable")
	}
	ts, err := r.tx.Tasks(tasks.TaskFilter{})
	if err != nil {
		return err
	}
	us, err := r.tx.Units()
	if err != nil {
		return err
	}
	data, err := b.o.Export(ts, us, r.lang)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	name := "steerbot-" + r.now.In(b.o.Loc).Format("2006-01-02") + ".xlsx"
	r.out = append(r.out, tasks.OutMessage{ChatID: r.chatID, Text: r.t("export_caption", len(ts)), Document: &tasks.File{Name: name, Data: data}})
	return nil
}

func (b *Bot) cmdLang(r *req, args string) error {
	l := strings.ToLower(strings.TrimSpace(args))
	if l != "vi" && l != "en" {
		return userError(tasks.EINVALID, "usage_lang")
	}
	r.member.Lang = l
	if err := r.tx.PutMember(&r.member); err != nil {
		return err
	}
	r.lang = l
	r.joined = true // the command menu, in the new language
	r.reply(r.t("lang_set"), nil)
	return nil
}

// sortTasksForReminder orders open tasks as reminders list them: overdue
// (most late first), then due soon, then by deadline, then by code.
func sortTasksForReminder(ts []tasks.Task, tl tasks.Timeline) {
	rank := func(t tasks.Task) int {
		switch tl.Of(t) {
		case tasks.Overdue:
			return 0
		case tasks.DueSoon:
			return 1
		}
		return 2
	}
	sort.SliceStable(ts, func(i, j int) bool {
		a, b := ts[i], ts[j]
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		if a.Deadline != b.Deadline {
			if a.Deadline.IsZero() || b.Deadline.IsZero() {
				return b.Deadline.IsZero()
			}
			return a.Deadline.Before(b.Deadline)
		}
		return a.Code < b.Code
	})
}

// fromUser is who sent the update, for names.
func fromUser(u *models.User) string {
	if u == nil {
		return ""
	}
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}
