package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"steerbot/tasks"
)

// Limits on a narrative and on the digest figures sent to the model.
const (
	maxNarrativeRunes = 1200
	maxFactUnits      = 30
	maxFactTasks      = 10 // overdue tasks listed per unit
	maxFactItems      = 20 // awaiting items, changes, blocked tasks
)

// Narrate writes one short paragraph (at most five sentences) in lang ("en"
// for English, anything else Vietnamese) on top of d: what moved, what is
// stuck, what needs the committee. The paragraph is returned only if every
// number in it is one of the digest's figures (see NumbersOK); otherwise
// the error is an EINVALID *tasks.Error wrapping ErrUnverifiedNumbers, and
// the caller drops the narrative. An over-long paragraph is EINVALID too.
func (c *Client) Narrate(ctx context.Context, d tasks.Digest, lang string) (string, error) {
	const op = "narrate"
	facts, err := json.Marshal(digestFacts(d))
	if err != nil {
		return "", fmt.Errorf("%s: encode digest: %w", op, err)
	}
	language := "Vietnamese"
	if strings.EqualFold(strings.TrimSpace(lang), "en") {
		language = "English"
	}
	text, err := c.complete(ctx, chatRequest{
		op:     op,
		system: narrateSystem(language),
		user:   "Digest figures (JSON):\n" + string(facts),
	})
	if err != nil {
		return "", err
	}
	text = cleanText(stripFence(text))
	if n := utf8.RuneCountInString(text); n > maxNarrativeRunes {
		return "", c.invalidAnswer(op, invalid(op, nil, "narrative is %d characters long, over %d", n, maxNarrativeRunes))
	}
	if !NumbersOK(text, d) {
		return "", c.invalidAnswer(op, invalid(op, ErrUnverifiedNumbers, "a number in the narrative is not among the digest's figures"))
	}
	return text, nil
}

func narrateSystem(language string) string {
	return `You write for a Vietnamese government steering committee that follows up the tasks it assigned to departments and districts. From the digest figures given as JSON, write ONE short paragraph, at most 5 sentences, in ` + language + `: what moved since the previous digest, what is stuck (overdue tasks, blockers), and what needs the committee's decision.
Rules:
- Use only figures that appear in the JSON, written with digits exactly as given. Do not add, subtract or compute any new number or percentage.
- Name units and tasks as the JSON does. Invent nothing.
- Plain text: no heading, no list, no Markdown, no greeting.`
}

// The figures sent to the model. Every number a narrative may state is one
// of the numbers here (see allowedNumbers).
type (
	factsJSON struct {
		Date           string              `json:"date"`
		Group          string              `json:"group,omitempty"`
		PreviousDigest string              `json:"previous_digest,omitempty"`
		Total          groupFacts          `json:"total"`
		Groups         []groupFacts        `json:"groups,omitempty"`
		OverdueUnits   int                 `json:"units_with_overdue_tasks"`
		Overdue        []unitOverdueFacts  `json:"overdue_by_unit,omitempty"`
		AwaitingCount  int                 `json:"awaiting_decision_count"`
		AwaitingByKind map[string]int      `json:"awaiting_decision_by_kind,omitempty"`
		Awaiting       []awaitingFacts     `json:"awaiting_decision,omitempty"`
		ChangesCount   *int                `json:"changes_since_previous_count,omitempty"`
		NewTasksCount  *int                `json:"new_tasks_since_previous,omitempty"`
		Changes        []changeFacts       `json:"changes_since_previous,omitempty"`
		BlockedCount   int                 `json:"blocked_count"`
		Blocked        []blockedFacts      `json:"blocked,omitempty"`
		Scorecard      []tasks.UnitFigures `json:"scorecard,omitempty"`
		ScorecardCount int                 `json:"units_count"`
	}
	groupFacts struct {
		Name       string         `json:"name,omitempty"`
		Total      int            `json:"total"`
		Done       int            `json:"done"`
		DonePct    int            `json:"done_pct"`
		Ratio      string         `json:"done_ratio"`
		NotDone    int            `json:"not_done"`
		DoneOnTime int            `json:"done_on_time"`
		DoneLate   int            `json:"done_late"`
		Overdue    int            `json:"overdue"`
		DueSoon    int            `json:"due_soon"`
		ByStatus   map[string]int `json:"by_status,omitempty"`
	}
	unitOverdueFacts struct {
		Unit  string         `json:"unit"`
		Name  string         `json:"unit_name,omitempty"`
		Count int            `json:"overdue_count"`
		Tasks []overdueFacts `json:"tasks"`
	}
	overdueFacts struct {
		Code     string `json:"code"`
		Title    string `json:"title"`
		Deadline string `json:"deadline"`
		DaysLate int    `json:"days_late"`
		Progress int    `json:"progress_pct"`
	}
	awaitingFacts struct {
		Code        string `json:"code"`
		Unit        string `json:"unit,omitempty"`
		Title       string `json:"title,omitempty"`
		Kind        string `json:"kind"`
		OldDeadline string `json:"old_deadline,omitempty"`
		NewDeadline string `json:"new_deadline,omitempty"`
	}
	changeFacts struct {
		Code         string `json:"code"`
		Unit         string `json:"unit"`
		New          bool   `json:"new_task,omitempty"`
		FromStatus   string `json:"from_status,omitempty"`
		ToStatus     string `json:"to_status"`
		FromProgress *int   `json:"from_progress_pct,omitempty"`
		ToProgress   int    `json:"to_progress_pct"`
	}
	blockedFacts struct {
		Code    string `json:"code"`
		Unit    string `json:"unit"`
		Blocker string `json:"blocker"`
	}
)

