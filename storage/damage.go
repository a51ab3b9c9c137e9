package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// ErrDamaged is wrapped by every method of a store whose file turned out
// to be damaged: bbolt panicked on a corrupted page ("invalid freelist
// page", "page already freed", an index out of range), a read faulted on
// a truncated file, the file is shorter than its pages, or it is not a
// bbolt file at all. Once a store has found damage, every later call fails
// with it without touching the file again. The remedy is a backup.
var ErrDamaged = errors.New("the database file is damaged: restore the latest backup with `steerbot restore`")

// damagedError returns an error wrapping ErrDamaged with what was found,
// on one line.
func damagedError(detail any) error {
	s := strings.Join(strings.Fields(fmt.Sprint(detail)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return fmt.Errorf("%w (%s)", ErrDamaged, s)
}

// openDamage reports whether an error of bolt.Open says the file is not
// a sound bbolt file.
func openDamage(err error) bool {
	for _, e := range []error{berrors.ErrInvalid, berrors.ErrChecksum, berrors.ErrVersionMismatch, berrors.ErrInvalidMapping} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// catch runs fn and turns a panic raised inside bbolt, or a fault on the
// memory-mapped file (a page past the end of a truncated file), into an
// error wrapping ErrDamaged. Any other panic, a bug of ours in a function
// given to Update or View, goes on as it was: it must not pass for damage.
//
// Faults become panics only in the goroutine that asks for it
// (debug.SetPanicOnFault), so catch runs fn in the caller's goroutine.
func catch(fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			if !fromStorage(r) {
				panic(r)
			}
			err = damagedError(r)
		}
	}()
	return fn()
}

// fromStorage reports whether the panic being recovered, of value r, is a
// fault on mapped memory or was raised by bbolt. It is called from the
// deferred function that recovered it, while the panicking frames are
// still on the stack.
func fromStorage(r any) bool {
	if f, ok := r.(interface{ Addr() uintptr }); ok && f.Addr() != 0 {
		// A fault at an address (debug.SetPanicOnFault): our Go code
		// faults only at nil, so this is the mapped file.
		return true
	}
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	panicking := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			panicking = true
		case panicking && !strings.HasPrefix(f.Function, "runtime.") && !strings.HasPrefix(f.Function, "internal/"):
			return strings.HasPrefix(f.Function, "go.etcd.io/bbolt")
		}
		if !more {
			return false
		}
	}
}

// Health is what a store knows of its own state, for /healthz.
type Health struct {
	// Damaged wraps ErrDamaged once the file was found damaged; it stays
	// so for the life of the Store.
	Damaged error
	// Commit is the error of the last commit when it failed (a full disk,
	// a file made read-only, the size limit); the next commit that
	// succeeds clears it.
	Commit error
	// Read is the error of the last read transaction that could not
	// start; the next that does clears it.
	Read error
}

// Err returns the first problem of h, or nil when the store is healthy.
func (h Health) Err() error {
	switch {
	case h.Damaged != nil:
		return h.Damaged
	case h.Commit != nil:
		return fmt.Errorf("the last commit failed: %w", h.Commit)
	case h.Read != nil:
		return fmt.Errorf("the last read failed: %w", h.Read)
	}
	return nil
}

// Health returns the store's state: damage found, and whether the last
// commit and the last read failed. Ping fails on any of them.
func (s *Store) Health() Health {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.health
}

// damage returns the damage found so far, nil for none.
func (s *Store) damage() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.health.Damaged
}

// guard runs fn as catch does, on a store not known to be damaged, and
// records damage it finds.
func (s *Store) guard(fn func() error) error {
	if err := s.damage(); err != nil {
		return err
	}
	err := catch(fn)
	if errors.Is(err, ErrDamaged) {
		s.mu.Lock()
		if s.health.Damaged == nil {
			s.health.Damaged = err
		}
		s.mu.Unlock()
	}
	return err
}

// recordCommit records how a commit ended: err is nil, or the commit's
// own error (not the function's).
func (s *Store) recordCommit(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.health.Commit = err
}

// recordRead records how starting a read transaction ended.
func (s *Store) recordRead(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.health.Read = err
}

