package bot

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	"steerbot/tasks"
)

// sigLen is the length of the signature appended to callback data: 8
// base64 characters, 48 bits, ample against guessing within Telegram's rate
// limits while leaving room in the 64 bytes for the payload.
const sigLen = 8

// loadKey returns the signing key, creating it on first use. It is kept in
// the store so that buttons stay valid across restarts and cannot be forged
// by a client.
func loadKey(tx tasks.SettingsStore) ([]byte, error) {
	k, err := tx.ButtonKey()
	if err != nil {
		return nil, fmt.Errorf("load button key: %w", err)
	}
	if len(k) >= 32 {
		return k, nil
	}
	k = make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("make button key: %w", err)
	}
	if err := tx.PutButtonKey(k); err != nil {
		return nil, fmt.Errorf("store button key: %w", err)
	}
	return k, nil
}

// signer signs and verifies callback data.
type signer struct{ key []byte }

func (s signer) mac(payload string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))[:sigLen]
}

// sign returns "op|arg|…~sig", or "" when it would not fit in Telegram's
// 64 bytes (the caller then leaves the button out).
func (s signer) sign(o op, args ...string) string {
	payload := strings.Join(append([]string{string(o)}, args...), "|")
	d := payload + "~" + s.mac(payload)
	if len(d) > 64 {
		return ""
	}
	return d
}

// verify returns the fields of signed data, or ok=false for forged,
// truncated or foreign data.
func (s signer) verify(data string) (fields []string, ok bool) {
	i := strings.LastIndexByte(data, '~')
	if i < 0 || len(data)-i-1 != sigLen {
		return nil, false
	}
	payload, sig := data[:i], data[i+1:]
	if !hmac.Equal([]byte(sig), []byte(s.mac(payload))) {
		return nil, false
	}
	return strings.Split(payload, "|"), true
}
