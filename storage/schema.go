package storage

import (
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"steerbot/tasks"
)

// SchemaVersion is the version of the file layout this build writes. Open
// migrates older files up to it and refuses newer ones.
const SchemaVersion = 8

// Bucket names. Keys are big-endian integers (so they sort) or upper-case
// codes; values are JSON unless said otherwise.
var (
	bucketMeta        = []byte("meta")          // "schema_version" → uint64
	bucketKV          = []byte("kv")            // setting name → value (settings.go)
	bucketSeq         = []byte("seq")           // sequence name → uint64
	bucketUnits       = []byte("units")         // CODE → Unit
	bucketMembers     = []byte("members")       // id → Member
	bucketMembersTG   = []byte("members_by_tg") // telegram id → member id
	bucketTasks       = []byte("tasks")         // CODE → Task
	bucketTasksUnit   = []byte("tasks_by_unit") // len|UNIT|CODE → ""
	bucketTasksInv    = []byte("tasks_by_inv")  // len|UNIT|CODE → "" (lead and co-units)
	bucketTasksGroup  = []byte("tasks_by_group")
	bucketUpdates     = []byte("updates")        // len|CODE|update id → Update
	bucketExtensions  = []byte("extensions")     // id → ExtensionRequest
	bucketMeetings    = []byte("meetings")       // id → Meeting
	bucketInvites     = []byte("invites")        // token → Invite
	bucketSnapshots   = []byte("snapshots")      // seq → Snapshot
	bucketOutbox      = []byte("outbox")         // id → OutMessage
	bucketOutboxKey   = []byte("outbox_by_key")  // key → id
	bucketOutboxQueue = []byte("outbox_queued")  // id → ""
	bucketMsgRefs     = []byte("message_refs")   // chat id|message id → MessageRef
	bucketInbox       = []byte("inbox")          // update id → raw update
	bucketHandled     = []byte("handled")        // update id → seq
	bucketHandledSeq  = []byte("handled_order")  // seq → update id
	bucketSummaries   = []byte("task_summaries") // CODE → summary (summary.go, binary)
)

var keySchemaVersion = []byte("schema_version")

// migration brings a file from version to-1 to version to; now is the
// store's clock when the file is opened.
type migration struct {
	to   uint64
	name string
	up   func(tx *bolt.Tx, now time.Time) error
}

// migrations is every step from an empty file on, in order: migrations[i]
// moves version i to i+1. A new schema appends a step and bumps
// SchemaVersion; steps already released are never changed.
var migrations = []migration{
	{to: 1, name: "create buckets", up: createBuckets(
		bucketKV, bucketSeq, bucketUnits, bucketMembers, bucketMembersTG,
		bucketTasks, bucketTasksUnit, bucketTasksInv, bucketTasksGroup, bucketUpdates,
		bucketExtensions, bucketMeetings, bucketInvites, bucketSnapshots,
		bucketOutbox, bucketOutboxKey, bucketOutboxQueue, bucketMsgRefs,
		bucketInbox, bucketHandled, bucketHandledSeq,
	)},
	{to: 2, name: "indicators", up: createBuckets(bucketIndicators, bucketIndicatorValues)},
	{to: 3, name: "typed state", up: migrateTypedState},
	{to: 4, name: "task summaries", up: func(tx *bolt.Tx, _ time.Time) error { return rebuildSummaries(tx) }},
	{to: 5, name: "pending imports", up: createBuckets(bucketImports)},
	{to: 6, name: "narratives", up: createBuckets(bucketNarratives)},
	{to: 7, name: "dashboard", up: createBuckets(bucketDashLinks, bucketDashSessions)},
	{to: 8, name: "task summaries with Updated", up: func(tx *bolt.Tx, _ time.Time) error { return rebuildSummaries(tx) }},
}

