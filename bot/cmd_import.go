package bot

// This file holds the secretariat's import of a task file in chat (a
// preview, then Apply or Cancel) and /template.

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"steerbot/tasks"
)

// maxImportSize is the largest task file imported from chat, in bytes.
const maxImportSize = 5 << 20

// importDownloadTimeout bounds the download of a task file, which holds up
// the next update.
const importDownloadTimeout = time.Minute

// Shown in a preview: the first changed and new tasks, the first problems.
const (
	previewChanges  = 10
	previewNew      = 20
	previewProblems = 20
)

// fetched is a task file downloaded before its update's transaction, so
// that no transaction waits on the network. A redelivered update downloads
// again: nothing of it is kept unless its transaction commits.
type fetched struct {
	fileID string
	data   []byte
	err    error // the download failed
}

// spreadsheetExt reports whether a file name looks like a spreadsheet the
// secretariat means to import (.xlsx and .csv import; .xls, .xlsm and
// .ods get a line saying how to save them).
func spreadsheetExt(name string) (ok, importable bool) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".csv":
		return true, true
	case ".xls", ".xlsm", ".ods":
		return true, false
	}
	return false, false
}

// prefetchImport downloads a document that may be a task file to import:
// a .xlsx or .csv file, small enough, sent in a private chat by a member
// who may edit the task list. Anyone else's file is evidence or nothing and
// is never downloaded. It returns nil when there is nothing to fetch.
func (b *Bot) prefetchImport(ctx context.Context, upd *models.Update) *fetched {
	m := upd.Message
	if b.o.Files == nil || m == nil || m.Document == nil || m.From == nil || m.From.IsBot ||
		m.Chat.Type != models.ChatTypePrivate || m.Document.FileSize > maxImportSize {
		return nil
	}
	if _, importable := spreadsheetExt(m.Document.FileName); !importable {
		return nil
	}
	may := false
	if err := b.o.Store.View(ctx, func(tx tasks.Tx) error {
		if done, err := tx.Handled(upd.ID); err != nil || done {
			return err
		}
		mem, err := tx.MemberByTelegram(m.From.ID)
		if tasks.IsNotFound(err) {
			return nil
		} else if err != nil {
			return err
		}
		may = b.o.Policy.Can(mem, tasks.EditTasks, nil) == nil
		return nil
	}); err != nil || !may {
		return nil // a store error is met again, and reported, in the update's own transaction
	}
	dctx, cancel := context.WithTimeout(ctx, importDownloadTimeout)
	defer cancel()
	data, err := b.download(dctx, m.Document.FileID, maxImportSize+1)
	if err != nil {
		b.log.Warn("import: download", "update_id", upd.ID, "err", err)
	}
	return &fetched{fileID: m.Document.FileID, data: data, err: err}
}

// isImport reports whether a message that is neither a command nor a
// reply is a task file to preview: a spreadsheet the secretariat sends in
// a private chat, unless its caption names a task (then it is evidence for
// that task, as before).
func (b *Bot) isImport(r *req, m *models.Message) bool {
	if b.o.Files == nil || !r.private || m.Document == nil || b.o.Policy.Can(r.member, tasks.EditTasks, nil) != nil {
		return false
	}
	if ok, _ := spreadsheetExt(m.Document.FileName); !ok {
		return false
	}
	for _, code := range tasks.CodeWords(messageText(m)) {
		if _, err := r.tx.Task(code); err == nil {
			return false
		}
	}
	return true
}

// cmdImport previews the file sent with /import as its caption, or asks
// for the file as a reply.
func (b *Bot) cmdImport(r *req, _ string) error {
	if b.o.Files == nil {
		return userError(tasks.ECONFLICT, "import_off")
	}
	if !r.private {
		return userError(tasks.EINVALID, "import_private")
	}
	if m := r.upd.Message; m != nil && m.Document != nil {
		return b.importFile(r, m)
	}
	r.out = append(r.out, tasks.OutMessage{ChatID: r.chatID, Text: r.t("import_prompt"), Purpose: tasks.PurposeImport, ForceReply: true})
	return nil
}

