package dashboard_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"steerbot/dashboard"
	"steerbot/tasks"
)

// TestInitData: Telegram's signed initData opens a session; forged,
// tampered, expired, replayed-too-late and foreign-bot data are 401 and
// open nothing.
func TestInitData(t *testing.T) {
	e := newEnv(t, 0)
	now := e.clock.Now()
	user := dashboard.WebAppUser{ID: tgChair, FirstName: "Chủ"}
	// A query id and a value with + and % that a double decoding breaks.
	extra := url.Values{"query_id": {"AAH+x%y"}, "chat_instance": {"-123"}}
	good := dashboard.SignInitData(token, user, now.Add(-10*time.Minute), extra)

	cases := []struct {
		name string
		data string
		want int
	}{
		{"tampered hash", strings.Replace(good, "hash=", "hash=0", 1), http.StatusUnauthorized},
		{"tampered user", strings.Replace(good, "111", "333", 1), http.StatusUnauthorized},
		{"expired auth_date", dashboard.SignInitData(token, user, now.Add(-61*time.Minute), nil), http.StatusUnauthorized},
		{"foreign bot", dashboard.SignInitData("999:OTHER", user, now, nil), http.StatusUnauthorized},
		{"no hash", "user=%7B%22id%22%3A111%7D&auth_date=1", http.StatusUnauthorized},
		{"stranger", dashboard.SignInitData(token, dashboard.WebAppUser{ID: tgStrange}, now, nil), http.StatusForbidden},
		{"removed member", dashboard.SignInitData(token, dashboard.WebAppUser{ID: tgRemoved}, now, nil), http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := e.client()
			if got := e.postInitData(c, tc.data); got != tc.want {
				t.Fatalf("status %d, want %d", got, tc.want)
			}
			if code, _ := e.get(c, "/"); code != http.StatusUnauthorized {
				t.Fatalf("overview after refused sign-in: %d, want 401", code)
			}
		})
	}
	t.Run("valid", func(t *testing.T) {
		c := e.client()
		if got := e.postInitData(c, good); got != http.StatusNoContent {
			t.Fatalf("status %d, want 204", got)
		}
		code, body := e.get(c, "/")
		if code != http.StatusOK || !strings.Contains(body, "Nguyễn Văn Chủ") {
			t.Fatalf("overview: %d, want 200 with the chair's name:\n%s", code, body)
		}
	})
	t.Run("replayed after max_age", func(t *testing.T) {
		e.clock.Advance(51 * time.Minute) // good was signed 10 minutes before start
		if got := e.postInitData(e.client(), good); got != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", got)
		}
	})
}

