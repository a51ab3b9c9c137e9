package taskfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"steerbot/tasks"
)

// Format is the kind of a task file.
type Format int

// The formats of a task file.
const (
	CSV  Format = iota + 1 // UTF-8 text, comma or semicolon separated
	XLSX                   // an Excel workbook; its first sheet
)

// String returns "csv" or "xlsx".
func (f Format) String() string {
	switch f {
	case CSV:
		return "csv"
	case XLSX:
		return "xlsx"
	}
	return "format(" + strconv.Itoa(int(f)) + ")"
}

// FormatOf returns the format a file name's extension (.csv or .xlsx, in
// any case) names. Anything else is an *tasks.Error with code EINVALID.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return CSV, nil
	case ".xlsx":
		return XLSX, nil
	}
	return 0, tasks.NewError(tasks.EINVALID, "bad_file_type",
		fmt.Sprintf("%s: not a .csv or .xlsx file", filepath.Base(path)), filepath.Base(path))
}

// Limits on what Read accepts, so that a bad file cannot exhaust memory.
// Ten thousand tasks take about 2 MiB as CSV, 0.4 MiB as XLSX.
const (
	MaxSize = 32 << 20 // bytes of the file
	MaxRows = 50000    // rows, blank ones included
)

// maxColumns is how many columns of a row are read; any further ones are
// ignored like other unknown columns.
const maxColumns = 64

// tooManyRows is the error for a file longer than MaxRows.
func tooManyRows() error {
	return tasks.NewError(tasks.EINVALID, "file_too_long", fmt.Sprintf("the task file has more than %d rows", MaxRows), MaxRows)
}

// keep returns the first maxColumns cells in a slice of their own.
func keep(cells []string) []string { return slices.Clone(cells[:min(len(cells), maxColumns)]) }

// Row is one task as the file gives it.
type Row struct {
	// Line is the row as a spreadsheet numbers it, the header being row 1
	// (blank rows count; a CSV record spanning several lines is one row).
	Line int
	// Task holds the columns the row gives: codes in upper case, Status and
	// Progress as written (empty and 0 when absent; Apply fills defaults).
	Task tasks.Task
	// UnitName is the unit_name cell: the name of the lead unit, which Apply
	// creates when no unit has that code.
	UnitName string
	// Has holds the columns whose cell is present and not blank. Apply
	// changes an existing task only in these, so that a file without a
	// status column, or a row with an empty deadline, leaves them as stored.
	Has Column
}

// Read reads a task file and validates every row. Columns are found by
// their header in any order and language; unknown columns are ignored and
// blank rows skipped. today is the current day in the committee's time
// zone, for dates written DD/MM.
//
// Every problem of every row is collected: a bad file gives a
// *ValidationError and no rows. A file that cannot be read at all (not
// UTF-8, not a workbook, too big) gives a *tasks.Error with code EINVALID.
// Whether the units exist is left to Apply, which knows the store.
func Read(r io.Reader, format Format, today tasks.Date) ([]Row, error) {
	rows, _, problems, err := read(r, format, today)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	return rows, nil
}

// ReadFile reads the task file at path, its format given by its extension
// (see FormatOf, Read).
func ReadFile(path string, today tasks.Date) ([]Row, error) {
	format, err := FormatOf(path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read task file: %w", err)
	}
	defer f.Close()
	return Read(f, format, today)
}

// record is one row of the file.
type record struct {
	line  int      // as a spreadsheet numbers it
	cells []string // a workbook's cells as stored: a date is a serial number
}

// sheet is the rows of a file before validation.
type sheet struct {
	records []record
	// workbook is set for XLSX: cells are stored values, and shown gives a
	// cell as Excel shows it (row and column from 1).
	workbook bool
	shown    func(row, col int) string
	date1904 bool         // the workbook counts days from 1904
	close    func() error // releases the workbook's temporary files
	percent  bool         // the progress column holds fractions shown as percentages
	name     string       // a workbook's sheet name
	// indicators is a workbook's indicator sheet ("Chỉ tiêu"), nil for none.
	indicators *sheet
}

// read returns every non-blank row, good or bad (Import checks the units
// of all of them), those of the indicator sheet (see readIndicators), and
// the problems found. err is for a file that cannot be read at all.
func read(r io.Reader, format Format, today tasks.Date) ([]Row, []IndicatorRow, []Problem, error) {
	sh, err := readSheet(r, format)
	if err != nil {
		return nil, nil, nil, err
	}
	if sh.close != nil {
		defer sh.close()
	}
	return sh.readIndicators(today)
}

