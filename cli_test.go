package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"steerbot/sample"
	"steerbot/storage"
	"steerbot/taskfile"
	"steerbot/tasks"
)

// The command line of DESIGN.md ("Command line (contract)"), driven
// in-process through cli() with buffers, and once through the built binary
// (TestCLI_Binary) for the exit statuses as a shell sees them.

// cliResult is what one command gave back to the user.
type cliResult struct {
	code           int
	stdout, stderr string
}

func (r cliResult) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// cliGetenv returns a getenv that reads m only, so that the tester's own
// STEERBOT_* variables never leak into a test.
func cliGetenv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// cliRun runs one command line with no environment.
func cliRun(t testing.TB, args ...string) cliResult {
	t.Helper()
	return cliRunEnv(t, nil, args...)
}

// cliRunEnv runs one command line with the environment env.
func cliRunEnv(t testing.TB, env map[string]string, args ...string) cliResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli(context.Background(), args, &stdout, &stderr, cliGetenv(env))
	return cliResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// cliWant fails the test unless r exited with code.
func cliWant(t testing.TB, r cliResult, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit status %d, want %d\n%v", r.code, code, r)
	}
}

// cliSetup is one committee's working directory: a config file whose
// database lives in a fresh temporary directory.
type cliSetup struct {
	dir, config, db string
}

// cliNew writes a config with storage.path in a temporary directory, no
// HTTP listener, and extra YAML appended (top-level keys other than storage
// and http).
func cliNew(t testing.TB, extra string) cliSetup {
	t.Helper()
	dir := t.TempDir()
	s := cliSetup{dir: dir, config: filepath.Join(dir, "steerbot.yaml"), db: filepath.Join(dir, "steerbot.db")}
	cliWriteConfig(t, s.config, s.db, "", extra)
	return s
}

// cliWriteConfig writes a config file for the database db with http.listen
// set to listen.
func cliWriteConfig(t testing.TB, path, db, listen, extra string) {
	t.Helper()
	cliWriteFile(t, path, fmt.Appendf(nil, "storage: {path: %q}\nhttp: {listen: %q}\n%s", db, listen, extra))
}

// run runs a subcommand with -config pointing at the setup's config.
func (s cliSetup) run(t testing.TB, cmd string, args ...string) cliResult {
	t.Helper()
	return cliRun(t, append([]string{cmd, "-config", s.config}, args...)...)
}

// importOK imports file and fails the test unless it succeeds.
func (s cliSetup) importOK(t testing.TB, file string) cliResult {
	t.Helper()
	r := s.run(t, "import", file)
	cliWant(t, r, exitOK)
	return r
}

func cliWriteFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// cliSampleFile writes the sample committee's CSV (79 tasks, 47 done) into
// dir and returns its path.
func cliSampleFile(t testing.TB, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "committee.csv")
	cliWriteFile(t, p, sample.CSV)
	return p
}

// cliState is everything an import may change in a database.
type cliState struct {
	Tasks   []tasks.Task
	Units   []tasks.Unit
	History map[string][]tasks.Update
}

// cliRead opens the database at path (which must not be held), reads its
// state and closes it again.
func cliRead(t testing.TB, path string) cliState {
	t.Helper()
	st, err := storage.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer st.Close()
	return cliReadStore(t, st)
}

