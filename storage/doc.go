// Package storage is the bbolt implementation of tasks.Store: everything the
// committee has, in one file that one steerbot process holds at a time.
//
// Layout (version SchemaVersion): one bucket per kind of thing, values in JSON,
// numeric keys big-endian so they sort, task and unit codes upper case.
// Beside every task, a compact binary summary of the fields a digest reads
// (summary.go), written by PutTask in the same transaction and built for
// older files by the migration to schema 4; digest snapshots are binary
// too (snapshot.go). Writes to the indexes and summaries are applied in
// key order at the end of a transaction (deferred.go).
// Indexes kept by the writers themselves: tasks by lead unit, by involving
// unit (lead and coordinating) and by group (keys length|value|code, so a
// prefix scan yields codes in order); task history under length|code|update
// id, so History is a range scan; members by Telegram id; the outbox by
// idempotency key and by queued state; sent messages by (chat id, message
// id); handled Telegram update ids in handling order, bounded by
// HandledKeep. The short-lived records of tasks.StateStore (pending
// choices, albums, proposals, drafts, assistant jobs, decision copies,
// reminder marks) have a bucket per kind and are deleted by SweepState once
// ended (state.go); the settings of tasks.SettingsStore stay under fixed
// keys in the kv bucket, and named time markers in their own bucket
// (settings.go). A meta bucket holds the schema version, which Open
// migrates forward step by step and refuses when newer than SchemaVersion;
// the "typed state" step moved the records that earlier files kept as
// string keys in kv into their typed buckets (migrate_state.go).
//
// A damaged file never panics out of the package: bbolt's panics on
// corrupted pages and faults on a file cut short become errors wrapping
// ErrDamaged, and Store.Health (read by Ping, so by /healthz) reports
// damage, failed commits and failed reads (damage.go).
//
// Errors a user may see are *tasks.Error values with keys the bot's catalogs
// name: unit_not_found, member_not_found, task_not_found,
// extension_not_found, meeting_not_found, invite_not_found,
// snapshot_not_found, message_not_found, state_not_found, chat_not_moved
// (ENOTFOUND); telegram_linked, duplicate_key (ECONFLICT); empty_code,
// code_too_long, group_too_long, bad_member_id, empty_token, bad_state_id,
// bad_draft_state, bad_mark_kind, empty_key, empty_marker (EINVALID).
package storage
