package bot

import (
	"fmt"
	"strings"

	"steerbot/tasks"
)

// Remind renders a reminder in the member's language and queues it in tx
// under its key, with Done / Progress / Ask-for-more-time buttons per task.
// A reply to it is read as an update of its tasks.
func (b *Bot) Remind(tx tasks.OutboxStore, rm tasks.Reminder) error {
	m := rm.Member
	if !m.Linked() {
		return nil
	}
	if rm.Kind == tasks.RemindIndicators {
		return b.remindIndicators(tx, rm)
	}
	lang := b.langOf(m)
	tl := rm.Timeline
	if tl.Loc == nil {
		tl = b.timeline(b.o.Clock.Now())
	}
	var body string
	var kb [][]tasks.Button
	var codes []string
	if m.Role.ForUnit() {
		overdue, soon := 0, 0
		for _, t := range rm.Tasks {
			switch tl.Of(t) {
			case tasks.Overdue:
				overdue++
			case tasks.DueSoon:
				soon++
			}
		}
		unit := rm.Unit.Name
		if unit == "" {
			unit = m.Unit
		}
		title := text(lang, "remind_"+string(rm.Kind), esc(tasks.Salutation(m, lang)), esc(unit), len(rm.Tasks), remindCounts(lang, overdue, soon))
		if line := standingIn(lang, rm); line != "" {
			title += "\n" + line
		}
		ts := append([]tasks.Task(nil), rm.Tasks...)
		canUpdate := len(ts) > 0 && b.o.Policy.Can(m, tasks.UpdateTask, &ts[0]) == nil
		body, kb, codes = b.renderList(lang, tl.Now, title, ts, canUpdate)
		if canUpdate {
			body += "\n\n" + text(lang, "remind_how")
		}
	}
	if !m.Role.ForUnit() {
		// A chair's weekly note: what is overdue and what is stuck.
		var sb strings.Builder
		var counts []string // zero counts left out: never "0 nhiệm vụ quá hạn"
		if n := len(rm.Tasks); n > 0 {
			counts = append(counts, text(lang, "remind_chair_overdue", n))
		}
		if n := len(rm.Blocked); n > 0 {
			counts = append(counts, text(lang, "remind_chair_blocked", n))
		}
		sb.WriteString(text(lang, "remind_chair", esc(tasks.Salutation(m, lang)), strings.Join(counts, ", ")))
		if rm.Units > 0 {
			sb.WriteString("\n" + text(lang, "remind_reported", rm.Reported, rm.Units))
		}
		for i, t := range rm.Tasks {
			if i == 10 {
				sb.WriteString("\n" + text(lang, "digest_more", len(rm.Tasks)-i))
				break
			}
			sb.WriteString(fmt.Sprintf("\n• <b>%s</b> %s (%s) — %s", esc(t.Code), esc(clipWord(t.Title, 60)), esc(rm.UnitName(t.Unit)), text(lang, "days_late", tl.DaysLate(t))))
			codes = append(codes, t.Code)
		}
		if len(rm.Blocked) > 0 {
			sb.WriteString("\n\n" + text(lang, "digest_blocked", len(rm.Blocked)))
			for i, x := range rm.Blocked {
				if i == 10 {
					sb.WriteString("\n" + text(lang, "digest_more", len(rm.Blocked)-i))
					break
				}
				sb.WriteString(fmt.Sprintf("\n• <b>%s</b> (%s): %s", esc(x.Code), esc(rm.UnitName(x.Unit)), esc(clip(x.Blocker, 100))))
			}
		}
		body, kb = sb.String(), nil
	}
	return b.enqueueParts(tx, rm.Key, m.TelegramID, body, kb, codes)
}

// remindCounts is the parenthesis of a unit's reminder header, from the
// counts that are not zero: " (quá hạn 2)", never "sắp đến hạn 0"; "" when
// both are zero.
func remindCounts(lang string, overdue, soon int) string {
	var parts []string
	if overdue > 0 {
		parts = append(parts, text(lang, "remind_n_overdue", overdue))
	}
	if soon > 0 {
		parts = append(parts, text(lang, "remind_n_due_soon", soon))
	}
	if len(parts) == 0 {
		return ""
	}
	return text(lang, "remind_counts", strings.Join(parts, ", "))
}

// enqueueParts queues a possibly long text under key (parts get key#n), as
// a scheduled message: held back in quiet hours.
func (b *Bot) enqueueParts(tx tasks.OutboxStore, key string, chatID int64, body string, kb [][]tasks.Button, codes []string) error {
	return b.enqueueAs(tx, tasks.OutMessage{Key: key, ChatID: chatID, Buttons: kb, TaskCodes: codes}, body)
}

// enqueueAs queues a possibly long text as enqueueParts does, each part a
// copy of like (its key, chat, task codes, purpose); like's buttons go with
// the last part.
func (b *Bot) enqueueAs(tx tasks.OutboxStore, like tasks.OutMessage, body string) error {
	parts := splitMessage(body, maxMessage)
	now := b.o.Clock.Now()
	for i, p := range parts {
		m := like
		m.Text, m.Created, m.State, m.Scheduled = p, now, tasks.OutQueued, true
		if i > 0 {
			m.Key = fmt.Sprintf("%s#%d", like.Key, i)
		}
		if i != len(parts)-1 {
			m.Buttons = nil
		}
		if _, err := tx.Enqueue(&m); err != nil {
			return fmt.Errorf("enqueue %s: %w", m.Key, err)
		}
	}
	return nil
}

// SendDigest queues the digest, and its chart, to the committee chat.
func (b *Bot) SendDigest(tx tasks.OutboxStore, key string, m *tasks.Meeting, d tasks.Digest, chart []byte) error {
	if b.o.CommitteeChatID == 0 {
		return nil
	}
	lang := b.o.Lang
	body := FormatDigest(d, lang, b.o.CommitteeName, true)
	if m != nil {
		body = text(lang, "digest_for_meeting", esc(m.Title), m.Start.In(b.o.Loc).Format("15:04 02/01/2006")) + "\n\n" + body
	}
	if err := b.enqueueParts(tx, key, b.o.CommitteeChatID, body, b.decisionButtons(lang, d), nil); err != nil {
		return err
	}
	if len(chart) == 0 {
		return nil
	}
	photo := tasks.OutMessage{Key: key + ":chart", ChatID: b.o.CommitteeChatID, Text: text(lang, "chart_caption"),
		Photo: &tasks.File{Name: "tien-do.png", Data: chart}, Created: b.o.Clock.Now(), State: tasks.OutQueued, Scheduled: true}
	_, err := tx.Enqueue(&photo)
	return err
}
