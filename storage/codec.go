package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// u64 encodes v big-endian, so that keys sort as numbers.
func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// i64 encodes v so that keys sort as signed numbers (chat ids are negative
// for groups): big-endian with the sign bit flipped.
func i64(v int64) []byte { return u64(uint64(v) ^ (1 << 63)) }

func decodeU64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

func decodeI64(b []byte) int64 { return int64(binary.BigEndian.Uint64(b) ^ (1 << 63)) }

// field returns s prefixed with its length, the start of a composite key:
// a prefix scan over field(s) then matches exactly s, whatever bytes s holds.
func field(s string) []byte {
	b := binary.AppendUvarint(nil, uint64(len(s)))
	return append(b, s...)
}

// composite returns field(a) followed by rest.
func composite(a string, rest []byte) []byte { return append(field(a), rest...) }

// getJSON decodes the value under key into v; ok is false when absent.
func getJSON(b *bolt.Bucket, key []byte, v any) (ok bool, err error) {
	data := b.Get(key)
	if data == nil {
		return false, nil
	}
	return true, decode(key, data, v)
}

// decode decodes a JSON value stored under key.
func decode(key, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %q: %w", key, err)
	}
	return nil
}

// putJSON encodes v under key.
func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	return b.Put(key, data)
}

// has reports whether key is present, whatever its value (even empty).
func has(b *bolt.Bucket, key []byte) bool {
	k, _ := b.Cursor().Seek(key)
	return k != nil && bytes.Equal(k, key)
}

// scanPrefix calls fn for every key starting with prefix, in key order,
// until fn returns false or an error.
func scanPrefix(b *bolt.Bucket, prefix []byte, fn func(k, v []byte) (bool, error)) error {
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		more, err := fn(k, v)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}
