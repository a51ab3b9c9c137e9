package storage

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"steerbot/tasks"
)

// Tx is one bbolt transaction seen as a tasks.Tx. It is valid only inside
// the function given to Store.Update, View or Batch: keeping it, or using
// it from another goroutine, after that function returns is a bug (bbolt
// has released its pages by then). Values it returns are copies and stay
// valid.
type Tx struct {
	tx      *bolt.Tx
	pending map[string][]write // held writes by bucket: see deferred.go
}

var _ tasks.Tx = (*Tx)(nil)

// Version identifies the committed state the transaction reads: bbolt's
// id of the last write transaction committed before it began (a write
// transaction's own id). Caches of what was read from the store key on it.
func (t *Tx) Version() uint64 { return uint64(t.tx.ID()) }

// b returns a bucket; Open made sure they all exist.
func (t *Tx) b(name []byte) *bolt.Bucket {
	b := t.tx.Bucket(name)
	// bbolt fills split pages to half by default, which is right for
	// keys that arrive in random order; ours mostly arrive in order
	// (codes in a plan, ids, history by task), so pages are filled to
	// fillPercent: a file of about half the size, read and written in
	// half the time.
	b.FillPercent = fillPercent
	return b
}

// fillPercent is how full bbolt fills the pages it splits.
const fillPercent = 0.9

// writable fails a write in a read-only transaction before it touches
// anything.
func (t *Tx) writable(op string) error {
	if !t.tx.Writable() {
		return fmt.Errorf("%s: %w", op, ErrTxNotWritable)
	}
	return nil
}

func notFound(key, msg string, args ...any) error {
	return tasks.NewError(tasks.ENOTFOUND, key, msg, args...)
}

// maxCodeLen bounds task and unit codes: they are short by design, and
// every index key carries one.
const maxCodeLen = 100

// maxGroupLen bounds group names, which are index keys.
const maxGroupLen = 1000

// Unit returns the unit with that code, case-insensitively (ENOTFOUND).
func (t *Tx) Unit(code string) (tasks.Unit, error) {
	code = tasks.NormalizeCode(code)
	var u tasks.Unit
	ok, err := getJSON(t.b(bucketUnits), []byte(code), &u)
	if err != nil {
		return tasks.Unit{}, fmt.Errorf("unit %s: %w", code, err)
	}
	if !ok {
		return tasks.Unit{}, notFound("unit_not_found", "unit "+code+" not found", code)
	}
	return u, nil
}

