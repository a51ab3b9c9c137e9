package bot

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/go-telegram/bot/models"

	"steerbot/tasks"
)

// attachments returns the evidence a message carries.
func attachments(m *models.Message) []tasks.Attachment {
	var out []tasks.Attachment
	if d := m.Document; d != nil {
		name := d.FileName
		if name == "" {
			name = "document"
		}
		out = append(out, tasks.Attachment{FileID: d.FileID, Name: name, Size: d.FileSize, Kind: "document"})
	}
	if n := len(m.Photo); n > 0 {
		p := m.Photo[n-1] // the largest size
		name := "photo.jpg"
		if id := p.FileUniqueID; len(id) >= 6 {
			name = "photo-" + id[len(id)-6:] + ".jpg" // photos of one album told apart
		}
		out = append(out, tasks.Attachment{FileID: p.FileID, Name: name, Size: int64(p.FileSize), Kind: "photo"})
	}
	return out
}

// messageText is what a member wrote: the text, or a file's caption.
func messageText(m *models.Message) string {
	if m.Text != "" {
		return strings.TrimSpace(m.Text)
	}
	return strings.TrimSpace(m.Caption)
}

// onReply reads a reply to one of the bot's messages as an update of the
// task(s) that message was about.
func (b *Bot) onReply(r *req, m *models.Message) (err error) {
	if !r.linked {
		if r.private {
			r.reply(r.t("not_linked"), nil)
		}
		return nil
	}
	ref, err := r.tx.MessageRef(r.chatID, m.ReplyToMessage.ID)
	if tasks.IsNotFound(err) {
		// A group that became a supergroup: the bot's messages there are
		// recorded under the group's old id.
		old, ok, merr := b.movedFrom(r.tx, r.chatID)
		if merr != nil {
			return merr
		}
		if ok {
			ref, err = r.tx.MessageRef(old, m.ReplyToMessage.ID)
		}
	}
	if err == nil && ref.Purpose == "" && !r.private && !r.member.Role.ForUnit() {
		// In the committee group, chairs and the secretariat reply to one
		// another ("đề nghị Sở Nội vụ khẩn trương…"): that is talk, not a
		// report. Only a unit's own people report there, and anyone
		// answers the bot's own questions.
		return nil
	}
	if tasks.IsNotFound(err) || (err == nil && len(ref.TaskCodes) == 0 && ref.Purpose == "") {
		if !r.private {
			return nil
		}
		return b.onFreeText(r, m)
	} else if err != nil {
		return err
	}
	body, atts := messageText(m), attachments(m)
	if done, err := b.albumFollower(r, m, atts); done || err != nil {
		return err
	}
	defer func() {
		if err == nil {
			err = b.rememberAlbum(r, m)
		}
	}()
	switch ref.Purpose {
	case "extend":
		t, err := b.loadTask(r, ref.TaskCodes[0], tasks.RequestExtend)
		if err != nil {
			return err
		}
		date, reason := dateAndReason(body, tasks.DateOf(r.now, b.o.Loc))
		return b.requestExtension(r, t, date, reason)
	case "progress":
		if n, ok := tasks.ParsePercent(strings.Fields(body + " x")[0]); ok && len(atts) == 0 {
			t, err := b.loadTask(r, ref.TaskCodes[0], tasks.UpdateTask)
			if err != nil {
				return err
			}
			ch := tasks.Change{Progress: &n, Note: strings.TrimSpace(restWords(body, 1))}
			return b.applyChange(r, t, ch, tasks.ViaReply, true)
		}
	case "conclusions":
		return b.onConclusions(r, body, m)
	}
	if strings.HasPrefix(ref.Purpose, "draft:") {
		return b.editDraft(r, strings.TrimPrefix(ref.Purpose, "draft:"), body)
	}
	var cands []tasks.Task
	var firstErr error
	for _, code := range ref.TaskCodes {
		t, err := r.tx.Task(code)
		if err != nil {
			continue
		}
		if err := b.o.Policy.Can(r.member, tasks.UpdateTask, &t); err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if t.Status.Open() || len(ref.TaskCodes) == 1 {
			cands = append(cands, t)
		}
	}
	switch {
	case len(cands) == 0 && !r.private:
		return nil // not this unit's task: no refusal posted in the group
	case len(cands) == 0 && firstErr != nil:
		return firstErr
	case len(cands) == 0:
		return userError(tasks.ECONFLICT, "reply_no_open_task")
	case len(cands) == 1:
		return b.applyText(r, cands[0], body, atts, tasks.ViaReply)
	}
	if parts := splitByCode(body, cands); len(parts) == 1 {
		return b.applyText(r, parts[0].t, parts[0].text, atts, tasks.ViaReply)
	} else if len(parts) > 1 && len(atts) == 0 {
		// "CCHC-01 xong, CCHC-02 được 50%": each task gets its own words.
		for _, p := range parts {
			if err := b.applyText(r, p.t, p.text, nil, tasks.ViaReply); err != nil {
				return err
			}
		}
		return nil
	}
	if len(atts) == 0 && !tasks.ReadReply(body, tasks.DateOf(r.now, b.o.Loc)).Understood && !extensionAsked(body) {
		// "Dạ em nhận ạ": an acknowledgement, not a report; asking which
		// task it was about would only store it as a note.
		r.reply(r.t("reply_not_read"), nil)
		return nil
	}
	return b.askWhich(r, body, atts, cands)
}

