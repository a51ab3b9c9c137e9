package dashboard

import (
	"cmp"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"steerbot/tasks"
)

// perPage is how many rows a list shows on one page.
const perPage = 200

// statusAwaitingConfirm is the status of a done report waiting for the
// secretariat, where the build has it (Status.Valid says).
const statusAwaitingConfirm tasks.Status = "done_reported"

// funcs are the templates' helpers.
var funcs = template.FuncMap{
	"t":      text,
	"status": func(lang string, s tasks.Status) string { return s.Name(lang) },
	"dict":   func(lang string, rows any) rowsData { return rowsData{Lang: lang, Rows: rows} },
}

// rowsData hands a list and the language to a shared template.
type rowsData struct {
	Lang string
	Rows any
}

// figures is one line of the digest's figures: the categories of
// government task follow-up.
type figures struct {
	Name         string
	Total, Done  int
	Pct          int
	OnTime, Late int
	Undated      int // done, with no completion date or no deadline to judge it by
	InTime       int // open, not overdue, not ongoing
	Overdue      int
	Ongoing      int
	Awaiting     int
	AwaitConfirm int
	Closed       int
}

func figuresOf(g tasks.GroupStat, awaiting int) figures {
	f := figures{Name: g.Name, Total: g.Total, Done: g.Done, Pct: g.Pct(), OnTime: g.DoneOnTime, Late: g.DoneLate,
		Overdue: g.Overdue, Ongoing: g.Ongoing, Awaiting: awaiting,
		AwaitConfirm: g.Counts[statusAwaitingConfirm], Closed: g.Counts[tasks.Stopped] + g.Counts[tasks.CarriedOver]}
	f.Undated = max(0, g.Done-g.DoneOnTime-g.DoneLate)
	open := 0
	for st, n := range g.Counts {
		if st.Open() {
			open += n
		}
	}
	f.InTime = max(0, open-g.Overdue-g.Ongoing-f.AwaitConfirm)
	return f
}

// filters is what a list is limited to, read from the query.
type filters struct {
	Plan, Unit, Status string
	Plans              []string
	Units              []tasks.Unit
	Statuses           []option
	ShowUnit           bool // the unit filter is offered (chairs, secretariat)
	Action             string
}

type option struct{ Value, Label string }

// readFilters reads plan, unit and status from the query and lists the
// choices.
func readFilters(rq *request, all []tasks.Task, action string) (filters, error) {
	q := rq.r.URL.Query()
	f := filters{Plan: q.Get("plan"), Unit: tasks.NormalizeCode(q.Get("unit")), Status: q.Get("status"), ShowUnit: rq.full, Action: action}
	seen := map[string]bool{}
	for i := range all {
		if g := all[i].Group; !seen[g] {
			seen[g] = true
			f.Plans = append(f.Plans, g)
		}
	}
	slices.Sort(f.Plans)
	if rq.full {
		us, err := rq.tx.Units()
		if err != nil {
			return f, fmt.Errorf("read units: %w", err)
		}
		f.Units = us
	} else {
		f.Unit = ""
	}
	f.Statuses = append(f.Statuses, option{"open", text(rq.lang, "open_only")}, option{"overdue", text(rq.lang, "overdue_only")})
	sts := tasks.Statuses
	if statusAwaitingConfirm.Valid() && !slices.Contains(sts, statusAwaitingConfirm) {
		sts = append(slices.Clone(sts), statusAwaitingConfirm)
	}
	for _, s := range sts {
		f.Statuses = append(f.Statuses, option{string(s), s.Name(rq.lang)})
	}
	return f, nil
}

// keep reports whether t passes the filters.
func (f filters) keep(t *tasks.Task, tm tasks.Timeliness) bool {
	if f.Plan != "" && t.Group != f.Plan {
		return false
	}
	if f.Unit != "" && !t.Involves(f.Unit) {
		return false
	}
	switch f.Status {
	case "":
	case "open":
		return t.Status.Open()
	case "overdue":
		return tm == tasks.Overdue
	default:
		return string(t.Status) == f.Status
	}
	return true
}

