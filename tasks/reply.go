package tasks

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reading is what the rules understood in a free-text reply.
type Reading struct {
	Status       *Status // nil unless read with certainty
	Progress     *int    // nil unless a percentage was given
	ExpectedDate Date    // "dự kiến xong 30/11": when the unit expects to finish; zero for none
	Blocker      string  // "vướng …", "khó khăn …", "blocked by …": the blocker text
	Note         string  // the whole reply, trimmed (always kept as the update's note)
	Understood   bool    // false: nothing but a note was read
}

// Change returns the tasks.Change for a reading (status, progress, note,
// blocker); nil fields stay nil. The expected date has no field in a Change:
// it stays in the note, which is the whole reply.
func (r Reading) Change() Change {
	c := Change{Note: r.Note, Blocker: r.Blocker}
	if r.Status != nil {
		c.Status = StatusPtr(*r.Status)
	}
	if r.Progress != nil {
		c.Progress = IntPtr(*r.Progress)
	}
	return c
}

// ReadReply reads a unit head's free-text reply about one task, in
// Vietnamese with or without diacritics or in English. today is the current
// day in the committee's time zone; it resolves "30/11" to the coming 30/11.
//
// The reader is built to be wrong by omission, never by commission: a status
// is set only when a status phrase is asserted and nothing in the reply
// contradicts it. The rules:
//   - Words match whole words of the folded text (see Fold), so "xong" never
//     matches inside another word. A word typed with diacritics must be
//     spelled exactly ("dùng" is not "dừng", "dạ" is not "đã"); without
//     diacritics any word that folds the same matches.
//   - A status phrase is not asserted when its sentence is a question ("?"),
//     when a question particle follows it ("xong chưa", "done yet"), or when
//     a negation, a hedge or a future marker stands before it in its clause
//     ("chưa xong", "sắp xong", "sẽ hoàn thành", "dự kiến xong", "not done
//     yet", "almost done", "cơ bản hoàn thành"). "Done" is also not asserted
//     when a part follows it ("hoàn thành giai đoạn 1", "xong một số hạng
//     mục") or when its clause holds a later date and it is not in the past
//     tense ("hoàn thành trước 30/11"; "đã hoàn thành 15/11" stays done).
//   - Promises and instructions are not reports. "Done" is not asserted
//     when its clause names a time ahead ("mai", "tuần sau", "2 tuần nữa",
//     "sau Tết", "next week", "by Friday", "soon"), or a time that may lie
//     ahead ("thứ 6", "cuối tháng", "chiều nay", "trong tuần này", "quý IV",
//     "trước Tết", "tháng 12", "this week") unless it is in the past tense
//     ("đã", "vừa", "rồi" after it, "completed", "was"); nor after a hedge or
//     a directive ("khó", "đợi", "khẩn trương", "hopefully", "please"), after
//     "đề nghị", "yêu cầu" or "chỉ đạo" anywhere before it in its sentence
//     ("Đề nghị Sở Kế hoạch và Đầu tư hoàn thành"), nor before a doubt in
//     its sentence ("xong rồi thì phải"). A percentage beside a time ahead
//     is a target, not progress ("mai xong 100%").
//   - Negated start verbs mean not started ("chưa triển khai", "not started
//     yet"); "đang …" before a start verb, "in progress", "started" mean in
//     progress. "chưa xong" alone gives no status: the task may not have
//     started.
//   - Stop and carry-over are read as proposals only (ProposedStop,
//     ProposedCarryover), and stopping only with a proposing verb ("đề xuất
//     dừng", "xin dừng", "đề nghị Ban Chỉ đạo cho dừng"); a proposal wins over
//     in progress or not started in the same reply. A reply that is nothing
//     but a name ParseStatus knows ("in_progress", "dừng", "đã thực hiện")
//     gets that status, decisions turned into proposals, except aliases too
//     vague for chat ("ok", "new", "open", "todo", "triển khai").
//   - Statuses that disagree ("đã xong phần 1, chưa xong phần 2", a report
//     listing several) give no status. So does a status that disagrees with
//     the percentage: done below 100%, not started above 0%, in progress at
//     100% ("xong 50%" reads progress 50 and no status).
//   - A percentage is "NN%", "NN %", "NN phần trăm", "NN percent", "tiến
//     độ NN", or a reply that is only a number. Decimals are cut to the whole
//     number below ("74,2%" is 74), so a fraction never reads as done.
//     Percentages outside 0–100, in questions, negated, aspired to or
//     compared ("phấn đấu đạt 80%", "tối thiểu 30%", "tăng 10%", "còn 40%
//     nữa") are not progress; "từ 40% lên 60%" is 60; two different
//     percentages give none.
//   - An expected date is a date (DD/MM, DD/MM/YYYY, YYYY-MM-DD, "30 tháng
//     11") in a clause with a forward word ("dự kiến", "sẽ", "trước", "by",
//     "expected" …), not negated, not in a question, not about starting, and
//     not before today. Reading one sets no status: only the caller knows
//     whether the task had started.
//   - A blocker is the text after "vướng", "khó khăn", "blocked by", "stuck
//     on", "chờ" … to the end of its sentence or to the next clause that says
//     something else; several are joined with "; ". "Không vướng mắc" and
//     questions give none, and a done task has none.
func ReadReply(text string, today Date) Reading {
	note := strings.TrimSpace(text)
	out := Reading{Note: note}
	if note == "" {
		return out
	}
	r := newReader(note)
	r.today = today
	r.scan()
	progress, hasProgress := r.progress()
	expected := r.expectedDate(today)
	if st, ok := r.wholeReplyStatus(); ok {
		out.Status = &st
	} else if st, ok := r.status(); ok {
		out.Status = &st
	}
	if hasProgress {
		out.Progress = &progress
		if out.Status != nil && !consistent(*out.Status, progress) {
			out.Status = nil
		}
	}
	out.ExpectedDate = expected
	out.Blocker = r.blockers()
	if out.Blocker != "" && out.Status != nil && *out.Status == Done {
		if r.waiting() {
			// "chốt xong báo cáo, còn chờ ký": done and still waiting
			// cannot both be certain; the wait is kept, no status is read.
			out.Status = nil
		} else {
			out.Blocker = "" // "xong, trước đó vướng mặt bằng": a past blocker
		}
	}
	out.Understood = out.Status != nil || out.Progress != nil || !out.ExpectedDate.IsZero() || out.Blocker != ""
	return out
}

// consistent reports whether a status read agrees with a percentage read
// from the same reply.
func consistent(st Status, progress int) bool {
	switch st {
	case Done:
		return progress == 100
	case NotStarted:
		return progress == 0
	case InProgress:
		return progress < 100
	}
	return true
}

// tokKind is the kind of a token.
type tokKind uint8

const (
	tWord tokKind = iota
	tNum
	tPunct
)

// token is a word, a number (digits with inner / . , -) or one other
// non-space character of the note.
type token struct {
	kind       tokKind
	text       string // as typed
	lower      string // words: lowercased, with ’ as '
	fold       string // words: Fold(lower); others: text
	accented   bool   // the word carries Vietnamese diacritics
	start, end int    // byte offsets in the note
	sent       int    // sentence number
	clause     int    // clause number, across sentences
	w          int    // index in reader.ws, or -1 for punctuation
}

