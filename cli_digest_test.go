package main

import (
	"strings"
	"testing"

	"steerbot/llm/llmtest"
)

func TestCLI_DigestNarrative(t *testing.T) {
	fake := llmtest.New()
	t.Cleanup(fake.Close)
	s := cliNew(t, "llm: {enabled: true, base_url: \""+fake.URL()+"\", model: test}\n")
	s.importOK(t, cliSampleFile(t, s.dir))

	const narrative = "Đã hoàn thành 47/79 nhiệm vụ; 3 việc chờ Ban chỉ đạo quyết định."
	fake.Push(llmtest.Text(narrative))
	r := s.run(t, "digest")
	cliWant(t, r, exitOK)
	figures, after, ok := strings.Cut(r.stdout, narrative)
	if !ok || !strings.Contains(figures, "47/79 nhiệm vụ đã hoàn thành, chiếm 59%") || strings.TrimSpace(after) != "" {
		t.Errorf("want the figures, then the narrative:\n%s", r.stdout)
	}

	// A narrative with a number not in the figures is not printed.
	fake.Push(llmtest.Text("Đã hoàn thành 48/79 nhiệm vụ."))
	r = s.run(t, "digest")
	cliWant(t, r, exitOK)
	if strings.Contains(r.stdout, "48/79") || !strings.Contains(r.stdout, "47/79") {
		t.Errorf("the unchecked narrative was printed:\n%s", r.stdout)
	}
	if n := len(fake.Requests()); n != 2 {
		t.Errorf("the model was asked %d times, want 2", n)
	}
}