// cliReadStore reads the state of an open store.
func cliReadStore(t testing.TB, st *storage.Store) cliState {
	t.Helper()
	s := cliState{History: map[string][]tasks.Update{}}
	err := st.View(context.Background(), func(tx tasks.Tx) error {
		var err error
		if s.Tasks, err = tx.Tasks(tasks.TaskFilter{}); err != nil {
			return err
		}
		if s.Units, err = tx.Units(); err != nil {
			return err
		}
		for _, tk := range s.Tasks {
			if s.History[tk.Code], err = tx.History(tk.Code, 0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read store: %v", err)
	}
	slices.SortFunc(s.Tasks, func(a, b tasks.Task) int { return strings.Compare(a.Code, b.Code) })
	slices.SortFunc(s.Units, func(a, b tasks.Unit) int { return strings.Compare(a.Code, b.Code) })
	return s
}

// task returns the task with code, failing the test when there is none.
func (s cliState) task(t testing.TB, code string) tasks.Task {
	t.Helper()
	for _, tk := range s.Tasks {
		if tk.Code == code {
			return tk
		}
	}
	t.Fatalf("no task %s among %d", code, len(s.Tasks))
	return tasks.Task{}
}

// cliSameState fails the test unless got and want agree in every task
// field, every unit and every task's history.
func cliSameState(t testing.TB, got, want cliState) {
	t.Helper()
	if len(got.Tasks) != len(want.Tasks) {
		t.Fatalf("%d tasks, want %d", len(got.Tasks), len(want.Tasks))
	}
	for i := range want.Tasks {
		if !reflect.DeepEqual(got.Tasks[i], want.Tasks[i]) {
			t.Errorf("task changed:\n got %+v\nwant %+v", got.Tasks[i], want.Tasks[i])
		}
	}
	if !reflect.DeepEqual(got.Units, want.Units) {
		t.Errorf("units=%v, want %v", got.Units, want.Units)
	}
	for code, h := range want.History {
		if len(got.History[code]) != len(h) {
			t.Errorf("%s has %d updates, want %d", code, len(got.History[code]), len(h))
		}
	}
}

// cliFileFields is a task as the task file gives it: what an export and a
// re-import must keep.
func cliFileFields(tk tasks.Task) string {
	return fmt.Sprintf("%s|%s|%s|%v|%s|%s|%s|%s|%d", tk.Code, tk.Title, tk.Unit, tk.CoUnits, tk.Group, tk.Source, tk.Deadline, tk.Status, tk.Progress)
}

// cliHold opens the database as a running bot would, holding its lock
// until the test ends.
func cliHold(t testing.TB, path string) *storage.Store {
	t.Helper()
	st, err := storage.Open(path)
	if err != nil {
		t.Fatalf("hold %s: %v", path, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// cliLines splits output into its lines, without the last newline.
func cliLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func cliNotExist(t testing.TB, path string) {
	t.Helper()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists (stat: %v), want nothing written", path, err)
	}
}

const cliGood = "testdata/cli/good.csv"

func TestCLI_Usage(t *testing.T) {
	bad := cliNew(t, "") // valid, but no token for run
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		code   int
		stdout string // substring, "" for none expected
		stderr string // substring
	}{
		{"no arguments", nil, nil, exitUsage, "", "usage: steerbot COMMAND"},
		{"unknown command", []string{"frobnicate"}, nil, exitUsage, "", `unknown command "frobnicate"`},
		{"help", []string{"help"}, nil, exitOK, "usage: steerbot COMMAND", ""},
		{"unknown flag", []string{"digest", "-config", bad.config, "-bogus"}, nil, exitUsage, "", "flag provided but not defined: -bogus"},
		{"import without a file", []string{"import", "-config", bad.config}, nil, exitUsage, "", "usage: steerbot import"},
		{"import of two files", []string{"import", "-config", bad.config, "a.csv", "b.csv"}, nil, exitUsage, "", "usage: steerbot import"},
		{"export without -o", []string{"export", "-config", bad.config}, nil, exitUsage, "", "usage: steerbot export"},
		{"export to an unknown format", []string{"export", "-config", bad.config, "-o", "tasks.pdf"}, nil, exitUsage, "", "not a .csv or .xlsx file"},
		{"backup without -o", []string{"backup", "-config", bad.config}, nil, exitUsage, "", "usage: steerbot backup"},
		{"restore without a file", []string{"restore", "-config", bad.config}, nil, exitUsage, "", "usage: steerbot restore"},
		{"digest with an argument", []string{"digest", "-config", bad.config, "extra"}, nil, exitUsage, "", "usage: steerbot digest"},
		{"run with a broken config", []string{"run", "-config", "testdata/config/broken.yaml"}, map[string]string{EnvTelegramToken: "1:x"}, exitUsage, "",
			`testdata/config/broken.yaml: telegram.mode: must be polling or webhook, not "longpoll" (line 5)`},
		{"run with a missing config", []string{"run", "-config", filepath.Join(bad.dir, "nope.yaml")}, nil, exitUsage, "", "configuration file not found"},
		{"run without a token", []string{"run", "-config", bad.config}, nil, exitUsage, "", "telegram.token: missing"},
		{"import with a broken config", []string{"import", "-config", "testdata/config/broken.yaml", cliGood}, nil, exitUsage, "", "committee.timezone: unknown time zone"},
		{"digest with a missing config", []string{"digest", "-config", filepath.Join(bad.dir, "nope.yaml")}, nil, exitUsage, "", "configuration file not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cliRunEnv(t, tt.env, tt.args...)
			cliWant(t, r, tt.code)
			if tt.stdout == "" && r.stdout != "" {
				t.Errorf("stdout=%q, want nothing", r.stdout)
			}
			if !strings.Contains(r.stdout, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, r.stdout)
			}
			if !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, r.stderr)
			}
		})
	}
	// None of the refused commands may have created the database.
	cliNotExist(t, bad.db)
}

