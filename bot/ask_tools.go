package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"steerbot/tasks"
)

// The read-only tools that the assistant calls to answer /ask. Each reads
// the store in a transaction of its own and returns only what the asker
// may read: a task through Policy.Can(ReadTask), figures over every unit
// (the scorecard, a past digest, the meetings) through ReadAll or
// ListMeetings. The bot never builds a sentence from them: the model does,
// and its numbers are checked against what these returned.

// Limits of what one tool returns, so that a result stays well under what
// the assistant accepts.
const (
	maxToolTasks    = 30 // tasks listed by list_tasks; the rest counted
	maxToolHistory  = 10 // updates of a task
	maxToolMeetings = 20
	maxToolText     = 100 // runes of a title, blocker or note
)

// askTools are the tools of one question, bound to its asker.
type askTools struct {
	b      *Bot
	member tasks.Member
	now    time.Time
}

var _ tasks.Tools = askTools{}

// toolsFor returns the tools for a question of m asked at now.
func (b *Bot) toolsFor(m tasks.Member, now time.Time) askTools {
	return askTools{b: b, member: m, now: now}
}

// Specs returns the tools offered to the model.
func (a askTools) Specs() []tasks.ToolSpec {
	str := func(desc string) map[string]any { return map[string]any{"type": "string", "description": desc} }
	obj := func(props map[string]any) json.RawMessage {
		b, err := json.Marshal(map[string]any{"type": "object", "properties": props, "additionalProperties": false})
		if err != nil {
			return json.RawMessage(`{"type":"object","properties":{}}`)
		}
		return b
	}
	plan := str("optional: the plan or programme (tasks' group), e.g. \"Kế hoạch CCHC 2023\"; part of its name is enough")
	return []tasks.ToolSpec{
		{Name: toolListTasks, Description: "The committee's tasks, most overdue first, with counts. Filters are optional and combine.",
			Parameters: obj(map[string]any{
				"unit": str("a unit's code (SNV) or part of its name (Sở Nội vụ)"),
				"status": map[string]any{"type": "string", "description": "open, overdue, due_soon, or one status",
					"enum": []string{"open", "overdue", "due_soon", "not_started", "in_progress", "done", "done_reported", "proposed_stop", "proposed_carryover", "stopped", "carried_over"}},
				"plan": plan,
			})},
		{Name: toolTaskHistory, Description: "One task with its latest updates (who reported what, when).",
			Parameters: obj(map[string]any{"code": str("the task's code, e.g. CCHC-12")})},
		{Name: toolScorecard, Description: "Each unit's figures today: total, done, done on time and late, overdue, open.",
			Parameters: obj(map[string]any{"plan": plan})},
		{Name: toolMeetings, Description: "The committee's meetings and the dates their digests were sent.",
			Parameters: obj(map[string]any{})},
		{Name: toolDigestAt, Description: "The figures (total, done, per status, per plan) as they stood when the last digest on or before a date was sent, or today when no date is given. Use it to compare with a past meeting.",
			Parameters: obj(map[string]any{"date": str("optional: YYYY-MM-DD; empty: today"), "plan": plan})},
	}
}

// The tools' names.
const (
	toolListTasks   = "list_tasks"
	toolTaskHistory = "task_history"
	toolScorecard   = "scorecard"
	toolMeetings    = "meetings"
	toolDigestAt    = "digest_at"
)

// toolArgs are the arguments of every tool; each reads those it needs.
type toolArgs struct {
	Unit   string `json:"unit"`
	Status string `json:"status"`
	Plan   string `json:"plan"`
	Code   string `json:"code"`
	Date   string `json:"date"`
}

