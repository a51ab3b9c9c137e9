package dashboard_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"steerbot/dashboard"
	"steerbot/storage"
	"steerbot/tasks"
	"steerbot/tasks/taskstest"
)

const token = "123456:TEST-token"

var hanoi = mustLoc("Asia/Ho_Chi_Minh")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// The committee of the tests: a chair, the secretariat, the head of SNV
// and of STTTT, and a member removed.
const (
	tgChair   = 111
	tgSec     = 222
	tgSNV     = 333
	tgSTTTT   = 444
	tgRemoved = 555
	tgStrange = 999
)

// env is a dashboard over a real store with a committee in it.
type env struct {
	t     testing.TB
	store *storage.Store
	clock *taskstest.Clock
	srv   *dashboard.Server
	http  *httptest.Server
	ids   map[int64]int64 // telegram id → member id
}

// newEnv opens a store in t.TempDir(), records the committee and n extra
// tasks for SNV (besides the fixed ones) and starts the dashboard.
func newEnv(t testing.TB, n int) *env {
	t.Helper()
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, hanoi)
	clock := taskstest.NewClock(now)
	st, err := storage.Open(filepath.Join(t.TempDir(), "steerbot.db"), storage.WithClock(clock))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	e := &env{t: t, store: st, clock: clock, ids: map[int64]int64{}}
	day := func(y int, m time.Month, d int) tasks.Date { return tasks.Date{Year: y, Month: m, Day: d} }
	err = st.Update(context.Background(), func(tx tasks.Tx) error {
		for _, u := range []tasks.Unit{{Code: "SNV", Name: "Sở Nội vụ"}, {Code: "STTTT", Name: "Sở Thông tin và Truyền thông"}, {Code: "SXD", Name: "Sở Xây dựng"}} {
			if err := tx.PutUnit(u); err != nil {
				return err
			}
		}
		for _, m := range []tasks.Member{
			{Name: "Nguyễn Văn Chủ", Role: tasks.RoleChair, TelegramID: tgChair},
			{Name: "Trần Thị Thư", Role: tasks.RoleSecretariat, TelegramID: tgSec, Lang: "en"},
			{Name: "Lê Văn Nội", Role: tasks.RoleUnitHead, Unit: "SNV", TelegramID: tgSNV},
			{Name: "Phạm Tin", Role: tasks.RoleUnitDelegate, Unit: "STTTT", TelegramID: tgSTTTT},
			{Name: "Cũ", Role: tasks.RoleUnitHead, Unit: "SXD", TelegramID: tgRemoved},
		} {
			if err := tx.PutMember(&m); err != nil {
				return err
			}
			e.ids[m.TelegramID] = m.ID
		}
		if _, err := tasks.RemoveMember(tx, e.ids[tgRemoved], e.ids[tgSec], now); err != nil {
			return err
		}
		add := func(t tasks.Task) error {
			t.Created, t.Updated = now.AddDate(0, -2, 0), now.AddDate(0, -2, 0)
			return tasks.Record(tx, t, &tasks.Update{Task: t.Code, At: t.Created, Via: tasks.ViaImport, NewStatus: t.Status})
		}
		fixed := []tasks.Task{
			{Code: "CCHC-1", Title: "Số hoá hồ sơ thủ tục hành chính", Unit: "SNV", Group: "Kế hoạch CCHC 2026", Deadline: day(2026, 11, 20), Status: tasks.InProgress, Progress: 60, Note: "đang chờ kinh phí"},
			{Code: "CCHC-2", Title: "Rà soát quy trình nội bộ", Unit: "SNV", Group: "Kế hoạch CCHC 2026", Deadline: day(2026, 10, 31), DeadlineText: "Tháng 10/2026", Status: tasks.Done, Progress: 100, CompletedAt: now.AddDate(0, -2, 0)},
			{Code: "CDS-1", Title: "Nền tảng dữ liệu dùng chung", Unit: "STTTT", Group: "Chính quyền số", Deadline: day(2026, 11, 1), Status: tasks.NotStarted, Note: "chưa có nhà thầu"},
			{Code: "CDS-2", Title: "Cổng dịch vụ công", Unit: "STTTT", CoUnits: []string{"SNV"}, Group: "Chính quyền số", Deadline: day(2027, 3, 31), DeadlineText: "Quý I/2027", Status: tasks.InProgress, Progress: 30},
			{Code: "CDS-3", Title: "Báo cáo định kỳ", Unit: "STTTT", Group: "Chính quyền số", DeadlineText: "Thường xuyên", Status: tasks.InProgress},
			{Code: "XD-1", Title: "Cấp phép xây dựng trực tuyến", Unit: "SXD", Group: "Chính quyền số", Deadline: day(2026, 9, 30), Status: tasks.Done, Progress: 100, CompletedAt: now.AddDate(0, -1, 0)},
		}
		for _, t := range fixed {
			if err := add(t); err != nil {
				return err
			}
		}
		for i := range n {
			if err := add(tasks.Task{Code: fmt.Sprintf("BULK-%05d", i), Title: "Nhiệm vụ số " + fmt.Sprint(i), Unit: []string{"SNV", "STTTT", "SXD"}[i%3],
				Group: "Kế hoạch CCHC 2026", Deadline: day(2026, 12, 1+i%28), Status: []tasks.Status{tasks.InProgress, tasks.Done, tasks.NotStarted}[i%3]}); err != nil {
				return err
			}
		}
		// A report with evidence on CCHC-1, by SNV's head.
		snv, err := tx.MemberByTelegram(tgSNV)
		if err != nil {
			return err
		}
		t, err := tx.Task("CCHC-1")
		if err != nil {
			return err
		}
		p := 70
		if _, err := (tasks.Policy{}).Commit(tx, &t, tasks.Change{Progress: &p, Note: "đã trình UBND", Attachments: []tasks.Attachment{{FileID: "FILE-1", Name: "to-trinh.pdf", Kind: "document", Size: 1200}}}, snv, tasks.ViaCommand, now.Add(-time.Hour)); err != nil {
			return err
		}
		// Two digests sent before meetings.
		for i, done := range []int{0, 1} {
			snap := tasks.Snapshot{At: now.AddDate(0, 0, -14+7*i), Tasks: nil}
			for j, c := range []string{"CCHC-1", "CCHC-2", "CDS-1", "CDS-2", "CDS-3", "XD-1"} {
				st := tasks.InProgress
				if j < done || c == "XD-1" {
					st = tasks.Done
				}
				snap.Tasks = append(snap.Tasks, tasks.TaskState{Code: c, Status: st}) // in code order
			}
			if err := tx.PutSnapshot(snap); err != nil {
				return err
			}
			m := tasks.Meeting{Title: fmt.Sprintf("Phiên họp thứ %d", i+1), Start: snap.At.Add(24 * time.Hour), DigestSentAt: snap.At}
			if err := tx.PutMeeting(&m); err != nil {
				return err
			}
		}
		return tx.PutMeeting(&tasks.Meeting{Title: "Phiên họp thứ 3", Start: now.AddDate(0, 0, 5)})
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	e.http = httptest.NewServer(nil)
	srv, err := dashboard.New(dashboard.Options{
		Store: st, Clock: clock, Loc: hanoi, Token: token, URL: e.http.URL, MaxAge: time.Hour,
		Lang: "vi", CommitteeName: "Ban chỉ đạo CCHC", DueSoonDays: 7,
		BotUsername: func() string { return "steer_test_bot" },
	})
	if err != nil {
		t.Fatalf("dashboard.New: %v", err)
	}
	e.srv = srv
	e.http.Config.Handler = srv.Handler()
	t.Cleanup(e.http.Close)
	return e
}

// client is a browser: a cookie jar that follows redirects.
func (e *env) client() *http.Client {
	jar, _ := cookiejar.New(nil) // never fails without options
	return &http.Client{Jar: jar}
}

// link makes a one-time link for the member with that Telegram id, as
// /dashboard does.
func (e *env) link(tg int64) string {
	e.t.Helper()
	var u string
	err := e.store.Update(context.Background(), func(tx tasks.Tx) error {
		m, err := tx.MemberByTelegram(tg)
		if err != nil {
			return err
		}
		u, err = e.srv.NewLink(tx, m, e.clock.Now())
		return err
	})
	if err != nil {
		e.t.Fatalf("link: %v", err)
	}
	return u
}

// open opens a one-time link as a browser does: the page, then its form.
func (e *env) open(c *http.Client, link string) (int, string) {
	e.t.Helper()
	if code, body := e.get(c, link); code != http.StatusOK || !strings.Contains(body, `id="link-form"`) {
		e.t.Fatalf("link page: %d\n%s", code, body)
	}
	resp, err := c.PostForm(link, nil)
	if err != nil {
		e.t.Fatalf("POST link: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("read: %v", err)
	}
	return resp.StatusCode, string(b)
}

// signedIn returns a client signed in through a one-time link.
func (e *env) signedIn(tg int64) *http.Client {
	e.t.Helper()
	c := e.client()
	if code, body := e.open(c, e.link(tg)); code != http.StatusOK {
		e.t.Fatalf("sign in %d: %d %s", tg, code, body)
	}
	return c
}

// get fetches a URL (absolute, or a path on the dashboard).
func (e *env) get(c *http.Client, u string) (int, string) {
	e.t.Helper()
	if strings.HasPrefix(u, "/") {
		u = e.http.URL + u
	}
	resp, err := c.Get(u)
	if err != nil {
		e.t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("read %s: %v", u, err)
	}
	return resp.StatusCode, string(b)
}

// postInitData posts initData as the page's script does.
func (e *env) postInitData(c *http.Client, data string) int {
	e.t.Helper()
	resp, err := c.PostForm(e.http.URL+"/auth/telegram", url.Values{"init_data": {data}})
	if err != nil {
		e.t.Fatalf("POST /auth/telegram: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
