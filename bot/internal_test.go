package bot

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	tgbot "github.com/go-telegram/bot"

	"steerbot/bot/telegramtest"
	"steerbot/tasks"
)

func TestParseCommand(t *testing.T) {
	cases := []struct {
		in, name, args string
		ok             bool
	}{
		{"/update CCHC-1 60%", "update", "CCHC-1 60%", true},
		{"/Update@SteerBot_bot CCHC-1 xong", "update", "CCHC-1 xong", true},
		{"/digest@other_bot", "", "", false},
		{"/tasks", "tasks", "", true},
		{"/task\nCCHC-1", "task", "CCHC-1", true},
		{"hello /tasks", "", "", false},
		{"/", "", "", false},
		{"/" + strings.Repeat("a", 40), "", "", false},
	}
	for _, c := range cases {
		name, args, ok := parseCommand(c.in, "steerbot_bot")
		if name != c.name || args != c.args || ok != c.ok {
			t.Errorf("parseCommand(%q) = %q %q %v; want %q %q %v", c.in, name, args, ok, c.name, c.args, c.ok)
		}
	}
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"/update A 1", "/x@y z", "/\n", "/tasks@steerbot_bot"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, _, ok := parseCommand(s, "steerbot_bot")
		if ok && (name == "" || len(name) > 32 || name != strings.ToLower(name)) {
			t.Fatalf("parseCommand(%q) name %q", s, name)
		}
	})
}

func TestSplitMessage(t *testing.T) {
	var lines []string
	for i := 0; i < 300; i++ {
		lines = append(lines, fmt.Sprintf("• <b>CCHC-%03d</b> Rà soát, đơn giản hóa thủ tục hành chính &amp; số hóa hồ sơ", i))
	}
	body := strings.Join(lines, "\n")
	parts := splitMessage(body, maxMessage)
	if len(parts) < 2 {
		t.Fatalf("a %d-unit text was not split", utf16Len(body))
	}
	if strings.Join(parts, "\n") != body {
		t.Fatal("splitting whole lines lost or changed text")
	}
	for i, p := range parts {
		checkPart(t, p, maxMessage)
		if strings.Count(p, "<b>") != strings.Count(p, "</b>") {
			t.Errorf("part %d cuts a tag", i)
		}
	}

	// What Telegram refused or the fuzz target found before: a long unit
	// name in bold, a group name that escapes to 4,995 characters, a
	// cut that counted "&" as one unit but kept "&0…" whole.
	unit := strings.Repeat("Sở Nội vụ ", 500)
	group := strings.Repeat("&<>", 999)
	cases := []struct {
		name  string
		in    string
		limit int
	}{
		{"long bold unit name", "<b>CCHC-01</b> · 50%\nĐơn vị chủ trì: <b>" + esc(unit) + "</b>\nHạn: 31/12/2023", maxMessage},
		{"escaped group", "<b>" + esc(group) + "</b>\n<i>" + esc(group) + "</i>", maxMessage},
		{"link across the cut", `<a href="https://t.me/x?start=a&amp;b">` + strings.Repeat("liên kết ", 900) + "</a>", maxMessage},
		{"nested tags", "<b>Đậm <i>" + strings.Repeat("nghiêng ", 30) + "</i> hết</b>", 50},
		{"bare ampersand", "0&0000000000000", 13},
		{"references without semicolons", strings.Repeat("&amp&lt&#65&#x42 ", 20), 9},
		{"surrogate pairs", "<code>" + strings.Repeat("😀", 30) + "</code>", 9},
		{"blank lines", "a" + strings.Repeat("\n", 50) + "b", 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			whole, err := telegramtest.ShownText(c.in, "HTML")
			if err != nil {
				t.Fatalf("the input itself is refused: %v", err)
			}
			parts := splitMessage(c.in, c.limit)
			var got strings.Builder
			for _, p := range parts {
				got.WriteString(checkPart(t, p, c.limit))
			}
			if noSpace(got.String()) != noSpace(whole) {
				t.Errorf("the parts show %q…, want %q…", clip(got.String(), 60), clip(whole, 60))
			}
		})
	}
	// Tags are closed at a cut and opened again after it.
	parts = splitMessage("<b>"+strings.Repeat("x", 30)+"</b>", 20)
	if len(parts) != 2 || !strings.HasSuffix(parts[0], "</b>") || !strings.HasPrefix(parts[1], "<b>") {
		t.Errorf("bold cut into %q", parts)
	}
}

