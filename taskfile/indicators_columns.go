package taskfile

import (
	"strings"

	"steerbot/tasks"
)

// indColumn is one column of the indicator sheet or, as a bit set,
// several of them (see IndicatorRow.Has).
type indColumn uint16

// The columns of the indicator sheet, in the order WriteAll puts them.
const (
	icCode indColumn = 1 << iota
	icName
	icUnit
	icTarget
	icPeriod
	icValue
	icState
	icAssignedOn
	icGroup
	icCoUnits
	icSource

	icCount = iota
)

// indRequired are the columns every indicator sheet must have.
const indRequired = icCode | icName | icUnit | icTarget

// indColumnNames are the contract's English names, by bit position.
var indColumnNames = [icCount]string{"code", "indicator", "unit", "target", "period", "value", "state", "assigned_on", "group", "co_units", "source"}

// indColumnLabels are the headers WriteAll puts on the indicator sheet.
var indColumnLabels = map[string][icCount]string{
	"vi": {"Mã", "Chỉ tiêu", "Đơn vị chủ trì", "Mục tiêu", "Kỳ", "Giá trị", "Trạng thái", "Ngày giao", "Kế hoạch", "Đơn vị phối hợp", "Văn bản"},
	"en": {"Code", "Indicator", "Unit", "Target", "Period", "Value", "State", "Assigned on", "Group", "Co-units", "Source"},
}

// indSheetNames are the folded names of the sheet that holds indicators.
var indSheetNames = map[string]bool{"chi tieu": true, "indicators": true, "cac chi tieu": true, "indicator": true}

// isIndicatorSheetName reports whether a workbook sheet is named as the
// indicator sheet ("Chỉ tiêu", "Indicators"), accents and case ignored.
func isIndicatorSheetName(name string) bool { return indSheetNames[headerKey(name)] }

// String returns the contract names of the columns in c, in file order.
func (c indColumn) String() string {
	var names []string
	for i := 0; i < icCount; i++ {
		if c&(1<<i) != 0 {
			names = append(names, indColumnNames[i])
		}
	}
	return strings.Join(names, ", ")
}

// Contains reports whether the set c holds every column of x.
func (c indColumn) Contains(x indColumn) bool { return c&x == x }

// indHeaderAliases maps header keys (see headerKey) to indicator columns.
var indHeaderAliases = func() map[string]indColumn {
	m := map[string]indColumn{}
	add := func(c indColumn, names ...string) {
		for _, n := range names {
			m[headerKey(n)] = c
		}
	}
	add(icCode, "code", "indicator code", "mã", "mã chỉ tiêu", "mã số", "mã ct")
	add(icName, "indicator", "indicator name", "name", "chỉ tiêu", "tên chỉ tiêu", "nội dung chỉ tiêu", "nội dung")
	add(icUnit, "unit", "lead unit", "unit code", "đơn vị chủ trì", "cơ quan chủ trì", "chủ trì", "mã đơn vị",
		"đơn vị", "đơn vị thực hiện", "cơ quan")
	add(icTarget, "target", "mục tiêu", "mức chỉ tiêu", "chỉ tiêu phấn đấu", "mục tiêu phấn đấu", "chỉ tiêu cần đạt")
	add(icPeriod, "period", "cadence", "kỳ", "kỳ báo cáo", "kỳ đánh giá", "chu kỳ")
	add(icValue, "value", "latest value", "giá trị", "kết quả", "kết quả thực hiện", "kết quả đạt được", "số liệu")
	add(icState, "state", "status", "trạng thái", "tình trạng")
	add(icAssignedOn, "assigned_on", "assigned on", "assigned", "ngày giao", "ngày giao chỉ tiêu", "giao ngày")
	add(icGroup, "group", "plan", "program", "nhóm", "kế hoạch", "chương trình")
	add(icCoUnits, "co_units", "co units", "co-units", "coordinating units", "đơn vị phối hợp", "cơ quan phối hợp", "phối hợp")
	add(icSource, "source", "document", "văn bản", "văn bản giao", "căn cứ", "nguồn", "số văn bản")
	return m
}()

// indColumnOf returns the indicator column a header cell names, or 0.
func indColumnOf(header string) indColumn { return indHeaderAliases[headerKey(header)] }

// stateCell and periodCell are how the sheet writes a state and a period,
// in lang; ParseIndicatorState and ParseCadence read both languages back.
func stateCell(s tasks.IndicatorState, lang string) string {
	vi := map[tasks.IndicatorState]string{tasks.IndicatorAssigned: "đang triển khai", tasks.IndicatorNew: "mới giao", tasks.IndicatorStopped: "dừng"}
	if lang == "vi" {
		return vi[s.Norm()]
	}
	return string(s.Norm())
}

func periodCell(p tasks.Cadence, lang string) string {
	vi := map[tasks.Cadence]string{tasks.CadenceYear: "năm", tasks.CadenceHalf: "6 tháng", tasks.CadenceQuarter: "quý", tasks.CadenceMonth: "tháng"}
	if lang == "vi" {
		return vi[p.Norm()]
	}
	return string(p.Norm())
}
