package bot

import (
	"context"
	"fmt"

	"steerbot/tasks"
)

// The narrative on demand: /digest answers the figures at once, and the
// assistant's narrative follows as an edit of that message (or a message of
// its own when the figures took several messages or the edit cannot be
// made). A narrative is kept for the same figures for tasks.NarrativeTTL,
// so a second /digest within the hour shows it at once without asking the
// model again.

// jobNarrate is an assistant job that writes a digest's narrative.
const jobNarrate = "narrate"

// replyDigest answers the digest d of group (its figures already checked
// not empty) with its decision buttons kb, and the narrative when the
// assistant is on.
func (b *Bot) replyDigest(r *req, d tasks.Digest, group string, kb [][]tasks.Button) error {
	figures := FormatDigest(d, r.lang, b.o.CommitteeName, true)
	if b.o.Assistant == nil {
		r.reply(figures, kb)
		return nil
	}
	key := tasks.NarrativeKey(r.lang, figures)
	n, err := r.tx.Narrative(key)
	if err == nil && n.Fresh(r.now) {
		d.Narrative = n.Text
		r.reply(FormatDigest(d, r.lang, b.o.CommitteeName, true), kb)
		return nil
	} else if err != nil && !tasks.IsNotFound(err) {
		return err
	}
	j := tasks.AssistJob{ID: r.upd.ID, Kind: jobNarrate, Member: r.member.ID, Chat: r.chatID, Text: group, Lang: r.lang, Key: key}
	if len(splitMessage(figures, maxMessage)) == 1 {
		// Queued here rather than with the other answers, to know its
		// outbox id: the narrative edits it once it is sent.
		m := tasks.OutMessage{Key: fmt.Sprintf("u%d:digest", r.upd.ID), ChatID: r.chatID, Text: figures, Buttons: kb, Created: r.now, State: tasks.OutQueued}
		if _, err := r.tx.Enqueue(&m); err != nil {
			return fmt.Errorf("enqueue digest: %w", err)
		}
		j.OutID = m.ID
		r.then(func(context.Context) { b.o.Kick() })
	} else {
		r.reply(figures, kb)
	}
	if err := addJob(r.tx, j, r.now); err != nil {
		return err
	}
	r.then(b.wakeAssistant(r.chatID))
	return nil
}

// runNarrateJob writes the narrative of a digest answered before and adds
// it to the figures. A model that fails or states a number not in the
// figures leaves the figures alone. A narrative written before the figures
// were sent waits for them (the job stays; the narrative is kept, so the
// model is not asked again).
func (b *Bot) runNarrateJob(ctx context.Context, j tasks.AssistJob) error {
	now := b.o.Clock.Now()
	var d tasks.Digest
	var cached tasks.CachedNarrative
	if err := b.o.Store.View(ctx, func(tx tasks.Tx) error {
		var err error
		if d, err = ComputeDigest(tx, b.timeline(now), j.Text); err != nil {
			return err
		}
		cached, err = tx.Narrative(j.Key)
		if tasks.IsNotFound(err) || (err == nil && !cached.Fresh(now)) {
			cached, err = tasks.CachedNarrative{}, nil
		}
		return err
	}); err != nil {
		return err
	}
	figures := FormatDigest(d, j.Lang, b.o.CommitteeName, true)
	narrative := cached.Text
	var askErr error
	switch {
	case narrative != "":
	case tasks.NarrativeKey(j.Lang, figures) != j.Key:
		askErr = fmt.Errorf("the figures changed since they were answered")
	default:
		narrative, askErr = b.o.Assistant.Narrate(ctx, d, j.Lang)
	}
	return b.o.Store.Update(ctx, func(tx tasks.Tx) error {
		if askErr != nil || narrative == "" {
			b.log.Warn("digest narrative dropped", "id", j.ID, "err", askErr)
			return tx.DeleteAssistJob(j.ID)
		}
		if cached.Text == "" {
			if err := tx.PutNarrative(tasks.CachedNarrative{Key: j.Key, Text: narrative, Created: now}); err != nil {
				return err
			}
		}
		d.Narrative = narrative
		msg := tasks.OutMessage{Key: fmt.Sprintf("assist:%d", j.ID), ChatID: j.Chat, Created: now}
		if j.OutID != 0 {
			figs, err := tx.OutMessage(j.OutID)
			if err != nil && !tasks.IsNotFound(err) {
				return err
			}
			if err == nil && figs.State == tasks.OutQueued {
				return nil // not sent yet: tried again with the next job or within a minute
			}
			full := FormatDigest(d, j.Lang, b.o.CommitteeName, true)
			if err == nil && figs.State == tasks.OutSent && figs.SentMessageID != 0 && len(splitMessage(full, maxMessage)) == 1 {
				msg.EditMessageID, msg.Text, msg.Buttons, msg.TaskCodes = figs.SentMessageID, full, figs.Buttons, figs.TaskCodes
			}
		}
		if msg.EditMessageID == 0 {
			msg.Text = text(j.Lang, "digest_narrative", esc(narrative))
		}
		if err := tx.DeleteAssistJob(j.ID); err != nil {
			return err
		}
		_, err := tx.Enqueue(&msg)
		return err
	})
}
