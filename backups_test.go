package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"steerbot/storage"
)

// TestPruneBackups_NeverDeletesTheOpenDatabase: the database in the backup
// folder under a name like an old backup's (steerbot-YYYYMMDD-HHMMSS.db),
// and a link to it under a backup's name, survive pruning; the live file
// never counts as the newest backup.
func TestPruneBackups_NeverDeletesTheOpenDatabase(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "steerbot-20000101-000000.db") // sorts first
	st, err := storage.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	linked := filepath.Join(dir, "steerbot-backup-20000102-000000.db")
	if err := os.Link(dbPath, linked); err != nil {
		t.Fatal(err)
	}
	for _, at := range []string{"20240101-000000", "20240102-000000", "20240103-000000"} {
		if err := os.WriteFile(filepath.Join(dir, "steerbot-backup-"+at+".db"), []byte("backup"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	other := filepath.Join(dir, "steerbot-1.db")
	if err := os.WriteFile(other, []byte("not a backup"), 0o600); err != nil {
		t.Fatal(err)
	}

	newest, err := newestBackup(dir, st.Path())
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC); !newest.Equal(want) {
		t.Errorf("newest backup %v, want %v", newest, want)
	}
	if err := pruneBackups(dir, st.Path(), 1); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{dbPath, linked, other, filepath.Join(dir, "steerbot-backup-20240103-000000.db")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was deleted: %v", filepath.Base(p), err)
		}
	}
	for _, p := range []string{"steerbot-backup-20240101-000000.db", "steerbot-backup-20240102-000000.db"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("%s was kept, want it pruned", p)
		}
	}
	// The database still works: it was never unlinked.
	if err := st.Ping(t.Context()); err != nil {
		t.Errorf("database after pruning: %v", err)
	}
	if _, err := os.Stat(dbPath); err != nil {
		t.Errorf("database file gone: %v", err)
	}
}

// TestNewestBackup_IgnoresTheLiveFile: a database whose name reads as a
// backup from the future does not put backups off.
func TestNewestBackup_IgnoresTheLiveFile(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "steerbot-29991231-000000.db")
	if err := os.WriteFile(dbPath, []byte("live"), 0o600); err != nil {
		t.Fatal(err)
	}
	newest, err := newestBackup(dir, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if !newest.IsZero() {
		t.Errorf("newest backup %v, want none: the live file is not a backup", newest)
	}
}