// importFile previews the task file m carries and, when it can be
// applied, keeps it as a pending import with Apply / Cancel buttons.
// Nothing of the task list is written.
func (b *Bot) importFile(r *req, m *models.Message) error {
	if err := b.o.Policy.Can(r.member, tasks.EditTasks, nil); err != nil {
		return err
	}
	if b.o.Files == nil {
		return userError(tasks.ECONFLICT, "import_off")
	}
	if !r.private {
		return userError(tasks.EINVALID, "import_private")
	}
	d := m.Document
	if d == nil {
		return userError(tasks.EINVALID, "import_needs_file")
	}
	if _, importable := spreadsheetExt(d.FileName); !importable {
		return userError(tasks.EINVALID, "import_wrong_type")
	}
	f := r.file
	if d.FileSize > maxImportSize || (f != nil && f.err == nil && len(f.data) > maxImportSize) {
		return userError(tasks.EINVALID, "import_too_big", maxImportSize>>20)
	}
	if f == nil || f.fileID != d.FileID || f.err != nil {
		return userError(tasks.ECONFLICT, "import_download")
	}
	pv, err := b.o.Files.Preview(r.tx, d.FileName, f.data, r.now, b.o.Loc)
	if err != nil {
		return importError(err)
	}
	rec := tasks.PendingImport{ID: r.upd.ID, Member: r.member.ID, Chat: r.chatID, FileName: d.FileName, Data: f.data, State: pv.State, Created: r.now}
	return b.showPreview(r, rec, pv)
}

// showPreview answers with a preview; one that can be applied is kept as
// rec, with its buttons.
func (b *Bot) showPreview(r *req, rec tasks.PendingImport, pv tasks.ImportPreview) error {
	body := previewText(r.lang, rec.FileName, pv)
	if len(pv.Problems) > 0 || pv.Created+pv.Updated+pv.UnitsCreated == 0 {
		if err := r.tx.DeletePendingImport(rec.ID); err != nil {
			return err
		}
		r.reply(body, nil)
		return nil
	}
	if err := r.tx.PutPendingImport(rec); err != nil {
		return fmt.Errorf("keep pending import: %w", err)
	}
	id := strconv.FormatInt(rec.ID, 10)
	kb := [][]tasks.Button{b.row(
		btn(r.t("btn_apply"), b.sign.sign(opImport, id, "a")),
		btn(r.t("btn_cancel"), b.sign.sign(opImport, id, "n")),
	)}
	r.reply(body+"\n\n"+r.t("import_apply_ask"), kb)
	return nil
}

// importError turns a file that cannot be read into its one line; other
// errors pass.
func importError(err error) error {
	var te *tasks.Error
	if errors.As(err, &te) && te.Code == tasks.EINVALID {
		if hasText("err_import_" + te.Key) {
			return userError(tasks.EINVALID, "import_"+te.Key)
		}
	}
	return err
}