// Units returns every unit ordered by code.
func (t *Tx) Units() ([]tasks.Unit, error) {
	var out []tasks.Unit
	err := t.b(bucketUnits).ForEach(func(k, v []byte) error {
		var u tasks.Unit
		if err := decode(k, v, &u); err != nil {
			return err
		}
		out = append(out, u)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("units: %w", err)
	}
	return out, nil
}

// PutUnit creates or renames a unit; its code is stored upper case. An
// empty or over-long code is EINVALID.
func (t *Tx) PutUnit(u tasks.Unit) error {
	if err := t.writable("put unit"); err != nil {
		return err
	}
	u.Code = tasks.NormalizeCode(u.Code)
	if err := checkCode("unit", u.Code); err != nil {
		return err
	}
	if err := putJSON(t.b(bucketUnits), []byte(u.Code), u); err != nil {
		return fmt.Errorf("put unit %s: %w", u.Code, err)
	}
	return nil
}

func checkCode(what, code string) error {
	if code == "" {
		return tasks.NewError(tasks.EINVALID, "empty_code", what+" code is empty", what)
	}
	if len(code) > maxCodeLen {
		return tasks.NewError(tasks.EINVALID, "code_too_long",
			fmt.Sprintf("%s code is longer than %d bytes", what, maxCodeLen), what, maxCodeLen)
	}
	return nil
}

// Member returns a member by id (ENOTFOUND).
func (t *Tx) Member(id int64) (tasks.Member, error) {
	var m tasks.Member
	ok, err := getJSON(t.b(bucketMembers), i64(id), &m)
	if err != nil {
		return tasks.Member{}, fmt.Errorf("member %d: %w", id, err)
	}
	if !ok {
		return tasks.Member{}, notFound("member_not_found", fmt.Sprintf("member %d not found", id), id)
	}
	return m, nil
}

// MemberByTelegram returns the member linked to a Telegram user
// (ENOTFOUND).
func (t *Tx) MemberByTelegram(telegramID int64) (tasks.Member, error) {
	v := t.b(bucketMembersTG).Get(i64(telegramID))
	if telegramID == 0 || v == nil {
		return tasks.Member{}, notFound("member_not_found", fmt.Sprintf("no member is linked to Telegram user %d", telegramID), telegramID)
	}
	return t.Member(decodeI64(v))
}

// Members returns every member ordered by id.
func (t *Tx) Members() ([]tasks.Member, error) {
	var out []tasks.Member
	err := t.b(bucketMembers).ForEach(func(k, v []byte) error {
		var m tasks.Member
		if err := decode(k, v, &m); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	return out, nil
}

// PutMember creates (ID 0: assigns the next id) or replaces a member; a
// new member may also bring its own positive ID. Its unit code is stored
// upper case. A Telegram id already linked to another member is ECONFLICT.
func (t *Tx) PutMember(m *tasks.Member) error {
	if err := t.writable("put member"); err != nil {
		return err
	}
	if m.ID < 0 {
		return tasks.NewError(tasks.EINVALID, "bad_member_id", fmt.Sprintf("member id %d is negative", m.ID), m.ID)
	}
	members, byTG := t.b(bucketMembers), t.b(bucketMembersTG)
	if m.TelegramID != 0 {
		if v := byTG.Get(i64(m.TelegramID)); v != nil && decodeI64(v) != m.ID {
			return tasks.NewError(tasks.ECONFLICT, "telegram_linked",
				fmt.Sprintf("Telegram user %d is already linked to another member", m.TelegramID), m.TelegramID)
		}
	}
	if m.ID == 0 {
		id, err := members.NextSequence()
		if err != nil {
			return fmt.Errorf("put member: %w", err)
		}
		m.ID = int64(id)
	} else if uint64(m.ID) > members.Sequence() {
		// Keep assigned ids clear of ids callers chose.
		if err := members.SetSequence(uint64(m.ID)); err != nil {
			return fmt.Errorf("put member: %w", err)
		}
	}
	var old tasks.Member
	exists, err := getJSON(members, i64(m.ID), &old)
	if err != nil {
		return fmt.Errorf("put member %d: %w", m.ID, err)
	}
	if exists && old.TelegramID != 0 && old.TelegramID != m.TelegramID {
		if err := byTG.Delete(i64(old.TelegramID)); err != nil {
			return fmt.Errorf("put member %d: %w", m.ID, err)
		}
	}
	m.Unit = tasks.NormalizeCode(m.Unit)
	if err := putJSON(members, i64(m.ID), m); err != nil {
		return fmt.Errorf("put member %d: %w", m.ID, err)
	}
	if m.TelegramID != 0 {
		if err := byTG.Put(i64(m.TelegramID), i64(m.ID)); err != nil {
			return fmt.Errorf("put member %d: %w", m.ID, err)
		}
	}
	return nil
}

// NextSeq returns the next number of a named sequence (1, 2, …); names are
// case-sensitive.
func (t *Tx) NextSeq(name string) (uint64, error) {
	if err := t.writable("next seq"); err != nil {
		return 0, err
	}
	if name == "" {
		return 0, fmt.Errorf("next seq: empty name")
	}
	b := t.b(bucketSeq)
	var n uint64
	if v := b.Get([]byte(name)); len(v) == 8 {
		n = decodeU64(v)
	}
	n++
	if err := b.Put([]byte(name), u64(n)); err != nil {
		return 0, fmt.Errorf("next seq %s: %w", name, err)
	}
	return n, nil
}
