package storage

import (
	"fmt"
	"time"

	"steerbot/tasks"
)

// Enqueue adds a message to the outbox and assigns m.ID (increasing). An
// empty State is stored as OutQueued; task codes are stored upper case. A
// message whose non-empty Key is already in the outbox, in any state, is not
// added and nothing changes: added is false and m.ID is set to the id of
// the message already there.
func (t *Tx) Enqueue(m *tasks.OutMessage) (added bool, err error) {
	if err := t.writable("enqueue"); err != nil {
		return false, err
	}
	byKey := t.b(bucketOutboxKey)
	if m.Key != "" {
		if v := byKey.Get([]byte(m.Key)); v != nil {
			m.ID = decodeU64(v)
			return false, nil
		}
	}
	id, err := t.b(bucketOutbox).NextSequence()
	if err != nil {
		return false, fmt.Errorf("enqueue: %w", err)
	}
	m.ID = id
	if m.State == "" {
		m.State = tasks.OutQueued
	}
	if m.Key != "" {
		if err := byKey.Put([]byte(m.Key), u64(id)); err != nil {
			return false, fmt.Errorf("enqueue %s: %w", m.Key, err)
		}
	}
	if err := t.storeOut(m); err != nil {
		return false, fmt.Errorf("enqueue: %w", err)
	}
	return true, nil
}

// storeOut writes m with its queued index entry and, once sent, its
// MessageRef.
func (t *Tx) storeOut(m *tasks.OutMessage) error {
	m.TaskCodes = normalizeCodes(m.TaskCodes)
	if err := putJSON(t.b(bucketOutbox), u64(m.ID), m); err != nil {
		return err
	}
	queue := t.b(bucketOutboxQueue)
	if m.State == tasks.OutQueued {
		if err := queue.Put(u64(m.ID), []byte{}); err != nil {
			return err
		}
	} else if err := queue.Delete(u64(m.ID)); err != nil {
		return err
	}
	if m.State == tasks.OutSent && m.SentMessageID != 0 {
		ref := tasks.MessageRef{ChatID: m.ChatID, MessageID: m.SentMessageID, TaskCodes: m.TaskCodes, Purpose: m.Purpose, OutID: m.ID}
		if err := putJSON(t.b(bucketMsgRefs), refKey(m.ChatID, m.SentMessageID), ref); err != nil {
			return err
		}
	}
	return nil
}

// normalizeCodes returns a copy of codes in upper case.
func normalizeCodes(codes []string) []string {
	if codes == nil {
		return nil
	}
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = tasks.NormalizeCode(c)
	}
	return out
}

func refKey(chatID int64, messageID int) []byte {
	return append(i64(chatID), i64(int64(messageID))...)
}

// Queued returns up to limit queued messages (all of them when limit <= 0),
// oldest first, whatever their NotBefore. It reads the queued index only,
// never the messages already sent.
func (t *Tx) Queued(limit int) ([]tasks.OutMessage, error) {
	var out []tasks.OutMessage
	box := t.b(bucketOutbox)
	c := t.b(bucketOutboxQueue).Cursor()
	for k, _ := c.First(); k != nil && (limit <= 0 || len(out) < limit); k, _ = c.Next() {
		var m tasks.OutMessage
		ok, err := getJSON(box, k, &m)
		if err != nil {
			return nil, fmt.Errorf("queued: %w", err)
		}
		if !ok {
			return nil, fmt.Errorf("queued: index names missing message %d", decodeU64(k))
		}
		out = append(out, m)
	}
	return out, nil
}

// OutMessage returns one outbox message (ENOTFOUND).
func (t *Tx) OutMessage(id uint64) (tasks.OutMessage, error) {
	var m tasks.OutMessage
	ok, err := getJSON(t.b(bucketOutbox), u64(id), &m)
	if err != nil {
		return tasks.OutMessage{}, fmt.Errorf("out message %d: %w", id, err)
	}
	if !ok {
		return tasks.OutMessage{}, notFound("message_not_found", fmt.Sprintf("outgoing message %d not found", id), id)
	}
	return m, nil
}

