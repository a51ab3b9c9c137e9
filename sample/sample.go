// Package sample is the sample committee that `steerbot demo` runs and the
// end-to-end tests use: the Hà Nội administrative-reform committee's plan
// of 79 tasks, 47 of them done (59%), across ten departments and districts,
// as of the eve of its third meeting (16/10/2023).
package sample

import (
	_ "embed"
	"time"
)

// CSV is the committee's task file, with Vietnamese headers, as a
// secretariat would keep it.
//
//go:embed committee.csv
var CSV []byte

// Unit is a unit of the sample committee.
type Unit struct{ Code, Name string }

// Member is a person of the sample committee.
type Member struct {
	Name       string
	Role       string
	Unit       string
	TelegramID int64
}

// Units returns the committee's units.
func Units() []Unit {
	return []Unit{
		{"SNV", "Sở Nội vụ"}, {"STP", "Sở Tư pháp"}, {"VP", "Văn phòng UBND Thành phố"},
		{"STTTT", "Sở Thông tin và Truyền thông"}, {"SKHDT", "Sở Kế hoạch và Đầu tư"}, {"STC", "Sở Tài chính"},
		{"SXD", "Sở Xây dựng"}, {"STNMT", "Sở Tài nguyên và Môi trường"}, {"QHK", "UBND quận Hoàn Kiếm"}, {"HDA", "UBND huyện Đông Anh"},
	}
}

// Telegram ids of the sample members, for scripts and tests.
const (
	ChairID       int64 = 111
	ViceChairID   int64 = 112
	SecretariatID int64 = 222
	HeadSNVID     int64 = 333
	HeadQHKID     int64 = 334
	DelegateSNVID int64 = 335
	StrangerID    int64 = 999
	CommitteeChat int64 = -1001234567890
)

// Members returns the committee's members, all linked.
func Members() []Member {
	return []Member{
		{"Nguyễn Văn An", "chair", "", ChairID},
		{"Đỗ Thị Hà", "chair", "", ViceChairID},
		{"Trần Thị Bình", "secretariat", "", SecretariatID},
		{"Lê Văn Cường", "unit_head", "SNV", HeadSNVID},
		{"Phạm Minh Đức", "unit_head", "QHK", HeadQHKID},
		{"Vũ Thu Hằng", "unit_delegate", "SNV", DelegateSNVID},
	}
}

// Eve is the moment the sample is set at: Monday 16/10/2023, 08:25 in Hà
// Nội, five minutes before the weekly reminder, the day before the
// committee's third meeting.
func Eve(loc *time.Location) time.Time { return time.Date(2023, 10, 16, 8, 25, 0, 0, loc) }
