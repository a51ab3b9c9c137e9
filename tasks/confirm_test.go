package tasks_test

import (
	"testing"
	"time"

	"steerbot/tasks"
)

func TestConfirmDone(t *testing.T) {
	loc := hcm(t)
	reportAt := time.Date(2026, 11, 30, 16, 0, 0, 0, loc) // the deadline's day
	confirmAt := time.Date(2026, 12, 2, 9, 0, 0, 0, loc)  // two days after it
	head := tasks.Member{ID: 3, TelegramID: 33, Name: "Lê Văn C", Role: tasks.RoleUnitHead, Unit: "SNV"}
	sec := tasks.Member{ID: 2, TelegramID: 22, Name: "Trần Thị B", Role: tasks.RoleSecretariat}
	chair := tasks.Member{ID: 1, TelegramID: 11, Role: tasks.RoleChair}
	fresh := func() tasks.Task {
		return tasks.Task{Code: "SNV-1", Unit: "SNV", Status: tasks.InProgress, Progress: 40, Deadline: day(2026, 11, 30)}
	}
	p := tasks.Policy{ConfirmDone: true}
	file := []tasks.Attachment{{FileID: "F1", Name: "baocao.pdf", Kind: "document"}}

	t.Run("UnitDoneIsAReport", func(t *testing.T) {
		for _, c := range []tasks.Change{
			{Status: tasks.StatusPtr(tasks.Done), Attachments: file},
			{Progress: tasks.IntPtr(100)},
			{Status: tasks.StatusPtr(tasks.DoneReported)},
		} {
			task := fresh()
			var rec recorder
			u, err := p.Commit(&rec, &task, c, head, tasks.ViaReply, reportAt)
			if err != nil {
				t.Fatal(err)
			}
			if task.Status != tasks.DoneReported || u.NewStatus != tasks.DoneReported || task.Progress != 100 {
				t.Fatalf("status=%s (update %s) progress=%d, want done_reported at 100%%", task.Status, u.NewStatus, task.Progress)
			}
			if !task.CompletedAt.Equal(reportAt) {
				t.Fatalf("completed=%v, want the report's time %v", task.CompletedAt, reportAt)
			}
			if task.Status.Open() {
				t.Fatal("a reported task is still open for its unit: reminders would chase it")
			}
		}
	})
	t.Run("SecretariatDoneIsFinal", func(t *testing.T) {
		task := fresh()
		if _, err := p.Commit(&recorder{}, &task, tasks.Change{Status: tasks.StatusPtr(tasks.Done)}, sec, tasks.ViaCommand, reportAt); err != nil {
			t.Fatal(err)
		}
		if task.Status != tasks.Done {
			t.Fatalf("status=%s, want done", task.Status)
		}
	})
	t.Run("OffByDefault", func(t *testing.T) {
		task := fresh()
		if _, err := (tasks.Policy{}).Commit(&recorder{}, &task, tasks.Change{Status: tasks.StatusPtr(tasks.Done)}, head, tasks.ViaCommand, reportAt); err != nil {
			t.Fatal(err)
		}
		if task.Status != tasks.Done {
			t.Fatalf("status=%s, want done without confirm_done", task.Status)
		}
	})
	t.Run("ConfirmKeepsReportTime", func(t *testing.T) {
		task := fresh()
		var rec recorder
		if _, err := p.Commit(&rec, &task, tasks.Change{Status: tasks.StatusPtr(tasks.Done)}, head, tasks.ViaCommand, reportAt); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Confirm(&rec, &task, head, confirmAt); tasks.ErrorCode(err) != tasks.EFORBIDDEN {
			t.Fatalf("a head confirming: err=%v, want forbidden", err)
		}
		if _, err := p.Confirm(&rec, &task, chair, confirmAt); tasks.ErrorCode(err) != tasks.EFORBIDDEN {
			t.Fatalf("a chair confirming: err=%v, want forbidden", err)
		}
		u, err := p.Confirm(&rec, &task, sec, confirmAt)
		if err != nil {
			t.Fatal(err)
		}
		if task.Status != tasks.Done || u.Via != tasks.ViaConfirm || u.By != sec.ID {
			t.Fatalf("status=%s via=%s by=%d, want done via confirm by the secretariat", task.Status, u.Via, u.By)
		}
		if !task.CompletedAt.Equal(reportAt) {
			t.Fatalf("completed=%v, want the report's time %v", task.CompletedAt, reportAt)
		}
		tl := tasks.Timeline{Now: confirmAt, Loc: loc}
		if got := tl.Of(task); got != tasks.DoneOnTime {
			t.Fatalf("timeliness=%s, want done on time: reported on the deadline's day", got)
		}
		if _, err := p.Confirm(&rec, &task, sec, confirmAt); tasks.ErrorCode(err) != tasks.ECONFLICT {
			t.Fatalf("second confirmation: err=%v, want conflict", err)
		}
		if n := len(rec.updates); n != 2 {
			t.Fatalf("history has %d updates, want 2 (report, confirmation)", n)
		}
	})
	t.Run("ReturnRestoresProgress", func(t *testing.T) {
		task := fresh()
		var rec recorder
		if _, err := p.Commit(&rec, &task, tasks.Change{Status: tasks.StatusPtr(tasks.Done)}, head, tasks.ViaCommand, reportAt); err != nil {
			t.Fatal(err)
		}
		report, _, ok := tasks.LastReport(rec.updates)
		if !ok {
			t.Fatal("no report found in the history")
		}
		if _, err := p.Return(&rec, &task, report, "", sec, confirmAt); tasks.ErrorCode(err) != tasks.EINVALID {
			t.Fatalf("return without reason: err=%v, want invalid", err)
		}
		u, err := p.Return(&rec, &task, report, "Thiếu phụ lục", sec, confirmAt)
		if err != nil {
			t.Fatal(err)
		}
		if task.Status != tasks.InProgress || task.Progress != 40 || !task.CompletedAt.IsZero() || u.Note != "Thiếu phụ lục" {
			t.Fatalf("status=%s progress=%d completed=%v note=%q, want in progress at 40%% with the reason", task.Status, task.Progress, task.CompletedAt, u.Note)
		}
	})
	t.Run("DigestCountsOnlyConfirmed", func(t *testing.T) {
		reported := fresh()
		reported.Status, reported.Progress, reported.CompletedAt = tasks.DoneReported, 100, reportAt
		done := fresh()
		done.Code, done.Status, done.CompletedAt = "SNV-2", tasks.Done, reportAt
		d := tasks.ComputeDigest(tasks.DigestInput{Tasks: []tasks.Task{reported, done}, Timeline: tasks.Timeline{Now: confirmAt, Loc: loc}})
		if d.Total.Done != 1 || d.Total.Reported() != 1 || d.Total.Overdue != 0 {
			t.Fatalf("done=%d reported=%d overdue=%d, want 1, 1, 0", d.Total.Done, d.Total.Reported(), d.Total.Overdue)
		}
		s := d.Scorecard[0]
		if s.Done != 1 || s.Reported != 1 || s.Awaiting != 1 || s.InProgress() != 0 {
			t.Fatalf("scorecard done=%d reported=%d awaiting=%d in progress=%d, want 1 1 1 0", s.Done, s.Reported, s.Awaiting, s.InProgress())
		}
	})
}

