package bot

import (
	"fmt"
	"strings"
	"time"

	"steerbot/tasks"
)

// sendFullText answers the Full text button of a task card: the task with
// every field uncut and its whole history, as a .txt document through the
// outbox. The card itself stays one message (see cardLong); this is where
// a 5,000-character title or blocker can still be read.
func (b *Bot) sendFullText(r *req, code string) error {
	t, err := b.loadTask(r, code, tasks.ReadTask)
	if err != nil {
		return err
	}
	body, err := b.fullText(r.tx, r.lang, r.now, t)
	if err != nil {
		return err
	}
	r.out = append(r.out, tasks.OutMessage{
		ChatID: r.chatID, Text: r.t("full_text_caption", esc(t.Code)), TaskCodes: []string{t.Code},
		Document: &tasks.File{Name: fileSafe(t.Code) + ".txt", Data: []byte(body)},
	})
	return nil
}

// fullText is a task in plain text, nothing cut: the fields of its card,
// its note, a pending extension and every update.
func (b *Bot) fullText(tx tasks.Tx, lang string, now time.Time, t tasks.Task) (string, error) {
	var sb strings.Builder
	line := func(s string) { sb.WriteString(s + "\n") }
	line(fmt.Sprintf("%s · %s · %d%%", t.Code, t.Status.Name(lang), t.Progress))
	line(t.Title)
	unit := t.Unit
	if u, err := tx.Unit(t.Unit); err == nil {
		unit = u.Name + " (" + u.Code + ")"
	}
	line(text(lang, "card_unit", unit))
	if len(t.CoUnits) > 0 {
		line(text(lang, "card_co_units", coUnitNames(tx, t)))
	}
	if t.Group != "" {
		line(text(lang, "card_group", t.Group))
	}
	if t.Source != "" {
		line(text(lang, "card_source", t.Source))
	}
	if !t.Deadline.IsZero() {
		line(text(lang, "card_deadline", t.Deadline.VN(), stripTags(timelinessText(lang, b.timeline(now), t))))
	} else {
		line(text(lang, "tl_no_deadline"))
	}
	if t.Blocker != "" {
		line(text(lang, "card_blocker", t.Blocker))
	}
	if t.Note != "" {
		line(text(lang, "card_note", t.Note))
	}
	pending, err := tx.Extensions(tasks.ExtPending)
	if err != nil {
		return "", err
	}
	for _, e := range pending {
		if e.Task == t.Code {
			line(text(lang, "card_extension", e.NewDeadline.VN(), e.Reason))
		}
	}
	hist, err := tx.History(t.Code, 0)
	if err != nil {
		return "", err
	}
	if len(hist) > 0 {
		line("")
		line(stripTags(text(lang, "card_history_all", len(hist))))
		for _, u := range hist {
			line(historyLine(lang, b.o.Loc, u, func(s string, _ int) string { return s }))
		}
	}
	return sb.String(), nil
}

// coUnitNames names a task's coordinating units, by code where a unit is
// unknown.
func coUnitNames(tx tasks.UnitStore, t tasks.Task) string {
	names := make([]string, len(t.CoUnits))
	for i, c := range t.CoUnits {
		names[i] = c
		if u, err := tx.Unit(c); err == nil {
			names[i] = u.Name
		}
	}
	return strings.Join(names, ", ")
}

// fileSafe keeps a task code usable as a file name on any phone.
func fileSafe(code string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			return '-'
		}
		return r
	}, code)
}