// readSheet reads a whole file into records; the caller closes the sheet
// (sheet.close, when set).
func readSheet(r io.Reader, format Format) (sheet, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return sheet{}, fmt.Errorf("read task file: %w", err)
	}
	if len(data) > MaxSize {
		return sheet{}, tasks.NewError(tasks.EINVALID, "file_too_big",
			fmt.Sprintf("the task file is larger than %d MiB", MaxSize>>20), MaxSize>>20)
	}
	switch format {
	case CSV:
		return readCSV(data)
	case XLSX:
		return readXLSX(data)
	}
	return sheet{}, tasks.Errorf(tasks.EINVALID, "unknown task file format %v", format)
}

// percentColumn reports whether column col of a workbook, under the header
// record h, holds progress as fractions formatted as percentages (0.6
// shown as 60%) rather than as whole numbers. The column decides: a value
// above 1 means whole numbers, one between 0 and 1 percentages; when every
// value is 0 or 1, the number format of a 1 tells. Looking at formats cell
// by cell would make excelize load the whole sheet a second time.
func (sh sheet) percentColumn(h, col int) bool {
	one, fraction := 0, false
	for _, rec := range sh.records[h+1:] {
		if col >= len(rec.cells) {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(rec.cells[col]), 64)
		switch {
		case err != nil || !(f > 0):
		case f > 1:
			return false
		case f < 1:
			fraction = true
		case one == 0:
			one = rec.line
		}
	}
	if fraction {
		return true
	}
	return one != 0 && strings.HasSuffix(strings.TrimSpace(sh.shown(one, col+1)), "%")
}

// rows finds the header and validates the rows under it.
func (sh sheet) rows(today tasks.Date) ([]Row, []Problem, error) {
	h, pos, problems := sh.header()
	if h < 0 {
		return nil, problems, nil
	}
	if i, ok := pos[ColProgress]; ok && sh.workbook {
		sh.percent = sh.percentColumn(h, i)
	}
	var rows []Row
	first := map[string]int{} // code → row of its first appearance
	for _, rec := range sh.records[h+1:] {
		if blank(rec.cells) || isExample(rec.cells, pos) {
			continue
		}
		row, ps := sh.parseRow(rec, pos, today)
		if c := row.Task.Code; c != "" {
			if line, dup := first[c]; dup {
				ps = append(ps, problem(rec.line, ColCode, c, fmt.Sprintf("repeats row %d", line)))
			} else {
				first[c] = rec.line
			}
		}
		problems = append(problems, ps...)
		rows = append(rows, row)
	}
	return rows, problems, nil
}

// headerScan is how many non-blank rows may sit above the header (a title,
// a date) before the first one is taken as the header.
const headerScan = 10

// header returns the index of the header record and the position of every
// column it names, or -1 and the problem.
func (sh sheet) header() (int, map[Column]int, []Problem) {
	var candidates []int
	for i, rec := range sh.records {
		if !blank(rec.cells) {
			candidates = append(candidates, i)
			if len(candidates) == headerScan {
				break
			}
		}
	}
	if len(candidates) == 0 {
		return -1, nil, []Problem{{Row: 1, Why: "no header row: the file is empty"}}
	}
	h := candidates[0]
	for _, i := range candidates {
		var have Column
		for _, cell := range sh.records[i].cells {
			have |= columnOf(cell)
		}
		if have.Contains(required) {
			h = i
			break
		}
	}
	rec := sh.records[h]
	pos := map[Column]int{}
	var problems []Problem
	for i, cell := range rec.cells {
		c := columnOf(cell)
		if c == 0 {
			continue
		}
		if j, dup := pos[c]; dup {
			problems = append(problems, problem(rec.line, c, strings.TrimSpace(cell),
				fmt.Sprintf("names the same column as %q", strings.TrimSpace(rec.cells[j]))))
			continue
		}
		pos[c] = i
	}
	var missing Column
	for c := range required.all() {
		if _, ok := pos[c]; !ok {
			missing |= c
		}
	}
	if missing != 0 {
		problems = append(problems, Problem{Row: rec.line, Why: "missing required columns: " + missing.String()})
	}
	if len(problems) > 0 {
		return -1, nil, problems
	}
	return h, pos, nil
}

// all yields each column of the set c in file order.
func (c Column) all() iter.Seq[Column] {
	return func(yield func(Column) bool) {
		for i := 0; i < colCount; i++ {
			if x := Column(1 << i); c&x != 0 && !yield(x) {
				return
			}
		}
	}
}

