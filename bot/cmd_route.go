package bot

// This file holds routing of messages to the chat commands, and /help.

import (
	"strings"
	"unicode/utf8"

	"steerbot/tasks"
)

// command is one chat command: its name, the action that gates it (empty:
// anyone may use it, linked or not) and its handler.
type command struct {
	name   string
	action tasks.Action
	run    func(b *Bot, r *req, args string) error
}

// commandTable lists the chat commands in the order /help shows them.
func commandTable() []command {
	return []command{
		{"start", "", (*Bot).cmdStart},
		{"help", "", (*Bot).cmdHelp},
		{"tasks", tasks.SetLanguage, (*Bot).cmdTasks},
		{"task", tasks.SetLanguage, (*Bot).cmdTask},
		{"update", tasks.UpdateTask, (*Bot).cmdUpdate},
		{"extend", tasks.RequestExtend, (*Bot).cmdExtend},
		{"overdue", tasks.ReadAll, (*Bot).cmdOverdue},
		{"digest", tasks.ReadAll, (*Bot).cmdDigest},
		{"units", tasks.ReadAll, (*Bot).cmdUnits},
		{"indicators", tasks.SetLanguage, (*Bot).cmdIndicators},
		{"indicator", tasks.SetLanguage, (*Bot).cmdIndicator},
		{"value", tasks.UpdateTask, (*Bot).cmdValue},
		{"newtask", tasks.EditTasks, (*Bot).cmdNewTask},
		{"meeting", tasks.ManageMeetings, (*Bot).cmdMeeting},
		{"meetings", tasks.ListMeetings, (*Bot).cmdMeetings},
		{"invite", tasks.ManagePeople, (*Bot).cmdInvite},
		{"invites", tasks.ManagePeople, (*Bot).cmdInvites},
		{"remove", tasks.ManagePeople, (*Bot).cmdRemove},
		{"members", tasks.ManagePeople, (*Bot).cmdMembers},
		{"away", tasks.DeclareAway, (*Bot).cmdAway},
		{"part", tasks.ReportPart, (*Bot).cmdPart},
		{"remind", tasks.SendReminders, (*Bot).cmdRemind},
		{"pending", tasks.ReadAll, (*Bot).cmdPending},
		{"export", tasks.EditTasks, (*Bot).cmdExport},
		{"import", tasks.EditTasks, (*Bot).cmdImport},
		{"template", tasks.EditTasks, (*Bot).cmdTemplate},
		{"report", tasks.ReadAll, (*Bot).cmdReport},
		{"conclusions", tasks.EditTasks, (*Bot).cmdConclusions},
		{"ask", tasks.ReadAll, (*Bot).cmdAsk},
		{"lang", tasks.SetLanguage, (*Bot).cmdLang},
		{"dashboard", tasks.SetLanguage, (*Bot).cmdDashboard},
	}
}

// parseCommand reads "/name[@bot] args" from the start of a message. A
// command addressed to another bot is not ours (ok false).
func parseCommand(s, username string) (name, args string, ok bool) {
	if !strings.HasPrefix(s, "/") {
		return "", "", false
	}
	head, rest, _ := strings.Cut(s[1:], " ")
	if i := strings.IndexAny(head, "\n\t"); i >= 0 {
		head, rest = head[:i], head[i+1:]+" "+rest
	}
	name, at, addressed := strings.Cut(head, "@")
	if addressed && !strings.EqualFold(at, username) {
		return "", "", false
	}
	if name == "" || len(name) > 32 {
		return "", "", false
	}
	name = strings.ToLower(name)
	for i := 0; i < len(name); i++ {
		if c := name[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return "", "", false // Telegram's command names are a-z, 0-9 and _
		}
	}
	return name, strings.TrimSpace(rest), true
}

// route sends an update to its handler.
func (b *Bot) route(r *req) error {
	if r.cb != nil {
		r.command = "button"
		return b.onCallback(r)
	}
	m := r.upd.Message
	if m == nil || m.From == nil || m.From.IsBot {
		return nil // edits, channel posts and the like are not for us
	}
	body := m.Text
	if body == "" {
		body = m.Caption
	}
	if utf8.RuneCountInString(body) > maxInput {
		return userError(tasks.EINVALID, "too_long", maxInput)
	}
	if name, args, ok := parseCommand(body, b.username); ok {
		r.command = name
		return b.onCommand(r, name, args)
	}
	if m.ReplyToMessage != nil && m.ReplyToMessage.From != nil && m.ReplyToMessage.From.IsBot {
		r.command = "reply"
		return b.onReply(r, m)
	}
	if !r.private {
		return nil // group chatter is not addressed to the bot
	}
	if !r.linked {
		r.reply(r.t("not_linked"), nil)
		return nil
	}
	if b.isImport(r, m) {
		r.command = "import"
		return b.importFile(r, m)
	}
	r.command = "text"
	return b.onFreeText(r, m)
}

func (b *Bot) onCommand(r *req, name, args string) error {
	if !r.linked && !r.private {
		return nil // strangers in a group get no public answer
	}
	for _, c := range commandTable() {
		if c.name != name {
			continue
		}
		if c.action != "" {
			if !r.linked {
				r.reply(r.t("not_linked"), nil)
				return nil
			}
			if err := b.o.Policy.Can(r.member, c.action, nil); err != nil && c.action != tasks.UpdateTask && c.action != tasks.RequestExtend {
				return err
			}
		}
		return c.run(b, r, args)
	}
	if !r.private {
		return nil // another bot's command in a group
	}
	return userError(tasks.EINVALID, "unknown_command", name)
}

func (b *Bot) cmdHelp(r *req, _ string) error {
	r.reply(b.helpText(r), nil)
	return nil
}

// helpText lists the commands this member may use, one line each.
func (b *Bot) helpText(r *req) string {
	var sb strings.Builder
	sb.WriteString(r.t("help_title"))
	for _, c := range b.allowed(r) {
		sb.WriteString("\n" + r.t("help_"+c.name))
	}
	if r.linked && r.member.Role.ForUnit() {
		sb.WriteString("\n\n" + r.t("help_reply"))
	}
	if !r.linked {
		sb.WriteString("\n\n" + r.t("not_linked"))
	}
	return sb.String()
}

// allowed returns the commands a member may use.
func (b *Bot) allowed(r *req) []command {
	var out []command
	for _, c := range commandTable() {
		if (c.name == "conclusions" || c.name == "ask") && b.o.Assistant == nil {
			continue
		}
		if (c.name == "import" || c.name == "template") && b.o.Files == nil {
			continue
		}
		switch {
		case c.action == "":
		case !r.linked:
			continue
		case c.action == tasks.UpdateTask:
			if !r.member.Role.ForUnit() && r.member.Role != tasks.RoleSecretariat {
				continue
			}
		case c.action == tasks.RequestExtend:
			if !r.member.Role.ForUnit() {
				continue
			}
		default:
			if b.o.Policy.Can(r.member, c.action, nil) != nil {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}