// TestInitData_RateLimited: after ten failures a client is refused even
// with good data, until the window passes.
func TestInitData_RateLimited(t *testing.T) {
	e := newEnv(t, 0)
	c := e.client()
	for range 10 {
		e.postInitData(c, "hash=00&auth_date=1")
	}
	good := dashboard.SignInitData(token, dashboard.WebAppUser{ID: tgChair}, e.clock.Now(), nil)
	if got := e.postInitData(c, good); got != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429", got)
	}
	// Another client behind the same proxy is not locked out.
	req, err := http.NewRequest("POST", e.http.URL+"/auth/telegram", strings.NewReader(url.Values{"init_data": {good}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Real-IP", "203.0.113.7")
	resp, err := e.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("another client behind the proxy: status %d, want 204", resp.StatusCode)
	}
	e.clock.Advance(11 * time.Minute)
	good = dashboard.SignInitData(token, dashboard.WebAppUser{ID: tgChair}, e.clock.Now(), nil)
	if got := e.postInitData(c, good); got != http.StatusNoContent {
		t.Fatalf("after the window: status %d, want 204", got)
	}
}

// TestLink: a one-time link signs in once; opened again, or after ten
// minutes, it is refused and opens nothing.
func TestLink(t *testing.T) {
	e := newEnv(t, 0)
	link := e.link(tgSNV)
	c := e.client()
	// A preview or link checker that only fetches the page spends nothing.
	if code, _ := e.get(e.client(), link); code != http.StatusOK {
		t.Fatalf("link page: %d", code)
	}
	code, body := e.open(c, link)
	if code != http.StatusOK || !strings.Contains(body, "Lê Văn Nội") {
		t.Fatalf("first opening: %d, want the overview:\n%s", code, body)
	}
	other := e.client()
	code, body = e.open(other, link)
	if code != http.StatusGone || !strings.Contains(body, "/dashboard") {
		t.Fatalf("second opening: %d, want 410 that says to send /dashboard:\n%s", code, body)
	}
	if code, _ := e.get(other, "/"); code != http.StatusUnauthorized {
		t.Fatalf("overview with a spent link: %d, want 401", code)
	}

	late := e.link(tgSNV)
	e.clock.Advance(11 * time.Minute)
	if code, _ := e.open(e.client(), late); code != http.StatusGone {
		t.Fatalf("expired link: %d, want 410", code)
	}
	if code, _ := e.open(e.client(), late); code != http.StatusGone {
		t.Fatalf("expired link again: %d, want 410", code)
	}
	if code, _ := e.open(e.client(), e.http.URL+"/link/not-a-token"); code != http.StatusGone {
		t.Fatalf("unknown link: %d, want 410", code)
	}

	// The session itself ends after twelve hours.
	e.clock.Advance(12 * time.Hour)
	if code, _ := e.get(c, "/"); code != http.StatusUnauthorized {
		t.Fatalf("overview after the session ended: %d, want 401", code)
	}
}

// TestStranger: without a session every page is the page that says how
// to get invited, with a link to the bot, and shows no figure.
func TestStranger(t *testing.T) {
	e := newEnv(t, 0)
	for _, p := range []string{"/", "/units", "/tasks", "/tasks/CCHC-1", "/overdue", "/meetings", "/units/SNV"} {
		code, body := e.get(e.client(), p)
		if code != http.StatusUnauthorized || !strings.Contains(body, "đề nghị Văn phòng") || !strings.Contains(body, "https://t.me/steer_test_bot") {
			t.Fatalf("%s: %d, want 401 with the invitation text:\n%s", p, code, body)
		}
		if strings.Contains(body, "CCHC-1") || strings.Contains(body, "Số hoá") {
			t.Fatalf("%s shows data to a stranger:\n%s", p, body)
		}
	}
}

// TestHeaders: pages forbid framing by others and any script but the
// app's and Telegram's, and the session cookie is HttpOnly and Lax.
func TestHeaders(t *testing.T) {
	e := newEnv(t, 0)
	resp, err := http.PostForm(e.link(tgChair), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self' https://telegram.org", "frame-ancestors", "web.telegram.org"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if rp := resp.Header.Get("Referrer-Policy"); rp != "no-referrer" {
		t.Errorf("Referrer-Policy %q", rp)
	}
	var found bool
	for _, c := range resp.Request.Response.Cookies() {
		if c.Name == dashboard.CookieName {
			found = true
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("cookie %+v: want HttpOnly and SameSite=Lax", c)
			}
		}
	}
	if !found {
		t.Errorf("no session cookie on the link's answer")
	}
}

