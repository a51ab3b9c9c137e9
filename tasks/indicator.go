package tasks

import (
	"fmt"
	"strings"
	"time"
)

// Indicator is a measurable target (chỉ tiêu) that the committee set beside
// its tasks: "Tối thiểu 95% số hồ sơ … được giải quyết đúng hạn", reported
// on by its lead unit once per period. Whether it is achieved is derived
// from its values (see JudgeIndicator), never stored.
type Indicator struct {
	Code       string   // human and unique, e.g. "CT-05"; stored upper case
	Name       string   // what is measured
	Unit       string   // lead unit code: the one that reports values
	CoUnits    []string // coordinating unit codes: they may read it
	Group      string   // the plan, e.g. "Kế hoạch CCHC 2023"
	Source     string   // the document that set it, e.g. "QĐ 7028/QĐ-UBND"
	Target     Target   // "≥ 95 %"
	Period     Cadence  // what a value is measured over; "" means year
	State      IndicatorState
	AssignedOn Date // when it was assigned; the date a "new" one was added
	Created    time.Time
	Updated    time.Time
}

// Involves reports whether unit leads or coordinates ind.
func (ind Indicator) Involves(unit string) bool {
	if ind.Unit == unit {
		return true
	}
	for _, u := range ind.CoUnits {
		if u == unit {
			return true
		}
	}
	return false
}

// Validate checks what every stored indicator must have: a code, a name, a
// lead unit, a target, a known period and state. The error is an *Error
// with code EINVALID naming the field.
func (ind Indicator) Validate() error {
	bad := func(field, why string) error {
		return NewError(EINVALID, "bad_indicator_field",
			fmt.Sprintf("indicator %s: %s %s", ind.Code, field, why), ind.Code, field)
	}
	switch {
	case strings.TrimSpace(ind.Code) == "":
		return bad("code", "is empty")
	case strings.TrimSpace(ind.Name) == "":
		return bad("name", "is empty")
	case strings.TrimSpace(ind.Unit) == "":
		return bad("unit", "is empty")
	case !ind.Target.Cmp.Valid():
		return bad("target", "is missing")
	case ind.Period != "" && !ind.Period.Valid():
		return bad("period", "is unknown")
	case ind.State != "" && !ind.State.Valid():
		return bad("state", "is unknown")
	}
	return nil
}

// IndicatorState is where an indicator stands in the plan. It is set by the
// secretariat (import), never by a reported value.
type IndicatorState string

// The states of an indicator. The zero state reads as IndicatorAssigned.
const (
	IndicatorAssigned IndicatorState = "assigned" // đang triển khai
	IndicatorNew      IndicatorState = "new"      // mới giao (bổ sung), with its AssignedOn date
	IndicatorStopped  IndicatorState = "stopped"  // dừng: no value is taken any more
)

// Valid reports whether s is one of the states.
func (s IndicatorState) Valid() bool {
	switch s {
	case IndicatorAssigned, IndicatorNew, IndicatorStopped:
		return true
	}
	return false
}

// Norm returns s with the zero state read as IndicatorAssigned.
func (s IndicatorState) Norm() IndicatorState {
	if s == "" {
		return IndicatorAssigned
	}
	return s
}

// indicatorStateWords are the folded words that name each state, English
// and Vietnamese, as a secretariat writes them in the state column.
var indicatorStateWords = map[string]IndicatorState{
	"assigned": IndicatorAssigned, "dang trien khai": IndicatorAssigned, "da giao": IndicatorAssigned,
	"trien khai": IndicatorAssigned, "dang thuc hien": IndicatorAssigned,
	"new": IndicatorNew, "moi giao": IndicatorNew, "moi giao bo sung": IndicatorNew,
	"giao bo sung": IndicatorNew, "moi": IndicatorNew, "bo sung": IndicatorNew,
	"stopped": IndicatorStopped, "dung": IndicatorStopped, "da dung": IndicatorStopped,
	"dung thuc hien": IndicatorStopped, "stop": IndicatorStopped,
}

