package tasks

import "fmt"

// DigestSource is the part of a transaction a digest is read from (see
// Tx).
type DigestSource interface {
	Tasks(f TaskFilter) ([]Task, error)
	Units() ([]Unit, error)
	Extensions(state ExtState) ([]ExtensionRequest, error)
	LastSnapshot() (Snapshot, error)
	Members() ([]Member, error)
	IndicatorReader
}

// LoadDigestInput reads from tx everything a digest at tl is computed
// from: every task, the units, the members, the pending extension
// requests, the last digest sent, to compare with (none yet is no error),
// and the indicators judged on tl's day. group limits the digest to one
// group ("" for all).
func LoadDigestInput(tx DigestSource, tl Timeline, group string) (DigestInput, error) {
	in := DigestInput{Group: group, Timeline: tl}
	var err error
	if in.Tasks, err = DigestTasks(tx); err != nil {
		return DigestInput{}, fmt.Errorf("read tasks: %w", err)
	}
	if in.Units, err = tx.Units(); err != nil {
		return DigestInput{}, fmt.Errorf("read units: %w", err)
	}
	if in.Members, err = tx.Members(); err != nil {
		return DigestInput{}, fmt.Errorf("read members: %w", err)
	}
	if in.Members == nil {
		in.Members = []Member{} // loaded, and nobody: every unit is unreached
	}
	if in.Extensions, err = tx.Extensions(ExtPending); err != nil {
		return DigestInput{}, fmt.Errorf("read extensions: %w", err)
	}
	if in.Indicators, err = LoadIndicatorStandings(tx, IndicatorFilter{}, tl.Today()); err != nil {
		return DigestInput{}, err
	}
	prev, err := tx.LastSnapshot()
	switch {
	case err == nil:
		in.Previous = &prev
	case !IsNotFound(err):
		return DigestInput{}, fmt.Errorf("read snapshot: %w", err)
	}
	return in, nil
}
