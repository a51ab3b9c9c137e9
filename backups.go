package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"
)

// backupLayout is the time in a scheduled backup's name, in UTC.
const backupLayout = "20060102-150405"

// backupPattern describes a scheduled backup's name for people.
const backupPattern = "steerbot-backup-YYYYMMDD-HHMMSS.db"

// backupName matches the names the bot gives its scheduled backups, and
// the older steerbot-YYYYMMDD-HHMMSS.db: digits only where the time is, so
// that a database named steerbot-1.db is never taken for one.
var backupName = regexp.MustCompile(`^steerbot-(?:backup-)?([0-9]{8}-[0-9]{6})\.db$`)

// isBackupName reports whether a file name is a scheduled backup's.
func isBackupName(name string) bool { return backupName.MatchString(name) }

// backupFile is one scheduled backup found in the backup folder.
type backupFile struct {
	path string
	at   time.Time // from its name
}

// listBackups returns the scheduled backups in dir, oldest first: the
// files whose name is a backup's and that are not the open database
// (compared by path and by file identity, so that a link or a database
// that happens to be named like a backup is never one).
func listBackups(dir, database string) ([]backupFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("backup dir: %w", err)
	}
	dbAbs, _ := filepath.Abs(database)
	dbInfo, dbErr := os.Stat(database)
	var out []backupFile
	for _, e := range entries {
		sub := backupName.FindStringSubmatch(e.Name())
		if sub == nil || !e.Type().IsRegular() {
			continue
		}
		at, err := time.Parse(backupLayout, sub[1])
		if err != nil {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if abs, _ := filepath.Abs(p); abs == dbAbs {
			continue
		}
		if fi, err := os.Stat(p); err != nil || dbErr == nil && os.SameFile(fi, dbInfo) {
			continue
		}
		out = append(out, backupFile{path: p, at: at})
	}
	slices.SortFunc(out, func(a, b backupFile) int { return a.at.Compare(b.at) })
	return out, nil
}

// newestBackup returns when the newest scheduled backup in dir was taken
// (from its name), or the zero time when there is none. The open database
// never counts, whatever its name.
func newestBackup(dir, database string) (time.Time, error) {
	list, err := listBackups(dir, database)
	if err != nil || len(list) == 0 {
		return time.Time{}, err
	}
	return list[len(list)-1].at, nil
}

// pruneBackups keeps the newest keep scheduled backups in dir and deletes
// the older ones; nothing else in dir is touched, the open database least
// of all.
func pruneBackups(dir, database string, keep int) error {
	list, err := listBackups(dir, database)
	if err != nil {
		return err
	}
	var errs []error
	for len(list) > keep {
		if err := os.Remove(list[0].path); err != nil {
			errs = append(errs, err)
		}
		list = list[1:]
	}
	if len(errs) > 0 {
		return fmt.Errorf("prune backups: %w", errs[0])
	}
	return nil
}

// runBackups writes a backup every storage.backup_every into
// storage.backup_dir and keeps the newest storage.backup_keep. It waits on
// the clock, and a backup's name carries the clock's time.
func (m *Main) runBackups(ctx context.Context) error {
	st := m.Config.Storage
	if err := os.MkdirAll(st.BackupDir, 0o700); err != nil {
		return fmt.Errorf("backup dir: %w", err)
	}
	var failed time.Time
	for {
		// The next backup is due backup_every after the newest one on
		// disk, not after this start: a bot restarted every night still
		// takes its daily backup.
		now := m.Clock.Now()
		wait := time.Duration(0)
		newest, err := newestBackup(st.BackupDir, m.Store.Path())
		if err != nil {
			m.Logger.Error("scheduled backup", "err", err)
		}
		if !newest.IsZero() {
			wait = max(0, newest.Add(st.BackupEvery.Duration).Sub(now))
		}
		if !failed.IsZero() {
			// After a failure, try again later, not in a loop.
			wait = max(wait, min(st.BackupEvery.Duration, 10*time.Minute)-now.Sub(failed))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-m.Clock.After(wait):
		}
		name := filepath.Join(st.BackupDir, "steerbot-backup-"+m.Clock.Now().UTC().Format(backupLayout)+".db")
		if err := m.Store.BackupFile(ctx, name); err != nil {
			m.Logger.Error("scheduled backup", "err", err)
			failed = m.Clock.Now()
			continue
		}
		failed = time.Time{}
		m.Logger.Info("backup written", "file", name)
		if err := pruneBackups(st.BackupDir, m.Store.Path(), st.BackupKeep); err != nil {
			m.Logger.Error("scheduled backup", "err", err)
		}
	}
}