// ParseIndicatorState reads a state from its English name or Vietnamese
// words (đang triển khai, mới giao, dừng), accents and case ignored; ""
// reads as IndicatorAssigned. ok is false for anything else.
func ParseIndicatorState(s string) (st IndicatorState, ok bool) {
	f := strings.Trim(Fold(s), " .")
	if f == "" {
		return IndicatorAssigned, true
	}
	st, ok = indicatorStateWords[f]
	return st, ok
}

// Cadence is what an indicator's value is measured over: a calendar year,
// half-year, quarter or month in the committee's time zone.
type Cadence string

// The periods. The zero Cadence reads as CadenceYear.
const (
	CadenceYear    Cadence = "year"
	CadenceHalf    Cadence = "half"
	CadenceQuarter Cadence = "quarter"
	CadenceMonth   Cadence = "month"
)

// Valid reports whether p is one of the periods.
func (p Cadence) Valid() bool {
	switch p {
	case CadenceYear, CadenceHalf, CadenceQuarter, CadenceMonth:
		return true
	}
	return false
}

// Norm returns p with the zero period read as CadenceYear.
func (p Cadence) Norm() Cadence {
	if p == "" {
		return CadenceYear
	}
	return p
}

var periodWords = map[string]Cadence{
	"year": CadenceYear, "yearly": CadenceYear, "annual": CadenceYear, "nam": CadenceYear, "hang nam": CadenceYear,
	"half": CadenceHalf, "half-year": CadenceHalf, "half year": CadenceHalf, "6 thang": CadenceHalf,
	"sau thang": CadenceHalf, "nua nam": CadenceHalf, "6 thang mot lan": CadenceHalf,
	"quarter": CadenceQuarter, "quarterly": CadenceQuarter, "quy": CadenceQuarter, "hang quy": CadenceQuarter,
	"month": CadenceMonth, "monthly": CadenceMonth, "thang": CadenceMonth, "hang thang": CadenceMonth,
}

// ParseCadence reads a cadence from its English name or Vietnamese words
// (năm, 6 tháng, quý, tháng; also hằng năm, hằng quý, hằng tháng), accents
// and case ignored; "" reads as CadenceYear. ok is false for anything else.
func ParseCadence(s string) (p Cadence, ok bool) {
	f := strings.Trim(Fold(s), " .")
	if f == "" {
		return CadenceYear, true
	}
	p, ok = periodWords[f]
	return p, ok
}

// Span is one occurrence of a Cadence: its first and last days, and which
// one of the year it is (N: the month 1–12, the quarter 1–4, the half 1–2,
// or 1 for a year).
type Span struct {
	Period      Cadence
	Year, N     int
	First, Last Date
}

// Contains reports whether d falls within s.
func (s Span) Contains(d Date) bool { return !d.Before(s.First) && !s.Last.Before(d) }

// SpanOf returns the calendar period of kind p that contains d.
func (p Cadence) SpanOf(d Date) Span {
	months, n := 12, 1
	switch p.Norm() {
	case CadenceHalf:
		months, n = 6, (int(d.Month)-1)/6+1
	case CadenceQuarter:
		months, n = 3, (int(d.Month)-1)/3+1
	case CadenceMonth:
		months, n = 1, int(d.Month)
	}
	first := Date{d.Year, time.Month((n-1)*months + 1), 1}
	next := time.Date(first.Year, first.Month+time.Month(months), 1, 12, 0, 0, 0, time.UTC)
	last := DateOf(next.AddDate(0, 0, -1), time.UTC)
	return Span{Period: p.Norm(), Year: d.Year, N: n, First: first, Last: last}
}

// IndicatorValue is one reported value of an indicator. Values are
// appended, never rewritten: the history shows every report.
type IndicatorValue struct {
	ID        uint64  // assigned by the store, increasing
	Indicator string  // indicator code
	Value     float64 // the number, 96.2 for "96,2 %"
	Measure   string  // "%", "ngày", "hội nghị"; the target's when the report named none
	Text      string  // as the member wrote it: "đạt 96,2%"
	AsOf      Date    // the day the value is for
	At        time.Time
	By        int64  // member id; 0 for an import
	ByName    string // the member's name at the time
	Via       Via
	Note      string
	Evidence  []Attachment
}

// Quantity returns the value with its measure.
func (v IndicatorValue) Quantity() Quantity { return Quantity{Value: v.Value, Measure: v.Measure} }
