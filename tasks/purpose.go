package tasks

import "strings"

// Purpose says what a member's reply to one of the bot's messages means.
// It is stored with the message (see MessageRef) as the string it is, so
// its values never change.
type Purpose string

// The purposes of the bot's messages.
const (
	PurposeUpdate      Purpose = ""            // a reply is an update of the message's tasks
	PurposeProgress    Purpose = "progress"    // a reply gives the task's progress
	PurposeExtend      Purpose = "extend"      // a reply gives the new date and the reason for more time
	PurposeConclusions Purpose = "conclusions" // a reply carries a meeting's conclusions
	PurposeDecision    Purpose = "decision"    // the message asks one decider for one decision
	PurposeImport      Purpose = "import"      // a reply carries a task file to import
	PurposeReturn      Purpose = "return"      // a reply gives the reason a done report is returned to its unit
	draftPrefix                = "draft:"      // a reply rewrites one drafted task (see DraftPurpose)
)

// DraftPurpose is the purpose of a prompt whose reply rewrites the drafted
// task ref names.
func DraftPurpose(ref string) Purpose { return Purpose(draftPrefix + ref) }

// Draft returns the drafted task a reply rewrites, for a purpose made by
// DraftPurpose; ok is false for any other.
func (p Purpose) Draft() (ref string, ok bool) {
	return strings.CutPrefix(string(p), draftPrefix)
}