// checkSize fails, wrapping ErrDamaged, when the file is shorter than the
// pages btx's meta page counts: a truncated file, whose missing pages
// would fault when read.
func (s *Store) checkSize(btx *bolt.Tx) error {
	fi, err := s.file.Stat()
	if err != nil {
		return fmt.Errorf("size of %s: %w", s.path, err)
	}
	if fi.Size() < btx.Size() {
		return damagedError(fmt.Sprintf("the file is %d bytes, its pages need %d: it was cut short", fi.Size(), btx.Size()))
	}
	return nil
}

// walk reads every key of every bucket and both ends of every value, so
// that a damaged page reachable from the root panics (or faults) here,
// under guard. It returns the number of keys.
func walk(btx *bolt.Tx) (int, error) {
	n, sum := 0, 0
	var visit func(b *bolt.Bucket) error
	visit = func(b *bolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			n++
			if len(v) > 0 {
				sum += int(v[0]) + int(v[len(v)-1])
			}
			if v == nil {
				if child := b.Bucket(k); child != nil {
					return visit(child)
				}
			}
			return nil
		})
	}
	err := btx.ForEach(func(_ []byte, b *bolt.Bucket) error { return visit(b) })
	if sum < 0 { // never: keeps the reads of the values
		return n, fmt.Errorf("walk: %d", sum)
	}
	return n, err
}

// precheck looks, under a shared lock (a read-only open: no writer can be
// at work meanwhile), for the damage on which bolt.Open itself would
// panic: a freelist page that is not one, or a file cut short of its
// pages. bbolt maps the file before it panics, and the mapping keeps the
// file locked until the process ends, so that a later Open in the same
// process (restore, a test) would find it "in use". A missing or empty
// file passes: Open creates it.
func precheck(path string, timeout time.Duration) error {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() == 0 {
		return nil
	}
	ro, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: timeout})
	if err != nil {
		return err // Open reports it again, or the lock
	}
	defer ro.Close()
	return catch(func() error {
		return ro.View(func(btx *bolt.Tx) error {
			if fi.Size() < btx.Size() {
				return damagedError(fmt.Sprintf("the file is %d bytes, its pages need %d: it was cut short", fi.Size(), btx.Size()))
			}
			return checkFreelist(path, ro.Info().PageSize, btx)
		})
	})
}

// checkFreelist checks the header of the freelist page of the meta page
// btx reads, as bbolt does when it loads it (with a panic).
func checkFreelist(path string, pageSize int, btx *bolt.Tx) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	// The meta pages: the valid one with the higher transaction id is
	// the one btx reads (its id). Layout after the 16-byte page header:
	// magic, version, page size, flags (4 bytes each), root bucket (16),
	// freelist page id (8), page count (8), transaction id (8).
	const magic = 0xED0CDAED
	var freelist uint64
	found := false
	buf := make([]byte, 80)
	for i := range 2 {
		if _, err := f.ReadAt(buf, int64(i*pageSize)); err != nil {
			return damagedError(fmt.Sprintf("meta page %d: %v", i, err))
		}
		if binary.LittleEndian.Uint32(buf[16:]) == magic && int(binary.LittleEndian.Uint64(buf[64:])) == btx.ID() {
			freelist, found = binary.LittleEndian.Uint64(buf[48:]), true
		}
	}
	const noFreelist = ^uint64(0)
	if !found || freelist == noFreelist {
		return nil // bbolt chose otherwise, or keeps no freelist: it does not read one
	}
	if freelist < 2 || freelist >= uint64(btx.Size())/uint64(pageSize) {
		return damagedError(fmt.Sprintf("freelist page %d is out of the file", freelist))
	}
	if _, err := f.ReadAt(buf[:16], int64(freelist)*int64(pageSize)); err != nil {
		return damagedError(fmt.Sprintf("freelist page %d: %v", freelist, err))
	}
	const freelistFlag = 0x10
	if flags := binary.LittleEndian.Uint16(buf[8:]); flags != freelistFlag {
		return damagedError(fmt.Sprintf("invalid freelist page %d: flags %#x", freelist, flags))
	}
	return nil
}