// onImportButton applies (verdict "a") or cancels ("n") a pending import.
// Apply imports exactly the previewed bytes, and only when a new preview
// finds the tasks as they were: otherwise it shows that new preview.
func (b *Bot) onImportButton(r *req, id, verdict string) error {
	if err := b.o.Policy.Can(r.member, tasks.EditTasks, nil); err != nil {
		return err
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || b.o.Files == nil {
		return userError(tasks.EINVALID, "stale_button")
	}
	rec, err := r.tx.PendingImport(n)
	if tasks.IsNotFound(err) || (err == nil && !r.now.Before(rec.Expires())) {
		return userError(tasks.EINVALID, "stale_button")
	} else if err != nil {
		return err
	}
	if rec.Member != r.member.ID {
		return tasks.NewError(tasks.EFORBIDDEN, "not_yours", "not your import")
	}
	switch verdict {
	case "n":
		if err := r.tx.DeletePendingImport(n); err != nil {
			return err
		}
		r.edit(r.chatID, r.msgID, r.t("import_cancelled"), nil)
		r.cbText = r.t("import_cancelled")
		return nil
	case "a":
	default:
		return userError(tasks.EINVALID, "stale_button")
	}
	pv, err := b.o.Files.Preview(r.tx, rec.FileName, rec.Data, r.now, b.o.Loc)
	if err != nil {
		return importError(err)
	}
	if pv.State != rec.State || len(pv.Problems) > 0 {
		r.edit(r.chatID, r.msgID, r.t("import_changed_since"), nil)
		r.cbText = r.t("import_changed_since")
		rec.State, rec.Created = pv.State, r.now
		return b.showPreview(r, rec, pv)
	}
	res, err := b.o.Files.Import(r.tx, rec.FileName, rec.Data, r.member, r.now, b.o.Loc)
	if err != nil {
		return importError(err)
	}
	if err := r.tx.DeletePendingImport(n); err != nil {
		return err
	}
	done := r.t("import_applied", esc(rec.FileName), res.Created, res.Updated, res.Unchanged)
	r.edit(r.chatID, r.msgID, done, nil)
	r.cbText = stripTags(done)
	return nil
}

// previewText says what a task file would change, or what is wrong with
// it.
func previewText(lang, name string, pv tasks.ImportPreview) string {
	lines := []string{text(lang, "import_preview_title", esc(name))}
	if len(pv.Problems) > 0 {
		lines = append(lines, text(lang, "import_problems_head", len(pv.Problems)))
		for i, p := range pv.Problems {
			if i == previewProblems {
				lines = append(lines, text(lang, "import_problems_more", len(pv.Problems)-i))
				break
			}
			lines = append(lines, problemText(lang, p))
		}
		return strings.Join(lines, "\n")
	}
	lines = append(lines, text(lang, "import_counts", pv.Created, pv.Updated, pv.Unchanged))
	if pv.UnitsCreated > 0 {
		lines = append(lines, text(lang, "import_units_new", pv.UnitsCreated))
	}
	if len(pv.New) > 0 {
		codes := pv.New[:min(len(pv.New), previewNew)]
		s := esc(strings.Join(codes, ", "))
		if more := len(pv.New) - len(codes); more > 0 {
			s += " " + text(lang, "import_more", more)
		}
		lines = append(lines, text(lang, "import_new_head", s))
	}
	if len(pv.Changes) > 0 {
		lines = append(lines, text(lang, "import_changes_head"))
		for i, c := range pv.Changes {
			if i == previewChanges {
				lines = append(lines, text(lang, "import_more", len(pv.Changes)-i))
				break
			}
			lines = append(lines, text(lang, "import_change_line", esc(c.New.Code), c.Row, changeText(lang, c)))
		}
	}
	if pv.Created+pv.Updated+pv.UnitsCreated == 0 {
		lines = append(lines, text(lang, "import_nothing"))
	}
	return strings.Join(lines, "\n")
}

// problemText is one problem, placed as the spreadsheet shows it.
func problemText(lang string, p tasks.ImportProblem) string {
	what := esc(p.Why)
	if key := "import_why_" + p.Kind; p.Kind != "" && hasText(key) {
		args := make([]any, len(p.Args))
		for i, a := range p.Args {
			args[i] = esc(a)
		}
		what = text(lang, key, args...)
	}
	if p.Value != "" {
		what = "«" + esc(p.Value) + "» " + what
	}
	if p.Column == "" {
		return text(lang, "import_problem_row", p.Row, what)
	}
	col := p.Column
	if p.Header != "" {
		col += " (" + esc(clip(p.Header, 40)) + ")"
	}
	return text(lang, "import_problem", p.Row, col, what)
}

// hasText reports whether the catalogs have an entry key.
func hasText(key string) bool {
	_, ok := catalogs["vi"][key]
	return ok
}

// changeText lists what an import changes in one task: "tiến độ 30% → 60%;
// thời hạn 31/12/2024 → Quý IV/2024 (31/12/2024)".
func changeText(lang string, c tasks.ImportChange) string {
	o, n := c.Old, c.New
	var parts []string
	add := func(key, from, to string) {
		if from == to {
			return
		}
		if from == "" {
			from = "—"
		}
		if to == "" {
			to = "—"
		}
		parts = append(parts, text(lang, "import_field", text(lang, key), esc(clip(from, 60)), esc(clip(to, 60))))
	}
	add("import_f_title", o.Title, n.Title)
	add("import_f_unit", o.Unit, n.Unit)
	add("import_f_co_units", strings.Join(o.CoUnits, ", "), strings.Join(n.CoUnits, ", "))
	add("import_f_group", o.Group, n.Group)
	add("import_f_source", o.Source, n.Source)
	add("import_f_deadline", o.DeadlineLabel(), n.DeadlineLabel())
	add("import_f_status", o.Status.Name(lang), n.Status.Name(lang))
	add("import_f_progress", strconv.Itoa(o.Progress)+"%", strconv.Itoa(n.Progress)+"%")
	return strings.Join(parts, "; ")
}

// cmdTemplate sends the empty task file, its unit list the committee's.
func (b *Bot) cmdTemplate(r *req, _ string) error {
	if b.o.Files == nil {
		return userError(tasks.ECONFLICT, "import_off")
	}
	units, err := r.tx.Units()
	if err != nil {
		return err
	}
	data, err := b.o.Files.Template(units, r.lang, tasks.DateOf(r.now, b.o.Loc))
	if err != nil {
		return fmt.Errorf("template: %w", err)
	}
	name := "mau-danh-sach-nhiem-vu.xlsx"
	if r.lang == "en" {
		name = "task-list-template.xlsx"
	}
	r.out = append(r.out, tasks.OutMessage{ChatID: r.chatID, Text: r.t("template_caption"), Document: &tasks.File{Name: name, Data: data}})
	return nil
}
