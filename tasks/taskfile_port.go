package tasks

import "time"

// ImportTx is what reading a task file against the store needs of a
// transaction: the units and the tasks (with their history, for Import).
type ImportTx interface {
	UnitStore
	TaskStore
	IndicatorStore
}

// TaskFiles is the task file adapter as the bot uses it: the secretariat's
// import from chat and the empty template. The file's name says its format
// (.xlsx or .csv); a file that cannot be read at all is an *Error with code
// EINVALID whose Key says why (bad_file_type, file_too_big, bad_xlsx,
// xlsx_encrypted, xlsx_too_big, too_many_cells, too_many_texts,
// cell_too_long, file_too_long, not_utf8, bad_csv).
type TaskFiles interface {
	// Preview reads a task file and says what importing it in tx would
	// change, writing nothing. Problems with rows are in the preview, not
	// the error.
	Preview(tx ImportTx, name string, data []byte, now time.Time, loc *time.Location) (ImportPreview, error)
	// Import imports a task file in tx, all or nothing, as member by at
	// now; a file with problems is an *Error with code EINVALID.
	Import(tx ImportTx, name string, data []byte, by Member, now time.Time, loc *time.Location) (ImportResult, error)
	// Template returns an empty task file (XLSX) in lang, whose unit
	// column offers units; today dates its examples.
	Template(units []Unit, lang string, today Date) ([]byte, error)
}

// ImportResult counts what an import did.
type ImportResult struct {
	Created, Updated, Unchanged, UnitsCreated int
}

// ImportPreview is what a task file would change, computed without
// writing anything.
type ImportPreview struct {
	ImportResult
	// Changes are the existing tasks the file changes, in file order:
	// each as stored and as it would be.
	Changes []ImportChange
	// New are the codes of the tasks the file creates, in file order.
	New []string
	// Problems are every problem found, ordered by row; a preview with
	// problems cannot be applied.
	Problems []ImportProblem
	// State fingerprints what the preview was computed from (the units
	// and the stored tasks the file names): Apply compares it with a new
	// preview's to know that the tasks did not change meanwhile.
	State string
}

// ImportChange is one existing task that an import changes.
type ImportChange struct {
	Row      int // as the spreadsheet numbers it
	Old, New Task
}

// ImportProblem is one thing wrong with a task file, placed as the
// spreadsheet shows it.
type ImportProblem struct {
	Row    int    // as the spreadsheet numbers it, the header being row 1 (or below title rows)
	Column string // the column's letter ("E"); empty for the whole row or file
	Header string // the column's header as the file writes it ("Thời hạn")
	Value  string // the cell, shortened; empty when the cell is empty
	Why    string // what is wrong, in English
	// Kind names what is wrong, for a sentence in the member's language
	// (see taskfile's problem kinds), with Args its variable parts; ""
	// when only Why says it.
	Kind string
	Args []string
}

// PendingImport is a task file the secretariat sent in chat, previewed
// and waiting for Apply or Cancel. Apply imports exactly these bytes, and
// only while the tasks are still in State (see ImportPreview.State).
type PendingImport struct {
	ID       int64     `json:"id"` // the update that brought the file
	Member   int64     `json:"member"`
	Chat     int64     `json:"chat"`
	FileName string    `json:"file_name"`
	Data     []byte    `json:"data"`
	State    string    `json:"state"`
	Created  time.Time `json:"created"`
}

// Expires returns when the pending import is forgotten.
func (p PendingImport) Expires() time.Time { return p.Created.Add(PendingImportTTL) }
