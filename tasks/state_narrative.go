package tasks

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// CachedNarrative is a narrative the assistant wrote for a digest and that
// passed the numbers check, kept under a hash of the figures it was written
// for (see NarrativeKey) for NarrativeTTL.
type CachedNarrative struct {
	Key     string    `json:"key"`
	Text    string    `json:"text"`
	Created time.Time `json:"created"`
}

// Fresh reports whether n may still be reused at now.
func (n CachedNarrative) Fresh(now time.Time) bool {
	return !StateNarrative.Expired(n.Created, now)
}

// NarrativeKey returns the key of the narrative for figures (the digest as
// shown, which holds every figure) written in lang: the same figures in
// the same language give the same key.
func NarrativeKey(lang, figures string) string {
	h := sha256.Sum256([]byte(lang + "\x00" + figures))
	return hex.EncodeToString(h[:16])
}
