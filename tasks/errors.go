package tasks

import (
	"errors"
	"fmt"
)

// Error codes. The bot turns each into a sentence in the member's language in
// one place; anything that is not an *Error is an internal error to the user.
const (
	ECONFLICT  = "conflict"  // the action conflicts with the current state
	EINTERNAL  = "internal"  // a bug or an outage: logged, never explained
	EINVALID   = "invalid"   // the input is malformed or out of range
	ENOTFOUND  = "not_found" // the thing named does not exist
	EFORBIDDEN = "forbidden" // the member may not do this
)

// Error is an error a user may see. Key names the sentence in the bot's
// catalogs and Args fill it; Message is the English text used where no
// catalog applies (the command line, logs).
type Error struct {
	Code    string
	Key     string
	Args    []any
	Message string
}

// Error returns the English message.
func (e *Error) Error() string {
	if e.Message != "" {
		return e.Message
	}
	if len(e.Args) > 0 {
		return fmt.Sprintf("%s %v", e.Key, e.Args)
	}
	return e.Key
}

// Errorf returns an *Error with a code and an English message and no
// catalog key.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// NewError returns an *Error whose sentence is the catalog entry key filled
// with args; message is its English form.
func NewError(code, key, message string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args, Message: message}
}

// ErrorCode returns the code of err if it is or wraps an *Error, and
// EINTERNAL otherwise (including for nil, which callers should not pass).
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// IsNotFound reports whether err is an *Error with code ENOTFOUND.
func IsNotFound(err error) bool { return err != nil && ErrorCode(err) == ENOTFOUND }
