package main

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

func stats(path string) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db.View(func(tx *bolt.Tx) error {
		fmt.Println("size", tx.Size())
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			s := b.Stats()
			fmt.Printf("%-16s keys %7d leaf %7d pages %10d bytes alloc %10d in use\n", name, s.KeyN, s.LeafPageN+s.LeafOverflowN, s.LeafAlloc, s.LeafInuse)
			return nil
		})
	})
	fmt.Println(db.Stats().FreePageN)
}
