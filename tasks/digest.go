package tasks

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// GroupStat is the figures of one group of tasks (or of all of them).
type GroupStat struct {
	Name       string
	Total      int
	Done       int
	Counts     map[Status]int // tasks per status
	DoneOnTime int            // done by the deadline (tasks with no deadline or no completion date are in neither count)
	DoneLate   int
	Overdue    int
	DueSoon    int
	Ongoing    int // open standing duties ("nhiệm vụ thường xuyên"), never overdue
}

// Pct returns the share of done tasks as a whole percentage rounded half up
// (47/79 gives 59), 0 for an empty group.
func (g GroupStat) Pct() int { return Percent(g.Done, g.Total) }

// Reported returns how many tasks were reported done and await the
// secretariat's confirmation: not counted in Done until confirmed.
func (g GroupStat) Reported() int { return g.Counts[DoneReported] }

// Ratio formats the done share as committees report it: "47/79 (59%)".
func (g GroupStat) Ratio() string { return fmt.Sprintf("%d/%d (%d%%)", g.Done, g.Total, g.Pct()) }

// Percent returns part/whole as a whole percentage rounded half up, 0 when
// whole is 0.
func Percent(part, whole int) int {
	if whole <= 0 {
		return 0
	}
	return (200*part + whole) / (2 * whole)
}

// OverdueTask is an open task past its deadline.
type OverdueTask struct {
	Code     string
	Title    string
	Unit     string
	Deadline Date
	DaysLate int
	Progress int
}

// UnitOverdue is one unit's overdue tasks, most late first.
type UnitOverdue struct {
	Unit  Unit
	Tasks []OverdueTask
}

// Awaiting is an item waiting for a committee decision: a proposal to stop
// or carry over a task, or an extension request.
type Awaiting struct {
	Code      string
	Title     string
	Unit      string
	Status    Status            // the proposal, for proposals
	Extension *ExtensionRequest // the request, for extension requests
}

// TaskChange is a task whose status or progress moved since the previous
// digest.
type TaskChange struct {
	Code                     string
	Title                    string
	Unit                     string
	OldStatus, NewStatus     Status
	OldProgress, NewProgress int
	New                      bool // not in the previous digest at all
}

// Blocked is a task whose unit reported something holding it up.
type Blocked struct {
	Code    string
	Unit    string
	Blocker string
}

// UnitScore is one unit's line on the scorecard.
type UnitScore struct {
	Unit       Unit
	Total      int
	Done       int
	DoneOnTime int
	DoneLate   int
	Overdue    int
	Open       int // open tasks, overdue ones included
	NotStarted int // open, not overdue, not started
	Awaiting   int // open, not overdue, a proposal awaiting a decision; or reported done, awaiting confirmation
	Reported   int // of Awaiting, reported done and awaiting the secretariat's confirmation
}

// InProgress returns the open tasks on track that are being carried out:
// neither overdue, nor not started, nor awaiting a decision.
func (s UnitScore) InProgress() int { return s.Open - s.Overdue - s.NotStarted - s.Awaiting }

// OnTimeRate returns the share of done tasks done on time, rounded half up,
// among those whose completion can be judged (a deadline and a completion
// date known), or -1 when there are none.
func (s UnitScore) OnTimeRate() int {
	if s.DoneOnTime+s.DoneLate == 0 {
		return -1
	}
	return Percent(s.DoneOnTime, s.DoneOnTime+s.DoneLate)
}

// Digest is what a committee reads before a meeting, computed from the
// tasks at one moment.
type Digest struct {
	At        time.Time
	Group     string      // the group it was limited to, "" for all
	Total     GroupStat   // every task in scope
	Groups    []GroupStat // per group, by name
	Overdue   []UnitOverdue
	Awaiting  []Awaiting
	Changes   []TaskChange // empty when there is no previous digest
	HasPrev   bool         // a previous digest existed to compare with
	PrevAt    time.Time
	Blocked   []Blocked
	Scorecard []UnitScore
	Narrative string // written by the LLM, checked against the figures; may be empty
	Unreached int    // units with open tasks nobody receives reminders for (see UnreachedIn)
	// Indicators sums up the indicators in scope (see digestIndicators);
	// UnitIndicators is the same per lead unit, for the scorecard.
	Indicators     IndicatorSummary
	UnitIndicators []UnitIndicators
}

// DigestInput is everything a digest is computed from.
type DigestInput struct {
	Tasks      []Task
	Units      []Unit             // for names; units that lead no task are left out
	Extensions []ExtensionRequest // pending ones are listed as awaiting a decision
	Previous   *Snapshot          // the previous digest's snapshot, nil for none
	Group      string             // limit to this group ("" for all); compared with Fold
	Timeline   Timeline
	Members    []Member            // who receives reminders; nil: Digest.Unreached is not counted
	Indicators []IndicatorStanding // judged on the Timeline's day (LoadIndicatorStandings)
}

