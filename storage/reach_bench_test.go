package storage_test

import (
	"fmt"
	"testing"
	"time"

	"steerbot/tasks"
)

// BenchmarkReportedUnits measures what a chase run and the chairs' weekly
// note read: the history of 500 open tasks with 20 updates each, in a
// real bbolt file, to find the units that reported since a moment.
func BenchmarkReportedUnits(b *testing.B) {
	s := MustOpen(b)
	const nTasks, nUpdates, nUnits = 500, 20, 30
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var ts []tasks.Task
	var ms []tasks.Member
	mustUpdate(b, s, func(tx tasks.Tx) error {
		for u := range nUnits {
			m := tasks.Member{Name: fmt.Sprintf("Head %d", u), Role: tasks.RoleUnitHead, Unit: fmt.Sprintf("U%d", u), TelegramID: int64(1000 + u)}
			if err := tx.PutMember(&m); err != nil {
				return err
			}
			ms = append(ms, m)
		}
		for i := range nTasks {
			t := sampleTask(fmt.Sprintf("T-%d", i), fmt.Sprintf("U%d", i%nUnits), "G")
			if err := tx.PutTask(t); err != nil {
				return err
			}
			ts = append(ts, t)
			for k := range nUpdates {
				u := tasks.Update{Task: t.Code, At: t0.Add(time.Duration(k) * time.Hour), By: ms[i%nUnits].ID, Via: tasks.ViaReply, NewProgress: k}
				if err := tx.AddUpdate(&u); err != nil {
					return err
				}
			}
		}
		return nil
	})
	since := t0.Add(nUpdates * time.Hour / 2)
	for b.Loop() {
		err := s.View(b.Context(), func(tx tasks.Tx) error {
			got, err := tasks.ReportedUnits(tx, ts, ms, since)
			if err == nil && len(got) != nUnits {
				err = fmt.Errorf("%d units reported, want %d", len(got), nUnits)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
