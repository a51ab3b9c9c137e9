package reminders

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"steerbot/tasks"
)

// Rules are the committee's reminder settings (reminders and digest in the
// configuration).
type Rules struct {
	Weekly  string // cron spec of the weekly reminder; "" for none
	Overdue string // cron spec of the overdue round (due-soon, overdue, escalations); "" for none
	Chase   string // cron spec of the second reminder to units silent since the weekly one; "" for none
	// DueSoonDays are the days before a deadline at which the unit is
	// reminded, e.g. 7, 3, 1.
	DueSoonDays []int
	// EscalateAfterDays is how long a task is overdue before the committee
	// chat is told; 0 for never.
	EscalateAfterDays int
	// QuietFrom and QuietTo bound the quiet hours, as offsets from local
	// midnight; equal means none, From after To wraps midnight (20:00-07:00).
	QuietFrom, QuietTo time.Duration
	Holidays           []tasks.Date // nothing is sent on these days
	// BeforeMeeting is how long before a meeting its digest goes out; 0 for
	// no digests.
	BeforeMeeting time.Duration
	// Indicators is the cron spec of the indicator round (see
	// Scheduler.indicators); "" for none.
	Indicators string
}

// The rules that fire on a cron schedule.
const (
	ruleWeekly  = "weekly"
	ruleOverdue = "overdue"
	ruleChase   = "chase"
)

// SchedulerOption configures a Scheduler.
type SchedulerOption func(*Scheduler)

// WithSchedulerClock sets the clock (the system clock by default).
func WithSchedulerClock(c tasks.Clock) SchedulerOption { return func(s *Scheduler) { s.clock = c } }

// WithSchedulerLogger sets the logger (silent by default).
func WithSchedulerLogger(l *slog.Logger) SchedulerOption { return func(s *Scheduler) { s.log = l } }

// WithChart sets the function that draws a digest's chart (PNG); without
// it, digests go without a chart. A failure is logged and the digest goes
// without one.
func WithChart(f func(tasks.Digest) ([]byte, error)) SchedulerOption {
	return func(s *Scheduler) { s.chart = f }
}

// WithNarrate sets the function that writes a digest's narrative (the LLM);
// it returns "" when it has nothing to say.
func WithNarrate(f func(context.Context, tasks.Digest) string) SchedulerOption {
	return func(s *Scheduler) { s.narrate = f }
}

// WithKick sets a function called after messages were enqueued and
// committed: the outbox's Kick.
func WithKick(f func()) SchedulerOption { return func(s *Scheduler) { s.kick = f } }

// WithPolicy sets the committee's policy. Those who may decide (chairs, and
// the secretariat when it decides) get the chairs' weekly reminder.
func WithPolicy(p tasks.Policy) SchedulerOption { return func(s *Scheduler) { s.policy = p } }

// Scheduler decides which reminders, escalations and digests go out and
// hands them to a tasks.Notifier. Its state lives in the store: a marker
// per rule, per due-soon threshold and per escalation, written in the
// transaction that enqueues the messages.
type Scheduler struct {
	// Notifier turns what is due into messages (the bot). It may be set
	// after NewScheduler, before Run or Tick, so that the bot can be built
	// with the scheduler.
	Notifier tasks.Notifier

	store   tasks.Store
	loc     *time.Location
	rules   Rules
	sched   map[string]cron.Schedule // by rule; absent when the rule is off
	quiet   Quiet
	clock   tasks.Clock
	log     *slog.Logger
	chart   func(tasks.Digest) ([]byte, error)
	narrate func(context.Context, tasks.Digest) string
	kick    func()
	policy  tasks.Policy
	// inviteTTL is how long the invites of an unreached-units message last.
	inviteTTL time.Duration

	mu      sync.Mutex      // one Tick at a time; guards skipped
	skipped map[uint64]bool // meetings already logged as missed
}

