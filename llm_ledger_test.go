package main

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"steerbot/llm"
	"steerbot/llm/llmtest"
	"steerbot/storage"
	"steerbot/tasks"
	"steerbot/tasks/taskstest"
)

// TestLLMBudgetSurvivesRestart: spend the day's budget, restart (close the
// database, open it again, a new client), and the model is not asked again
// that day; the next day it is.
func TestLLMBudgetSurvivesRestart(t *testing.T) {
	fake := llmtest.New()
	t.Cleanup(fake.Close)
	spent := llmtest.Text("Không có dữ liệu.")
	spent.Usage = openai.Usage{TotalTokens: 500}
	fake.Script(func(openai.ChatCompletionRequest) llmtest.Response { return spent })
	loc := time.FixedZone("ICT", 7*3600)
	clock := taskstest.NewClock(time.Date(2026, 3, 3, 9, 0, 0, 0, loc))
	path := filepath.Join(t.TempDir(), "steerbot.db")
	ask := func() error {
		st, err := storage.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		c, err := llm.New(llm.Config{BaseURL: fake.URL(), Model: "test", DailyTokenBudget: 400,
			Clock: clock.Now, Loc: loc, Ledger: storeLedger{st}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Narrate(context.Background(), tasks.Digest{}, "vi")
		return err
	}
	if err := ask(); err != nil {
		t.Fatalf("first call: %v", err)
	}
	if err := ask(); !errors.Is(err, llm.ErrOverBudget) {
		t.Fatalf("after the restart: %v, want ErrOverBudget", err)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Fatalf("the model was asked %d times, want 1", n)
	}
	clock.Advance(24 * time.Hour)
	if err := ask(); err != nil {
		t.Fatalf("the next day: %v", err)
	}
}
