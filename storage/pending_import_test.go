package storage_test

import (
	"bytes"
	"testing"

	"steerbot/tasks"
)

// TestStore_PendingImport: a previewed task file is kept with its bytes,
// removed on Apply or Cancel, and swept a day after its preview.
func TestStore_PendingImport(t *testing.T) {
	s := MustOpen(t)
	data := bytes.Repeat([]byte("PK\x03\x04 workbook "), 1000)
	mustUpdate(t, s, func(tx tasks.Tx) error {
		if err := tx.PutPendingImport(tasks.PendingImport{}); tasks.ErrorCode(err) != tasks.EINVALID {
			t.Errorf("PutPendingImport(ID 0)=%v, want EINVALID", err)
		}
		for id, created := range map[int64]int{1: 1, 2: 2} {
			p := tasks.PendingImport{ID: id, Member: 3, Chat: 222, FileName: "ke-hoach.xlsx", Data: data, State: "abc", Created: at(created, 9)}
			if err := tx.PutPendingImport(p); err != nil {
				return err
			}
		}
		return nil
	})
	mustView(t, s, func(tx tasks.Tx) error {
		p, err := tx.PendingImport(1)
		if err != nil || !bytes.Equal(p.Data, data) || p.FileName != "ke-hoach.xlsx" || p.State != "abc" || !p.Expires().Equal(at(2, 9)) {
			t.Errorf("PendingImport(1)=%+v, %v", p.State, err)
		}
		return nil
	})
	var swept map[tasks.StateKind]int
	mustUpdate(t, s, func(tx tasks.Tx) error {
		var err error
		swept, err = tx.SweepState(at(2, 10)) // past the first's day, within the second's
		return err
	})
	if swept[tasks.StatePendingImport] != 1 {
		t.Errorf("swept %v, want one pending import", swept)
	}
	mustUpdate(t, s, func(tx tasks.Tx) error {
		if _, err := tx.PendingImport(1); !tasks.IsNotFound(err) {
			t.Errorf("swept import: err=%v, want ENOTFOUND", err)
		}
		if err := tx.DeletePendingImport(2); err != nil {
			return err
		}
		if err := tx.DeletePendingImport(2); err != nil {
			t.Errorf("DeletePendingImport(absent)=%v, want nil", err)
		}
		_, err := tx.PendingImport(2)
		if !tasks.IsNotFound(err) {
			t.Errorf("deleted import: err=%v, want ENOTFOUND", err)
		}
		return nil
	})
}
