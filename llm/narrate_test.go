package llm_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"steerbot/llm"
	"steerbot/llm/llmtest"
	"steerbot/tasks"
)

// sampleDigest is a digest with 47 of 79 tasks done (59%). No figure in it
// is 12.
func sampleDigest() tasks.Digest {
	snv := tasks.Unit{Code: "SNV", Name: "Sở Nội vụ"}
	q1 := tasks.Unit{Code: "Q1", Name: "Quận 1"}
	return tasks.Digest{
		At: time.Date(2024, 3, 14, 9, 0, 0, 0, ict),
		Total: tasks.GroupStat{
			Total: 79, Done: 47, DoneOnTime: 40, DoneLate: 7, Overdue: 6, DueSoon: 4,
			Counts: map[tasks.Status]int{tasks.Done: 47, tasks.InProgress: 20, tasks.NotStarted: 10, tasks.ProposedStop: 2},
		},
		Overdue: []tasks.UnitOverdue{
			{Unit: snv, Tasks: []tasks.OverdueTask{
				{Code: "CCHC-21", Title: "Rà soát thủ tục", Unit: "SNV", Deadline: date(2024, 3, 1), DaysLate: 13, Progress: 40},
				{Code: "CCHC-33", Title: "Số hóa hồ sơ", Unit: "SNV", Deadline: date(2024, 3, 9), DaysLate: 5, Progress: 70},
			}},
			{Unit: q1, Tasks: []tasks.OverdueTask{
				{Code: "CQS-7", Title: "Một cửa điện tử", Unit: "Q1", Deadline: date(2024, 2, 29), DaysLate: 14, Progress: 0},
			}},
		},
		Awaiting: []tasks.Awaiting{
			{Code: "CCHC-40", Title: "Đề án cũ", Unit: "SNV", Status: tasks.ProposedStop},
			{Code: "CCHC-21", Title: "Rà soát thủ tục", Unit: "SNV", Status: tasks.InProgress,
				Extension: &tasks.ExtensionRequest{Task: "CCHC-21", OldDeadline: date(2024, 3, 1), NewDeadline: date(2024, 4, 30), State: tasks.ExtPending}},
		},
		HasPrev: true,
		PrevAt:  time.Date(2024, 2, 15, 9, 0, 0, 0, ict),
		Changes: []tasks.TaskChange{
			{Code: "CCHC-33", Unit: "SNV", OldStatus: tasks.InProgress, NewStatus: tasks.InProgress, OldProgress: 30, NewProgress: 70},
		},
		Blocked: []tasks.Blocked{{Code: "CQS-7", Unit: "Q1", Blocker: "chưa có kinh phí"}},
		Scorecard: []tasks.UnitScore{
			{Unit: snv, Total: 30, Done: 19, DoneOnTime: 16, DoneLate: 3, Overdue: 2, Open: 11},
			{Unit: q1, Total: 9, Done: 3, DoneOnTime: 3, Overdue: 1, Open: 6},
		},
	}
}

