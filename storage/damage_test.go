package storage_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"steerbot/storage"
	"steerbot/tasks"
)

// damagedFile writes a database of 500 tasks (their tasks bucket has a
// branch page at its root), then damages it with how, which gets the
// file's bytes, its page size and the pages that matter.
func damagedFile(t *testing.T, how func(data []byte, pg filePages) []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "steerbot.db")
	s, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	importTasks(t, s, benchTasks(500), 500)
	// A second transaction, so that the file has freed pages too.
	mustUpdate(t, s, func(tx tasks.Tx) error { return tx.PutUnit(tasks.Unit{Code: "SNV", Name: "Sở Nội vụ"}) })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	pg := pagesOf(t, path)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, how(data, pg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// filePages locates what a damage test overwrites.
type filePages struct {
	size      int    // page size
	freelist  uint64 // the freelist page of the current meta page
	used      int    // the bytes its pages take (the file may be longer)
	tasksRoot uint64 // the root page of the tasks bucket, a branch page
}

func pagesOf(t *testing.T, path string) filePages {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, PreLoadFreelist: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var pg filePages
	err = db.View(func(tx *bolt.Tx) error {
		pg.size = db.Info().PageSize
		pg.tasksRoot = uint64(tx.Bucket([]byte("tasks")).Root())
		info, err := tx.Page(int(pg.tasksRoot))
		if err != nil {
			return err
		}
		if info.Type != "branch" {
			return fmt.Errorf("the tasks bucket's root is a %s page, want a branch page", info.Type)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The meta pages (0 and 1): the one with the higher transaction id
	// is current; its freelist page id is at byte 48 (16 of page header,
	// then magic, version, page size, flags and the root bucket).
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var txid uint64
	for i := range 2 {
		m := data[i*pg.size:]
		if id := binary.LittleEndian.Uint64(m[64:]); id >= txid {
			txid, pg.freelist = id, binary.LittleEndian.Uint64(m[48:])
			pg.used = int(binary.LittleEndian.Uint64(m[56:])) * pg.size
		}
	}
	return pg
}

// garbage overwrites page id of data with bytes that are no page.
func garbage(data []byte, size int, id uint64) []byte {
	copy(data[int(id)*size:int(id+1)*size], bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef, 0x7f}, size))
	return data
}

// damages are the corrupted files a disk or a careless copy makes.
var damages = []struct {
	name string
	how  func([]byte, filePages) []byte
}{
	{"freelist page", func(d []byte, pg filePages) []byte { return garbage(d, pg.size, pg.freelist) }},
	{"both meta pages", func(d []byte, pg filePages) []byte { return garbage(garbage(d, pg.size, 0), pg.size, 1) }},
	{"branch page", func(d []byte, pg filePages) []byte { return garbage(d, pg.size, pg.tasksRoot) }},
	{"cut in half", func(d []byte, pg filePages) []byte { return d[:pg.used/2] }},
}

// Every way of reaching a damaged file gives an error wrapping ErrDamaged,
// never a panic, and the store reports it in Health and Ping.
func TestStore_Damaged(t *testing.T) {
	ctx := context.Background()
	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			path := damagedFile(t, d.how)
			s, err := storage.Open(path)
			if err != nil {
				if !errors.Is(err, storage.ErrDamaged) {
					t.Fatalf("Open: %v, want ErrDamaged", err)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("Open: %q is more than one line", err)
				}
				// Nothing of it stays locked: it opens again (and is found
				// damaged again), as restore needs.
				if _, err := storage.Open(path, storage.WithTimeout(100*time.Millisecond)); !errors.Is(err, storage.ErrDamaged) {
					t.Errorf("second Open: %v, want ErrDamaged", err)
				}
				return
			}
			defer s.Close()
			errs := map[string]error{
				"view": s.View(ctx, func(tx tasks.Tx) error {
					_, err := tx.Tasks(tasks.TaskFilter{})
					return err
				}),
				"update": s.Update(ctx, func(tx tasks.Tx) error {
					return tx.PutTask(sampleTask("CCHC-999999", "SNV", ""))
				}),
			}
			_, errs["backup"] = s.Backup(ctx, &bytes.Buffer{})
			errs["backup file"] = s.BackupFile(ctx, filepath.Join(t.TempDir(), "copy.db"))
			errs["verify"] = s.Verify(ctx)
			errs["ping"] = s.Ping(ctx)
			for op, err := range errs {
				if !errors.Is(err, storage.ErrDamaged) {
					t.Errorf("%s: %v, want ErrDamaged", op, err)
				}
			}
			if h := s.Health(); !errors.Is(h.Damaged, storage.ErrDamaged) {
				t.Errorf("Health=%+v, want damaged", h)
			}
		})
	}
}

// A file cut short under a running store: Ping and Backup find it at once.
func TestStore_TruncatedWhileOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "steerbot.db")
	s := mustOpenPath(t, path)
	importTasks(t, s, benchTasks(500), 500)
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping before: %v", err)
	}
	if err := os.Truncate(path, s.Size()/2); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(ctx); !errors.Is(err, storage.ErrDamaged) {
		t.Errorf("Ping: %v, want ErrDamaged", err)
	}
	var buf bytes.Buffer
	if _, err := s.Backup(ctx, &buf); !errors.Is(err, storage.ErrDamaged) || buf.Len() != 0 {
		t.Errorf("Backup: %d bytes, %v; want nothing and ErrDamaged", buf.Len(), err)
	}
}

// A panic of the caller's own function is a bug, not damage: it goes on
// as it was, and the store stays healthy.
func TestStore_PanicInFnIsNotDamage(t *testing.T) {
	s := MustOpen(t)
	func() {
		defer func() {
			if r := recover(); r != "bug" {
				t.Errorf("recovered %v, want the caller's own panic", r)
			}
		}()
		_ = s.Update(context.Background(), func(tasks.Tx) error { panic("bug") })
	}()
	if err := s.Ping(context.Background()); err != nil {
		t.Errorf("Ping after a panic in fn: %v", err)
	}
	mustUpdate(t, s, func(tx tasks.Tx) error { return tx.PutUnit(tasks.Unit{Code: "SNV"}) })
}

// A commit that fails (here: the file may not grow, as on a full disk)
// shows in Health and Ping until a commit succeeds again.
func TestStore_FailedCommitHealth(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t, storage.WithMaxSize(1<<20))
	big := strings.Repeat("x", 200<<10)
	var err error
	for i := 0; err == nil && i < 20; i++ {
		err = s.Update(ctx, func(tx tasks.Tx) error { return tx.PutUnit(tasks.Unit{Code: fmt.Sprint("BIG", i), Name: big}) })
	}
	if err == nil {
		t.Fatal("no commit failed past the size limit")
	}
	if h := s.Health(); h.Commit == nil || h.Damaged != nil {
		t.Errorf("Health=%+v, want the failed commit", h)
	}
	if err := s.Ping(ctx); err == nil || !strings.Contains(err.Error(), "commit failed") {
		t.Errorf("Ping=%v, want the failed commit", err)
	}
	// A change that fits, after room was made.
	mustUpdate(t, s, func(tx tasks.Tx) error { return tx.PutUnit(tasks.Unit{Code: "BIG0", Name: "Sở Nội vụ"}) })
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping after a commit succeeded: %v", err)
	}
}
