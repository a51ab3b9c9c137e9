package dashboard_test

import (
	"errors"
	"net/url"
	"testing"
	"time"

	"steerbot/dashboard"
)

// TestValidateInitData checks the validation against Telegram's rules
// directly, including values that a second URL-decoding would break.
func TestValidateInitData(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	user := dashboard.WebAppUser{ID: 42, FirstName: "Hà + An 100%"}
	good := dashboard.SignInitData(token, user, now.Add(-time.Minute), url.Values{"start_param": {"a+b%20c"}})
	got, err := dashboard.ValidateInitData(good, token, time.Hour, now)
	if err != nil || got.ID != 42 || got.FirstName != "Hà + An 100%" {
		t.Fatalf("good initData: %+v, %v", got, err)
	}
	for _, tc := range []struct {
		name string
		raw  string
		max  time.Duration
		want error
	}{
		{"other token", good, time.Hour, dashboard.ErrInitDataHash},
		{"too old", good, 30 * time.Second, dashboard.ErrInitDataExpired},
		{"from the future", dashboard.SignInitData(token, user, now.Add(5*time.Minute), nil), time.Hour, dashboard.ErrInitDataExpired},
		{"hash twice", good + "&hash=00", time.Hour, dashboard.ErrInitDataMalformed},
		{"field twice", good + "&start_param=x", time.Hour, dashboard.ErrInitDataMalformed},
		{"not a query", "%zz", time.Hour, dashboard.ErrInitDataMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := token
			if tc.name == "other token" {
				tok = "1:other"
			}
			if _, err := dashboard.ValidateInitData(tc.raw, tok, tc.max, now); !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
		})
	}
}

// FuzzValidateInitData: any input is refused or accepted without a panic,
// and only data signed with the token is accepted.
func FuzzValidateInitData(f *testing.F) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	f.Add(dashboard.SignInitData(token, dashboard.WebAppUser{ID: 7}, now, nil))
	f.Add("user=%7B%22id%22%3A7%7D&auth_date=1&hash=ab")
	f.Add("")
	f.Add("hash=&hash=")
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := dashboard.ValidateInitData(raw, token, time.Hour, now)
		if err == nil && u.ID == 0 {
			t.Fatalf("accepted %q with no user", raw)
		}
		if err == nil {
			if _, err := dashboard.ValidateInitData(raw, "1:other", time.Hour, now); err == nil {
				t.Fatalf("%q is valid under two tokens", raw)
			}
		}
	})
}
