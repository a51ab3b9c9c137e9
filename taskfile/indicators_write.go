package taskfile

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"steerbot/tasks"
)

// WriteAll writes tasks and indicators as one file, so that reading it
// back gives the same tasks and indicators and appends no value. XLSX has
// the tasks on the first sheet (as Write) and the indicators on a second
// one, "Chỉ tiêu" ("Indicators" in English), with every column of the
// contract; value is each indicator's latest value. A CSV holds one
// table: the tasks (as Write), or the indicators alone when there are no
// tasks (see WriteIndicators).
func WriteAll(w io.Writer, format Format, ts []tasks.Task, inds []tasks.IndicatorStanding, units []tasks.Unit, lang string) error {
	return Export{Lang: lang}.WriteAll(w, format, ts, inds, units)
}

// WriteAll writes the tasks and the indicators as x presents them: in an
// XLSX the indicators go on a second sheet; a CSV holds one table, the
// tasks, or the indicators when there are no tasks.
func (x Export) WriteAll(w io.Writer, format Format, ts []tasks.Task, inds []tasks.IndicatorStanding, units []tasks.Unit) error {
	switch {
	case format == XLSX:
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
		return x.writeXLSX(w, ts, names, inds)
	case format == CSV && len(ts) == 0 && len(inds) > 0:
		return WriteIndicators(w, inds)
	}
	return x.Write(w, format, ts, units)
}

// WriteIndicators writes the indicators as a CSV file for machines: UTF-8
// with a BOM, English column names, states and periods by their stored
// names, dates as YYYY-MM-DD, formula-like cells neutralised as in Write.
func WriteIndicators(w io.Writer, inds []tasks.IndicatorStanding) error {
	if _, err := w.Write(bomUTF8); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(indColumnNames[:]); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, st := range inds {
		rec := indicatorCells(st, "en")
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

// indicatorCells are the cells of one indicator, in column order, with
// states and periods in lang.
func indicatorCells(st tasks.IndicatorStanding, lang string) []string {
	ind := st.Indicator
	value, assigned := "", ""
	if st.Last != nil {
		value = st.Last.Quantity().String()
	}
	if !ind.AssignedOn.IsZero() {
		assigned = ind.AssignedOn.String()
	}
	return []string{
		ind.Code, ind.Name, ind.Unit, ind.Target.String(), periodCell(ind.Period, lang), value,
		stateCell(ind.State, lang), assigned, ind.Group, strings.Join(ind.CoUnits, ", "), ind.Source,
	}
}

// indColumnWidths are the indicator sheet's column widths, in characters.
var indColumnWidths = [icCount]float64{10, 60, 10, 14, 10, 14, 16, 12, 24, 18, 24}

// writeIndicatorSheet adds the indicator sheet to a workbook, set up like
// the tasks' sheet; nothing when there is no indicator.
func writeIndicatorSheet(f *excelize.File, inds []tasks.IndicatorStanding, lang string, st styles) error {
	if len(inds) == 0 {
		return nil
	}
	sheet := "Chỉ tiêu"
	if lang == "en" {
		sheet = "Indicators"
	} else {
		lang = "vi"
	}
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	last, err := excelize.CoordinatesToCellName(icCount, len(inds)+1)
	if err != nil {
		return err
	}
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, width := range indColumnWidths {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	header := make([]any, icCount)
	for i, label := range indColumnLabels[lang] {
		header[i] = excelize.Cell{StyleID: st.header, Value: label}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	for i, x := range inds {
		cells := indicatorCells(x, lang)
		row := make([]any, len(cells))
		for j, c := range cells {
			style := st.wrap
			if j == 0 || j == 2 {
				style = st.text
			}
			row[j] = excelize.Cell{StyleID: style, Value: text(c)}
		}
		if d := x.Indicator.AssignedOn; !d.IsZero() {
			row[7] = excelize.Cell{StyleID: st.date, Value: time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)}
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+2), row); err != nil {
			return err
		}
	}
	return sw.Flush()
}
