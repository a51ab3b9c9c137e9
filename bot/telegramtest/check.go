package telegramtest

import "errors"

// CheckText reads text as sendMessage would with parseMode ("HTML",
// "MarkdownV2", "Markdown" or ""): it returns what the message would show
// (parsed and trimmed), or the error Telegram would answer — a tag left
// open, an empty text, a text over MaxMessageLength UTF-16 units. Tests of
// code that builds messages use it without sending them.
func CheckText(text, parseMode string) (string, error) {
	shown, _, aerr := checkText(text, parseMode, "", "message is too long")
	if aerr != nil {
		return "", errors.New(aerr.desc)
	}
	return shown, nil
}

// ShownText is what text would show once parsed with parseMode and
// trimmed, whatever its length; err is the parse error Telegram would
// answer.
func ShownText(text, parseMode string) (string, error) {
	shown, _, aerr := formatText(text, parseMode, "", "text")
	if aerr != nil {
		return "", errors.New(aerr.desc)
	}
	return shown, nil
}