// NewScheduler returns a scheduler of rules in loc that hands what is due
// to n (nil: set Notifier before Run). A bad cron spec or quiet-hours
// bound is an error.
func NewScheduler(store tasks.Store, n tasks.Notifier, loc *time.Location, rules Rules, opts ...SchedulerOption) (*Scheduler, error) {
	if store == nil || loc == nil {
		return nil, errors.New("new scheduler: store and location are required")
	}
	s := &Scheduler{
		store:    store,
		Notifier: n,
		loc:      loc,
		rules:    rules,
		sched:    map[string]cron.Schedule{},
		quiet:    rules.Quiet(loc),
		clock:    tasks.SystemClock,
		log:      slog.New(slog.DiscardHandler),
		skipped:  map[uint64]bool{},

		inviteTTL: defaultInviteTTL,
	}
	for _, opt := range opts {
		opt(s)
	}
	for rule, spec := range map[string]string{ruleWeekly: rules.Weekly, ruleOverdue: rules.Overdue, ruleChase: rules.Chase, ruleIndicators: rules.Indicators} {
		if strings.TrimSpace(spec) == "" {
			continue
		}
		sc, err := ParseSpec(spec)
		if err != nil {
			return nil, fmt.Errorf("reminders.%s: %w", rule, err)
		}
		s.sched[rule] = sc
	}
	for _, d := range rules.DueSoonDays {
		if d < 0 {
			return nil, fmt.Errorf("reminders.due_soon_days: %d is negative", d)
		}
	}
	if err := s.quiet.Validate(); err != nil {
		return nil, fmt.Errorf("reminders.%w", err)
	}
	return s, nil
}

// ParseSpec parses a standard five-field cron spec (optionally prefixed
// with CRON_TZ=Zone, or a descriptor such as @daily). It returns an error,
// never panics, on a bad spec, and refuses a spec that never fires within
// five years. The error reads `bad cron expression "…": why`.
func ParseSpec(spec string) (sc cron.Schedule, err error) {
	defer func() {
		// The parser panics on some malformed specs ("CRON_TZ=UTC").
		if r := recover(); r != nil {
			sc, err = nil, fmt.Errorf("bad cron expression %q", spec)
		}
	}()
	if (strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=")) && !strings.Contains(spec, " ") {
		return nil, fmt.Errorf("bad cron expression %q: a time zone prefix needs a space and a schedule after it", spec)
	}
	sc, err = cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("bad cron expression %q: %w", spec, err)
	}
	// Some specs name no real day (30 February): Next finds nothing.
	if sc.Next(time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		return nil, fmt.Errorf("bad cron expression %q: it never fires", spec)
	}
	return sc, nil
}

// Run runs Tick once at once, to catch up with what was missed while the
// bot was down, and then at the start of every minute on the clock until
// ctx ends. Tick errors (and panics) are logged. It returns nil when ctx
// ends, after the running Tick finished.
func (s *Scheduler) Run(ctx context.Context) error {
	for {
		s.safeTick(ctx)
		now := s.clock.Now()
		next := now.Truncate(time.Minute).Add(time.Minute)
		select {
		case <-ctx.Done():
			return nil
		case <-s.clock.After(next.Sub(now)):
		}
	}
}

// safeTick runs Tick, logging its error or panic.
func (s *Scheduler) safeTick(ctx context.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("scheduler tick panicked", "panic", r)
		}
	}()
	if err := s.Tick(ctx); err != nil && ctx.Err() == nil {
		s.log.Error("scheduler tick", "err", err)
	}
}

// Tick does everything due at the clock's now: the cron rules whose latest
// firing was not handled yet, and the meeting digests that are due. It is
// idempotent: a second Tick at the same moment sends nothing.
func (s *Scheduler) Tick(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	var errs []error
	for _, rule := range []string{ruleWeekly, ruleOverdue, ruleChase, ruleIndicators} {
		if err := s.fire(ctx, rule, now); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", rule, err))
		}
	}
	if err := s.meetingDigests(ctx, now); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// markerName names the store marker of a rule's last handled firing.
func markerName(rule string) string { return "sched:last:" + rule }