func groupOf(g tasks.GroupStat) groupFacts {
	f := groupFacts{
		Name: g.Name, Total: g.Total, Done: g.Done, DonePct: g.Pct(), Ratio: g.Ratio(),
		NotDone: g.Total - g.Done, DoneOnTime: g.DoneOnTime, DoneLate: g.DoneLate,
		Overdue: g.Overdue, DueSoon: g.DueSoon,
	}
	for s, n := range g.Counts {
		if n > 0 {
			if f.ByStatus == nil {
				f.ByStatus = map[string]int{}
			}
			f.ByStatus[string(s)] = n
		}
	}
	return f
}

// digestFacts returns the figures of d that the model sees.
func digestFacts(d tasks.Digest) factsJSON {
	short := func(s string) string { return truncate(cleanText(s), 120) }
	f := factsJSON{
		Date:           d.At.Format("2006-01-02"),
		Group:          short(d.Group),
		Total:          groupOf(d.Total),
		OverdueUnits:   len(d.Overdue),
		AwaitingCount:  len(d.Awaiting),
		BlockedCount:   len(d.Blocked),
		ScorecardCount: len(d.Scorecard),
	}
	if f.Group == "" {
		f.Total.Name = ""
	}
	if len(d.Groups) > 1 {
		for _, g := range d.Groups {
			f.Groups = append(f.Groups, groupOf(g))
		}
	}
	for i, u := range d.Overdue {
		if i == maxFactUnits {
			break
		}
		uf := unitOverdueFacts{Unit: u.Unit.Code, Name: short(u.Unit.Name), Count: len(u.Tasks)}
		if uf.Name == uf.Unit {
			uf.Name = ""
		}
		for j, t := range u.Tasks {
			if j == maxFactTasks {
				break
			}
			uf.Tasks = append(uf.Tasks, overdueFacts{
				Code: t.Code, Title: short(t.Title), Deadline: t.Deadline.String(),
				DaysLate: t.DaysLate, Progress: t.Progress,
			})
		}
		f.Overdue = append(f.Overdue, uf)
	}
	for _, a := range d.Awaiting {
		kind := string(a.Status)
		if a.Extension != nil {
			kind = "extension_request"
		}
		if f.AwaitingByKind == nil {
			f.AwaitingByKind = map[string]int{}
		}
		f.AwaitingByKind[kind]++
		if len(f.Awaiting) == maxFactItems {
			continue
		}
		af := awaitingFacts{Code: a.Code, Unit: a.Unit, Title: short(a.Title), Kind: kind}
		if a.Extension != nil {
			af.OldDeadline, af.NewDeadline = a.Extension.OldDeadline.String(), a.Extension.NewDeadline.String()
		}
		f.Awaiting = append(f.Awaiting, af)
	}
	if d.HasPrev {
		f.PreviousDigest = d.PrevAt.Format("2006-01-02")
		n, added := len(d.Changes), 0
		for i, ch := range d.Changes {
			if ch.New {
				added++
			}
			if i >= maxFactItems {
				continue
			}
			cf := changeFacts{Code: ch.Code, Unit: ch.Unit, New: ch.New, ToStatus: string(ch.NewStatus), ToProgress: ch.NewProgress}
			if !ch.New {
				from := ch.OldProgress
				cf.FromStatus, cf.FromProgress = string(ch.OldStatus), &from
			}
			f.Changes = append(f.Changes, cf)
		}
		f.ChangesCount, f.NewTasksCount = &n, &added
	}
	for i, b := range d.Blocked {
		if i == maxFactItems {
			break
		}
		f.Blocked = append(f.Blocked, blockedFacts{Code: b.Code, Unit: b.Unit, Blocker: short(b.Blocker)})
	}
	for i, s := range d.Scorecard {
		if i == maxFactUnits {
			break
		}
		sf := s.Figures()
		sf.Name = short(sf.Name)
		if sf.Name == sf.Unit {
			sf.Name = ""
		}
		f.Scorecard = append(f.Scorecard, sf)
	}
	return f
}