// allBuckets is what a file at SchemaVersion holds; Open checks them all.
var allBuckets = [][]byte{
	bucketMeta, bucketKV, bucketSeq, bucketUnits, bucketMembers, bucketMembersTG,
	bucketTasks, bucketTasksUnit, bucketTasksInv, bucketTasksGroup, bucketUpdates,
	bucketExtensions, bucketMeetings, bucketInvites, bucketSnapshots,
	bucketOutbox, bucketOutboxKey, bucketOutboxQueue, bucketMsgRefs,
	bucketInbox, bucketHandled, bucketHandledSeq,
	bucketIndicators, bucketIndicatorValues,
	bucketPending, bucketAlbums, bucketProposals, bucketDrafts,
	bucketJobs, bucketCopies, bucketMarks, bucketMarkers,
	bucketSummaries, bucketImports, bucketNarratives,
	bucketDashLinks, bucketDashSessions,
}

func createBuckets(names ...[]byte) func(*bolt.Tx, time.Time) error {
	return func(tx *bolt.Tx, _ time.Time) error {
		for _, n := range names {
			if _, err := tx.CreateBucketIfNotExists(n); err != nil {
				return fmt.Errorf("bucket %s: %w", n, err)
			}
		}
		return nil
	}
}

// migrate runs, in the transaction that Open starts, every step from the
// stored version to SchemaVersion, all or nothing.
func migrate(tx *bolt.Tx, now time.Time) error {
	if _, err := tx.CreateBucketIfNotExists(bucketMeta); err != nil {
		return fmt.Errorf("bucket meta: %w", err)
	}
	v, err := schemaVersion(tx)
	if err != nil {
		return err
	}
	if v > SchemaVersion {
		return fmt.Errorf("schema version %d, this build knows up to %d: %w", v, SchemaVersion, ErrSchemaTooNew)
	}
	for _, m := range migrations[v:] {
		if err := m.up(tx, now); err != nil {
			return fmt.Errorf("migrate to schema %d (%s): %w", m.to, m.name, err)
		}
		if err := tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(m.to)); err != nil {
			return fmt.Errorf("migrate to schema %d: %w", m.to, err)
		}
	}
	for _, n := range allBuckets {
		if tx.Bucket(n) == nil {
			return fmt.Errorf("schema %d: bucket %s is missing", SchemaVersion, n)
		}
	}
	return nil
}

// upToDate reports whether the file is at SchemaVersion with every bucket.
func upToDate(tx *bolt.Tx) bool {
	if v, err := schemaVersion(tx); err != nil || v != SchemaVersion {
		return false
	}
	for _, n := range allBuckets {
		if tx.Bucket(n) == nil {
			return false
		}
	}
	return true
}

// schemaVersion reads the stored version: 0 for a new file.
func schemaVersion(tx *bolt.Tx) (uint64, error) {
	b := tx.Bucket(bucketMeta)
	if b == nil {
		return 0, nil
	}
	v := b.Get(keySchemaVersion)
	if v == nil {
		return 0, nil
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("schema version: bad value %x", v)
	}
	return binary.BigEndian.Uint64(v), nil
}

// rebuildSummaries writes the summary of every task (summary.go), in a
// bucket emptied first.
func rebuildSummaries(tx *bolt.Tx) error {
	if tx.Bucket(bucketSummaries) != nil {
		if err := tx.DeleteBucket(bucketSummaries); err != nil {
			return fmt.Errorf("bucket %s: %w", bucketSummaries, err)
		}
	}
	sb, err := tx.CreateBucket(bucketSummaries)
	if err != nil {
		return fmt.Errorf("bucket %s: %w", bucketSummaries, err)
	}
	sb.FillPercent = 1 // written in key order, once
	n := uint64(0)
	err = tx.Bucket(bucketTasks).ForEach(func(k, v []byte) error {
		var task tasks.Task
		if err := decode(k, v, &task); err != nil {
			return err
		}
		n++
		// bbolt keeps both slices until the commit.
		return sb.Put(clone(k), encodeSummary(nil, &task))
	})
	if err != nil {
		return err
	}
	return sb.SetSequence(n) // counts the summaries: see TaskSummaries
}