// fire handles the latest firing of rule not handled yet, if any, unless
// now is quiet: then the marker stays, and a later Tick sends it.
func (s *Scheduler) fire(ctx context.Context, rule string, now time.Time) error {
	sc, ok := s.sched[rule]
	if !ok {
		return nil
	}
	var (
		notified int
		fired    time.Time
	)
	err := s.store.Update(ctx, func(tx tasks.Tx) error {
		notified, fired = 0, time.Time{}
		last, err := tx.Marker(markerName(rule))
		if err != nil {
			return fmt.Errorf("read marker: %w", err)
		}
		if last.IsZero() {
			// A new database has missed nothing.
			return putMarker(tx, markerName(rule), now)
		}
		f := s.latestFiring(sc, last, now)
		if f.IsZero() {
			return nil
		}
		if !s.quiet.Allowed(now) {
			s.log.Debug("scheduler: postponed", "rule", rule, "firing", f)
			return nil
		}
		switch rule {
		case ruleWeekly:
			notified, err = s.weekly(tx, f, now, last)
		case ruleOverdue:
			notified, err = s.overdue(tx, f, now)
		case ruleChase:
			notified, err = s.chase(tx, f, now)
		case ruleIndicators:
			notified, err = s.indicators(tx, f, now)
		}
		if err != nil {
			return err
		}
		told, err := s.reach(tx, now)
		if err != nil {
			return err
		}
		notified += told
		fired = f
		return putMarker(tx, markerName(rule), f)
	})
	if err != nil {
		return err
	}
	if !fired.IsZero() {
		s.log.Info("scheduler: fired", "rule", rule, "firing", fired, "messages", notified)
	}
	if notified > 0 {
		s.kickOutbox()
	}
	return nil
}

// catchUpHorizon bounds how far back latestFiring looks, so that an old
// marker and an every-minute spec do not cost a long loop.
const catchUpHorizon = 400 * 24 * time.Hour

// latestFiring returns the latest firing of sc in (last, now], zero when
// none. Firings are computed in the committee's time zone.
func (s *Scheduler) latestFiring(sc cron.Schedule, last, now time.Time) time.Time {
	if from := now.Add(-catchUpHorizon); last.Before(from) {
		last = from
	}
	var f time.Time
	for t := sc.Next(last.In(s.loc)); !t.IsZero() && !t.After(now); t = sc.Next(t) {
		f = t
	}
	return f
}

// timeline is the Timeline of reminders and digests at now. A task with at
// most the largest due-soon threshold of days left counts as due soon, so
// that the tasks of a due-soon reminder show as such.
func (s *Scheduler) timeline(now time.Time) tasks.Timeline {
	maxDays := -1
	for _, d := range s.rules.DueSoonDays {
		maxDays = max(maxDays, d)
	}
	return tasks.Timeline{Now: now, Loc: s.loc, DueSoonDays: maxDays + 1}
}

// snapshot is what the rules read from the store in one transaction.
type snapshot struct {
	units   map[string]tasks.Unit
	members []tasks.Member
	open    map[string][]tasks.Task // open tasks by lead unit
}

// roster is what a round reads: units, members and tasks.
type roster interface {
	tasks.UnitStore
	tasks.MemberStore
	tasks.TaskStore
}

// roundTx is what a reminder round needs of a transaction: the roster it
// reads, the outbox the notifier fills, and the marks that keep a reminder
// from going twice.
type roundTx interface {
	roster
	tasks.OutboxStore
	tasks.StateStore
	tasks.SettingsStore
}

func readSnapshot(tx roster) (snapshot, error) {
	var sn snapshot
	units, err := tx.Units()
	if err != nil {
		return sn, fmt.Errorf("read units: %w", err)
	}
	sn.units = make(map[string]tasks.Unit, len(units))
	for _, u := range units {
		sn.units[u.Code] = u
	}
	if sn.members, err = tx.Members(); err != nil {
		return sn, fmt.Errorf("read members: %w", err)
	}
	open, err := tx.Tasks(tasks.TaskFilter{OpenOnly: true})
	if err != nil {
		return sn, fmt.Errorf("read tasks: %w", err)
	}
	sn.open = map[string][]tasks.Task{}
	for _, t := range open {
		sn.open[t.Unit] = append(sn.open[t.Unit], t)
	}
	return sn, nil
}

