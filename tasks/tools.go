package tasks

import (
	"context"
	"encoding/json"
)

// ToolSpec describes one read-only tool that the assistant may call to
// answer a question: its name, what it gives, and its arguments as a JSON
// schema (an object).
type ToolSpec struct {
	Name        string
	Description string
	Parameters  json.RawMessage
}

// Tools are the read-only tools offered to the assistant for one question,
// bound to the member who asked: a tool never returns what the asker may
// not read. The assistant and the bot agree on this interface without
// importing each other.
type Tools interface {
	// Specs returns the tools offered.
	Specs() []ToolSpec
	// Call runs the tool name with args (a JSON object) and returns its
	// result as JSON. An unknown tool or bad arguments are EINVALID, a task
	// the asker may not read EFORBIDDEN, a missing one ENOTFOUND: the model
	// is told and may try again. Any other error ends the question.
	Call(ctx context.Context, name, args string) (string, error)
}
