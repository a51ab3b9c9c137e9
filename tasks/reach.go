package tasks

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Absence is a time a member is away and who covers it: from From to To,
// both days included, their reminders go to Cover (a member id) or, when
// Cover is 0, to the unit's other members who can receive them.
type Absence struct {
	From  Date
	To    Date
	Cover int64 // member id; 0: the unit's other members
	SetBy int64 // who declared it
}

// On reports whether the absence covers day.
func (a Absence) On(day Date) bool {
	return !a.From.IsZero() && !day.Before(a.From) && !a.To.Before(day)
}

// Ended reports whether the absence is over (or none) on day.
func (a Absence) Ended(day Date) bool { return a.From.IsZero() || a.To.Before(day) }

// Reachable reports whether the bot can write to m: linked and not blocked.
func (m Member) Reachable() bool { return m.Linked() && m.BlockedAt.IsZero() }

// Contact is one member who receives a unit's reminders on a day, and the
// absent members they stand in for (empty when they receive as themselves).
type Contact struct {
	Member Member
	For    []Member
}

// UnitContactsAt is the rule for who receives unit's reminders on day: the
// unit's reachable heads and delegates (see UnitContacts) who are not away;
// one who is away is covered by the member they named, or else by the
// unit's others who are present, and those receive the reminder saying for
// whom they stand in. An absent member nobody can cover still receives it.
// Contacts come in the order of ms; a named cover from outside the unit
// comes after the unit's own.
func UnitContactsAt(ms []Member, unit string, day Date) []Contact {
	own := UnitContacts(ms, unit)
	var out []Contact
	var away []Member
	for _, m := range own {
		if m.Away.On(day) {
			away = append(away, m)
			continue
		}
		out = append(out, Contact{Member: m})
	}
	present := len(out)
	for _, a := range away {
		covered := false
		if a.Away.Cover != 0 {
			i := slices.IndexFunc(out, func(c Contact) bool { return c.Member.ID == a.Away.Cover })
			if i < 0 {
				j := slices.IndexFunc(ms, func(m Member) bool {
					return m.ID == a.Away.Cover && m.Reachable() && !m.Away.On(day)
				})
				if j >= 0 {
					out = append(out, Contact{Member: ms[j]})
					i = len(out) - 1
				}
			}
			if i >= 0 {
				out[i].For = append(out[i].For, a)
				covered = true
			}
		}
		if !covered && present > 0 {
			for i := range present {
				out[i].For = append(out[i].For, a)
			}
			covered = true
		}
		if !covered {
			out = append(out, Contact{Member: a})
		}
	}
	return out
}

// UnreachedUnits returns, of units (codes), those nobody receives reminders
// for on day (see UnitContactsAt), in the order given.
func UnreachedUnits(ms []Member, units []string, day Date) []string {
	var out []string
	for _, u := range units {
		if len(UnitContactsAt(ms, u, day)) == 0 {
			out = append(out, u)
		}
	}
	return out
}

// MarkBlocked records that the member linked to telegramID blocked the bot
// (Telegram answered 403), so that their unit shows as unreached until
// they write again. An account no member holds is not an error.
func MarkBlocked(tx MemberStore, telegramID int64, at time.Time) error {
	m, err := tx.MemberByTelegram(telegramID)
	if IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mark blocked %d: %w", telegramID, err)
	}
	if !m.BlockedAt.IsZero() {
		return nil
	}
	m.BlockedAt = at
	if err := tx.PutMember(&m); err != nil {
		return fmt.Errorf("mark blocked %d: %w", m.ID, err)
	}
	return nil
}

// Unblock clears m's BlockedAt, now that they wrote to the bot: it can
// reach them again. It stores m only when it changed.
func Unblock(tx MemberStore, m *Member) error {
	if m.BlockedAt.IsZero() {
		return nil
	}
	m.BlockedAt = time.Time{}
	if err := tx.PutMember(m); err != nil {
		return fmt.Errorf("unblock member %d: %w", m.ID, err)
	}
	return nil
}

// DefaultAddress is how a member is addressed when no form is set.
const DefaultAddress = "đồng chí"

