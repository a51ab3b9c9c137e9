package taskfile_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"steerbot/taskfile"
	"steerbot/tasks"
)

// template returns the template over baseUnits, opened.
func openTemplate(t *testing.T, lang string) (*excelize.File, []byte) {
	t.Helper()
	var b bytes.Buffer
	if err := taskfile.Template(&b, baseUnits(), lang, today); err != nil {
		t.Fatalf("Template: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("open template: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f, b.Bytes()
}

func TestTemplate_Layout(t *testing.T) {
	f, _ := openTemplate(t, "vi")
	if got, want := f.GetSheetList(), []string{"Nhiệm vụ", "Chỉ tiêu", "Hướng dẫn", "Danh mục"}; !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	head, err := f.GetRows("Nhiệm vụ")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(head[0], "|"); got != "Mã|Nhiệm vụ|Đơn vị chủ trì|Tên đơn vị|Thời hạn|Trạng thái|Tiến độ (%)|Kế hoạch|Đơn vị phối hợp|Văn bản" {
		t.Errorf("header %q", got)
	}
	if len(head) != 3 || !strings.HasPrefix(head[1][0], taskfile.ExamplePrefix) || !strings.HasPrefix(head[2][0], taskfile.ExamplePrefix) {
		t.Errorf("want two example rows with codes %s…, got %q", taskfile.ExamplePrefix, head[1:])
	}
	dvs, err := f.GetDataValidations("Nhiệm vụ")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{} // first cell of the range → type and formula
	for _, dv := range dvs {
		kinds[strings.Split(dv.Sqref, ":")[0]] = dv.Type + " " + dv.Formula1
	}
	for cell, want := range map[string]string{"F2": "list 'Danh mục'!$C$2:$C$8", "C2": "list 'Danh mục'!$A$2:$A$6", "G2": "whole 0"} {
		if !strings.HasPrefix(kinds[cell], want) {
			t.Errorf("validation at %s = %q, want %q…", cell, kinds[cell], want)
		}
	}
	lists, err := f.GetRows("Danh mục")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(lists); i++ {
		if len(lists[i]) < 3 {
			continue
		}
		if _, ok := tasks.ParseStatus(lists[i][2]); !ok {
			t.Errorf("status %q offered by the list does not import", lists[i][2])
		}
	}
	if lists[1][0] != "SNV" || lists[5][0] != "VPUB" {
		t.Errorf("units list %q", lists)
	}
	help, err := f.GetRows("Hướng dẫn")
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, r := range help {
		all.WriteString(strings.Join(r, " ") + "\n")
	}
	for _, want := range []string{"Quý IV/2024", "Tháng 12/2024", "6 tháng đầu năm 2025", "Năm 2025", "trước 15/12/2024", "Thường xuyên", "Thời hạn", "Đơn vị phối hợp"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("instructions lack %q", want)
		}
	}
}

// TestTemplate_RoundTrip fills in the template as a secretariat would and
// imports it: the examples are skipped, the rows written are the tasks.
func TestTemplate_RoundTrip(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			f, _ := openTemplate(t, lang)
			sh := f.GetSheetList()[0]
			for i, v := range []any{"KH-01", "Rà soát thủ tục hành chính", "STP", nil, "Quý IV/2024", tasks.InProgress.Name(lang), 40, "Kế hoạch CCHC 2024", "SNV, VPUB", "QĐ 1/QĐ-UBND"} {
				if v == nil {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(i+1, 4)
				if err := f.SetCellValue(sh, ref, v); err != nil {
					t.Fatal(err)
				}
			}
			for i, v := range []string{"KH-02", "Cập nhật dữ liệu", "SNV", "", "Thường xuyên"} {
				ref, _ := excelize.CoordinatesToCellName(i+1, 5)
				if err := f.SetCellStr(sh, ref, v); err != nil {
					t.Fatal(err)
				}
			}
			var b bytes.Buffer
			if err := f.Write(&b); err != nil {
				t.Fatal(err)
			}
			tx := newFakeTx(baseUnits()...)
			res, err := taskfile.Import(tx, bytes.NewReader(b.Bytes()), taskfile.XLSX, clerk, now, hcm)
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			if res.Created != 2 {
				t.Fatalf("created %d, want 2 (examples skipped)", res.Created)
			}
			got := tx.sortedTasks(t)
			k1 := got[0]
			if k1.Code != "KH-01" || k1.Unit != "STP" || k1.Status != tasks.InProgress || k1.Progress != 40 ||
				k1.DeadlineLabel() != "Quý IV/2024 (31/12/2024)" || !slices.Equal(k1.CoUnits, []string{"SNV", "VPUB"}) {
				t.Errorf("KH-01 = %+v", k1)
			}
			if k2 := got[1]; k2.Code != "KH-02" || !k2.Ongoing() || k2.Status != tasks.NotStarted {
				t.Errorf("KH-02 = %+v", k2)
			}
		})
	}
}

