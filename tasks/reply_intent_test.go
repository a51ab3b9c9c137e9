package tasks_test

import (
	"strings"
	"testing"

	"steerbot/tasks"
)

// extensionAsks are words that ask for more time; extensionNots do not.
var (
	extensionAsks = []string{"xin gia hạn đến 30/11", "xin gia han den 30/11", "đề nghị lùi hạn sang tháng 12", "cần thêm thời gian", "need more time until 30/11", "please extend to 30/11"}
	extensionNots = []string{"Đã hoàn thành, không cần gia hạn", "Các phòng đã tham gia hàng loạt buổi tập huấn, đạt 80%", "xong", "no need to extend", "chưa cần gia hạn"}
)

func TestAsksExtension(t *testing.T) {
	for _, s := range extensionAsks {
		if !tasks.AsksExtension(s) {
			t.Errorf("AsksExtension(%q) = false, want true", s)
		}
	}
	for _, s := range extensionNots {
		if tasks.AsksExtension(s) {
			t.Errorf("AsksExtension(%q) = true, want false", s)
		}
	}
}

func TestExtensionWords(t *testing.T) {
	today := tasks.Date{Year: 2023, Month: 10, Day: 16}
	cases := []struct{ in, date, reason string }{
		{"đến 30/11 vì chờ kinh phí", "30/11", "chờ kinh phí"},
		{"30/11/2023, chờ kinh phí", "30/11/2023", "chờ kinh phí"},
		{"xin gia hạn đến 15/12 do thiếu người", "15/12", "thiếu người"},
		{"please extend to 30/11 because of the budget", "30/11", "please extend to because of the budget"},
		// No date: the first word stands where the date was expected, so
		// the refusal names it.
		{"sớm vì chờ kinh phí", "sớm", "vì chờ kinh phí"},
		{"", "", ""},
	}
	for _, c := range cases {
		d, r := tasks.ExtensionWords(c.in, today)
		if d != c.date || r != c.reason {
			t.Errorf("ExtensionWords(%q) = %q, %q; want %q, %q", c.in, d, r, c.date, c.reason)
		}
	}
}

func TestIsQuestion(t *testing.T) {
	yes := []string{"thế nào rồi?", "the nao roi", "bao giờ xong", "khi nào có kết quả", "đến đâu rồi", "how is it going", "status of this", "?"}
	no := []string{"xong", "đạt 50%", "vướng mặt bằng", "", "done"}
	for _, s := range yes {
		if !tasks.IsQuestion(s) {
			t.Errorf("IsQuestion(%q) = false, want true", s)
		}
	}
	for _, s := range no {
		if tasks.IsQuestion(s) {
			t.Errorf("IsQuestion(%q) = true, want false", s)
		}
	}
}

