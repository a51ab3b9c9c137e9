package tasks

import (
	"fmt"
	"strings"
)

// AwayRequest is what `/away FROM TO [names]` or `/away off [name]` asks.
type AwayRequest struct {
	Off      bool // end the absence now
	From, To Date
	// Names are the words after the dates (or after "off"), split at a
	// comma: for a unit member, the one who covers; for the secretariat,
	// the absent member and then, optionally, the one who covers.
	Names []string
}

// MaxAwayDays bounds an absence: a longer one is a change of who holds
// the post, made with /invite and /remove.
const MaxAwayDays = 92

// ParseAway reads the arguments of /away: "FROM TO [names]" with dates as
// ParseDate reads them (DD/MM counts from today), or "off [name]" ("tắt",
// "hết" too, accents and case ignored). Errors are EINVALID: "usage_away"
// for missing words, "bad_date" for a date that is not one, "away_dates"
// when TO is before FROM, "away_too_long" for MaxAwayDays or more.
func ParseAway(args string, today Date) (AwayRequest, error) {
	f := strings.Fields(args)
	if len(f) == 0 {
		return AwayRequest{}, NewError(EINVALID, "usage_away", "give the first and the last day of the absence")
	}
	switch Fold(f[0]) {
	case "off", "tat", "het", "huy":
		return AwayRequest{Off: true, Names: splitNames(restAfter(args, 1))}, nil
	}
	if len(f) < 2 {
		return AwayRequest{}, NewError(EINVALID, "usage_away", "give the first and the last day of the absence")
	}
	from, err := ParseDate(f[0], today)
	if err != nil {
		return AwayRequest{}, err
	}
	to, err := ParseDate(f[1], from)
	if err != nil {
		return AwayRequest{}, err
	}
	if to.Before(from) {
		return AwayRequest{}, NewError(EINVALID, "away_dates", "the last day is before the first", from.VN(), to.VN())
	}
	if from.DaysUntil(to) >= MaxAwayDays {
		// "20/10 17/10" reads 17/10 of the next year: a slip, not a leave.
		return AwayRequest{}, NewError(EINVALID, "away_too_long", "an absence is shorter than MaxAwayDays", from.VN(), to.VN(), MaxAwayDays)
	}
	return AwayRequest{From: from, To: to, Names: splitNames(restAfter(args, 2))}, nil
}

// splitNames splits s at commas into trimmed, non-empty names.
func splitNames(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// SetAway is the one rule for declaring an absence: a unit's head or
// delegate declares their own, the secretariat anyone's (EFORBIDDEN
// "away_others"); only unit members are absent from reminders (EINVALID
// "away_not_unit"); an absence that ended before today is EINVALID
// "away_past"; the cover must be another member who can receive messages
// (EINVALID "away_cover"). A zero a ends the absence. It stores and
// returns the absent member.
func SetAway(tx MemberStore, by, absent Member, a Absence, today Date) (Member, error) {
	if by.ID != absent.ID && by.Role != RoleSecretariat {
		return Member{}, NewError(EFORBIDDEN, "away_others", "only the secretariat declares another member's absence")
	}
	if !absent.Role.ForUnit() {
		return Member{}, NewError(EINVALID, "away_not_unit", absent.Name+" receives no unit reminders", absent.Name)
	}
	if !a.From.IsZero() && a.To.Before(today) {
		return Member{}, NewError(EINVALID, "away_past", "the absence has ended already", a.To.VN())
	}
	if a.Cover != 0 {
		c, err := tx.Member(a.Cover)
		if err != nil && !IsNotFound(err) {
			return Member{}, fmt.Errorf("read cover: %w", err)
		}
		if err != nil || c.ID == absent.ID || !c.Reachable() {
			return Member{}, NewError(EINVALID, "away_cover", "the cover cannot receive reminders", c.Name)
		}
	}
	if !a.From.IsZero() {
		a.SetBy = by.ID
	}
	absent.Away = a
	if err := tx.PutMember(&absent); err != nil {
		return Member{}, fmt.Errorf("set absence of %d: %w", absent.ID, err)
	}
	return absent, nil
}
