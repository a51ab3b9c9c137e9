package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"steerbot/tasks"
)

// ErrLocked is wrapped by Open when another process, or another handle in
// this one, holds the database file: bbolt lets one writer at a time open it.
var ErrLocked = errors.New("database is in use by another steerbot process (a running bot)")

// ErrSchemaTooNew is wrapped by Open when the file was written by a newer
// steerbot whose schema this build does not know.
var ErrSchemaTooNew = errors.New("database was written by a newer steerbot; upgrade steerbot to open it")

// ErrTxNotWritable is wrapped by every write made in a View transaction. It
// is bbolt's own sentinel, so errors.Is works with either name.
var ErrTxNotWritable = berrors.ErrTxNotWritable

// DefaultTimeout is how long Open waits for the file lock before it gives up
// with ErrLocked.
const DefaultTimeout = time.Second

// Option changes how Open opens a store.
type Option func(*options)

type options struct {
	timeout time.Duration
	clock   tasks.Clock
	maxSize int
}

// WithClock sets the clock that a migration reads (records it moves count
// as made at that time). The default is tasks.SystemClock.
func WithClock(c tasks.Clock) Option {
	return func(o *options) {
		if c != nil {
			o.clock = c
		}
	}
}

// WithTimeout sets how long Open waits for another holder of the file to
// let go before failing with ErrLocked. A zero or negative d means
// DefaultTimeout: Open never waits forever.
func WithTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.timeout = d
		}
	}
}

// WithMaxSize caps the file at n bytes: a commit that would grow it past n
// fails, as on a full disk, and Health reports it. Zero means no cap.
func WithMaxSize(n int) Option {
	return func(o *options) { o.maxSize = max(n, 0) }
}

// Store is the bbolt implementation of tasks.Store: one file that one
// process holds at a time. Its methods are safe for concurrent use.
//
// A damaged file never panics out of a Store: Open, Update, View, Batch,
// Backup and Ping turn bbolt's panics on corrupted pages, and faults on a
// truncated file, into errors wrapping ErrDamaged (see catch), and Health
// reports it with the state of the last commit and read.
type Store struct {
	db   *bolt.DB
	file *os.File // bbolt's own handle on the file: its size, and its lock
	path string

	mu     sync.Mutex
	health Health
}

var _ tasks.Store = (*Store)(nil)

