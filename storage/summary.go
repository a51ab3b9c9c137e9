package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"steerbot/tasks"
)

// A task summary is the part of a task that a digest reads, kept in its
// own bucket beside the full record and written in the same transaction
// by PutTask. The digest is computed on every dashboard and report
// request; decoding 100,000 JSON records for it costs ten times a bare
// read of the file, decoding these costs about two.
//
// Layout: a version byte (summaryV2), then uvarint-length strings Title,
// Unit, Group, Status, Blocker, DeadlineText; uvarints Progress, Deadline year, month,
// day; varints CompletedAt and Updated in Unix nanoseconds, 0 for the
// zero time; a uvarint count of CoUnits and as many uvarint-length
// strings. The key is the task code. Version 1 had neither Updated nor
// CoUnits; the dashboard reads them (a unit's "last report", the tasks a
// unit coordinates), and schema step 8 rebuilt every summary.
//
// A field the digest comes to need is added by a new version byte and a
// migration that rebuilds every summary (rebuildSummaries);
// TestTaskSummaries_Fields fails until the codec or its list of fields
// left out says what becomes of a new field of tasks.Task.
const summaryV2 = 2

// errSummary is wrapped by a summary that does not decode.
var errSummary = errors.New("bad task summary")

// encodeSummary appends the summary of t to buf.
func encodeSummary(buf []byte, t *tasks.Task) []byte {
	buf = append(buf, summaryV2)
	for _, s := range [...]string{t.Title, t.Unit, t.Group, string(t.Status), t.Blocker, t.DeadlineText} {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	buf = binary.AppendUvarint(buf, uint64(max(t.Progress, 0)))
	buf = binary.AppendUvarint(buf, uint64(max(t.Deadline.Year, 0)))
	buf = binary.AppendUvarint(buf, uint64(max(t.Deadline.Month, 0)))
	buf = binary.AppendUvarint(buf, uint64(max(t.Deadline.Day, 0)))
	buf = binary.AppendVarint(buf, unixNano(t.CompletedAt))
	buf = binary.AppendVarint(buf, unixNano(t.Updated))
	buf = binary.AppendUvarint(buf, uint64(len(t.CoUnits)))
	for _, u := range t.CoUnits {
		buf = binary.AppendUvarint(buf, uint64(len(u)))
		buf = append(buf, u...)
	}
	return buf
}

// unixNano is t in Unix nanoseconds, 0 for the zero time.
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// summaryDecoder decodes summaries, sharing the strings that repeat from
// task to task (units, groups, statuses, blockers), so that 100,000
// summaries make 100,000 titles and a few hundred other strings.
type summaryDecoder struct {
	shared map[string]string
	co     []string // room for the next tasks' co-units
}

// coUnits returns room for n co-units, cut from a shared chunk: 100,000
// tasks coordinated by others make a few dozen allocations, not 100,000.
func (d *summaryDecoder) coUnits(n int) []string {
	if len(d.co) < n {
		d.co = make([]string, max(n, 4096))
	}
	co := d.co[:n:n]
	d.co = d.co[n:]
	return co
}

// intern returns b as a string, the same string for the same bytes.
func (d *summaryDecoder) intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s, ok := d.shared[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	d.shared[s] = s
	return s
}

// decode reads the summary of the task with code code into t, all but
// its title, which it returns: the caller decides where titles live.
func (d *summaryDecoder) decode(code string, data []byte, t *tasks.Task) ([]byte, error) {
	bad := func(what string) error { return fmt.Errorf("%s: %w", what, errSummary) }
	if len(data) == 0 || data[0] != summaryV2 {
		return nil, bad("unknown version")
	}
	p := data[1:]
	str := func() ([]byte, bool) {
		n, k := binary.Uvarint(p)
		if k <= 0 || uint64(len(p)-k) < n {
			return nil, false
		}
		s := p[k : k+int(n)]
		p = p[k+int(n):]
		return s, true
	}
	num := func() (uint64, bool) {
		n, k := binary.Uvarint(p)
		if k <= 0 {
			return 0, false
		}
		p = p[k:]
		return n, true
	}
	title, ok1 := str()
	unit, ok2 := str()
	group, ok3 := str()
	status, ok4 := str()
	blocker, ok5 := str()
	words, ok6 := str()
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 {
		return nil, bad("short string")
	}
	progress, ok1 := num()
	year, ok2 := num()
	month, ok3 := num()
	day, ok4 := num()
	if !ok1 || !ok2 || !ok3 || !ok4 || progress > 100 || year > 1<<20 || month > 12 || day > 31 {
		return nil, bad("bad number")
	}
	done, k := binary.Varint(p)
	if k <= 0 {
		return nil, bad("bad completion time")
	}
	p = p[k:]
	updated, k := binary.Varint(p)
	if k <= 0 {
		return nil, bad("bad update time")
	}
	p = p[k:]
	n, ok := num()
	if !ok || n > uint64(len(p)) { // each co-unit takes a byte at least
		return nil, bad("bad co-unit count")
	}
	var co []string
	if n > 0 {
		co = d.coUnits(int(n))
		for i := range co {
			u, ok := str()
			if !ok {
				return nil, bad("short co-unit")
			}
			co[i] = d.intern(u)
		}
	}
	if len(p) != 0 {
		return nil, bad("trailing bytes")
	}
	*t = tasks.Task{
		Code:         code,
		Unit:         d.intern(unit),
		Group:        d.intern(group),
		Status:       tasks.Status(d.intern(status)),
		Blocker:      d.intern(blocker),
		Progress:     int(progress),
		Deadline:     tasks.Date{Year: int(year), Month: time.Month(month), Day: int(day)},
		DeadlineText: d.intern(words),
		CoUnits:      co,
	}
	if done != 0 {
		t.CompletedAt = time.Unix(0, done).UTC()
	}
	if updated != 0 {
		t.Updated = time.Unix(0, updated).UTC()
	}
	return title, nil
}

// TaskSummaries returns every task ordered by code with only the fields a
// digest and the dashboard's lists read: Code, Title, Unit, Group,
// Status, Progress, Deadline, CompletedAt, Blocker, DeadlineText, Updated
// and CoUnits (the times in UTC). The others are zero. It
// is tasks.Summarizer, which tasks.DigestTasks uses: a fraction of the
// time and memory of Tasks on a large committee.
func (t *Tx) TaskSummaries() ([]tasks.Task, error) {
	if err := t.flush(bucketSummaries); err != nil {
		return nil, fmt.Errorf("task summaries: %w", err)
	}
	b := t.b(bucketSummaries)
	// The bucket's sequence counts its keys (PutTask, rebuildSummaries):
	// one allocation instead of a doubling series of 100,000 tasks. It is
	// only a hint.
	out := make([]tasks.Task, 0, min(b.Sequence(), 1<<19))
	d := summaryDecoder{shared: map[string]string{}}
	var a textArena
	err := b.ForEach(func(k, v []byte) error {
		out = append(out, tasks.Task{})
		title, err := d.decode("", v, &out[len(out)-1])
		if err != nil {
			return fmt.Errorf("task %s: %w", k, err)
		}
		a.add(out, k, title)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("task summaries: %w", err)
	}
	a.done(out)
	return out, nil
}

// textArena gives the codes and titles of many tasks a few large
// allocations instead of two each: 100,000 tasks make two hundred
// strings for the collector to track instead of 200,000.
type textArena struct {
	b     strings.Builder
	spans []int // per task since from: code start, code end, title end
	from  int   // the first task whose text is in b
}

const arenaChunk = 64 << 10

// add holds the code and title of out's last task.
func (a *textArena) add(out []tasks.Task, code, title []byte) {
	need := len(code) + len(title)
	if a.b.Len()+need > a.b.Cap() {
		a.done(out[:len(out)-1])
		a.b = strings.Builder{}
		a.b.Grow(max(arenaChunk, need))
	}
	start := a.b.Len()
	a.b.Write(code)
	a.b.Write(title)
	a.spans = append(a.spans, start, start+len(code), a.b.Len())
}

// done sets the code and title of the tasks held, up to the end of out.
func (a *textArena) done(out []tasks.Task) {
	s := a.b.String()
	for i := a.from; i < len(out); i++ {
		sp := a.spans[3*(i-a.from):]
		out[i].Code, out[i].Title = s[sp[0]:sp[1]], s[sp[1]:sp[2]]
	}
	a.from, a.spans = len(out), a.spans[:0]
}
