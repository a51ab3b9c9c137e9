package reminders_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"steerbot/tasks"
	"steerbot/tasks/taskstest"
)

// memStore is an in-memory tasks.Store: Update works on a copy that
// replaces the data only when fn succeeds, so a failed transaction leaves
// nothing behind, like bbolt.
type memStore struct {
	mu   sync.Mutex
	data *memData
	// failUpdate, when set, makes Update fail before running fn.
	failUpdate func() error
	// prunes counts the calls of PruneOutbox in committed transactions,
	// sweeps those of SweepState.
	prunes, sweeps int
}

type memData struct {
	units    map[string]tasks.Unit
	members  map[int64]tasks.Member
	tasks    map[string]tasks.Task
	exts     map[uint64]tasks.ExtensionRequest
	meetings map[uint64]tasks.Meeting
	snaps    []tasks.Snapshot
	out      map[uint64]tasks.OutMessage
	outKeys  map[string]uint64
	kv       map[string][]byte
	seq      uint64
	history  map[string][]tasks.Update
	invites  map[string]tasks.Invite
	inds     map[string]tasks.Indicator // see indicators_test.go
	values   []tasks.IndicatorValue
}

func newMemStore() *memStore {
	return &memStore{data: &memData{
		units: map[string]tasks.Unit{}, members: map[int64]tasks.Member{}, tasks: map[string]tasks.Task{},
		exts: map[uint64]tasks.ExtensionRequest{}, meetings: map[uint64]tasks.Meeting{},
		out: map[uint64]tasks.OutMessage{}, outKeys: map[string]uint64{}, kv: map[string][]byte{},
		history: map[string][]tasks.Update{}, invites: map[string]tasks.Invite{},
	}}
}

func (d *memData) clone() *memData {
	return &memData{
		units: maps.Clone(d.units), members: maps.Clone(d.members), tasks: maps.Clone(d.tasks),
		exts: maps.Clone(d.exts), meetings: maps.Clone(d.meetings), snaps: slices.Clone(d.snaps),
		out: maps.Clone(d.out), outKeys: maps.Clone(d.outKeys), kv: maps.Clone(d.kv), seq: d.seq,
		history: maps.Clone(d.history), invites: maps.Clone(d.invites),
		inds: maps.Clone(d.inds), values: slices.Clone(d.values),
	}
}

