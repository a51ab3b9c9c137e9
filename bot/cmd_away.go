package bot

// This file holds /away: an absence, and who receives the absent member's
// reminders meanwhile.

import (
	"strings"

	"steerbot/tasks"
)

// cmdAway declares or ends an absence. A unit member writes "/away FROM
// TO [cover]" or "/away off" for themselves; the secretariat names the
// absent member first: "/away FROM TO Name[, cover]", "/away off Name".
// The rules are tasks.ParseAway and tasks.SetAway.
func (b *Bot) cmdAway(r *req, args string) error {
	today := tasks.DateOf(r.now, b.o.Loc)
	ask, err := tasks.ParseAway(args, today)
	if err != nil {
		return err
	}
	absent, names := r.member, ask.Names
	if r.member.Role == tasks.RoleSecretariat {
		if len(names) == 0 {
			return userError(tasks.EINVALID, "usage_away")
		}
		if absent, err = oneMember(r.tx, names[0]); err != nil {
			return err
		}
		names = names[1:]
	}
	if ask.Off {
		if absent.Away.Ended(today) {
			r.reply(r.t("away_none", esc(absent.Name)), nil)
			return nil
		}
		if _, err := tasks.SetAway(r.tx, r.member, absent, tasks.Absence{}, today); err != nil {
			return err
		}
		r.reply(r.t("away_off", esc(absent.Name)), nil)
		return nil
	}
	a := tasks.Absence{From: ask.From, To: ask.To}
	if len(names) > 0 {
		c, err := oneMember(r.tx, names[0])
		if err != nil {
			return err
		}
		a.Cover = c.ID
	}
	m, err := tasks.SetAway(r.tx, r.member, absent, a, today)
	if err != nil {
		return err
	}
	ms, err := r.tx.Members()
	if err != nil {
		return err
	}
	covers := coverNames(r.lang, ms, m)
	r.reply(r.t("away_set", esc(m.Name), a.From.VN(), a.To.VN(), esc(covers)), nil)
	// Whoever else is concerned hears of it: the absent member when the
	// secretariat declared it, and a cover they named.
	if m.ID != r.member.ID && m.Linked() {
		lang := b.langOf(m)
		r.send(m.TelegramID, text(lang, "away_told_absent", a.From.VN(), a.To.VN(), esc(coverNames(lang, ms, m))), nil)
	}
	if a.Cover != 0 && a.Cover != r.member.ID {
		for _, c := range ms {
			if c.ID == a.Cover && c.Linked() {
				r.send(c.TelegramID, text(b.langOf(c), "away_told_cover", esc(m.Name), a.From.VN(), a.To.VN()), nil)
			}
		}
	}
	return nil
}

// coverNames names who receives m's unit's reminders in m's stead on the
// first day of the absence.
func coverNames(lang string, ms []tasks.Member, m tasks.Member) string {
	var names []string
	for _, c := range tasks.UnitContactsAt(ms, m.Unit, m.Away.From) {
		for _, f := range c.For {
			if f.ID == m.ID {
				names = append(names, c.Member.Name)
			}
		}
	}
	if len(names) == 0 {
		return text(lang, "away_nobody")
	}
	return strings.Join(names, ", ")
}

// oneMember is the one member a name designates (see findMembers):
// ENOTFOUND for none, EINVALID when several match.
func oneMember(tx tasks.Tx, q string) (tasks.Member, error) {
	found, err := findMembers(tx, q)
	if err != nil {
		return tasks.Member{}, err
	}
	switch len(found) {
	case 0:
		return tasks.Member{}, userError(tasks.ENOTFOUND, "member_not_named", q)
	case 1:
		return found[0], nil
	}
	return tasks.Member{}, userError(tasks.EINVALID, "member_ambiguous", q, len(found))
}
