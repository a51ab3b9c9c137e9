package tasks_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"steerbot/tasks"
)

func contactIDs(cs []tasks.Contact) string {
	var sb strings.Builder
	for _, c := range cs {
		if sb.Len() > 0 {
			sb.WriteString(" ")
		}
		sb.WriteString(string(rune('0' + c.Member.ID)))
		for i, f := range c.For {
			if i == 0 {
				sb.WriteString("(for")
			}
			sb.WriteString(" " + string(rune('0'+f.ID)))
			if i == len(c.For)-1 {
				sb.WriteString(")")
			}
		}
	}
	return sb.String()
}

func TestUnitContactsAt(t *testing.T) {
	away := tasks.Absence{From: day(2026, 12, 7), To: day(2026, 12, 11)}
	head := tasks.Member{ID: 1, TelegramID: 11, Role: tasks.RoleUnitHead, Unit: "SNV"}
	deleg := tasks.Member{ID: 2, TelegramID: 22, Role: tasks.RoleUnitDelegate, Unit: "SNV"}
	other := tasks.Member{ID: 3, TelegramID: 33, Role: tasks.RoleSecretariat}
	blocked := tasks.Member{ID: 4, TelegramID: 44, Role: tasks.RoleUnitDelegate, Unit: "SNV", BlockedAt: time.Unix(1, 0)}
	awayHead := head
	awayHead.Away = away
	named := awayHead
	named.Away.Cover = 3
	for _, tc := range []struct {
		name string
		ms   []tasks.Member
		day  tasks.Date
		want string
	}{
		{"everyone present", []tasks.Member{head, deleg}, day(2026, 12, 8), "1 2"},
		{"blocked one left out", []tasks.Member{head, blocked}, day(2026, 12, 8), "1"},
		{"head away: the delegate stands in", []tasks.Member{awayHead, deleg}, day(2026, 12, 8), "2(for 1)"},
		{"first day of the absence counts", []tasks.Member{awayHead, deleg}, day(2026, 12, 7), "2(for 1)"},
		{"back the day after TO", []tasks.Member{awayHead, deleg}, day(2026, 12, 12), "1 2"},
		{"the one named covers", []tasks.Member{named, deleg, other}, day(2026, 12, 8), "2 3(for 1)"},
		{"nobody to cover: the absent still receives", []tasks.Member{awayHead}, day(2026, 12, 8), "1"},
		{"nobody linked", []tasks.Member{{ID: 5, Role: tasks.RoleUnitHead, Unit: "SNV"}}, day(2026, 12, 8), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := contactIDs(tasks.UnitContactsAt(tc.ms, "SNV", tc.day)); got != tc.want {
				t.Fatalf("contacts = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestUnreachedUnits(t *testing.T) {
	ms := []tasks.Member{
		{ID: 1, TelegramID: 11, Role: tasks.RoleUnitHead, Unit: "SNV"},
		{ID: 2, Role: tasks.RoleUnitHead, Unit: "STC"}, // invited, never linked
		{ID: 3, TelegramID: 33, Role: tasks.RoleUnitHead, Unit: "SYT", BlockedAt: time.Unix(1, 0)},
	}
	got := tasks.UnreachedUnits(ms, []string{"SNV", "STC", "SYT", "SXD"}, day(2026, 12, 8))
	if strings.Join(got, ",") != "STC,SYT,SXD" {
		t.Fatalf("unreached = %v, want STC, SYT (blocked) and SXD (nobody)", got)
	}
}

func TestDigestUnreached(t *testing.T) {
	tl := tasks.Timeline{Now: time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC), Loc: time.UTC}
	in := tasks.DigestInput{Timeline: tl, Tasks: []tasks.Task{
		{Code: "A-1", Unit: "SNV", Status: tasks.InProgress},
		{Code: "B-1", Unit: "STC", Status: tasks.InProgress},
		{Code: "C-1", Unit: "SYT", Status: tasks.Done},
	}}
	if got := tasks.ComputeDigest(in).Unreached; got != 0 {
		t.Fatalf("unreached without members loaded = %d, want 0", got)
	}
	in.Members = []tasks.Member{{ID: 1, TelegramID: 11, Role: tasks.RoleUnitHead, Unit: "SNV"}}
	if got := tasks.ComputeDigest(in).Unreached; got != 1 {
		t.Fatalf("unreached = %d, want 1 (STC; SYT has nothing open)", got)
	}
}

func TestSalutation(t *testing.T) {
	duc := tasks.Member{Name: "Phạm Minh Đức", Title: "Giám đốc Sở Nội vụ"}
	for _, tc := range []struct {
		m    tasks.Member
		lang string
		want string
	}{
		{duc, "vi", "đồng chí Phạm Minh Đức, Giám đốc Sở Nội vụ"},
		{tasks.Member{Name: "Phạm Minh Đức"}, "vi", "đồng chí Phạm Minh Đức"},
		{tasks.Member{Name: "Lê Thị Hoa", Address: "bà"}, "vi", "bà Lê Thị Hoa"},
		{duc, "en", "Phạm Minh Đức, Giám đốc Sở Nội vụ"},
	} {
		if got := tasks.Salutation(tc.m, tc.lang); got != tc.want {
			t.Errorf("Salutation(%+v, %s) = %q, want %q", tc.m, tc.lang, got, tc.want)
		}
	}
}

func TestSplitNameTitle(t *testing.T) {
	for _, tc := range []struct{ in, name, title string }{
		{"Phạm Minh Đức", "Phạm Minh Đức", ""},
		{"Phạm  Minh Đức,  Giám đốc Sở Nội vụ ", "Phạm Minh Đức", "Giám đốc Sở Nội vụ"},
		{"", "", ""},
		{", Phó Giám đốc", "", "Phó Giám đốc"},
	} {
		name, title := tasks.SplitNameTitle(tc.in)
		if name != tc.name || title != tc.title {
			t.Errorf("SplitNameTitle(%q) = %q, %q; want %q, %q", tc.in, name, title, tc.name, tc.title)
		}
	}
}

func FuzzSplitNameTitle(f *testing.F) {
	for _, s := range []string{"Phạm Minh Đức, Giám đốc", "a,b,c", "", ",", "\xff,\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, title := tasks.SplitNameTitle(s)
		if strings.Contains(name, ",") {
			t.Fatalf("name %q holds a comma", name)
		}
		if name != strings.TrimSpace(name) || title != strings.TrimSpace(title) {
			t.Fatalf("untrimmed %q / %q", name, title)
		}
		if len(name)+len(title) > len(s) {
			t.Fatalf("grew: %q → %q + %q", s, name, title)
		}
	})
}

// history is a HistoryReader of fixed updates.
type history map[string][]tasks.Update

func (h history) History(code string, limit int) ([]tasks.Update, error) { return h[code], nil }

func TestReportedUnits(t *testing.T) {
	week := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	ms := []tasks.Member{
		{ID: 1, Role: tasks.RoleUnitHead, Unit: "SNV"},
		{ID: 2, Role: tasks.RoleUnitHead, Unit: "STC"},
		{ID: 3, Role: tasks.RoleSecretariat},
		{ID: 4, Role: tasks.RoleUnitHead, Unit: "SYT"},
	}
	ts := []tasks.Task{{Code: "SNV-1", Unit: "SNV", CoUnits: []string{"SXD"}}, {Code: "STC-1", Unit: "STC"}, {Code: "SYT-1", Unit: "SYT"}}
	h := history{
		"SNV-1": {{By: 1, At: week.Add(time.Hour)}, {By: 9, Unit: "SXD", At: week.Add(2 * time.Hour)}},
		"STC-1": {{By: 2, At: week.Add(-time.Hour)}, {By: 3, At: week.Add(time.Hour)}}, // before; the secretariat's
		"SYT-1": {{By: 4, Via: tasks.ViaImport, At: week.Add(time.Hour)}},
	}
	got, err := tasks.ReportedUnits(h, ts, ms, week)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got["SNV"] || !got["SXD"] {
		t.Fatalf("reported = %v, want SNV and the co-unit SXD only", got)
	}
	last, err := tasks.LastReports(h, ts)
	if err != nil {
		t.Fatal(err)
	}
	if !last[2].Equal(week.Add(-time.Hour)) || !last[3].Equal(week.Add(time.Hour)) || !last[4].IsZero() {
		t.Fatalf("last reports = %v", last)
	}
}

func TestCommitPart(t *testing.T) {
	tk := tasks.Task{Code: "SNV-1", Unit: "SNV", CoUnits: []string{"STC"}, Status: tasks.InProgress, Progress: 30}
	co := tasks.Member{ID: 2, TelegramID: 22, Name: "B", Role: tasks.RoleUnitHead, Unit: "STC"}
	lead := tasks.Member{ID: 1, TelegramID: 11, Name: "A", Role: tasks.RoleUnitHead, Unit: "SNV"}
	now := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
	var rec recorder
	u, err := tasks.Policy{}.CommitPart(&rec, tk, 80, "đã gửi số liệu", co, tasks.ViaCommand, now)
	if err != nil {
		t.Fatal(err)
	}
	if u.Unit != "STC" || u.NewProgress != 80 || u.NewStatus != tasks.InProgress || len(rec.tasks) != 0 || len(rec.updates) != 1 {
		t.Fatalf("part = %+v, tasks stored %d: want an update marked STC at 80%%, the task untouched", u, len(rec.tasks))
	}
	var te *tasks.Error
	if _, err := (tasks.Policy{}).CommitPart(&rec, tk, 50, "", lead, tasks.ViaCommand, now); !asError(err, &te) || te.Code != tasks.EFORBIDDEN {
		t.Fatalf("the lead unit reporting a part: err %v, want EFORBIDDEN (it updates the task)", err)
	}
	if _, err := (tasks.Policy{}).CommitPart(&rec, tk, 101, "", co, tasks.ViaCommand, now); !asError(err, &te) || te.Code != tasks.EINVALID {
		t.Fatalf("101%%: err %v, want EINVALID", err)
	}
}

func TestParseAway(t *testing.T) {
	today := day(2026, 12, 3)
	for _, tc := range []struct {
		in       string
		from, to tasks.Date
		off      bool
		names    string
		err      string
	}{
		{in: "07/12 11/12", from: day(2026, 12, 7), to: day(2026, 12, 11)},
		{in: "28/12 03/01 Lê Văn C", from: day(2026, 12, 28), to: day(2027, 1, 3), names: "Lê Văn C"},
		{in: "2026-12-07 2026-12-09 Phạm Minh Đức, Lê  Văn C", from: day(2026, 12, 7), to: day(2026, 12, 9), names: "Phạm Minh Đức|Lê Văn C"},
		{in: "off", off: true},
		{in: "Tắt Phạm Minh Đức", off: true, names: "Phạm Minh Đức"},
		{in: "", err: "usage_away"},
		{in: "07/12", err: "usage_away"},
		{in: "hôm nay 11/12", err: "bad_date"},
		{in: "2026-12-09 2026-12-07", err: "away_dates"},
		{in: "10/12 09/12", err: "away_too_long"}, // 09/12 of the next year
		{in: "2026-12-09 2027-12-07", err: "away_too_long"},
	} {
		got, err := tasks.ParseAway(tc.in, today)
		var te *tasks.Error
		if tc.err != "" {
			if !asError(err, &te) || te.Key != tc.err {
				t.Errorf("ParseAway(%q) err %v, want %s", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got.Off != tc.off || got.From != tc.from || got.To != tc.to || strings.Join(got.Names, "|") != tc.names {
			t.Errorf("ParseAway(%q) = %+v, %v; want from %v to %v off %v names %q", tc.in, got, err, tc.from, tc.to, tc.off, tc.names)
		}
	}
}

func FuzzParseAway(f *testing.F) {
	for _, s := range []string{"07/12 11/12", "off", "28/12 03/01 Lê Văn C, X", "2026-12-09 2026-12-07", "\xff 1/1"} {
		f.Add(s)
	}
	today := day(2026, 12, 3)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := tasks.ParseAway(s, today)
		if err != nil {
			if tasks.ErrorCode(err) != tasks.EINVALID {
				t.Fatalf("ParseAway(%q) err %v, want EINVALID", s, err)
			}
			return
		}
		if !got.Off && got.To.Before(got.From) {
			t.Fatalf("ParseAway(%q) = %+v: ends before it starts", s, got)
		}
		for _, n := range got.Names {
			if n == "" || strings.Contains(n, ",") {
				t.Fatalf("ParseAway(%q) name %q", s, n)
			}
		}
	})
}

// members is a MemberStore of a few members.
type members struct {
	tasks.MemberStore
	ms map[int64]tasks.Member
}

func (s members) Member(id int64) (tasks.Member, error) {
	m, ok := s.ms[id]
	if !ok {
		return m, tasks.NewError(tasks.ENOTFOUND, "not_found", "no member")
	}
	return m, nil
}
func (s members) PutMember(m *tasks.Member) error { s.ms[m.ID] = *m; return nil }

func TestSetAway(t *testing.T) {
	today := day(2026, 12, 3)
	head := tasks.Member{ID: 1, TelegramID: 11, Role: tasks.RoleUnitHead, Unit: "SNV"}
	deleg := tasks.Member{ID: 2, TelegramID: 22, Role: tasks.RoleUnitDelegate, Unit: "SNV"}
	secr := tasks.Member{ID: 3, TelegramID: 33, Role: tasks.RoleSecretariat}
	unlinked := tasks.Member{ID: 4, Role: tasks.RoleUnitDelegate, Unit: "SNV"}
	st := members{ms: map[int64]tasks.Member{1: head, 2: deleg, 3: secr, 4: unlinked}}
	week := tasks.Absence{From: today, To: today.AddDays(4)}
	key := func(err error) string {
		var te *tasks.Error
		if asError(err, &te) {
			return te.Key
		}
		return fmt.Sprint(err)
	}
	if _, err := tasks.SetAway(st, deleg, head, week, today); key(err) != "away_others" {
		t.Errorf("a delegate declaring the head away: %v, want away_others", err)
	}
	if _, err := tasks.SetAway(st, secr, secr, week, today); key(err) != "away_not_unit" {
		t.Errorf("the secretariat away: %v, want away_not_unit", err)
	}
	if _, err := tasks.SetAway(st, head, head, tasks.Absence{From: today.AddDays(-5), To: today.AddDays(-1)}, today); key(err) != "away_past" {
		t.Errorf("an absence in the past: %v, want away_past", err)
	}
	bad := week
	bad.Cover = 4
	if _, err := tasks.SetAway(st, head, head, bad, today); key(err) != "away_cover" {
		t.Errorf("an unlinked cover: %v, want away_cover", err)
	}
	good := week
	good.Cover = 2
	m, err := tasks.SetAway(st, secr, head, good, today)
	if err != nil || st.ms[1].Away.Cover != 2 || st.ms[1].Away.SetBy != 3 || m.Away.To != today.AddDays(4) {
		t.Fatalf("the secretariat declaring the head away: %+v, %v", st.ms[1].Away, err)
	}
	if _, err := tasks.SetAway(st, head, st.ms[1], tasks.Absence{}, today); err != nil || !st.ms[1].Away.From.IsZero() {
		t.Fatalf("ending it: %+v, %v", st.ms[1].Away, err)
	}
}
