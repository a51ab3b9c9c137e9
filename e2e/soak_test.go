//go:build soak

package e2e_test

import "testing"

// TestFanout500Soak is TestFanout500 at Telegram's real limits (30 messages
// a second, 1 a second to one chat, 20 a minute to one group): about 17 s.
// It is kept out of the default run by its build tag:
//
//	go test -tags soak -run TestFanout500Soak -v ./e2e/
func TestFanout500Soak(t *testing.T) {
	fanout500(t, telegramLimits)
}
