package tasks_test

import (
	"errors"
	"testing"
	"time"

	"steerbot/tasks"
)

// recorder is an UpdateRecorder that keeps what it is given, or fails.
type recorder struct {
	tasks   []tasks.Task
	updates []tasks.Update
	fail    error
}

func (r *recorder) PutTask(t tasks.Task) error {
	if r.fail != nil {
		return r.fail
	}
	r.tasks = append(r.tasks, t)
	return nil
}

func (r *recorder) AddUpdate(u *tasks.Update) error {
	u.ID = uint64(len(r.updates) + 1)
	r.updates = append(r.updates, *u)
	return nil
}

func TestPolicyCommit(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	head := tasks.Member{ID: 3, TelegramID: 33, Name: "Lê Văn C", Role: tasks.RoleUnitHead, Unit: "SNV"}
	other := tasks.Member{ID: 4, TelegramID: 44, Role: tasks.RoleUnitHead, Unit: "STC"}
	chair := tasks.Member{ID: 1, TelegramID: 11, Role: tasks.RoleChair}
	task := tasks.Task{Code: "SNV-1", Unit: "SNV", Status: tasks.InProgress, Progress: 40}
	later := tasks.Date{Year: 2026, Month: 12, Day: 31}
	cases := []struct {
		name   string
		by     tasks.Member
		via    tasks.Via
		change tasks.Change
		code   string // "" when the change is recorded
		status tasks.Status
	}{
		{"the lead unit reports", head, tasks.ViaReply, tasks.Change{Status: tasks.StatusPtr(tasks.Done)}, "", tasks.Done},
		{"another unit is refused", other, tasks.ViaReply, tasks.Change{Status: tasks.StatusPtr(tasks.Done)}, tasks.EFORBIDDEN, ""},
		{"a chair does not report", chair, tasks.ViaButton, tasks.Change{Progress: tasks.IntPtr(60)}, tasks.EFORBIDDEN, ""},
		{"a chair decides", chair, tasks.ViaDecision, tasks.Change{Deadline: &later}, "", tasks.InProgress},
		{"a unit does not decide", head, tasks.ViaDecision, tasks.Change{Deadline: &later}, tasks.EFORBIDDEN, ""},
		{"an import is authorised by whoever started it", tasks.Member{}, tasks.ViaImport, tasks.Change{Progress: tasks.IntPtr(100)}, "", tasks.Done},
		{"a change that changes nothing", head, tasks.ViaCommand, tasks.Change{Progress: tasks.IntPtr(40)}, tasks.ECONFLICT, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := &recorder{}
			got := task
			u, err := tasks.Policy{}.Commit(rec, &got, c.change, c.by, c.via, now)
			if c.code != "" {
				if tasks.ErrorCode(err) != c.code {
					t.Fatalf("err=%v, want code %s", err, c.code)
				}
				if got.Status != task.Status || got.Progress != task.Progress || len(rec.tasks)+len(rec.updates) != 0 {
					t.Fatalf("a refused change left task %+v, stored %d tasks and %d updates", got, len(rec.tasks), len(rec.updates))
				}
				return
			}
			if err != nil {
				t.Fatalf("commit: %v", err)
			}
			if got.Status != c.status {
				t.Fatalf("status=%s, want %s", got.Status, c.status)
			}
			if len(rec.tasks) != 1 || rec.tasks[0].Status != got.Status || len(rec.updates) != 1 {
				t.Fatalf("stored %d tasks and %d updates, want the task and its update", len(rec.tasks), len(rec.updates))
			}
			if u.ID != 1 || u.Via != c.via || u.OldStatus != task.Status || u.NewStatus != got.Status || u.By != c.by.ID {
				t.Fatalf("update %+v does not record the change", u)
			}
		})
	}
	t.Run("store fails", func(t *testing.T) {
		boom := errors.New("disk full")
		got := task
		_, err := tasks.Policy{}.Commit(&recorder{fail: boom}, &got, tasks.Change{Status: tasks.StatusPtr(tasks.Done)}, head, tasks.ViaReply, now)
		if !errors.Is(err, boom) {
			t.Fatalf("err=%v, want the store's", err)
		}
		if got.Status != task.Status {
			t.Fatalf("status=%s after a failed store, want %s unchanged", got.Status, task.Status)
		}
	})
}