// pager is one page of a long list.
type pager struct {
	Page, Pages, Total int
	Prev, Next         string // URLs; empty at the ends
}

// paginate returns the bounds of the requested page of n rows.
func paginate(rq *request, n int) (lo, hi int, p pager) {
	page, _ := strconv.Atoi(rq.r.URL.Query().Get("page"))
	pages := max(1, (n+perPage-1)/perPage)
	page = min(max(page, 1), pages)
	p = pager{Page: page, Pages: pages, Total: n}
	link := func(to int) string {
		q := rq.r.URL.Query()
		q.Set("page", strconv.Itoa(to))
		return rq.r.URL.Path + "?" + q.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	lo = (page - 1) * perPage
	return lo, min(lo+perPage, n), p
}

// taskRow is a task in a list.
type taskRow struct {
	Code, Title, Unit, Deadline, Status, Timeliness string
	Progress                                        int
	Late                                            bool
	Note                                            string
	DaysLate                                        int
}

func (rq *request) row(t *tasks.Task) taskRow {
	tm := rq.tl.Of(*t)
	return taskRow{Code: t.Code, Title: t.Title, Unit: t.Unit, Deadline: label(t),
		Status: t.Status.Name(rq.lang), Timeliness: rq.timeliness(*t, tm), Progress: t.Progress,
		Late: tm == tasks.Overdue, Note: t.Note, DaysLate: rq.tl.DaysLate(*t)}
}

// label is the deadline as written, with its date.
func label(t *tasks.Task) string {
	if l := t.DeadlineLabel(); l != "" {
		return l
	}
	return "—"
}

func (rq *request) timeliness(t tasks.Task, tm tasks.Timeliness) string {
	if tm == tasks.Overdue {
		return text(rq.lang, "tl_overdue", rq.tl.DaysLate(t))
	}
	return text(rq.lang, "tl_"+string(tm))
}

// readable returns the tasks the member may read, in code order, with
// at least the fields of a summary (tasks.Summarizer): a list of ten
// thousand tasks decodes no task's whole record.
func (rq *request) readable() ([]tasks.Task, error) {
	ts, err := tasks.DigestTasks(rq.tx)
	if err != nil {
		return nil, fmt.Errorf("read tasks: %w", err)
	}
	if rq.full {
		return ts, nil
	}
	out := ts[:0]
	for _, t := range ts {
		if t.Involves(rq.member.Unit) {
			out = append(out, t)
		}
	}
	return out, nil
}

// unitTasks returns the tasks of one unit, in code order, from the
// summaries.
func (rq *request) unitTasks(code string) ([]tasks.Task, error) {
	all, err := tasks.DigestTasks(rq.tx)
	if err != nil {
		return nil, fmt.Errorf("read tasks: %w", err)
	}
	out := all[:0]
	for _, t := range all {
		if t.Unit == code {
			out = append(out, t)
		}
	}
	return out, nil
}

// when formats an instant in the committee's time zone.
func (rq *request) when(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(loc).Format("15:04 02/01/2006")
}

// overviewPage is the overview: the digest's figures.
type overviewPage struct {
	At         string
	Total      figures
	Plans      []figures
	Trend      template.HTML
	HasTrend   bool
	Confirm    bool // the awaiting-confirmation status exists
	Indicators *indicatorLine
	Own        *unitRow
	Filters    filters
}

type indicatorLine struct{ Achieved, Total, NotAchieved, NoValue int }

func (s *Server) overview(rq *request) (string, any, error) {
	plan := rq.r.URL.Query().Get("plan")
	in, err := tasks.LoadDigestInput(rq.tx, rq.tl, plan)
	if err != nil {
		return "", nil, err
	}
	d := tasks.ComputeDigest(in)
	groupOf := make(map[string]string, len(in.Tasks))
	var lastReport map[string]time.Time
	if !rq.full {
		lastReport = map[string]time.Time{}
	}
	for i := range in.Tasks {
		t := &in.Tasks[i]
		groupOf[t.Code] = t.Group
		if lastReport != nil && t.Unit == rq.member.Unit && t.Updated.After(lastReport[t.Unit]) {
			lastReport[t.Unit] = t.Updated
		}
	}
	awaiting := map[string]int{}
	for _, a := range d.Awaiting {
		awaiting[groupOf[a.Code]]++
	}
	p := overviewPage{At: rq.when(d.At, s.o.Loc), Total: figuresOf(d.Total, len(d.Awaiting)), Confirm: statusAwaitingConfirm.Valid()}
	for _, g := range d.Groups {
		f := figuresOf(g, awaiting[g.Name])
		if f.Name == "" {
			f.Name = text(rq.lang, "no_plan")
		}
		p.Plans = append(p.Plans, f)
	}
	if p.Filters, err = readFilters(rq, in.Tasks, "/"); err != nil {
		return "", nil, err
	}
	p.Filters.Statuses, p.Filters.ShowUnit = nil, false
	var last time.Time
	if in.Previous != nil {
		last = in.Previous.At
	}
	points, err := s.trend(rq, last, groupOf, plan)
	if err != nil {
		return "", nil, err
	}
	p.HasTrend = len(points) > 0
	points = append(points, trendPoint{Label: text(rq.lang, "now"), Done: d.Total.Done, Total: d.Total.Total})
	p.Trend = trendSVG(points, text(rq.lang, "trend"))
	st, err := tasks.LoadIndicatorStandings(rq.tx, tasks.IndicatorFilter{Group: plan}, rq.tl.Today())
	if err != nil {
		return "", nil, fmt.Errorf("read indicators: %w", err)
	}
	if sum := tasks.SummarizeIndicators(st); sum.Total > 0 {
		p.Indicators = &indicatorLine{Achieved: sum.Achieved, Total: sum.Total, NotAchieved: len(sum.NotAchieved), NoValue: len(sum.NoValue)}
	}
	if !rq.full {
		for _, sc := range d.Scorecard {
			if sc.Unit.Code == rq.member.Unit {
				r := s.unitRow(rq, sc, lastReport)
				p.Own = &r
			}
		}
	}
	return "overview", p, nil
}

// unitRow is a unit's line on the scorecard, with the values the table
// sorts by.
type unitRow struct {
	Code, Name       string
	Total, Done, Pct int
	OnTime           int // -1: nothing to judge
	Overdue, Open    int
	Last             string
	LastUnix         int64
}

func (s *Server) unitRow(rq *request, sc tasks.UnitScore, last map[string]time.Time) unitRow {
	r := unitRow{Code: sc.Unit.Code, Name: sc.Unit.Name, Total: sc.Total, Done: sc.Done,
		Pct: tasks.Percent(sc.Done, sc.Total), OnTime: sc.OnTimeRate(), Overdue: sc.Overdue, Open: sc.Open}
	if at := last[sc.Unit.Code]; !at.IsZero() {
		layout := "02/01/2006"
		if at.In(s.o.Loc).Year() == rq.now.In(s.o.Loc).Year() {
			layout = "02/01"
		}
		r.Last, r.LastUnix = at.In(s.o.Loc).Format(layout), at.Unix()
	} else {
		r.Last = "—"
	}
	return r
}

// unitsPage is the scorecard.
type unitsPage struct {
	Rows    []unitRow
	Sort    string
	Desc    bool
	Pager   pager
	Filters filters
	Heads   []sortHead
}

type sortHead struct {
	Key, Label, URL string
	Num             bool
	Active, Desc    bool
}

// unitSorts are the scorecard's columns and how each sorts.
var unitSorts = map[string]func(a, b unitRow) int{
	"unit":    func(a, b unitRow) int { return strings.Compare(a.Code, b.Code) },
	"total":   func(a, b unitRow) int { return cmp.Compare(a.Total, b.Total) },
	"pct":     func(a, b unitRow) int { return cmp.Compare(a.Pct, b.Pct) },
	"ontime":  func(a, b unitRow) int { return cmp.Compare(a.OnTime, b.OnTime) },
	"overdue": func(a, b unitRow) int { return cmp.Compare(a.Overdue, b.Overdue) },
	"last":    func(a, b unitRow) int { return cmp.Compare(a.LastUnix, b.LastUnix) },
}

func (s *Server) units(rq *request) (string, any, error) {
	plan := rq.r.URL.Query().Get("plan")
	in, err := tasks.LoadDigestInput(rq.tx, rq.tl, plan)
	if err != nil {
		return "", nil, err
	}
	d := tasks.ComputeDigest(in)
	last := map[string]time.Time{}
	for i := range in.Tasks {
		t := &in.Tasks[i]
		if t.Updated.After(last[t.Unit]) {
			last[t.Unit] = t.Updated
		}
	}
	p := unitsPage{}
	for _, sc := range d.Scorecard {
		if !rq.full && sc.Unit.Code != rq.member.Unit {
			continue
		}
		p.Rows = append(p.Rows, s.unitRow(rq, sc, last))
	}
	q := rq.r.URL.Query()
	p.Sort, p.Desc = q.Get("sort"), q.Get("dir") == "desc"
	if by, ok := unitSorts[p.Sort]; ok {
		slices.SortStableFunc(p.Rows, func(a, b unitRow) int {
			if p.Desc {
				return by(b, a)
			}
			return by(a, b)
		})
	} else {
		p.Sort = ""
	}
	for _, h := range []struct {
		key, label string
		num        bool
	}{{"unit", "unit", false}, {"pct", "done_pct", true}, {"ontime", "on_time_rate", true}, {"overdue", "overdue_only", true}, {"last", "last_report", true}} {
		u := url.Values{}
		if plan != "" {
			u.Set("plan", plan)
		}
		u.Set("sort", h.key)
		desc := h.num // numbers first sort from the highest
		if p.Sort == h.key {
			desc = !p.Desc
		}
		if desc {
			u.Set("dir", "desc")
		}
		p.Heads = append(p.Heads, sortHead{Key: h.key, Label: text(rq.lang, h.label), URL: "/units?" + u.Encode(), Num: h.num, Active: p.Sort == h.key, Desc: p.Desc})
	}
	lo, hi, pg := paginate(rq, len(p.Rows))
	p.Rows, p.Pager = p.Rows[lo:hi], pg
	if p.Filters, err = readFilters(rq, in.Tasks, "/units"); err != nil {
		return "", nil, err
	}
	p.Filters.Statuses, p.Filters.ShowUnit = nil, false
	return "units", p, nil
}

// listPage is a list of tasks.
type listPage struct {
	Heading string
	Unit    *unitRow
	Rows    []taskRow
	Pager   pager
	Filters filters
}

// listTasks filters and pages tasks.
func (s *Server) listTasks(rq *request, all []tasks.Task, f filters) ([]taskRow, pager) {
	today := rq.tl
	keep := make([]int, 0, len(all))
	for i := range all {
		if f.keep(&all[i], today.Of(all[i])) {
			keep = append(keep, i)
		}
	}
	lo, hi, pg := paginate(rq, len(keep))
	rows := make([]taskRow, 0, hi-lo)
	for _, i := range keep[lo:hi] {
		rows = append(rows, rq.row(&all[i]))
	}
	return rows, pg
}

func (s *Server) taskList(rq *request) (string, any, error) {
	all, err := rq.readable()
	if err != nil {
		return "", nil, err
	}
	f, err := readFilters(rq, all, "/tasks")
	if err != nil {
		return "", nil, err
	}
	p := listPage{Heading: text(rq.lang, "nav_tasks"), Filters: f}
	p.Rows, p.Pager = s.listTasks(rq, all, f)
	return "tasks", p, nil
}

func (s *Server) unit(rq *request) (string, any, error) {
	code := tasks.NormalizeCode(rq.r.PathValue("code"))
	if !rq.full && code != rq.member.Unit {
		return "", nil, errNotFound
	}
	u, err := rq.tx.Unit(code)
	if err != nil {
		return "", nil, err
	}
	all, err := rq.unitTasks(code)
	if err != nil {
		return "", nil, err
	}
	f, err := readFilters(rq, all, "/units/"+url.PathEscape(code))
	if err != nil {
		return "", nil, err
	}
	f.ShowUnit, f.Unit = false, ""
	d := tasks.ComputeDigest(tasks.DigestInput{Tasks: all, Units: []tasks.Unit{u}, Timeline: rq.tl})
	last := map[string]time.Time{}
	for i := range all {
		if all[i].Updated.After(last[code]) {
			last[code] = all[i].Updated
		}
	}
	p := listPage{Heading: u.Code + " — " + u.Name, Filters: f}
	if len(d.Scorecard) == 1 {
		r := s.unitRow(rq, d.Scorecard[0], last)
		p.Unit = &r
	}
	p.Rows, p.Pager = s.listTasks(rq, all, f)
	return "tasks", p, nil
}

// overduePage is the overdue tasks by unit.
type overduePage struct {
	Groups  []overdueGroup
	Pager   pager
	Filters filters
}

type overdueGroup struct {
	Unit tasks.Unit
	Rows []taskRow
}

func (s *Server) overdue(rq *request) (string, any, error) {
	plan := rq.r.URL.Query().Get("plan")
	in, err := tasks.LoadDigestInput(rq.tx, rq.tl, plan)
	if err != nil {
		return "", nil, err
	}
	f, err := readFilters(rq, in.Tasks, "/overdue")
	if err != nil {
		return "", nil, err
	}
	f.Statuses = nil
	d := tasks.ComputeDigest(in)
	byCode := make(map[string]*tasks.Task, len(in.Tasks))
	for i := range in.Tasks {
		byCode[in.Tasks[i].Code] = &in.Tasks[i]
	}
	type item struct {
		unit tasks.Unit
		t    *tasks.Task
	}
	var items []item
	for _, g := range d.Overdue {
		if !rq.full && g.Unit.Code != rq.member.Unit || f.Unit != "" && g.Unit.Code != f.Unit {
			continue
		}
		for _, o := range g.Tasks {
			items = append(items, item{g.Unit, byCode[o.Code]})
		}
	}
	lo, hi, pg := paginate(rq, len(items))
	p := overduePage{Pager: pg, Filters: f}
	for _, it := range items[lo:hi] {
		if n := len(p.Groups); n == 0 || p.Groups[n-1].Unit.Code != it.unit.Code {
			p.Groups = append(p.Groups, overdueGroup{Unit: it.unit})
		}
		g := &p.Groups[len(p.Groups)-1]
		row := rq.row(it.t)
		// The summaries lack the note: read it for the rows shown.
		whole, err := rq.tx.Task(it.t.Code)
		if err != nil {
			return "", nil, fmt.Errorf("read task %s: %w", it.t.Code, err)
		}
		row.Note = whole.Note
		g.Rows = append(g.Rows, row)
	}
	return "overdue", p, nil
}

// taskPage is one task.
type taskPage struct {
	Task       tasks.Task
	Row        taskRow
	Status     string
	Completed  string
	CoUnits    string
	History    []historyRow
	Evidence   []tasks.Attachment
	Extensions []string
}

type historyRow struct {
	At, By, Change, Note string
	Files                []tasks.Attachment
}

func (s *Server) task(rq *request) (string, any, error) {
	t, err := rq.tx.Task(rq.r.PathValue("code"))
	if err != nil {
		return "", nil, err
	}
	if s.o.Policy.Can(rq.member, tasks.ReadTask, &t) != nil {
		return "", nil, errNotFound // another unit's task is a task that does not exist
	}
	hist, err := rq.tx.History(t.Code, 0)
	if err != nil {
		return "", nil, fmt.Errorf("read history: %w", err)
	}
	p := taskPage{Task: t, Row: rq.row(&t), Completed: rq.when(t.CompletedAt, s.o.Loc), CoUnits: strings.Join(t.CoUnits, ", ")}
	for i := len(hist) - 1; i >= 0; i-- {
		u := hist[i]
		h := historyRow{At: rq.when(u.At, s.o.Loc), By: u.ByName, Note: u.Note, Files: u.Attachments}
		switch {
		case u.Via == tasks.ViaImport && (h.By == "" || h.By == string(tasks.ViaImport)):
			h.By = text(rq.lang, "by_import")
		case h.By == "":
			h.By = text(rq.lang, "by_system")
		}
		var ch []string
		// The first record of a task (an import, a new task) has no old
		// values: it shows the new ones alone.
		first := u.OldStatus == ""
		arrow := func(old, new string) string {
			if first || old == "" {
				return new
			}
			return old + " → " + new
		}
		if u.OldStatus != u.NewStatus {
			ch = append(ch, arrow(u.OldStatus.Name(rq.lang), u.NewStatus.Name(rq.lang)))
		}
		if u.OldProgress != u.NewProgress {
			ch = append(ch, arrow(fmt.Sprintf("%d%%", u.OldProgress), fmt.Sprintf("%d%%", u.NewProgress)))
		}
		if u.OldDeadline != u.NewDeadline && !u.NewDeadline.IsZero() {
			old := ""
			if !u.OldDeadline.IsZero() {
				old = u.OldDeadline.VN()
			}
			ch = append(ch, text(rq.lang, "deadline")+" "+arrow(old, u.NewDeadline.VN()))
		}
		if u.Blocker != "" {
			ch = append(ch, text(rq.lang, "blocker")+": "+u.Blocker)
		}
		h.Change = strings.Join(ch, " · ")
		p.History = append(p.History, h)
		p.Evidence = append(p.Evidence, u.Attachments...)
	}
	return "task", p, nil
}

// meetingsPage lists the meetings and the digest each got.
type meetingsPage struct {
	Coming, Past []meetingRow
}

type meetingRow struct {
	Title, Start, Sent, Figures string
}

func (s *Server) meetings(rq *request) (string, any, error) {
	if s.o.Policy.Can(rq.member, tasks.ListMeetings, nil) != nil {
		return "", nil, errNotFound
	}
	ms, err := rq.tx.Meetings()
	if err != nil {
		return "", nil, fmt.Errorf("read meetings: %w", err)
	}
	var points []trendPoint
	switch last, err := rq.tx.LastSnapshot(); {
	case err == nil:
		if points, err = s.trend(rq, last.At, nil, ""); err != nil {
			return "", nil, err
		}
	case !tasks.IsNotFound(err):
		return "", nil, fmt.Errorf("read snapshot: %w", err)
	}
	var p meetingsPage
	for _, m := range ms {
		r := meetingRow{Title: m.Title, Start: rq.when(m.Start, s.o.Loc), Sent: text(rq.lang, "digest_not_yet")}
		if !m.DigestSentAt.IsZero() {
			r.Sent = rq.when(m.DigestSentAt, s.o.Loc)
			if p, ok := pointAt(points, m.DigestSentAt); ok {
				r.Figures = fmt.Sprintf("%d/%d (%d%%)", p.Done, p.Total, tasks.Percent(p.Done, p.Total))
			}
		}
		if m.Start.After(rq.now) {
			p.Coming = append(p.Coming, r)
		} else {
			p.Past = append([]meetingRow{r}, p.Past...)
		}
	}
	if len(p.Past) > perPage {
		p.Past = p.Past[:perPage]
	}
	return "meetings", p, nil
}

// pointAt finds the digest sent when a meeting's digest was: the
// snapshot nearest to at, within five minutes.
func pointAt(points []trendPoint, at time.Time) (trendPoint, bool) {
	best, bestGap := -1, 5*time.Minute
	for i, p := range points {
		gap := p.At.Sub(at)
		if gap < 0 {
			gap = -gap
		}
		if gap <= bestGap {
			best, bestGap = i, gap
		}
	}
	if best < 0 {
		return trendPoint{}, false
	}
	return points[best], true
}