// ComputeDigest computes the digest. It is a pure function of its input.
func ComputeDigest(in DigestInput) Digest {
	tl := in.Timeline
	d := Digest{At: tl.Now.In(tl.Loc), Group: in.Group, Total: GroupStat{Counts: map[Status]int{}}}
	names := make(map[string]Unit, len(in.Units))
	for _, u := range in.Units {
		names[u.Code] = u
	}
	unitOf := func(code string) Unit {
		if u, ok := names[code]; ok {
			return u
		}
		return Unit{Code: code, Name: code}
	}
	groups := map[string]*GroupStat{}
	// Per unit: its score and its overdue tasks. Tasks of one group or
	// unit often come in runs, so the last ones found are kept at hand.
	type unitTally struct {
		score   UnitScore
		overdue []OverdueTask
	}
	units := map[string]*unitTally{}
	var g *GroupStat
	var u *unitTally
	// Pending extension requests by task, to list the ones in scope; they
	// are few, so the loop over tasks needs no map of its own.
	pending := map[string][]int{}
	for i, e := range in.Extensions {
		if e.State == ExtPending {
			pending[e.Task] = append(pending[e.Task], i)
		}
	}
	want := Fold(in.Group)
	today := tl.Today()
	// previous returns a task's state in the previous snapshot. Tasks
	// come in code order like the snapshot, so it is mostly the next one;
	// otherwise it is searched for.
	next := 0
	previous := func(code string) (TaskState, bool) {
		prev := in.Previous.Tasks
		if next < len(prev) && prev[next].Code == code {
			next++
			return prev[next-1], true
		}
		i, ok := slices.BinarySearchFunc(prev, code, func(s TaskState, c string) int { return strings.Compare(s.Code, c) })
		if !ok {
			next = i
			return TaskState{}, false
		}
		next = i + 1
		return prev[i], true
	}
	if in.Previous != nil {
		// Changes may be many (a first digest after a large import): one
		// allocation instead of a doubling series.
		d.Changes = make([]TaskChange, 0, len(in.Tasks))
	}
	for i := range in.Tasks {
		t := &in.Tasks[i]
		if want != "" && Fold(t.Group) != want {
			continue
		}
		if want != "" {
			d.Group = t.Group // as the plan is named, not as it was typed
		}
		if len(pending) > 0 {
			for _, i := range pending[t.Code] {
				e := in.Extensions[i]
				d.Awaiting = append(d.Awaiting, Awaiting{Code: e.Task, Title: t.Title, Unit: t.Unit, Status: t.Status, Extension: &e})
			}
		}
		if g == nil || g.Name != t.Group {
			if g = groups[t.Group]; g == nil {
				g = &GroupStat{Name: t.Group, Counts: map[Status]int{}}
				groups[t.Group] = g
			}
		}
		if u == nil || u.score.Unit.Code != t.Unit {
			if u = units[t.Unit]; u == nil {
				u = &unitTally{score: UnitScore{Unit: unitOf(t.Unit)}}
				units[t.Unit] = u
			}
		}
		s := &u.score
		tm := tl.of(t, today)
		for _, gs := range [2]*GroupStat{&d.Total, g} {
			gs.Total++
			gs.Counts[t.Status]++
			switch tm {
			case DoneOnTime:
				gs.DoneOnTime++
			case DoneLate:
				gs.DoneLate++
			case Overdue:
				gs.Overdue++
			case DueSoon:
				gs.DueSoon++
			case Ongoing:
				gs.Ongoing++
			}
			if t.Status == Done {
				gs.Done++
			}
		}
		s.Total++
		switch tm {
		case DoneUndated:
			s.Done++
		case DoneOnTime:
			s.Done++
			s.DoneOnTime++
		case DoneLate:
			s.Done++
			s.DoneLate++
		case Overdue:
			s.Overdue++
			s.Open++
			u.overdue = append(u.overdue, OverdueTask{
				Code: t.Code, Title: t.Title, Unit: t.Unit, Deadline: t.Deadline,
				DaysLate: daysLate(t, today), Progress: t.Progress,
			})
		case Closed:
		case Reported:
			s.Open++
			s.Awaiting++
			s.Reported++
		default:
			s.Open++
			switch {
			case t.Status == NotStarted:
				s.NotStarted++
			case t.Status.Proposal():
				s.Awaiting++
			}
		}
		if t.Status.Proposal() {
			d.Awaiting = append(d.Awaiting, Awaiting{Code: t.Code, Title: t.Title, Unit: t.Unit, Status: t.Status})
		}
		if t.Blocker != "" && t.Status.Open() {
			d.Blocked = append(d.Blocked, Blocked{Code: t.Code, Unit: t.Unit, Blocker: t.Blocker})
		}
		if in.Previous != nil {
			old, ok := previous(t.Code)
			if !ok || old.Status != t.Status || old.Progress != t.Progress {
				d.Changes = append(d.Changes, TaskChange{
					Code: t.Code, Title: t.Title, Unit: t.Unit,
					OldStatus: old.Status, NewStatus: t.Status,
					OldProgress: old.Progress, NewProgress: t.Progress, New: !ok,
				})
			}
		}
	}
	if in.Previous != nil {
		d.HasPrev, d.PrevAt = true, in.Previous.At.In(tl.Loc)
	}
	for _, g := range groups {
		d.Groups = append(d.Groups, *g)
	}
	sortBy(d.Groups, func(a, b GroupStat) int { return strings.Compare(a.Name, b.Name) })
	for _, u := range units {
		if len(u.overdue) == 0 {
			continue
		}
		// Codes are unique: a total order, which needs no stable sort.
		slices.SortFunc(u.overdue, func(a, b OverdueTask) int {
			if a.DaysLate != b.DaysLate {
				return cmp.Compare(b.DaysLate, a.DaysLate)
			}
			return strings.Compare(a.Code, b.Code)
		})
		d.Overdue = append(d.Overdue, UnitOverdue{Unit: u.score.Unit, Tasks: u.overdue})
	}
	// The unit with the most late task first: what a chair asks about
	// first; then by how many.
	sortBy(d.Overdue, func(a, b UnitOverdue) int {
		if x, y := a.Tasks[0].DaysLate, b.Tasks[0].DaysLate; x != y {
			return cmp.Compare(y, x)
		}
		if len(a.Tasks) != len(b.Tasks) {
			return cmp.Compare(len(b.Tasks), len(a.Tasks))
		}
		return strings.Compare(a.Unit.Code, b.Unit.Code)
	})
	for _, u := range units {
		d.Scorecard = append(d.Scorecard, u.score)
	}
	sortBy(d.Scorecard, func(a, b UnitScore) int {
		if a.Overdue != b.Overdue {
			return cmp.Compare(b.Overdue, a.Overdue)
		}
		if pa, pb := Percent(a.Done, a.Total), Percent(b.Done, b.Total); pa != pb {
			return cmp.Compare(pa, pb)
		}
		return strings.Compare(a.Unit.Code, b.Unit.Code)
	})
	sortBy(d.Awaiting, func(a, b Awaiting) int { return strings.Compare(a.Code, b.Code) })
	sortBy(d.Changes, func(a, b TaskChange) int { return strings.Compare(a.Code, b.Code) })
	sortBy(d.Blocked, func(a, b Blocked) int { return strings.Compare(a.Code, b.Code) })
	d.Unreached = len(UnreachedIn(in))
	d.Indicators, d.UnitIndicators = digestIndicators(in.Indicators, want)
	return d
}

