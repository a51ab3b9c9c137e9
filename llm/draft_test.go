package llm_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"steerbot/llm"
	"steerbot/llm/llmtest"
	"steerbot/tasks"
)

var units = []tasks.Unit{
	{Code: "SNV", Name: "Sở Nội vụ"},
	{Code: "SKHDT", Name: "Sở Kế hoạch và Đầu tư"},
	{Code: "STTTT", Name: "Sở Thông tin và Truyền thông"},
	{Code: "STC", Name: "Sở Tài chính"},
}

func draft(title, unit, deadline string) map[string]any {
	return map[string]any{"title": title, "unit_code": unit, "deadline": deadline}
}

func TestClient_DraftTasks(t *testing.T) {
	text, err := os.ReadFile("testdata/conclusions_004.txt")
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t)
	c := newClient(t, srv, nil)
	srv.Push(llmtest.JSON(map[string]any{"drafts": []any{
		draft("Thực hiện Đề án vị trí việc làm đã được phê duyệt; xây dựng quy chế, quy trình công tác", "snv", "31/12/2017"),
		draft("Sắp xếp lại một số doanh nghiệp công ích bảo đảm gọn hơn, hiệu quả hơn", "Sở Kế hoạch và Đầu tư", ""),
		draft("Hoàn thành xây dựng Trung tâm điều hành chung của thành phố phục vụ CCHC", "STTTT", "2017-13-45"),
		draft("Tăng cường xây dựng cơ sở vật chất cho cán bộ, công chức", "BQLDA", ""),
		draft("Rà soát quy trình thẩm định dự án để giảm tiếp 40% thời gian", "so ke hoach va dau tu", "2017-06-30"),
	}}))

	today := date(2017, 3, 14)
	got, err := c.DraftTasks(context.Background(), string(text), units, today)
	if err != nil {
		t.Fatalf("DraftTasks: %v", err)
	}
	want := []tasks.Draft{
		{Title: "Thực hiện Đề án vị trí việc làm đã được phê duyệt; xây dựng quy chế, quy trình công tác", Unit: "SNV", Deadline: date(2017, 12, 31)},
		{Title: "Sắp xếp lại một số doanh nghiệp công ích bảo đảm gọn hơn, hiệu quả hơn", Unit: "SKHDT"},
		{Title: "Hoàn thành xây dựng Trung tâm điều hành chung của thành phố phục vụ CCHC", Unit: "STTTT"},
		{Title: "Tăng cường xây dựng cơ sở vật chất cho cán bộ, công chức", Unit: ""},
		{Title: "Rà soát quy trình thẩm định dự án để giảm tiếp 40% thời gian", Unit: "SKHDT", Deadline: date(2017, 6, 30)},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d drafts, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("draft %d=%+v, want %+v", i+1, got[i], want[i])
		}
	}

	req := srv.Requests()[0]
	schema := schemaOf(t, req)
	assertStrictObject(t, schema)
	defs, _ := schema["$defs"].(map[string]any)
	for name, d := range defs {
		assertStrictObject(t, d.(map[string]any))
		enum := d.(map[string]any)["properties"].(map[string]any)["unit_code"].(map[string]any)["enum"]
		if e, _ := enum.([]any); len(e) != len(units)+1 {
			t.Errorf("%s unit_code enum=%v, want \"\" and the %d unit codes", name, enum, len(units))
		}
	}
	user := userContent(t, req)
	for _, want := range []string{"Today: 2017-03-14", `"code":"SKHDT"`, "Thứ ba là hoàn thành xây dựng Trung tâm điều hành chung", "<<<TEXT\n", "\nTEXT>>>"} {
		if !strings.Contains(user, want) {
			t.Errorf("user message lacks %q:\n%s", want, user)
		}
	}
}

func TestClient_DraftTasks_Cleaning(t *testing.T) {
	many := []any{}
	for range 35 {
		many = append(many, draft("Việc", "STC", ""))
	}
	tests := []struct {
		name  string
		reply map[string]any
		want  int // drafts kept
	}{
		{"EmptyTitlesDropped", map[string]any{"drafts": []any{draft("  ", "SNV", ""), draft("Việc thật", "SNV", "")}}, 1},
		{"AtMost30", map[string]any{"drafts": many}, 30},
		{"NoneStated", map[string]any{"drafts": []any{}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			c := newClient(t, srv, nil)
			srv.Push(llmtest.JSON(tt.reply))
			got, err := c.DraftTasks(context.Background(), "Kết luận.", units, today)
			if err != nil {
				t.Fatalf("DraftTasks: %v", err)
			}
			if len(got) != tt.want {
				t.Errorf("got %d drafts, want %d", len(got), tt.want)
			}
		})
	}
}

func TestClient_DraftTasks_LongTitleCut(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, nil)
	srv.Push(llmtest.JSON(map[string]any{"drafts": []any{draft(strings.Repeat("rà soát ", 200), "SNV", "")}}))
	got, err := c.DraftTasks(context.Background(), "Kết luận.", units, today)
	if err != nil {
		t.Fatalf("DraftTasks: %v", err)
	}
	if n := len([]rune(got[0].Title)); n > 500 {
		t.Errorf("title of %d characters, want at most 500", n)
	}
}

func TestClient_DraftTasks_Invalid(t *testing.T) {
	tests := []struct {
		name  string
		reply llmtest.Response
	}{
		{"OnlyEmptyTitles", llmtest.JSON(map[string]any{"drafts": []any{draft("", "SNV", "")}})},
		{"NotAList", llmtest.JSON(map[string]any{"drafts": "Rà soát thủ tục"})},
		{"BareArray", llmtest.JSON([]any{draft("Việc", "SNV", "")})},
		{"Malformed", llmtest.Text(`{"drafts": [{"title": "Việc"`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			c := newClient(t, srv, nil)
			srv.Push(tt.reply)
			got, err := c.DraftTasks(context.Background(), "Kết luận.", units, today)
			if err == nil {
				t.Fatalf("DraftTasks=%+v, want an error", got)
			}
			if tasks.ErrorCode(err) != tasks.EINVALID || !errors.Is(err, llm.ErrInvalidAnswer) {
				t.Errorf("err=%v, want EINVALID wrapping ErrInvalidAnswer", err)
			}
		})
	}
}

func TestClient_DraftTasks_TextTooLong(t *testing.T) {
	srv := newServer(t)
	c := newClient(t, srv, nil)
	_, err := c.DraftTasks(context.Background(), strings.Repeat("Thứ nhất, rà soát. ", 2000), units, today)
	if tasks.ErrorCode(err) != tasks.EINVALID {
		t.Errorf("err=%v, want EINVALID", err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("server saw %d requests, want none", n)
	}
}
