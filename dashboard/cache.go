package dashboard

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"steerbot/tasks"
)

// versioned is a transaction that names the committed state it reads
// (storage.Tx does): what was read at one version is the same at that
// version in any later transaction.
type versioned interface{ Version() uint64 }

// taskCache keeps the task summaries as last read, with their version:
// between two changes every page reads the same list, and a page after a
// change decodes the compact summaries (tasks.Summarizer), not every
// task's record.
type taskCache struct {
	mu      sync.Mutex
	ok      bool
	version uint64
	tasks   []tasks.Task
}

// cachedTx is a transaction whose task summaries come from the cache when
// the cache holds the version the transaction reads; the page still reads
// one consistent state.
type cachedTx struct {
	tasks.Tx
	c *taskCache
}

// TaskSummaries returns every task with the fields of its summary
// (tasks.Summarizer), from the cache when it can; the whole tasks when
// the store keeps no summaries. The slice is the caller's.
func (tx cachedTx) TaskSummaries() ([]tasks.Task, error) {
	v, ok := tx.Tx.(versioned)
	if !ok {
		return tasks.DigestTasks(tx.Tx)
	}
	ver := v.Version()
	tx.c.mu.Lock()
	if tx.c.ok && tx.c.version == ver {
		ts := slices.Clone(tx.c.tasks)
		tx.c.mu.Unlock()
		return ts, nil
	}
	tx.c.mu.Unlock()
	ts, err := tasks.DigestTasks(tx.Tx)
	if err != nil {
		return nil, err
	}
	tx.c.mu.Lock()
	if !tx.c.ok || ver >= tx.c.version {
		tx.c.ok, tx.c.version, tx.c.tasks = true, ver, ts
	}
	tx.c.mu.Unlock()
	return slices.Clone(ts), nil
}

// trendKey names a trend: the newest snapshot (snapshots are only ever
// added, so it names the newest TrendPoints of them) and the plan.
type trendKey struct {
	last int64 // the newest snapshot's time, Unix nanoseconds
	plan string
}

// trendCache keeps computed trends: a trend reads a dozen snapshots of
// every task, and changes only when a digest is sent. A plan's trend
// counts tasks by the plan they had when it was computed.
type trendCache struct {
	mu     sync.Mutex
	points map[trendKey][]trendPoint
}

// trend returns the points of the digests sent, oldest first, for a plan
// ("" for all); last is the newest snapshot's time (zero when none).
func (s *Server) trend(rq *request, last time.Time, groupOf map[string]string, plan string) ([]trendPoint, error) {
	if last.IsZero() {
		return nil, nil
	}
	key := trendKey{last: last.UnixNano(), plan: plan}
	s.trends.mu.Lock()
	p, ok := s.trends.points[key]
	s.trends.mu.Unlock()
	if ok {
		return slices.Clone(p), nil
	}
	snaps, err := rq.tx.Snapshots(s.o.TrendPoints)
	if err != nil {
		return nil, fmt.Errorf("read snapshots: %w", err)
	}
	p = trendPoints(snaps, groupOf, plan, s.o.Loc)
	s.trends.mu.Lock()
	if s.trends.points == nil || len(s.trends.points) > 64 {
		s.trends.points = map[trendKey][]trendPoint{}
	}
	s.trends.points[key] = p
	s.trends.mu.Unlock()
	return slices.Clone(p), nil
}
