// Command gen writes task files of n tasks in files of per rows and a config.
package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"time"

	"steerbot/taskfile"
	"steerbot/tasks"
)

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	per, _ := strconv.Atoi(os.Args[2])
	dir := os.Args[3]
	var units []tasks.Unit
	for i := range 200 {
		units = append(units, tasks.Unit{Code: fmt.Sprintf("U%03d", i), Name: fmt.Sprintf("Đơn vị số %d", i)})
	}
	statuses := []tasks.Status{tasks.NotStarted, tasks.InProgress, tasks.Done, tasks.InProgress, tasks.InProgress}
	for f := 0; f*per < n; f++ {
		var ts []tasks.Task
		for i := f * per; i < min(n, (f+1)*per); i++ {
			st := statuses[i%len(statuses)]
			pr := 1 + i%99
			if st == tasks.Done {
				pr = 100
			}
			if st == tasks.NotStarted {
				pr = 0
			}
			ts = append(ts, tasks.Task{
				Code:     fmt.Sprintf("CCHC-%06d", i),
				Title:    fmt.Sprintf("Rà soát, đơn giản hóa thủ tục hành chính số %d thuộc thẩm quyền giải quyết của Sở", i),
				Unit:     units[i%len(units)].Code,
				CoUnits:  []string{units[(i+1)%len(units)].Code},
				Group:    fmt.Sprintf("Kế hoạch CCHC 202%d", i%5),
				Source:   "QĐ 7028/QĐ-UBND",
				Deadline: tasks.Date{Year: 2026, Month: time.Month(1 + i%12), Day: 1 + i%28},
				Status:   st,
				Progress: pr,
			})
		}
		var buf bytes.Buffer
		if err := taskfile.Write(&buf, taskfile.CSV, ts, units, "vi"); err != nil {
			panic(err)
		}
		if err := os.WriteFile(fmt.Sprintf("%s/tasks-%02d.csv", dir, f), buf.Bytes(), 0o644); err != nil {
			panic(err)
		}
	}
}