// blank reports whether every cell is empty or white space.
func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// parseRow validates one row. The Row holds whatever parsed, so that Import
// can still check its units.
func (sh sheet) parseRow(rec record, pos map[Column]int, today tasks.Date) (Row, []Problem) {
	row := Row{Line: rec.line}
	var problems []Problem
	bad := func(c Column, value, why string) { problems = append(problems, problem(rec.line, c, value, why)) }
	cell := func(c Column) string {
		i, ok := pos[c]
		if !ok || i >= len(rec.cells) {
			return ""
		}
		v := strings.TrimSpace(rec.cells[i])
		if v != "" {
			row.Has |= c
		}
		return v
	}
	t := &row.Task

	if t.Code = tasks.NormalizeCode(cell(ColCode)); t.Code == "" {
		bad(ColCode, "", "missing")
	} else if !validCode(t.Code) {
		bad(ColCode, t.Code, badTaskCode)
	}
	// Each field is held to what chat allows, so that no file stores what
	// no member could type.
	capped := func(c Column, limit int) string {
		v := cell(c)
		if len(v) > limit && utf8.RuneCountInString(v) > limit {
			bad(c, v, fmt.Sprintf("is longer than %d characters", limit))
		}
		return v
	}
	if t.Title = capped(ColTitle, tasks.MaxTitle); t.Title == "" {
		bad(ColTitle, "", "missing")
	}
	if v := capped(ColUnit, tasks.MaxName); v == "" {
		bad(ColUnit, "", "missing")
	} else {
		t.Unit = tasks.NormalizeCode(v)
	}
	row.UnitName = capped(ColUnitName, tasks.MaxName)
	if v := cell(ColDeadline); v != "" {
		if d, ok := sh.date(v, today); ok {
			t.Deadline = d
		} else if dl, err := tasks.ParseDeadline(v, today); err == nil {
			t.SetDeadline(dl) // "Quý IV/2023", "Thường xuyên": the words kept
		} else if strings.IndexFunc(v, unicode.IsLetter) < 0 {
			bad(ColDeadline, v, "is not a date")
		} else {
			bad(ColDeadline, v, "is not a deadline (e.g. 31/12/2024, Quý IV/2024, Thường xuyên)")
		}
	}
	status := cell(ColStatus)
	if status != "" {
		if st, ok := tasks.ParseStatus(status); ok {
			t.Status = st
		} else {
			bad(ColStatus, status, "is not a status")
		}
	}
	progress := cell(ColProgress)
	if f, err := strconv.ParseFloat(progress, 64); err == nil && sh.percent {
		progress = strconv.FormatFloat(math.Round(f*100), 'f', -1, 64) + "%" // as Excel shows it
	}
	if progress != "" {
		if p, ok := parseProgress(progress); ok {
			t.Progress = p
		} else {
			bad(ColProgress, progress, "is not a whole number from 0 to 100")
		}
	}
	if t.Status != "" && row.Has.Contains(ColProgress) && contradicts(t.Status, t.Progress) {
		bad(ColProgress, progress, fmt.Sprintf("contradicts status %q", status))
	}
	t.Group = capped(ColGroup, tasks.MaxName)
	t.Source = capped(ColSource, tasks.MaxName)
	if v := capped(ColCoUnits, tasks.MaxTitle); v != "" {
		t.CoUnits = splitUnits(v)
		if len(t.CoUnits) == 0 {
			row.Has &^= ColCoUnits
		}
	}
	return row, problems
}

// Why a code is refused.
const (
	badTaskCode = "is not a task code (letters, digits and - _ . / # only, not beginning with -, at most 32 bytes)"
	badUnitCode = "is not a unit code (letters, digits and - _ . / # only, not beginning with -, at most 32 bytes)"
)

// validCode is tasks.ValidCode, the one rule for codes.
func validCode(s string) bool { return tasks.ValidCode(s) }

// contradicts reports whether a status and a progress given together
// cannot both be true: done is 100%, 100% is done, not started is 0%.
func contradicts(st tasks.Status, p int) bool {
	switch {
	case st == tasks.Done:
		return p != 100
	case st == tasks.NotStarted:
		return p != 0
	case st == tasks.InProgress:
		return p == 100
	}
	return false
}

