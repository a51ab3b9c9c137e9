// Package tasks is steerbot's domain: the committee's units, members, tasks,
// their statuses and history, the rules on who may do what, the timeliness of
// a task, the digest that a committee reads before a meeting, and the readers
// of the values members type (dates, percentages, status words, free text).
//
// A rule has one home here, and the adapters call it: every change to a
// task goes through Policy.Commit (a new task through Record), so each is
// recorded as an Update; what a digest reads is LoadDigestInput; the order
// of a reminder is Timeline.ReminderOrder; what a member's words ask for
// beside a report (more time, a look at a task, which tasks they name) is
// read in reply_intent.go; who receives a unit's reminders on a day
// (absences, covers, members who blocked the bot) is UnitContactsAt; a new
// invite is CreateInvite; a coordinating unit's part is Policy.CommitPart.
//
// It imports nothing of the project and no Telegram, bbolt or OpenAI package.
// The adapters (storage, bot, reminders, llm) implement or consume the
// interfaces declared here, and main wires them together. The store is
// split into role interfaces (UnitStore, MemberStore, TaskStore,
// ExtensionStore, MeetingStore, OutboxStore, InboxStore, StateStore,
// SettingsStore) that Tx joins; a consumer asks for the smallest it needs.
// Short-lived state (a pending choice, an album, a proposal …) has a type
// and an end here (state.go), and the daily maintenance sweeps it.
package tasks
