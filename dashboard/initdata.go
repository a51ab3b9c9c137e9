package dashboard

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Why initData is refused. The messages name no part of the data itself.
var (
	ErrInitDataMalformed = errors.New("initData is malformed")
	ErrInitDataHash      = errors.New("initData hash does not match")
	ErrInitDataExpired   = errors.New("initData is too old")
)

// WebAppUser is the part of initData's user field the dashboard needs.
type WebAppUser struct {
	ID           int64  `json:"id"`
	FirstName    string `json:"first_name"`
	LanguageCode string `json:"language_code"`
}

// webAppSecret is HMAC_SHA256(key="WebAppData", msg=bot_token), the key
// that Telegram signs a Mini App's initData with.
func webAppSecret(token string) []byte {
	m := hmac.New(sha256.New, []byte("WebAppData"))
	m.Write([]byte(token))
	return m.Sum(nil)
}

// checkString builds Telegram's data-check-string: every field but hash,
// its value URL-decoded once, as key=value lines sorted by key.
func checkString(vals url.Values) (string, string, error) {
	hash := vals.Get("hash")
	if hash == "" || len(vals["hash"]) != 1 {
		return "", "", ErrInitDataMalformed
	}
	keys := make([]string, 0, len(vals))
	for k, v := range vals {
		if k == "hash" {
			continue
		}
		if len(v) != 1 {
			return "", "", ErrInitDataMalformed // a repeated field is never signed by Telegram
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lines := make([]string, len(keys))
	for i, k := range keys {
		lines[i] = k + "=" + vals.Get(k)
	}
	return strings.Join(lines, "\n"), hash, nil
}

// ValidateInitData checks a Mini App's raw initData (the query string that
// Telegram.WebApp.initData holds) as Telegram documents it: the HMAC-SHA256
// of the data-check-string under the key derived from token, compared in
// constant time, and auth_date no older than maxAge at now (nor more than a
// minute in the future). It returns the signed user.
func ValidateInitData(raw, token string, maxAge time.Duration, now time.Time) (WebAppUser, error) {
	vals, err := url.ParseQuery(raw)
	if err != nil || len(raw) > 8192 {
		return WebAppUser{}, ErrInitDataMalformed
	}
	data, hash, err := checkString(vals)
	if err != nil {
		return WebAppUser{}, err
	}
	want, err := hex.DecodeString(hash)
	if err != nil {
		return WebAppUser{}, ErrInitDataHash
	}
	m := hmac.New(sha256.New, webAppSecret(token))
	m.Write([]byte(data))
	if !hmac.Equal(m.Sum(nil), want) {
		return WebAppUser{}, ErrInitDataHash
	}
	sec, err := strconv.ParseInt(vals.Get("auth_date"), 10, 64)
	if err != nil {
		return WebAppUser{}, ErrInitDataMalformed
	}
	at := time.Unix(sec, 0)
	if now.Sub(at) > maxAge || at.Sub(now) > time.Minute {
		return WebAppUser{}, ErrInitDataExpired
	}
	var u WebAppUser
	if err := json.Unmarshal([]byte(vals.Get("user")), &u); err != nil || u.ID == 0 {
		return WebAppUser{}, fmt.Errorf("%w: no user", ErrInitDataMalformed)
	}
	return u, nil
}

// SignInitData makes initData as Telegram would for a user at authDate,
// with any extra fields: for tests and the demo, which have the bot's
// token.
func SignInitData(token string, user WebAppUser, authDate time.Time, extra url.Values) string {
	vals := url.Values{}
	for k, v := range extra {
		vals[k] = append([]string(nil), v...)
	}
	ub, _ := json.Marshal(user) // a struct of plain fields always encodes
	vals.Set("user", string(ub))
	vals.Set("auth_date", strconv.FormatInt(authDate.Unix(), 10))
	vals.Set("hash", "unsigned")
	data, _, _ := checkString(vals)
	m := hmac.New(sha256.New, webAppSecret(token))
	m.Write([]byte(data))
	vals.Set("hash", hex.EncodeToString(m.Sum(nil)))
	return vals.Encode()
}