// TestTemplate_Empty: the template as it comes imports nothing and no
// problem: only examples.
func TestTemplate_Empty(t *testing.T) {
	_, data := openTemplate(t, "vi")
	tx := newIndTx(baseUnits()...)
	res, err := taskfile.Import(tx, bytes.NewReader(data), taskfile.XLSX, clerk, now, hcm)
	if err != nil || res != (taskfile.Result{}) || tx.writes != 0 {
		t.Fatalf("Import = %+v, %v (writes %d), want nothing", res, err, tx.writes)
	}
}

func TestFiles_Preview(t *testing.T) {
	tx := newFakeTx(baseUnits()...)
	seed := "code,title,unit,deadline,status,progress\n" +
		"A-1,First,SNV,31/12/2024,in_progress,30\n" +
		"A-2,Second,STP,31/12/2024,not_started,0\n"
	if _, err := importCSV(t, tx, now, seed); err != nil {
		t.Fatal(err)
	}
	writes := tx.writes
	in := "Mã;Nhiệm vụ;Đơn vị chủ trì;Thời hạn;Trạng thái;Tiến độ\n" +
		"A-1;First;SNV;Quý IV/2024;đang triển khai;60\n" +
		"A-2;Second;STP;31/12/2024;chưa triển khai;0\n" +
		"A-3;Third;SNV;Thường xuyên;;\n" +
		"VD-01;An example;NOPE;;;\n"
	var files taskfile.Files
	pv, err := files.Preview(tx, "plan.csv", []byte(in), now, hcm)
	if err != nil {
		t.Fatalf("Preview: %v", err)
	}
	if tx.writes != writes {
		t.Fatalf("Preview wrote %d times", tx.writes-writes)
	}
	if pv.Created != 1 || pv.Updated != 1 || pv.Unchanged != 1 || len(pv.Problems) != 0 || !slices.Equal(pv.New, []string{"A-3"}) {
		t.Fatalf("preview %+v", pv)
	}
	c := pv.Changes[0]
	if c.Row != 2 || c.Old.Progress != 30 || c.New.Progress != 60 || c.New.DeadlineText != "Quý IV/2024" {
		t.Errorf("change %+v", c)
	}

	t.Run("Problems", func(t *testing.T) {
		bad := "Mã;Nhiệm vụ;Đơn vị chủ trì;Thời hạn\n" +
			"A-9;Bad;XYZ;31/02/2024\n"
		pv, err := files.Preview(tx, "plan.csv", []byte(bad), now, hcm)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range pv.Problems {
			got = append(got, p.Column+"|"+p.Header+"|"+p.Value)
		}
		if want := []string{"D|Thời hạn|31/02/2024", "C|Đơn vị chủ trì|XYZ"}; !slices.Equal(got, want) && !slices.Equal(got, []string{want[1], want[0]}) {
			t.Errorf("problems %q, want %q", got, want)
		}
		if pv.Problems[0].Row != 2 {
			t.Errorf("row %d, want 2", pv.Problems[0].Row)
		}
	})

	t.Run("State", func(t *testing.T) {
		again, err := files.Preview(tx, "plan.csv", []byte(in), now, hcm)
		if err != nil || again.State != pv.State {
			t.Fatalf("same store, state %q then %q (%v)", pv.State, again.State, err)
		}
		a1 := tx.tasks["A-1"]
		a1.Progress = 50
		tx.tasks["A-1"] = a1
		changed, err := files.Preview(tx, "plan.csv", []byte(in), now, hcm)
		if err != nil || changed.State == pv.State {
			t.Fatalf("a task the file names changed, state stayed %q (%v)", pv.State, err)
		}
	})

	t.Run("Encrypted", func(t *testing.T) {
		ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)
		_, err := files.Preview(tx, "plan.xlsx", ole, now, hcm)
		var te *tasks.Error
		if !errors.As(err, &te) || te.Key != "xlsx_encrypted" {
			t.Fatalf("err = %v, want xlsx_encrypted", err)
		}
	})
}