// albumFollower adds the files of a later message of an album (several
// photos or files sent at once, each a message of its own) to where the
// first one went — its task, or the question which task — without a
// question or a confirmation of its own. done is false for a message that
// is not such a follower.
func (b *Bot) albumFollower(r *req, m *models.Message, atts []tasks.Attachment) (bool, error) {
	if m.MediaGroupID == "" || len(atts) == 0 {
		return false, nil
	}
	a, err := r.tx.Album(m.MediaGroupID)
	if tasks.IsNotFound(err) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	switch {
	case a.Task != "":
		t, err := b.loadTask(r, a.Task, tasks.UpdateTask)
		if err != nil {
			return true, err
		}
		return true, b.applyChange(r, t, tasks.Change{Attachments: atts, Note: messageText(m)}, tasks.ViaReply, false)
	case a.Pending != 0:
		p, err := r.tx.PendingChoice(a.Pending)
		if tasks.IsNotFound(err) {
			return true, nil // already chosen: the files came too late for it
		} else if err != nil {
			return true, err
		}
		p.Atts = append(p.Atts, atts...)
		return true, r.tx.PutPendingChoice(p)
	}
	return false, nil
}

// rememberAlbum records where the first message of an album went.
func (b *Bot) rememberAlbum(r *req, m *models.Message) error {
	a := tasks.Album{ID: m.MediaGroupID, Pending: r.pending, Created: r.now}
	if r.pending == 0 {
		a.Task = r.task
	}
	if a.ID == "" || (a.Pending == 0 && a.Task == "") {
		return nil
	}
	if err := r.tx.PutAlbum(a); err != nil {
		return fmt.Errorf("remember album: %w", err)
	}
	return nil
}

// codePart is the part of a reply that names one task.
type codePart struct {
	t    tasks.Task
	text string
}

