package storage

import (
	"steerbot/tasks"
)

// bucketNarratives holds the checked narratives of digests (schema 4):
// key → CachedNarrative.
var bucketNarratives = []byte("state_narratives")

// PutNarrative stores a checked narrative under its Key (EINVALID for an
// empty Key); the same Key again replaces it.
func (t *Tx) PutNarrative(n tasks.CachedNarrative) error {
	if n.Key == "" {
		return invalid("bad_state_id", "narrative without a key")
	}
	return t.putState(tasks.StateNarrative, []byte(n.Key), n)
}

// Narrative returns the narrative stored under key (ENOTFOUND); the caller
// checks that it is still fresh.
func (t *Tx) Narrative(key string) (tasks.CachedNarrative, error) {
	return getState[tasks.CachedNarrative](t, tasks.StateNarrative, []byte(key), "narrative "+key)
}
