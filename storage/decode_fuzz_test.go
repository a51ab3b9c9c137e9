package storage

import (
	"reflect"
	"testing"
	"time"

	"steerbot/tasks"
)

// A damaged value must decode to an error, never a panic, and what the
// encoders write must decode to what they were given.

func FuzzDecodeSummary(f *testing.F) {
	t := tasks.Task{Code: "CCHC-1", Title: "Tiêu đề", Unit: "SNV", Group: "Kế hoạch", Status: tasks.Done,
		Progress: 100, Deadline: tasks.Date{Year: 2026, Month: 6, Day: 30}, CompletedAt: time.Unix(1_700_000_000, 5).UTC(), Blocker: "chờ",
		Updated: time.Unix(1_700_000_100, 0).UTC(), CoUnits: []string{"STTTT", "SKHDT"}}
	f.Add(encodeSummary(nil, &t))
	f.Add([]byte{summaryV2})
	f.Add([]byte{})
	f.Fuzz(func(tt *testing.T, data []byte) {
		d := summaryDecoder{shared: map[string]string{}}
		var got tasks.Task
		title, err := d.decode("CODE", data, &got)
		if err != nil {
			return
		}
		got.Title = string(title)
		again := encodeSummary(nil, &got)
		var back tasks.Task
		title, err = d.decode("CODE", again, &back)
		if err != nil {
			tt.Fatalf("re-encoded summary does not decode: %v", err)
		}
		back.Title = string(title)
		if !reflect.DeepEqual(back, got) {
			tt.Fatalf("round trip %+v, want %+v", back, got)
		}
	})
}

func FuzzDecodeSnapshot(f *testing.F) {
	f.Add(encodeSnapshot(tasks.Snapshot{At: time.Unix(1_700_000_000, 0), Tasks: []tasks.TaskState{
		{Code: "CCHC-1", Status: tasks.InProgress, Progress: 30}, {Code: "CCHC-2", Status: tasks.Done, Progress: 100}}}))
	f.Add([]byte(`{"At":"2026-03-01T00:00:00Z","Tasks":{"A":{"Status":"done","Progress":100}}}`))
	f.Add([]byte{snapshotV1, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := decodeSnapshot([]byte("k"), data)
		if err != nil || (len(data) > 0 && data[0] == '{') {
			return
		}
		back, err := decodeSnapshot([]byte("k"), encodeSnapshot(s))
		if err != nil {
			t.Fatalf("re-encoded snapshot does not decode: %v", err)
		}
		if !back.At.Equal(s.At) || !reflect.DeepEqual(back.Tasks, s.Tasks) {
			t.Fatalf("round trip %+v, want %+v", back, s)
		}
	})
}