// is reports whether t matches the lexicon word p.
func (t *token) is(p pword) bool {
	if t.kind == tPunct || t.fold != p.fold {
		return false
	}
	if t.accented || p.exact {
		return t.lower == p.lower
	}
	return true
}

// mention is a status phrase found in the reply.
type mention struct {
	status   Status
	asserted bool
	past     bool // "đã hoàn thành", "completed": a date beside it is not a plan
	clause   int
}

// cue is a blocker cue found in the reply.
type cue struct {
	k, n int // words
	ok   bool
}

// reader holds one reply being read.
type reader struct {
	note     string
	toks     []token
	ws       []int  // indices in toks of words and numbers
	question []bool // per sentence: it contains a question mark
	clauseLo []int  // per clause: first word index, -1 for none
	clauseHi []int  // per clause: one past the last word index

	mentions []mention
	cues     []cue
	signal   map[int]bool // clauses that say something (status, percentage, date, blocker)
	pastDone map[int]bool // clauses with an asserted past-tense "done"
	today    Date
	times    []uint8 // per clause: 0 not looked at, else timeSeen+flags
}

func newReader(note string) *reader {
	r := &reader{note: note, signal: map[int]bool{}, pastDone: map[int]bool{}}
	r.tokenize()
	return r
}

// word returns the k-th word or number.
func (r *reader) word(k int) *token { return &r.toks[r.ws[k]] }

func isSentencePunct(c rune) bool {
	switch c {
	case '.', '!', '?', ';', '…', '。', '！', '？', '；':
		return true
	}
	return false
}

func isLineBreak(c rune) bool {
	switch c {
	case '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWordRune(c rune) bool { return unicode.IsLetter(c) || unicode.IsMark(c) }

// tokenize splits the note into tokens, sentences and clauses.
func (r *reader) tokenize() {
	s := r.note
	sent, clause := 0, 0
	newSent, newClause := false, false
	r.question = []bool{false}
	r.toks = make([]token, 0, len(s)/4+1) // about one token in four bytes of Vietnamese
	r.ws = make([]int, 0, len(s)/5+1)
	add := func(t token) {
		if newSent {
			sent++
			clause++
			r.question = append(r.question, false)
		} else if newClause {
			clause++
		}
		newSent, newClause = false, false
		t.sent, t.clause, t.w = sent, clause, -1
		if t.kind != tPunct {
			t.w = len(r.ws)
			r.ws = append(r.ws, len(r.toks))
		}
		r.toks = append(r.toks, t)
	}
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isLineBreak(c):
			newSent = newSent || len(r.toks) > 0
			i += size
		case unicode.IsSpace(c):
			i += size
		case isDigit(s[i]):
			j := i + 1
			for j < len(s) {
				if isDigit(s[j]) {
					j++
				} else if strings.IndexByte("/.,-", s[j]) >= 0 && j+1 < len(s) && isDigit(s[j+1]) {
					j += 2
				} else {
					break
				}
			}
			add(token{kind: tNum, text: s[i:j], fold: s[i:j], start: i, end: j})
			i = j
		case isWordRune(c):
			j := i + size
			for j < len(s) {
				d, n := utf8.DecodeRuneInString(s[j:])
				if isWordRune(d) {
					j += n
					continue
				}
				if d == '\'' || d == '’' || d == 'ʼ' {
					if e, _ := utf8.DecodeRuneInString(s[j+n:]); j+n < len(s) && unicode.IsLetter(e) {
						j += n
						continue
					}
				}
				break
			}
			w := s[i:j]
			lower := strings.ToLower(w)
			if strings.ContainsAny(lower, "’ʼ") {
				lower = strings.ReplaceAll(strings.ReplaceAll(lower, "’", "'"), "ʼ", "'")
			}
			fold := Fold(lower)
			add(token{kind: tWord, text: w, lower: lower, fold: fold, accented: fold != lower && !hasCombining(lower), start: i, end: j})
			i = j
		default:
			t := s[i : i+size]
			add(token{kind: tPunct, text: t, fold: t, start: i, end: i + size})
			if isSentencePunct(c) {
				newSent = true
				if c == '?' || c == '？' {
					r.question[sent] = true
				}
			} else if c == ',' || c == '，' || c == '、' || c == '–' || c == '—' || (c == '-' && spaced(s, i, size)) {
				newClause = true
			}
			i += size
		}
	}
	r.clauseLo = make([]int, clause+1)
	r.clauseHi = make([]int, clause+1)
	for i := range r.clauseLo {
		r.clauseLo[i] = -1
	}
	for k := range r.ws {
		c := r.word(k).clause
		if r.clauseLo[c] < 0 {
			r.clauseLo[c] = k
		}
		r.clauseHi[c] = k + 1
	}
}

// spaced reports whether the character at s[i:i+size] stands between
// spaces, as a dash between clauses does ("xong - 100%").
func spaced(s string, i, size int) bool {
	return i > 0 && i+size < len(s) && s[i-1] == ' ' && s[i+size] == ' '
}

// hasCombining reports whether s holds a combining diacritic (decomposed
// input), whose exact spelling cannot be compared without normalising.
func hasCombining(s string) bool {
	for _, c := range s {
		if c >= 0x300 && c <= 0x36f {
			return true
		}
	}
	return false
}

// matchAt returns the length and value of the longest phrase of lx that
// starts at word k, ends by word hi and stays in k's clause; 0 for none.
func (r *reader) matchAt(lx lexicon, k, hi int) (n, val int) {
	if k < 0 || k >= hi || k >= len(r.ws) {
		return 0, 0
	}
	t := r.word(k)
	for _, e := range lx[t.fold] {
		m := len(e.words)
		if k+m > hi {
			continue
		}
		ok := true
		for j, pw := range e.words {
			u := r.word(k + j)
			if u.clause != t.clause || !u.is(pw) {
				ok = false
				break
			}
		}
		if ok {
			return m, e.val
		}
	}
	return 0, 0
}

// has reports whether a phrase of any of lxs lies within words [lo, hi).
func (r *reader) has(lo, hi int, lxs ...lexicon) bool {
	for p := max(lo, 0); p < hi; p++ {
		for _, lx := range lxs {
			if n, _ := r.matchAt(lx, p, hi); n > 0 {
				return true
			}
		}
	}
	return false
}

// window returns the first word of the look-back window before word k: at
// most size words, in k's clause, not before floor, and after the last
// conjunction ("nhưng", "and" …).
func (r *reader) window(k, size, floor int) int {
	if k >= len(r.ws) {
		return k
	}
	cl := r.word(k).clause
	lo := k
	for lo > floor && lo > k-size && r.word(lo-1).clause == cl {
		lo--
	}
	for p := k - 1; p >= lo; p-- {
		if n, _ := r.matchAt(lxBarrier, p, k); n > 0 {
			return p + n
		}
	}
	return lo
}

// trailingQuestion reports whether a question particle ends clause cl
// within two words after word end ("xong chưa ạ", "done yet"), bar
// politeness: "chưa" or "không" with more words after is no question
// ("hoàn thành không đúng hạn").
func (r *reader) trailingQuestion(end, cl int, ignoreYet bool) bool {
	for p := end; p < end+2 && p < len(r.ws) && r.word(p).clause == cl; p++ {
		n, v := r.matchAt(lxTrailQ, p, len(r.ws))
		if n == 0 || (ignoreYet && v == qYet) {
			continue
		}
		q := p + n
		for q < p+n+4 && q < len(r.ws) && r.word(q).clause == cl && (r.isParticle(q) || r.isTag(q)) {
			q++
		}
		if q == len(r.ws) || r.word(q).clause != cl {
			return true
		}
	}
	return false
}

