package tasks_test

import (
	"errors"
	"testing"
	"time"

	"steerbot/tasks"
)

func asError(err error, target **tasks.Error) bool { return errors.As(err, target) }

func hcm(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatalf("load location: %v", err)
	}
	return loc
}

func day(y int, m time.Month, d int) tasks.Date { return tasks.Date{Year: y, Month: m, Day: d} }