// PutOutMessage stores an existing outbox message's new state (ENOTFOUND
// for an id not in the outbox). When it is marked OutSent with a
// SentMessageID, a MessageRef (task codes, purpose, outbox id) is recorded
// under (ChatID, SentMessageID). A changed Key that another message holds
// is ECONFLICT.
func (t *Tx) PutOutMessage(m tasks.OutMessage) error {
	if err := t.writable("put out message"); err != nil {
		return err
	}
	old, err := t.OutMessage(m.ID)
	if err != nil {
		return err
	}
	if old.Key != m.Key {
		byKey := t.b(bucketOutboxKey)
		if m.Key != "" {
			if v := byKey.Get([]byte(m.Key)); v != nil && decodeU64(v) != m.ID {
				return tasks.NewError(tasks.ECONFLICT, "duplicate_key",
					fmt.Sprintf("outbox key %q belongs to message %d", m.Key, decodeU64(v)), m.Key)
			}
			if err := byKey.Put([]byte(m.Key), u64(m.ID)); err != nil {
				return fmt.Errorf("put out message %d: %w", m.ID, err)
			}
		}
		if old.Key != "" {
			if err := byKey.Delete([]byte(old.Key)); err != nil {
				return fmt.Errorf("put out message %d: %w", m.ID, err)
			}
		}
	}
	if err := t.storeOut(&m); err != nil {
		return fmt.Errorf("put out message %d: %w", m.ID, err)
	}
	return nil
}

// OutboxStats returns the number of queued messages and the creation time
// of the oldest (zero when none), from the queued index alone.
func (t *Tx) OutboxStats() (queued int, oldest time.Time, err error) {
	c := t.b(bucketOutboxQueue).Cursor()
	k0, _ := c.First()
	first := clone(k0)
	for k := k0; k != nil; k, _ = c.Next() {
		queued++
	}
	if first == nil {
		return 0, time.Time{}, nil
	}
	var m tasks.OutMessage
	if _, err := getJSON(t.b(bucketOutbox), first, &m); err != nil {
		return 0, time.Time{}, fmt.Errorf("outbox stats: %w", err)
	}
	return queued, m.Created, nil
}

// MessageRef returns what the bot remembers of a message it sent
// (ENOTFOUND).
func (t *Tx) MessageRef(chatID int64, messageID int) (tasks.MessageRef, error) {
	var r tasks.MessageRef
	ok, err := getJSON(t.b(bucketMsgRefs), refKey(chatID, messageID), &r)
	if err != nil {
		return tasks.MessageRef{}, fmt.Errorf("message ref: %w", err)
	}
	if !ok {
		return tasks.MessageRef{}, notFound("message_not_found",
			fmt.Sprintf("message %d in chat %d is not one the bot sent", messageID, chatID), chatID, messageID)
	}
	return r, nil
}

// PruneOutbox deletes the sent and failed messages created before before,
// with their key index entries and their MessageRefs (a reply to such a
// message is then no longer read as an update), and returns how many it
// deleted. Queued messages, and messages without a creation time, stay.
// Ids follow creation, so it walks the outbox in id order and stops at the
// first message created at or after before: its cost is the number of old
// records plus the old messages still queued.
func (t *Tx) PruneOutbox(before time.Time) (int, error) {
	if err := t.writable("prune outbox"); err != nil {
		return 0, err
	}
	box, byKey, refs := t.b(bucketOutbox), t.b(bucketOutboxKey), t.b(bucketMsgRefs)
	var old [][]byte
	c := box.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var m tasks.OutMessage
		if err := decode(k, v, &m); err != nil {
			return 0, fmt.Errorf("prune outbox: %w", err)
		}
		if !m.Created.IsZero() && !m.Created.Before(before) {
			break
		}
		if m.State == tasks.OutQueued || m.Created.IsZero() {
			continue
		}
		if m.Key != "" {
			if id := byKey.Get([]byte(m.Key)); id != nil && decodeU64(id) == m.ID {
				if err := byKey.Delete([]byte(m.Key)); err != nil {
					return 0, fmt.Errorf("prune outbox: %w", err)
				}
			}
		}
		if m.SentMessageID != 0 {
			// An edit of the message may have taken its ref over since.
			var ref tasks.MessageRef
			rk := refKey(m.ChatID, m.SentMessageID)
			ok, err := getJSON(refs, rk, &ref)
			if err != nil {
				return 0, fmt.Errorf("prune outbox: %w", err)
			}
			if ok && ref.OutID == m.ID {
				if err := refs.Delete(rk); err != nil {
					return 0, fmt.Errorf("prune outbox: %w", err)
				}
			}
		}
		old = append(old, clone(k))
	}
	// Deleting under a cursor skips keys in bbolt: delete after the walk.
	for _, k := range old {
		if err := box.Delete(k); err != nil {
			return 0, fmt.Errorf("prune outbox: %w", err)
		}
	}
	return len(old), nil
}
