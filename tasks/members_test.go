package tasks_test

import (
	"testing"

	"steerbot/tasks"
)

func TestUnitContacts(t *testing.T) {
	ms := []tasks.Member{
		{ID: 1, TelegramID: 11, Role: tasks.RoleChair},
		{ID: 2, TelegramID: 22, Role: tasks.RoleUnitHead, Unit: "SNV"},
		{ID: 3, Role: tasks.RoleUnitDelegate, Unit: "SNV"}, // not linked yet
		{ID: 4, TelegramID: 44, Role: tasks.RoleUnitDelegate, Unit: "SNV"},
		{ID: 5, TelegramID: 55, Role: tasks.RoleUnitHead, Unit: "STC"},
		{ID: 6, TelegramID: 66, Role: tasks.RoleSecretariat, Unit: "SNV"},
	}
	got := tasks.UnitContacts(ms, "SNV")
	if len(got) != 2 || got[0].ID != 2 || got[1].ID != 4 {
		t.Fatalf("contacts of SNV = %+v, want members 2 and 4", got)
	}
	if got := tasks.UnitContacts(ms, "KHĐT"); len(got) != 0 {
		t.Fatalf("contacts of a unit with nobody = %+v, want none", got)
	}
}