// sortBy sorts s stably by the order by, after a linear check that skips the work in
// the usual case: tasks come from the store in code order.
func sortBy[T any](s []T, by func(a, b T) int) {
	if !slices.IsSortedFunc(s, by) {
		slices.SortStableFunc(s, by)
	}
}

// TakeSnapshot records the status and progress of every task at now, for
// the next digest's "changes since", ordered by code.
func TakeSnapshot(ts []Task, now time.Time) Snapshot {
	s := Snapshot{At: now, Tasks: make([]TaskState, 0, len(ts))}
	for _, t := range ts {
		s.Tasks = append(s.Tasks, TaskState{Code: t.Code, Status: t.Status, Progress: t.Progress})
	}
	sortBy(s.Tasks, func(a, b TaskState) int { return strings.Compare(a.Code, b.Code) })
	return s
}

// UnitFigures are a unit's scorecard figures as the assistant is given
// them (the narrative's facts, /ask's scorecard tool): one shape, so the
// model reads the same names everywhere and every number can be checked.
type UnitFigures struct {
	Unit       string `json:"unit"`
	Name       string `json:"unit_name,omitempty"`
	Total      int    `json:"total"`
	Done       int    `json:"done"`
	DonePct    int    `json:"done_pct"`
	DoneOnTime int    `json:"done_on_time"`
	DoneLate   int    `json:"done_late"`
	OnTimeRate *int   `json:"on_time_rate_pct,omitempty"` // absent when no completion can be judged
	Overdue    int    `json:"overdue"`
	Open       int    `json:"open"`
}

// Figures returns s as UnitFigures.
func (s UnitScore) Figures() UnitFigures {
	f := UnitFigures{Unit: s.Unit.Code, Name: s.Unit.Name, Total: s.Total, Done: s.Done,
		DonePct: Percent(s.Done, s.Total), DoneOnTime: s.DoneOnTime, DoneLate: s.DoneLate,
		Overdue: s.Overdue, Open: s.Open}
	if r := s.OnTimeRate(); r >= 0 {
		f.OnTimeRate = &r
	}
	return f
}