// TestOverview: the overview shows the digest's figures.
func TestOverview(t *testing.T) {
	e := newEnv(t, 0)
	c := e.signedIn(tgChair)
	code, body := e.get(c, "/")
	if code != http.StatusOK {
		t.Fatalf("overview %d", code)
	}
	// 6 tasks: 2 done (CCHC-2 on time, XD-1 late), 2 overdue (CCHC-1,
	// CDS-1), 1 within deadline (CDS-2), 1 ongoing (CDS-3).
	for _, want := range []string{`2/6 <span>(33%)</span>`, "<b>1</b><span>Hoàn thành đúng hạn", "<b>1</b><span>Hoàn thành quá hạn",
		"<b>2</b><span>Chưa hoàn thành, quá hạn", "<b>1</b><span>Chưa hoàn thành, trong hạn", "<b>1</b><span>Thường xuyên",
		"Kế hoạch CCHC 2026", "Chính quyền số", "<svg class=\"trend\"", "17%", "Hiện tại"} {
		if !strings.Contains(body, want) {
			t.Errorf("overview lacks %q", want)
		}
	}
	// A change shows at once: the task list read before is not reused.
	if err := e.store.Update(context.Background(), func(tx tasks.Tx) error {
		t, err := tx.Task("CDS-2")
		if err != nil {
			return err
		}
		sec, err := tx.MemberByTelegram(tgSec)
		if err != nil {
			return err
		}
		done := tasks.Done
		_, err = (tasks.Policy{}).Commit(tx, &t, tasks.Change{Status: &done}, sec, tasks.ViaCommand, e.clock.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, body := e.get(c, "/"); !strings.Contains(body, `3/6 <span>(50%)</span>`) {
		t.Errorf("overview after CDS-2 was done lacks 3/6 (50%%)")
	}
	// Filtered by plan.
	_, body = e.get(c, "/?plan="+url.QueryEscape("Chính quyền số"))
	if !strings.Contains(body, `2/4 <span>(50%)</span>`) {
		t.Errorf("overview for Chính quyền số lacks 2/4 (50%%)")
	}
	// English for a member who chose it.
	_, body = e.get(e.signedIn(tgSec), "/")
	if !strings.Contains(body, "Done on time") || !strings.Contains(body, `lang="en"`) {
		t.Errorf("the secretariat's overview is not in English")
	}
}

// TestRoles: every page for each role; a unit's head sees the totals and
// their own unit, and another unit's task or page is a 404 like a task
// that does not exist.
func TestRoles(t *testing.T) {
	e := newEnv(t, 0)
	pages := []string{"/", "/units", "/units/SNV", "/units/STTTT", "/tasks", "/tasks/CCHC-1", "/tasks/CDS-1", "/tasks/CDS-2", "/overdue", "/meetings", "/tasks/NOPE-1"}
	want := map[int64][]int{
		tgChair: {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 404},
		tgSec:   {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 404},
		// SNV's head: CDS-2 is STTTT's, with SNV coordinating: readable.
		tgSNV:   {200, 200, 200, 404, 200, 200, 404, 200, 200, 404, 404},
		tgSTTTT: {200, 200, 404, 200, 200, 404, 200, 200, 200, 404, 404},
	}
	for tg, codes := range want {
		c := e.signedIn(tg)
		for i, p := range pages {
			code, body := e.get(c, p)
			if code != codes[i] {
				t.Errorf("member %d GET %s: %d, want %d", tg, p, code, codes[i])
			}
			if code == 404 && (strings.Contains(body, "Nền tảng dữ liệu") || strings.Contains(body, "Số hoá hồ sơ")) {
				t.Errorf("member %d GET %s: the 404 shows the task", tg, p)
			}
		}
	}
	// The 404 of another unit's task is the 404 of a task that does not exist.
	c := e.signedIn(tgSNV)
	_, other := e.get(c, "/tasks/CDS-1")
	_, none := e.get(c, "/tasks/NOPE-1")
	if other != none {
		t.Errorf("another unit's task answers unlike a missing one")
	}
	// A unit's head sees only their unit in lists.
	_, body := e.get(c, "/tasks")
	if !strings.Contains(body, "CCHC-1") || !strings.Contains(body, "CDS-2") || strings.Contains(body, "CDS-1") || strings.Contains(body, "XD-1") {
		t.Errorf("SNV's task list shows other units' tasks or misses its own or the one it coordinates (CDS-2):\n%s", body)
	}
	_, body = e.get(c, "/overdue")
	if !strings.Contains(body, "CCHC-1") || strings.Contains(body, "CDS-1") {
		t.Errorf("SNV's overdue list shows STTTT's task or misses its own")
	}
	_, body = e.get(c, "/units")
	if strings.Contains(body, "/units/STTTT") {
		t.Errorf("SNV's scorecard shows STTTT")
	}
	_, body = e.get(c, "/")
	if !strings.Contains(body, "2/6") || !strings.Contains(body, "Đơn vị của đồng chí") {
		t.Errorf("SNV's overview lacks the committee's totals or its own unit")
	}
	if strings.Contains(body, `href="/meetings"`) {
		t.Errorf("SNV's menu offers the meetings")
	}
}

// TestTaskPage: fields, the deadline as written, timeliness, history with
// its note, and evidence by name, with no file served.
func TestTaskPage(t *testing.T) {
	e := newEnv(t, 0)
	c := e.signedIn(tgSNV)
	code, body := e.get(c, "/tasks/cchc-1")
	if code != 200 {
		t.Fatalf("task page %d", code)
	}
	for _, want := range []string{"Số hoá hồ sơ thủ tục hành chính", "quá hạn 13 ngày", "to-trinh.pdf", "/task CCHC-1", "đã trình UBND", "60% → 70%", "Lê Văn Nội"} {
		if !strings.Contains(body, want) {
			t.Errorf("task page lacks %q", want)
		}
	}
	if strings.Contains(body, "FILE-1") {
		t.Errorf("task page shows the Telegram file id")
	}
	_, body = e.get(c, "/tasks/CCHC-2")
	if !strings.Contains(body, "Tháng 10/2026") {
		t.Errorf("deadline not shown as written")
	}
}

// TestMeetings: coming meetings, and the digest's figures for past ones.
func TestMeetings(t *testing.T) {
	e := newEnv(t, 0)
	_, body := e.get(e.signedIn(tgChair), "/meetings")
	for _, want := range []string{"Phiên họp thứ 3", "chưa gửi", "Phiên họp thứ 1", "1/6 (17%)", "2/6 (33%)"} {
		if !strings.Contains(body, want) {
			t.Errorf("meetings lacks %q", want)
		}
	}
}

// TestPaginationAndFilters: long lists come 200 rows a page, and filters
// by plan, unit and status narrow them.
func TestPaginationAndFilters(t *testing.T) {
	e := newEnv(t, 450)
	c := e.signedIn(tgChair)
	rows := regexp.MustCompile(`<tr[^>]*>\s*<td[^>]*><a href="/tasks/`)
	code, body := e.get(c, "/tasks")
	if code != 200 || len(rows.FindAllString(body, -1)) != 200 || !strings.Contains(body, "Trang 1/3 · 456 dòng") {
		t.Fatalf("page 1: %d, %d rows", code, len(rows.FindAllString(body, -1)))
	}
	_, body = e.get(c, "/tasks?page=3")
	if n := len(rows.FindAllString(body, -1)); n != 56 || !strings.Contains(body, "BULK-00449") {
		t.Fatalf("page 3: %d rows, want 56 ending with BULK-00449", n)
	}
	_, body = e.get(c, "/tasks?unit=sxd&status=done")
	if n := len(rows.FindAllString(body, -1)); n != 1 || !strings.Contains(body, "XD-1") {
		t.Fatalf("SXD done: %d rows, want XD-1 alone (the bulk SXD tasks are not started)", n)
	}
	_, body = e.get(c, "/tasks?plan="+url.QueryEscape("Chính quyền số")+"&status=overdue")
	if n := len(rows.FindAllString(body, -1)); n != 1 || !strings.Contains(body, "CDS-1") {
		t.Fatalf("overdue in Chính quyền số: %d rows, want CDS-1 alone", n)
	}
	// The page links keep the filters.
	_, body = e.get(c, "/tasks?status=open")
	if !strings.Contains(body, "page=2&amp;status=open") {
		t.Errorf("the next-page link drops the filter")
	}
}

// TestUnitsSort: the scorecard sorts by a column on the server too (for
// a browser without JavaScript and for long lists).
func TestUnitsSort(t *testing.T) {
	e := newEnv(t, 0)
	c := e.signedIn(tgChair)
	order := func(q string) string {
		_, body := e.get(c, "/units"+q)
		var got []string
		for _, m := range regexp.MustCompile(`<td data-v="([A-Z]+)"`).FindAllStringSubmatch(body, -1) {
			got = append(got, m[1])
		}
		return strings.Join(got, ",")
	}
	if got := order("?sort=pct&dir=desc"); got != "SXD,SNV,STTTT" {
		t.Errorf("by done %% descending: %s", got)
	}
	if got := order("?sort=unit"); got != "SNV,STTTT,SXD" {
		t.Errorf("by unit: %s", got)
	}
	if got := order("?sort=overdue&dir=desc"); !strings.HasSuffix(got, "SXD") {
		t.Errorf("by overdue descending: %s", got)
	}
}

// TestOverview_Indicators: a committee with indicators sees their summary
// on the overview (achieved, not achieved, no value yet); one without
// sees no such section.
func TestOverview_Indicators(t *testing.T) {
	e := newEnv(t, 0)
	c := e.signedIn(tgChair)
	if _, body := e.get(c, "/"); strings.Contains(body, "chỉ tiêu đạt") {
		t.Fatalf("overview without indicators shows their summary")
	}
	if err := e.store.Update(context.Background(), func(tx tasks.Tx) error {
		for i, target := range []string{"≥ 95%", "≥ 90%", "100%"} {
			tg, err := tasks.ParseTarget(target)
			if err != nil {
				return err
			}
			code := fmt.Sprintf("CT-%02d", i+1)
			if err := tx.PutIndicator(tasks.Indicator{Code: code, Name: "Tỷ lệ hồ sơ " + code, Unit: "SNV", Target: tg, Created: e.clock.Now()}); err != nil {
				return err
			}
			if i == 2 {
				continue // no value yet
			}
			v := tasks.IndicatorValue{Indicator: code, Value: 92, Measure: "%", AsOf: tasks.DateOf(e.clock.Now(), hanoi), At: e.clock.Now()}
			if err := tx.AddIndicatorValue(&v); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_, body := e.get(c, "/")
	for _, want := range []string{"Chỉ tiêu", "1/3 chỉ tiêu đạt", "Chưa đạt: 1", "Chưa có số liệu: 1"} {
		if !strings.Contains(body, want) {
			t.Errorf("overview with 3 indicators (92%% against ≥ 95%% and ≥ 90%%, one without value) lacks %q", want)
		}
	}
}