// parseProgress reads 0–100 with an optional %, also "60.0" as a spreadsheet
// may show a whole number.
func parseProgress(s string) (int, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	if i := strings.IndexAny(s, ".,"); i >= 0 && strings.Trim(s[i+1:], "0") == "" {
		s = s[:i]
	}
	if s == "" || len(s) > 3 || strings.ContainsAny(s, "+-") {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 100 {
		return 0, false
	}
	return n, true
}

// parseDate reads a deadline as tasks.ParseDate does, also with a time of
// day after it ("2024-12-31 00:00:00", "2024-12-31T00:00:00Z") as
// spreadsheets and databases export dates.
func parseDate(s string, today tasks.Date) (tasks.Date, bool) {
	if i := strings.IndexAny(s, "T "); i > 0 && isTime(s[i+1:]) {
		s = s[:i]
	}
	d, err := tasks.ParseDate(s, today)
	return d, err == nil
}

// isTime reports whether s looks like a time of day: digits and colons,
// perhaps fractions and a zone.
func isTime(s string) bool {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, ":") {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) && !strings.ContainsRune(":.,Z+-", r) {
			return false
		}
	}
	return true
}

// date reads a date cell: a workbook's stored date, or a date as written
// (see parseDate).
func (sh sheet) date(v string, today tasks.Date) (d tasks.Date, ok bool) {
	if sh.workbook {
		d, ok = excelDate(v, sh.date1904, today)
	}
	if !ok {
		d, ok = parseDate(v, today)
	}
	return d, ok
}

// excelDate reads a workbook's stored date: a serial day number, or an
// ISO 8601 date-time for cells of the date type. ok is false for anything
// else, which is then read as text.
func excelDate(raw string, date1904 bool, today tasks.Date) (tasks.Date, bool) {
	if raw == "" {
		return tasks.Date{}, false
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		if strings.Contains(raw, "T") {
			return parseDate(raw, today)
		}
		return tasks.Date{}, false
	}
	// 1 is 1900-01-01; 2958465 is 9999-12-31.
	if math.IsNaN(f) || f < 1 || f >= 2958466 {
		return tasks.Date{}, false
	}
	t, err := excelize.ExcelDateToTime(math.Floor(f), date1904)
	if err != nil {
		return tasks.Date{}, false
	}
	y, m, d := t.Date()
	return tasks.Date{Year: y, Month: m, Day: d}, true
}

// splitUnits splits a co_units cell on commas and semicolons into unique
// codes.
func splitUnits(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		c := tasks.NormalizeCode(f)
		if c == "" || contains(out, c) {
			continue
		}
		out = append(out, c)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var (
	bomUTF8    = []byte("\xef\xbb\xbf")
	bomUTF16LE = []byte("\xff\xfe")
	bomUTF16BE = []byte("\xfe\xff")
)

// readCSV splits a CSV file into records numbered as a spreadsheet shows
// them.
func readCSV(data []byte) (sheet, error) {
	data = bytes.TrimPrefix(data, bomUTF8)
	if bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE) {
		return sheet{}, tasks.NewError(tasks.EINVALID, "not_utf8", "the CSV file is UTF-16: save it as CSV UTF-8")
	}
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalid(data)], []byte("\n"))
		return sheet{}, tasks.NewError(tasks.EINVALID, "not_utf8",
			fmt.Sprintf("line %d of the CSV file is not UTF-8 text: save it as CSV UTF-8", line), line)
	}
	delim := ','
	// Excel writes and hides a "sep=;" line; the rows it shows start after it.
	first, rest, _ := bytes.Cut(data, []byte("\n"))
	if f := strings.TrimSpace(string(first)); len(f) == 5 && strings.EqualFold(f[:4], "sep=") && (f[4] == ',' || f[4] == ';') {
		delim, data = rune(f[4]), rest
	} else {
		delim = detectDelimiter(data)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = delim
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	var sh sheet
	row, next := 0, 1 // row numbers as shown; the line the next row starts on
	ncells := 0
	for {
		cells, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return sheet{}, tasks.NewError(tasks.EINVALID, "bad_csv", fmt.Sprintf("the CSV file is malformed: %v", err))
		}
		start, _ := r.FieldPos(0)
		row += 1 + start - next // empty lines, which the reader skips, are rows
		end, _ := r.FieldPos(len(cells) - 1)
		next = end + strings.Count(cells[len(cells)-1], "\n") + 1
		if row > MaxRows {
			return sheet{}, tooManyRows()
		}
		if ncells += len(cells); ncells > MaxCells {
			return sheet{}, tooBig("too_many_cells", fmt.Sprintf("the task file has more than %d cells", MaxCells), MaxCells)
		}
		kept := keep(cells)
		for i, c := range kept {
			if len(c) > MaxCell && utf8.RuneCountInString(c) > MaxCell {
				return sheet{}, longCell(row, i+1)
			}
			kept[i] = restore(c)
		}
		sh.records = append(sh.records, record{line: row, cells: kept})
	}
	return sh, nil
}