func TestNumbersOK(t *testing.T) {
	d := sampleDigest()
	big := d
	big.Total = tasks.GroupStat{Total: 1207, Done: 1000, Counts: map[tasks.Status]int{tasks.Done: 1000}}
	tests := []struct {
		name string
		d    tasks.Digest
		text string
		want bool
	}{
		{"Ratio", d, "Đã hoàn thành 47/79 (59%) nhiệm vụ.", true},
		{"InventedCount", d, "Còn 12 nhiệm vụ chưa triển khai.", false},
		{"InventedPercent", d, "Tỷ lệ hoàn thành đạt 60%.", false},
		{"NoNumbers", d, "Tiến độ chung chậm, cần Ban chỉ đạo quyết định.", true},
		{"NotDone", d, "Còn 32 nhiệm vụ chưa hoàn thành, 6 nhiệm vụ quá hạn.", true},
		{"DaysLateAndCode", d, "CCHC-21 của Sở Nội vụ trễ 13 ngày, mới đạt 40%.", true},
		{"CodeAloneIsNoFigure", d, "Nhiệm vụ CQS-7 của Quận 1 chưa có kinh phí.", true},
		{"CodeOfAnotherTask", d, "Nhiệm vụ CCHC-12 đang chậm.", false},
		{"DatesVN", d, "Sở Nội vụ xin lùi hạn từ 01/03/2024 đến 30/04/2024.", true},
		{"DatesDotted", d, "Hạn mới 30.04.2024.", true},
		{"DateNotInDigest", d, "Hạn mới 17/08/2024.", false},
		{"Changes", d, "CCHC-33 tăng từ 30% lên 70%.", true},
		{"UnitCounts", d, "2 đơn vị có nhiệm vụ quá hạn; 2 việc chờ quyết định.", true},
		{"Decimal", d, "Tỷ lệ đạt 59,5%.", false},
		{"DecimalZero", d, "Tỷ lệ đạt 59,0%.", true},
		{"ThousandsDot", big, "Đã hoàn thành 1.000/1.207 nhiệm vụ.", true},
		{"ThousandsComma", big, "1,000 of 1,207 tasks are done.", true},
		{"ThousandsWrong", big, "1.208 nhiệm vụ.", false},
		{"OtherScriptDigits", d, "٤٧ nhiệm vụ đã xong.", false},
		{"HugeNumber", d, "99999999999999999999999 nhiệm vụ.", false},
		{"EnglishText", d, "47 of 79 tasks are done (59%); CCHC-21 is 13 days late.", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := llm.NumbersOK(tt.text, tt.d); got != tt.want {
				t.Errorf("NumbersOK(%q)=%v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestClient_Narrate(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, nil)
	want := "Đã hoàn thành 47/79 nhiệm vụ (59%). CCHC-33 của Sở Nội vụ tăng từ 30% lên 70%. " +
		"CQS-7 của Quận 1 trễ 14 ngày vì chưa có kinh phí. Ban chỉ đạo cần quyết định 2 việc."
	srv.Push(llmtest.Text("  " + strings.ReplaceAll(want, ". ", ".\n") + "\n"))

	got, err := c.Narrate(context.Background(), sampleDigest(), "vi")
	if err != nil {
		t.Fatalf("Narrate: %v", err)
	}
	if got != want {
		t.Errorf("narrative=%q, want %q (one paragraph)", got, want)
	}
	req := srv.Requests()[0]
	if req.MaxTokens != 300 {
		t.Errorf("max_tokens=%d, want 300", req.MaxTokens)
	}
	if sys := systemContent(t, req); !strings.Contains(sys, "in Vietnamese") || !strings.Contains(sys, "at most 5 sentences") {
		t.Errorf("system prompt does not ask for at most 5 sentences in Vietnamese:\n%s", sys)
	}
	user := userContent(t, req)
	i := strings.Index(user, "{")
	var facts map[string]any
	if i < 0 || json.Unmarshal([]byte(user[i:]), &facts) != nil {
		t.Fatalf("user message carries no JSON figures:\n%s", user)
	}
	total, _ := facts["total"].(map[string]any)
	if total["done_ratio"] != "47/79 (59%)" || total["total"] != 79.0 {
		t.Errorf("figures total=%v, want 47 of 79 done (59%%)", total)
	}
}

func TestClient_Narrate_English(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, nil)
	srv.Push(llmtest.Text("47 of 79 tasks are done (59%)."))
	if _, err := c.Narrate(context.Background(), sampleDigest(), "en"); err != nil {
		t.Fatalf("Narrate: %v", err)
	}
	if sys := systemContent(t, srv.Requests()[0]); !strings.Contains(sys, "in English") {
		t.Errorf("system prompt does not ask for English:\n%s", sys)
	}
}

func TestClient_Narrate_Rejected(t *testing.T) {
	tests := []struct {
		name  string
		reply string
		also  error
	}{
		{"InventedNumber", "Đã hoàn thành 47/79 nhiệm vụ; còn 12 nhiệm vụ chưa triển khai.", llm.ErrUnverifiedNumbers},
		{"TooLong", strings.Repeat("Tiến độ chậm. ", 200), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			c := newClient(t, srv, nil)
			srv.Push(llmtest.Text(tt.reply))
			got, err := c.Narrate(context.Background(), sampleDigest(), "vi")
			if err == nil {
				t.Fatalf("Narrate=%q, want an error", got)
			}
			if got != "" {
				t.Errorf("narrative=%q with an error, want empty", got)
			}
			if tasks.ErrorCode(err) != tasks.EINVALID || !errors.Is(err, llm.ErrInvalidAnswer) {
				t.Errorf("err=%v, want EINVALID wrapping ErrInvalidAnswer", err)
			}
			if tt.also != nil && !errors.Is(err, tt.also) {
				t.Errorf("err=%v, want it to wrap %v", err, tt.also)
			}
		})
	}
}

func FuzzNumbersOK(f *testing.F) {
	for _, s := range []string{"47/79 (59%)", "1.207", "3,5%", "CCHC-21 trễ 13 ngày", "30.04.2024", "٤٧", "0.000.1"} {
		f.Add(s)
	}
	d := sampleDigest()
	f.Fuzz(func(t *testing.T, s string) {
		ok := llm.NumbersOK(s, d)
		// An invented figure added to any text makes it fail.
		if llm.NumbersOK(s+" và 123456 nhiệm vụ", d) {
			t.Errorf("NumbersOK(%q + invented 123456)=true (alone %v)", s, ok)
		}
	})
}

func BenchmarkNumbersOK(b *testing.B) {
	d := sampleDigest()
	text := "Đã hoàn thành 47/79 nhiệm vụ (59%). CCHC-33 của Sở Nội vụ tăng từ 30% lên 70%. " +
		"CQS-7 của Quận 1 trễ 14 ngày vì chưa có kinh phí. Ban chỉ đạo cần quyết định 2 việc, hạn mới 30/04/2024."
	for b.Loop() {
		if !llm.NumbersOK(text, d) {
			b.Fatal("NumbersOK=false")
		}
	}
}
