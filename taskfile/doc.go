// Package taskfile reads and writes the committee's task list as a CSV or
// XLSX file: the "Task file" contract of DESIGN.md.
//
// Read turns a file into validated Rows, collecting every problem of every
// row into one *ValidationError; Apply writes the rows into the store inside
// the caller's transaction, creating and updating tasks and units and
// recording an Update (via import) for every task it creates or changes;
// Import does both and reports the problems of both steps together. Write
// produces a file with the same columns, so that export → import gives the
//
// An import is all or nothing because Apply runs in the caller's
// transaction and writes only when every row is good:
//
//	err := store.Update(ctx, func(tx tasks.Tx) error {
//		res, err = taskfile.Import(tx, f, taskfile.CSV, by, now, loc)
//		if err == nil && dryRun {
//			return errDryRun // roll back; res still says what would change
//		}
//		return err
//	})
//
// Problems a user can fix (a bad cell, a missing column, an unreadable
// file) are *ValidationError or *tasks.Error values with code EINVALID;
// anything else comes from the store.
package taskfile