// splitByCode cuts a reply at each code of cands it names and returns the
// words after each code (before the next one) with its task; none when it
// names no code.
func splitByCode(body string, cands []tasks.Task) []codePart {
	type at struct {
		i, n int
		t    tasks.Task
	}
	var found []at
	upper := asciiUpper(body) // same length as body, so indexes carry over
	for _, t := range cands {
		if i := wordIndex(upper, t.Code); i >= 0 {
			found = append(found, at{i, len(t.Code), t})
		}
	}
	sort.Slice(found, func(a, b int) bool { return found[a].i < found[b].i })
	var parts []codePart
	for k, f := range found {
		end := len(body)
		if k+1 < len(found) {
			end = found[k+1].i
		}
		text := body[f.i+f.n : end]
		if k == 0 {
			text = body[:f.i] + " " + text // words before the first code belong to it
		}
		parts = append(parts, codePart{f.t, strings.Trim(strings.TrimSpace(text), ":-–,;. ")})
	}
	// "CCHC-01, CCHC-02: đã hoàn thành": codes listed together share the
	// words that follow them.
	for k := len(parts) - 2; k >= 0; k-- {
		if parts[k].text == "" {
			parts[k].text = parts[k+1].text
		}
	}
	return parts
}

// asciiUpper upper-cases ASCII letters only, keeping every byte offset.
func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// wordIndex returns where code stands as a word in s (both upper case),
// or -1.
func wordIndex(s, code string) int {
	for from := 0; from < len(s); {
		i := strings.Index(s[from:], code)
		if i < 0 {
			return -1
		}
		i += from
		before := i == 0 || !isCodeByte(s[i-1])
		after := i+len(code) == len(s) || !isCodeByte(s[i+len(code)])
		if before && after {
			return i
		}
		from = i + 1
	}
	return -1
}

func isCodeByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c >= 0x80
}

// extensionAsked reports whether a member's words ask for more time:
// "xin gia hạn", "lùi hạn", "more time" as whole words, not negated ("không
// cần gia hạn") and not inside other words ("tham gia hàng").
func extensionAsked(body string) bool {
	words := strings.FieldsFunc(tasks.Fold(body), func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')
	})
	phrases := [][]string{{"gia", "han"}, {"lui", "han"}, {"them", "thoi", "gian"}, {"keo", "dai", "thoi", "han"}, {"more", "time"}, {"extend"}, {"extension"}, {"postpone"}}
	for i := range words {
		for _, p := range phrases {
			if i+len(p) > len(words) || !slices.Equal(words[i:i+len(p)], p) {
				continue
			}
			neg := false
			for k := max(0, i-3); k < i; k++ {
				switch words[k] {
				case "khong", "chua", "ko", "no", "not", "dont", "without":
					neg = true
				}
			}
			if !neg {
				return true
			}
		}
	}
	return false
}

// dateAndReason finds the first date in a member's words ("đến 30/11 vì
// chờ kinh phí") and returns it with the rest as the reason.
func dateAndReason(body string, today tasks.Date) (date, reason string) {
	words := strings.Fields(body)
	for i, w := range words {
		cand := strings.Trim(w, ".,;:()")
		if _, err := tasks.ParseDate(cand, today); err == nil {
			rest := append(append([]string{}, words[:i]...), words[i+1:]...)
			for len(rest) > 0 && isFiller(rest[0]) {
				rest = rest[1:]
			}
			for len(rest) > 0 && isFiller(rest[len(rest)-1]) {
				rest = rest[:len(rest)-1]
			}
			return cand, strings.Trim(strings.Join(rest, " "), " ,;:-")
		}
	}
	first, rest, _ := strings.Cut(strings.TrimSpace(body), " ")
	return first, rest
}

// isFiller reports whether a word only links a date to the reason.
func isFiller(w string) bool {
	switch tasks.Fold(strings.Trim(w, ".,;:")) {
	case "", "den", "ngay", "toi", "vi", "do", "la", "until", "to", "by", "because", "xin", "gia", "han", "lui", "gia han":
		return true
	}
	return false
}

// containsCode reports whether s holds code as a word, in any case.
func containsCode(s, code string) bool {
	for _, w := range strings.FieldsFunc(s, func(c rune) bool { return strings.ContainsRune(" ,;:\n\t.!?()[]\"'", c) }) {
		if strings.EqualFold(w, code) {
			return true
		}
	}
	return false
}

