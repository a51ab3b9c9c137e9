package taskfile

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"steerbot/tasks"
)

// Write writes tasks as a task file with every column, in the order code,
// title, unit, unit_name, deadline, status, progress, group, co_units,
// source, so that reading it back gives the same tasks, then the columns a
// meeting reads and an import ignores: last update, latest note, blocker
// and timeliness. units supply the unit_name column. Both formats speak
// lang ("vi" or "en"; anything else is Vietnamese): its headers and its
// status words.
//
// CSV: UTF-8 with a BOM (so that Excel shows the accents), comma
// separated, dates as YYYY-MM-DD. A cell that a spreadsheet would run as a
// formula (=, +, -, @, tab, CR first) gets a leading apostrophe, which Read
// removes again.
//
// XLSX is for people: one sheet with the header in bold and frozen,
// filters on it, wrapped text in sensible widths, deadlines as real dates
// shown dd/mm/yyyy, progress as a number, set up to print landscape on A4
// one page wide with the header on every page.
//
// Write has no title and leaves timeliness blank: see Export.Write.
func Write(w io.Writer, format Format, ts []tasks.Task, units []tasks.Unit, lang string) error {
	return Export{Lang: lang}.Write(w, format, ts, units)
}

// Export is how an export is presented beyond the tasks themselves.
type Export struct {
	Lang string // "vi" or "en"; anything else is Vietnamese
	// Committee, when set, is the title of an XLSX: its name and the date
	// above the header (Read finds the header below them).
	Committee string
	// Timeline is the moment the export shows: the date under the title
	// and the timeliness column. A zero Now leaves both out.
	Timeline tasks.Timeline
}

// Write writes tasks as Write does, with x's title and timeliness.
func (x Export) Write(w io.Writer, format Format, ts []tasks.Task, units []tasks.Unit) error {
	if x.Lang != "en" {
		x.Lang = "vi"
	}
	if x.Timeline.Loc == nil {
		x.Timeline.Loc = time.UTC
	}
	names := make(map[string]string, len(units))
	for _, u := range units {
		names[u.Code] = u.Name
	}
	switch format {
	case CSV:
		return x.writeCSV(w, ts, names)
	case XLSX:
		return x.writeXLSX(w, ts, names, nil)
	}
	return tasks.Errorf(tasks.EINVALID, "unknown task file format %v", format)
}

// exportLabels are the headers of the columns after the task file's own,
// by language: what a meeting reads, which an import ignores.
var exportLabels = map[string][exportCount]string{
	"vi": {"Cập nhật lần cuối", "Ghi chú gần nhất", "Khó khăn, vướng mắc", "Đánh giá tiến độ"},
	"en": {"Last update", "Latest note", "Blocker", "Timeliness"},
}

// exportCount is how many columns follow the task file's own.
const exportCount = 4

// timelinessWords name a task's timeliness category in the export, by
// language: the categories of Vietnamese government task follow-up.
var timelinessWords = map[string]map[tasks.Timeliness]string{
	"vi": {
		tasks.DoneOnTime: "Hoàn thành đúng hạn", tasks.DoneLate: "Hoàn thành quá hạn",
		tasks.DoneUndated: "Đã hoàn thành", tasks.OnTrack: "Đang thực hiện, trong hạn",
		tasks.DueSoon: "Sắp đến hạn", tasks.Overdue: "Quá hạn", tasks.NoDeadline: "Chưa có thời hạn",
		tasks.Ongoing: "Thường xuyên", tasks.Closed: "Dừng, chuyển tiếp",
	},
	"en": {
		tasks.DoneOnTime: "Done on time", tasks.DoneLate: "Done late",
		tasks.DoneUndated: "Done", tasks.OnTrack: "In progress, on time",
		tasks.DueSoon: "Due soon", tasks.Overdue: "Overdue", tasks.NoDeadline: "No deadline",
		tasks.Ongoing: "Ongoing", tasks.Closed: "Stopped or carried over",
	},
}

