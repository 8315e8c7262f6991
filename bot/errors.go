package bot

import (
	"errors"
	"fmt"
)

// Error codes: what kind of trouble a user-facing error reports.
const (
	EInvalid  = "invalid"   // bad input: says what was wrong and what is accepted
	ENotFound = "not_found" // no such incident or step
	EConflict = "conflict"  // the incident's state does not allow it
	EInternal = "internal"
)

// Error is an error meant for the person in the chat. Any other error
// reaches them as a generic internal error and is logged for operators.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns a user-facing error.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorMessage returns the text a user sees for err, and whether err was
// meant for them.
func ErrorMessage(err error) (string, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e.Message, true
	}
	return "", false
}

// ErrTemporary marks platform trouble (429, 5xx, a dropped connection)
// that is worth retrying. Adapters wrap such errors with it.
var ErrTemporary = errors.New("temporary")

// uerr returns a user-facing error with the catalogue message key in lang.
func uerr(code string, lang Lang, key string, args ...any) *Error {
	return &Error{Code: code, Message: tr(lang, key, args...)}
}
