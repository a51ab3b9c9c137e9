package taskfile

import "strings"

// formulaStart holds the characters that make a spreadsheet read a CSV
// cell as a formula (OWASP, "CSV Injection").
const formulaStart = "=+-@\t\r"

// neutralise returns s as a CSV cell that no spreadsheet runs: a cell that
// would begin with a formula character gets a leading apostrophe, as OWASP
// advises and as Excel itself marks text. Cells that already begin with
// apostrophes before such a character get one more, so that restore gives
// them back exactly.
func neutralise(s string) string {
	if needsQuote(s) {
		return "'" + s
	}
	return s
}

// restore undoes neutralise on a cell read from a CSV file.
func restore(s string) string {
	if strings.HasPrefix(s, "'") && needsQuote(s) {
		return s[1:]
	}
	return s
}

// needsQuote reports whether s, after any leading apostrophes, begins with
// a formula character.
func needsQuote(s string) bool {
	s = strings.TrimLeft(s, "'")
	return s != "" && strings.IndexByte(formulaStart, s[0]) >= 0
}
