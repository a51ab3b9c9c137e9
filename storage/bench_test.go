package storage_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"steerbot/storage"
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

// cpuTime returns the processor time this process used so far, user and
// system. The machine is shared: under load, wall time per operation
// says more about the neighbours than about the code, so the benchmarks
// below also report cpu-ns/op.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the processor time per operation since start.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op")
}

// benchSizes are the committee sizes the digest and import benchmarks
// measure: a large province, and ten times that.
var benchSizes = []int{10_000, 100_000}

// benchTasks returns n tasks as a plan file gives them, in code order:
// 200 units, 5 groups, a mix of statuses, deadlines over a year.
func benchTasks(n int) []tasks.Task {
	statuses := []tasks.Status{tasks.NotStarted, tasks.InProgress, tasks.Done, tasks.InProgress, tasks.InProgress}
	out := make([]tasks.Task, n)
	for i := range out {
		st := statuses[i%len(statuses)]
		progress := 1 + i%99
		switch st {
		case tasks.Done:
			progress = 100
		case tasks.NotStarted:
			progress = 0
		}
		out[i] = tasks.Task{
			Code:     fmt.Sprintf("CCHC-%06d", i),
			Title:    fmt.Sprintf("Rà soát, đơn giản hóa thủ tục hành chính số %d thuộc thẩm quyền giải quyết của Sở", i),
			Unit:     fmt.Sprintf("U%03d", i%200),
			CoUnits:  []string{fmt.Sprintf("U%03d", (i+1)%200)},
			Group:    fmt.Sprintf("Kế hoạch CCHC 202%d", i%5),
			Source:   "QĐ 7028/QĐ-UBND",
			Deadline: tasks.Date{Year: 2026, Month: time.Month(1 + i%12), Day: 1 + i%28},
			Status:   st,
			Progress: progress,
			Created:  at(1, 8),
			Updated:  at(1, 8),
		}
		if st == tasks.Done {
			out[i].CompletedAt = at(2, 9)
		}
	}
	return out
}

// importTasks writes ts as an import does (each task and the Update that
// records its creation), in transactions of perTx tasks: plan files of
// 40,000 rows.
func importTasks(tb testing.TB, s *storage.Store, ts []tasks.Task, perTx int) {
	tb.Helper()
	for start := 0; start < len(ts); start += perTx {
		mustUpdate(tb, s, func(tx tasks.Tx) error {
			for _, t := range ts[start:min(start+perTx, len(ts))] {
				if err := tx.PutTask(t); err != nil {
					return err
				}
				u := tasks.Update{Task: t.Code, At: t.Created, ByName: "import", Via: tasks.ViaImport,
					NewStatus: t.Status, NewProgress: t.Progress, NewDeadline: t.Deadline}
				if err := tx.AddUpdate(&u); err != nil {
					return err
				}
			}
			return nil
		})
	}
}