// headers returns every header of the export, in lang.
func (x Export) headers() []string {
	l := columnLabels[x.Lang]
	e := exportLabels[x.Lang]
	return append(l[:], e[:]...)
}

// timeliness returns t's timeliness category, or "" without a moment.
func (x Export) timeliness(t tasks.Task) string {
	if x.Timeline.Now.IsZero() {
		return ""
	}
	return timelinessWords[x.Lang][x.Timeline.Of(t)]
}

// updated returns the day t was last changed, or the zero Date.
func (x Export) updated(t tasks.Task) tasks.Date {
	if t.Updated.IsZero() {
		return tasks.Date{}
	}
	return tasks.DateOf(t.Updated, x.Timeline.Loc)
}

// WriteFile writes a task file at path (see Write), its format given by its
// extension (see FormatOf). The file appears whole or not at all: it is
// written beside path and renamed into place.
func WriteFile(path string, ts []tasks.Task, units []tasks.Unit, lang string) (err error) {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write task file: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriter(f)
	if err = Write(bw, format, ts, units, lang); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("write task file: %w", err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("write task file: %w", err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("write task file: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write task file: %w", err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write task file: %w", err)
	}
	return nil
}

// writeCSV writes the CSV.
func (x Export) writeCSV(w io.Writer, ts []tasks.Task, names map[string]string) error {
	if _, err := w.Write(bomUTF8); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(x.headers()); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, t := range ts {
		updated := ""
		if d := x.updated(t); !d.IsZero() {
			updated = d.String()
		}
		rec := []string{
			t.Code, t.Title, t.Unit, names[t.Unit], deadlineCell(t), t.Status.Name(x.Lang),
			strconv.Itoa(t.Progress), t.Group, strings.Join(t.CoUnits, ", "), t.Source,
			updated, t.Note, t.Blocker, x.timeliness(t),
		}
		for i, c := range rec {
			rec[i] = neutralise(c)
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// columnWidths are the XLSX column widths, in characters, by column.
var columnWidths = [colCount + exportCount]float64{12, 60, 10, 28, 12, 22, 10, 24, 18, 24, 14, 40, 40, 22}

// exportTitles are the words of an XLSX's title rows, by language.
var exportTitles = map[string]struct{ sheet, asOf string }{
	"vi": {"Nhiệm vụ", "Danh sách nhiệm vụ, số liệu đến ngày %s"},
	"en": {"Tasks", "Task list as of %s"},
}

// titleRows are how many rows an XLSX with a title has above its header:
// the committee, the date, a blank row.
const titleRows = 3

// writeXLSX writes the workbook a secretariat prints.
// inds, when any, go on a second sheet (see writeIndicatorSheet).
func (x Export) writeXLSX(w io.Writer, ts []tasks.Task, names map[string]string, inds []tasks.IndicatorStanding) error {
	lang := x.Lang
	f := excelize.NewFile()
	defer f.Close()
	sheet := exportTitles[x.Lang].sheet
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	top := 0 // rows above the header
	if x.Committee != "" || !x.Timeline.Now.IsZero() {
		top = titleRows
	}
	head := top + 1 // the header's row
	if err := setupPage(f, sheet, head, head+len(ts)); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}

	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	for i, width := range columnWidths {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
	}
	first := "A" + strconv.Itoa(head+1)
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: head, TopLeftCell: first, ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: first, ActiveCell: first, Pane: "bottomLeft"}},
	}); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if top > 0 {
		asOf := ""
		if !x.Timeline.Now.IsZero() {
			asOf = fmt.Sprintf(exportTitles[x.Lang].asOf, tasks.DateOf(x.Timeline.Now, x.Timeline.Loc).VN())
		}
		for i, line := range []string{x.Committee, asOf} {
			style := st.title
			if i > 0 {
				style = st.subtitle
			}
			if err := sw.SetRow("A"+strconv.Itoa(i+1), []any{excelize.Cell{StyleID: style, Value: text(line)}}, excelize.RowOpts{Height: 20}); err != nil {
				return fmt.Errorf("write xlsx: %w", err)
			}
		}
	}
	hs := x.headers()
	header := make([]any, len(hs))
	for i, label := range hs {
		header[i] = excelize.Cell{StyleID: st.header, Value: label}
	}
	if err := sw.SetRow("A"+strconv.Itoa(head), header, excelize.RowOpts{Height: 30}); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	for i, t := range ts {
		var deadline, updated any
		switch {
		case t.DeadlineText != "":
			deadline = t.DeadlineText // as the plan wrote it: "Quý IV/2023"
		case !t.Deadline.IsZero():
			deadline = time.Date(t.Deadline.Year, t.Deadline.Month, t.Deadline.Day, 0, 0, 0, 0, time.UTC)
		}
		if d := x.updated(t); !d.IsZero() {
			updated = time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
		}
		row := []any{
			excelize.Cell{StyleID: st.text, Value: t.Code},
			excelize.Cell{StyleID: st.wrap, Value: t.Title},
			excelize.Cell{StyleID: st.text, Value: t.Unit},
			excelize.Cell{StyleID: st.wrap, Value: text(names[t.Unit])},
			excelize.Cell{StyleID: st.date, Value: deadline},
			excelize.Cell{StyleID: st.wrap, Value: t.Status.Name(x.Lang)},
			excelize.Cell{StyleID: st.number, Value: t.Progress},
			excelize.Cell{StyleID: st.wrap, Value: text(t.Group)},
			excelize.Cell{StyleID: st.wrap, Value: text(strings.Join(t.CoUnits, ", "))},
			excelize.Cell{StyleID: st.wrap, Value: text(t.Source)},
			excelize.Cell{StyleID: st.date, Value: updated},
			excelize.Cell{StyleID: st.wrap, Value: text(t.Note)},
			excelize.Cell{StyleID: st.wrap, Value: text(t.Blocker)},
			excelize.Cell{StyleID: st.wrap, Value: text(x.timeliness(t))},
		}
		if err := sw.SetRow("A"+strconv.Itoa(head+1+i), row); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := writeIndicatorSheet(f, inds, lang, st); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// deadlineCell is a task's deadline in a CSV: the words the plan wrote
// ("Quý IV/2023"), which read back to the same date, or YYYY-MM-DD.
func deadlineCell(t tasks.Task) string {
	if t.DeadlineText != "" {
		return t.DeadlineText
	}
	return t.Deadline.String()
}

// text returns s as a cell value: nil for an empty cell rather than an
// empty string.
func text(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// styles are the cell styles of the workbook.
type styles struct {
	title, subtitle, header, text, wrap, date, number int
}

// dateFormat is how the workbook shows deadlines, as Vietnamese documents
// write dates.
const dateFormat = "dd/mm/yyyy"

func newStyles(f *excelize.File) (styles, error) {
	var st styles
	top := &excelize.Alignment{Vertical: "top"}
	dateFmt := dateFormat
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&st.subtitle, excelize.Style{Font: &excelize.Font{Italic: true}}},
		{&st.header, excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
			Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
		}},
		{&st.text, excelize.Style{Alignment: top}},
		{&st.wrap, excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&st.date, excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "center"}}},
		{&st.number, excelize.Style{NumFmt: 1, Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "center"}}},
	} {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return styles{}, err
		}
		*s.id = id
	}
	return st, nil
}

// setupPage sets the sheet to print landscape on A4, one page wide, with
// the header (row head) repeated, and puts filters on the header of rows
// head..lastRow. It must run before the stream writer takes the sheet.
func setupPage(f *excelize.File, sheet string, head, lastRow int) error {
	// AutoFilter replaces the sheet properties: it goes first.
	last, err := excelize.CoordinatesToCellName(colCount+exportCount, lastRow)
	if err != nil {
		return err
	}
	if err := f.AutoFilter(sheet, "A"+strconv.Itoa(head)+":"+last, nil); err != nil {
		return err
	}
	a4, landscape, wide, tall, fit := 9, "landscape", 1, 0, true
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sheet, head, head),
		Scope:    sheet,
	})
}