func (r *reader) isTag(k int) bool {
	n, _ := r.matchAt(lxQuestionTag, k, k+1)
	return n > 0
}

// scan finds the status phrases and the blocker cues.
func (r *reader) scan() {
	prevEnd := 0
	for k := 0; k < len(r.ws); {
		n, c := r.matchAt(lxMain, k, len(r.ws))
		if n == 0 {
			k++
			continue
		}
		if c != cNone {
			r.phrase(k, n, c, prevEnd)
			prevEnd = k + n
		}
		k += n
	}
}

// phrase judges the phrase of class c at words [k, k+n).
func (r *reader) phrase(k, n, c, floor int) {
	t := r.word(k)
	cl := t.clause
	lo := r.window(k, 4, floor)
	question := r.question[t.sent]
	neg := r.has(lo, k, lxNeg)
	notYet := r.has(lo, k, lxNotYet)
	qual := r.has(lo, k, lxQual, lxCopula)
	ongoing := r.has(lo, k, lxOngoing)
	add := func(st Status, asserted, past bool) {
		r.mentions = append(r.mentions, mention{status: st, asserted: asserted, past: past, clause: cl})
		r.signal[cl] = true
		if asserted && past && st == Done {
			r.pastDone[cl] = true
		}
	}
	switch c {
	case cDone, cDonePast:
		partial := false
		if m, _ := r.matchAt(lxPartial, k+n, len(r.ws)); m > 0 {
			partial = true
		}
		ok := !question && !neg && !notYet && !qual && !ongoing && !partial && !r.trailingQuestion(k+n, cl, false) &&
			!r.find(lo, k, lxHedge) && !r.find(k+n, r.sentEnd(k+n), lxHedgeAfter) && !r.directed(k) &&
			!r.planned(lo, k, n, c == cDonePast)
		add(Done, ok, c == cDonePast)
	case cInProgress:
		ok := !question && !neg && !notYet && !qual && !r.trailingQuestion(k+n, cl, false)
		add(InProgress, ok, false)
	case cStart, cStarted:
		switch {
		case neg || qual:
			// "không triển khai", "sẽ triển khai": nothing certain.
		case notYet:
			if !question && !r.trailingQuestion(k+n, cl, true) {
				add(NotStarted, true, false)
			}
		case ongoing || c == cStarted:
			if !question && !r.trailingQuestion(k+n, cl, false) {
				add(InProgress, true, false)
			}
		}
	case cStop, cCarry, cCarryAlone:
		st := ProposedStop
		if c != cStop {
			st = ProposedCarryover
		}
		pp, pn := r.proposer(k, floor)
		if pp < 0 && c != cCarryAlone {
			return // "dừng" alone is no proposal
		}
		// Hedges and negations are looked for before the proposing verb and
		// between it and the verb, not in it ("de xuat" is not "để").
		hedged := r.has(lo, k, lxNeg, lxNotYet, lxQual)
		if pp >= 0 {
			from := r.window(pp, 3, floor)
			hedged = r.has(from, pp, lxNeg, lxNotYet, lxQual) || r.has(pp+pn, k, lxNeg, lxNotYet, lxQual)
		}
		ok := !question && !hedged && !r.trailingQuestion(k+n, cl, false)
		add(st, ok, false)
	case cBlocker:
		ok := !question && !neg && !notYet && !qual && !r.has(lo, k, lxBlkNeg) && !r.trailingQuestion(k+n, cl, false)
		if m, _ := r.matchAt(lxAnything, k+n, len(r.ws)); m > 0 {
			ok = false // "vướng mắc gì": only negations and questions say so
		}
		r.signal[cl] = true
		if len(r.cues) > 0 {
			// "không có khó khăn, vướng mắc": a list of cues shares its negation.
			prev := &r.cues[len(r.cues)-1]
			if r.word(prev.k).sent == t.sent && r.onlyJoins(prev.k+prev.n, k) {
				prev.ok = prev.ok && ok
				prev.n = k + n - prev.k
				return
			}
		}
		r.cues = append(r.cues, cue{k: k, n: n, ok: ok})
	}
}

// onlyJoins reports whether words [lo, hi) are all "và", "hoặc", "and" …
func (r *reader) onlyJoins(lo, hi int) bool {
	for p := lo; p < hi; {
		n, _ := r.matchAt(lxJoin, p, hi)
		if n == 0 {
			return false
		}
		p += n
	}
	return true
}

// find reports whether a phrase of value 1 of lx lies within words [lo,
// hi), reading from lo and skipping the longer phrases of other values
// ("khó khăn" is no "khó", "Ban Chỉ đạo" no "chỉ đạo").
func (r *reader) find(lo, hi int, lx lexicon) bool {
	for p := max(lo, 0); p < hi; {
		n, v := r.matchAt(lx, p, hi)
		if n == 0 {
			p++
			continue
		}
		if v == 1 {
			return true
		}
		p += n
	}
	return false
}

// sentEnd returns one past the last word of word k's sentence.
func (r *reader) sentEnd(k int) int {
	if k >= len(r.ws) {
		return k
	}
	sent := r.word(k).sent
	for k < len(r.ws) && r.word(k).sent == sent {
		k++
	}
	return k
}

// directed reports whether the sentence of the phrase at word k asks or
// tells someone to act ("Đề nghị Sở Nội vụ khẩn trương hoàn thành",
// "please complete"): an instruction, not a report, wherever the unit's name
// puts the verb.
func (r *reader) directed(k int) bool {
	sent := r.word(k).sent
	lo := k
	for lo > 0 && r.word(lo-1).sent == sent {
		lo--
	}
	return r.find(lo, k, lxDirective)
}

// Flags of reader.times.
const (
	timeSeen  = 1 << iota // the clause was looked at
	timePlan              // it names a time ahead ("mai", "tuần sau", "next week")
	timeMaybe             // it names a time that may lie ahead ("thứ 6", "cuối tháng")
)

// planned reports whether the "done" or percentage of n words at word k,
// whose look-back window starts at lo, is a plan for a time ahead rather
// than a report: its clause names a time ahead ("mai xong", "xong trước
// Tết", "done by Friday", "tuần sau đạt 80%"), or a time that may lie ahead
// and it is not in the past tense ("chiều nay xong" is a promise, "chiều nay
// xong rồi" a report).
func (r *reader) planned(lo, k, n int, past bool) bool {
	cl := r.word(k).clause
	if r.times == nil {
		r.times = make([]uint8, len(r.clauseLo))
	}
	if r.times[cl] == 0 {
		r.times[cl] = timeSeen
		for p, hi := r.clauseLo[cl], r.clauseHi[cl]; p < hi; {
			m, v := r.timeAt(p, hi)
			switch {
			case m == 0:
				p++
				continue
			case v == tmPlan:
				r.times[cl] |= timePlan
			case v == tmMaybe:
				r.times[cl] |= timeMaybe
			}
			p += m
		}
	}
	switch {
	case r.times[cl]&timePlan != 0:
		return true
	case r.times[cl]&timeMaybe == 0:
		return false
	}
	if past || r.find(lo, k, lxPastAux) {
		return false
	}
	// "xong rồi", "done already": a report, whenever it happened.
	for p := k + n; p < k+n+3 && p < len(r.ws) && r.word(p).clause == cl; p++ {
		if m, _ := r.matchAt(lxPastAfter, p, len(r.ws)); m > 0 {
			return false
		}
	}
	return true
}

