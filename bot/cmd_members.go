package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"steerbot/tasks"
)

// People leave: /remove ends a member's access at once, /invites lists the
// open invites with a Revoke button each. Both are the secretariat's
// (tasks.ManagePeople).
//
// Button data: "rm|ID" asks to confirm the removal of member ID, "rm|ID|y"
// removes, "rm|ID|n" cancels; "ri|TOKEN" withdraws an invite.

// maxPick is how many members or invites get a button in one message.
const maxPick = 20

// cmdRemove finds the member named (accents, case and extra spaces
// ignored; a Telegram id also works) and asks to confirm with buttons;
// several matches are offered as buttons to choose from.
func (b *Bot) cmdRemove(r *req, args string) error {
	q := strings.TrimSpace(args)
	if q == "" {
		return userError(tasks.EINVALID, "usage_remove")
	}
	found, err := findMembers(r.tx, q)
	if err != nil {
		return err
	}
	switch len(found) {
	case 0:
		return userError(tasks.ENOTFOUND, "member_not_named", q)
	case 1:
		return b.askRemove(r, found[0])
	}
	var kb [][]tasks.Button
	for i, m := range found {
		if i == maxPick {
			break
		}
		label := "🚫 " + clip(m.Name, 30) + " — " + stripTags(b.roleText(r.tx, r.lang, m))
		if row := b.row(btn(clip(label, 60), b.sign.sign(opRemove, fmt.Sprint(m.ID)))); len(row) > 0 {
			kb = append(kb, row)
		}
	}
	r.reply(r.t("remove_which", esc(q)), kb)
	return nil
}

// findMembers returns the members still in the committee whose name is q
// (folded), else those whose name contains it, else the one linked to the
// Telegram id q.
func findMembers(tx tasks.Tx, q string) ([]tasks.Member, error) {
	ms, err := tx.Members()
	if err != nil {
		return nil, err
	}
	fq := tasks.Fold(q)
	var exact, part []tasks.Member
	for _, m := range ms {
		if m.Removed() {
			continue
		}
		switch fn := tasks.Fold(m.Name); {
		case fn == fq:
			exact = append(exact, m)
		case strings.Contains(fn, fq):
			part = append(part, m)
		}
	}
	if len(exact) > 0 {
		return exact, nil
	}
	if len(part) > 0 {
		return part, nil
	}
	if id, err := strconv.ParseInt(q, 10, 64); err == nil && id != 0 {
		if m, err := tx.MemberByTelegram(id); err == nil {
			return []tasks.Member{m}, nil
		} else if !tasks.IsNotFound(err) {
			return nil, err
		}
	}
	return nil, nil
}

// askRemove shows who would be removed, with Remove / Cancel buttons.
func (b *Bot) askRemove(r *req, m tasks.Member) error {
	if m.ID == r.member.ID {
		return userError(tasks.ECONFLICT, "remove_self")
	}
	id := fmt.Sprint(m.ID)
	kb := [][]tasks.Button{b.row(
		btn(r.t("btn_remove"), b.sign.sign(opRemove, id, "y")),
		btn(r.t("btn_cancel"), b.sign.sign(opRemove, id, "n")),
	)}
	r.reply(r.t("remove_confirm", esc(m.Name), b.roleText(r.tx, r.lang, m)), kb)
	return nil
}

// onRemoveButton handles the "rm" buttons.
func (b *Bot) onRemoveButton(r *req, idText, verdict string) error {
	if err := b.o.Policy.Can(r.member, tasks.ManagePeople, nil); err != nil {
		return err
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return userError(tasks.EINVALID, "stale_button")
	}
	m, err := r.tx.Member(id)
	if tasks.IsNotFound(err) {
		return userError(tasks.EINVALID, "stale_button")
	} else if err != nil {
		return err
	}
	switch {
	case m.Removed():
		r.cbText = stripTags(errorText(r.lang, tasks.NewError(tasks.ECONFLICT, "member_removed", "", m.Name)))
		r.edit(r.chatID, r.msgID, esc(r.cbText), nil)
		return nil
	case verdict == "":
		return b.askRemove(r, m)
	case verdict == "n":
		r.edit(r.chatID, r.msgID, r.t("remove_cancelled"), nil)
		return nil
	case verdict != "y":
		return userError(tasks.EINVALID, "stale_button")
	case m.ID == r.member.ID:
		return userError(tasks.ECONFLICT, "remove_self")
	}
	return b.removeMember(r, m)
}

