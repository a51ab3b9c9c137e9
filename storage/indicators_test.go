package storage_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"steerbot/storage"
	"steerbot/tasks"
)

// indicatorTx returns the indicator part of a transaction.
func indicatorTx(tb testing.TB, tx tasks.Tx) tasks.IndicatorStore {
	tb.Helper()
	itx, ok := tx.(tasks.IndicatorStore)
	if !ok {
		tb.Fatalf("%T is not a tasks.IndicatorStore", tx)
	}
	return itx
}

// sampleIndicator is an indicator with every field set.
func sampleIndicator(code, unit, group string) tasks.Indicator {
	return tasks.Indicator{
		Code:       code,
		Name:       "Hồ sơ thủ tục hành chính được giải quyết đúng hạn và trước hạn",
		Unit:       unit,
		CoUnits:    []string{"STTTT"},
		Group:      group,
		Source:     "QĐ 7028/QĐ-UBND",
		Target:     tasks.Target{Cmp: tasks.AtLeast, Value: 95, Measure: "%"},
		Period:     tasks.CadenceMonth,
		State:      tasks.IndicatorNew,
		AssignedOn: tasks.Date{Year: 2023, Month: 5, Day: 29},
		Created:    at(1, 8),
		Updated:    at(2, 9),
	}
}

func indicatorCodes(inds []tasks.Indicator) []string {
	out := []string{}
	for _, ind := range inds {
		out = append(out, ind.Code)
	}
	return out
}

func TestStore_IndicatorRoundTrip(t *testing.T) {
	s := MustOpen(t)
	want := sampleIndicator("CT-01", "VP", "Kế hoạch CCHC 2023")
	mustUpdate(t, s, func(tx tasks.Tx) error { return indicatorTx(t, tx).PutIndicator(want) })
	mustView(t, s, func(tx tasks.Tx) error {
		got, err := indicatorTx(t, tx).Indicator("ct-01")
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("indicator =\n%+v\nwant\n%+v", got, want)
		}
		_, err = indicatorTx(t, tx).Indicator("CT-404")
		var e *tasks.Error
		if !errors.As(err, &e) || e.Code != tasks.ENOTFOUND || e.Key != "indicator_not_found" {
			t.Errorf("missing indicator: %v, want ENOTFOUND indicator_not_found", err)
		}
		return nil
	})
}

func TestStore_PutIndicator(t *testing.T) {
	s := MustOpen(t)
	t.Run("codes are stored upper case, co-units cleaned", func(t *testing.T) {
		ind := sampleIndicator(" ct-02 ", "qhk", "G")
		ind.CoUnits = []string{"vp", "VP", "", "qhk", "sttttt"}
		mustUpdate(t, s, func(tx tasks.Tx) error { return indicatorTx(t, tx).PutIndicator(ind) })
		mustView(t, s, func(tx tasks.Tx) error {
			got, err := indicatorTx(t, tx).Indicator("CT-02")
			if err != nil {
				return err
			}
			if got.Code != "CT-02" || got.Unit != "QHK" || !slices.Equal(got.CoUnits, []string{"VP", "STTTTT"}) {
				t.Errorf("stored %q unit %q co-units %q, want CT-02 QHK [VP STTTTT]", got.Code, got.Unit, got.CoUnits)
			}
			return nil
		})
	})
	for name, mod := range map[string]func(*tasks.Indicator){
		"no code":     func(i *tasks.Indicator) { i.Code = "" },
		"no target":   func(i *tasks.Indicator) { i.Target = tasks.Target{} },
		"no unit":     func(i *tasks.Indicator) { i.Unit = "" },
		"long code":   func(i *tasks.Indicator) { i.Code = string(bytes.Repeat([]byte("X"), 101)) },
		"long group":  func(i *tasks.Indicator) { i.Group = string(bytes.Repeat([]byte("g"), 1001)) },
		"bad period":  func(i *tasks.Indicator) { i.Period = "week" },
		"bad co-unit": func(i *tasks.Indicator) { i.CoUnits = []string{string(bytes.Repeat([]byte("U"), 101))} },
	} {
		t.Run(name, func(t *testing.T) {
			ind := sampleIndicator("CT-03", "VP", "G")
			mod(&ind)
			err := s.Update(t.Context(), func(tx tasks.Tx) error { return indicatorTx(t, tx).PutIndicator(ind) })
			if tasks.ErrorCode(err) != tasks.EINVALID {
				t.Errorf("put: %v, want EINVALID", err)
			}
		})
	}
	mustView(t, s, func(tx tasks.Tx) error {
		all, err := indicatorTx(t, tx).Indicators(tasks.IndicatorFilter{})
		if err != nil {
			return err
		}
		if got := indicatorCodes(all); !slices.Equal(got, []string{"CT-02"}) {
			t.Errorf("indicators after refused puts = %v, want only CT-02", got)
		}
		return nil
	})
	err := s.View(t.Context(), func(tx tasks.Tx) error {
		return indicatorTx(t, tx).PutIndicator(sampleIndicator("CT-04", "VP", "G"))
	})
	if !errors.Is(err, storage.ErrTxNotWritable) {
		t.Errorf("put in a view: %v, want ErrTxNotWritable", err)
	}
}