// Call runs one tool in a read transaction of its own.
func (a askTools) Call(ctx context.Context, name, args string) (string, error) {
	var in toolArgs
	if s := strings.TrimSpace(args); s != "" {
		if err := json.Unmarshal([]byte(s), &in); err != nil {
			return "", tasks.Errorf(tasks.EINVALID, "arguments of %s are not a JSON object: %v", name, err)
		}
	}
	var out any
	err := a.b.o.Store.View(ctx, func(tx tasks.Tx) error {
		var err error
		switch name {
		case toolListTasks:
			out, err = a.listTasks(tx, in)
		case toolTaskHistory:
			out, err = a.taskHistory(tx, in)
		case toolScorecard:
			out, err = a.scorecard(tx, in)
		case toolMeetings:
			out, err = a.meetings(tx)
		case toolDigestAt:
			out, err = a.digestAt(tx, in)
		default:
			err = tasks.Errorf(tasks.EINVALID, "no tool %q", name)
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("tool %s: %w", name, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return "", fmt.Errorf("tool %s: encode result: %w", name, err)
	}
	return strings.TrimSpace(buf.String()), nil
}

func (a askTools) timeline() tasks.Timeline { return a.b.timeline(a.now) }

// readable returns the tasks of ts that the asker may read.
func (a askTools) readable(ts []tasks.Task) []tasks.Task {
	out := make([]tasks.Task, 0, len(ts))
	for i := range ts {
		if a.b.o.Policy.Can(a.member, tasks.ReadTask, &ts[i]) == nil {
			out = append(out, ts[i])
		}
	}
	return out
}

// toolTask is a task as the tools show it.
type toolTask struct {
	Code     string `json:"code"`
	Title    string `json:"title"`
	Unit     string `json:"unit"`
	UnitName string `json:"unit_name,omitempty"`
	Plan     string `json:"plan,omitempty"`
	Status   string `json:"status"`
	Progress int    `json:"progress_pct"`
	Deadline string `json:"deadline,omitempty"`
	DaysLate int    `json:"days_late,omitempty"`
	Blocker  string `json:"blocker,omitempty"`
}

func shortText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxToolText {
		return string(r[:maxToolText-1]) + "…"
	}
	return s
}

func (a askTools) task(t tasks.Task, names map[string]string) toolTask {
	tl := a.timeline()
	out := toolTask{Code: t.Code, Title: shortText(t.Title), Unit: t.Unit, UnitName: names[t.Unit], Plan: shortText(t.Group),
		Status: string(t.Status), Progress: t.Progress, Deadline: t.DeadlineLabel(), Blocker: shortText(t.Blocker)}
	if tl.Of(t) == tasks.Overdue {
		out.DaysLate = tl.DaysLate(t)
	}
	return out
}

// unitNames maps unit codes to names.
func unitNames(tx tasks.UnitStore) (map[string]string, []tasks.Unit, error) {
	us, err := tx.Units()
	if err != nil {
		return nil, nil, err
	}
	m := make(map[string]string, len(us))
	for _, u := range us {
		m[u.Code] = u.Name
	}
	return m, us, nil
}

// matchUnit returns the unit that arg names: its code, or part of its name.
func matchUnit(us []tasks.Unit, arg string) (string, error) {
	code := tasks.NormalizeCode(arg)
	for _, u := range us {
		if u.Code == code {
			return u.Code, nil
		}
	}
	want := tasks.Fold(arg)
	var found []string
	for _, u := range us {
		if f := tasks.Fold(u.Name); f == want {
			return u.Code, nil
		} else if strings.Contains(f, want) {
			found = append(found, u.Code)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", tasks.Errorf(tasks.ENOTFOUND, "no unit %q", arg)
	}
	return "", tasks.Errorf(tasks.EINVALID, "%q names several units: %s", arg, strings.Join(found, ", "))
}

// matchPlan returns the plan of ts that arg names, exactly or in part.
func matchPlan(ts []tasks.Task, arg string) (string, error) {
	want := tasks.Fold(arg)
	seen := map[string]bool{}
	var found []string
	for _, t := range ts {
		if t.Group == "" || seen[t.Group] {
			continue
		}
		seen[t.Group] = true
		if f := tasks.Fold(t.Group); f == want {
			return t.Group, nil
		} else if strings.Contains(f, want) {
			found = append(found, t.Group)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", tasks.Errorf(tasks.ENOTFOUND, "no plan %q", arg)
	}
	sort.Strings(found)
	return "", tasks.Errorf(tasks.EINVALID, "%q names several plans: %s", arg, strings.Join(found, "; "))
}

// listTasks lists the readable tasks that match the filters.
func (a askTools) listTasks(tx tasks.Tx, in toolArgs) (any, error) {
	names, us, err := unitNames(tx)
	if err != nil {
		return nil, err
	}
	f := tasks.TaskFilter{}
	if strings.TrimSpace(in.Unit) != "" {
		if f.Involving, err = matchUnit(us, in.Unit); err != nil {
			return nil, err
		}
	}
	all, err := tx.Tasks(f)
	if err != nil {
		return nil, err
	}
	ts := a.readable(all)
	if strings.TrimSpace(in.Plan) != "" {
		plan, err := matchPlan(ts, in.Plan)
		if err != nil {
			return nil, err
		}
		ts = keep(ts, func(t tasks.Task) bool { return t.Group == plan })
	}
	tl := a.timeline()
	switch st := strings.TrimSpace(in.Status); st {
	case "":
	case "open":
		ts = keep(ts, func(t tasks.Task) bool { return t.Status.Open() })
	case "overdue":
		ts = keep(ts, func(t tasks.Task) bool { return tl.Of(t) == tasks.Overdue })
	case "due_soon":
		ts = keep(ts, func(t tasks.Task) bool { return tl.Of(t) == tasks.DueSoon })
	default:
		want, ok := tasks.ParseStatus(st)
		if !ok {
			return nil, tasks.Errorf(tasks.EINVALID, "no status %q", st)
		}
		ts = keep(ts, func(t tasks.Task) bool { return t.Status == want })
	}
	sort.SliceStable(ts, func(i, j int) bool { return tl.DaysLate(ts[i]) > tl.DaysLate(ts[j]) })
	type result struct {
		Today     string     `json:"today"`
		Count     int        `json:"count"`
		Overdue   int        `json:"overdue_count"`
		Tasks     []toolTask `json:"tasks"`
		NotListed int        `json:"not_listed,omitempty"`
	}
	out := result{Today: tl.Today().String(), Count: len(ts), Tasks: []toolTask{}}
	for i, t := range ts {
		if tl.Of(t) == tasks.Overdue {
			out.Overdue++
		}
		if i < maxToolTasks {
			out.Tasks = append(out.Tasks, a.task(t, names))
		}
	}
	out.NotListed = max(len(ts)-maxToolTasks, 0)
	return out, nil
}

func keep(ts []tasks.Task, ok func(tasks.Task) bool) []tasks.Task {
	out := ts[:0:0]
	for _, t := range ts {
		if ok(t) {
			out = append(out, t)
		}
	}
	return out
}

// taskHistory returns a task the asker may read and its latest updates.
func (a askTools) taskHistory(tx tasks.Tx, in toolArgs) (any, error) {
	t, err := tx.Task(tasks.NormalizeCode(in.Code))
	if err != nil {
		return nil, err
	}
	if err := a.b.o.Policy.Can(a.member, tasks.ReadTask, &t); err != nil {
		return nil, err
	}
	names, _, err := unitNames(tx)
	if err != nil {
		return nil, err
	}
	hist, err := tx.History(t.Code, maxToolHistory)
	if err != nil {
		return nil, err
	}
	type update struct {
		Date         string `json:"date"`
		By           string `json:"by,omitempty"`
		FromStatus   string `json:"from_status,omitempty"`
		ToStatus     string `json:"to_status,omitempty"`
		FromProgress int    `json:"from_progress_pct"`
		ToProgress   int    `json:"to_progress_pct"`
		NewDeadline  string `json:"new_deadline,omitempty"`
		Note         string `json:"note,omitempty"`
		Blocker      string `json:"blocker,omitempty"`
	}
	out := struct {
		Task    toolTask `json:"task"`
		Updates []update `json:"updates"`
	}{Task: a.task(t, names), Updates: []update{}}
	for _, u := range hist {
		up := update{Date: tasks.DateOf(u.At, a.b.o.Loc).String(), By: shortText(u.ByName),
			FromProgress: u.OldProgress, ToProgress: u.NewProgress, Note: shortText(u.Note), Blocker: shortText(u.Blocker)}
		if u.OldStatus != u.NewStatus {
			up.FromStatus, up.ToStatus = string(u.OldStatus), string(u.NewStatus)
		}
		if u.NewDeadline != u.OldDeadline && !u.NewDeadline.IsZero() {
			up.NewDeadline = u.NewDeadline.String()
		}
		out.Updates = append(out.Updates, up)
	}
	return out, nil
}

// scorecard returns each unit's figures, as /digest's scorecard.
func (a askTools) scorecard(tx tasks.Tx, in toolArgs) (any, error) {
	if err := a.b.o.Policy.Can(a.member, tasks.ReadAll, nil); err != nil {
		return nil, err
	}
	plan := ""
	if strings.TrimSpace(in.Plan) != "" {
		all, err := tx.Tasks(tasks.TaskFilter{})
		if err != nil {
			return nil, err
		}
		if plan, err = matchPlan(all, in.Plan); err != nil {
			return nil, err
		}
	}
	d, err := ComputeDigest(tx, a.timeline(), plan)
	if err != nil {
		return nil, err
	}
	out := struct {
		Today string              `json:"today"`
		Plan  string              `json:"plan,omitempty"`
		Units []tasks.UnitFigures `json:"units"`
	}{Today: a.timeline().Today().String(), Plan: plan, Units: []tasks.UnitFigures{}}
	for _, s := range d.Scorecard {
		out.Units = append(out.Units, s.Figures())
	}
	return out, nil
}

// meetings lists the latest meetings and when their digests went out.
func (a askTools) meetings(tx tasks.Tx) (any, error) {
	if err := a.b.o.Policy.Can(a.member, tasks.ListMeetings, nil); err != nil {
		return nil, err
	}
	ms, err := tx.Meetings()
	if err != nil {
		return nil, err
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Start.Before(ms[j].Start) })
	if len(ms) > maxToolMeetings {
		ms = ms[len(ms)-maxToolMeetings:]
	}
	type meeting struct {
		Title      string `json:"title"`
		Date       string `json:"date"`
		DigestSent string `json:"digest_sent,omitempty"`
	}
	out := struct {
		Today    string    `json:"today"`
		Meetings []meeting `json:"meetings"`
	}{Today: a.timeline().Today().String(), Meetings: []meeting{}}
	for _, m := range ms {
		mt := meeting{Title: shortText(m.Title), Date: tasks.DateOf(m.Start, a.b.o.Loc).String()}
		if !m.DigestSentAt.IsZero() {
			mt.DigestSent = tasks.DateOf(m.DigestSentAt, a.b.o.Loc).String()
		}
		out.Meetings = append(out.Meetings, mt)
	}
	return out, nil
}

// digestAt returns the figures of the readable tasks as they stood when
// the last digest on or before in.Date was sent (their snapshot), or
// today's when no date is given.
func (a askTools) digestAt(tx tasks.Tx, in toolArgs) (any, error) {
	if err := a.b.o.Policy.Can(a.member, tasks.ReadAll, nil); err != nil {
		return nil, err
	}
	all, err := tx.Tasks(tasks.TaskFilter{})
	if err != nil {
		return nil, err
	}
	ts := a.readable(all)
	plan := ""
	if strings.TrimSpace(in.Plan) != "" {
		if plan, err = matchPlan(ts, in.Plan); err != nil {
			return nil, err
		}
	}
	today := a.timeline().Today()
	type plan1 struct {
		Name    string `json:"name"`
		Total   int    `json:"total"`
		Done    int    `json:"done"`
		DonePct int    `json:"done_pct"`
	}
	type result struct {
		Date     string         `json:"date"`
		Meeting  string         `json:"meeting,omitempty"`
		Plan     string         `json:"plan,omitempty"`
		Total    int            `json:"total"`
		Done     int            `json:"done"`
		DonePct  int            `json:"done_pct"`
		ByStatus map[string]int `json:"by_status"`
		Plans    []plan1        `json:"plans,omitempty"`
	}
	out := result{Date: today.String(), Plan: plan, ByStatus: map[string]int{}}
	states := make([]tasks.TaskState, 0, len(ts))
	for _, t := range ts {
		states = append(states, tasks.TaskState{Code: t.Code, Status: t.Status, Progress: t.Progress})
	}
	if s := strings.TrimSpace(in.Date); s != "" {
		day, err := tasks.ParseDate(s, today)
		if err != nil {
			return nil, tasks.Errorf(tasks.EINVALID, "date %q: want YYYY-MM-DD", s)
		}
		snaps, err := tx.Snapshots(0)
		if err != nil {
			return nil, err
		}
		var snap *tasks.Snapshot
		for i := range snaps {
			if !day.Before(tasks.DateOf(snaps[i].At, a.b.o.Loc)) {
				snap = &snaps[i]
			}
		}
		if snap == nil {
			return nil, tasks.Errorf(tasks.ENOTFOUND, "no digest was sent on or before %s", day)
		}
		states = snap.Tasks
		sent := tasks.DateOf(snap.At, a.b.o.Loc)
		out.Date = sent.String()
		ms, err := tx.Meetings()
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if !m.DigestSentAt.IsZero() && tasks.DateOf(m.DigestSentAt, a.b.o.Loc) == sent {
				out.Meeting = shortText(m.Title)
			}
		}
	}
	// A snapshot's task counts only if the asker may read it today; its
	// plan is the task's plan today.
	byCode := make(map[string]tasks.Task, len(ts))
	for _, t := range ts {
		byCode[t.Code] = t
	}
	plans := map[string]*plan1{}
	var order []string
	for _, st := range states {
		t, ok := byCode[st.Code]
		if !ok || plan != "" && t.Group != plan {
			continue
		}
		done := st.Status == tasks.Done
		out.Total++
		out.ByStatus[string(st.Status)]++
		p := plans[t.Group]
		if p == nil {
			p = &plan1{Name: shortText(t.Group)}
			plans[t.Group] = p
			order = append(order, t.Group)
		}
		p.Total++
		if done {
			out.Done++
			p.Done++
		}
	}
	out.DonePct = tasks.Percent(out.Done, out.Total)
	sort.Strings(order)
	for _, g := range order {
		if g == "" || plan != "" {
			continue
		}
		p := plans[g]
		p.DonePct = tasks.Percent(p.Done, p.Total)
		out.Plans = append(out.Plans, *p)
	}
	return out, nil
}
