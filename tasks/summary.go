package tasks

// Summarizer is implemented by a transaction that keeps, beside every
// task, a compact summary of the fields a digest reads (storage.Tx does):
// reading those is several times faster than reading whole tasks, which
// matters when the digest is computed on every request.
type Summarizer interface {
	// TaskSummaries returns every task ordered by code with at least
	// Code, Title, Unit, Group, Status, Progress, Deadline, CompletedAt,
	// Blocker, DeadlineText, Updated and CoUnits set (the dashboard's
	// lists read the last three).
	TaskSummaries() ([]Task, error)
}

// TaskLister lists tasks; every Tx is one.
type TaskLister interface {
	// Tasks returns the tasks that f selects ordered by code.
	Tasks(f TaskFilter) ([]Task, error)
}

// DigestTasks returns every task, ordered by code, with at least the
// fields ComputeDigest and TakeSnapshot read: the summaries when tx keeps
// them (Summarizer), every whole task otherwise. Load a digest's tasks
// with it.
func DigestTasks(tx TaskLister) ([]Task, error) {
	if s, ok := tx.(Summarizer); ok {
		return s.TaskSummaries()
	}
	return tx.Tasks(TaskFilter{})
}
