package taskfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"steerbot/tasks"
)

// Files is the task file adapter as the bot uses it (tasks.TaskFiles):
// Preview, Import and Template over a file's bytes.
type Files struct{}

var _ tasks.TaskFiles = Files{}

// Import imports the task file data named name in tx (see Import).
func (Files) Import(tx tasks.ImportTx, name string, data []byte, by tasks.Member, now time.Time, loc *time.Location) (tasks.ImportResult, error) {
	format, err := FormatOf(name)
	if err != nil {
		return tasks.ImportResult{}, err
	}
	res, err := Import(tx, bytes.NewReader(data), format, by, now, loc)
	return tasks.ImportResult{Created: res.Created, Updated: res.Updated, Unchanged: res.Unchanged, UnitsCreated: res.UnitsCreated}, err
}

// Template returns the empty task file (see Template).
func (Files) Template(units []tasks.Unit, lang string, today tasks.Date) ([]byte, error) {
	var b bytes.Buffer
	if err := Template(&b, units, lang, today); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Preview reads the task file data named name and says what Import would
// do with it in tx, by the same rules, writing nothing: the tasks it
// creates, the ones it changes (as stored and as they would be), how many
// it leaves as they are, and every problem placed as the spreadsheet shows
// it. A file that cannot be read at all is an error, as for Import.
func (Files) Preview(tx tasks.ImportTx, name string, data []byte, now time.Time, loc *time.Location) (tasks.ImportPreview, error) {
	var pv tasks.ImportPreview
	format, err := FormatOf(name)
	if err != nil {
		return pv, err
	}
	sh, err := readSheet(bytes.NewReader(data), format)
	if err != nil {
		return pv, err
	}
	if sh.close != nil {
		defer sh.close()
	}
	rows, inds, problems, err := sh.readIndicators(tasks.DateOf(now, loc))
	if err != nil {
		return pv, err
	}
	place := sh.placer()
	pl, err := plan(tx, rows)
	if err != nil {
		return pv, err
	}
	// The indicator sheet is checked as Import checks it, so that Apply
	// never meets a problem the preview did not show.
	ipl, err := planIndicators(tx, inds, pl.newUnits, now, loc)
	if err != nil {
		return pv, err
	}
	problems = append(problems, ipl.problems...)
	pv.State, err = fingerprint(tx, rows)
	if err != nil {
		return pv, err
	}
	all := merge(problems, pl.problems)
	by := tasks.Member{Role: tasks.RoleSecretariat}
	for _, r := range pl.rows {
		old, exists := pl.existing[r.Task.Code]
		if !exists {
			pv.Created++
			pv.New = append(pv.New, r.Task.Code)
			continue
		}
		t, _, changed, err := update(old, r, by, now)
		switch {
		case err != nil:
			all = merge(all, []Problem{problem(r.Line, 0, "", err.Error())})
		case changed:
			pv.Updated++
			pv.Changes = append(pv.Changes, tasks.ImportChange{Row: r.Line, Old: old, New: t})
		default:
			pv.Unchanged++
		}
	}
	pv.UnitsCreated = len(pl.newUnits)
	for _, p := range all {
		pv.Problems = append(pv.Problems, place(p))
	}
	return pv, nil
}

// placer returns a function that places a Problem as the spreadsheet shows
// it: the column's letter and its header as written.
func (sh sheet) placer() func(Problem) tasks.ImportProblem {
	h, pos, _ := sh.header()
	return func(p Problem) tasks.ImportProblem {
		ip := tasks.ImportProblem{Row: p.Row, Value: p.Value, Why: p.Why}
		ip.Kind, ip.Args = problemKind(p.Why)
		i := slices.Index(columnNames[:], p.Column)
		if i < 0 || h < 0 {
			return ip
		}
		at, ok := pos[Column(1<<i)]
		if !ok {
			return ip
		}
		ip.Column, _ = excelize.ColumnNumberToName(at + 1)
		if cells := sh.records[h].cells; at < len(cells) {
			ip.Header = strings.TrimSpace(cells[at])
		}
		return ip
	}
}

// fingerprint hashes what a preview of rows depends on in the store: every
// unit (codes and names resolve the unit columns) and, for each code the
// rows give, the stored task's columns of the task file or its absence.
func fingerprint(tx tasks.ImportTx, rows []Row) (string, error) {
	h := sha256.New()
	units, err := tx.Units()
	if err != nil {
		return "", fmt.Errorf("import preview: list units: %w", err)
	}
	for _, u := range units {
		fmt.Fprintf(h, "u\x00%s\x00%s\n", u.Code, u.Name)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		code := r.Task.Code
		if code == "" || seen[code] || !validCode(code) {
			continue
		}
		seen[code] = true
		t, err := tx.Task(code)
		switch {
		case tasks.IsNotFound(err):
			fmt.Fprintf(h, "t\x00%s\x00-\n", code)
			continue
		case err != nil:
			return "", fmt.Errorf("import preview: task %s: %w", code, err)
		}
		fmt.Fprintf(h, "t\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\n",
			t.Code, t.Title, t.Unit, strings.Join(t.CoUnits, ","), t.Group, t.Source,
			t.Deadline, t.DeadlineText, t.Status, strconv.Itoa(t.Progress))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
