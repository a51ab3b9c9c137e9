package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"steerbot/storage"
)

// openStore opens the database for a one-off command. ok false with
// locked true means a running bot holds it.
func openStore(cfg *Config) (*storage.Store, bool, error) {
	st, err := storage.Open(cfg.Storage.Path)
	if errors.Is(err, storage.ErrLocked) {
		return nil, true, err
	}
	return st, false, err
}

// storeOrBot returns what local makes of the database, opened for this
// command and closed after, or, while a running bot holds the database,
// what that bot answers at path?q on its local listener (bot true). The
// commands that read (digest, export, backup) go through it.
func storeOrBot(ctx context.Context, cfg *Config, path string, q url.Values, local func(context.Context, *storage.Store) ([]byte, error)) (data []byte, bot bool, err error) {
	st, locked, err := openStore(cfg)
	switch {
	case locked:
		data, err = viaBot(ctx, cfg, path, q)
		return data, true, err
	case err != nil:
		return nil, false, err
	}
	defer st.Close()
	data, err = local(ctx, st)
	return data, false, err
}

// viaBot fetches path from the running bot's local listener.
func viaBot(ctx context.Context, cfg *Config, path string, q url.Values) ([]byte, error) {
	if cfg.HTTP.Listen == "" {
		return nil, fmt.Errorf("the database %s is held by a running bot, and http.listen is empty so it cannot be asked; stop the bot or set http.listen", cfg.Storage.Path)
	}
	u := "http://" + cfg.HTTP.Listen + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	if tok, err := os.ReadFile(adminTokenPath(cfg)); err == nil {
		req.Header.Set(adminHeader, strings.TrimSpace(string(tok)))
	}
	resp, err := (&http.Client{Timeout: 5 * time.Minute}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("the database is held by a running bot, which does not answer at %s: %w", cfg.HTTP.Listen, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("read answer of the running bot: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the running bot answered %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	return body, nil
}

// writeFileAtomic writes data next to path and renames it into place.
func writeFileAtomic(path string, data []byte) error { return writeFileMode(path, data, 0o600) }

// writeFileMode writes data next to path with mode perm, syncs it and
// renames it into place.
func writeFileMode(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".steerbot-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