// timeAt returns the length and class (tmPlan, tmMaybe, tmPast) of the time
// phrase that starts at word k and ends by word hi; 0 for none. A time that
// may lie ahead followed by words that place it takes their class ("thứ 6
// tuần trước" is past, "cuối tuần sau" ahead).
func (r *reader) timeAt(k, hi int) (n, class int) {
	t := r.word(k)
	n, class = r.matchAt(lxTime, k, hi)
	if n > 0 && t.fold == "mai" && r.isName(k) {
		n, class = 0, 0 // "chị Mai đã hoàn thành"
	}
	if n == 0 {
		n, class = r.timeWithNumber(k, hi)
	}
	if n == 0 || class != tmMaybe {
		return n, class
	}
	if m, v := r.matchAt(lxTime, k+n, hi); m > 0 && v != tmMaybe {
		return n + m, v
	}
	if m, v := r.matchAt(lxTimeAfter, k+n, hi); m > 0 && (v != tmPast || !r.anchored(k+n+m, hi)) {
		return n + m, v
	}
	return n, class
}

// anchored reports whether word k, before hi, is a number or a word that
// "trước" or "qua" before it may point to.
func (r *reader) anchored(k, hi int) bool {
	if k >= hi {
		return false
	}
	if r.word(k).kind == tNum {
		return true
	}
	n, _ := r.matchAt(lxTimeAnchor, k, hi)
	return n > 0
}

// isName reports whether word k is capitalised inside its sentence, as a
// person's name is ("chị Mai").
func (r *reader) isName(k int) bool {
	t := r.word(k)
	c, _ := utf8.DecodeRuneInString(t.text)
	return unicode.IsUpper(c) && k > 0 && r.word(k-1).sent == t.sent
}

// timeWithNumber reads the time phrases that hold a number: "thứ 6" (a
// weekday), "quý 4", "tháng 12" (ahead when it is this month or one of the
// next five), "in 2 weeks".
func (r *reader) timeWithNumber(k, hi int) (int, int) {
	if k+1 >= hi {
		return 0, 0
	}
	t, u := r.word(k), r.word(k+1)
	if u.clause != t.clause {
		return 0, 0
	}
	num, _, _ := strings.Cut(u.text, "/")
	if u.kind == tNum && len(num) <= 2 && strings.Trim(num, "0123456789") == "" {
		v, _ := ParsePercent(num)
		switch t.fold {
		case "thu":
			if v >= 2 && v <= 7 && len(u.text) == 1 {
				return 2, tmMaybe
			}
		case "quy":
			if v >= 1 && v <= 4 {
				return 2, tmMaybe
			}
		case "thang":
			if v < 1 || v > 12 || (k > 0 && r.word(k-1).kind == tNum && r.word(k-1).clause == t.clause) {
				return 0, 0 // "30 tháng 11" is a date, read as one
			}
			ahead := (v - int(r.today.Month) + 12) % 12
			if _, year, ok := strings.Cut(u.text, "/"); ok {
				y, err := strconv.Atoi(year)
				if err != nil || len(year) != 4 {
					return 2, 0
				}
				ahead = (y-r.today.Year)*12 + v - int(r.today.Month)
			}
			if ahead >= 0 && ahead <= 5 {
				return 2, tmMaybe
			}
			return 2, tmPast
		}
	}
	if t.fold != "in" || k+2 >= hi {
		return 0, 0
	}
	// "in 2 weeks", "in a couple of days": ahead, or how long it took.
	for p := k + 1; p < k+5 && p < hi && r.word(p).clause == t.clause; {
		if m, _ := r.matchAt(lxTimeUnit, p, hi); m > 0 {
			return p + m - k, tmMaybe
		}
		if r.word(p).kind == tNum {
			p++
			continue
		}
		m, _ := r.matchAt(lxFew, p, hi)
		if m == 0 {
			return 0, 0
		}
		p += m
	}
	return 0, 0
}

// proposer returns the first word and the length of the proposing verb
// ("đề xuất", "xin", "propose" …) nearest before word k in its clause, or
// -1.
func (r *reader) proposer(k, floor int) (int, int) {
	lo := r.window(k, 8, floor)
	for p := k - 1; p >= lo; p-- {
		if n, _ := r.matchAt(lxPropose, p, k); n > 0 {
			return p, n
		}
	}
	return -1, 0
}

// status decides the status from the mentions.
func (r *reader) status() (Status, bool) {
	asserted := map[Status]bool{}
	doubted := map[Status]bool{}
	for _, m := range r.mentions {
		if m.asserted {
			asserted[m.status] = true
		} else {
			doubted[m.status] = true
		}
	}
	for st := range doubted {
		delete(asserted, st)
	}
	if asserted[ProposedStop] || asserted[ProposedCarryover] {
		delete(asserted, InProgress)
		delete(asserted, NotStarted)
	}
	if len(asserted) != 1 {
		return "", false
	}
	for st := range asserted {
		return st, true
	}
	return "", false
}

// wholeReplyStatus reads a reply that is nothing but a status name that
// ParseStatus knows ("in_progress", "dừng", "đã thực hiện"), apart from
// politeness and punctuation. Decisions come back as proposals; aliases too
// vague for free text ("ok", "new", "open", "todo", "triển khai") are left
// to the rules.
func (r *reader) wholeReplyStatus() (Status, bool) {
	if r.question[0] || len(r.question) > 1 {
		return "", false
	}
	lo, hi := 0, len(r.ws)
	for hi > lo && r.isParticle(hi-1) {
		hi--
	}
	for lo < hi && r.isParticle(lo) {
		lo++
	}
	if lo >= hi || hi-lo > 6 {
		return "", false
	}
	words := make([]string, 0, hi-lo)
	for k := lo; k < hi; k++ {
		if r.word(k).kind != tWord {
			return "", false
		}
		words = append(words, r.word(k).lower)
	}
	phrase := strings.Join(words, " ")
	switch Fold(phrase) {
	case "ok", "new", "open", "todo", "trien khai":
		return "", false
	}
	st, ok := ParseStatus(phrase)
	if !ok {
		st, ok = ParseStatus(strings.Join(words, "_"))
	}
	if !ok {
		return "", false
	}
	switch st {
	case Stopped:
		st = ProposedStop
	case CarriedOver:
		st = ProposedCarryover
	}
	return st, true
}

func (r *reader) isParticle(k int) bool {
	n, _ := r.matchAt(lxParticle, k, k+1)
	return n > 0
}

// percentHundredths reads "60", "74,2" or "74.25" as hundredths; ok is
// false for any other number form ("20-60", "47/79", "1.207").
func percentHundredths(s string) (int, bool) {
	if n, ok := ParsePercent(s); ok && !strings.ContainsAny(s, "%+-") {
		return n * 100, true
	}
	if strings.Trim(s, "0123456789") == "" {
		return 101 * 100, true // too long for ParsePercent: out of range
	}
	i := strings.IndexAny(s, ".,")
	if i < 1 || i > 3 || len(s)-i-1 < 1 || len(s)-i-1 > 2 || strings.Trim(s[:i]+s[i+1:], "0123456789") != "" {
		return 0, false
	}
	whole, _ := ParsePercent(s[:i])
	frac, _ := ParsePercent(s[i+1:])
	if len(s)-i-1 == 1 {
		frac *= 10
	}
	return whole*100 + frac, true
}