func TestIsAcknowledgement(t *testing.T) {
	cases := []struct {
		text string
		want bool
	}{
		{"Dạ em nhận ạ", true},
		{"ok anh", true},
		{"xong", false},                  // a report
		{"đạt 60%", false},               // a report
		{"xin gia hạn đến 30/11", false}, // asks for more time
		{"vướng mặt bằng", false},        // a blocker
	}
	for _, c := range cases {
		if got := tasks.IsAcknowledgement(c.text, replyToday); got != c.want {
			t.Errorf("IsAcknowledgement(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestSplitByCode(t *testing.T) {
	cands := []tasks.Task{{Code: "CCHC-01"}, {Code: "CCHC-02"}, {Code: "CCHC-10"}, {Code: "1"}, {Code: "KH.1"}}
	cases := []struct {
		text string
		want []string // "CODE=words"
	}{
		{"CCHC-01 xong, CCHC-02 được 50%", []string{"CCHC-01=xong", "CCHC-02=được 50%"}},
		{"cchc-02 đã hoàn thành", []string{"CCHC-02=đã hoàn thành"}},
		{"CCHC-01, CCHC-02: đã hoàn thành", []string{"CCHC-01=đã hoàn thành", "CCHC-02=đã hoàn thành"}},
		{"Báo cáo: CCHC-10 đạt 80%", []string{"CCHC-10=Báo cáo:   đạt 80%"}}, // words before the first code are its own
		{"CCHC-010 xong", nil},  // another code, not CCHC-01
		{"XCCHC-01 xong", nil},  // inside a longer word
		{"đã hoàn thành", nil},  // no code
		{"CCHC-01CCHC-02", nil}, // run together
		{"CCHC-02 CCHC-02 xong", []string{"CCHC-02=CCHC-02 xong"}}, // a task is cut at its first mention only
	}
	for _, c := range cases {
		var got []string
		for _, p := range tasks.SplitByCode(c.text, cands) {
			got = append(got, p.Task.Code+"="+p.Text)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("SplitByCode(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestNamedTask(t *testing.T) {
	cands := []tasks.Task{{Code: "CCHC-01"}, {Code: "CCHC-02"}}
	if got, rest, ok := tasks.NamedTask("CCHC-02 đã hoàn thành", cands); !ok || got.Code != "CCHC-02" || rest != "đã hoàn thành" {
		t.Errorf("NamedTask = %q, %q, %v; want CCHC-02, \"đã hoàn thành\", true", got.Code, rest, ok)
	}
	for _, s := range []string{"CCHC-01 xong, CCHC-02 xong", "đã hoàn thành"} {
		if _, rest, ok := tasks.NamedTask(s, cands); ok || rest != s {
			t.Errorf("NamedTask(%q) = %q, %v; want the text back and false", s, rest, ok)
		}
	}
}

func TestCodeWords(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"cchc2 xong", []string{"CCHC2"}},
		{"CCHC-01: đạt 50%, vướng (KH-3).", []string{"CCHC-01", "50%", "KH-3"}},
		{"CCHC-01 CCHC-01 cchc-01", []string{"CCHC-01"}},
		{"xong 30/11", []string{"30/11"}},
		{"không có mã", nil},
		{"A " + strings.Repeat("9", 41), nil},
	}
	for _, c := range cases {
		if got := tasks.CodeWords(c.text); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("CodeWords(%q) = %q, want %q", c.text, got, c.want)
		}
	}
	for w, want := range map[string]bool{"CCHC2": true, "50%": false, "30/11": false, "2026": false, "KH-3": true} {
		if got := tasks.MayBeLooseCode(w); got != want {
			t.Errorf("MayBeLooseCode(%q) = %v, want %v", w, got, want)
		}
	}
}

func TestLooseCode(t *testing.T) {
	for in, want := range map[string]string{
		"cchc-02": "CCHC2", "CCHC 2": "CCHC2", "cchc2": "CCHC2", "CCHC-020": "CCHC20",
		"A1-B01": "A1B1", "100": "100", "--": "", "Sở-01": "SỞ1",
	} {
		if got := tasks.LooseCode(in); got != want {
			t.Errorf("LooseCode(%q) = %q, want %q", in, got, want)
		}
	}
	ts := []tasks.Task{{Code: "CCHC-02"}, {Code: "CCHC-03"}, {Code: "KH-1"}, {Code: "KH-01"}}
	cases := []struct {
		code, want string // "" for none
	}{
		{"cchc2", "CCHC-02"},
		{"CCHC 3", "CCHC-03"},
		{"cchc4", ""},
		{"kh1", ""}, // KH-1 and KH-01 both match: none is chosen
		{"--", ""},
	}
	for _, c := range cases {
		got, ok := tasks.FindLoose(ts, c.code)
		if ok != (c.want != "") || got.Code != c.want {
			t.Errorf("FindLoose(%q) = %q, %v; want %q", c.code, got.Code, ok, c.want)
		}
	}
}

func TestReplaceCode(t *testing.T) {
	cases := []struct{ text, code, with, want string }{
		{"cchc2 xong", "CCHC2", "CCHC-02", "CCHC-02 xong"},
		{"Cchc-01: đạt 50%", "CCHC-01", "", ": đạt 50%"},
		{"xong", "CCHC-01", "", "xong"},
	}
	for _, c := range cases {
		if got := tasks.ReplaceCode(c.text, c.code, c.with); got != c.want {
			t.Errorf("ReplaceCode(%q, %q, %q) = %q, want %q", c.text, c.code, c.with, got, c.want)
		}
	}
}
