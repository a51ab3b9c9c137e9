package tasks_test

import (
	"errors"
	"testing"
	"time"

	"steerbot/tasks"
)

// digestSource is a DigestSource of fixed answers.
type digestSource struct {
	tasks []tasks.Task
	prev  *tasks.Snapshot
	err   error // returned by Units
	inds  []tasks.Indicator
	vals  map[string][]tasks.IndicatorValue
}

func (s digestSource) Tasks(f tasks.TaskFilter) ([]tasks.Task, error) { return s.tasks, nil }
func (s digestSource) Units() ([]tasks.Unit, error) {
	return []tasks.Unit{{Code: "SNV", Name: "Sở Nội vụ"}}, s.err
}
func (s digestSource) Extensions(st tasks.ExtState) ([]tasks.ExtensionRequest, error) {
	if st != tasks.ExtPending {
		return nil, errors.New("only pending requests belong in a digest")
	}
	return []tasks.ExtensionRequest{{ID: 1, Task: "SNV-1", State: tasks.ExtPending}}, nil
}
func (s digestSource) Members() ([]tasks.Member, error) { return nil, nil }
func (s digestSource) LastSnapshot() (tasks.Snapshot, error) {
	if s.prev == nil {
		return tasks.Snapshot{}, tasks.NewError(tasks.ENOTFOUND, "no_snapshot", "no snapshot")
	}
	return *s.prev, nil
}

func TestLoadDigestInput(t *testing.T) {
	tl := tasks.Timeline{Now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), Loc: time.UTC}
	ts := []tasks.Task{{Code: "SNV-1", Unit: "SNV", Status: tasks.InProgress, Group: "CCHC"}}
	t.Run("first digest", func(t *testing.T) {
		in, err := tasks.LoadDigestInput(digestSource{tasks: ts}, tl, "CCHC")
		if err != nil {
			t.Fatal(err)
		}
		if len(in.Tasks) != 1 || len(in.Units) != 1 || len(in.Extensions) != 1 || in.Previous != nil || in.Group != "CCHC" || in.Timeline != tl {
			t.Fatalf("input %+v, want the tasks, units, pending request, group and timeline with no previous digest", in)
		}
		if d := tasks.ComputeDigest(in); d.HasPrev || len(d.Awaiting) != 1 {
			t.Fatalf("digest has previous=%v and %d awaiting, want none and the pending request", d.HasPrev, len(d.Awaiting))
		}
	})
	t.Run("compared with the last one", func(t *testing.T) {
		prev := tasks.TakeSnapshot(nil, tl.Now.Add(-24*time.Hour))
		in, err := tasks.LoadDigestInput(digestSource{tasks: ts, prev: &prev}, tl, "")
		if err != nil {
			t.Fatal(err)
		}
		if d := tasks.ComputeDigest(in); !d.HasPrev || len(d.Changes) != 1 {
			t.Fatalf("digest has previous=%v and %d changes, want the new task as a change", d.HasPrev, len(d.Changes))
		}
	})
	t.Run("store error", func(t *testing.T) {
		boom := errors.New("disk")
		if _, err := tasks.LoadDigestInput(digestSource{err: boom}, tl, ""); !errors.Is(err, boom) {
			t.Fatalf("err=%v, want the store's", err)
		}
	})
}
