package dashboard_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"steerbot/tasks"
)

// BenchmarkPages measures each page's server time at 10,000 tasks with a
// dozen digests in the trend, through the handler over HTTP, and reports
// the median request (p50-ms) beside the mean: "unchanged" reads the
// state the previous request read, "after-change" follows a commit (every
// change to the store makes the next page read the task summaries
// again). The goal is a p50 under 50 ms after a change:
//
//	go test -run '^$' -bench Pages -benchtime 20x ./dashboard/
func BenchmarkPages(b *testing.B) {
	e := newEnv(b, 10000)
	if err := e.store.Update(context.Background(), func(tx tasks.Tx) error {
		ts, err := tx.Tasks(tasks.TaskFilter{})
		if err != nil {
			return err
		}
		for i := range 12 {
			if err := tx.PutSnapshot(tasks.TakeSnapshot(ts, e.clock.Now().AddDate(0, 0, -7*(12-i)))); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	c := e.signedIn(tgChair)
	touch := func() {
		if err := e.store.Update(context.Background(), func(tx tasks.Tx) error {
			return tx.PutDashLink(tasks.DashLink{ID: "bench", Created: time.Now()})
		}); err != nil {
			b.Fatal(err)
		}
	}
	head := e.signedIn(tgSNV) // the 10,000 tasks are SNV's
	type page struct {
		who  string
		c    *http.Client
		path string
	}
	var pages []page
	for _, p := range []string{"/", "/units", "/units/SNV", "/tasks", "/tasks?page=40", "/overdue", "/tasks/CCHC-1", "/meetings"} {
		pages = append(pages, page{"chair", c, p})
	}
	for _, p := range []string{"/", "/tasks", "/overdue"} {
		pages = append(pages, page{"head", head, p})
	}
	for _, pg := range pages {
		c, p := pg.c, pg.path
		for _, cold := range []bool{false, true} {
			name := pg.who + p + "/unchanged"
			if cold {
				name = pg.who + p + "/after-change"
			}
			b.Run(name, func(b *testing.B) {
				var took []time.Duration
				for b.Loop() {
					if cold {
						b.StopTimer()
						touch()
						b.StartTimer()
					}
					start := time.Now()
					if code, _ := e.get(c, p); code != http.StatusOK {
						b.Fatalf("%s: %d", p, code)
					}
					took = append(took, time.Since(start))
				}
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			})
		}
	}
}