func TestCLI_Import(t *testing.T) {
	t.Run("CSV with Vietnamese headers, BOM and semicolons", func(t *testing.T) {
		s := cliNew(t, "")
		r := s.importOK(t, cliGood)
		if want := cliGood + ": thêm mới 5, cập nhật 0, không đổi 0 nhiệm vụ; 3 đơn vị mới\n"; r.stdout != want {
			t.Errorf("stdout=%q, want %q", r.stdout, want)
		}
		if r.stderr != "" {
			t.Errorf("stderr=%q, want nothing", r.stderr)
		}
		st := cliRead(t, s.db)
		if len(st.Tasks) != 5 {
			t.Fatalf("%d tasks stored, want 5", len(st.Tasks))
		}
		got := st.task(t, "CCHC-01")
		want := tasks.Task{
			Code: "CCHC-01", Title: "Xây dựng Kế hoạch cải cách hành chính năm 2024", Unit: "SNV",
			CoUnits: []string{"STP", "VP"}, Group: "Kế hoạch CCHC 2023", Source: "TB 125/TB-VP",
			Deadline: tasks.Date{Year: 2023, Month: 9, Day: 30}, Status: tasks.InProgress, Progress: 20,
		}
		if cliFileFields(got) != cliFileFields(want) {
			t.Errorf("CCHC-01=%s\n      want %s", cliFileFields(got), cliFileFields(want))
		}
		if got := st.task(t, "CCHC-02"); got.Unit != "SNV" || got.Status != tasks.Done || got.Progress != 100 || !got.CompletedAt.IsZero() {
			t.Errorf("CCHC-02 unit=%s status=%s progress=%d completed=%v, want SNV (from snv), done, 100, completion unknown",
				got.Unit, got.Status, got.Progress, got.CompletedAt)
		}
		if got := st.task(t, "CQS-02"); !got.Deadline.IsZero() {
			t.Errorf("CQS-02 deadline=%v, want none (empty cell)", got.Deadline)
		}
		if got := st.task(t, "CQS-01"); got.Status != tasks.ProposedCarryover || got.Progress != 60 {
			t.Errorf("CQS-01 status=%s progress=%d, want %s 60", got.Status, got.Progress, tasks.ProposedCarryover)
		}
		wantUnits := []tasks.Unit{{Code: "SNV", Name: "Sở Nội vụ"}, {Code: "STP", Name: "Sở Tư pháp"}, {Code: "VP", Name: "Văn phòng UBND Thành phố"}}
		if !reflect.DeepEqual(st.Units, wantUnits) {
			t.Errorf("units=%v, want %v", st.Units, wantUnits)
		}
		for code, h := range st.History {
			if len(h) != 1 || h[0].Via != tasks.ViaImport {
				t.Errorf("%s history=%+v, want one update via import", code, h)
			}
		}
		// The secretariat checks the import with digest.
		r = s.run(t, "digest")
		cliWant(t, r, exitOK)
		if !strings.Contains(r.stdout, "2/5 nhiệm vụ đã hoàn thành, chiếm 40%") {
			t.Errorf("digest after import lacks 2/5 (40%%):\n%s", r.stdout)
		}
	})

	t.Run("dry run writes nothing", func(t *testing.T) {
		s := cliNew(t, "")
		r := s.run(t, "import", "-dry-run", cliGood)
		cliWant(t, r, exitOK)
		if want := cliGood + ": hợp lệ (chạy thử): sẽ thêm mới 5, cập nhật 0, không đổi 0 nhiệm vụ; 3 đơn vị mới; chưa ghi gì\n"; r.stdout != want {
			t.Errorf("stdout=%q, want %q", r.stdout, want)
		}
		if st := cliRead(t, s.db); len(st.Tasks) != 0 || len(st.Units) != 0 {
			t.Errorf("after a dry run: %d tasks, %d units, want none", len(st.Tasks), len(st.Units))
		}
		// Nor does a dry run of changes to existing tasks.
		s.importOK(t, cliGood)
		before := cliRead(t, s.db)
		changed := filepath.Join(s.dir, "changed.csv")
		cliWriteFile(t, changed, cliChanged(t))
		r = s.run(t, "import", "-dry-run", changed)
		cliWant(t, r, exitOK)
		if !strings.Contains(r.stdout, "sẽ thêm mới 0, cập nhật 2, không đổi 3") {
			t.Errorf("dry run of changes: stdout=%q, want 2 to update, 3 unchanged", r.stdout)
		}
		cliSameState(t, cliRead(t, s.db), before)
	})

	t.Run("XLSX", func(t *testing.T) {
		// STP comes from the config, SNV and VP from the file's unit names.
		s := cliNew(t, "units: [{code: STP, name: \"Sở Tư pháp\"}]\n")
		file := filepath.Join(s.dir, "nhiem-vu.xlsx")
		cliWriteXLSX(t, file)
		r := s.importOK(t, file)
		if want := file + ": thêm mới 2, cập nhật 0, không đổi 0 nhiệm vụ; 2 đơn vị mới\n"; r.stdout != want {
			t.Errorf("stdout=%q, want %q", r.stdout, want)
		}
		st := cliRead(t, s.db)
		want := []string{
			"XLSX-01|Số hóa hồ sơ thủ tục hành chính|SNV|[STP VP]|Chính quyền số|KH 01/KH-UBND|2024-03-31|in_progress|60",
			"XLSX-02|Kết nối cổng dịch vụ công|VP|[]|Chính quyền số||2024-06-30|done|100",
		}
		var got []string
		for _, tk := range st.Tasks {
			got = append(got, cliFileFields(tk))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("tasks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("bad rows: every problem, nothing written", func(t *testing.T) {
		s := cliNew(t, "")
		s.importOK(t, cliGood)
		before := cliRead(t, s.db)
		const file = "testdata/cli/bad.csv"
		r := s.run(t, "import", file)
		cliWant(t, r, exitError)
		want := []string{
			file + `: row 3, deadline: "31/02/2024" is not a date`,
			file + `: row 4, title: missing`,
			file + `: row 5, progress: "150%" is not a whole number from 0 to 100`,
			file + `: row 6, status: "xong rồi chứ" is not a status`,
			file + `: row 6, unit: "SXX" is not a known unit (give unit_name to create it)`,
			file + `: row 7, code: "CCHC-90" repeats row 3`,
			`steerbot import: 6 lỗi; không nhập gì`,
		}
		if got := cliLines(r.stderr); !slices.Equal(got, want) {
			t.Errorf("stderr:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if r.stdout != "" {
			t.Errorf("stdout=%q, want nothing", r.stdout)
		}
		// Row 2 is good and changes CCHC-01 (20% → 35%): it must not be
		// written either.
		after := cliRead(t, s.db)
		cliSameState(t, after, before)
		if p := after.task(t, "CCHC-01").Progress; p != 20 {
			t.Errorf("CCHC-01 progress=%d, want 20 (the good row of a bad file is not imported)", p)
		}
	})

	t.Run("bad rows into a new database", func(t *testing.T) {
		s := cliNew(t, "")
		r := s.run(t, "import", "testdata/cli/bad.csv")
		cliWant(t, r, exitError)
		if st := cliRead(t, s.db); len(st.Tasks) != 0 {
			t.Errorf("%d tasks stored, want none", len(st.Tasks))
		}
	})

	t.Run("unknown extension", func(t *testing.T) {
		s := cliNew(t, "")
		r := s.run(t, "import", filepath.Join(s.dir, "tasks.ods"))
		cliWant(t, r, exitUsage)
		if lines := cliLines(r.stderr); len(lines) != 1 || !strings.Contains(lines[0], "tasks.ods") || !strings.Contains(lines[0], "not a .csv or .xlsx file") {
			t.Errorf("stderr=%q, want one line naming tasks.ods and the formats", r.stderr)
		}
		cliNotExist(t, s.db)
	})

	t.Run("missing file", func(t *testing.T) {
		s := cliNew(t, "")
		missing := filepath.Join(s.dir, "missing.csv")
		r := s.run(t, "import", missing)
		cliWant(t, r, exitError)
		if lines := cliLines(r.stderr); len(lines) != 1 || !strings.Contains(lines[0], missing) || !strings.Contains(lines[0], "no such file") {
			t.Errorf("stderr=%q, want one line naming %s and saying it does not exist", r.stderr, missing)
		}
		cliNotExist(t, s.db)
	})

	t.Run("not a workbook", func(t *testing.T) {
		s := cliNew(t, "")
		file := filepath.Join(s.dir, "tasks.xlsx")
		cliWriteFile(t, file, []byte("Mã,Nhiệm vụ\nCCHC-01,x\n"))
		r := s.run(t, "import", file)
		cliWant(t, r, exitError)
		if !strings.Contains(r.stderr, "not a readable XLSX workbook") {
			t.Errorf("stderr=%q, want it to say the workbook cannot be read", r.stderr)
		}
	})

	t.Run("re-import updates and records it", func(t *testing.T) {
		s := cliNew(t, "")
		s.importOK(t, cliGood)
		changed := filepath.Join(s.dir, "changed.csv")
		cliWriteFile(t, changed, cliChanged(t))
		r := s.importOK(t, changed)
		if want := changed + ": thêm mới 0, cập nhật 2, không đổi 3 nhiệm vụ; 0 đơn vị mới\n"; r.stdout != want {
			t.Errorf("stdout=%q, want %q", r.stdout, want)
		}
		st := cliRead(t, s.db)
		if tk := st.task(t, "CCHC-01"); tk.Progress != 45 || tk.Status != tasks.InProgress {
			t.Errorf("CCHC-01 progress=%d status=%s, want 45 in_progress", tk.Progress, tk.Status)
		}
		if tk := st.task(t, "CQS-01"); tk.Deadline != (tasks.Date{Year: 2023, Month: 11, Day: 30}) {
			t.Errorf("CQS-01 deadline=%v, want 2023-11-30", tk.Deadline)
		}
		h := st.History["CCHC-01"]
		if len(h) != 2 {
			t.Fatalf("CCHC-01 has %d updates, want 2 (creation, re-import)", len(h))
		}
		u := h[1]
		if u.Via != tasks.ViaImport || u.OldProgress != 20 || u.NewProgress != 45 || u.ByName != "import" {
			t.Errorf("re-import update via=%s progress %d→%d by %q, want via import 20→45 by \"import\"", u.Via, u.OldProgress, u.NewProgress, u.ByName)
		}
		h = st.History["CQS-01"]
		if len(h) != 2 || h[1].Via != tasks.ViaImport || h[1].OldDeadline != (tasks.Date{Year: 2023, Month: 11, Day: 15}) || h[1].NewDeadline != (tasks.Date{Year: 2023, Month: 11, Day: 30}) {
			t.Errorf("CQS-01 history=%+v, want a second update via import moving the deadline 15/11 → 30/11", h)
		}
		for _, code := range []string{"CCHC-02", "CCHC-03", "CQS-02"} {
			if n := len(st.History[code]); n != 1 {
				t.Errorf("%s (unchanged) has %d updates, want 1", code, n)
			}
		}
	})
}

// cliChanged returns testdata/cli/good.csv with CCHC-01 at 45% instead of
// 20% and CQS-01 due 30/11/2023 instead of 15/11/2023.
func cliChanged(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile(cliGood)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, r := range [][2]string{{";20%;", ";45%;"}, {"15/11/2023", "30/11/2023"}} {
		if strings.Count(s, r[0]) != 1 {
			t.Fatalf("%s: %q is not there once; keep cliChanged in step", cliGood, r[0])
		}
		s = strings.Replace(s, r[0], r[1], 1)
	}
	return []byte(s)
}

// cliWriteXLSX writes a workbook as a secretariat would keep it: a title
// row above Vietnamese headers, real date cells and progress formatted as
// percentages.
func cliWriteXLSX(t testing.TB, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	rows := [][]any{
		{"Danh mục nhiệm vụ chuyển đổi số"},
		{"Mã", "Nội dung", "Đơn vị chủ trì", "Tên đơn vị", "Hạn", "Trạng thái", "Tiến độ", "Nhóm", "Đơn vị phối hợp", "Văn bản"},
		{"XLSX-01", "Số hóa hồ sơ thủ tục hành chính", "SNV", "Sở Nội vụ", time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC), "Đang triển khai", 0.6, "Chính quyền số", "STP; VP", "KH 01/KH-UBND"},
		{"XLSX-02", "Kết nối cổng dịch vụ công", "VP", "Văn phòng UBND Thành phố", time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC), "Hoàn thành", 1, "Chính quyền số", "", ""},
	}
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetRow(sh, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 9}) // 0%
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(sh, "G3", "G4", pct); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func TestCLI_RoundTrip(t *testing.T) {
	// Both formats speak the committee's language, and both import back.
	langs := []struct{ lang, config, written, same, fresh string }{
		{"vi", "", "%s: đã ghi\n", "%s: thêm mới 0, cập nhật 0, không đổi 81 nhiệm vụ; 0 đơn vị mới\n", "%s: thêm mới 81, cập nhật 0, không đổi 0 nhiệm vụ; %d đơn vị mới\n"},
		{"en", "committee: {language: en}\n", "%s: written\n", "%s: 0 created, 0 updated, 81 unchanged; 0 new units\n", "%s: 81 created, 0 updated, 0 unchanged; %d new units\n"},
	}
	for _, l := range langs {
		for _, ext := range []string{"csv", "xlsx"} {
			t.Run(l.lang+" "+ext, func(t *testing.T) {
				cliRoundTrip(t, ext, l.config, l.written, l.same, l.fresh)
			})
		}
	}
}

// cliRoundTrip exports a committee to a file of type ext and imports it
// back, into the same database and into a new one, checking what the
// commands say with the formats written, same and fresh.
func cliRoundTrip(t *testing.T, ext, config, written, same, freshMsg string) {
	s := cliNew(t, config)
	// The sample plan, then a file with co-units, a second group,
	// a task without a deadline and units named only in the file.
	s.importOK(t, cliSampleFile(t, s.dir))
	s.importOK(t, cliGood)
	before := cliRead(t, s.db)
	if len(before.Tasks) != 81 {
		t.Fatalf("%d tasks before the export, want 81", len(before.Tasks))
	}
	file := filepath.Join(s.dir, "export."+ext)
	r := s.run(t, "export", "-o", file)
	cliWant(t, r, exitOK)
	if want := fmt.Sprintf(written, file); r.stdout != want {
		t.Errorf("export stdout=%q, want %q", r.stdout, want)
	}

	// Importing the export into the same database changes nothing:
	// no field, no history.
	r = s.importOK(t, file)
	if want := fmt.Sprintf(same, file); r.stdout != want {
		t.Errorf("re-import stdout=%q, want %q", r.stdout, want)
	}
	cliSameState(t, cliRead(t, s.db), before)

	// Into a new database it gives every task and unit back.
	fresh := cliNew(t, config)
	r = fresh.importOK(t, file)
	if want := fmt.Sprintf(freshMsg, file, len(before.Units)); r.stdout != want {
		t.Errorf("import into a new database: stdout=%q, want %q", r.stdout, want)
	}
	after := cliRead(t, fresh.db)
	if len(after.Tasks) != len(before.Tasks) {
		t.Fatalf("%d tasks in the new database, want %d", len(after.Tasks), len(before.Tasks))
	}
	for i := range before.Tasks {
		if got, want := cliFileFields(after.Tasks[i]), cliFileFields(before.Tasks[i]); got != want {
			t.Errorf("task after the round trip:\n got %s\nwant %s", got, want)
		}
	}
	if !reflect.DeepEqual(after.Units, before.Units) {
		t.Errorf("units after the round trip=%v, want %v", after.Units, before.Units)
	}
}

func TestCLI_Digest(t *testing.T) {
	s := cliNew(t, "")
	s.importOK(t, cliSampleFile(t, s.dir))

	t.Run("Vietnamese", func(t *testing.T) {
		r := s.run(t, "digest")
		cliWant(t, r, exitOK)
		for _, want := range []string{
			"📊 Ban chỉ đạo CCHC, chuyển đổi số — Kế hoạch CCHC 2023 — tổng hợp ngày ", // one plan: named in the title
			"47/79 nhiệm vụ đã hoàn thành, chiếm 59%",
			"đã hoàn thành 47 · đang triển khai 25 · chưa triển khai 4 · đề xuất dừng thực hiện 1 · đề xuất chuyển tiếp 2",
			"Chờ Ban chỉ đạo quyết định (3)",
			"• CCHC-42 Thanh toán trực tuyến nghĩa vụ tài chính về đất đai — đề xuất dừng thực hiện",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("digest lacks %q:\n%s", want, r.stdout)
			}
		}
		if strings.ContainsAny(r.stdout, "<>") {
			t.Errorf("digest has HTML markup, want plain text:\n%s", r.stdout)
		}
		if r.stderr != "" {
			t.Errorf("stderr=%q, want nothing", r.stderr)
		}
	})

	t.Run("group", func(t *testing.T) {
		r := s.run(t, "digest", "-group", "Kế hoạch CCHC 2023")
		cliWant(t, r, exitOK)
		if !strings.Contains(r.stdout, "— Kế hoạch CCHC 2023 — tổng hợp ngày") || !strings.Contains(r.stdout, "47/79 nhiệm vụ đã hoàn thành, chiếm 59%") {
			t.Errorf("digest of the group:\n%s", r.stdout)
		}
		g := cliNew(t, "")
		g.importOK(t, cliGood)
		r = g.run(t, "digest", "-group", "Chính quyền số")
		cliWant(t, r, exitOK)
		if !strings.Contains(r.stdout, "1/2 nhiệm vụ đã hoàn thành, chiếm 50%") || strings.Contains(r.stdout, "CCHC-0") {
			t.Errorf("digest of Chính quyền số: want 1/2 (50%%) and no CCHC task:\n%s", r.stdout)
		}
		r = g.run(t, "digest", "-group", "Không có")
		cliWant(t, r, exitError)
		if want := "steerbot: digest: no tasks in group \"Không có\"\n"; r.stderr != want {
			t.Errorf("stderr=%q, want %q", r.stderr, want)
		}
	})

	t.Run("English", func(t *testing.T) {
		en := cliNew(t, "committee: {language: en, name: \"Hanoi reform committee\"}\n")
		en.importOK(t, cliSampleFile(t, en.dir))
		r := en.run(t, "digest")
		cliWant(t, r, exitOK)
		for _, want := range []string{"📊 Hanoi reform committee — Kế hoạch CCHC 2023 — digest of ", "47 of 79 tasks done, 59%", "done 47 · in progress 25 · not started 4"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("English digest lacks %q:\n%s", want, r.stdout)
			}
		}
		if strings.Contains(r.stdout, "hoàn thành") {
			t.Errorf("English digest has Vietnamese words:\n%s", r.stdout)
		}
	})
}

