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
// source, so that reading it back gives the same tasks. units supply the
// unit_name column.
//
// CSV is for machines: UTF-8 with a BOM (so that Excel shows the accents),
// comma separated, English column names, statuses by their stored names,
// dates as YYYY-MM-DD; lang is not used. A cell that a spreadsheet would
// run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe,
// which Read removes again.
//
// XLSX is for people: one sheet with the header in lang ("vi" or "en";
// anything else is Vietnamese) in bold and frozen, filters on it, wrapped
// text in sensible widths, deadlines as real dates shown dd/mm/yyyy,
// statuses in lang, progress as a number, set up to print landscape on A4
// one page wide with the header on every page.
func Write(w io.Writer, format Format, ts []tasks.Task, units []tasks.Unit, lang string) error {
	names := make(map[string]string, len(units))
	for _, u := range units {
		names[u.Code] = u.Name
	}
	switch format {
	case CSV:
		return writeCSV(w, ts, names)
	case XLSX:
		return writeXLSX(w, ts, names, lang, nil)
	}
	return tasks.Errorf(tasks.EINVALID, "unknown task file format %v", format)
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

// writeCSV writes the machine-friendly CSV.
func writeCSV(w io.Writer, ts []tasks.Task, names map[string]string) error {
	if _, err := w.Write(bomUTF8); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(columnNames[:]); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, t := range ts {
		rec := []string{
			t.Code, t.Title, t.Unit, names[t.Unit], deadlineCell(t), string(t.Status),
			strconv.Itoa(t.Progress), t.Group, strings.Join(t.CoUnits, ", "), t.Source,
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
var columnWidths = [colCount]float64{12, 60, 10, 28, 12, 22, 10, 24, 18, 24}

// writeXLSX writes the workbook a secretariat prints.
// inds, when any, go on a second sheet (see writeIndicatorSheet).
func writeXLSX(w io.Writer, ts []tasks.Task, names map[string]string, lang string, inds []tasks.IndicatorStanding) error {
	if lang != "en" {
		lang = "vi"
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Nhiệm vụ"
	if lang == "en" {
		sheet = "Tasks"
	}
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := setupPage(f, sheet, len(ts)+1); err != nil {
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
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	header := make([]any, colCount)
	for i, label := range columnLabels[lang] {
		header[i] = excelize.Cell{StyleID: st.header, Value: label}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 30}); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	for i, t := range ts {
		var deadline any
		switch {
		case t.DeadlineText != "":
			deadline = t.DeadlineText // as the plan wrote it: "Quý IV/2023"
		case !t.Deadline.IsZero():
			deadline = time.Date(t.Deadline.Year, t.Deadline.Month, t.Deadline.Day, 0, 0, 0, 0, time.UTC)
		}
		row := []any{
			excelize.Cell{StyleID: st.text, Value: t.Code},
			excelize.Cell{StyleID: st.wrap, Value: t.Title},
			excelize.Cell{StyleID: st.text, Value: t.Unit},
			excelize.Cell{StyleID: st.wrap, Value: text(names[t.Unit])},
			excelize.Cell{StyleID: st.date, Value: deadline},
			excelize.Cell{StyleID: st.wrap, Value: t.Status.Name(lang)},
			excelize.Cell{StyleID: st.number, Value: t.Progress},
			excelize.Cell{StyleID: st.wrap, Value: text(t.Group)},
			excelize.Cell{StyleID: st.wrap, Value: text(strings.Join(t.CoUnits, ", "))},
			excelize.Cell{StyleID: st.wrap, Value: text(t.Source)},
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+2), row); err != nil {
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
	header, text, wrap, date, number int
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
// the header repeated, and puts filters on the header of rows 1..lastRow.
// It must run before the stream writer takes the sheet.
func setupPage(f *excelize.File, sheet string, lastRow int) error {
	// AutoFilter replaces the sheet properties: it goes first.
	last, err := excelize.CoordinatesToCellName(colCount, lastRow)
	if err != nil {
		return err
	}
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
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
		RefersTo: "'" + sheet + "'!$1:$1",
		Scope:    sheet,
	})
}