func TestStore_Indicators(t *testing.T) {
	s := MustOpen(t)
	mustUpdate(t, s, func(tx tasks.Tx) error {
		itx := indicatorTx(t, tx)
		for _, ind := range []tasks.Indicator{
			sampleIndicator("CT-10", "VP", "Kế hoạch CCHC 2023"),
			sampleIndicator("CT-02", "QHK", "Kế hoạch CCHC 2023"),
			sampleIndicator("CT-01", "VP", "Chính quyền số"),
			func() tasks.Indicator {
				i := sampleIndicator("CT-05", "SNV", "Kế hoạch CCHC 2023")
				i.CoUnits, i.State = []string{"VP"}, tasks.IndicatorStopped
				return i
			}(),
		} {
			if err := itx.PutIndicator(ind); err != nil {
				return err
			}
		}
		return nil
	})
	tests := []struct {
		name string
		f    tasks.IndicatorFilter
		want []string
	}{
		{"all, by code", tasks.IndicatorFilter{}, []string{"CT-01", "CT-02", "CT-05", "CT-10"}},
		{"lead unit", tasks.IndicatorFilter{Unit: "vp"}, []string{"CT-01", "CT-10"}},
		{"involving", tasks.IndicatorFilter{Involving: "VP"}, []string{"CT-01", "CT-05", "CT-10"}},
		{"group, accents and case ignored", tasks.IndicatorFilter{Group: "ke hoach cchc 2023"}, []string{"CT-02", "CT-05", "CT-10"}},
		{"active only", tasks.IndicatorFilter{ActiveOnly: true}, []string{"CT-01", "CT-02", "CT-10"}},
		{"nothing", tasks.IndicatorFilter{Unit: "HDA"}, []string{}},
	}
	mustView(t, s, func(tx tasks.Tx) error {
		for _, tt := range tests {
			got, err := indicatorTx(t, tx).Indicators(tt.f)
			if err != nil {
				return err
			}
			if codes := indicatorCodes(got); !slices.Equal(codes, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, codes, tt.want)
			}
		}
		return nil
	})
}

