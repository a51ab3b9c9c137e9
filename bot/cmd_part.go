package bot

// This file holds /part: a coordinating unit reports its own part of a
// task it coordinates; the task stays the lead unit's.

import (
	"fmt"
	"strings"
	"time"

	"steerbot/tasks"
)

// cmdPart records "/part CODE PERCENT [note]" through Policy.CommitPart.
func (b *Bot) cmdPart(r *req, args string) error {
	f := strings.Fields(args)
	if len(f) < 2 {
		return userError(tasks.EINVALID, "usage_part")
	}
	t, err := b.loadTask(r, f[0], tasks.ReportPart)
	if err != nil {
		return err
	}
	pct, ok := tasks.ParsePercent(f[1])
	if !ok {
		return userError(tasks.EINVALID, "usage_part")
	}
	if _, err := b.o.Policy.CommitPart(r.tx, t, pct, restWords(args, 2), r.member, tasks.ViaCommand, r.now); err != nil {
		return err
	}
	unit := r.member.Unit
	if u, err := r.tx.Unit(unit); err == nil {
		unit = u.Name
	}
	r.reply(r.t("part_done", esc(unit), esc(t.Code), pct), nil, t.Code)
	return nil
}

// partLine is the history line of a coordinating unit's report of its
// part: its unit and its own percentage, not a change of the task.
func partLine(lang string, loc *time.Location, u tasks.Update, show func(s string, n int) string) string {
	what := text(lang, "hist_part", show(u.Unit, 40), u.NewProgress)
	if u.Note != "" {
		what += " “" + show(u.Note, histClip) + "”"
	}
	if len(u.Attachments) > 0 {
		what += fmt.Sprintf(" 📎%d", len(u.Attachments))
	}
	return fmt.Sprintf("• %s %s: %s", u.At.In(loc).Format("02/01"), show(u.ByName, cardWho), what)
}