// longCell is the error for a cell longer than MaxCell, at a row and
// column (from 1) as a spreadsheet shows them.
func longCell(row, col int) error {
	name, _ := excelize.ColumnNumberToName(col)
	return tooBig("cell_too_long", fmt.Sprintf("row %d, column %s: the cell is longer than %d characters", row, name, MaxCell), row, name, MaxCell)
}

// firstInvalid returns the offset of the first byte that is not UTF-8.
func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// detectDelimiter picks ';' or ',' by which appears more often outside
// quotes in the first non-blank line: Excel in a Vietnamese or European
// locale writes semicolons.
func detectDelimiter(data []byte) rune {
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte("\n"))
		data = rest
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		commas, semis, quoted := 0, 0, false
		for _, c := range line {
			switch {
			case c == '"':
				quoted = !quoted
			case c == ',' && !quoted:
				commas++
			case c == ';' && !quoted:
				semis++
			}
		}
		if semis > commas {
			return ';'
		}
		return ','
	}
	return ','
}

// unzipXMLLimit is the largest sheet excelize keeps in memory; larger ones
// go through temporary files. What a workbook may unpack to at all is
// checked before (see checkWorkbook).
const unzipXMLLimit = 64 << 20

// readXLSX reads the first sheet of a workbook, every cell as stored. Cells
// as shown are only looked up where needed: number formatting every cell
// takes excelize several times as long as reading the sheet.
func readXLSX(data []byte) (sheet, error) {
	if err := checkWorkbook(data); err != nil {
		return sheet{}, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    MaxUnzipped,
		UnzipXMLSizeLimit: unzipXMLLimit,
	})
	if err != nil {
		return sheet{}, tasks.NewError(tasks.EINVALID, "bad_xlsx", fmt.Sprintf("not a readable XLSX workbook: %v", err))
	}
	names := f.GetSheetList()
	if len(names) == 0 {
		f.Close()
		return sheet{}, tasks.NewError(tasks.EINVALID, "bad_xlsx", "the workbook has no sheet")
	}
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	taskSheet, indSheet := pickSheets(names)
	var sh, ish sheet
	if taskSheet != "" {
		if sh, err = readWorksheet(f, taskSheet, date1904); err != nil {
			f.Close()
			return sheet{}, err
		}
	}
	if indSheet != "" {
		if ish, err = readWorksheet(f, indSheet, date1904); err != nil {
			f.Close()
			return sheet{}, err
		}
		sh.indicators = &ish
	}
	sh.workbook, sh.close = true, f.Close
	return sh, nil
}

// readWorksheet reads one sheet of a workbook, every cell as stored.
func readWorksheet(f *excelize.File, name string, date1904 bool) (sheet, error) {
	sh := sheet{workbook: true, date1904: date1904, name: name}
	bad := func(err error) (sheet, error) {
		return sheet{}, tasks.NewError(tasks.EINVALID, "bad_xlsx", fmt.Sprintf("cannot read sheet %q: %v", name, err))
	}
	rows, err := f.Rows(name)
	if err != nil {
		return bad(err)
	}
	// Each Next is one row as Excel numbers them: rows the file leaves out
	// come back empty.
	for line := 1; rows.Next(); line++ {
		if line > MaxRows {
			rows.Close()
			return sheet{}, tooManyRows()
		}
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			rows.Close()
			return bad(err)
		}
		kept := keep(cells)
		for i, c := range kept {
			if len(c) > MaxCell && utf8.RuneCountInString(c) > MaxCell {
				rows.Close()
				return sheet{}, longCell(line, i+1)
			}
		}
		sh.records = append(sh.records, record{line: line, cells: kept})
	}
	if err := rows.Close(); err != nil {
		return bad(err)
	}
	sh.shown = func(row, col int) string {
		ref, err := excelize.CoordinatesToCellName(col, row)
		if err != nil {
			return ""
		}
		v, err := f.GetCellValue(name, ref)
		if err != nil {
			return ""
		}
		return v
	}
	return sh, nil
}