// askWhich asks with one button per task which task a reply is about.
func (b *Bot) askWhich(r *req, body string, atts []tasks.Attachment, cands []tasks.Task) error {
	id := fmt.Sprint(r.upd.ID)
	p := tasks.PendingChoice{ID: r.upd.ID, Member: r.member.ID, Text: body, Atts: atts, Created: r.now}
	if err := r.tx.PutPendingChoice(p); err != nil {
		return err
	}
	r.pending = p.ID
	var kb [][]tasks.Button
	var lines []string
	for i, t := range cands {
		if i == 12 {
			break
		}
		lines = append(lines, fmt.Sprintf("• <b>%s</b> %s", esc(t.Code), esc(clip(t.Title, 70))))
		if row := b.row(btn(t.Code+" — "+clip(t.Title, 30), b.sign.sign("c", id, t.Code))); len(row) > 0 {
			kb = append(kb, row)
		}
	}
	r.reply(r.t("which_task")+"\n"+strings.Join(lines, "\n"), kb)
	return nil
}

// choosePending applies a pending reply to the task the member chose.
func (b *Bot) choosePending(r *req, id, code string) error {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return userError(tasks.EINVALID, "stale_button")
	}
	p, err := r.tx.PendingChoice(n)
	if tasks.IsNotFound(err) {
		return userError(tasks.EINVALID, "stale_button")
	} else if err != nil {
		return err
	}
	if p.Member != r.member.ID {
		return tasks.NewError(tasks.EFORBIDDEN, "not_yours", "not your reply")
	}
	t, err := b.loadTask(r, code, tasks.UpdateTask)
	if err != nil {
		return err
	}
	if err := r.tx.DeletePendingChoice(n); err != nil {
		return err
	}
	r.edit(r.chatID, r.msgID, r.t("which_task_chosen", esc(t.Code)), nil, t.Code)
	return b.applyText(r, t, p.Text, p.Atts, tasks.ViaReply)
}

// applyText applies what the rules read in a member's text (and any
// evidence) to a task. Text the rules cannot read is kept as a note with no
// status change, and the member is told so and shown the buttons.
func (b *Bot) applyText(r *req, t tasks.Task, body string, atts []tasks.Attachment, via tasks.Via) error {
	today := tasks.DateOf(r.now, b.o.Loc)
	rd := tasks.ReadReply(body, today)
	if extensionAsked(body) && len(atts) == 0 && rd.Status == nil && rd.Progress == nil && b.o.Policy.Can(r.member, tasks.RequestExtend, &t) == nil {
		// "xin gia hạn đến 30/11 vì chờ kinh phí": a request for more
		// time, sent to the deciders, not a note.
		if date, reason := dateAndReason(body, today); date != "" {
			if _, err := tasks.ParseDate(date, today); err == nil {
				if reason == "" {
					reason = body
				}
				return b.requestExtension(r, t, date, reason)
			}
		}
		r.out = append(r.out, tasks.OutMessage{ChatID: r.chatID, Text: r.t("extend_prompt", esc(t.Code), t.Deadline.VN()), TaskCodes: []string{t.Code}, Purpose: "extend", ForceReply: true})
		return nil
	}
	ch := rd.Change()
	ch.Attachments = atts
	if !rd.Understood && len(atts) == 0 && b.o.Assistant != nil {
		return b.askAssistant(r, t, body)
	}
	if ch.Empty() {
		return userError(tasks.EINVALID, "empty_reply")
	}
	if !rd.Understood {
		if err := b.applyChange(r, t, ch, via, false); err != nil {
			return err
		}
		key := "kept_as_note"
		if len(atts) > 0 {
			key = "evidence_saved"
		}
		r.reply(r.t(key, esc(t.Code), len(atts)), b.taskButtons(r.lang, r.member, t), t.Code)
		return nil
	}
	return b.applyChange(r, t, ch, via, true)
}