// BenchmarkDigest computes the digest of n tasks, loading its input from
// the file in a read transaction as the bot does, beside a bare read of
// every key and value of the same file (bare) and the digest from whole
// tasks instead of their summaries (whole, as before the summaries).
// The file holds the tasks, their creation Updates, 200 units and the
// snapshot of a previous digest. Issue 10 bounds digest/bare by 3 for the
// whole `steerbot digest` process beside a bare-read process
// (storage/testdata/perf/measure.sh); in one warm process the bare read
// is cheaper still, so the ratio here is higher.
func BenchmarkDigest(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "steerbot.db")
			s := mustOpenPath(b, path)
			ts := benchTasks(n)
			importTasks(b, s, ts, 40_000)
			mustUpdate(b, s, func(tx tasks.Tx) error {
				for u := range 200 {
					if err := tx.PutUnit(tasks.Unit{Code: fmt.Sprintf("U%03d", u), Name: fmt.Sprintf("Đơn vị số %d", u)}); err != nil {
						return err
					}
				}
				return tx.PutSnapshot(tasks.TakeSnapshot(ts, at(1, 9)))
			})
			tl := tasks.Timeline{Now: at(20, 9), Loc: time.UTC, DueSoonDays: 8}
			digest := func(b *testing.B, load func(tasks.Tx) ([]tasks.Task, error)) {
				b.ReportAllocs()
				cpu := cpuTime(b)
				defer reportCPU(b, cpu)
				for b.Loop() {
					var d tasks.Digest
					mustView(b, s, func(tx tasks.Tx) error {
						var in tasks.DigestInput
						var err error
						if in.Tasks, err = load(tx); err != nil {
							return err
						}
						if in.Units, err = tx.Units(); err != nil {
							return err
						}
						if in.Extensions, err = tx.Extensions(tasks.ExtPending); err != nil {
							return err
						}
						prev, err := tx.LastSnapshot()
						if err != nil {
							return err
						}
						in.Previous, in.Timeline = &prev, tl
						d = tasks.ComputeDigest(in)
						return nil
					})
					if d.Total.Total != n {
						b.Fatalf("digest of %d tasks, want %d", d.Total.Total, n)
					}
				}
			}
			b.Run("digest", func(b *testing.B) {
				digest(b, func(tx tasks.Tx) ([]tasks.Task, error) { return tasks.DigestTasks(tx) })
			})
			b.Run("whole", func(b *testing.B) {
				digest(b, func(tx tasks.Tx) ([]tasks.Task, error) { return tx.Tasks(tasks.TaskFilter{}) })
			})
			if err := s.Close(); err != nil {
				b.Fatal(err)
			}
			b.Run("bare", func(b *testing.B) { bareRead(b, path) })
		})
	}
}

// bareRead reads every key and value of every bucket of the file at path,
// the least any digest of it can cost.
func bareRead(b *testing.B, path string) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.ReportAllocs()
	cpu := cpuTime(b)
	defer reportCPU(b, cpu)
	for b.Loop() {
		var n int
		err := db.View(func(tx *bolt.Tx) error {
			return tx.ForEach(func(_ []byte, bk *bolt.Bucket) error {
				return bk.ForEach(func(k, v []byte) error {
					n += len(k) + len(v)
					return nil
				})
			})
		})
		if err != nil || n == 0 {
			b.Fatalf("bare read: %d bytes, %v", n, err)
		}
	}
}

// BenchmarkImport writes n tasks into a new file as an import does (each
// task with the Update that records it, indexes and summaries; plan files
// of 40,000 rows, one transaction each), beside a bare load of the same
// tasks: one bbolt transaction putting each task's JSON under its code.
// The ratio import/bare is what issue 10 bounds by 5 (for the whole
// `steerbot import`, CSV reading included: measure.sh).
func BenchmarkImport(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			ts := benchTasks(n)
			b.Run("import", func(b *testing.B) {
				cpu := cpuTime(b)
				defer reportCPU(b, cpu)
				for b.Loop() {
					b.StopTimer()
					path := filepath.Join(b.TempDir(), "steerbot.db")
					s, err := storage.Open(path)
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					importTasks(b, s, ts, 40_000)
					if err := s.Close(); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("bare", func(b *testing.B) {
				cpu := cpuTime(b)
				defer reportCPU(b, cpu)
				for b.Loop() {
					b.StopTimer()
					db, err := bolt.Open(filepath.Join(b.TempDir(), "bare.db"), 0o600, nil)
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					err = db.Update(func(tx *bolt.Tx) error {
						bk, err := tx.CreateBucket([]byte("tasks"))
						if err != nil {
							return err
						}
						for _, t := range ts {
							v, err := json.Marshal(t)
							if err != nil {
								return err
							}
							if err := bk.Put([]byte(t.Code), v); err != nil {
								return err
							}
						}
						return nil
					})
					if err != nil {
						b.Fatal(err)
					}
					if err := db.Close(); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
