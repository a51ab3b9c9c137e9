package tasks_test

import (
	"fmt"
	"testing"
	"time"

	"steerbot/tasks"
)

func TestPolicyCan(t *testing.T) {
	own := &tasks.Task{Code: "T-1", Unit: "SNV", CoUnits: []string{"STP"}}
	other := &tasks.Task{Code: "T-2", Unit: "STP"}
	coord := own // STP coordinates T-1
	members := map[string]tasks.Member{
		"chair":    {ID: 1, TelegramID: 11, Role: tasks.RoleChair},
		"secr":     {ID: 2, TelegramID: 22, Role: tasks.RoleSecretariat},
		"head":     {ID: 3, TelegramID: 33, Role: tasks.RoleUnitHead, Unit: "SNV"},
		"delegate": {ID: 4, TelegramID: 44, Role: tasks.RoleUnitDelegate, Unit: "SNV"},
		"cohead":   {ID: 5, TelegramID: 55, Role: tasks.RoleUnitHead, Unit: "STP"},
		"stranger": {ID: 6, Role: tasks.RoleUnitHead, Unit: "SNV"}, // not linked
	}
	type row struct {
		who    string
		action tasks.Action
		task   *tasks.Task
		ok     bool
	}
	rows := []row{}
	add := func(who string, a tasks.Action, task *tasks.Task, ok bool) {
		rows = append(rows, row{who, a, task, ok})
	}
	for _, who := range []string{"chair", "secr"} {
		add(who, tasks.ReadTask, own, true)
		add(who, tasks.ReadTask, other, true)
		add(who, tasks.ReadAll, nil, true)
		add(who, tasks.ListMeetings, nil, true)
		add(who, tasks.RequestExtend, own, false)
	}
	for _, who := range []string{"head", "delegate"} {
		add(who, tasks.ReadTask, own, true)
		add(who, tasks.ReadTask, other, false)
		add(who, tasks.UpdateTask, own, true)
		add(who, tasks.UpdateTask, other, false)
		add(who, tasks.RequestExtend, own, true)
		add(who, tasks.RequestExtend, other, false)
		add(who, tasks.ReadAll, nil, false)
		add(who, tasks.EditTasks, nil, false)
		add(who, tasks.ManagePeople, nil, false)
		add(who, tasks.ManageMeetings, nil, false)
		add(who, tasks.SendReminders, nil, false)
		add(who, tasks.Decide, own, false)
		add(who, tasks.SetLanguage, nil, true)
	}
	add("cohead", tasks.ReadTask, coord, true)
	add("cohead", tasks.UpdateTask, coord, false)
	add("chair", tasks.UpdateTask, own, false)
	add("secr", tasks.UpdateTask, own, true)
	add("chair", tasks.Decide, own, true)
	add("secr", tasks.Decide, own, false)
	for _, a := range []tasks.Action{tasks.EditTasks, tasks.ManagePeople, tasks.ManageMeetings, tasks.SendReminders} {
		add("secr", a, nil, true)
		add("chair", a, nil, false)
	}
	for _, a := range []tasks.Action{tasks.ReadTask, tasks.ReadAll, tasks.SetLanguage, tasks.UpdateTask} {
		add("stranger", a, own, false)
	}
	p := tasks.Policy{}
	for _, r := range rows {
		t.Run(fmt.Sprintf("%s/%s/%v", r.who, r.action, r.task != nil && r.task == own), func(t *testing.T) {
			err := p.Can(members[r.who], r.action, r.task)
			if (err == nil) != r.ok {
				t.Fatalf("Can = %v, want allowed=%v", err, r.ok)
			}
			if err != nil && tasks.ErrorCode(err) != tasks.EFORBIDDEN {
				t.Fatalf("refusal code %s, want forbidden", tasks.ErrorCode(err))
			}
		})
	}
	if err := (tasks.Policy{SecretariatDecides: true}).Can(members["secr"], tasks.Decide, own); err != nil {
		t.Errorf("secretariat_decides: secretariat refused: %v", err)
	}
}

