package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"steerbot/storage"
	"steerbot/tasks"
)

func TestStore_Invites(t *testing.T) {
	s := MustOpen(t)
	t0 := time.Date(2023, 10, 16, 9, 0, 0, 0, time.UTC)
	mustUpdate(t, s, func(tx tasks.Tx) error {
		for i, tok := range []string{"late", "soon", "mid"} {
			inv := tasks.Invite{Token: tok, Role: tasks.RoleUnitHead, Unit: "snv", Expires: t0.Add(time.Duration([]int{3, 1, 2}[i]) * time.Hour)}
			if err := tx.PutInvite(inv); err != nil {
				return err
			}
		}
		return nil
	})
	mustUpdate(t, s, func(tx tasks.Tx) error {
		invs, err := tx.Invites()
		if err != nil {
			return err
		}
		var got []string
		for _, inv := range invs {
			got = append(got, inv.Token)
		}
		if len(got) != 3 || got[0] != "soon" || got[1] != "mid" || got[2] != "late" || invs[0].Unit != "SNV" {
			t.Errorf("Invites=%v, want soon, mid, late with unit SNV", invs)
		}
		if err := tx.DeleteInvite("mid"); err != nil {
			t.Fatalf("DeleteInvite: %v", err)
		}
		if _, err := tx.TakeInvite("mid"); !tasks.IsNotFound(err) {
			t.Errorf("TakeInvite of a withdrawn invite err=%v, want ENOTFOUND", err)
		}
		if err := tx.DeleteInvite("mid"); !tasks.IsNotFound(err) {
			t.Errorf("second DeleteInvite err=%v, want ENOTFOUND", err)
		}
		if err := tx.DeleteInvite(""); !tasks.IsNotFound(err) {
			t.Errorf("DeleteInvite(\"\") err=%v, want ENOTFOUND", err)
		}
		invs, err = tx.Invites()
		if err != nil {
			return err
		}
		if len(invs) != 2 {
			t.Errorf("%d invites left, want 2", len(invs))
		}
		return nil
	})
	err := s.View(context.Background(), func(tx tasks.Tx) error { return tx.DeleteInvite("soon") })
	if !errors.Is(err, storage.ErrTxNotWritable) || !errors.Is(err, bolt.ErrTxNotWritable) {
		t.Errorf("DeleteInvite in View err=%v, want ErrTxNotWritable", err)
	}
}

// RemoveMember over a real file: the account is unlinked at once, the
// record stays, their queued messages are not sent, and the account may be
// invited again as a new member.
func TestStore_RemoveMember(t *testing.T) {
	s := MustOpen(t)
	at := time.Date(2023, 10, 16, 9, 0, 0, 0, time.UTC)
	var head, secr tasks.Member
	mustUpdate(t, s, func(tx tasks.Tx) error {
		head = tasks.Member{Name: "Lê Văn Cường", Role: tasks.RoleUnitHead, Unit: "SNV", TelegramID: 333}
		secr = tasks.Member{Name: "Trần Thị Bình", Role: tasks.RoleSecretariat, TelegramID: 222}
		for _, m := range []*tasks.Member{&head, &secr} {
			if err := tx.PutMember(m); err != nil {
				return err
			}
		}
		for _, m := range []tasks.OutMessage{{Key: "a", ChatID: 333, Text: "nhắc việc"}, {Key: "b", ChatID: 222, Text: "báo cáo"}} {
			m.State = tasks.OutQueued
			if _, err := tx.Enqueue(&m); err != nil {
				return err
			}
		}
		for _, inv := range []tasks.Invite{{Token: "his", CreatedBy: head.ID, Role: tasks.RoleSecretariat}, {Token: "hers", CreatedBy: secr.ID, Role: tasks.RoleChair}} {
			inv.Expires = at.Add(time.Hour)
			if err := tx.PutInvite(inv); err != nil {
				return err
			}
		}
		return nil
	})
	mustUpdate(t, s, func(tx tasks.Tx) error {
		got, err := tasks.RemoveMember(tx, head.ID, secr.ID, at)
		if err != nil {
			t.Fatalf("RemoveMember: %v", err)
		}
		if got.Linked() || !got.Removed() || got.RemovedBy != secr.ID || got.FormerTelegramID != 333 {
			t.Errorf("removed member %+v", got)
		}
		return nil
	})
	mustUpdate(t, s, func(tx tasks.Tx) error {
		if _, err := tx.MemberByTelegram(333); !tasks.IsNotFound(err) {
			t.Errorf("MemberByTelegram of a removed account err=%v, want ENOTFOUND", err)
		}
		m, err := tx.Member(head.ID)
		if err != nil || m.Name != head.Name || !m.RemovedAt.Equal(at) {
			t.Errorf("record after removal %+v, %v", m, err)
		}
		q, err := tx.Queued(0)
		if err != nil {
			return err
		}
		if len(q) != 1 || q[0].ChatID != 222 {
			t.Errorf("queued after removal %+v, want only the message to 222", q)
		}
		if invs, err := tx.Invites(); err != nil || len(invs) != 1 || invs[0].Token != "hers" {
			t.Errorf("invites after removal %+v, %v: want only the remover's", invs, err)
		}
		if _, err := tasks.RemoveMember(tx, head.ID, secr.ID, at); tasks.ErrorCode(err) != tasks.ECONFLICT {
			t.Errorf("second removal err=%v, want ECONFLICT", err)
		}
		if _, err := tasks.RemoveMember(tx, 99, secr.ID, at); !tasks.IsNotFound(err) {
			t.Errorf("removal of an unknown member err=%v, want ENOTFOUND", err)
		}
		again := tasks.Member{Name: "Lê Văn Cường", Role: tasks.RoleUnitDelegate, Unit: "SNV", TelegramID: 333}
		if err := tx.PutMember(&again); err != nil {
			t.Errorf("the account could not join again: %v", err)
		}
		return nil
	})
}