// checkPart fails t unless Telegram would send p as one message within
// limit units, and returns what it shows.
func checkPart(t testing.TB, p string, limit int) string {
	t.Helper()
	shown, err := telegramtest.CheckText(p, "HTML")
	if err != nil {
		t.Fatalf("part %q… refused: %v", clip(p, 60), err)
	}
	if n := telegramtest.UTF16Len(shown); n > limit {
		t.Fatalf("part %q… shows %d units, over %d", clip(p, 60), n, limit)
	}
	return shown
}

// noSpace drops white space, which Telegram trims at the ends of a part.
func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func FuzzSplitMessage(f *testing.F) {
	f.Add("a\nb\nc", 2)
	f.Add("<b>x</b>&amp;y", 3)
	f.Add("0&0000000000000", 13)
	f.Add("<b>"+strings.Repeat("Sở Nội vụ ", 30)+"</b>\n<i>&lt;&gt;</i>", 40)
	f.Add(`<a href="https://e.x/?a=1&amp;b=2">liên kết</a> &#x1F600;&#128512;`, 8)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		// Short texts and limits cut often; a deep nest of tags reopened in
		// every part makes long texts slow without finding more.
		if limit < 8 || limit > 5000 || !utf8.ValidString(s) || len(s) > 4000 {
			return
		}
		shown, err := telegramtest.ShownText(s, "HTML")
		if err != nil || shown == "" {
			return // not a text Telegram would take whole either
		}
		parts := splitMessage(s, limit)
		if len(parts) == 0 {
			t.Fatal("no parts")
		}
		var got strings.Builder
		for _, p := range parts {
			got.WriteString(checkPart(t, p, limit))
		}
		if noSpace(got.String()) != noSpace(shown) {
			t.Fatalf("the parts show %q, the text %q", got.String(), shown)
		}
	})
}

func TestSigner(t *testing.T) {
	s := signer{key: []byte("0123456789abcdef0123456789abcdef")}
	d := s.sign("e", "12", "a")
	if len(d) > 64 {
		t.Fatalf("data %d bytes", len(d))
	}
	f, ok := s.verify(d)
	if !ok || strings.Join(f, "|") != "e|12|a" {
		t.Fatalf("verify(%q) = %v %v", d, f, ok)
	}
	other := signer{key: []byte("another key, another database...")}
	if _, ok := other.verify(d); ok {
		t.Error("data signed by another key verified")
	}
	if _, ok := s.verify(strings.Replace(d, "12", "13", 1)); ok {
		t.Error("altered data verified")
	}
	if got := s.sign("c", strings.Repeat("X", 60)); got != "" {
		t.Errorf("over-long data signed: %q", got)
	}
}

func FuzzVerify(f *testing.F) {
	s := signer{key: []byte("0123456789abcdef0123456789abcdef")}
	f.Add(s.sign("d", "CCHC-1"))
	f.Add("d|CCHC-1~AAAAAAAA")
	f.Fuzz(func(t *testing.T, data string) {
		if fields, ok := s.verify(data); ok && s.sign(op(fields[0]), fields[1:]...) != data {
			t.Fatalf("verified %q that it would not have signed", data)
		}
	})
}

// verbs lists a format's verbs in order, with explicit indexes resolved.
var verbRE = regexp.MustCompile(`%(\[\d+\])?[sdvq]`)

func TestCatalogs(t *testing.T) {
	for key, viText := range catalogs["vi"] {
		enText, ok := catalogs["en"][key]
		if !ok {
			t.Errorf("en lacks %q", key)
			continue
		}
		if a, b := verbSet(viText), verbSet(enText); a != b {
			t.Errorf("%q: vi uses %s, en uses %s", key, a, b)
		}
		for lang, f := range map[string]string{"vi": viText, "en": enText} {
			args := make([]any, strings.Count(f, "%")+10) // more than enough, explicit indexes too
			for i := range args {
				args[i] = anyArg{}
			}
			n := len(verbRE.FindAllString(f, -1))
			out := fmt.Sprintf(f, args[:maxIndex(f, n)]...)
			if strings.Contains(out, "%!") {
				t.Errorf("%s %q renders %q", lang, key, out)
			}
		}
	}
	for key := range catalogs["en"] {
		if _, ok := catalogs["vi"][key]; !ok {
			t.Errorf("vi lacks %q", key)
		}
	}
	// Every command has help in both languages.
	for _, c := range commandTable() {
		for _, lang := range []string{"vi", "en"} {
			if _, ok := catalogs[lang]["help_"+c.name]; !ok {
				t.Errorf("%s has no help for /%s", lang, c.name)
			}
		}
	}
	// Every domain error key the bot can meet has a sentence.
	for _, k := range []string{"not_linked", "only_units_update", "only_units_extend", "only_committee", "only_secretariat",
		"only_chairs", "other_unit", "nothing_to_change", "bad_status", "task_closed", "bad_progress", "missing_value", "bad_value", "bad_date"} {
		if _, ok := catalogs["vi"]["err_"+k]; !ok {
			t.Errorf("no sentence for error %q", k)
		}
	}
}