// removeMember removes m (tasks.RemoveMember), hands the decision cards
// they held to the other deciders, and tells the secretariat: the one who
// tapped in the card itself, the others in a message, which is the record
// they see (the member's record keeps when and by whom).
func (b *Bot) removeMember(r *req, m tasks.Member) error {
	role := b.roleText(r.tx, r.lang, m)
	wasDecider := m.Linked() && b.o.Policy.Can(m, tasks.Decide, nil) == nil
	invs, err := r.tx.Invites()
	if err != nil {
		return err
	}
	made := 0
	for _, inv := range invs {
		if inv.CreatedBy == m.ID && r.now.Before(inv.Expires) {
			made++
		}
	}
	if _, err := tasks.RemoveMember(r.tx, m.ID, r.member.ID, r.now); err != nil {
		return err
	}
	gone := m.TelegramID
	r.then(func(ctx context.Context) { b.dropMemberCommands(ctx, gone) })
	moved, orphans := 0, 0
	if wasDecider {
		if moved, orphans, err = b.handOverDecisions(r, m); err != nil {
			return err
		}
	}
	exts, err := r.tx.Extensions(tasks.ExtPending)
	if err != nil {
		return err
	}
	asked := 0
	for _, e := range exts {
		if e.RequesterID == m.ID {
			asked++
		}
	}
	msg := r.t("remove_done", esc(m.Name), role)
	if moved > 0 {
		msg += "\n" + r.t("remove_moved", moved)
	}
	if orphans > 0 {
		msg += "\n" + r.t("remove_no_decider", orphans)
	}
	if asked > 0 {
		msg += "\n" + r.t("remove_requests_stay", asked)
	}
	if made > 0 {
		msg += "\n" + r.t("remove_invites_withdrawn", made)
	}
	r.cbText = stripTags(r.t("remove_done", esc(m.Name), role))
	r.edit(r.chatID, r.msgID, msg, nil)
	ms, err := r.tx.Members()
	if err != nil {
		return err
	}
	for _, s := range ms {
		if s.Linked() && s.Role == tasks.RoleSecretariat && s.ID != r.member.ID {
			lang := b.langOf(s)
			r.send(s.TelegramID, text(lang, "remove_told", esc(r.member.Name), esc(m.Name), b.roleText(r.tx, lang, m)), nil)
		}
	}
	return nil
}

// handOverDecisions makes sure every remaining decider has a card for each
// decision still open (extension requests, proposals to stop or carry
// over), now that gone, who held one, cannot decide; a decider who has a
// copy already gets no second. It returns how many cards it queued, and
// how many decisions are open with no decider left to take them.
func (b *Bot) handOverDecisions(r *req, gone tasks.Member) (moved, orphans int, err error) {
	ds, err := b.deciders(r.tx)
	if err != nil {
		return 0, 0, err
	}
	has := func(key string) (bool, error) {
		_, err := r.tx.DecisionCopy(key)
		if tasks.IsNotFound(err) {
			return false, nil
		}
		return err == nil, err
	}
	exts, err := r.tx.Extensions(tasks.ExtPending)
	if err != nil {
		return 0, 0, err
	}
	if len(ds) == 0 {
		orphans += len(exts)
	}
	for _, e := range exts {
		t, err := r.tx.Task(e.Task)
		if err != nil {
			return 0, 0, err
		}
		requester := ""
		if m, err := r.tx.Member(e.RequesterID); err == nil {
			requester = m.Name
		}
		for _, d := range ds {
			if ok, err := has(fmt.Sprintf("ext:%d:ask:%d", e.ID, d.ID)); err != nil {
				return 0, 0, err
			} else if !ok {
				r.out = append(r.out, b.extensionAsk(r.tx, e, t, requester, d))
				moved++
			}
		}
	}
	open, err := r.tx.Tasks(tasks.TaskFilter{OpenOnly: true})
	if err != nil {
		return 0, 0, err
	}
	for _, t := range open {
		if !t.Status.Proposal() {
			continue
		}
		if len(ds) == 0 {
			orphans++
		}
		hist, err := r.tx.History(t.Code, 0)
		if err != nil {
			return 0, 0, err
		}
		var proposer, reason string
		for i := len(hist) - 1; i >= 0; i-- {
			if hist[i].NewStatus == t.Status {
				proposer, reason = hist[i].ByName, hist[i].Note
				break
			}
		}
		unit := t.Unit
		if u, err := r.tx.Unit(t.Unit); err == nil {
			unit = u.Name
		}
		for _, d := range ds {
			if ok, err := has(fmt.Sprintf("prop:%s:ask:%d", t.Code, d.ID)); err != nil {
				return 0, 0, err
			} else if !ok {
				r.out = append(r.out, b.proposalAsk(t, unit, proposer, reason, fmt.Sprintf("rm%d", gone.ID), d))
				moved++
			}
		}
	}
	return moved, orphans, nil
}