// progress finds the one percentage the reply gives.
func (r *reader) progress() (int, bool) {
	var found []int
	for k := range r.ws {
		t := r.word(k)
		if t.kind != tNum {
			continue
		}
		ti := r.ws[k]
		after := k + 1
		isPct := ti+1 < len(r.toks) && (r.toks[ti+1].text == "%" || r.toks[ti+1].text == "％")
		if !isPct {
			if n, _ := r.matchAt(lxPctWord, k+1, len(r.ws)); n > 0 {
				isPct, after = true, k+1+n
			}
		}
		byKeyword := !isPct && r.afterProgressKeyword(k)
		lone := !isPct && !byKeyword && r.loneNumber(k)
		if !isPct && !byKeyword && !lone {
			continue
		}
		r.signal[t.clause] = true
		v, ok := percentHundredths(t.text)
		if !ok || v > 100*100 || r.negative(ti) || r.question[t.sent] {
			continue
		}
		if (byKeyword || lone) && v%100 != 0 {
			continue
		}
		if isPct && !r.assertedPercent(k, after) {
			continue
		}
		if byKeyword && r.planned(r.window(k, 5, 0), k, 1, false) {
			continue // "tuần sau tiến độ 100": a target
		}
		found = append(found, v)
	}
	if len(found) == 0 {
		return 0, false
	}
	for _, v := range found[1:] {
		if v != found[0] {
			return 0, false
		}
	}
	return found[0] / 100, true
}

// assertedPercent reports whether the percentage at word k (its words end
// before word after) states the task's progress rather than a target, a
// comparison or something left to do.
func (r *reader) assertedPercent(k, after int) bool {
	lo := r.window(k, 4, 0)
	if r.planned(lo, k, after-k, false) {
		return false // "mai xong 100%", "tuần sau lên 80%": a target
	}
	for p := lo; p < k; p++ {
		if n, _ := r.matchAt(lxPctCurrent, p, k); n > 0 && p+n == k {
			return true
		}
	}
	if r.has(lo, k, lxNeg, lxNotYet, lxQual, lxPctDrop) {
		return false
	}
	cl := r.word(k).clause
	for p := after; p < after+2 && p < len(r.ws) && r.word(p).clause == cl; p++ {
		for _, lx := range []lexicon{lxPctAfter, lxNeg, lxNotYet} {
			if n, _ := r.matchAt(lx, p, len(r.ws)); n > 0 {
				return false
			}
		}
	}
	return true
}

// negative reports whether a minus sign stands right before the number at
// token ti ("-5%"), rather than inside a word or range ("CCHC-5").
func (r *reader) negative(ti int) bool {
	if ti < 1 {
		return false
	}
	m := r.toks[ti-1]
	if m.kind != tPunct || m.end != r.toks[ti].start || (m.text != "-" && m.text != "−" && m.text != "–") {
		return false
	}
	if ti >= 2 {
		p := r.toks[ti-2]
		if p.kind != tPunct && p.end == m.start {
			return false
		}
	}
	return true
}

// afterProgressKeyword reports whether the whole number at word k follows
// "tiến độ" or "progress" (with only filler words between) and ends its
// clause, bar politeness.
func (r *reader) afterProgressKeyword(k int) bool {
	cl := r.word(k).clause
	if k+1 < len(r.ws) && r.word(k+1).clause == cl && !r.isParticle(k+1) {
		return false
	}
	lo := r.window(k, 5, 0)
	for p := k - 1; p >= lo; p-- {
		n, _ := r.matchAt(lxProgressKw, p, k)
		if n == 0 {
			continue
		}
		q := p + n
		for q < k {
			m, _ := r.matchAt(lxFiller, q, k)
			if m == 0 {
				break
			}
			q += m
		}
		if q == k {
			return true
		}
	}
	return false
}

// loneNumber reports whether the reply is the number at word k and
// politeness only ("80", "80 ạ").
func (r *reader) loneNumber(k int) bool {
	for p := range r.ws {
		if p != k && !r.isParticle(p) {
			return false
		}
	}
	return len(r.question) == 1
}

// expectedDate finds the one date the reply gives as the expected end.
func (r *reader) expectedDate(today Date) Date {
	var found []Date
	future := map[int]bool{}  // clauses holding a date of today or later
	planned := map[int]bool{} // clauses that say when the work will end
	judged := map[int]bool{}  // clauses whose words were looked at
	for k := range r.ws {
		t := r.word(k)
		raw := r.dateText(k)
		if raw == "" {
			continue
		}
		d, err := ParseDate(raw, today)
		if err != nil {
			continue
		}
		cl := t.clause
		r.signal[cl] = true
		if d.Before(today) {
			continue
		}
		// "xong 15/11" sent on 24/11 tells of the past 15/11, although
		// ParseDate reads DD/MM as the coming one.
		if yearless := strings.Count(raw, "/") == 1; today.Before(d) && !(yearless && today.DaysUntil(d) > 183) {
			future[cl] = true
		}
		if !judged[cl] {
			judged[cl] = true
			lo, hi := r.clauseLo[cl], r.clauseHi[cl]
			planned[cl] = r.has(lo, hi, lxDateCue) && !r.has(lo, hi, lxNeg, lxNotYet) &&
				(!r.has(lo, hi, lxStartOnly) || r.has(lo, hi, lxFinish))
		}
		if planned[cl] && !r.question[t.sent] && !r.pastDone[cl] {
			found = append(found, d)
		}
	}
	// A "done" that is not in the past tense beside a later date is a plan
	// ("hoàn thành trước 30/11"), not a report.
	for i, m := range r.mentions {
		if m.status == Done && m.asserted && !m.past && future[m.clause] {
			r.mentions[i].asserted = false
		}
	}
	if len(found) == 0 {
		return Date{}
	}
	for _, d := range found[1:] {
		if d != found[0] {
			return Date{}
		}
	}
	return found[0]
}

// dateText returns the date written at word k for ParseDate ("30/11",
// "2025-11-30", "30.11.2025", "30 tháng 11 năm 2025" as "30/11/2025"), or
// "" when none starts there. A number followed by % is never a date.
func (r *reader) dateText(k int) string {
	t := r.word(k)
	if t.kind != tNum {
		return ""
	}
	ti := r.ws[k]
	if ti+1 < len(r.toks) && (r.toks[ti+1].text == "%" || r.toks[ti+1].text == "％") {
		return ""
	}
	s := t.text
	switch {
	case strings.ContainsRune(s, ','):
		return ""
	case strings.ContainsRune(s, '/'):
		if c := strings.Count(s, "/"); c == 1 || c == 2 {
			return s
		}
		return ""
	case strings.Count(s, "-") == 2, strings.Count(s, ".") == 2:
		return s
	case strings.ContainsAny(s, ".-"):
		return ""
	}
	// "30 tháng 11 [năm 2025]"
	if len(s) > 2 {
		return ""
	}
	n, _ := r.matchAt(lxMonth, k+1, len(r.ws))
	if n == 0 || k+1+n >= len(r.ws) {
		return ""
	}
	m := r.word(k + 1 + n)
	if m.kind != tNum || len(m.text) > 2 || strings.Trim(m.text, "0123456789") != "" || m.clause != t.clause {
		return ""
	}
	date := s + "/" + m.text
	y := k + 2 + n
	if yn, _ := r.matchAt(lxYear, y, len(r.ws)); yn > 0 && y+yn < len(r.ws) {
		if yt := r.word(y + yn); yt.kind == tNum && len(yt.text) == 4 && strings.Trim(yt.text, "0123456789") == "" {
			date += "/" + yt.text
		}
	}
	return date
}

