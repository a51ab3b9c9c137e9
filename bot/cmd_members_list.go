package bot

// This file holds /members: per unit, who is linked, invited, blocked or
// away, and when each last reported.

import (
	"strings"
	"time"

	"steerbot/tasks"
)

// cmdMembers lists, per unit, its heads and delegates (removed members
// left out): linked with their last report, not yet linked, blocked, away
// and who covers; the open invites for the unit; and a warning for a unit
// nobody receives reminders for. Chairs and the secretariat follow.
func (b *Bot) cmdMembers(r *req, _ string) error {
	units, err := r.tx.Units()
	if err != nil {
		return err
	}
	ms, err := r.tx.Members()
	if err != nil {
		return err
	}
	invs, err := r.tx.Invites()
	if err != nil {
		return err
	}
	all, err := r.tx.Tasks(tasks.TaskFilter{})
	if err != nil {
		return err
	}
	last, err := tasks.LastReports(r.tx, all)
	if err != nil {
		return err
	}
	today := tasks.DateOf(r.now, b.o.Loc)
	var sb strings.Builder
	sb.WriteString(r.t("members_title"))
	for _, u := range units {
		sb.WriteString("\n\n" + r.t("members_unit", esc(u.Name), esc(u.Code)))
		for _, m := range ms {
			if m.Removed() || !m.Role.ForUnit() || m.Unit != u.Code {
				continue
			}
			sb.WriteString("\n" + b.memberLine(r, m, last[m.ID]))
			if m.Away.On(today) || (!m.Away.Ended(today) && today.Before(m.Away.From)) {
				sb.WriteString("\n" + r.t("members_away", m.Away.From.VN(), m.Away.To.VN(), esc(coverNames(r.lang, ms, m))))
			}
		}
		for _, inv := range invs {
			if inv.Unit == u.Code && r.now.Before(inv.Expires) {
				who := r.t("role_" + string(inv.Role))
				if inv.Name != "" {
					who += " " + esc(inv.Name)
				}
				sb.WriteString("\n" + r.t("members_invited", who, inv.Expires.In(b.o.Loc).Format("02/01")))
			}
		}
		if len(tasks.UnitContactsAt(ms, u.Code, today)) == 0 {
			sb.WriteString("\n" + r.t("members_nobody"))
		}
	}
	sb.WriteString("\n\n" + r.t("members_others"))
	for _, m := range ms {
		if !m.Removed() && !m.Role.ForUnit() {
			sb.WriteString("\n" + b.memberLine(r, m, last[m.ID]))
		}
	}
	r.reply(sb.String(), nil)
	return nil
}

// memberLine is one member in /members: name, role, and whether the bot
// reaches them and when they last reported.
func (b *Bot) memberLine(r *req, m tasks.Member, last time.Time) string {
	role := r.t("role_" + string(m.Role))
	name := esc(m.Name)
	if m.Title != "" {
		name += ", " + esc(m.Title)
	}
	switch {
	case !m.Linked():
		return r.t("members_unlinked", name, role)
	case !m.BlockedAt.IsZero():
		return r.t("members_blocked", name, role, m.BlockedAt.In(b.o.Loc).Format("02/01/2006"))
	}
	when := r.t("members_never")
	if !last.IsZero() {
		when = last.In(b.o.Loc).Format("02/01/2006")
	}
	return r.t("members_linked", name, role, when)
}