// onFreeText handles a private message that is neither a command nor a
// reply: if it names one of the member's tasks by code it updates it,
// otherwise it explains how to report.
func (b *Bot) onFreeText(r *req, m *models.Message) error {
	body := messageText(m)
	var found []tasks.Task
	var loose []string // code-like words that name no task exactly
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(body, func(c rune) bool { return c == ' ' || c == ',' || c == ':' || c == '\n' || c == ';' }) {
		code := tasks.NormalizeCode(strings.Trim(w, ".!?()[]\"'"))
		if len(code) < 2 || len(code) > 40 || seen[code] || !strings.ContainsAny(code, "0123456789") {
			continue
		}
		seen[code] = true
		if t, err := r.tx.Task(code); err == nil {
			found = append(found, t)
		} else if strings.IndexFunc(code, unicode.IsLetter) >= 0 && !strings.ContainsAny(code, "%/") {
			loose = append(loose, code)
		}
	}
	if len(found) == 0 && len(loose) == 1 {
		// "cchc2 xong": the one code-like word, typed loosely.
		if t, ok, err := findLoose(r.tx, loose[0]); err != nil {
			return err
		} else if ok {
			found = append(found, t)
			body = strings.Replace(body, wordCase(body, loose[0]), t.Code, 1)
		}
	}
	if len(found) == 1 {
		t := found[0]
		rest := strings.Trim(strings.TrimSpace(strings.Replace(body, wordCase(body, t.Code), "", 1)), " :-,")
		atts := attachments(m)
		if len(atts) == 0 && (rest == "" || isQuestion(rest)) {
			// "CCHC-01" or "CCHC-01 thế nào rồi?": they want to see it.
			if err := b.o.Policy.Can(r.member, tasks.ReadTask, &t); err != nil {
				return err
			}
			card, kb, err := b.renderCard(r.tx, r.lang, r.now, r.member, t)
			if err != nil {
				return err
			}
			r.reply(card, kb, t.Code)
			return nil
		}
		if err := b.o.Policy.Can(r.member, tasks.UpdateTask, &t); err != nil {
			return err
		}
		return b.applyText(r, t, rest, atts, tasks.ViaFreeText)
	}
	if len(attachments(m)) > 0 {
		// Evidence with no task named: the file is not lost silently; the
		// member is told how to attach it.
		r.reply(r.t("evidence_how"), nil)
		return nil
	}
	if b.o.Assistant != nil && r.member.Role.ForUnit() {
		ts, err := r.tx.Tasks(tasks.TaskFilter{Unit: r.member.Unit, OpenOnly: true})
		if err != nil {
			return err
		}
		if len(ts) > 0 {
			return b.queueAssistant(r, ts, body)
		}
	}
	r.reply(r.t("free_text_hint"), nil)
	return nil
}

// isQuestion reports whether a short text asks rather than reports.
func isQuestion(s string) bool {
	if strings.Contains(s, "?") {
		return true
	}
	f := tasks.Fold(s)
	for _, q := range []string{"the nao", "ra sao", "bao gio", "khi nao", "den dau", "sao roi", "how is", "status of", "what about"} {
		if strings.Contains(f, q) {
			return true
		}
	}
	return false
}

// wordCase finds code in s whatever its case, returning it as written.
func wordCase(s, code string) string {
	for i := 0; i+len(code) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(code)], code) {
			return s[i : i+len(code)]
		}
	}
	return code
}

// namedTask finds the one task of cands whose code the text names, and
// returns the text without it ("CCHC-02 đã hoàn thành" → CCHC-02,
// "đã hoàn thành").
func namedTask(body string, cands []tasks.Task) (tasks.Task, string, bool) {
	if parts := splitByCode(body, cands); len(parts) == 1 {
		return parts[0].t, parts[0].text, true
	}
	return tasks.Task{}, body, false
}
