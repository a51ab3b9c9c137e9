package bot

// This file holds the committee's commands: overdue lists, the digest, the scorecard, meetings, reminders and export.

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"steerbot/tasks"
)

// unitArg reads the unit a committee command may name ("" for every
// unit); a unit that does not exist is refused.
func unitArg(r *req, args string) (string, error) {
	unit := tasks.NormalizeCode(args)
	if unit == "" {
		return "", nil
	}
	if _, err := r.tx.Unit(unit); tasks.IsNotFound(err) {
		return "", userError(tasks.ENOTFOUND, "unit_not_found", unit)
	} else if err != nil {
		return "", err
	}
	return unit, nil
}

func (b *Bot) cmdOverdue(r *req, args string) error {
	unit, err := unitArg(r, args)
	if err != nil {
		return err
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
				ok, err := b.escalated(r, ot)
				if err != nil {
					return err
				}
				if ok {
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
// with the last digest sent: tasks.ComputeDigest of what
// tasks.LoadDigestInput reads. The command line's digest uses it.
func ComputeDigest(tx tasks.DigestSource, tl tasks.Timeline, group string) (tasks.Digest, error) {
	in, err := tasks.LoadDigestInput(tx, tl, group)
	if err != nil {
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
	kb = append(kb, b.dashboardRow(r)...)
	return b.replyDigest(r, d, strings.TrimSpace(args), kb)
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
	body := formatScorecard(d, r.lang, 0)
	us, err := r.tx.Units()
	if err != nil {
		return err
	}
	if ind := unitIndicatorsText(r.lang, d.UnitIndicators, us); ind != "" {
		body += "\n\n" + ind
	}
	r.reply(body, nil)
	return nil
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
		if utf8.RuneCountInString(title) > tasks.MaxName {
			return userError(tasks.EINVALID, "title_too_long", tasks.MaxName)
		}
		m := tasks.Meeting{Title: title, Start: start}
		if err := r.tx.PutMeeting(&m); err != nil {
			return err
		}
		r.then(b.meetingsChanged)
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

func (b *Bot) cmdRemind(r *req, args string) error {
	if b.o.Reminders == nil {
		return userError(tasks.ECONFLICT, "remind_unavailable")
	}
	unit, err := unitArg(r, args)
	if err != nil {
		return err
	}
	n, err := b.o.Reminders.RemindNow(r.tx, unit, fmt.Sprintf("remind:%d", r.upd.ID))
	if err != nil {
		return err
	}
	missing, err := unreached(r.tx, unit, tasks.DateOf(r.now, b.o.Loc))
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

// unreached names the units (one, or all for "") that have open tasks but
// nobody who receives their reminders today (see tasks.UnreachedUnits).
func unreached(tx tasks.Tx, unit string, today tasks.Date) ([]string, error) {
	ms, err := tx.Members()
	if err != nil {
		return nil, err
	}
	us, err := tx.Units()
	if err != nil {
		return nil, err
	}
	var codes []string
	names := map[string]string{}
	for _, u := range us {
		if unit != "" && u.Code != unit {
			continue
		}
		open, err := tx.Tasks(tasks.TaskFilter{Unit: u.Code, OpenOnly: true})
		if err != nil {
			return nil, err
		}
		if len(open) > 0 {
			codes = append(codes, u.Code)
			names[u.Code] = u.Name
		}
	}
	var out []string
	for _, c := range tasks.UnreachedUnits(ms, codes, today) {
		out = append(out, names[c])
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
	inds, err := tasks.LoadIndicatorStandings(r.tx, tasks.IndicatorFilter{}, tasks.DateOf(r.now, b.o.Loc))
	if err != nil {
		return err
	}
	data, err := b.o.Export(ts, inds, us, r.lang)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	name := "steerbot-" + r.now.In(b.o.Loc).Format("2006-01-02") + ".xlsx"
	r.out = append(r.out, tasks.OutMessage{ChatID: r.chatID, Text: r.t("export_caption", len(ts)), Document: &tasks.File{Name: name, Data: data}})
	return nil
}
