package bot

// This file holds what the scheduler asks the bot to say about reaching
// units: the secretariat's list of units nobody receives reminders for,
// the grouped escalation, and the lines reminders add for those who stand
// in for an absent member.

import (
	"strconv"
	"strings"

	"steerbot/tasks"
)

// inviteLink is the t.me link that opens an invite.
func (b *Bot) inviteLink(inv tasks.Invite) string {
	return "https://t.me/" + b.username + "?start=" + inv.Token
}

// Unreached tells each secretariat member in u.To, in one message, which
// units nobody receives reminders for, with an invite link per unit to
// forward to its head. It is held back in quiet hours like a reminder.
func (b *Bot) Unreached(tx tasks.OutboxStore, u tasks.Unreached) error {
	if len(u.Units) == 0 {
		return nil
	}
	expires := u.Units[0].Invite.Expires.In(b.o.Loc).Format("15:04 02/01/2006")
	for _, m := range u.To {
		if !m.Linked() {
			continue
		}
		lang := b.langOf(m)
		var sb strings.Builder
		sb.WriteString(text(lang, "unreached_title", len(u.Units), expires))
		for _, x := range u.Units {
			sb.WriteString("\n" + text(lang, "unreached_line", esc(x.Unit.Name), b.inviteLink(x.Invite)))
		}
		key := u.Key + ":" + strconv.FormatInt(m.ID, 10)
		if err := b.enqueueParts(tx, key, m.TelegramID, sb.String(), nil, nil); err != nil {
			return err
		}
	}
	return nil
}

// Escalate tells the committee chat, in one message, of the tasks a run
// found overdue too long, in the order given (most days late first), with
// the lead units' names and who stands in for an absent member.
func (b *Bot) Escalate(tx tasks.OutboxStore, key string, es []tasks.Escalation) error {
	if b.o.CommitteeChatID == 0 || len(es) == 0 {
		return nil
	}
	lang := b.o.Lang
	var sb strings.Builder
	sb.WriteString(text(lang, "escalation_title", len(es)))
	codes := make([]string, 0, len(es))
	for i, e := range es {
		unit := e.Unit.Name
		if unit == "" {
			unit = e.Task.Unit
		}
		sb.WriteString("\n" + text(lang, "escalation_item", i+1, esc(e.Task.Code), esc(clip(e.Task.Title, 150)), esc(unit),
			e.Task.Deadline.VN(), e.DaysLate, e.Task.Progress))
		for _, c := range e.Covers {
			sb.WriteString("\n" + text(lang, "escalation_cover", esc(memberNames(c.For)), esc(c.Member.Name)))
		}
		codes = append(codes, e.Task.Code)
	}
	return b.enqueueParts(tx, key, b.o.CommitteeChatID, sb.String(), nil, codes)
}

// standingIn is the line a reminder adds when its recipient stands in for
// absent members, "" when they receive it as themselves.
func standingIn(lang string, rm tasks.Reminder) string {
	if len(rm.For) == 0 {
		return ""
	}
	last := rm.For[0].Away.To
	for _, f := range rm.For[1:] {
		if last.Before(f.Away.To) {
			last = f.Away.To
		}
	}
	return text(lang, "remind_for", esc(memberNames(rm.For)), last.VN())
}

// memberNames joins members' names.
func memberNames(ms []tasks.Member) string {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name
	}
	return strings.Join(names, ", ")
}

// unreachedLine is the digest's line about units nobody receives
// reminders for; "" when there are none.
func unreachedLine(lang string, d tasks.Digest) string {
	if d.Unreached == 0 {
		return ""
	}
	return text(lang, "digest_unreached", d.Unreached)
}