func (sn snapshot) unit(code string) tasks.Unit {
	if u, ok := sn.units[code]; ok {
		return u
	}
	return tasks.Unit{Code: code, Name: code}
}

// unitCodes returns the codes of the units with open tasks, sorted.
func (sn snapshot) unitCodes() []string {
	codes := make([]string, 0, len(sn.open))
	for c := range sn.open {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	return codes
}

// recipients returns who receives unit's reminders on day (see
// tasks.UnitContactsAt).
func (sn snapshot) recipients(unit string, day tasks.Date) []tasks.Contact {
	return tasks.UnitContactsAt(sn.members, unit, day)
}

// dateKey formats the day of a firing for reminder keys.
func (s *Scheduler) dateKey(f time.Time) string { return tasks.DateOf(f, s.loc).String() }

// weekly enqueues the weekly reminders of firing f: to every head and
// delegate their unit's open tasks, and to the deciders what is stuck and
// overdue and how many units reported since prev, the previous firing.
func (s *Scheduler) weekly(tx roundTx, f, now, prev time.Time) (int, error) {
	sn, err := readSnapshot(tx)
	if err != nil {
		return 0, err
	}
	tl := s.timeline(now)
	date := s.dateKey(f)
	n := 0
	for _, code := range sn.unitCodes() {
		k, err := s.remindUnit(tx, sn, tasks.RemindWeekly, code, tl.ReminderOrder(sn.open[code]), tl,
			func(id int64) string { return fmt.Sprintf("weekly:%s:%d:%s", code, id, date) })
		n += k
		if err != nil {
			return n, err
		}
	}
	var all, overdue []tasks.Task
	for _, code := range sn.unitCodes() {
		all = append(all, sn.open[code]...)
		for _, t := range sn.open[code] {
			if tl.Of(t) == tasks.Overdue {
				overdue = append(overdue, t)
			}
		}
	}
	overdue = tl.ReminderOrder(overdue)
	blocked := tasks.ComputeDigest(tasks.DigestInput{Tasks: all, Timeline: tl}).Blocked
	if len(overdue) == 0 && len(blocked) == 0 {
		return n, nil
	}
	reported, err := tasks.ReportedUnits(tx, all, sn.members, prev)
	if err != nil {
		return n, err
	}
	for _, m := range s.policy.Deciders(sn.members) {
		r := tasks.Reminder{
			Kind: tasks.RemindWeekly, Key: fmt.Sprintf("weekly-chair:%d:%s", m.ID, date),
			Member: m, Tasks: overdue, Blocked: blocked, Timeline: tl, UnitNames: sn.units,
			Reported: countIn(sn.unitCodes(), reported), Units: len(sn.unitCodes()),
		}
		if err := s.Notifier.Remind(tx, r); err != nil {
			return n, fmt.Errorf("remind %s: %w", r.Key, err)
		}
		n++
	}
	return n, nil
}

// Escalated reports, as the package's Escalated does, whether the
// committee chat was told of a task: the bot asks the scheduler.
func (s *Scheduler) Escalated(tx tasks.StateStore, code string, deadline tasks.Date) (bool, error) {
	return Escalated(tx, code, deadline)
}

// Escalated reports whether the committee chat was told that the task with
// that code and deadline is overdue too long.
func Escalated(tx tasks.StateStore, code string, deadline tasks.Date) (bool, error) {
	done, err := tx.ReminderMarked(tasks.ReminderMark{Kind: tasks.StateEscalation, Task: code, Deadline: deadline})
	if err != nil {
		return false, fmt.Errorf("read escalation: %w", err)
	}
	return done, nil
}

// overdue enqueues what the overdue round of firing f sends: due-soon
// reminders (each threshold once per task and deadline), overdue reminders
// and escalations (once per task and deadline).
func (s *Scheduler) overdue(tx roundTx, f, now time.Time) (int, error) {
	sn, err := readSnapshot(tx)
	if err != nil {
		return 0, err
	}
	tl := s.timeline(now)
	date := s.dateKey(f)
	thresholds := slices.Sorted(slices.Values(s.rules.DueSoonDays))
	n := 0
	var escalations []tasks.Escalation
	remind := func(kind tasks.ReminderKind, code string, list []tasks.Task) error {
		k, err := s.remindUnit(tx, sn, kind, code, list, tl,
			func(id int64) string { return fmt.Sprintf("%s:%s:%d:%s", kind, code, id, date) })
		n += k
		return err
	}
	for _, code := range sn.unitCodes() {
		var soon, late []tasks.Task
		for _, t := range sn.open[code] {
			if t.Deadline.IsZero() {
				continue
			}
			if tl.Of(t) == tasks.Overdue {
				late = append(late, t)
				e, due, err := s.escalation(tx, sn, t, tl)
				if err != nil {
					return n, err
				}
				if due {
					escalations = append(escalations, e)
				}
				continue
			}
			// Only the smallest threshold crossed counts: a task first seen
			// 2 days ahead is reminded once for 3, then once for 1.
			left := tl.DaysLeft(t)
			i := slices.IndexFunc(thresholds, func(d int) bool { return left <= d })
			if i < 0 {
				continue
			}
			mark := tasks.ReminderMark{Kind: tasks.StateDueSoon, Task: t.Code, Deadline: t.Deadline, Days: thresholds[i], At: now}
			seen, err := tx.ReminderMarked(mark)
			if err != nil {
				return n, fmt.Errorf("read due-soon mark %s: %w", t.Code, err)
			}
			if seen {
				continue
			}
			if err := tx.PutReminderMark(mark); err != nil {
				return n, fmt.Errorf("mark due soon %s: %w", t.Code, err)
			}
			soon = append(soon, t)
		}
		if len(soon) > 0 {
			if err := remind(tasks.RemindDueSoon, code, tl.ReminderOrder(soon)); err != nil {
				return n, err
			}
		}
		if len(late) > 0 {
			if err := remind(tasks.RemindOverdue, code, tl.ReminderOrder(late)); err != nil {
				return n, err
			}
		}
	}
	if err := s.escalate(tx, escalations, tl); err != nil {
		return n, err
	}
	if len(escalations) > 0 {
		n++
	}
	return n, nil
}

// RemindTx is what RemindNow needs of a transaction (tasks.RosterTx).
type RemindTx = tasks.RosterTx

// RemindNow enqueues in tx, at once and whatever the hour, the reminders
// of /remind: to the heads and delegates of unit (of every unit when "")
// their unit's open tasks, under keys that start with keyPrefix (one per
// request, so that handling the request again sends nothing twice). It
// returns how many reminders it enqueued; units without open tasks get
// none. An unknown unit is ENOTFOUND. The caller kicks the outbox after
// committing.
func (s *Scheduler) RemindNow(tx RemindTx, unit string, keyPrefix string) (int, error) {
	sn, err := readSnapshot(tx)
	if err != nil {
		return 0, err
	}
	codes := sn.unitCodes()
	if unit != "" {
		u, err := tx.Unit(tasks.NormalizeCode(unit))
		if err != nil {
			return 0, err
		}
		codes = []string{u.Code}
	}
	tl := s.timeline(s.clock.Now())
	n := 0
	for _, code := range codes {
		if len(sn.open[code]) == 0 {
			continue
		}
		k, err := s.remindUnit(tx, sn, tasks.RemindManual, code, tl.ReminderOrder(sn.open[code]), tl,
			func(id int64) string { return fmt.Sprintf("%s:%s:%d", keyPrefix, code, id) })
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// MeetingDigestNow sends the digest of every meeting that is due for one:
// not sent yet, starting within Rules.BeforeMeeting and not started. A
// meeting added after its digest time gets it at once; one that started
// without a digest is skipped with a log line. Quiet hours and holidays
// postpone digests like reminders.
func (s *Scheduler) MeetingDigestNow(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.meetingDigests(ctx, s.clock.Now())
}

func (s *Scheduler) meetingDigests(ctx context.Context, now time.Time) error {
	if s.rules.BeforeMeeting <= 0 {
		return nil
	}
	var due []tasks.Meeting
	err := s.store.View(ctx, func(tx tasks.Tx) error {
		ms, err := tx.Meetings()
		if err != nil {
			return fmt.Errorf("read meetings: %w", err)
		}
		for _, m := range ms {
			switch {
			case !m.DigestSentAt.IsZero():
			case !now.Before(m.Start):
				if !s.skipped[m.ID] {
					s.skipped[m.ID] = true
					s.log.Warn("scheduler: meeting started without its digest", "meeting", m.ID, "title", m.Title, "start", m.Start)
				}
			case !now.Before(m.Start.Add(-s.rules.BeforeMeeting)):
				due = append(due, m)
			}
		}
		return nil
	})
	if err != nil || len(due) == 0 {
		return err
	}
	if !s.quiet.Allowed(now) {
		s.log.Debug("scheduler: digest postponed", "meetings", len(due))
		return nil
	}
	var errs []error
	for _, m := range due {
		if err := s.meetingDigest(ctx, m.ID, now); err != nil {
			errs = append(errs, fmt.Errorf("digest of meeting %d: %w", m.ID, err))
		}
	}
	return errors.Join(errs...)
}

// meetingDigest computes the digest of one meeting, narrates and charts it
// outside any transaction (both are slow), then enqueues it, stores the
// snapshot and marks the meeting in one transaction.
func (s *Scheduler) meetingDigest(ctx context.Context, id uint64, now time.Time) error {
	var in tasks.DigestInput
	err := s.store.View(ctx, func(tx tasks.Tx) error {
		var err error
		in, err = tasks.LoadDigestInput(tx, s.timeline(now), "")
		return err
	})
	if err != nil {
		return err
	}
	d := tasks.ComputeDigest(in)
	if s.narrate != nil {
		d.Narrative = s.narrate(ctx, d)
	}
	var png []byte
	if s.chart != nil {
		if png, err = s.chart(d); err != nil {
			s.log.Warn("scheduler: digest chart", "meeting", id, "err", err)
			png = nil
		}
	}
	sent := false
	err = s.store.Update(ctx, func(tx tasks.Tx) error {
		sent = false
		m, err := tx.Meeting(id)
		if tasks.IsNotFound(err) {
			return nil // deleted meanwhile
		}
		if err != nil {
			return fmt.Errorf("read meeting: %w", err)
		}
		if !m.DigestSentAt.IsZero() {
			return nil
		}
		if err := s.Notifier.SendDigest(tx, fmt.Sprintf("digest:meeting:%d", id), &m, d, png); err != nil {
			return fmt.Errorf("send digest: %w", err)
		}
		if err := tx.PutSnapshot(tasks.TakeSnapshot(in.Tasks, now)); err != nil {
			return fmt.Errorf("put snapshot: %w", err)
		}
		m.DigestSentAt = now
		if err := tx.PutMeeting(&m); err != nil {
			return fmt.Errorf("put meeting: %w", err)
		}
		sent = true
		return nil
	})
	if err != nil {
		return err
	}
	if sent {
		s.log.Info("scheduler: digest sent", "meeting", id)
		s.kickOutbox()
	}
	return nil
}

func (s *Scheduler) kickOutbox() {
	if s.kick != nil {
		s.kick()
	}
}

func putMarker(tx tasks.SettingsStore, name string, t time.Time) error {
	if err := tx.PutMarker(name, t); err != nil {
		return fmt.Errorf("put %s: %w", name, err)
	}
	return nil
}