// cmdInvites lists the invites still open, each with a Revoke button.
func (b *Bot) cmdInvites(r *req, _ string) error {
	body, kb, err := b.renderInvites(r)
	if err != nil {
		return err
	}
	r.reply(body, kb)
	return nil
}

// renderInvites is the list of open invites: whom each is for, who made
// it and when it expires.
func (b *Bot) renderInvites(r *req) (string, [][]tasks.Button, error) {
	all, err := r.tx.Invites()
	if err != nil {
		return "", nil, err
	}
	var open []tasks.Invite
	for _, inv := range all {
		if r.now.Before(inv.Expires) {
			open = append(open, inv)
		}
	}
	if len(open) == 0 {
		return r.t("invites_none"), nil, nil
	}
	var sb strings.Builder
	sb.WriteString(r.t("invites_title", len(open)))
	var kb [][]tasks.Button
	for i, inv := range open {
		who := r.t("role_" + string(inv.Role))
		if inv.Unit != "" {
			who += " — " + esc(inv.Unit)
		}
		if inv.Name != "" {
			who += " — " + esc(inv.Name)
		}
		by := "—"
		if m, err := r.tx.Member(inv.CreatedBy); err == nil {
			by = esc(m.Name)
		}
		sb.WriteString("\n" + r.t("invites_line", i+1, who, by, inv.Expires.In(b.o.Loc).Format("15:04 02/01/2006")))
		if i < maxPick {
			if row := b.row(btn(r.t("btn_revoke", i+1), b.sign.sign(opRevoke, inv.Token))); len(row) > 0 {
				kb = append(kb, row)
			}
		}
	}
	return sb.String(), kb, nil
}

// onRevokeButton withdraws an invite: its link then answers as an
// expired one. The list it was tapped in is shown again without it.
func (b *Bot) onRevokeButton(r *req, token string) error {
	if err := b.o.Policy.Can(r.member, tasks.ManagePeople, nil); err != nil {
		return err
	}
	switch err := r.tx.DeleteInvite(token); {
	case tasks.IsNotFound(err):
		r.cbText = stripTags(r.t("invite_gone"))
	case err != nil:
		return err
	default:
		r.cbText = stripTags(r.t("invite_revoked"))
	}
	body, kb, err := b.renderInvites(r)
	if err != nil {
		return err
	}
	r.edit(r.chatID, r.msgID, body, kb)
	return nil
}

// dropMemberCommands takes a removed member's command menu away from their
// private chat, after the removal is committed; they keep the default
// menu, /start and /help, like any stranger. A failure is only logged: the
// commands themselves refuse them already.
func (b *Bot) dropMemberCommands(ctx context.Context, telegramID int64) {
	_, err := b.client.DeleteMyCommands(ctx, &tgbot.DeleteMyCommandsParams{Scope: &models.BotCommandScopeChat{ChatID: telegramID}})
	b.noteCall(sendHealth(err))
	if err != nil {
		b.log.Warn("deleteMyCommands for removed member", "err", err)
	}
}
