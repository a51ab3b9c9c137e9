package storage

import (
	"fmt"
	"sort"

	"steerbot/tasks"
)

// Invites returns the invites not yet used, expired ones included,
// soonest expiry first (then by token).
func (t *Tx) Invites() ([]tasks.Invite, error) {
	var out []tasks.Invite
	err := t.b(bucketInvites).ForEach(func(k, v []byte) error {
		var inv tasks.Invite
		if err := decode(k, v, &inv); err != nil {
			return err
		}
		out = append(out, inv)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("invites: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Expires.Equal(out[j].Expires) {
			return out[i].Expires.Before(out[j].Expires)
		}
		return out[i].Token < out[j].Token
	})
	return out, nil
}

// DeleteInvite withdraws an invite, so that its link answers as an expired
// one (ENOTFOUND when it is not stored).
func (t *Tx) DeleteInvite(token string) error {
	if err := t.writable("delete invite"); err != nil {
		return err
	}
	b := t.b(bucketInvites)
	if token == "" || b.Get([]byte(token)) == nil {
		return notFound("invite_not_found", "invite not found or already used")
	}
	if err := b.Delete([]byte(token)); err != nil {
		return fmt.Errorf("delete invite: %w", err)
	}
	return nil
}
