package bot

import (
	"errors"
	"fmt"

	"steerbot/tasks"
)

// text renders the catalog entry key in lang ("vi" or "en"), filled with
// args as fmt does. A key missing from the language falls back to
// Vietnamese, then to the key itself, so a gap shows but never breaks.
func text(lang, key string, args ...any) string {
	c := catalogs[lang]
	f, ok := c[key]
	if !ok {
		if f, ok = catalogs["vi"][key]; !ok {
			f = key
		}
	}
	return fmt.Sprintf(f, args...)
}

// errorText turns a domain error into one sentence in lang. Its arguments
// may come from users, so they are escaped.
func errorText(lang string, e *tasks.Error) string {
	key := "err_" + e.Key
	if _, ok := catalogs["vi"][key]; e.Key == "" || !ok {
		switch e.Code {
		case tasks.ENOTFOUND:
			key = "err_not_found"
		case tasks.EFORBIDDEN:
			key = "err_forbidden"
		case tasks.ECONFLICT:
			key = "err_conflict"
		case tasks.EINVALID:
			if e.Message != "" {
				return text(lang, "err_invalid_msg", esc(e.Message))
			}
			key = "err_invalid"
		default:
			return text(lang, "internal_error")
		}
	}
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		switch v := a.(type) {
		case string:
			args[i] = esc(v)
		case tasks.Status:
			args[i] = v.Name(lang)
		default:
			args[i] = v
		}
	}
	return text(lang, key, args...)
}

// userError builds a domain error whose sentence is the catalog entry key.
func userError(code, key string, args ...any) error {
	return tasks.NewError(code, key, key, args...)
}

// isUserError reports whether err is a domain error a user may see.
func isUserError(err error) bool {
	var te *tasks.Error
	return errors.As(err, &te) && te.Code != tasks.EINTERNAL
}

// catalogs holds every user-facing text of the bot: one catalog per
// language. Values are fmt formats producing Telegram HTML; arguments from
// users are escaped by the caller.
var catalogs = map[string]map[string]string{"vi": vi, "en": en}
