package storage

import (
	"bytes"
	"cmp"
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

// write is one held put (value non-nil) or delete (value nil), the seq-th
// held in its bucket.
type write struct {
	key, value []byte
	seq        int
}

// deferPut holds a put of value under key in bucket until flush. bbolt
// keeps both slices until the commit: they must not be reused.
func (t *Tx) deferPut(bucket, key, value []byte) {
	if value == nil {
		value = []byte{}
	}
	t.hold(bucket, write{key: key, value: value})
}

// deferDelete holds a delete of key in bucket until flush.
func (t *Tx) deferDelete(bucket, key []byte) {
	t.hold(bucket, write{key: key})
}

func (t *Tx) hold(bucket []byte, w write) {
	if t.pending == nil {
		t.pending = map[string][]write{}
	}
	ws := t.pending[string(bucket)]
	w.seq = len(ws)
	t.pending[string(bucket)] = append(ws, w)
}

// flush applies the held writes to bucket, in key order; of several
// writes to one key the last wins.
func (t *Tx) flush(bucket []byte) error {
	ws := t.pending[string(bucket)]
	if len(ws) == 0 {
		return nil
	}
	delete(t.pending, string(bucket))
	slices.SortFunc(ws, func(a, b write) int {
		if c := bytes.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	b := t.b(bucket)
	for i, w := range ws {
		if i+1 < len(ws) && bytes.Equal(ws[i+1].key, w.key) {
			continue // a later write to the same key wins
		}
		var err error
		if w.value == nil {
			err = b.Delete(w.key)
		} else {
			err = b.Put(w.key, w.value)
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