func TestRequireEvidence(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	head := tasks.Member{ID: 3, TelegramID: 33, Role: tasks.RoleUnitHead, Unit: "SNV"}
	p := tasks.Policy{ConfirmDone: true, RequireEvidence: true}
	cases := []struct {
		name string
		c    tasks.Change
		ok   bool
	}{
		{"Bare", tasks.Change{Status: tasks.StatusPtr(tasks.Done), Note: "xong"}, false},
		{"ByProgress", tasks.Change{Progress: tasks.IntPtr(100)}, false},
		{"File", tasks.Change{Status: tasks.StatusPtr(tasks.Done), Attachments: []tasks.Attachment{{FileID: "F"}}}, true},
		{"DocumentNumber", tasks.Change{Status: tasks.StatusPtr(tasks.Done), Note: "Văn bản số 123/BC-SNV"}, true},
		{"NotDone", tasks.Change{Progress: tasks.IntPtr(60)}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			task := tasks.Task{Code: "SNV-1", Unit: "SNV", Status: tasks.InProgress, Progress: 40}
			_, err := p.Commit(&recorder{}, &task, c.c, head, tasks.ViaReply, now)
			var e *tasks.Error
			switch {
			case c.ok && err != nil:
				t.Fatalf("err=%v, want accepted", err)
			case !c.ok && !(asError(err, &e) && e.Key == "evidence_required"):
				t.Fatalf("err=%v, want evidence_required", err)
			case !c.ok && task.Status != tasks.InProgress:
				t.Fatalf("status=%s after a refusal, want unchanged", task.Status)
			}
		})
	}
}

func TestDocumentRefs(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"Văn bản số 123/BC-SNV", []string{"123/BC-SNV"}},
		{"đã gửi Báo cáo 45/2023/BC-UBND ngày 15/11/2023", []string{"45/2023/BC-UBND"}},
		{"theo công văn 12/snv-cchc", []string{"12/SNV-CCHC"}},
		{"QĐ 7028/QĐ-UBND và 15/KH-STTTT", []string{"7028/QD-UBND", "15/KH-STTTT"}},
		{"xong ngày 15/11/2023", nil},
		{"đạt 60%, còn 1/2 việc", nil},
		{"xong", nil},
		{"abc123/BC-SNV", nil},
	}
	for _, c := range cases {
		got := tasks.DocumentRefs(c.in)
		if len(got) != len(c.want) {
			t.Fatalf("%q: got %q, want %q", c.in, got, c.want)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Fatalf("%q: got %q, want %q", c.in, got, c.want)
			}
		}
		if tasks.HasDocumentRef(c.in) != (len(c.want) > 0) {
			t.Fatalf("%q: HasDocumentRef disagrees with DocumentRefs", c.in)
		}
	}
}

func FuzzDocumentRefs(f *testing.F) {
	for _, s := range []string{"Văn bản số 123/BC-SNV", "15/11/2023", "45/2023/NĐ-CP", "1/a-", "", "xong"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		refs := tasks.DocumentRefs(s)
		if (len(refs) > 0) != tasks.HasDocumentRef(s) {
			t.Fatalf("%q: refs %q but HasDocumentRef=%v", s, refs, tasks.HasDocumentRef(s))
		}
		for _, r := range refs {
			if len(r) > 80 {
				t.Fatalf("%q: ref %q too long", s, r)
			}
		}
	})
}
