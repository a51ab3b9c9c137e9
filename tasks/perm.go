package tasks

// Action is something a member may try to do.
type Action string

// The actions that permissions decide.
const (
	ReadTask       Action = "read_task"       // see a task, its history and evidence
	UpdateTask     Action = "update_task"     // report progress or a status
	RequestExtend  Action = "request_extend"  // ask for a later deadline
	ReadAll        Action = "read_all"        // digests, overdue lists, scorecards, other units' lists
	EditTasks      Action = "edit_tasks"      // add tasks, import, export
	ManagePeople   Action = "manage_people"   // invite members
	ManageMeetings Action = "manage_meetings" // schedule and remove meetings
	ListMeetings   Action = "list_meetings"   // see the coming meetings
	SendReminders  Action = "send_reminders"  // /remind
	Decide         Action = "decide"          // approve or reject extensions and proposals
	SetLanguage    Action = "set_language"    // choose one's own language
	ReportPart     Action = "report_part"     // a coordinating unit reports its own part (see CommitPart)
	DeclareAway    Action = "declare_away"    // declare an absence and who covers it (see SetAway)
	ConfirmReport  Action = "confirm_report"  // confirm or return a unit's report that a task is done
)

// Policy holds the committee settings that permissions depend on.
type Policy struct {
	SecretariatDecides bool // committee.secretariat_decides
	ConfirmDone        bool // committee.confirm_done: a unit's "done" waits for the secretariat (see DoneReported)
	RequireEvidence    bool // committee.require_evidence: a unit's "done" needs a file or a document reference
}

// Can decides whether m may do a on t (t may be nil for actions that do not
// concern one task). It returns nil or an *Error with code EFORBIDDEN whose
// key says why. Every caller asks here: there is no other permission check.
func (p Policy) Can(m Member, a Action, t *Task) error {
	if !m.Linked() || !m.Role.Valid() {
		return NewError(EFORBIDDEN, "not_linked", "you are not linked to the committee yet")
	}
	switch a {
	case SetLanguage:
		return nil
	case ReadTask:
		if m.Role == RoleChair || m.Role == RoleSecretariat {
			return nil
		}
		if t != nil && t.Involves(m.Unit) {
			return nil
		}
		code := ""
		if t != nil {
			code = t.Code
		}
		return NewError(EFORBIDDEN, "other_unit_read", "task "+code+" belongs to another unit", code)
	case UpdateTask:
		if m.Role == RoleSecretariat {
			return nil
		}
		if m.Role.ForUnit() {
			if t != nil && t.Unit == m.Unit {
				return nil
			}
			return p.otherUnit(t)
		}
		return NewError(EFORBIDDEN, "only_units_update", "only the lead unit or the secretariat updates a task")
	case RequestExtend:
		if m.Role.ForUnit() {
			if t != nil && t.Unit == m.Unit {
				return nil
			}
			return p.otherUnit(t)
		}
		return NewError(EFORBIDDEN, "only_units_extend", "only the lead unit asks for more time")
	case ReportPart:
		return p.canReportPart(m, t)
	case DeclareAway:
		if m.Role.ForUnit() || m.Role == RoleSecretariat {
			return nil
		}
		return NewError(EFORBIDDEN, "only_units_away", "only unit members and the secretariat declare absences")
	case ReadAll, ListMeetings:
		if m.Role == RoleChair || m.Role == RoleSecretariat {
			return nil
		}
		return NewError(EFORBIDDEN, "only_committee", "only chairs and the secretariat see this")
	case EditTasks, ManagePeople, ManageMeetings, SendReminders, ConfirmReport:
		if m.Role == RoleSecretariat {
			return nil
		}
		return NewError(EFORBIDDEN, "only_secretariat", "only the secretariat does this")
	case Decide:
		if m.Role == RoleChair || (m.Role == RoleSecretariat && p.SecretariatDecides) {
			return nil
		}
		return NewError(EFORBIDDEN, "only_chairs", "only chairs decide this")
	}
	return NewError(EFORBIDDEN, "forbidden", "not allowed")
}

func (p Policy) otherUnit(t *Task) error {
	code := ""
	if t != nil {
		code = t.Code
	}
	return NewError(EFORBIDDEN, "other_unit", "task "+code+" belongs to another unit", code)
}
