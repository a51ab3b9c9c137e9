package tasks

import "strings"

// Status is the stored state of a task.
type Status string

// The statuses of a task. A proposal (ProposedStop, ProposedCarryover)
// becomes Stopped or CarriedOver when a chair approves it, or returns to
// InProgress when rejected.
const (
	NotStarted        Status = "not_started"
	InProgress        Status = "in_progress"
	Done              Status = "done"
	DoneReported      Status = "done_reported" // a unit reported it done; the secretariat confirms or returns it (see ConfirmDone)
	ProposedStop      Status = "proposed_stop"
	ProposedCarryover Status = "proposed_carryover"
	Stopped           Status = "stopped"
	CarriedOver       Status = "carried_over"
)

// Statuses lists every status in the order digests show them.
var Statuses = []Status{Done, DoneReported, InProgress, NotStarted, ProposedStop, ProposedCarryover, Stopped, CarriedOver}

// vietnameseStatus is the name a Vietnamese committee report uses.
var vietnameseStatus = map[Status]string{
	NotStarted:        "chưa triển khai",
	InProgress:        "đang triển khai",
	Done:              "đã hoàn thành",
	DoneReported:      "đã báo cáo hoàn thành, chờ xác nhận",
	ProposedStop:      "đề xuất dừng thực hiện",
	ProposedCarryover: "đề xuất chuyển tiếp",
	Stopped:           "dừng thực hiện",
	CarriedOver:       "chuyển tiếp",
}

// englishStatus is the name an English report uses.
var englishStatus = map[Status]string{
	NotStarted:        "not started",
	InProgress:        "in progress",
	Done:              "done",
	DoneReported:      "reported done, awaiting confirmation",
	ProposedStop:      "proposed to stop",
	ProposedCarryover: "proposed to carry over",
	Stopped:           "stopped",
	CarriedOver:       "carried over",
}

// statusAliases maps folded words (see Fold) to statuses. Proposals are
// what a unit may ask for; "dừng"/"chuyển tiếp" alone from a unit is read as
// the proposal, never as the decision (see ParseStatus).
var statusAliases = func() map[string]Status {
	m := map[string]Status{}
	add := func(s Status, words ...string) {
		for _, w := range words {
			m[Fold(w)] = s
		}
	}
	for s, n := range vietnameseStatus {
		add(s, n, string(s), strings.ReplaceAll(string(s), "_", " "))
	}
	for s, n := range englishStatus {
		add(s, n)
	}
	add(NotStarted, "chưa thực hiện", "chưa bắt đầu", "todo", "new", "open")
	add(InProgress, "đang thực hiện", "đang làm", "đang triển khai thực hiện", "in-progress", "started", "ongoing", "doing", "triển khai")
	add(Done, "xong", "hoàn thành", "đã xong", "đã thực hiện", "hoàn tất", "đã hoàn tất", "completed", "complete", "finished", "ok")
	add(DoneReported, "báo cáo hoàn thành", "đã báo cáo hoàn thành", "chờ xác nhận", "reported done")
	add(ProposedStop, "đề xuất dừng", "xin dừng", "đề nghị dừng", "propose stop", "propose to stop", "proposed stop")
	add(ProposedCarryover, "xin chuyển tiếp", "đề nghị chuyển tiếp", "propose carryover", "propose carry over", "propose to carry over", "proposed carryover", "proposed carry over")
	add(Stopped, "dừng", "đã dừng", "stop")
	add(CarriedOver, "đã chuyển tiếp", "carried over", "carryover", "carry over")
	return m
}()

// ParseStatus reads a status from its stored name, its English or
// Vietnamese name or a common alias, with or without diacritics and in any
// case. ok is false for anything else.
func ParseStatus(s string) (st Status, ok bool) {
	st, ok = statusAliases[Fold(s)]
	return st, ok
}

// Valid reports whether s is one of the statuses.
func (s Status) Valid() bool {
	_, ok := vietnameseStatus[s]
	return ok
}

// Open reports whether a task in this status still has work to do for its
// unit: not done, not reported done, not stopped, not carried over.
// Proposals are open until decided. A task reported done awaits the
// secretariat, not the unit: reminders leave it out, and digests count it
// as not yet done (see GroupStat.Reported).
func (s Status) Open() bool {
	switch s {
	case Done, DoneReported, Stopped, CarriedOver:
		return false
	}
	return true
}

// Proposal reports whether s awaits a committee decision.
func (s Status) Proposal() bool { return s == ProposedStop || s == ProposedCarryover }

// Name returns the status's name in lang ("vi" or "en"; anything else is
// Vietnamese, the committee's default).
func (s Status) Name(lang string) string {
	if lang == "en" {
		if n, ok := englishStatus[s]; ok {
			return n
		}
	} else if n, ok := vietnameseStatus[s]; ok {
		return n
	}
	return string(s)
}
