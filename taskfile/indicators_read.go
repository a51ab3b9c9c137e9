package taskfile

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"steerbot/tasks"
)

// IndicatorRow is one indicator as the file gives it.
type IndicatorRow struct {
	// Line is the row as a spreadsheet numbers it on its sheet, the header
	// being row 1.
	Line int
	// Indicator holds the columns the row gives, codes in upper case.
	Indicator tasks.Indicator
	// Value is the value cell as written ("96,2%"); empty for none. It has
	// been checked against the row's target.
	Value string
	has   indColumn // the columns whose cell is present and not blank
	sheet string    // the sheet's name, for problems
}

// isIndicatorSheet reports whether one of the first rows of sh is a header
// that names an indicator sheet: an indicator and a target column.
func (sh sheet) isIndicatorSheet() bool {
	seen := 0
	for _, rec := range sh.records {
		if blank(rec.cells) {
			continue
		}
		var have indColumn
		for _, cell := range rec.cells {
			have |= indColumnOf(cell)
		}
		if have.Contains(icName | icTarget) {
			return true
		}
		if seen++; seen == headerScan {
			break
		}
	}
	return false
}

// indicatorRows finds the header of an indicator sheet and validates the
// rows under it. Problems name the sheet (empty for a CSV file).
func (sh sheet) indicatorRows(today tasks.Date) ([]IndicatorRow, []Problem) {
	h, pos, problems := sh.indicatorHeader()
	if h < 0 {
		return nil, problems
	}
	var rows []IndicatorRow
	first := map[string]int{}
	for _, rec := range sh.records[h+1:] {
		if blank(rec.cells) || isIndicatorExample(rec.cells, pos) {
			continue
		}
		row, ps := sh.parseIndicatorRow(rec, pos, today)
		if c := row.Indicator.Code; c != "" {
			if line, dup := first[c]; dup {
				ps = append(ps, sh.indProblem(rec.line, icCode, c, fmt.Sprintf("repeats row %d", line)))
			} else {
				first[c] = rec.line
			}
		}
		problems = append(problems, ps...)
		rows = append(rows, row)
	}
	return rows, problems
}

// indProblem builds a Problem of the indicator sheet.
func (sh sheet) indProblem(row int, c indColumn, value, why string) Problem {
	p := problem(row, 0, value, why)
	if c != 0 {
		p.Column = c.String()
	}
	p.Sheet = sh.name
	return p
}

// indicatorHeader returns the index of the header record of an indicator
// sheet and the position of every column it names, or -1 and the problem.
func (sh sheet) indicatorHeader() (int, map[indColumn]int, []Problem) {
	h, seen := -1, 0
	for i, rec := range sh.records {
		if blank(rec.cells) {
			continue
		}
		if h < 0 {
			h = i
		}
		var have indColumn
		for _, cell := range rec.cells {
			have |= indColumnOf(cell)
		}
		if have.Contains(indRequired) {
			h = i
			break
		}
		if seen++; seen == headerScan {
			break
		}
	}
	if h < 0 {
		return -1, nil, []Problem{sh.indProblem(1, 0, "", "no header row: the indicator sheet is empty")}
	}
	rec := sh.records[h]
	pos := map[indColumn]int{}
	var problems []Problem
	for i, cell := range rec.cells {
		c := indColumnOf(cell)
		if c == 0 {
			continue
		}
		if j, dup := pos[c]; dup {
			problems = append(problems, sh.indProblem(rec.line, c, strings.TrimSpace(cell),
				fmt.Sprintf("names the same column as %q", strings.TrimSpace(rec.cells[j]))))
			continue
		}
		pos[c] = i
	}
	var missing indColumn
	for i := 0; i < icCount; i++ {
		if c := indColumn(1 << i); indRequired.Contains(c) {
			if _, ok := pos[c]; !ok {
				missing |= c
			}
		}
	}
	if missing != 0 {
		problems = append(problems, sh.indProblem(rec.line, 0, "", "missing required columns: "+missing.String()))
	}
	if len(problems) > 0 {
		return -1, nil, problems
	}
	return h, pos, nil
}

