package taskfile

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"steerbot/tasks"
)

// Problem is one thing wrong with a task file.
type Problem struct {
	Sheet  string // the workbook sheet, when not the tasks' ("Chỉ tiêu"); empty otherwise
	Row    int    // as a spreadsheet numbers it, the header being row 1
	Column string // the contract's English name ("deadline"); empty for the whole row or file
	Value  string // the cell as the file gives it, shortened; empty when the cell is empty
	Why    string // what is wrong, in English: `is not a date`
}

// String formats p as one line: `row 12, deadline: "31/02/2024" is not a date`.
func (p Problem) String() string {
	var b strings.Builder
	if p.Sheet != "" {
		b.WriteString("sheet " + strconv.Quote(p.Sheet) + ", ")
	}
	b.WriteString("row ")
	b.WriteString(strconv.Itoa(p.Row))
	if p.Column != "" {
		b.WriteString(", ")
		b.WriteString(p.Column)
	}
	b.WriteString(": ")
	if p.Value != "" {
		b.WriteString(strconv.Quote(p.Value))
		b.WriteByte(' ')
	}
	b.WriteString(p.Why)
	return b.String()
}

// ValidationError lists every problem found in a task file, ordered by row.
// Nothing is imported when one is returned. It wraps a *tasks.Error with
// code EINVALID (key "bad_task_file", argument the number of problems), so
// that tasks.ErrorCode reports it as the user's mistake.
type ValidationError struct {
	Problems []Problem
}

// Error returns one line per problem.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the *tasks.Error that classifies e.
func (e *ValidationError) Unwrap() error {
	n := len(e.Problems)
	return tasks.NewError(tasks.EINVALID, "bad_task_file", fmt.Sprintf("%d problem(s) in the task file", n), n)
}

// maxValue is how much of a cell a Problem quotes.
const maxValue = 60

// problem builds a Problem for column c, shortening a long value.
func problem(row int, c Column, value, why string) Problem {
	if utf8.RuneCountInString(value) > maxValue {
		value = string([]rune(value)[:maxValue]) + "…"
	}
	name := ""
	if c != 0 {
		name = c.String()
	}
	return Problem{Row: row, Column: name, Value: value, Why: why}
}

// merge returns the problems of a and b without repeats, ordered by sheet
// (the tasks' first), by row and otherwise in the order found.
func merge(a, b []Problem) []Problem {
	seen := make(map[Problem]bool, len(a)+len(b))
	var out []Problem
	for _, p := range slices.Concat(a, b) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(x, y Problem) int {
		return cmp.Or(cmp.Compare(x.Sheet, y.Sheet), cmp.Compare(x.Row, y.Row))
	})
	return out
}
