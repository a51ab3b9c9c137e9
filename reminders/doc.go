// Package reminders decides what goes out and when, and sends it.
//
// The Scheduler runs the committee's cron rules (the weekly reminder, the
// overdue round with due-soon reminders and escalations) and the digest
// before each meeting. It keeps a marker per rule in the store and writes it
// in the transaction that enqueues the messages, so a restart or a retry
// never sends a reminder twice and a firing missed while the bot was down is
// sent once when it comes back. Quiet hours and holidays postpone, never drop.
//
// The Outbox drains the persistent outbox of the store through a Sender,
// within Telegram's rate limits, obeying 429 answers and retrying temporary
// failures with a backoff. It holds the scheduled messages (reminders,
// escalations, digests) in the same quiet hours and holidays as the
// Scheduler (one Quiet for both), even when they were queued before and
// delayed by a retry, a 429 pause, an outage or a restart; answers to users
// are never held and may overtake a held reminder. It gives up a message
// that keeps failing for longer than a day, keeps no file data once a
// message is sent, and deletes sent and failed records after 90 days.
//
// The package depends on tasks only: the bot (texts, buttons, Telegram),
// the chart and the LLM are plugged in by main through tasks.Notifier,
// Sender and function options.
package reminders