// parseIndicatorRow validates one row of the indicator sheet.
func (sh sheet) parseIndicatorRow(rec record, pos map[indColumn]int, today tasks.Date) (IndicatorRow, []Problem) {
	row := IndicatorRow{Line: rec.line, sheet: sh.name}
	var problems []Problem
	bad := func(c indColumn, value, why string) {
		problems = append(problems, sh.indProblem(rec.line, c, value, why))
	}
	cell := func(c indColumn) string {
		i, ok := pos[c]
		if !ok || i >= len(rec.cells) {
			return ""
		}
		v := strings.TrimSpace(rec.cells[i])
		if v != "" {
			row.has |= c
		}
		return v
	}
	// shown is a number cell as the workbook shows it, "96,2 hồ sơ" for a
	// custom format; a fraction formatted as a percentage (0.9974 shown
	// "100%") is read in full, "99,74%", not rounded as shown.
	shown := func(c indColumn) string {
		v := cell(c)
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !sh.workbook || sh.shown == nil {
			return v
		}
		s := strings.TrimSpace(sh.shown(rec.line, pos[c]+1))
		switch {
		case strings.HasSuffix(s, "%"):
			return tasks.FormatNumber(math.Round(f*100*1e9)/1e9) + "%"
		case s != "":
			return s
		}
		return v
	}
	capped := func(c indColumn, limit int) string {
		v := cell(c)
		if len(v) > limit && utf8.RuneCountInString(v) > limit {
			bad(c, v, fmt.Sprintf("is longer than %d characters", limit))
		}
		return v
	}
	ind := &row.Indicator
	if ind.Code = tasks.NormalizeCode(cell(icCode)); ind.Code == "" {
		bad(icCode, "", "missing")
	} else if !validCode(ind.Code) {
		bad(icCode, ind.Code, "is not an indicator code (letters, digits and - _ . / # only, not beginning with -, at most 32 bytes)")
	}
	if ind.Name = capped(icName, tasks.MaxTitle); ind.Name == "" {
		bad(icName, "", "missing")
	}
	if v := capped(icUnit, tasks.MaxName); v == "" {
		bad(icUnit, "", "missing")
	} else {
		ind.Unit = tasks.NormalizeCode(v)
	}
	targetOK := false
	if v := shown(icTarget); v == "" {
		bad(icTarget, "", "missing")
	} else if t, err := tasks.ParseTarget(v); err != nil {
		bad(icTarget, v, "is not a target (e.g. ≥ 95 %, 100 %, ≤ 5 ngày)")
	} else {
		ind.Target, targetOK = t, true
	}
	if v := cell(icPeriod); v != "" {
		if p, ok := tasks.ParseCadence(v); ok {
			ind.Period = p
		} else {
			bad(icPeriod, v, "is not a period (year, half, quarter, month; năm, 6 tháng, quý, tháng)")
		}
	}
	ind.Period = ind.Period.Norm()
	if v := cell(icState); v != "" {
		if s, ok := tasks.ParseIndicatorState(v); ok {
			ind.State = s
		} else {
			bad(icState, v, "is not a state (assigned, new, stopped; đang triển khai, mới giao, dừng)")
		}
	}
	ind.State = ind.State.Norm()
	if v := cell(icAssignedOn); v != "" {
		if d, ok := sh.date(v, today); ok {
			ind.AssignedOn = d
		} else {
			bad(icAssignedOn, v, "is not a date")
		}
	}
	if v := shown(icValue); v != "" {
		row.Value = v
		if targetOK {
			if _, err := tasks.ParseIndicatorValue(v, ind.Target); err != nil {
				bad(icValue, v, valueWhy(err))
			}
		}
	}
	ind.Group = capped(icGroup, tasks.MaxName)
	ind.Source = capped(icSource, tasks.MaxName)
	if v := capped(icCoUnits, tasks.MaxTitle); v != "" {
		ind.CoUnits = splitUnits(v)
	}
	return row, problems
}

// valueWhy says in English why a value cell is refused.
func valueWhy(err error) string {
	var e *tasks.Error
	if !errors.As(err, &e) {
		return "is not a value (e.g. 96,2%, 1.250)"
	}
	switch e.Key {
	case "measure_mismatch":
		return "is not in the target's measure"
	case "value_over_100":
		return "is over 100%"
	case "indicator_stopped":
		return "is a new value of a stopped indicator"
	}
	return "is not a value (e.g. 96,2%, 1.250)"
}

// pickSheets returns the sheet of a workbook that holds tasks (the first
// not named as the indicator sheet; "" when none) and the indicator sheet
// ("Chỉ tiêu" or "Indicators"; "" when none).
func pickSheets(names []string) (taskSheet, indSheet string) {
	for _, n := range names {
		switch {
		case isIndicatorSheetName(n):
			if indSheet == "" {
				indSheet = n
			}
		case taskSheet == "":
			taskSheet = n
		}
	}
	return taskSheet, indSheet
}

// readIndicators validates the rows of a file: its tasks and its
// indicators, from a workbook's indicator sheet or from a CSV file (or a
// lone sheet) whose header names indicator columns. A workbook with only
// an indicator sheet has no tasks, and no problem for it.
func (sh sheet) readIndicators(today tasks.Date) ([]Row, []IndicatorRow, []Problem, error) {
	if sh.indicators == nil && sh.isIndicatorSheet() {
		inds, problems := sh.indicatorRows(today)
		return nil, inds, problems, nil
	}
	var (
		rows     []Row
		problems []Problem
		err      error
	)
	if !(sh.indicators != nil && len(sh.records) == 0) {
		if rows, problems, err = sh.rows(today); err != nil {
			return nil, nil, nil, err
		}
	}
	if sh.indicators == nil {
		return rows, nil, problems, nil
	}
	inds, ps := sh.indicators.indicatorRows(today)
	return rows, inds, append(problems, ps...), nil
}