func TestCLI_Backup(t *testing.T) {
	s := cliNew(t, "")
	s.importOK(t, cliGood)
	want := cliRead(t, s.db)
	out := filepath.Join(s.dir, "backup", "steerbot-copy.db")
	if err := os.Mkdir(filepath.Dir(out), 0o700); err != nil {
		t.Fatal(err)
	}
	r := s.run(t, "backup", "-o", out)
	cliWant(t, r, exitOK)
	if r.stdout != out+": đã ghi\n" {
		t.Errorf("stdout=%q, want %q", r.stdout, out+": đã ghi\n")
	}
	cliSameState(t, cliRead(t, out), want)

	t.Run("unwritable place", func(t *testing.T) {
		r := s.run(t, "backup", "-o", filepath.Join(s.dir, "no-such-dir", "b.db"))
		cliWant(t, r, exitError)
		if len(cliLines(r.stderr)) != 1 || !strings.Contains(r.stderr, "backup") {
			t.Errorf("stderr=%q, want one line about the backup", r.stderr)
		}
	})
}

// cliFakeBot is the local HTTP listener of a running bot, as the command
// line sees it: it answers /backup, /export and /digest from the database
// the test holds, and records what was asked.
type cliFakeBot struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []string // request URIs
}

func cliNewFakeBot(t *testing.T, st *storage.Store) *cliFakeBot {
	t.Helper()
	fb := &cliFakeBot{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		if _, err := st.Backup(r.Context(), w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	mux.HandleFunc("GET /export", func(w http.ResponseWriter, r *http.Request) {
		format := taskfile.XLSX
		if r.URL.Query().Get("format") == "csv" {
			format = taskfile.CSV
		}
		data, err := exportTasks(r.Context(), st, DefaultConfig(), format, time.Now())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_, _ = w.Write(data)
	})
	mux.HandleFunc("GET /digest", func(w http.ResponseWriter, r *http.Request) {
		if g := r.URL.Query().Get("group"); g == "busy" {
			http.Error(w, "the bot is busy", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintf(w, "digest from the running bot, group %q\n", r.URL.Query().Get("group"))
	})
	fb.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fb.mu.Lock()
		fb.got = append(fb.got, r.URL.RequestURI())
		fb.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(fb.srv.Close)
	return fb
}

func (fb *cliFakeBot) listen() string { return strings.TrimPrefix(fb.srv.URL, "http://") }

// asked returns the requests the bot got whose URI starts with prefix.
func (fb *cliFakeBot) asked(prefix string) []string {
	fb.mu.Lock()
	defer fb.mu.Unlock()
	var out []string
	for _, u := range fb.got {
		if strings.HasPrefix(u, prefix) {
			out = append(out, u)
		}
	}
	return out
}

func TestCLI_HeldDatabase(t *testing.T) {
	t.Parallel()
	// A database with tasks, then held as a running bot holds it.
	s := cliNew(t, "")
	s.importOK(t, cliGood)
	want := cliRead(t, s.db)
	held := cliHold(t, s.db)

	// The same database and bot, reachable through http.listen.
	fb := cliNewFakeBot(t, held)
	via := cliSetup{dir: s.dir, db: s.db, config: filepath.Join(s.dir, "via.yaml")}
	cliWriteConfig(t, via.config, s.db, fb.listen(), "")

	// A bot whose listener does not answer (hung or gone).
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	dead := cliSetup{dir: s.dir, db: s.db, config: filepath.Join(s.dir, "dead.yaml")}
	cliWriteConfig(t, dead.config, s.db, strings.TrimPrefix(gone.URL, "http://"), "")

	out := t.TempDir()
	backup := filepath.Join(out, "old.db")
	if err := held.BackupFile(context.Background(), backup); err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(out, "changed.csv")
	cliWriteFile(t, changed, cliChanged(t))

	// refused checks one clear line saying a running bot holds the file.
	refused := func(t *testing.T, r cliResult) {
		t.Helper()
		cliWant(t, r, exitError)
		lines := cliLines(r.stderr)
		if len(lines) != 1 || !strings.Contains(lines[0], "held by a running bot") || !strings.Contains(lines[0], s.db) {
			t.Errorf("stderr=%q, want one line saying a running bot holds %s", r.stderr, s.db)
		}
		if r.stdout != "" {
			t.Errorf("stdout=%q, want nothing", r.stdout)
		}
	}
	// written checks the command said it wrote file.
	written := func(t *testing.T, r cliResult, file string) {
		t.Helper()
		cliWant(t, r, exitOK)
		if r.stdout != file+": đã ghi\n" {
			t.Errorf("stdout=%q, want %q", r.stdout, file+": đã ghi\n")
		}
	}
	// oneLine checks one line on stderr that says every one of says.
	oneLine := func(t *testing.T, r cliResult, says ...string) {
		t.Helper()
		cliWant(t, r, exitError)
		lines := cliLines(r.stderr)
		for _, s := range says {
			if len(lines) != 1 || !strings.Contains(lines[0], s) {
				t.Errorf("stderr=%q, want one line saying %q", r.stderr, s)
			}
		}
		if r.stdout != "" {
			t.Errorf("stdout=%q, want nothing", r.stdout)
		}
	}
	file := func(name string) string { return filepath.Join(out, name) }

	cases := []struct {
		name  string
		setup cliSetup
		args  []string
		check func(t *testing.T, r cliResult)
	}{
		{"no listener/backup", s, []string{"backup", "-o", file("b1.db")}, func(t *testing.T, r cliResult) {
			refused(t, r)
			oneLine(t, r, "http.listen is empty")
			cliNotExist(t, file("b1.db"))
		}},
		{"no listener/export", s, []string{"export", "-o", file("e1.csv")}, func(t *testing.T, r cliResult) {
			refused(t, r)
			oneLine(t, r, "http.listen is empty")
			cliNotExist(t, file("e1.csv"))
		}},
		{"no listener/digest", s, []string{"digest"}, func(t *testing.T, r cliResult) {
			refused(t, r)
			oneLine(t, r, "http.listen is empty")
		}},
		{"import refuses/no listener", s, []string{"import", changed}, func(t *testing.T, r cliResult) {
			refused(t, r)
			oneLine(t, r, "stop it first")
		}},
		{"import refuses/listener", via, []string{"import", changed}, func(t *testing.T, r cliResult) {
			refused(t, r)
			oneLine(t, r, "stop it first")
			if len(fb.asked("/import")) > 0 {
				t.Errorf("import went to the running bot: %v", fb.asked("/import"))
			}
		}},
		{"restore refuses", via, []string{"restore", backup}, func(t *testing.T, r cliResult) {
			refused(t, r)
		}},
		{"via the bot/backup", via, []string{"backup", "-o", file("b2.db")}, func(t *testing.T, r cliResult) {
			written(t, r, file("b2.db"))
			if got := fb.asked("/backup"); len(got) != 1 {
				t.Errorf("the bot was asked %v, want /backup once", got)
			}
			cliSameState(t, cliRead(t, file("b2.db")), want)
		}},
		{"via the bot/export csv", via, []string{"export", "-o", file("e2.csv")}, func(t *testing.T, r cliResult) {
			written(t, r, file("e2.csv"))
			if got := fb.asked("/export?format=csv"); len(got) != 1 {
				t.Errorf("the bot was asked %v, want /export?format=csv once", got)
			}
			cliReadsBack(t, file("e2.csv"), len(want.Tasks))
		}},
		{"via the bot/export xlsx", via, []string{"export", "-o", file("e2.xlsx")}, func(t *testing.T, r cliResult) {
			written(t, r, file("e2.xlsx"))
			if got := fb.asked("/export?format=xlsx"); len(got) != 1 {
				t.Errorf("the bot was asked %v, want /export?format=xlsx once", got)
			}
			cliReadsBack(t, file("e2.xlsx"), len(want.Tasks))
		}},
		{"via the bot/digest", via, []string{"digest", "-group", "Chính quyền số"}, func(t *testing.T, r cliResult) {
			cliWant(t, r, exitOK)
			if want := "digest from the running bot, group \"Chính quyền số\"\n"; r.stdout != want {
				t.Errorf("stdout=%q, want the bot's answer %q", r.stdout, want)
			}
		}},
		{"via the bot/answer 503", via, []string{"digest", "-group", "busy"}, func(t *testing.T, r cliResult) {
			oneLine(t, r, "503", "the bot is busy")
		}},
		{"via the bot/no answer", dead, []string{"export", "-o", file("e3.csv")}, func(t *testing.T, r cliResult) {
			oneLine(t, r, "does not answer")
			cliNotExist(t, file("e3.csv"))
		}},
	}
	// Each refused open waits storage.DefaultTimeout (1 s): run every
	// command at once rather than one after the other (t.Parallel would
	// run only GOMAXPROCS at a time), then check each.
	results := make([]cliResult, len(cases))
	var wg sync.WaitGroup
	for i, c := range cases {
		wg.Go(func() { results[i] = c.setup.run(t, c.args[0], c.args[1:]...) })
	}
	wg.Wait()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.check(t, results[i]) })
	}
	cliSameState(t, cliReadStore(t, held), want)
}

// cliReadsBack checks that an exported file reads back with n tasks.
func cliReadsBack(t *testing.T, path string, n int) {
	t.Helper()
	rows, err := taskfile.ReadFile(path, tasks.Date{Year: 2026, Month: 1, Day: 1})
	if err != nil {
		t.Fatalf("the written export does not read back: %v", err)
	}
	if len(rows) != n {
		t.Errorf("export has %d rows, want %d", len(rows), n)
	}
}

func TestCLI_Restore(t *testing.T) {
	s := cliNew(t, "")
	s.importOK(t, cliGood)
	backup := filepath.Join(s.dir, "monday.db")
	cliWant(t, s.run(t, "backup", "-o", backup), exitOK)
	want := cliRead(t, s.db)

	// A later, unwanted import.
	changed := filepath.Join(s.dir, "changed.csv")
	cliWriteFile(t, changed, cliChanged(t))
	s.importOK(t, changed)

	r := s.run(t, "restore", backup)
	cliWant(t, r, exitOK)
	if want := s.db + ": restored from " + backup + "\n"; r.stdout != want {
		t.Errorf("stdout=%q, want %q", r.stdout, want)
	}
	got := cliRead(t, s.db)
	cliSameState(t, got, want)
	if p := got.task(t, "CCHC-01").Progress; p != 20 {
		t.Errorf("CCHC-01 progress=%d after restore, want 20 (as backed up)", p)
	}

	t.Run("into a new place", func(t *testing.T) {
		n := cliNew(t, "")
		cliWant(t, n.run(t, "restore", backup), exitOK)
		cliSameState(t, cliRead(t, n.db), want)
	})

	t.Run("not a database", func(t *testing.T) {
		junk := filepath.Join(s.dir, "tasks.db")
		cliWriteFile(t, junk, bytes.Repeat([]byte("không phải cơ sở dữ liệu\n"), 2000))
		r := s.run(t, "restore", junk)
		cliWant(t, r, exitError)
		if lines := cliLines(r.stderr); len(lines) != 1 || !strings.Contains(lines[0], "not a usable steerbot database") {
			t.Errorf("stderr=%q, want one line saying it is not a usable database", r.stderr)
		}
		cliSameState(t, cliRead(t, s.db), want)
	})

	t.Run("missing backup", func(t *testing.T) {
		missing := filepath.Join(s.dir, "mondya.db")
		r := s.run(t, "restore", missing)
		cliWant(t, r, exitError)
		cliNotExist(t, missing)
		cliSameState(t, cliRead(t, s.db), want)
	})
}

func TestCLI_CheckConfig(t *testing.T) {
	t.Run("broken", func(t *testing.T) {
		const file = "testdata/config/broken.yaml"
		r := cliRun(t, "check-config", "-config", file)
		cliWant(t, r, exitUsage)
		_, err := LoadConfig(file, nil)
		var ce *ConfigError
		if !errors.As(err, &ce) {
			t.Fatalf("LoadConfig(%s): %v, want a *ConfigError", file, err)
		}
		// Every problem of the file, then the one that matters to run,
		// then what would keep it from working (no secretariat to invite).
		var want []string
		for _, p := range ce.Problems {
			want = append(want, file+": "+p)
		}
		want = append(want, file+": telegram.token: missing: set it in the file or in "+EnvTelegramToken,
			file+": members: no secretariat member with a telegram_id: nobody could invite the others")
		if got := cliLines(r.stderr); !slices.Equal(got, want) {
			t.Errorf("stderr:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if len(want) < 20 {
			t.Errorf("only %d problems reported for %s, want every one (more than 20)", len(want), file)
		}
		for _, key := range []string{"telegram.mode:", "committee.timezone:", "reminders.weekly:", "http.listen:", "llm.model:"} {
			if !strings.Contains(r.stderr, file+": "+key) {
				t.Errorf("stderr lacks the %s problem", key)
			}
		}
		if r.stdout != "" {
			t.Errorf("stdout=%q, want nothing", r.stdout)
		}
	})

	t.Run("example with the token in the environment", func(t *testing.T) {
		r := cliRunEnv(t, map[string]string{EnvTelegramToken: "123456:ABC-def"}, "check-config", "-config", "config.example.yaml")
		cliWant(t, r, exitOK)
		if r.stdout != "config.example.yaml: ok\n" || r.stderr != "" {
			t.Errorf("stdout=%q stderr=%q, want \"config.example.yaml: ok\" and nothing else", r.stdout, r.stderr)
		}
	})

	t.Run("example without the token", func(t *testing.T) {
		r := cliRun(t, "check-config", "-config", "config.example.yaml")
		cliWant(t, r, exitUsage)
		want := "config.example.yaml: telegram.token: missing: set it in the file or in " + EnvTelegramToken + "\n"
		if r.stderr != want {
			t.Errorf("stderr=%q, want %q", r.stderr, want)
		}
	})

	t.Run("missing file", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "steerbot.yaml")
		r := cliRun(t, "check-config", "-config", missing)
		cliWant(t, r, exitUsage)
		if lines := cliLines(r.stderr); len(lines) != 1 || !strings.Contains(lines[0], missing) || !strings.Contains(lines[0], "not found") {
			t.Errorf("stderr=%q, want one line saying %s was not found", r.stderr, missing)
		}
	})
}