// Salutation is how a letter names m after "Kính gửi" / "Dear": the form
// of address, the name and the title, "đồng chí Phạm Minh Đức, Giám đốc
// Sở Nội vụ". In English the Vietnamese form of address is left out.
func Salutation(m Member, lang string) string {
	s := m.Name
	if lang != "en" {
		addr := strings.TrimSpace(m.Address)
		if addr == "" {
			addr = DefaultAddress
		}
		s = addr + " " + s
	}
	if t := strings.TrimSpace(m.Title); t != "" {
		s += ", " + t
	}
	return s
}

// MaxInviteName bounds the name and the title an invite carries.
const MaxInviteName = 100

// CreateInvite is the one rule for a new invite, whoever makes it (a
// member's /invite, the scheduler's ready-to-forward links): a unit role
// needs a known unit (EINVALID "invite_needs_unit", ENOTFOUND
// "unit_not_found"), a name or title longer than MaxInviteName is EINVALID
// "title_too_long"; it gets a random single-use token, expires ttl after
// now and is stored.
func CreateInvite(tx interface {
	UnitStore
	MemberStore
}, inv Invite, now time.Time, ttl time.Duration) (Invite, error) {
	if !inv.Role.Valid() {
		return Invite{}, NewError(EINVALID, "bad_role", "unknown role "+string(inv.Role), string(inv.Role))
	}
	if inv.Role.ForUnit() {
		inv.Unit = NormalizeCode(inv.Unit)
		if inv.Unit == "" {
			return Invite{}, NewError(EINVALID, "invite_needs_unit", "a unit role needs a unit")
		}
		if _, err := tx.Unit(inv.Unit); IsNotFound(err) {
			return Invite{}, NewError(ENOTFOUND, "unit_not_found", "no unit "+inv.Unit, inv.Unit)
		} else if err != nil {
			return Invite{}, fmt.Errorf("invite: %w", err)
		}
	} else {
		inv.Unit = ""
	}
	inv.Name, inv.Title = strings.TrimSpace(inv.Name), strings.TrimSpace(inv.Title)
	if utf8.RuneCountInString(inv.Name) > MaxInviteName || utf8.RuneCountInString(inv.Title) > MaxInviteName {
		return Invite{}, NewError(EINVALID, "title_too_long", "name or title too long", MaxInviteName)
	}
	raw := make([]byte, 18)
	if _, err := rand.Read(raw); err != nil {
		return Invite{}, fmt.Errorf("invite token: %w", err)
	}
	inv.Token = base64.RawURLEncoding.EncodeToString(raw)
	inv.Expires = now.Add(ttl)
	if err := tx.PutInvite(inv); err != nil {
		return Invite{}, fmt.Errorf("store invite: %w", err)
	}
	return inv, nil
}

// UnreachedUnit is a unit nobody receives reminders for, with a fresh
// invite for its head, ready to forward.
type UnreachedUnit struct {
	Unit   Unit
	Invite Invite
}

// SplitNameTitle reads the words after an invite's role and unit: a name,
// then optionally a comma and a title ("Phạm Minh Đức, Giám đốc Sở Nội
// vụ"). Names carry no comma, so a line without one is all name, as before.
func SplitNameTitle(s string) (name, title string) {
	name, title, _ = strings.Cut(s, ",")
	return strings.Join(strings.Fields(name), " "), strings.Join(strings.Fields(title), " ")
}

// UnreachedIn returns the lead units of the open tasks in the digest's
// scope that nobody receives reminders for on the timeline's day, sorted;
// none when in.Members is nil (not loaded).
func UnreachedIn(in DigestInput) []string {
	if in.Members == nil {
		return nil
	}
	want := Fold(in.Group)
	seen := map[string]bool{}
	var units []string
	for _, t := range in.Tasks {
		if !t.Status.Open() || seen[t.Unit] || (want != "" && Fold(t.Group) != want) {
			continue
		}
		seen[t.Unit] = true
		units = append(units, t.Unit)
	}
	slices.Sort(units)
	return UnreachedUnits(in.Members, units, in.Timeline.Today())
}