// Open opens (creating if needed) the database at path, creates its buckets
// and brings its schema up to SchemaVersion. When another process holds the
// file it fails within the timeout with an error wrapping ErrLocked; a file
// written by a newer steerbot is refused with ErrSchemaTooNew; a damaged
// file (not a bbolt file, corrupted, cut short) with ErrDamaged.
func Open(path string, opts ...Option) (*Store, error) {
	o := options{timeout: DefaultTimeout, clock: tasks.SystemClock}
	for _, opt := range opts {
		opt(&o)
	}
	s := &Store{path: path}
	bo := &bolt.Options{
		Timeout:         o.timeout,
		InitialMmapSize: initialMmapSize(path),
		MaxSize:         o.maxSize,
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			f, err := os.OpenFile(name, flag, perm)
			if s.file == nil { // the first is bbolt's own handle, opened before any other
				s.file = f
			}
			return f, err
		},
	}
	err := precheck(path, o.timeout)
	if err == nil {
		err = catch(func() error {
			var err error
			s.db, err = bolt.Open(path, 0o600, bo)
			return err
		})
	}
	switch {
	case errors.Is(err, ErrDamaged):
		// Found by precheck, or bbolt panicked half-way: then its handle
		// is ours to close, and the file stays mapped (so locked) until
		// this process ends.
		if s.file != nil {
			_ = s.file.Close()
		}
		return nil, fmt.Errorf("open store %s: %w", path, err)
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("open store %s: %w", path, ErrLocked)
	case openDamage(err):
		return nil, fmt.Errorf("open store %s: %w", path, damagedError(err))
	case err != nil:
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	// A file already at SchemaVersion is only read: a write transaction
	// would cost every command line call a commit and an fsync.
	current := false
	err = s.guard(func() error {
		return s.db.View(func(btx *bolt.Tx) error {
			if err := s.checkSize(btx); err != nil {
				return err
			}
			current = upToDate(btx)
			return nil
		})
	})
	if err == nil && !current {
		err = s.guard(func() error {
			return s.db.Update(func(tx *bolt.Tx) error { return migrate(tx, o.clock.Now()) })
		})
	}
	if err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

// Update runs fn in a read-write transaction that is committed, and synced
// to disk, when fn returns nil, and rolled back otherwise. fn's error is
// returned as it is. fn must not keep the Tx, or use it from another
// goroutine, after it returns. A done ctx stops Update before it starts.
func (s *Store) Update(ctx context.Context, fn func(tasks.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var fnErr error
	err := s.guard(func() error {
		return s.db.Update(func(btx *bolt.Tx) error {
			tx := &Tx{tx: btx}
			if fnErr = fn(tx); fnErr != nil {
				return fnErr
			}
			return tx.flushAll()
		})
	})
	switch {
	case errors.Is(err, ErrDamaged):
		return fmt.Errorf("commit: %w", err)
	case err != nil && fnErr == nil:
		// Begin or commit failed: a full disk, a read-only file.
		s.recordCommit(err)
		return fmt.Errorf("commit: %w", err)
	case err == nil:
		s.recordCommit(nil)
	}
	return err
}

// View runs fn in a read-only transaction: a consistent snapshot that
// concurrent writers do not disturb. Writes in it fail with an error
// wrapping ErrTxNotWritable. fn must not keep the Tx after it returns.
func (s *Store) View(ctx context.Context, fn func(tasks.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	began := false
	err := s.guard(func() error {
		return s.db.View(func(btx *bolt.Tx) error {
			began = true
			return fn(&Tx{tx: btx})
		})
	})
	if !began && !errors.Is(err, ErrDamaged) {
		s.recordRead(err)
	} else if began {
		s.recordRead(nil)
	}
	return err
}

// Batch runs fn like Update but lets bbolt commit the functions of many
// concurrent callers in one transaction, which is much faster when many
// goroutines write at once (one fsync per batch instead of per call).
//
// Caveat: fn may run more than once (when another function in the batch
// fails, the batch is retried without it), so fn must have no side effects
// outside the Tx: no sending, no counters, no appending to outer slices.
// It is durable on return like Update. Damage met inside fn is caught as
// in Update; bbolt commits a batch on a goroutine of its own, where a
// panic of the commit cannot be caught: use Update where that matters.
func (s *Store) Batch(ctx context.Context, fn func(tasks.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var fnErr error
	err := s.guard(func() error {
		return s.db.Batch(func(btx *bolt.Tx) error {
			return s.guard(func() error {
				tx := &Tx{tx: btx}
				if fnErr = fn(tx); fnErr != nil {
					return fnErr
				}
				return tx.flushAll()
			})
		})
	})
	if err != nil && fnErr == nil && !errors.Is(err, ErrDamaged) {
		s.recordCommit(err)
	} else if err == nil {
		s.recordCommit(nil)
	}
	return err
}

// Close closes the database and releases the file lock. Closing twice is
// not an error.
//
// A damaged store is closed too, but bbolt may still hold a lock of its
// own from a transaction that panicked as it began: Close then gives up
// after closeWait, closing only its handle on the file, which stays
// mapped (and locked) until the process ends; a damaged store's command
// ends next.
func (s *Store) Close() error {
	if s.damage() == nil {
		if err := s.db.Close(); err != nil {
			return fmt.Errorf("close store: %w", err)
		}
		return nil
	}
	done := make(chan error, 1)
	go func() { done <- catch(s.db.Close) }()
	wait := time.NewTimer(closeWait)
	defer wait.Stop()
	select {
	case <-done:
	case <-wait.C:
		if err := s.file.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
			return fmt.Errorf("close store: %w", err)
		}
	}
	return nil
}

// closeWait bounds how long Close waits for bbolt to close a damaged file.
const closeWait = time.Second

// Path returns the file the store was opened from.
func (s *Store) Path() string { return s.path }

// Size returns the size in bytes of the database (what Backup writes), or
// 0 when the store is closed or damaged.
func (s *Store) Size() int64 {
	var n int64
	err := s.guard(func() error {
		return s.db.View(func(btx *bolt.Tx) error {
			n = btx.Size()
			return nil
		})
	})
	if err != nil {
		return 0
	}
	return n
}

// Ping checks that the store is healthy (Health) and answers a read, and
// that the file is not shorter than its pages, for health checks.
func (s *Store) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.Health().Err(); err != nil {
		return fmt.Errorf("ping store: %w", err)
	}
	err := s.guard(func() error {
		return s.db.View(func(btx *bolt.Tx) error {
			if err := s.checkSize(btx); err != nil {
				return err
			}
			_, err := schemaVersion(btx)
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("ping store: %w", err)
	}
	return nil
}

// Verify reads every page reachable from the root and checks that the file
// holds all its pages: a damaged file fails it with ErrDamaged. Backup
// verifies what it copies; verify a backup before restoring it.
func (s *Store) Verify(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.guard(func() error {
		return s.db.View(func(btx *bolt.Tx) error {
			if err := s.checkSize(btx); err != nil {
				return err
			}
			_, err := walk(btx)
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("verify %s: %w", s.path, err)
	}
	return nil
}

// Backup writes a consistent copy of the whole database to w while the
// store stays in use (a read transaction: writers are not blocked). It
// returns the number of bytes written. A done ctx stops the copy. A
// damaged file is refused before anything is written: every page is read
// first, and the file must hold them all.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var n int64
	err := s.guard(func() error {
		return s.db.View(func(btx *bolt.Tx) error {
			if err := s.checkSize(btx); err != nil {
				return err
			}
			if _, err := walk(btx); err != nil {
				return err
			}
			var err error
			n, err = btx.WriteTo(ctxWriter{ctx: ctx, w: w})
			return err
		})
	})
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

// BackupFile writes a consistent copy of the database to path: first to a
// temporary file in the same directory, synced, then renamed over path, so
// that path is either the old file or a complete new copy, never a torn
// one. The copy opens with Open. path must not be the store's own file.
func (s *Store) BackupFile(ctx context.Context, path string) (err error) {
	if same, err := samePath(path, s.path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	} else if same {
		return fmt.Errorf("backup to %s: that is the live database file", path)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if _, err = s.Backup(ctx, f); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("backup to %s: sync: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("backup to %s: close: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	// Make the rename itself durable; some file systems cannot sync a
	// directory, and the copy is complete either way.
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// samePath reports whether a and b name the same file (b exists).
func samePath(a, b string) (bool, error) {
	aa, err := filepath.Abs(a)
	if err != nil {
		return false, err
	}
	bb, err := filepath.Abs(b)
	if err != nil {
		return false, err
	}
	if aa == bb {
		return true, nil
	}
	ai, err := os.Stat(a)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	bi, err := os.Stat(b)
	if err != nil {
		return false, nil
	}
	return os.SameFile(ai, bi), nil
}

// ctxWriter stops a long copy when its context is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// minMmapSize is the least address space Open maps the file into.
const minMmapSize = 128 << 20

// initialMmapSize is how much of the address space to map the file at
// path into: room for it to double (bbolt maps it again, copying every
// node a write holds, each time it outgrows the map; an import into a new
// file did so a dozen times). It is address space, not memory: pages are
// read in when used.
func initialMmapSize(path string) int {
	n := minMmapSize
	if fi, err := os.Stat(path); err == nil && fi.Size() < 1<<40 {
		n = max(n, 2*int(fi.Size()))
	}
	return n
}