func TestStore_IndicatorValues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	day := func(d int) tasks.Date { return tasks.Date{Year: 2023, Month: 10, Day: d} }
	var added []tasks.IndicatorValue
	mustUpdate(t, s, func(tx tasks.Tx) error {
		itx := indicatorTx(t, tx)
		for _, code := range []string{"CT-1", "CT-10"} {
			if err := itx.PutIndicator(sampleIndicator(code, "QHK", "G")); err != nil {
				return err
			}
		}
		for i, v := range []float64{93.5, 96.2, 97} {
			iv := tasks.IndicatorValue{
				Indicator: "ct-1", Value: v, Measure: "%", Text: "đạt", AsOf: day(10 + i), At: at(10+i, 9),
				By: 4, ByName: "Phạm Minh Đức", Via: tasks.ViaReply, Note: "đúng hạn",
				Evidence: []tasks.Attachment{{FileID: "f1", Name: "bc.pdf", Size: 10, Kind: "document"}},
			}
			if err := itx.AddIndicatorValue(&iv); err != nil {
				return err
			}
			added = append(added, iv)
			other := tasks.IndicatorValue{Indicator: "CT-10", Value: 1, AsOf: day(1)}
			if err := itx.AddIndicatorValue(&other); err != nil {
				return err
			}
		}
		missing := tasks.IndicatorValue{Indicator: "CT-404", Value: 1}
		if err := itx.AddIndicatorValue(&missing); !tasks.IsNotFound(err) {
			t.Errorf("value of a missing indicator: %v, want ENOTFOUND", err)
		}
		return nil
	})
	for i := 1; i < len(added); i++ {
		if added[i].ID <= added[i-1].ID || added[i].Indicator != "CT-1" {
			t.Fatalf("ids %d then %d for %s, want increasing", added[i-1].ID, added[i].ID, added[i].Indicator)
		}
	}
	// Replacing the indicator (a re-import) keeps its values.
	mustUpdate(t, s, func(tx tasks.Tx) error {
		ind := sampleIndicator("CT-1", "QHK", "G")
		ind.Target.Value = 98
		return indicatorTx(t, tx).PutIndicator(ind)
	})
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	s = mustOpenPath(t, path)
	mustView(t, s, func(tx tasks.Tx) error {
		itx := indicatorTx(t, tx)
		got, err := itx.IndicatorValues("ct-1", 0)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, added) {
			t.Errorf("values after reopen =\n%+v\nwant\n%+v", got, added)
		}
		last, err := itx.IndicatorValues("CT-1", 2)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(last, added[1:]) {
			t.Errorf("newest 2 = %+v, want the last two", last)
		}
		other, err := itx.IndicatorValues("CT-10", 0)
		if err != nil {
			return err
		}
		if len(other) != 3 {
			t.Errorf("CT-10 has %d values, want 3 (CT-1's are its own)", len(other))
		}
		none, err := itx.IndicatorValues("CT-404", 0)
		if err != nil || len(none) != 0 {
			t.Errorf("values of a missing indicator = %v, %v, want none", none, err)
		}
		// What the digest reads: CT-1 judged on 16/10 against its new
		// target (≥ 98 %) with the value of 12/10 (97 %).
		st, err := tasks.LoadIndicatorStandings(itx, tasks.IndicatorFilter{Unit: "QHK"}, day(16))
		if err != nil {
			return err
		}
		if len(st) != 2 || st[0].Result != tasks.IndicatorNotAchieved || st[0].Current.Value != 97 {
			t.Errorf("standings = %+v, want CT-1 not achieved at 97", st)
		}
		return nil
	})
	// The next value goes on after the last id.
	mustUpdate(t, s, func(tx tasks.Tx) error {
		iv := tasks.IndicatorValue{Indicator: "CT-1", Value: 99, AsOf: day(16)}
		if err := indicatorTx(t, tx).AddIndicatorValue(&iv); err != nil {
			return err
		}
		if iv.ID != 7 { // six values were added before the reopen
			t.Errorf("id after reopen = %d, want 7", iv.ID)
		}
		return nil
	})
}

func TestStore_IndicatorValueRollback(t *testing.T) {
	s := MustOpen(t)
	mustUpdate(t, s, func(tx tasks.Tx) error { return indicatorTx(t, tx).PutIndicator(sampleIndicator("CT-1", "QHK", "G")) })
	boom := errors.New("the reply could not be answered")
	err := s.Update(t.Context(), func(tx tasks.Tx) error {
		iv := tasks.IndicatorValue{Indicator: "CT-1", Value: 96.2}
		if err := indicatorTx(t, tx).AddIndicatorValue(&iv); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("update = %v, want %v", err, boom)
	}
	mustView(t, s, func(tx tasks.Tx) error {
		vals, err := indicatorTx(t, tx).IndicatorValues("CT-1", 0)
		if err != nil || len(vals) != 0 {
			t.Errorf("values after a rolled-back report = %v, %v, want none", vals, err)
		}
		return nil
	})
}

// TestOpen_MigratesToIndicators opens a file written at schema 1, before
// indicators: it gains their buckets and keeps its tasks.
func TestOpen_MigratesToIndicators(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	task := sampleTask("CCHC-01", "SNV", "G")
	mustUpdate(t, s, func(tx tasks.Tx) error { return tx.PutTask(task) })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range []string{"indicators", "indicator_values"} {
			if err := tx.DeleteBucket([]byte(b)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 1})
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}

	s = mustOpenPath(t, path)
	mustUpdate(t, s, func(tx tasks.Tx) error {
		if _, err := tx.Task("CCHC-01"); err != nil {
			return err
		}
		itx := indicatorTx(t, tx)
		if err := itx.PutIndicator(sampleIndicator("CT-1", "SNV", "G")); err != nil {
			return err
		}
		return itx.AddIndicatorValue(&tasks.IndicatorValue{Indicator: "CT-1", Value: 95})
	})
}
