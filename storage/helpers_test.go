package storage_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"steerbot/storage"
	"steerbot/tasks"
)

// MustOpen opens a store on a fresh file in tb.TempDir() and closes it on
// cleanup.
func MustOpen(tb testing.TB, opts ...storage.Option) *storage.Store {
	tb.Helper()
	return mustOpenPath(tb, filepath.Join(tb.TempDir(), "steerbot.db"), opts...)
}

// mustOpenPath opens the store at path and closes it on cleanup.
func mustOpenPath(tb testing.TB, path string, opts ...storage.Option) *storage.Store {
	tb.Helper()
	s, err := storage.Open(path, opts...)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return s
}

// mustUpdate runs fn in a write transaction and fails the test on error.
func mustUpdate(tb testing.TB, s *storage.Store, fn func(tasks.Tx) error) {
	tb.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		tb.Fatalf("update: %v", err)
	}
}

// mustView runs fn in a read transaction and fails the test on error.
func mustView(tb testing.TB, s *storage.Store, fn func(tasks.Tx) error) {
	tb.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		tb.Fatalf("view: %v", err)
	}
}

// at returns a UTC instant on 2026-03-d at h:00 (UTC survives a JSON round
// trip unchanged, so values compare with ==).
func at(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.UTC) }

// sampleTask is a task with every field set.
func sampleTask(code, unit, group string) tasks.Task {
	return tasks.Task{
		Code:        code,
		Title:       "Triển khai dịch vụ công trực tuyến toàn trình " + code,
		Unit:        unit,
		CoUnits:     []string{"STTTT", "SKHDT"},
		Group:       group,
		Source:      "QĐ 7028/QĐ-UBND",
		Deadline:    tasks.Date{Year: 2026, Month: 6, Day: 30},
		Status:      tasks.Done,
		Progress:    100,
		CompletedAt: at(10, 9),
		Blocker:     "chờ kinh phí",
		Note:        "đã xong",
		Created:     at(1, 8),
		Updated:     at(10, 9),
	}
}

func codes(ts []tasks.Task) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, t.Code)
	}
	return out
}
