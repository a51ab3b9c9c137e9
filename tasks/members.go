package tasks

import (
	"fmt"
	"time"
)

// RemoveMember ends a member's access at once and keeps their record: the
// Telegram account is unlinked (their next message is a stranger's), and
// RemovedAt, RemovedBy (0 for the bot itself, e.g. a member dropped from
// the configuration) and FormerTelegramID say when, by whom and which
// account. Their updates, requests and decisions keep naming them; an
// extension they asked for stays pending. Messages still queued for their
// private chat are marked failed, not sent, and the invites they made and
// nobody used yet are withdrawn (one could be for a second account of
// their own). Deciding who receives their decision cards instead is the
// caller's (it knows the cards).
//
// It returns the member as stored: ENOTFOUND for an unknown id, ECONFLICT
// for one already removed.
func RemoveMember(tx Tx, id, by int64, at time.Time) (Member, error) {
	m, err := tx.Member(id)
	if err != nil {
		return Member{}, err
	}
	if m.Removed() {
		return m, NewError(ECONFLICT, "member_removed", fmt.Sprintf("member %d was removed already", id), m.Name)
	}
	chat := m.TelegramID
	m.FormerTelegramID, m.TelegramID = chat, 0
	m.RemovedAt, m.RemovedBy = at, by
	if err := tx.PutMember(&m); err != nil {
		return Member{}, fmt.Errorf("remove member %d: %w", id, err)
	}
	invs, err := tx.Invites()
	if err != nil {
		return Member{}, fmt.Errorf("remove member %d: %w", id, err)
	}
	for _, inv := range invs {
		if inv.CreatedBy != id {
			continue
		}
		if err := tx.DeleteInvite(inv.Token); err != nil {
			return Member{}, fmt.Errorf("remove member %d: withdraw invite: %w", id, err)
		}
	}
	if chat == 0 {
		return m, nil
	}
	queued, err := tx.Queued(0)
	if err != nil {
		return Member{}, fmt.Errorf("remove member %d: %w", id, err)
	}
	for _, q := range queued {
		if q.ChatID != chat {
			continue
		}
		q.State, q.LastError = OutFailed, "member removed"
		if err := tx.PutOutMessage(q); err != nil {
			return Member{}, fmt.Errorf("remove member %d: drop message %d: %w", id, q.ID, err)
		}
	}
	return m, nil
}
