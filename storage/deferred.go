package storage

import (
	"fmt"
	"slices"
)

// Writes to the index and summary buckets are held in the Tx and applied
// in key order when the transaction ends (or before anything reads those
// buckets). bbolt keeps a bucket's changes in memory until the commit, in
// one node per page it touched; keys that arrive out of order (an index by
// unit, filled in code order) make each insertion shift a growing node, so
// an import of 40,000 tasks into a new file spent most of its time in
// memmove. Applied in order, the same writes append.

// deferPut holds a put of value under key in bucket until flush.
func (t *Tx) deferPut(bucket, key, value []byte) {
	if value == nil {
		value = []byte{}
	}
	t.deferred(bucket)[string(key)] = value
}

// deferDelete holds a delete of key in bucket until flush.
func (t *Tx) deferDelete(bucket, key []byte) {
	t.deferred(bucket)[string(key)] = nil
}

func (t *Tx) deferred(bucket []byte) map[string][]byte {
	if t.pending == nil {
		t.pending = map[string]map[string][]byte{}
	}
	m := t.pending[string(bucket)]
	if m == nil {
		m = map[string][]byte{}
		t.pending[string(bucket)] = m
	}
	return m
}

// flush applies the held writes to bucket, in key order.
func (t *Tx) flush(bucket []byte) error {
	m := t.pending[string(bucket)]
	if len(m) == 0 {
		return nil
	}
	delete(t.pending, string(bucket))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b := t.b(bucket)
	for _, k := range keys {
		var err error
		if v := m[k]; v == nil {
			err = b.Delete([]byte(k))
		} else {
			err = b.Put([]byte(k), v)
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", bucket, err)
		}
	}
	return nil
}

// flushAll applies every held write; Update and Batch call it before the
// commit.
func (t *Tx) flushAll() error {
	names := make([]string, 0, len(t.pending))
	for name := range t.pending {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := t.flush([]byte(name)); err != nil {
			return err
		}
	}
	return nil
}