// TestCLI_Binary runs the built steerbot as a user's shell does, for the
// exit statuses and streams of the real process (main's os.Exit).
func TestCLI_Binary(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "steerbot")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	s := cliNew(t, "")
	run := func(args ...string) cliResult {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), EnvTelegramToken+"=", EnvLLMAPIKey+"=", EnvWebhookSecret+"=")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee):
			code = ee.ExitCode()
		case err != nil:
			t.Fatalf("run %v: %v", args, err)
		}
		return cliResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stream string // "stdout" or "stderr": where the text is
		text   string
	}{
		{"no arguments", nil, exitUsage, "stderr", "usage: steerbot COMMAND"},
		{"unknown command", []string{"serve"}, exitUsage, "stderr", `unknown command "serve"`},
		{"broken config", []string{"check-config", "-config", "testdata/config/broken.yaml"}, exitUsage, "stderr", "telegram.mode: must be polling or webhook"},
		{"missing file", []string{"import", "-config", s.config, filepath.Join(s.dir, "none.csv")}, exitError, "stderr", "no such file"},
		{"bad rows", []string{"import", "-config", s.config, "testdata/cli/bad.csv"}, exitError, "stderr", "lỗi; không nhập gì"},
		{"import", []string{"import", "-config", s.config, cliGood}, exitOK, "stdout", "thêm mới 5"},
		{"digest", []string{"digest", "-config", s.config}, exitOK, "stdout", "2/5 nhiệm vụ đã hoàn thành, chiếm 40%"},
	}
	for _, tt := range tests { // in order: the digest follows the import
		r := run(tt.args...)
		if r.code != tt.code {
			t.Errorf("%s: exit status %d, want %d\n%v", tt.name, r.code, tt.code, r)
			continue
		}
		if out := map[string]string{"stdout": r.stdout, "stderr": r.stderr}[tt.stream]; !strings.Contains(out, tt.text) {
			t.Errorf("%s: %s lacks %q\n%v", tt.name, tt.stream, tt.text, r)
		}
	}

	// Another process holding the database, as a running bot does.
	cliHold(t, s.db)
	r := run("digest", "-config", s.config)
	if r.code != exitError || !strings.Contains(r.stderr, "held by a running bot") {
		t.Errorf("digest of a held database: want exit 1 saying a running bot holds it\n%v", r)
	}
}