// blockers returns the text of every asserted blocker cue, joined by "; ".
func (r *reader) blockers() string {
	var out []string
	used := 0 // tokens before this were taken by an earlier blocker
	for _, c := range r.cues {
		if !c.ok || r.ws[c.k] < used {
			continue
		}
		text, end := r.blockerText(c)
		used = end
		if text != "" && !contains(out, text) {
			out = append(out, text)
		}
	}
	return strings.Join(out, "; ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// blockerText returns the text a blocker cue introduces and the token where
// it ends.
func (r *reader) blockerText(c cue) (string, int) {
	first := r.word(c.k)
	sent, cl := first.sent, first.clause
	p := r.ws[c.k+c.n-1] + 1
	if w := r.waitWord(c.k, c.n); w >= 0 {
		p = r.ws[w] // "đang chờ kinh phí": what is awaited reads "chờ kinh phí"
	}
	for p < len(r.toks) && r.toks[p].sent == sent && p > r.ws[c.k+c.n-1] {
		t := r.toks[p]
		if t.kind == tPunct {
			if strings.Contains(":-–—,", t.text) {
				p++
				continue
			}
			break
		}
		if n, _ := r.matchAt(lxConnector, t.w, len(r.ws)); n > 0 {
			p = r.ws[t.w+n-1] + 1
			continue
		}
		if n, v := r.matchAt(lxMain, t.w, len(r.ws)); n > 0 && v == cBlocker {
			if w := r.waitWord(t.w, n); w >= 0 {
				p = r.ws[w] // "vướng: chờ Sở Tài chính" keeps "chờ"
				break
			}
			p = r.ws[t.w+n-1] + 1
			continue
		}
		break
	}
	end := p
	for end < len(r.toks) && r.toks[end].sent == sent && (r.toks[end].clause == cl || !r.signal[r.toks[end].clause]) {
		end++
	}
	if e := r.trimEnd(p, end); e > p {
		return r.note[r.toks[p].start:r.toks[e-1].end], end
	}
	// Nothing after the cue ("đang gặp khó khăn ạ"): the sentence is the blocker.
	start := r.ws[c.k]
	for start > 0 && r.toks[start-1].sent == sent {
		start--
	}
	if e := r.trimEnd(start, end); e > start {
		return r.note[r.toks[start].start:r.toks[e-1].end], end
	}
	return "", end
}

// waiting reports whether an asserted blocker cue of the reply is a wait.
func (r *reader) waiting() bool {
	for _, c := range r.cues {
		if c.ok && r.waitWord(c.k, c.n) >= 0 {
			return true
		}
	}
	return false
}

// waitWord returns the index of the word "chờ" or "waiting" in the cue of
// n words at k, or -1: a blocker that is a wait names what it waits for, and
// the wait itself is part of it.
func (r *reader) waitWord(k, n int) int {
	for i := k; i < k+n && i < len(r.ws); i++ {
		if f := r.word(i).fold; f == "cho" || f == "waiting" {
			return i
		}
	}
	return -1
}

// trimEnd drops trailing punctuation, emoji and politeness ("ạ", "anh ạ")
// from tokens [p, end) and returns the new end.
func (r *reader) trimEnd(p, end int) int {
	polite := false
	for end > p {
		t := r.toks[end-1]
		switch {
		case t.kind == tPunct && !strings.Contains(")]}”’\"'»›%", t.text):
			end--
		case t.kind == tWord && r.isParticle(t.w) && !r.isAddress(t.w):
			end--
			polite = true
		case t.kind == tWord && polite && r.isAddress(t.w):
			end--
			polite = false
		default:
			return end
		}
	}
	return end
}

func (r *reader) isAddress(k int) bool {
	n, _ := r.matchAt(lxAddress, k, k+1)
	return n > 0
}

// Phrase classes of lxMain.
const (
	cNone       = iota + 1 // a compound that hides a keyword ("sử dụng", "tỷ lệ hoàn thành")
	cDone                  // "xong", "hoàn thành", "done"
	cDonePast              // "đã hoàn thành", "completed"
	cInProgress            // "in progress", "đã bắt đầu"
	cStart                 // a start verb: negated means not started, after "đang" in progress
	cStarted               // a start verb that alone means in progress ("started")
	cStop                  // a stop verb: a proposal after a proposing verb
	cCarry                 // a carry-over verb: a proposal after a proposing verb
	cCarryAlone            // a carry-over phrase that is a proposal by itself
	cBlocker               // a blocker cue
)

// qYet marks "yet" among trailing question words: "not started yet" is no
// question.
const qYet = 2

// pword is one word of a lexicon phrase.
type pword struct {
	lower, fold string
	exact       bool // must be typed with these diacritics ("à" is not "ạ")
}

type entry struct {
	words []pword
	val   int
}

// lexicon maps the folded first word of its phrases to them, longest first.
type lexicon map[string][]entry

// newLexicon builds a lexicon of phrases with value val; a word written
// "=à" must be typed exactly.
func newLexicon(val int, phrases ...string) lexicon {
	lx := lexicon{}
	lx.add(val, phrases...)
	return lx
}

func (lx lexicon) add(val int, phrases ...string) lexicon {
	for _, ph := range phrases {
		var e entry
		for _, w := range strings.Fields(ph) {
			exact := strings.HasPrefix(w, "=")
			lower := strings.ToLower(strings.TrimPrefix(w, "="))
			e.words = append(e.words, pword{lower: lower, fold: Fold(lower), exact: exact})
		}
		if len(e.words) == 0 {
			continue
		}
		e.val = val
		key := e.words[0].fold
		lx[key] = append(lx[key], e)
		sort.SliceStable(lx[key], func(i, j int) bool { return len(lx[key][i].words) > len(lx[key][j].words) })
	}
	return lx
}

// The vocabulary. Phrases are written with their diacritics; see ReadReply
// for how they are matched.
var (
	lxMain = newLexicon(cDone,
		"xong", "xong xuôi", "hoàn thành", "hoàn thành xong", "hoàn tất", "làm xong",
		"thực hiện xong", "triển khai xong", "thi công xong", "done", "all done",
	).add(cDonePast,
		"đã xong", "đã hoàn thành", "đã hoàn thành xong", "đã được hoàn thành", "đã hoàn tất",
		"đã làm xong", "đã thực hiện xong", "đã triển khai xong", "đã thi công xong", "đã finish", "finished",
		"completed",
	).add(cInProgress,
		"in progress", "work in progress", "ongoing", "on going", "underway", "under way",
		"working on", "đã bắt đầu", "đã bắt đầu triển khai", "đã bắt đầu thực hiện", "đã khởi công",
	).add(cStart,
		"triển khai", "thực hiện", "triển khai thực hiện", "làm", "tiến hành", "bắt đầu",
		"khởi công", "thi công", "start", "begin", "implement", "implemented", "implementing",
	).add(cStarted,
		"started", "begun",
	).add(cStop,
		"dừng", "dừng thực hiện", "dừng triển khai", "dừng lại", "stop", "stopping",
		"cancel", "cancelling", "canceling", "cancellation", "discontinue", "discontinuing",
		"hủy", "huỷ", "hủy bỏ", "huỷ bỏ",
	).add(cCarry,
		"chuyển tiếp", "chuyển sang năm", "chuyển qua năm", "carry forward",
	).add(cCarryAlone,
		"chuyển tiếp sang", "chuyển tiếp qua", "carry over", "carryover", "carried over",
		"carry it over", "roll over", "rolled over",
	).add(cBlocker,
		"vướng", "vướng mắc", "bị vướng", "gặp vướng mắc", "khó khăn", "gặp khó khăn",
		"trở ngại", "gặp trở ngại", "ách tắc", "=chờ", "đang chờ", "còn chờ",
		"blocked", "blocked by", "blocked on", "stuck", "stuck on", "stuck with", "stuck at",
		"waiting for", "waiting on", "held up", "held up by", "blocker", "blockers",
		"obstacle", "obstacles", "bottleneck",
	).add(cNone,
		"sử dụng", "áp dụng", "ứng dụng", "tuyển dụng", "xây dựng", "tín dụng", "nội dung",
		"vận dụng", "trưng dụng", "dung lượng", "đúng hạn", "đúng tiến độ",
		"tỷ lệ hoàn thành", "tỉ lệ hoàn thành", "tiến độ hoàn thành", "khối lượng hoàn thành",
		"thời hạn hoàn thành", "hạn hoàn thành", "ngày hoàn thành", "thời gian hoàn thành",
		"kế hoạch triển khai", "stop by",
	)

	lxNotYet = newLexicon(1,
		"chưa", "chưa hề", "vẫn chưa", "not", "not yet", "yet to", "never",
		"haven't", "hasn't", "hadn't", "didn't", "isn't", "aren't", "wasn't", "weren't",
		"havent", "hasnt", "hadnt", "didnt", "isnt", "arent", "wasnt", "werent",
	)
	lxNeg = newLexicon(1,
		"không", "ko", "k", "khg", "hông", "hok", "chẳng", "chả", "chưa thể", "không thể",
		"cannot", "can't", "cant", "won't", "wont", "don't", "dont", "doesn't", "doesnt",
		"no", "without", "unable", "failed", "fail", "không còn", "no longer",
	)
	lxQual = newLexicon(1,
		"sắp", "gần", "sẽ", "cần", "phải", "phấn đấu", "dự kiến", "dự tính", "kế hoạch",
		"mục tiêu", "cố gắng", "mong", "hy vọng", "hi vọng", "chuẩn bị", "tiến tới", "nhằm",
		"để", "khi nào", "bao giờ", "liệu", "nếu", "khi", "cơ bản", "bước đầu", "một phần",
		"phần lớn", "hầu hết", "có thể", "chắc", "hình như", "có lẽ", "tạm", "yêu cầu", "giao",
		"đôn đốc",
		"almost", "nearly", "about to", "going to", "will", "would", "should", "shall", "must",
		"need", "needs", "plan", "plans", "planned", "planning", "expect", "expected",
		"expecting", "hope", "hoping", "try", "trying", "aim", "aiming", "target", "if", "when",
		"once", "whether", "partly", "partially", "half", "mostly", "soon", "can", "could",
		"may", "might", "maybe", "probably", "perhaps", "ready to",
	)
	lxCopula  = newLexicon(1, "là", "to")
	lxOngoing = newLexicon(1,
		"đang", "vẫn đang", "hiện đang", "còn đang", "vẫn", "tiếp tục", "still", "currently",
		"is being", "are being", "being",
	)
	lxPropose = newLexicon(1,
		"đề xuất", "đề nghị", "kiến nghị", "xin", "xin phép", "propose", "proposed", "proposes",
		"proposing", "suggest", "suggests", "suggested", "suggesting", "request", "requests",
		"requested", "requesting", "recommend", "recommends", "recommended", "recommending",
	)
	lxBarrier = newLexicon(1,
		"nhưng", "mà", "và", "nên", "=thì", "vì", "vì vậy", "do đó", "tuy", "tuy nhiên", "song",
		"but", "and", "so", "because", "however", "though", "although", "while",
	)
	lxTrailQ = newLexicon(1,
		"chưa", "không", "ko", "k", "hông", "hok", "chăng", "=hả", "=à", "=chứ", "=nhỉ",
		"hay chưa", "hay không", "or not",
	).add(qYet, "yet")
	lxPartial = newLexicon(1,
		"giai đoạn", "phase", "phần", "part", "bước", "step", "hạng mục", "một số", "một phần",
		"some", "most", "half", "cơ bản", "phần lớn", "hầu hết", "partially", "partly",
		"mostly", "đợt", "nội dung",
	)
	lxDateCue = newLexicon(1,
		"dự kiến", "dự tính", "sẽ", "trước", "trước ngày", "chậm nhất", "hạn", "kịp",
		"phấn đấu", "đến ngày", "gia hạn", "expected", "expect", "expects", "expecting", "eta",
		"by", "before", "will", "deadline", "target", "no later than", "latest",
	)
	lxFinish = newLexicon(1,
		"xong", "hoàn thành", "hoàn tất", "done", "finish", "finished", "complete", "completed",
		"completion",
	)
	lxStartOnly = newLexicon(1,
		"bắt đầu", "khởi công", "start", "starting", "begin", "begins", "kick off", "commence",
	)
	lxPctDrop = newLexicon(1,
		"từ", "tăng", "giảm", "xuống", "còn", "còn lại", "thiếu", "tối thiểu", "tối đa", "trên",
		"dưới", "hơn", "chỉ tiêu", "trước", "at least", "at most", "over", "above", "under",
		"below", "more than", "less than", "from", "by", "up", "down", "increase", "increased",
		"decrease", "decreased", "remaining", "last", "previously",
	)
	lxPctAfter   = newLexicon(1, "còn lại", "nữa", "remaining", "left", "more", "to go")
	lxPctCurrent = newLexicon(1, "lên", "to", "now", "nay", "hiện", "hiện tại", "hiện nay", "currently")
	lxPctWord    = newLexicon(1, "phần trăm", "percent", "per cent", "pct")
	lxProgressKw = newLexicon(1, "tiến độ", "progress")
	lxFiller     = newLexicon(1,
		"đạt", "là", "hiện", "hiện tại", "hiện nay", "khoảng", "được", "đã", "thực hiện", "chung",
		"đến nay", "tới nay", "is", "at", "now", "of", "about", "around", "currently", "reached",
	)
	lxParticle  = newLexicon(1, "ạ", "nhé", "nha", "nhe", "ah", "ak", "anh", "chị", "em", "sếp")
	lxAddress   = newLexicon(1, "anh", "chị", "em", "sếp")
	lxConnector = newLexicon(1,
		"về", "do", "ở", "bởi", "bởi vì", "vì", "là", "tại", "với", "trong", "by", "on", "with",
		"at", "for", "in", "due to", "because of", "of",
	)
	lxBlkNeg = newLexicon(1,
		"hết", "đã hết", "tháo gỡ", "đã tháo gỡ", "giải quyết", "khắc phục", "resolved", "fixed",
		"cleared", "unblocked",
	)
	lxAnything    = newLexicon(1, "gì", "gì cả", "nào", "any", "anything")
	lxJoin        = newLexicon(1, "và", "hoặc", "hay", "cũng như", "and", "or")
	lxQuestionTag = newLexicon(1, "vậy", "thế", "=à", "=hả", "=nhỉ", "=chứ", "nữa", "rồi")
	lxMonth       = newLexicon(1, "tháng")
	lxYear        = newLexicon(1, "năm")

	// Hedges and directives before a "done" in its window: it is hoped for,
	// urged or hard, not reported. Phrases of value 2 hide a hedge ("khó
	// khăn", "Kho bạc").
	lxHedge = newLexicon(1,
		"khó", "=chờ", "=cố", "ráng", "đợi", "khẩn trương", "nhanh chóng", "tập trung",
		"đảm bảo", "bảo đảm", "cam kết", "quyết tâm", "hứa", "tranh thủ", "dự định", "muốn",
		"hopefully", "likely", "supposed", "supposedly", "think", "guess", "believe", "suppose",
		"assume", "wish", "want", "wants", "intend", "intends", "promise", "ensure", "commit",
		"pending", "awaiting",
	).add(2, "khó khăn", "kho bạc", "nhà kho", "kho lưu trữ", "kho dữ liệu")
	// Hedges after a "done", in its sentence: "xong rồi thì phải".
	lxHedgeAfter = newLexicon(1,
		"thì phải", "hình như", "có lẽ", "chắc vậy", "chắc thế", "chắc là vậy", "chưa chắc",
		"không chắc", "probably", "maybe", "perhaps", "hopefully", "i think", "i guess",
		"i believe", "i hope", "not sure",
	)
	// Directives anywhere before a "done" in its sentence: "Đề nghị Sở Kế
	// hoạch và Đầu tư hoàn thành".
	lxDirective = newLexicon(1,
		"đề nghị", "yêu cầu", "đôn đốc", "chỉ đạo", "đề xuất", "kiến nghị", "please", "kindly",
	).add(2, "ban chỉ đạo", "theo chỉ đạo", "sự chỉ đạo", "thực hiện chỉ đạo", "ý kiến chỉ đạo",
		"văn bản chỉ đạo", "theo yêu cầu", "đúng yêu cầu", "đạt yêu cầu", "đáp ứng yêu cầu",
		"thực hiện yêu cầu", "theo đề nghị", "theo đề xuất", "theo kiến nghị")

	// Times in the clause of a "done". tmPlan: ahead, the done is a plan;
	// tmMaybe: maybe ahead, a plan unless the done is in the past tense;
	// tmPast: behind, read so that its words are not taken for a time ahead.
	lxTime = newLexicon(tmPlan,
		"mai", "ngày mai", "sáng mai", "trưa mai", "chiều mai", "tối mai", "mai mốt", "ngày kia",
		"ngày =mốt", "hôm =mốt", "tuần sau", "tháng sau", "năm sau", "quý sau", "kỳ sau",
		"đợt sau", "tuần tới", "tháng tới", "năm tới", "quý tới", "kỳ tới", "thời gian tới",
		"sắp tới", "sau tết", "ra tết", "qua tết",
		"ngày nữa", "hôm nữa", "bữa nữa", "buổi nữa", "tuần nữa", "tháng nữa", "năm nữa",
		"quý nữa", "giờ nữa", "tiếng nữa", "phút nữa", "lát nữa", "chút nữa", "tí nữa",
		"xíu nữa", "ít nữa",
		"tomorrow", "tmr", "tmrw", "next", "soon", "shortly", "later", "upcoming", "coming",
		"tonight", "asap", "by monday", "by tuesday", "by wednesday", "by thursday", "by friday",
		"by saturday", "by sunday", "by tomorrow", "by tonight", "by the end", "by end", "by eod",
		"by eow", "by cob", "by next", "by then", "by noon", "by the weekend", "by weekend",
	).add(tmMaybe,
		"sáng nay", "trưa nay", "chiều nay", "tối nay", "đêm nay", "trong ngày", "cuối ngày",
		"cuối giờ", "tuần này", "tháng này", "năm nay", "quý này", "trong tuần", "trong tháng",
		"trong năm", "trong quý", "cuối tuần", "cuối tháng", "cuối năm", "cuối quý", "đầu tuần",
		"đầu tháng", "đầu năm", "đầu quý", "giữa tuần", "giữa tháng", "giữa năm", "giữa quý",
		"quý i", "quý ii", "quý iii", "quý iv", "chủ nhật", "cn", "thứ hai", "thứ ba", "thứ tư",
		"thứ năm", "thứ sáu", "thứ bảy", "thứ bẩy", "tết", "trước tết", "dịp tết", "sớm",
		"hôm sau", "ngày hôm sau",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend",
		"this week", "this month", "this year", "this quarter", "this morning",
		"this afternoon", "this evening", "end of", "eod", "eow", "cob",
	).add(tmPast,
		"hôm qua", "hôm kia", "hôm trước", "bữa qua", "bữa trước", "tuần trước", "tuần qua",
		"tháng trước", "tháng qua", "năm trước", "năm qua", "năm ngoái", "quý trước", "quý qua",
		"vừa qua", "vừa rồi", "yesterday", "ago", "earlier", "previously", "last",
		"last monday", "last tuesday", "last wednesday", "last thursday", "last friday",
		"last saturday", "last sunday", "last weekend",
	)
	// Words after a time that may lie ahead which place it: "cuối tháng
	// trước", "thứ 6 tới".
	lxTimeAfter = newLexicon(tmPast, "trước", "qua", "ngoái", "vừa qua", "vừa rồi", "ago").
			add(tmPlan, "sau", "tới", "sau nữa")
	// Words after "trước" or "qua" that make it "before" or "through", not
	// "last": "trong tháng trước ngày 30".
	lxTimeAnchor = newLexicon(1,
		"ngày", "khi", "hạn", "thời hạn", "tết", "thứ", "cuối", "đầu", "giữa", "lúc", "buổi", "kỳ",
		"đợt", "phiên", "hội nghị", "cuộc họp", "the",
	)
	lxTimeUnit = newLexicon(1,
		"day", "days", "week", "weeks", "month", "months", "hour", "hours", "minute", "minutes",
	)
	lxFew = newLexicon(1, "a", "an", "a few", "few", "a couple of", "couple of", "couple", "two", "three")
	// Past tense before a "done" or a percentage: "vừa xong", "has been
	// completed", "đã đạt 60%". Typed exactly: "da" is as often "dạ".
	lxPastAux = newLexicon(1, "=đã", "=vừa", "already", "was", "were", "has", "have", "had")
	// Past tense after a "done" or a percentage: "xong rồi", "done already".
	lxPastAfter = newLexicon(1, "rồi", "already")
)

// Time classes of lxTime.
const (
	tmPlan  = iota + 1 // a time ahead ("mai", "tuần sau", "next week")
	tmMaybe            // a time that may lie ahead ("thứ 6", "cuối tháng", "chiều nay")
	tmPast             // a time behind ("hôm qua", "tuần trước", "last week")
)