// verbSet describes the verbs a format uses, ignoring order.
func verbSet(f string) string {
	v := verbRE.FindAllString(f, -1)
	for i := range v {
		v[i] = v[i][len(v[i])-1:]
	}
	sort.Strings(v)
	return strings.Join(v, "")
}

// maxIndex returns how many arguments a format with n verbs consumes.
func maxIndex(f string, n int) int {
	max := n
	for _, m := range regexp.MustCompile(`%\[(\d+)\]`).FindAllStringSubmatch(f, -1) {
		var i int
		fmt.Sscan(m[1], &i)
		if i > max {
			max = i
		}
	}
	return max
}

func TestErrorTextEscapes(t *testing.T) {
	e := tasks.NewError(tasks.EINVALID, "bad_value", "x", "<script>")
	if got := errorText("vi", e); strings.Contains(got, "<script>") || !strings.Contains(got, "&lt;script&gt;") {
		t.Errorf("errorText = %q", got)
	}
	unknown := tasks.NewError(tasks.ENOTFOUND, "never_heard_of", "x")
	if got := errorText("en", unknown); got != catalogs["en"]["err_not_found"] {
		t.Errorf("unknown key: %q", got)
	}
	if got := errorText("vi", tasks.Errorf(tasks.EINTERNAL, "db down")); strings.Contains(got, "db down") {
		t.Errorf("an internal error leaked its detail: %q", got)
	}
}

// anyArg formats as "X" under any verb, so only missing or extra arguments
// show as %! errors.
type anyArg struct{}

func (anyArg) Format(f fmt.State, _ rune) { f.Write([]byte("X")) }

func TestClassify(t *testing.T) {
	cases := []struct {
		name      string
		err       error
		permanent bool
		retry     bool
	}{
		{"blocked", fmt.Errorf("%w, %s", tgbot.ErrorForbidden, "Forbidden: bot was blocked by the user"), true, false},
		{"bad request", fmt.Errorf("%w, %s", tgbot.ErrorBadRequest, "Bad Request: chat not found"), true, false},
		{"token revoked", fmt.Errorf("%w, %s", tgbot.ErrorUnauthorized, "Unauthorized"), false, false},
		{"wrong token", fmt.Errorf("%w, %s", tgbot.ErrorNotFound, "Not Found"), false, false},
		{"too large", errors.New("error response from telegram for method sendDocument, 413 Request Entity Too Large"), true, false},
		{"bad gateway", errors.New("error response from telegram for method sendMessage, 502 Bad Gateway"), false, false},
		{"network", errors.New("error do request for method sendMessage, dial tcp: connection refused"), false, false},
		{"429", &tgbot.TooManyRequestsError{Message: "too many", RetryAfter: 7}, false, true},
	}
	for _, c := range cases {
		var se *tasks.SendError
		if !errors.As(classify(c.err), &se) {
			t.Fatalf("%s: not a SendError", c.name)
		}
		if se.Permanent != c.permanent || (se.RetryAfter > 0) != c.retry {
			t.Errorf("%s: permanent=%v retry=%v, want %v %v", c.name, se.Permanent, se.RetryAfter, c.permanent, c.retry)
		}
	}
}

func TestClipWord(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		want string
	}{
		{"Kiểm tra công tác CCHC", 30, "Kiểm tra công tác CCHC"},
		{"Xây dựng Kế hoạch cải cách hành chính năm 2024", 30, "Xây dựng Kế hoạch cải cách…"},
		{"Tổ chức kiểm tra công tác cải cách hành chính", 30, "Tổ chức kiểm tra công tác cải…"},
		{"Rà soát, đánh giá thủ tục", 12, "Rà soát…"},
		{"Siêudàikhôngcókhoảngtrắng", 10, "Siêudàikh…"},
		{"ab cd", 5, "ab cd"},
	}
	for _, c := range cases {
		got := clipWord(c.in, c.n)
		if got != c.want {
			t.Errorf("clipWord(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
		if utf8.RuneCountInString(got) > c.n {
			t.Errorf("clipWord(%q, %d) = %q: longer than %d", c.in, c.n, got, c.n)
		}
	}
}
