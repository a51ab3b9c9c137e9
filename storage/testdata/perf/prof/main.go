// Command prof imports files into a db (like steerbot import) or computes a digest, with profiles.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"steerbot/bot"
	"steerbot/storage"
	"steerbot/taskfile"
	"steerbot/tasks"
)

func main() {
	db := flag.String("db", "", "")
	cpu := flag.String("cpuprofile", "", "")
	mem := flag.String("memprofile", "", "")
	mode := flag.String("mode", "import", "import|digest|bare")
	flag.Parse()
	if *cpu != "" {
		f, _ := os.Create(*cpu)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if *mode == "stats" {
		stats(*db)
		return
	}
	if *mode == "load" {
		load(*db, flag.Args())
		return
	}
	if *mode == "bare" {
		bare(*db)
		return
	}
	ctx := context.Background()
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	t0 := time.Now()
	st, err := storage.Open(*db)
	if err != nil {
		panic(err)
	}
	defer st.Close()
	switch *mode {
	case "import":
		for _, f := range flag.Args() {
			data, _ := os.ReadFile(f)
			t1 := time.Now()
			err := st.Update(ctx, func(tx tasks.Tx) error {
				_, err := taskfile.Import(tx, bytes.NewReader(data), taskfile.CSV, tasks.Member{Name: "import"}, time.Now(), loc)
				return err
			})
			if err != nil {
				panic(err)
			}
			fmt.Println(f, time.Since(t1))
		}
	case "snap":
		err := st.Update(ctx, func(tx tasks.Tx) error {
			ts, err := tx.Tasks(tasks.TaskFilter{})
			if err != nil {
				return err
			}
			return tx.PutSnapshot(tasks.TakeSnapshot(ts, time.Now().Add(-time.Hour)))
		})
		if err != nil {
			panic(err)
		}
	case "digest":
		var d tasks.Digest
		err := st.View(ctx, func(tx tasks.Tx) error {
			var err error
			d, err = bot.ComputeDigest(tx, tasks.Timeline{Now: time.Now(), Loc: loc, DueSoonDays: 8}, "")
			return err
		})
		if err != nil {
			panic(err)
		}
		s := bot.FormatDigest(d, "vi", "x", false)
		fmt.Println(d.Total.Total, len(s))
	}
	fmt.Println("total", time.Since(t0))
	if *mem != "" {
		f, _ := os.Create(*mem)
		runtime.GC()
		pprof.Lookup("allocs").WriteTo(f, 0)
	}
}
