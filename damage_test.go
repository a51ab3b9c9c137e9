package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"steerbot/sample"
	"steerbot/storage"
)

// A damaged database file (issue 16): every command says so in one line
// and exits 1 (a runtime error, which systemd restarts, not the "bad
// configuration" 2 of a Go panic), with no stack trace; restoring a backup
// over it works; /healthz turns red when it happens under a running bot.

// cliDamage damages the database at path in one of the ways a disk or a
// careless copy does.
func cliDamage(t *testing.T, path, how string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var size, used int
	var freelist, tasksRoot, summariesRoot uint64
	err = db.View(func(tx *bolt.Tx) error {
		size, used = db.Info().PageSize, int(tx.Size())
		tasksRoot = uint64(tx.Bucket([]byte("tasks")).Root())
		summariesRoot = uint64(tx.Bucket([]byte("task_summaries")).Root())
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The current meta page (the higher transaction id, at byte 64) and
	// its freelist page id (at byte 48).
	var txid uint64
	for i := range 2 {
		if id := binary.LittleEndian.Uint64(data[i*size+64:]); id >= txid {
			txid, freelist = id, binary.LittleEndian.Uint64(data[i*size+48:])
		}
	}
	junk := func(id uint64) {
		copy(data[int(id)*size:int(id+1)*size], bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef, 0x7f}, size))
	}
	switch how {
	case "freelist page":
		junk(freelist)
	case "both meta pages":
		junk(0)
		junk(1)
	case "branch pages":
		junk(tasksRoot)
		junk(summariesRoot)
	case "cut in half":
		data = data[:used/2]
	default:
		t.Fatalf("unknown damage %q", how)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// cliWantDamaged fails unless r is exit 1 with one line saying the
// database is damaged, and no trace of a panic.
func cliWantDamaged(t *testing.T, r cliResult) {
	t.Helper()
	cliWant(t, r, exitError)
	var said []string
	for _, l := range cliLines(r.stderr) {
		if strings.Contains(l, "damaged") {
			said = append(said, l)
		}
	}
	if len(said) != 1 || strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, "panic") {
		t.Errorf("stderr=%q, want one line saying the database is damaged and no stack trace", r.stderr)
	}
}

func TestCLI_Damaged(t *testing.T) {
	for _, how := range []string{"freelist page", "both meta pages", "branch pages", "cut in half"} {
		t.Run(how, func(t *testing.T) {
			s := cliNew(t, "")
			s.importOK(t, cliSampleFile(t, s.dir))
			backup := filepath.Join(s.dir, "monday.db")
			cliWant(t, s.run(t, "backup", "-o", backup), exitOK)
			damaged := filepath.Join(s.dir, "damaged-copy.db")
			cliWriteFile(t, damaged, mustRead(t, s.db))
			cliDamage(t, damaged, how)
			cliDamage(t, s.db, how)

			cliWantDamaged(t, s.run(t, "digest"))
			cliWantDamaged(t, s.run(t, "export", "-o", filepath.Join(s.dir, "out.csv")))
			cliNotExist(t, filepath.Join(s.dir, "out.csv"))
			out := filepath.Join(s.dir, "copy.db")
			cliWantDamaged(t, s.run(t, "backup", "-o", out))
			cliNotExist(t, out)

			// Restoring a damaged file is refused, the same way.
			n := cliNew(t, "")
			r := n.run(t, "restore", damaged)
			cliWantDamaged(t, r)
			cliNotExist(t, n.db)

			if how != "branch pages" { // that one opens: the bot starts and finds it when it reads tasks
				r := cliRunEnv(t, map[string]string{EnvTelegramToken: testToken}, "run", "-config", s.config)
				cliWantDamaged(t, r)
			}

			// The remedy: restoring the backup over the damaged file.
			cliWant(t, s.run(t, "restore", backup), exitOK)
			cliWant(t, s.run(t, "digest"), exitOK)
		})
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// A database cut short under the running bot: /healthz turns red and says
// why, and the hot backup is refused rather than passing a torn copy.
func TestHealth_Damaged(t *testing.T) {
	a := newApp(t, func(c *Config) { c.HTTP.Listen = "127.0.0.1:0" })
	a.say(sample.HeadSNVID, "/update CCHC-03 40%")
	if code, body := a.get("/healthz"); code != 200 {
		t.Fatalf("healthz = %d %s", code, body)
	}
	if err := os.Truncate(a.cfg.Storage.Path, a.m.Store.Size()/2); err != nil {
		t.Fatal(err)
	}
	code, body := a.get("/healthz")
	if code != 503 || !strings.Contains(body, "damaged") {
		t.Errorf("healthz = %d %q, want 503 saying the database is damaged", code, body)
	}
	var buf bytes.Buffer
	if _, err := a.m.Store.Backup(t.Context(), &buf); !errors.Is(err, storage.ErrDamaged) || buf.Len() != 0 {
		t.Errorf("backup of a cut file: %d bytes, %v; want ErrDamaged and nothing written", buf.Len(), err)
	}
}
