package storage

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"steerbot/tasks"
)

// Settings (tasks.SettingsStore) live in bucketKV under fixed keys, the
// ones that earlier builds wrote, so no migration was needed for them.
// Values are text, except the button key (raw bytes).
const (
	keyOffset        = "bot:offset"         // decimal
	keyLastUpdate    = "bot:last_update_at" // RFC 3339
	keyButtonKey     = "bot:hmac_key"       // raw bytes
	keyChatMovedTo   = "chat:moved:"        // + old chat id → new chat id
	keyChatMovedFrom = "chat:movedfrom:"    // + new chat id → old chat id
	keyConfigMembers = "config:members"     // JSON array of member ids
)

// getKV returns a copy of the value under key in bucketKV, nil when absent.
func (t *Tx) getKV(key string) []byte {
	v := t.b(bucketKV).Get([]byte(key))
	if v == nil {
		return nil
	}
	return append([]byte{}, v...)
}

// putKV stores value (copied) under key in bucketKV.
func (t *Tx) putKV(key string, value []byte) error {
	if err := t.writable("put " + key); err != nil {
		return err
	}
	if err := t.b(bucketKV).Put([]byte(key), append([]byte{}, value...)); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// getInt reads a decimal setting; ok is false when absent.
func (t *Tx) getInt(key string) (n int64, ok bool, err error) {
	v := t.getKV(key)
	if v == nil {
		return 0, false, nil
	}
	n, err = strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("setting %s: %w", key, err)
	}
	return n, true, nil
}

// UpdateOffset returns the next getUpdates offset and when the last update
// arrived (0 and zero when never stored).
func (t *Tx) UpdateOffset() (int64, time.Time, error) {
	offset, _, err := t.getInt(keyOffset)
	if err != nil {
		return 0, time.Time{}, err
	}
	var last time.Time
	if v := t.getKV(keyLastUpdate); len(v) > 0 {
		if last, err = time.Parse(time.RFC3339Nano, string(v)); err != nil {
			return 0, time.Time{}, fmt.Errorf("setting %s: %w", keyLastUpdate, err)
		}
	}
	return offset, last, nil
}

// PutUpdateOffset stores the next getUpdates offset and when the last
// update arrived.
func (t *Tx) PutUpdateOffset(offset int64, lastUpdate time.Time) error {
	if err := t.putKV(keyLastUpdate, []byte(lastUpdate.Format(time.RFC3339Nano))); err != nil {
		return err
	}
	return t.putKV(keyOffset, []byte(strconv.FormatInt(offset, 10)))
}

// ButtonKey returns the key that signs button data, nil when none yet.
func (t *Tx) ButtonKey() ([]byte, error) { return t.getKV(keyButtonKey), nil }

// PutButtonKey stores the key that signs button data (EINVALID when empty).
func (t *Tx) PutButtonKey(key []byte) error {
	if len(key) == 0 {
		return invalid("empty_key", "empty button key")
	}
	return t.putKV(keyButtonKey, key)
}

// ChatMovedTo returns the supergroup a group became (ENOTFOUND).
func (t *Tx) ChatMovedTo(from int64) (int64, error) {
	return t.chatMove(keyChatMovedTo, from)
}

// ChatMovedFrom returns the group that became the supergroup to
// (ENOTFOUND).
func (t *Tx) ChatMovedFrom(to int64) (int64, error) {
	return t.chatMove(keyChatMovedFrom, to)
}

func (t *Tx) chatMove(prefix string, id int64) (int64, error) {
	n, ok, err := t.getInt(prefix + strconv.FormatInt(id, 10))
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, notFound("chat_not_moved", fmt.Sprintf("chat %d did not move", id), id)
	}
	return n, nil
}

// PutChatMove records that the group from became the supergroup to.
func (t *Tx) PutChatMove(from, to int64) error {
	if err := t.putKV(keyChatMovedFrom+strconv.FormatInt(to, 10), []byte(strconv.FormatInt(from, 10))); err != nil {
		return err
	}
	return t.putKV(keyChatMovedTo+strconv.FormatInt(from, 10), []byte(strconv.FormatInt(to, 10)))
}

// Marker returns the time stored under a named marker, zero when never set.
func (t *Tx) Marker(name string) (time.Time, error) {
	v := t.b(bucketMarkers).Get([]byte(name))
	if v == nil {
		return time.Time{}, nil
	}
	at, err := time.Parse(time.RFC3339Nano, string(v))
	if err != nil {
		return time.Time{}, fmt.Errorf("marker %s: %w", name, err)
	}
	return at, nil
}

// PutMarker stores a marker's time, in UTC (EINVALID for an empty name).
func (t *Tx) PutMarker(name string, at time.Time) error {
	if err := t.writable("put marker " + name); err != nil {
		return err
	}
	if name == "" {
		return invalid("empty_marker", "marker without a name")
	}
	if err := t.b(bucketMarkers).Put([]byte(name), []byte(at.UTC().Format(time.RFC3339Nano))); err != nil {
		return fmt.Errorf("put marker %s: %w", name, err)
	}
	return nil
}

var _ tasks.SettingsStore = (*Tx)(nil)

// ConfigMembers returns the ids of the members the configuration's list
// made or matched at the last start, nil when never stored.
func (t *Tx) ConfigMembers() ([]int64, error) {
	v := t.getKV(keyConfigMembers)
	if len(v) == 0 {
		return nil, nil
	}
	var ids []int64
	if err := json.Unmarshal(v, &ids); err != nil {
		return nil, fmt.Errorf("setting %s: %w", keyConfigMembers, err)
	}
	return ids, nil
}

// PutConfigMembers stores the ids of the members the configuration's list
// made or matched.
func (t *Tx) PutConfigMembers(ids []int64) error {
	v, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("setting %s: %w", keyConfigMembers, err)
	}
	return t.putKV(keyConfigMembers, v)
}
