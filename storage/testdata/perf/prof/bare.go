package main

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

func bare(path string) {
	t0 := time.Now()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		panic(err)
	}
	defer db.Close()
	var n, size int
	db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				n++
				size += len(k) + len(v)
				return nil
			})
		})
	})
	fmt.Println("bare", n, size, time.Since(t0))
}