// BenchmarkImport10k imports a 10,000-task CSV through `steerbot import`
// into a fresh database; one iteration is one import, file read, checked,
// written and synced.
//
//	go test -run '^$' -bench Import10k -benchtime 5x .
func BenchmarkImport10k(b *testing.B) {
	dir := b.TempDir()
	file := filepath.Join(dir, "tasks.csv")
	var sb strings.Builder
	sb.WriteString("\ufeffMã;Nhiệm vụ;Đơn vị chủ trì;Tên đơn vị;Thời hạn;Trạng thái;Tiến độ;Kế hoạch;Đơn vị phối hợp;Văn bản\n")
	statuses := []string{"chưa triển khai;0", "đang triển khai;40", "đã hoàn thành;100", "đề xuất chuyển tiếp;60"}
	for i := range 10000 {
		u, co := i%20, (i+1)%20
		fmt.Fprintf(&sb, "NV-%05d;Nhiệm vụ số %d về cải cách hành chính và chuyển đổi số;DV%02d;Đơn vị %02d;%02d/%02d/2024;%s;Kế hoạch %d;DV%02d;QĐ %d/QĐ-UBND\n",
			i, i, u, u, 1+i%28, 1+i%12, statuses[i%len(statuses)], i%5, co, i)
	}
	cliWriteFile(b, file, []byte(sb.String()))
	var last cliResult
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := cliNew(b, "")
		b.StartTimer()
		last = s.run(b, "import", file)
		if last.code != exitOK {
			b.Fatalf("import: %v", last)
		}
	}
	b.StopTimer()
	if !strings.Contains(last.stdout, ": thêm mới 10000, cập nhật 0, không đổi 0 nhiệm vụ; 20 đơn vị mới") {
		b.Fatalf("import said %q, want 10000 created and 20 new units", last.stdout)
	}
	b.SetBytes(int64(sb.Len()))
}
