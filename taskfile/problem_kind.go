package taskfile

import (
	"strconv"
	"strings"
)

// problemKind names what a Problem's Why says, with its variable parts,
// so that the bot can say it in the member's language. The kinds are
// stable: the bot's catalogs have a sentence for each ("import_why_KIND").
// A Why of no known form gives "" (the bot then shows it as it is).
func problemKind(why string) (kind string, args []string) {
	switch {
	case why == "missing":
		return "missing", nil
	case why == badTaskCode:
		return "bad_task_code", nil
	case why == badUnitCode:
		return "bad_unit_code", nil
	case why == "is not a date":
		return "not_date", nil
	case strings.HasPrefix(why, "is not a deadline"):
		return "not_deadline", nil
	case why == "is not a status":
		return "not_status", nil
	case why == "is not a whole number from 0 to 100":
		return "not_progress", nil
	case why == "is not a known unit (give unit_name to create it)":
		return "unknown_unit", nil
	case why == "is not a known unit":
		return "unknown_co_unit", nil
	case why == "no header row: the file is empty":
		return "empty_file", nil
	case strings.HasPrefix(why, "missing required columns: "):
		return "missing_columns", []string{strings.TrimPrefix(why, "missing required columns: ")}
	case number(why, "repeats row ", "") != "":
		return "repeats_row", []string{number(why, "repeats row ", "")}
	case number(why, "is longer than ", " characters") != "":
		return "too_long", []string{number(why, "is longer than ", " characters")}
	case strings.HasPrefix(why, "contradicts status "):
		if s, err := strconv.Unquote(strings.TrimPrefix(why, "contradicts status ")); err == nil {
			return "contradicts", []string{s}
		}
	case strings.HasPrefix(why, "names the same column as "):
		if s, err := strconv.Unquote(strings.TrimPrefix(why, "names the same column as ")); err == nil {
			return "same_column", []string{s}
		}
	case strings.HasPrefix(why, "differs from "):
		rest := strings.TrimPrefix(why, "differs from ")
		if i := strings.LastIndex(rest, " on row "); i > 0 {
			if s, err := strconv.Unquote(rest[:i]); err == nil && number(rest[i:], " on row ", "") != "" {
				return "unit_name_differs", []string{s, number(rest[i:], " on row ", "")}
			}
		}
	}
	return "", nil
}

// number returns the whole number that s holds between prefix and
// suffix, or "" when s is not of that form.
func number(s, prefix, suffix string) string {
	mid, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return ""
	}
	if mid, ok = strings.CutSuffix(mid, suffix); !ok {
		return ""
	}
	if _, err := strconv.Atoi(mid); err != nil {
		return ""
	}
	return mid
}
