// Package e2e holds end-to-end tests of steerbot's outgoing-message path:
// the real bbolt store, the real bot (the go-telegram client), the real
// outbox and scheduler, against the in-process fake Telegram server
// (bot/telegramtest), including a test that kills a sending process with
// SIGKILL and restarts it. It has no code of its own: everything is in its
// _test.go files, and the benchmarks of the path live here too.
//
// The build tag soak adds the fan-out of 500 reminders at Telegram's real
// limits, which takes about 17 seconds:
//
//	go test -tags soak -run TestFanout500Soak -v ./e2e/
package e2e
