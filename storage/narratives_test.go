package storage_test

import (
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"steerbot/storage"
	"steerbot/tasks"
)

func TestStore_Narratives(t *testing.T) {
	s := MustOpen(t)
	key := tasks.NarrativeKey("vi", "📊 tổng hợp 47/79")
	if key == tasks.NarrativeKey("en", "📊 tổng hợp 47/79") || key == tasks.NarrativeKey("vi", "📊 tổng hợp 48/79") {
		t.Fatalf("different figures or languages share the key %s", key)
	}
	mustUpdate(t, s, func(tx tasks.Tx) error {
		if err := tx.PutNarrative(tasks.CachedNarrative{Text: "x", Created: at(3, 9)}); tasks.ErrorCode(err) != tasks.EINVALID {
			t.Errorf("PutNarrative without a key: %v, want EINVALID", err)
		}
		return tx.PutNarrative(tasks.CachedNarrative{Key: key, Text: "Đã xong 47/79.", Created: at(3, 9)})
	})
	mustView(t, s, func(tx tasks.Tx) error {
		n, err := tx.Narrative(key)
		if err != nil || n.Text != "Đã xong 47/79." || !n.Fresh(at(3, 9).Add(59*time.Minute)) || n.Fresh(at(3, 10)) {
			t.Errorf("Narrative=%+v, %v; want it fresh for an hour", n, err)
		}
		if _, err := tx.Narrative("other"); !tasks.IsNotFound(err) {
			t.Errorf("Narrative(other)=%v, want ENOTFOUND", err)
		}
		return nil
	})
	mustUpdate(t, s, func(tx tasks.Tx) error {
		swept, err := tx.SweepState(at(3, 10))
		if err != nil || swept[tasks.StateNarrative] != 1 {
			t.Errorf("SweepState=%v, %v; want the narrative swept after an hour", swept, err)
		}
		return err
	})
	mustView(t, s, func(tx tasks.Tx) error {
		if _, err := tx.Narrative(key); !tasks.IsNotFound(err) {
			t.Errorf("after the sweep: %v, want ENOTFOUND", err)
		}
		return nil
	})
}

// TestOpen_MigratesToNarratives: a schema 3 file gets the narratives'
// bucket (schema 4) and keeps what it held.
func TestOpen_MigratesToNarratives(t *testing.T) {
	path := filepath.Join(t.TempDir(), "steerbot.db")
	s := mustOpenPath(t, path)
	mustUpdate(t, s, func(tx tasks.Tx) error { return tx.PutUnit(tasks.Unit{Code: "SNV", Name: "Sở Nội vụ"}) })
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket([]byte("state_narratives")); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 5})
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s = mustOpenPath(t, path)
	mustUpdate(t, s, func(tx tasks.Tx) error {
		if u, err := tx.Unit("SNV"); err != nil || u.Name != "Sở Nội vụ" {
			t.Errorf("unit after the migration: %+v, %v", u, err)
		}
		return tx.PutNarrative(tasks.CachedNarrative{Key: "k", Text: "t", Created: at(3, 9)})
	})
	if storage.SchemaVersion < 6 {
		t.Errorf("SchemaVersion=%d, want the narratives' step (6) or later", storage.SchemaVersion)
	}
}

func TestStore_TokensSpent(t *testing.T) {
	s := MustOpen(t)
	d1, d2 := tasks.Date{Year: 2026, Month: 3, Day: 3}, tasks.Date{Year: 2026, Month: 3, Day: 4}
	mustUpdate(t, s, func(tx tasks.Tx) error {
		if n, err := tx.TokensSpent(d1); err != nil || n != 0 {
			t.Errorf("TokensSpent of a new file=%d, %v; want 0", n, err)
		}
		if err := tx.PutTokensSpent(d1, 500); err != nil {
			return err
		}
		return tx.PutTokensSpent(d1, 300) // an older save, arriving late
	})
	mustUpdate(t, s, func(tx tasks.Tx) error {
		if n, err := tx.TokensSpent(d1); err != nil || n != 500 {
			t.Errorf("TokensSpent=%d, %v; want 500 (a lower count is ignored)", n, err)
		}
		if n, _ := tx.TokensSpent(d2); n != 0 {
			t.Errorf("TokensSpent of the next day=%d, want 0", n)
		}
		return tx.PutTokensSpent(d2, 10)
	})
	mustView(t, s, func(tx tasks.Tx) error {
		if n, _ := tx.TokensSpent(d2); n != 10 {
			t.Errorf("TokensSpent of the new day=%d, want 10", n)
		}
		return nil
	})
}
