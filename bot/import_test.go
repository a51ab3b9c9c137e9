package bot_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"steerbot/bot"
	"steerbot/bot/telegramtest"
	"steerbot/taskfile"
	"steerbot/tasks"
)

// withFiles turns on the import from chat and /template.
func withFiles(o *bot.Options) { o.Files = taskfile.Files{} }

// sendFile sends a document privately as a user (replying to replyTo, 0
// for none), runs a step and returns what the bot sent back.
func (h *harness) sendFile(from int64, replyTo int, name string, data []byte, caption string) []telegramtest.Message {
	h.t.Helper()
	before := len(h.srv.SentTo(from))
	id := h.srv.UploadFile(name, data)
	h.srv.SendDocument(user(from), telegramtest.Private(user(from)), replyTo, id, name, int64(len(data)), caption)
	h.step()
	return h.srv.SentTo(from)[before:]
}

// xlsx builds a workbook whose first sheet holds rows.
func xlsx(t *testing.T, rows ...[]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		for j, v := range r {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr("Sheet1", ref, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// taskCount is how many tasks the store holds.
func (h *harness) taskCount() int {
	h.t.Helper()
	var n int
	if err := h.st.View(h.ctx, func(tx tasks.Tx) error {
		ts, err := tx.Tasks(tasks.TaskFilter{})
		n = len(ts)
		return err
	}); err != nil {
		h.t.Fatal(err)
	}
	return n
}

var planHeader = []string{"Mã", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tiến độ"}

// goodPlan creates CCHC-06, changes CCHC-01's progress and deadline and
// gives CCHC-03 as it is.
func goodPlan(t *testing.T) []byte {
	return xlsx(t, planHeader,
		[]string{"CCHC-06", "Rà soát thủ tục hành chính cấp huyện", "QHK", "Quý IV/2023", "0"},
		[]string{"CCHC-01", "Xây dựng Kế hoạch CCHC năm 2024", "SNV", "Tháng 11/2023", "60"},
		[]string{"CCHC-03", "Xác định Chỉ số CCHC 2023", "SNV", "31/12/2023", "0"},
	)
}

func TestImport_PreviewApply(t *testing.T) {
	h := newHarness(t, withFiles)
	before := h.taskCount()
	pv := one(t, h.sendFile(secrID, 0, "ke-hoach.xlsx", goodPlan(t), ""))
	contains(t, pv.Text, "ke-hoach.xlsx", "Mới: 1", "Thay đổi: 1", "Không đổi: 1", "CCHC-06",
		"CCHC-01 (dòng 3)", "thời hạn 30/09/2023 → Tháng 11/2023 (30/11/2023)", "tiến độ 20% → 60%")
	if h.taskCount() != before || h.task("CCHC-01").Progress != 20 {
		t.Fatal("the preview wrote tasks")
	}
	toast := h.press(secrID, pv, "Áp dụng")
	contains(t, toast, "Đã nhập tệp ke-hoach.xlsx: 1 nhiệm vụ mới, 1 thay đổi, 1 không đổi")
	card := one(t, h.say(secrID, "/task CCHC-06"))
	contains(t, card.Text, "Rà soát thủ tục hành chính cấp huyện", "Quý IV/2023 (31/12/2023)")
	if got := h.task("CCHC-01"); got.Progress != 60 || got.DeadlineText != "Tháng 11/2023" {
		t.Errorf("CCHC-01 = %+v", got)
	}
	hist := h.history("CCHC-01")
	if u := hist[len(hist)-1]; u.Via != tasks.ViaImport || u.ByName != "Trần Thị Bình" {
		t.Errorf("last update %+v, want via import by the secretariat", u)
	}
	if len(h.history("CCHC-03")) != 1 {
		t.Error("an unchanged task got an update")
	}
	// The same button again: the import is gone.
	if toast := h.press(secrID, pv, "Áp dụng"); !strings.Contains(toast, "không còn hiệu lực") {
		t.Errorf("second Apply: toast %q, want a stale button", toast)
	}
	if n := h.taskCount(); n != before+1 {
		t.Errorf("%d tasks, want %d", n, before+1)
	}
}

func TestImport_BadFile(t *testing.T) {
	h := newHarness(t, withFiles)
	before := h.taskCount()
	rows := [][]string{planHeader,
		{"CCHC-06", "Nhiệm vụ mới", "XYZ", "31/02/2024", "0"},
		{"CCHC-07", "", "SNV", "Quý V/2023", "150"},
	}
	for i := 0; i < 25; i++ {
		rows = append(rows, []string{fmt.Sprintf("N-%02d", i), "Nhiệm vụ", "NOPE", "", ""})
	}
	got := h.sendFile(secrID, 0, "sai.xlsx", xlsx(t, rows...), "")
	msg := got[len(got)-1]
	all := ""
	for _, m := range got {
		all += m.Text + "\n"
	}
	contains(t, all, "30 lỗi", "chưa lưu gì",
		"Dòng 2, cột C (Đơn vị chủ trì): «XYZ» không có đơn vị này", "Dòng 2, cột D (Thời hạn): «31/02/2024» không phải ngày hợp lệ",
		"Dòng 3, cột B (Nhiệm vụ): còn trống", "Dòng 3, cột E (Tiến độ): «150» tiến độ phải là số nguyên", "… và 10 lỗi khác")
	if len(msg.Buttons) != 0 {
		t.Errorf("a file with problems got buttons %v", msg.Buttons)
	}
	if h.taskCount() != before {
		t.Error("a bad file wrote tasks")
	}
}

// TestImport_NotSecretariat: a unit head's spreadsheet is evidence, as
// before, and never downloaded.
func TestImport_NotSecretariat(t *testing.T) {
	h := newHarness(t, withFiles)
	card := one(t, h.say(headSNV, "/task CCHC-01"))
	got := h.sendFile(headSNV, card.MessageID, "bao-cao.xlsx", goodPlan(t), "")
	for _, m := range got {
		lacks(t, m.Text, "Xem trước")
	}
	hist := h.history("CCHC-01")
	if u := hist[len(hist)-1]; len(u.Attachments) != 1 || u.Attachments[0].Name != "bao-cao.xlsx" {
		t.Fatalf("last update %+v, want the file as evidence", u)
	}
	plain := one(t, h.sendFile(headSNV, 0, "ke-hoach.xlsx", goodPlan(t), ""))
	lacks(t, plain.Text, "Xem trước")
	caption := one(t, h.sendFile(headSNV, 0, "ke-hoach.xlsx", goodPlan(t), "/import"))
	lacks(t, caption.Text, "Xem trước")
	if n := h.srv.Count("getFile"); n != 0 {
		t.Errorf("getFile called %d times for a unit head's files", n)
	}
	if h.taskCount() != 5 {
		t.Error("a unit head's file created tasks")
	}
}

// TestImport_ChangedBeforeApply: a task the file names changes between the
// preview and Apply: the bot previews again and writes nothing.
func TestImport_ChangedBeforeApply(t *testing.T) {
	h := newHarness(t, withFiles)
	pv := one(t, h.sendFile(secrID, 0, "ke-hoach.xlsx", goodPlan(t), ""))
	one(t, h.say(headSNV, "/update CCHC-01 40%"))
	before := len(h.srv.SentTo(secrID))
	toast := h.press(secrID, pv, "Áp dụng")
	contains(t, toast, "đã thay đổi từ lúc xem trước")
	again := h.srv.SentTo(secrID)[before:]
	var fresh telegramtest.Message
	for _, m := range again {
		if strings.Contains(m.Text, "Xem trước") {
			fresh = m
		}
	}
	contains(t, fresh.Text, "tiến độ 40% → 60%")
	if _, err := h.taskOK("CCHC-06"); err == nil {
		t.Fatal("Apply after a change wrote the file")
	}
	contains(t, h.press(secrID, fresh, "Áp dụng"), "Đã nhập")
	if got := h.task("CCHC-01"); got.Progress != 60 {
		t.Errorf("CCHC-01 progress %d, want 60", got.Progress)
	}
}

func TestImport_Cancel(t *testing.T) {
	h := newHarness(t, withFiles)
	before := h.taskCount()
	pv := one(t, h.sendFile(secrID, 0, "ke-hoach.xlsx", goodPlan(t), "/import"))
	contains(t, h.press(secrID, pv, "Huỷ"), "Đã huỷ")
	// Apply after Cancel: the import is gone.
	contains(t, h.pressData(secrID, pv.ChatID, pv.MessageID, pv.Buttons[0][0].Data), "không còn hiệu lực")
	if h.taskCount() != before || h.task("CCHC-01").Progress != 20 {
		t.Fatal("Cancel wrote tasks")
	}
}

// TestImport_ReplyToPrompt: /import asks for the file; a CSV sent as the
// reply is previewed.
func TestImport_ReplyToPrompt(t *testing.T) {
	h := newHarness(t, withFiles)
	prompt := one(t, h.say(secrID, "/import"))
	contains(t, prompt.Text, ".xlsx", ".csv")
	csv := "code;title;unit;deadline\nCCHC-09;Tổng kết;STP;Thường xuyên\n"
	pv := one(t, h.sendFile(secrID, prompt.MessageID, "plan.csv", []byte(csv), ""))
	contains(t, pv.Text, "Mới: 1", "CCHC-09")
	h.press(secrID, pv, "Áp dụng")
	if tk := h.task("CCHC-09"); !tk.Ongoing() {
		t.Errorf("CCHC-09 = %+v, want ongoing", tk)
	}
}

// TestImport_Refused: files that cannot be imported get one line each,
// nothing is written, and the bot goes on answering.
func TestImport_Refused(t *testing.T) {
	h := newHarness(t, withFiles)
	before := h.taskCount()
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for i := 0; i < taskfile.MaxUnzipped>>20+1; i++ {
		if _, err := w.Write(zeros); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 4096)...)
	for _, c := range []struct {
		name    string
		data    []byte
		caption string
		want    string
	}{
		{"bien-ban.pdf", []byte("%PDF-1.4"), "/import", "Chỉ nhập được tệp .xlsx hoặc .csv"},
		{"ke-hoach.xls", ole, "", "Chỉ nhập được tệp .xlsx hoặc .csv"},
		{"mat-khau.xlsx", ole, "", "có mật khẩu"},
		{"bom.xlsx", bomb.Bytes(), "", "giải nén ra quá lớn"},
		{"hong.xlsx", []byte("not a zip at all"), "", "Không đọc được tệp Excel"},
		{"utf16.csv", []byte("\xff\xfec\x00o\x00"), "", "không phải UTF-8"},
	} {
		got := one(t, h.sendFile(secrID, 0, c.name, c.data, c.caption))
		contains(t, got.Text, c.want)
	}
	// Over 5 MB: refused from its declared size, never downloaded.
	calls := h.srv.Count("getFile")
	h.srv.SendDocument(user(secrID), telegramtest.Private(user(secrID)), 0, "", "lon.xlsx", 6<<20, "")
	n := len(h.srv.SentTo(secrID))
	h.step()
	contains(t, one(t, h.srv.SentTo(secrID)[n:]).Text, "tối đa 5 MB")
	if h.srv.Count("getFile") != calls {
		t.Error("a file over 5 MB was downloaded")
	}
	if h.taskCount() != before {
		t.Fatal("a refused file wrote tasks")
	}
	contains(t, one(t, h.say(secrID, "/task CCHC-01")).Text, "CCHC-01")
}

// TestTemplate_Chat: /template sends the empty task file; filled in and
// sent back, it imports.
func TestTemplate_Chat(t *testing.T) {
	h := newHarness(t, withFiles)
	doc := one(t, h.say(secrID, "/template"))
	if doc.Document == nil || !strings.HasSuffix(doc.Document.Name, ".xlsx") {
		t.Fatalf("no template: %+v", doc)
	}
	f, err := excelize.OpenReader(bytes.NewReader(doc.Document.Data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sh := f.GetSheetList()[0]
	dvs, err := f.GetDataValidations(sh)
	if err != nil || len(dvs) != 3 {
		t.Fatalf("validations %v, %v: want status, progress and the committee's units", dvs, err)
	}
	for i, v := range []string{"KH-01", "Tập huấn chuyển đổi số", "STP", "", "6 tháng đầu năm 2024", "Đang triển khai", "10"} {
		ref, _ := excelize.CoordinatesToCellName(i+1, 4)
		if err := f.SetCellStr(sh, ref, v); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	pv := one(t, h.sendFile(secrID, 0, "mau.xlsx", b.Bytes(), ""))
	contains(t, pv.Text, "Mới: 1", "KH-01")
	lacks(t, pv.Text, "VD-")
	h.press(secrID, pv, "Áp dụng")
	card := one(t, h.say(secrID, "/task KH-01"))
	contains(t, card.Text, "Tập huấn chuyển đổi số", "6 tháng đầu năm 2024 (30/06/2024)")
	if one(t, h.say(headSNV, "/template")).Document != nil {
		t.Error("a unit head got the template")
	}
}

// taskOK reads a task, returning the store's error.
func (h *harness) taskOK(code string) (tasks.Task, error) {
	var tk tasks.Task
	err := h.st.View(h.ctx, func(tx tasks.Tx) error {
		var err error
		tk, err = tx.Task(code)
		return err
	})
	return tk, err
}

// TestImport_Menu: /help and the command menu offer /import and /template
// to the secretariat only.
func TestImport_Menu(t *testing.T) {
	h := newHarness(t, withFiles)
	contains(t, one(t, h.say(secrID, "/help")).Text, "/import", "/template")
	lacks(t, one(t, h.say(headSNV, "/help")).Text, "/import", "/template")
	if err := h.b.SetCommands(h.ctx); err != nil {
		t.Fatal(err)
	}
	names := func(scope string) string {
		var s []string
		for _, c := range h.srv.Commands(scope) {
			s = append(s, c.Command)
		}
		return strings.Join(s, " ")
	}
	contains(t, names(fmt.Sprintf("chat:%d", secrID)), "import", "template")
	lacks(t, names(fmt.Sprintf("chat:%d", headSNV)), "import", "template")
}

// TestImport_CaptionNamesTask: the secretariat's spreadsheet whose caption
// names a task is evidence for that task, not an import.
func TestImport_CaptionNamesTask(t *testing.T) {
	h := newHarness(t, withFiles)
	got := h.sendFile(secrID, 0, "bang-tinh.xlsx", goodPlan(t), "CCHC-02 số liệu kiểm tra")
	for _, m := range got {
		lacks(t, m.Text, "Xem trước")
	}
	hist := h.history("CCHC-02")
	if u := hist[len(hist)-1]; len(u.Attachments) != 1 || u.Attachments[0].Name != "bang-tinh.xlsx" {
		t.Fatalf("last update %+v, want the file as evidence", u)
	}
	if h.taskCount() != 5 {
		t.Error("an evidence file created tasks")
	}
}