func (s *memStore) Update(_ context.Context, fn func(tasks.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failUpdate != nil {
		if err := s.failUpdate(); err != nil {
			return err
		}
	}
	d := s.data.clone()
	tx := &memTx{d: d, write: true}
	if err := fn(tx); err != nil {
		return err
	}
	s.data = d
	s.prunes += tx.prunes
	s.sweeps += tx.sweeps
	return nil
}

func (s *memStore) View(_ context.Context, fn func(tasks.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn(&memTx{d: s.data})
}

func (s *memStore) Close() error { return nil }

// mustUpdate runs fn in a write transaction and fails the test on error.
func (s *memStore) mustUpdate(t testing.TB, fn func(tasks.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// outbox returns every outbox message in id order.
func (s *memStore) outbox() []tasks.OutMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	ms := slices.Collect(maps.Values(s.data.out))
	slices.SortFunc(ms, func(a, b tasks.OutMessage) int { return int(a.ID) - int(b.ID) })
	return ms
}

// memTx implements the tasks.Tx methods the package uses; the embedded nil
// Tx makes any other call panic, which shows at once in a test.
type memTx struct {
	tasks.Tx
	d      *memData
	write  bool
	prunes int
	sweeps int
}

var errReadOnly = errors.New("write in a read-only transaction")

func (tx *memTx) check() error {
	if !tx.write {
		return errReadOnly
	}
	return nil
}

func notFound(what string) error {
	return tasks.NewError(tasks.ENOTFOUND, "not_found", what+" not found")
}

func (tx *memTx) Unit(code string) (tasks.Unit, error) {
	u, ok := tx.d.units[code]
	if !ok {
		return u, notFound("unit " + code)
	}
	return u, nil
}

func (tx *memTx) Units() ([]tasks.Unit, error) {
	us := slices.Collect(maps.Values(tx.d.units))
	slices.SortFunc(us, func(a, b tasks.Unit) int { return strings.Compare(a.Code, b.Code) })
	return us, nil
}

func (tx *memTx) PutUnit(u tasks.Unit) error {
	if err := tx.check(); err != nil {
		return err
	}
	tx.d.units[u.Code] = u
	return nil
}

func (tx *memTx) Members() ([]tasks.Member, error) {
	ms := slices.Collect(maps.Values(tx.d.members))
	slices.SortFunc(ms, func(a, b tasks.Member) int { return int(a.ID - b.ID) })
	return ms, nil
}

func (tx *memTx) PutMember(m *tasks.Member) error {
	if err := tx.check(); err != nil {
		return err
	}
	if m.ID == 0 {
		tx.d.seq++
		m.ID = int64(tx.d.seq)
	}
	tx.d.members[m.ID] = *m
	return nil
}

func (tx *memTx) Task(code string) (tasks.Task, error) {
	t, ok := tx.d.tasks[tasks.NormalizeCode(code)]
	if !ok {
		return t, notFound("task " + code)
	}
	return t, nil
}

func (tx *memTx) Tasks(f tasks.TaskFilter) ([]tasks.Task, error) {
	var ts []tasks.Task
	for _, t := range tx.d.tasks {
		if (f.Unit != "" && t.Unit != f.Unit) || (f.Involving != "" && !t.Involves(f.Involving)) ||
			(f.Group != "" && t.Group != f.Group) || (f.OpenOnly && !t.Status.Open()) {
			continue
		}
		ts = append(ts, t)
	}
	slices.SortFunc(ts, func(a, b tasks.Task) int { return strings.Compare(a.Code, b.Code) })
	return ts, nil
}

func (tx *memTx) PutTask(t tasks.Task) error {
	if err := tx.check(); err != nil {
		return err
	}
	tx.d.tasks[t.Code] = t
	return nil
}

func (tx *memTx) Extensions(state tasks.ExtState) ([]tasks.ExtensionRequest, error) {
	var es []tasks.ExtensionRequest
	for _, e := range tx.d.exts {
		if state == "" || e.State == state {
			es = append(es, e)
		}
	}
	slices.SortFunc(es, func(a, b tasks.ExtensionRequest) int { return int(a.ID) - int(b.ID) })
	return es, nil
}

func (tx *memTx) PutExtension(e *tasks.ExtensionRequest) error {
	if err := tx.check(); err != nil {
		return err
	}
	if e.ID == 0 {
		tx.d.seq++
		e.ID = tx.d.seq
	}
	tx.d.exts[e.ID] = *e
	return nil
}

func (tx *memTx) PutMeeting(m *tasks.Meeting) error {
	if err := tx.check(); err != nil {
		return err
	}
	if m.ID == 0 {
		tx.d.seq++
		m.ID = tx.d.seq
	}
	tx.d.meetings[m.ID] = *m
	return nil
}

func (tx *memTx) Meeting(id uint64) (tasks.Meeting, error) {
	m, ok := tx.d.meetings[id]
	if !ok {
		return m, notFound("meeting")
	}
	return m, nil
}

func (tx *memTx) Meetings() ([]tasks.Meeting, error) {
	ms := slices.Collect(maps.Values(tx.d.meetings))
	slices.SortFunc(ms, func(a, b tasks.Meeting) int { return a.Start.Compare(b.Start) })
	return ms, nil
}

func (tx *memTx) DeleteMeeting(id uint64) error {
	if err := tx.check(); err != nil {
		return err
	}
	delete(tx.d.meetings, id)
	return nil
}

func (tx *memTx) PutSnapshot(s tasks.Snapshot) error {
	if err := tx.check(); err != nil {
		return err
	}
	tx.d.snaps = append(tx.d.snaps, s)
	return nil
}

func (tx *memTx) LastSnapshot() (tasks.Snapshot, error) {
	if len(tx.d.snaps) == 0 {
		return tasks.Snapshot{}, notFound("snapshot")
	}
	return tx.d.snaps[len(tx.d.snaps)-1], nil
}

func (tx *memTx) Enqueue(m *tasks.OutMessage) (bool, error) {
	if err := tx.check(); err != nil {
		return false, err
	}
	if _, ok := tx.d.outKeys[m.Key]; ok && m.Key != "" {
		return false, nil
	}
	tx.d.seq++
	m.ID = tx.d.seq
	if m.State == "" {
		m.State = tasks.OutQueued
	}
	tx.d.out[m.ID] = *m
	tx.d.outKeys[m.Key] = m.ID
	return true, nil
}

func (tx *memTx) Queued(limit int) ([]tasks.OutMessage, error) {
	var ms []tasks.OutMessage
	for _, m := range tx.d.out {
		if m.State == tasks.OutQueued {
			ms = append(ms, m)
		}
	}
	slices.SortFunc(ms, func(a, b tasks.OutMessage) int { return int(a.ID) - int(b.ID) })
	if limit > 0 && len(ms) > limit {
		ms = ms[:limit]
	}
	return ms, nil
}

func (tx *memTx) OutMessage(id uint64) (tasks.OutMessage, error) {
	m, ok := tx.d.out[id]
	if !ok {
		return m, notFound("message")
	}
	return m, nil
}

func (tx *memTx) PutOutMessage(m tasks.OutMessage) error {
	if err := tx.check(); err != nil {
		return err
	}
	if _, ok := tx.d.out[m.ID]; !ok {
		return notFound("message")
	}
	tx.d.out[m.ID] = m
	return nil
}

// PruneOutbox deletes, like storage's, the sent and failed messages created
// before before, walking the outbox in id order up to the first message
// created at or after it; queued messages and those without a creation
// time stay.
func (tx *memTx) PruneOutbox(before time.Time) (int, error) {
	if err := tx.check(); err != nil {
		return 0, err
	}
	tx.prunes++
	ids := slices.Sorted(maps.Keys(tx.d.out))
	n := 0
	for _, id := range ids {
		m := tx.d.out[id]
		if !m.Created.IsZero() && !m.Created.Before(before) {
			break
		}
		if m.State == tasks.OutQueued || m.Created.IsZero() {
			continue
		}
		delete(tx.d.out, id)
		if tx.d.outKeys[m.Key] == id {
			delete(tx.d.outKeys, m.Key)
		}
		n++
	}
	return n, nil
}

// sweepCalls returns how many state sweeps were committed.
func (s *memStore) sweepCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sweeps
}

// pruneCalls returns how many prunes were committed.
func (s *memStore) pruneCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.prunes
}

func (tx *memTx) Marker(name string) (time.Time, error) {
	v, ok := tx.d.kv["marker:"+name]
	if !ok {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, string(v))
}

func (tx *memTx) PutMarker(name string, at time.Time) error {
	if err := tx.check(); err != nil {
		return err
	}
	tx.d.kv["marker:"+name] = []byte(at.UTC().Format(time.RFC3339Nano))
	return nil
}

func markKey(m tasks.ReminderMark) string {
	return fmt.Sprintf("mark:%s:%s:%s:%d", m.Kind, tasks.NormalizeCode(m.Task), m.Deadline, m.Days)
}

func (tx *memTx) ReminderMarked(m tasks.ReminderMark) (bool, error) {
	_, ok := tx.d.kv[markKey(m)]
	return ok, nil
}

func (tx *memTx) PutReminderMark(m tasks.ReminderMark) error {
	if err := tx.check(); err != nil {
		return err
	}
	tx.d.kv[markKey(m)] = []byte(m.Ends().Format(time.RFC3339Nano))
	return nil
}

// SweepState deletes the reminder marks that have ended, like storage's;
// the fake keeps no other short-lived records.
func (tx *memTx) SweepState(now time.Time) (map[tasks.StateKind]int, error) {
	if err := tx.check(); err != nil {
		return nil, err
	}
	tx.sweeps++
	swept := map[tasks.StateKind]int{}
	for k, v := range tx.d.kv {
		if !strings.HasPrefix(k, "mark:") {
			continue
		}
		ends, err := time.Parse(time.RFC3339Nano, string(v))
		if err != nil {
			return nil, err
		}
		if !now.Before(ends) {
			delete(tx.d.kv, k)
			swept[tasks.StateKind(strings.Split(k, ":")[1])]++
		}
	}
	return swept, nil
}

// fakeClock is the shared test clock: After moves it forward at once, so
// that the outbox's waits for the rate limits take no real time.
type fakeClock = taskstest.Clock

func newClock(t time.Time) *fakeClock { return taskstest.NewSkippingClock(t) }

// sendRec is one call of the fake sender.
type sendRec struct {
	Key    string
	ChatID int64
	At     time.Time
	Err    error
	Bytes  int // the file data sent along (document and photo)
}

// fakeSender records every Send with the clock's time. fail, when set,
// decides the outcome of each call (nil: delivered).
type fakeSender struct {
	mu    sync.Mutex
	clock tasks.Clock
	fail  func(m tasks.OutMessage, call int) error
	calls []sendRec
	// sent receives the key of each delivered message when not nil.
	sent chan string
}

func (s *fakeSender) Send(_ context.Context, m tasks.OutMessage) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	if s.fail != nil {
		err = s.fail(m, len(s.calls))
	}
	rec := sendRec{Key: m.Key, ChatID: m.ChatID, At: s.clock.Now(), Err: err}
	for _, f := range []*tasks.File{m.Document, m.Photo} {
		if f != nil {
			rec.Bytes += len(f.Data)
		}
	}
	s.calls = append(s.calls, rec)
	if err != nil {
		return 0, err
	}
	if s.sent != nil {
		s.sent <- m.Key
	}
	return 1000 + len(s.calls), nil
}

