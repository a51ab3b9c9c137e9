package bot

// This file holds the commands about people: linking with an invite (/start), inviting, a member's role and language.

import (
	"strings"

	"steerbot/tasks"
)

func (b *Bot) cmdStart(r *req, args string) error {
	token := strings.TrimSpace(args)
	if token == "" {
		if !r.linked {
			r.reply(r.t("start_stranger", esc(b.o.CommitteeName)), nil)
			return nil
		}
		r.reply(r.t("start_member", esc(r.member.Name), b.roleText(r.tx, r.lang, r.member)), nil)
		return nil
	}
	if r.linked {
		r.reply(r.t("start_already", esc(r.member.Name), b.roleText(r.tx, r.lang, r.member)), nil)
		return nil
	}
	if !r.private {
		return userError(tasks.EINVALID, "start_private")
	}
	inv, err := r.tx.TakeInvite(token)
	if tasks.IsNotFound(err) || (err == nil && !r.now.Before(inv.Expires)) {
		return userError(tasks.EINVALID, "invite_invalid")
	}
	if err != nil {
		return err
	}
	name := inv.Name
	if name == "" {
		name = strings.TrimSpace(r.from.FirstName + " " + r.from.LastName)
	}
	if name == "" {
		name = r.from.Username
	}
	m := tasks.Member{Name: name, Role: inv.Role, Unit: inv.Unit, TelegramID: r.from.ID, Title: inv.Title}
	if r.from.LanguageCode == "en" {
		m.Lang = "en"
	}
	if err := r.tx.PutMember(&m); err != nil {
		return err
	}
	r.member, r.linked = m, true
	r.then(b.publishCommands(m))
	if m.Lang != "" {
		r.lang = m.Lang
	}
	r.reply(r.t("start_linked", esc(m.Name), b.roleText(r.tx, r.lang, m))+"\n\n"+b.helpText(r), nil)
	if inv.CreatedBy != 0 {
		if by, err := r.tx.Member(inv.CreatedBy); err == nil && by.Linked() {
			r.send(by.TelegramID, text(b.langOf(by), "invite_used", esc(m.Name), b.roleText(r.tx, b.langOf(by), m)), nil)
		}
	}
	return nil
}

// roleText names a member's role, with the unit for unit roles.
func (b *Bot) roleText(tx tasks.Tx, lang string, m tasks.Member) string {
	role := text(lang, "role_"+string(m.Role))
	if m.Role.ForUnit() {
		name := m.Unit
		if u, err := tx.Unit(m.Unit); err == nil {
			name = u.Name
		}
		return role + " — " + esc(name)
	}
	return role
}

// langOf returns the language a member reads.
func (b *Bot) langOf(m tasks.Member) string {
	if m.Lang == "vi" || m.Lang == "en" {
		return m.Lang
	}
	return b.o.Lang
}

// roleAliases are the words /invite accepts for each role.
var roleAliases = map[string]tasks.Role{
	"chair": tasks.RoleChair, "truong_ban": tasks.RoleChair, "truongban": tasks.RoleChair,
	"secretariat": tasks.RoleSecretariat, "thu_ky": tasks.RoleSecretariat, "thuky": tasks.RoleSecretariat,
	"unit_head": tasks.RoleUnitHead, "head": tasks.RoleUnitHead, "thu_truong": tasks.RoleUnitHead,
	"unit_delegate": tasks.RoleUnitDelegate, "delegate": tasks.RoleUnitDelegate, "dau_moi": tasks.RoleUnitDelegate,
}

func (b *Bot) cmdInvite(r *req, args string) error {
	f := strings.Fields(args)
	if len(f) == 0 {
		return userError(tasks.EINVALID, "usage_invite")
	}
	role, ok := roleAliases[strings.ReplaceAll(tasks.Fold(f[0]), "-", "_")]
	if !ok {
		return userError(tasks.EINVALID, "bad_role", f[0])
	}
	inv := tasks.Invite{Role: role, CreatedBy: r.member.ID}
	rest := restWords(args, 1)
	if role.ForUnit() {
		if len(f) < 2 {
			return userError(tasks.EINVALID, "invite_needs_unit")
		}
		inv.Unit = f[1]
		rest = restWords(args, 2)
	}
	inv.Name, inv.Title = tasks.SplitNameTitle(rest)
	inv, err := tasks.CreateInvite(r.tx, inv, r.now, b.o.InviteTTL)
	if err != nil {
		return err
	}
	link := b.inviteLink(inv)
	who := text(r.lang, "role_"+string(role))
	if inv.Unit != "" {
		who += " — " + esc(inv.Unit)
	}
	r.reply(r.t("invite_link", who, link, r.now.Add(b.o.InviteTTL).In(b.o.Loc).Format("15:04 02/01/2006")), nil)
	return nil
}

func (b *Bot) cmdLang(r *req, args string) error {
	l := strings.ToLower(strings.TrimSpace(args))
	if l != "vi" && l != "en" {
		return userError(tasks.EINVALID, "usage_lang")
	}
	r.member.Lang = l
	if err := r.tx.PutMember(&r.member); err != nil {
		return err
	}
	r.lang = l
	r.then(b.publishCommands(r.member)) // the command menu, in the new language
	r.reply(r.t("lang_set"), nil)
	return nil
}
