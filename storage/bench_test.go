package storage_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"steerbot/tasks"
)

// BenchmarkPutTaskDurable measures one durable change as the bot makes it:
// a task update and its history entry, committed and synced per call.
func BenchmarkPutTaskDurable(b *testing.B) {
	s := MustOpen(b)
	ctx := context.Background()
	task := sampleTask("CCHC-1", "SNV", "Chính quyền số")
	mustUpdate(b, s, func(tx tasks.Tx) error { return tx.PutTask(task) })
	for i := 0; b.Loop(); i++ {
		err := s.Update(ctx, func(tx tasks.Tx) error {
			task.Progress = i % 101
			if err := tx.PutTask(task); err != nil {
				return err
			}
			return tx.AddUpdate(&tasks.Update{Task: task.Code, Via: tasks.ViaCommand, NewProgress: task.Progress})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutTaskBatch is the same change from many concurrent callers
// through Store.Batch, which shares one commit among them.
func BenchmarkPutTaskBatch(b *testing.B) {
	s := MustOpen(b)
	ctx := context.Background()
	const nTasks = 100
	mustUpdate(b, s, func(tx tasks.Tx) error {
		for i := range nTasks {
			if err := tx.PutTask(sampleTask(fmt.Sprintf("CCHC-%d", i), "SNV", "G")); err != nil {
				return err
			}
		}
		return nil
	})
	var next atomic.Int64
	b.SetParallelism(64) // 64 callers per CPU
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := int(next.Add(1))
			code := fmt.Sprintf("CCHC-%d", n%nTasks)
			err := s.Batch(ctx, func(tx tasks.Tx) error {
				task, err := tx.Task(code)
				if err != nil {
					return err
				}
				task.Progress = n % 101
				if err := tx.PutTask(task); err != nil {
					return err
				}
				return tx.AddUpdate(&tasks.Update{Task: code, Via: tasks.ViaCommand, NewProgress: task.Progress})
			})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkTasksByUnit reads one unit's tasks (100) out of 100,000 tasks in
// 1,000 units, through the unit index.
func BenchmarkTasksByUnit(b *testing.B) {
	s := MustOpen(b)
	const units, perUnit = 1000, 100
	for u := 0; u < units; u += 100 {
		// 100 units (10,000 tasks) per transaction.
		mustUpdate(b, s, func(tx tasks.Tx) error {
			for uu := u; uu < u+100; uu++ {
				for i := range perUnit {
					task := sampleTask(fmt.Sprintf("T-%04d-%03d", uu, i), fmt.Sprintf("U%04d", uu), fmt.Sprintf("G%d", uu%10))
					if err := tx.PutTask(task); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		unit := fmt.Sprintf("U%04d", i%units)
		err := s.View(ctx, func(tx tasks.Tx) error {
			ts, err := tx.Tasks(tasks.TaskFilter{Unit: unit})
			if err != nil {
				return err
			}
			if len(ts) != perUnit {
				return fmt.Errorf("unit %s has %d tasks, want %d", unit, len(ts), perUnit)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