// delivered returns the successful sends in order.
func (s *fakeSender) delivered() []sendRec {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []sendRec
	for _, c := range s.calls {
		if c.Err == nil {
			out = append(out, c)
		}
	}
	return out
}

// allCalls returns every call, failed ones included, in order.
func (s *fakeSender) allCalls() []sendRec {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

func (s *fakeSender) callCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}

// committeeChat is where the fake notifier sends escalations and digests.
const committeeChat = -1001

// fakeNotifier records what the scheduler asked for and enqueues one
// message per call under its key, as the bot does.
type fakeNotifier struct {
	mu          sync.Mutex
	reminders   []tasks.Reminder
	escalations []tasks.Escalation
	digests     []digestCall
	// escalationRuns are the escalations of each Escalate call.
	escalationRuns [][]tasks.Escalation
	unreached      []tasks.Unreached
	// err, when set, makes every call fail (a crash in the middle of a
	// transaction).
	err error
}

type digestCall struct {
	Key     string
	Meeting tasks.Meeting
	Digest  tasks.Digest
	Chart   []byte
}

func (n *fakeNotifier) Remind(tx tasks.OutboxStore, r tasks.Reminder) error {
	if n.err != nil {
		return n.err
	}
	if _, err := tx.Enqueue(&tasks.OutMessage{Key: r.Key, ChatID: r.Member.TelegramID, Text: string(r.Kind)}); err != nil {
		return err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.reminders = append(n.reminders, r)
	return nil
}

func (n *fakeNotifier) Escalate(tx tasks.OutboxStore, key string, es []tasks.Escalation) error {
	if n.err != nil {
		return n.err
	}
	if _, err := tx.Enqueue(&tasks.OutMessage{Key: key, ChatID: committeeChat, Text: "escalation"}); err != nil {
		return err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.escalations = append(n.escalations, es...)
	n.escalationRuns = append(n.escalationRuns, es)
	return nil
}

func (n *fakeNotifier) Unreached(tx tasks.OutboxStore, u tasks.Unreached) error {
	if n.err != nil {
		return n.err
	}
	for _, m := range u.To {
		if _, err := tx.Enqueue(&tasks.OutMessage{Key: fmt.Sprintf("%s:%d", u.Key, m.ID), ChatID: m.TelegramID, Text: "unreached"}); err != nil {
			return err
		}
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.unreached = append(n.unreached, u)
	return nil
}

func (n *fakeNotifier) SendDigest(tx tasks.OutboxStore, key string, m *tasks.Meeting, d tasks.Digest, chart []byte) error {
	if n.err != nil {
		return n.err
	}
	if _, err := tx.Enqueue(&tasks.OutMessage{Key: key, ChatID: committeeChat, Text: "digest"}); err != nil {
		return err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.digests = append(n.digests, digestCall{Key: key, Meeting: *m, Digest: d, Chart: chart})
	return nil
}

// keys returns the keys of the reminders asked for, in order.
func (n *fakeNotifier) keys() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	var ks []string
	for _, r := range n.reminders {
		ks = append(ks, r.Key)
	}
	return ks
}

func (n *fakeNotifier) reset() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.reminders, n.escalations, n.digests = nil, nil, nil
	n.escalationRuns, n.unreached = nil, nil
}

func (tx *memTx) History(code string, limit int) ([]tasks.Update, error) {
	return slices.Clone(tx.d.history[code]), nil
}

func (tx *memTx) AddUpdate(u *tasks.Update) error {
	if err := tx.check(); err != nil {
		return err
	}
	tx.d.seq++
	u.ID = tx.d.seq
	tx.d.history[u.Task] = append(slices.Clone(tx.d.history[u.Task]), *u)
	return nil
}

func (tx *memTx) PutInvite(inv tasks.Invite) error {
	if err := tx.check(); err != nil {
		return err
	}
	tx.d.invites[inv.Token] = inv
	return nil
}

func (tx *memTx) MemberByTelegram(id int64) (tasks.Member, error) {
	for _, m := range tx.d.members {
		if id != 0 && m.TelegramID == id {
			return m, nil
		}
	}
	return tasks.Member{}, notFound("member")
}

func (tx *memTx) Member(id int64) (tasks.Member, error) {
	m, ok := tx.d.members[id]
	if !ok {
		return m, notFound("member")
	}
	return m, nil
}

func (tx *memTx) Invites() ([]tasks.Invite, error) {
	invs := slices.Collect(maps.Values(tx.d.invites))
	slices.SortFunc(invs, func(a, b tasks.Invite) int { return a.Expires.Compare(b.Expires) })
	return invs, nil
}

func (tx *memTx) DeleteInvite(token string) error {
	if err := tx.check(); err != nil {
		return err
	}
	if _, ok := tx.d.invites[token]; !ok {
		return notFound("invite")
	}
	delete(tx.d.invites, token)
	return nil
}