// allowedNumbers returns every number in the figures: the JSON numbers and
// the parts of the dates (year, month, day).
func allowedNumbers(f factsJSON) map[int64]bool {
	b, err := json.Marshal(f)
	if err != nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil
	}
	set := map[int64]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch n := v.(type) {
		case map[string]any:
			for _, c := range n {
				walk(c)
			}
		case []any:
			for _, c := range n {
				walk(c)
			}
		case float64:
			set[int64(n)] = true
		case string:
			if len(n) == 10 && n[4] == '-' && n[7] == '-' {
				for _, p := range strings.Split(n, "-") {
					if x, err := strconv.ParseInt(p, 10, 64); err == nil {
						set[x] = true
					}
				}
			}
		}
	}
	walk(v)
	return set
}

// identifiers returns the names a narrative may quote that contain digits
// of their own (task codes such as CCHC-12, "Quận 1", a group "Kế hoạch
// CCHC 2023", titles), lower case, longest first.
func identifiers(d tasks.Digest) []string {
	seen := map[string]bool{}
	add := func(ss ...string) {
		for _, s := range ss {
			s = strings.ToLower(cleanText(s))
			if strings.IndexFunc(s, unicode.IsDigit) >= 0 && strings.IndexFunc(s, unicode.IsLetter) >= 0 {
				seen[s] = true
			}
		}
	}
	add(d.Group)
	for _, g := range d.Groups {
		add(g.Name)
	}
	for _, u := range d.Overdue {
		add(u.Unit.Code, u.Unit.Name)
		for _, t := range u.Tasks {
			add(t.Code, t.Title, t.Unit)
		}
	}
	for _, a := range d.Awaiting {
		add(a.Code, a.Title, a.Unit)
	}
	for _, ch := range d.Changes {
		add(ch.Code, ch.Title, ch.Unit)
	}
	for _, b := range d.Blocked {
		add(b.Code, b.Unit)
	}
	for _, s := range d.Scorecard {
		add(s.Unit.Code, s.Unit.Name)
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}

// NumbersOK reports whether every number written in text is one of the
// figures of d: totals, done counts and percentages, counts per status,
// days late, progress, task counts per unit, and the numbers of its dates.
// Numbers are read as a Vietnamese or English reader would: "47/79" is 47
// and 79, "59%" is 59, "1.207" and "1,207" are 1207, "15/03/2024" and
// "15.03.2024" are 15, 3 and 2024. A decimal such as "3,5" or a digit of
// another script never matches. Digits inside a task code, unit, group or
// title that d names (CCHC-12, Quận 1) are not figures and are skipped.
func NumbersOK(text string, d tasks.Digest) bool {
	allowed := allowedNumbers(digestFacts(d))
	lower := strings.ToLower(cleanText(text))
	for _, id := range identifiers(d) {
		lower = strings.ReplaceAll(lower, id, " ")
	}
	nums, ok := numbersIn(lower)
	if !ok {
		return false
	}
	for _, n := range nums {
		if !allowed[n] {
			return false
		}
	}
	return true
}

// numbersIn returns the numbers written in s; ok is false when s holds
// something number-like that is not a whole number: a decimal, a digit of
// another script, a number too long to be a figure.
func numbersIn(s string) (nums []int64, ok bool) {
	rs := []rune(s)
	isDigit := func(r rune) bool { return r >= '0' && r <= '9' }
	for i := 0; i < len(rs); {
		r := rs[i]
		if !isDigit(r) {
			if unicode.IsDigit(r) {
				return nil, false
			}
			i++
			continue
		}
		// A token: digit runs joined by single '.' or ',' between digits.
		var groups []string
		start := i
		for {
			for i < len(rs) && isDigit(rs[i]) {
				i++
			}
			groups = append(groups, string(rs[start:i]))
			if i+1 < len(rs) && (rs[i] == '.' || rs[i] == ',') && isDigit(rs[i+1]) {
				i++
				start = i
				continue
			}
			break
		}
		got, ok := tokenNumbers(groups)
		if !ok {
			return nil, false
		}
		nums = append(nums, got...)
	}
	return nums, true
}

// tokenNumbers reads one token's digit groups: a plain number, a number
// with thousands separators, a date d.m.y, or a decimal (not ok unless its
// fraction is zero).
func tokenNumbers(groups []string) ([]int64, bool) {
	parse := func(g string) (int64, bool) {
		g = strings.TrimLeft(g, "0")
		if g == "" {
			return 0, true
		}
		if len(g) > 12 {
			return 0, false
		}
		n, err := strconv.ParseInt(g, 10, 64)
		return n, err == nil
	}
	if len(groups) == 1 {
		n, ok := parse(groups[0])
		return []int64{n}, ok
	}
	thousands := len(groups[0]) <= 3 && groups[0][0] != '0'
	for _, g := range groups[1:] {
		thousands = thousands && len(g) == 3
	}
	if thousands {
		n, ok := parse(strings.Join(groups, ""))
		return []int64{n}, ok
	}
	if len(groups) == 3 {
		var out []int64
		for _, g := range groups {
			n, ok := parse(g)
			if !ok {
				return nil, false
			}
			out = append(out, n)
		}
		return out, true
	}
	if len(groups) == 2 && strings.Trim(groups[1], "0") == "" {
		n, ok := parse(groups[0])
		return []int64{n}, ok
	}
	return nil, false
}
