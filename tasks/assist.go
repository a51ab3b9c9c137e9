package tasks

import "context"

// Proposal is an update that the assistant (the LLM) read from a member's
// free text: a change to a task, or (Indicator set, Task empty) an
// indicator's value. It is only ever shown to the member, who confirms it
// before anything is stored, and it is validated like any other input.
type Proposal struct {
	Task         string  // task code, one of the candidates
	Status       *Status // nil: unchanged
	Progress     *int    // nil: unchanged
	ExpectedDate Date    // when the unit expects to finish; zero for none
	Blocker      string
	Note         string

	Indicator string // indicator code, one of the candidate indicators
	Value     string // the value as /value reads it ("96,2%"), with Indicator
}

// Draft is a task the assistant drafted from a meeting's conclusions.
type Draft struct {
	Title    string
	Unit     string // a known unit code, or "" when none matched
	Deadline Date   // zero when none was stated
}

// Assistant is the optional LLM. Every method may fail or time out; callers
// fall back to the rule-based path. Errors are internal (EINTERNAL) or
// EINVALID when the model answered something that does not validate.
type Assistant interface {
	// ProposeUpdate reads text from member about one of candidates.
	ProposeUpdate(ctx context.Context, member Member, text string, candidates []Task, today Date) (Proposal, error)
	// ProposeUpdates reads text from member about one or several of
	// candidates (tasks) and indicators: one proposal per task or
	// indicator the text reports on, at least one.
	ProposeUpdates(ctx context.Context, member Member, text string, candidates []Task, indicators []Indicator, today Date) ([]Proposal, error)
	// Narrate writes a short paragraph on top of a digest, in lang.
	Narrate(ctx context.Context, d Digest, lang string) (string, error)
	// DraftTasks drafts tasks from the text of a meeting's conclusions.
	DraftTasks(ctx context.Context, text string, units []Unit, today Date) ([]Draft, error)
	// Answer answers question in lang from what tools return, calling
	// them for at most a few rounds; every number in the answer is one
	// the tools returned or the question wrote (EINVALID otherwise).
	Answer(ctx context.Context, question string, tools Tools, lang string) (string, error)
}
