package taskfile

import (
	"strings"
	"unicode"

	"steerbot/tasks"
)

// Column is one column of the task file, or, as a bit set, several of them
// (see Row.Has).
type Column uint16

// The columns of the task file, in the order Write puts them.
const (
	ColCode Column = 1 << iota
	ColTitle
	ColUnit
	ColUnitName
	ColDeadline
	ColStatus
	ColProgress
	ColGroup
	ColCoUnits
	ColSource

	colCount = iota
)

// required are the columns every task file must have.
const required = ColCode | ColTitle | ColUnit

// columnNames are the contract's English names, by bit position.
var columnNames = [colCount]string{"code", "title", "unit", "unit_name", "deadline", "status", "progress", "group", "co_units", "source"}

// columnLabels are the headers Write puts in an XLSX file, by language.
var columnLabels = map[string][colCount]string{
	"vi": {"Mã", "Nhiệm vụ", "Đơn vị chủ trì", "Tên đơn vị", "Thời hạn", "Trạng thái", "Tiến độ (%)", "Kế hoạch", "Đơn vị phối hợp", "Văn bản"},
	"en": {"Code", "Title", "Unit", "Unit name", "Deadline", "Status", "Progress (%)", "Group", "Co-units", "Source"},
}

// Contains reports whether the set c holds every column of x.
func (c Column) Contains(x Column) bool { return c&x == x }

// String returns the contract names of the columns in c, in file order,
// separated by ", ": "code", "deadline, status".
func (c Column) String() string {
	var names []string
	for i := 0; i < colCount; i++ {
		if c&(1<<i) != 0 {
			names = append(names, columnNames[i])
		}
	}
	return strings.Join(names, ", ")
}

// headerAliases maps header keys (see headerKey) to columns: the contract's
// English and Vietnamese names and the variants secretariats write.
var headerAliases = func() map[string]Column {
	m := map[string]Column{}
	add := func(c Column, names ...string) {
		for _, n := range names {
			m[headerKey(n)] = c
		}
	}
	add(ColCode, "code", "task code", "task id", "mã", "mã nhiệm vụ", "mã số", "mã nv", "mã công việc")
	add(ColTitle, "title", "task", "task title", "nhiệm vụ", "nội dung", "tên nhiệm vụ", "nội dung nhiệm vụ",
		"công việc", "tên công việc", "nội dung công việc")
	add(ColUnit, "unit", "lead unit", "unit code", "lead", "đơn vị chủ trì", "cơ quan chủ trì", "chủ trì",
		"mã đơn vị", "đơn vị", "đơn vị thực hiện", "cơ quan", "đơn vị chủ trì thực hiện", "cơ quan chủ trì thực hiện")
	add(ColUnitName, "unit_name", "unit name", "lead unit name", "tên đơn vị", "tên đơn vị chủ trì", "tên cơ quan", "tên cơ quan chủ trì")
	add(ColDeadline, "deadline", "due", "due date", "due on", "hạn", "thời hạn", "hạn hoàn thành",
		"thời hạn hoàn thành", "hạn xử lý", "ngày hết hạn")
	add(ColStatus, "status", "state", "trạng thái", "tình trạng")
	add(ColProgress, "progress", "percent", "percent done", "tiến độ", "tiến độ thực hiện", "tỷ lệ", "tỉ lệ",
		"tỷ lệ hoàn thành", "tỉ lệ hoàn thành", "mức độ hoàn thành", "phần trăm hoàn thành")
	add(ColGroup, "group", "plan", "program", "programme", "nhóm", "kế hoạch", "nhóm nhiệm vụ", "chương trình")
	add(ColCoUnits, "co_units", "co units", "co-units", "coordinating units", "coordinating unit", "coordination",
		"đơn vị phối hợp", "cơ quan phối hợp", "phối hợp", "đơn vị phối hợp thực hiện")
	add(ColSource, "source", "document", "source document", "văn bản", "văn bản giao", "văn bản giao nhiệm vụ",
		"văn bản chỉ đạo", "căn cứ", "nguồn", "số văn bản")
	return m
}()

// headerKey reduces a header cell to the words that name its column: case,
// accents, punctuation and any parenthesised note ("Tiến độ (%)") dropped.
func headerKey(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range tasks.Fold(s) {
		switch {
		case r == '(' || r == '[':
			depth++
		case r == ')' || r == ']':
			if depth > 0 {
				depth--
			}
		case depth > 0:
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// columnOf returns the column a header cell names, or 0.
func columnOf(header string) Column { return headerAliases[headerKey(header)] }
