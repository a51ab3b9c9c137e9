package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// load puts every row of the CSV files as JSON under its code in a new
// bbolt file, all in one transaction: the least an import can cost.
func load(path string, files []string) {
	t0 := time.Now()
	var head []string
	var rows [][]string
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			panic(err)
		}
		recs, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil {
			panic(err)
		}
		head, rows = recs[0], append(rows, recs[1:]...)
	}
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		panic(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("tasks"))
		if err != nil {
			return err
		}
		for _, r := range rows {
			m := map[string]string{}
			for i, h := range head {
				m[h] = r[i]
			}
			v, err := json.Marshal(m)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(r[0]), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("load", len(rows), time.Since(t0))
}
