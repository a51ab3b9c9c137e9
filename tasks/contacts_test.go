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

func TestPolicyDeciders(t *testing.T) {
	ms := []tasks.Member{
		{ID: 1, TelegramID: 11, Role: tasks.RoleChair},
		{ID: 2, Role: tasks.RoleChair}, // not linked yet
		{ID: 3, TelegramID: 33, Role: tasks.RoleSecretariat},
		{ID: 4, TelegramID: 44, Role: tasks.RoleUnitHead, Unit: "SNV"},
	}
	ids := func(ms []tasks.Member) []int64 {
		var out []int64
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out
	}
	if got := ids(tasks.Policy{}.Deciders(ms)); len(got) != 1 || got[0] != 1 {
		t.Fatalf("deciders = %v, want the linked chair 1", got)
	}
	if got := ids(tasks.Policy{SecretariatDecides: true}.Deciders(ms)); len(got) != 2 || got[0] != 1 || got[1] != 3 {
		t.Fatalf("deciders with secretariat_decides = %v, want 1 and 3", got)
	}
}
