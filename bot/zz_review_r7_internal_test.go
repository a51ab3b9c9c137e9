package bot

import (
	"testing"

	"steerbot/tasks"
)

func TestR7NamedTaskDotCode(t *testing.T) {
	cands := []tasks.Task{{Code: "KH.01"}, {Code: "KH.02"}}
	if _, _, ok := namedTask("KH.02 đã hoàn thành", cands); !ok {
		t.Errorf("namedTask did not find KH.02 in %q", "KH.02 đã hoàn thành")
	}
	c2 := []tasks.Task{{Code: "CCHC-02"}, {Code: "CCHC-021"}}
	tk, rest, ok := namedTask("CCHC-021 chưa, CCHC-02 xong", c2[:1])
	t.Logf("%v %q %v", tk.Code, rest, ok)
}
