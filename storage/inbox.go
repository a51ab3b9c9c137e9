package storage

import (
	"fmt"

	"steerbot/tasks"
)

// HandledKeep bounds the set of handled update ids: MarkHandled forgets the
// ids handled longest ago beyond this many. Telegram redelivers only recent
// updates (it keeps them for 24 hours), so 10,000 covers far more than any
// redelivery window of this bot. The order is that of handling, not of the
// ids, because Telegram may restart update ids at a random number after a
// week without updates. A forgotten id is reported as not handled.
const HandledKeep = 10000

// InboxAdd stores an update before it is handled; one already in the inbox
// or among the handled ids is ignored (added is false). Raw is copied.
func (t *Tx) InboxAdd(item tasks.InboxItem) (added bool, err error) {
	if err := t.writable("inbox add"); err != nil {
		return false, err
	}
	key := i64(item.UpdateID)
	inbox := t.b(bucketInbox)
	if has(inbox, key) || has(t.b(bucketHandled), key) {
		return false, nil
	}
	if err := inbox.Put(key, append([]byte{}, item.Raw...)); err != nil {
		return false, fmt.Errorf("inbox add %d: %w", item.UpdateID, err)
	}
	return true, nil
}

// Inbox returns the stored updates not yet handled, in update id order.
func (t *Tx) Inbox() ([]tasks.InboxItem, error) {
	var out []tasks.InboxItem
	err := t.b(bucketInbox).ForEach(func(k, v []byte) error {
		out = append(out, tasks.InboxItem{UpdateID: decodeI64(k), Raw: append([]byte{}, v...)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	return out, nil
}

// MarkHandled records that an update was handled and drops it from the
// inbox (it need not have been there). Done in the transaction that applies
// the update's change. The handled set keeps the newest HandledKeep ids.
func (t *Tx) MarkHandled(updateID int64) error {
	if err := t.writable("mark handled"); err != nil {
		return err
	}
	key := i64(updateID)
	if err := t.b(bucketInbox).Delete(key); err != nil {
		return fmt.Errorf("mark handled %d: %w", updateID, err)
	}
	handled, order := t.b(bucketHandled), t.b(bucketHandledSeq)
	if has(handled, key) {
		return nil
	}
	seq, err := order.NextSequence()
	if err != nil {
		return fmt.Errorf("mark handled %d: %w", updateID, err)
	}
	if err := handled.Put(key, u64(seq)); err != nil {
		return fmt.Errorf("mark handled %d: %w", updateID, err)
	}
	if err := order.Put(u64(seq), key); err != nil {
		return fmt.Errorf("mark handled %d: %w", updateID, err)
	}
	// The order keys are contiguous (appended at the end, pruned from the
	// front), so first and last give the count.
	c := order.Cursor()
	k, v := c.First()
	n := seq - decodeU64(k) + 1
	var old [][2][]byte
	for ; k != nil && n > HandledKeep; k, v = c.Next() {
		old = append(old, [2][]byte{clone(k), clone(v)})
		n--
	}
	for _, kv := range old {
		if err := order.Delete(kv[0]); err != nil {
			return fmt.Errorf("mark handled: prune: %w", err)
		}
		if err := handled.Delete(kv[1]); err != nil {
			return fmt.Errorf("mark handled: prune: %w", err)
		}
	}
	return nil
}

// Handled reports whether an update was handled (among the newest
// HandledKeep handled ids).
func (t *Tx) Handled(updateID int64) (bool, error) {
	return has(t.b(bucketHandled), i64(updateID)), nil
}
