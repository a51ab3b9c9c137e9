package llm_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"steerbot/llm"
	"steerbot/llm/llmtest"
	"steerbot/tasks"
)

// askFixture is the data of a question: two units, three tasks, one of
// them 12 days late.
func askFixture() tasks.AskData {
	ts := []tasks.Task{
		{Code: "CCHC-12", Title: "Rà soát thủ tục hành chính", Unit: "SNV", Status: tasks.InProgress, Progress: 40, Deadline: date(2024, 3, 2)},
		{Code: "CCHC-15", Title: "Số hóa hồ sơ", Unit: "SNV", Status: tasks.NotStarted, Deadline: date(2024, 6, 30)},
		{Code: "CDS-03", Title: "Cổng dữ liệu mở", Unit: "STTTT", Status: tasks.Done, Progress: 100, Deadline: date(2024, 2, 1)},
	}
	return tasks.AskData{
		Tasks: ts,
		Units: []tasks.Unit{{Code: "SNV", Name: "Sở Nội vụ"}, {Code: "STTTT", Name: "Sở Thông tin và Truyền thông"}},
		Today: today,
	}
}

func TestClient_Answer(t *testing.T) {
	for _, tt := range []struct {
		name, answer string
		ok           bool
	}{
		{"NumbersFromData", "Sở Nội vụ chậm nhất: CCHC-12 quá hạn 12 ngày, mới đạt 40%, hạn 02/03/2024.", true},
		{"NoNumber", "Dữ liệu không cho biết điều này.", true},
		{"InventedNumber", "Sở Nội vụ chậm nhất: CCHC-12 quá hạn 13 ngày.", false},
		{"InventedDecimal", "Tỷ lệ hoàn thành 33,3%.", false},
		{"EchoesTheQuestion", "Không có nhiệm vụ nào quá hạn hơn 30 ngày; CCHC-12 quá hạn 12 ngày.", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			c := newClient(t, srv, nil)
			srv.Push(llmtest.Text(tt.answer))
			got, err := c.Answer(context.Background(), "Đơn vị nào chậm nhất, quá hạn hơn 30 ngày?", askFixture(), "vi")
			if tt.ok {
				if err != nil || got != tt.answer {
					t.Fatalf("Answer=%q, %v; want %q", got, err, tt.answer)
				}
			} else if !errors.Is(err, llm.ErrUnverifiedNumbers) || tasks.ErrorCode(err) != tasks.EINVALID || got != "" {
				t.Fatalf("Answer=%q, %v; want it refused (ErrUnverifiedNumbers)", got, err)
			}
			prompt := userContent(t, srv.Requests()[0])
			for _, want := range []string{`"code":"CCHC-12"`, `"days_late":12`, "Sở Thông tin và Truyền thông", "<<<QUESTION\nĐơn vị nào chậm nhất, quá hạn hơn 30 ngày?"} {
				if !strings.Contains(prompt, want) {
					t.Errorf("prompt lacks %q:\n%s", want, prompt)
				}
			}
		})
	}
}

func TestClient_Answer_NothingToAsk(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, nil)
	for _, q := range []string{"", "   ", strings.Repeat("a", 501)} {
		if _, err := c.Answer(context.Background(), q, askFixture(), "vi"); tasks.ErrorCode(err) != tasks.EINVALID {
			t.Errorf("Answer(%d chars)=%v, want EINVALID", len(q), err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
}

// BenchmarkClient_Answer is one /ask over a committee of 150 tasks in 30
// units, through the fake server: the prompt built, sent, the answer's
// numbers checked. It reports the prompt's size.
func BenchmarkClient_Answer(b *testing.B) {
	srv := llmtest.New()
	defer srv.Close()
	c, err := llm.New(llm.Config{BaseURL: srv.URL(), Model: "test"})
	if err != nil {
		b.Fatal(err)
	}
	data := tasks.AskData{Today: today}
	for i := range 150 {
		unit := fmt.Sprintf("U%02d", i%30)
		data.Tasks = append(data.Tasks, tasks.Task{Code: fmt.Sprintf("CCHC-%03d", i+1), Unit: unit,
			Title:  "Rà soát, đánh giá thủ tục hành chính thuộc thẩm quyền giải quyết, lĩnh vực " + unit,
			Status: tasks.InProgress, Progress: i % 100, Deadline: date(2024, time.Month(1+i%12), 1+i%28)})
	}
	for i := range 30 {
		data.Units = append(data.Units, tasks.Unit{Code: fmt.Sprintf("U%02d", i), Name: fmt.Sprintf("Sở số %d", i)})
	}
	srv.Script(func(openai.ChatCompletionRequest) llmtest.Response {
		return llmtest.Text("Đơn vị U01: CCHC-002 quá hạn, tiến độ 1%.")
	})
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Answer(context.Background(), "Đơn vị nào chậm nhất?", data, "vi"); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reqs := srv.Requests()
	size := 0
	for _, m := range reqs[len(reqs)-1].Messages {
		size += len(m.Content)
	}
	b.ReportMetric(float64(size), "prompt-bytes")
}
