package tasks

// UnitContacts returns the members of ms who hear about unit's tasks: its
// linked heads and delegates who have not blocked the bot, in the order of
// ms. Who receives its scheduled reminders on a day, absences counted, is
// UnitContactsAt.
func UnitContacts(ms []Member, unit string) []Member {
	var out []Member
	for _, m := range ms {
		if m.Reachable() && m.Role.ForUnit() && m.Unit == unit {
			out = append(out, m)
		}
	}
	return out
}

// Deciders returns the members of ms who decide extensions and proposals
// (see Can and Decide): the linked chairs, and the secretariat when the
// committee lets it decide, in the order of ms.
func (p Policy) Deciders(ms []Member) []Member {
	var out []Member
	for _, m := range ms {
		if p.Can(m, Decide, nil) == nil {
			out = append(out, m)
		}
	}
	return out
}