func TestApply(t *testing.T) {
	loc := hcm(t)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, loc)
	head := tasks.Member{ID: 3, TelegramID: 33, Name: "Lê Văn C", Role: tasks.RoleUnitHead, Unit: "SNV"}
	chair := tasks.Member{ID: 1, TelegramID: 11, Role: tasks.RoleChair}
	p := tasks.Policy{}
	base := tasks.Task{Code: "T-1", Unit: "SNV", Status: tasks.NotStarted}

	task := base
	u, err := p.Apply(&task, tasks.Change{Progress: tasks.IntPtr(60), Note: "đang làm"}, head, tasks.ViaCommand, now)
	if err != nil || task.Status != tasks.InProgress || task.Progress != 60 || u.OldStatus != tasks.NotStarted || u.NewProgress != 60 || u.ByName != "Lê Văn C" {
		t.Fatalf("60%%: task %+v update %+v err %v", task, u, err)
	}
	_, err = p.Apply(&task, tasks.Change{Progress: tasks.IntPtr(100)}, head, tasks.ViaCommand, now)
	if err != nil || task.Status != tasks.Done || !task.CompletedAt.Equal(now) {
		t.Fatalf("100%%: %+v %v", task, err)
	}

	task = base
	_, err = p.Apply(&task, tasks.Change{Status: tasks.StatusPtr(tasks.Done)}, head, tasks.ViaCommand, now)
	if err != nil || task.Progress != 100 {
		t.Fatalf("done: progress %d, err %v", task.Progress, err)
	}

	task = base
	if _, err := p.Apply(&task, tasks.Change{Status: tasks.StatusPtr(tasks.Stopped)}, head, tasks.ViaCommand, now); err != nil || task.Status != tasks.ProposedStop {
		t.Fatalf("a unit stopping gets the proposal: %s %v", task.Status, err)
	}
	if _, err := p.Apply(&task, tasks.Change{Status: tasks.StatusPtr(tasks.Stopped)}, chair, tasks.ViaDecision, now); err != nil || task.Status != tasks.Stopped {
		t.Fatalf("chair decides stop: %s %v", task.Status, err)
	}
	before := task
	if _, err := p.Apply(&task, tasks.Change{Progress: tasks.IntPtr(50)}, head, tasks.ViaCommand, now); err != nil {
		t.Logf("progress on a stopped task: %v", err)
	}
	if _, err := p.Apply(&task, tasks.Change{Status: tasks.StatusPtr(tasks.InProgress)}, head, tasks.ViaCommand, now); tasks.ErrorCode(err) != tasks.ECONFLICT {
		t.Fatalf("reopening a stopped task: err %v, want conflict", err)
	}
	if task.Status != before.Status {
		t.Fatalf("refused change altered the task: %s", task.Status)
	}

	task = base
	if _, err := p.Apply(&task, tasks.Change{Progress: tasks.IntPtr(101)}, head, tasks.ViaCommand, now); tasks.ErrorCode(err) != tasks.EINVALID || task.Progress != base.Progress || task.Status != base.Status {
		t.Fatalf("101%%: err %v task %+v", err, task)
	}
	if _, err := p.Apply(&task, tasks.Change{}, head, tasks.ViaCommand, now); tasks.ErrorCode(err) != tasks.EINVALID {
		t.Fatalf("empty change: %v", err)
	}
}

func TestApplyRefusesWhatChangesNothing(t *testing.T) {
	head := tasks.Member{ID: 3, TelegramID: 33, Role: tasks.RoleUnitHead, Unit: "SNV"}
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	p := tasks.Policy{}
	task := tasks.Task{Code: "T-1", Unit: "SNV", Status: tasks.InProgress, Progress: 30}
	if _, err := p.Apply(&task, tasks.Change{Status: tasks.StatusPtr(tasks.InProgress)}, head, tasks.ViaCommand, now); tasks.ErrorCode(err) != tasks.ECONFLICT {
		t.Errorf("a change to the same state: %v, want conflict", err)
	}
	if _, err := p.Apply(&task, tasks.Change{Status: tasks.StatusPtr(tasks.NotStarted)}, head, tasks.ViaCommand, now); tasks.ErrorCode(err) != tasks.EINVALID || task.Status != tasks.InProgress {
		t.Errorf("not started at 30%%: %v, status %s", err, task.Status)
	}
	if _, err := p.Apply(&task, tasks.Change{Status: tasks.StatusPtr(tasks.NotStarted), Progress: tasks.IntPtr(0)}, head, tasks.ViaCommand, now); err != nil || task.Status != tasks.NotStarted {
		t.Errorf("not started with 0%%: %v, status %s", err, task.Status)
	}
	// An import may restate what is stored.
	if _, err := p.Apply(&task, tasks.Change{Status: tasks.StatusPtr(tasks.NotStarted)}, head, tasks.ViaImport, now); err != nil {
		t.Errorf("import of the same state: %v", err)
	}
}
