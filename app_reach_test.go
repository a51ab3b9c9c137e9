package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"steerbot/sample"
)

// tickAt moves the clock to the committee's wall-clock time, runs the
// scheduler and waits until the outbox is empty.
func (a *app) tickAt(y int, mo time.Month, d, h, mi int) {
	a.t.Helper()
	a.clock.Set(time.Date(y, mo, d, h, mi, 0, 0, a.cfg.Location))
	if err := a.m.Scheduler.Tick(context.Background()); err != nil {
		a.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := a.srv.Wait(ctx, func() bool { return a.m.queued() == 0 }); err != nil {
		a.t.Fatalf("outbox not drained: %v", err)
	}
}

// sentWith counts the messages to chat that contain sub.
func (a *app) sentWith(chat int64, sub string) int {
	n := 0
	for _, m := range a.srv.SentTo(chat) {
		if strings.Contains(m.Text, sub) {
			n++
		}
	}
	return n
}

// Acceptance (issue 12): a scheduled run with two units nobody can
// receive tells the secretariat once that day, naming both.
func TestReach_TwoUnreachedUnitsToldOnceThatDay(t *testing.T) {
	a := newApp(t, func(c *Config) {
		// Every unit but STP and SXD gets a linked head.
		for i, u := range sample.Units() {
			if u.Code == "STP" || u.Code == "SXD" || u.Code == "SNV" || u.Code == "QHK" {
				continue
			}
			c.Members = append(c.Members, MemberConfig{Name: fmt.Sprintf("Thủ trưởng %s", u.Code), Role: "unit_head", Unit: u.Code, TelegramID: int64(700 + i)})
		}
	})
	a.tickAt(2023, 10, 16, 8, 30) // the weekly reminder
	msgs := a.srv.SentTo(sample.SecretariatID)
	if n := a.sentWith(sample.SecretariatID, "Chưa ai nhận được nhắc việc"); n != 1 {
		t.Fatalf("%d unreached messages to the secretariat, want 1: %v", n, msgs)
	}
	got := msgs[len(msgs)-1].Text
	for _, want := range []string{"2 đơn vị", "Sở Tư pháp", "Sở Xây dựng", "?start="} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	a.tickAt(2023, 10, 16, 9, 0) // the overdue round, the same day
	if n := a.sentWith(sample.SecretariatID, "Chưa ai nhận được nhắc việc"); n != 1 {
		t.Fatalf("%d unreached messages after a second run that day, want 1", n)
	}
	a.tickAt(2023, 10, 17, 9, 0) // the next day
	if n := a.sentWith(sample.SecretariatID, "Chưa ai nhận được nhắc việc"); n != 2 {
		t.Fatalf("%d unreached messages the next day, want 2", n)
	}
}

// Acceptance (issue 12): /away moves the head's reminders to the delegate
// and back after TO.
func TestReach_AwayMovesTheHeadsReminderAndBack(t *testing.T) {
	a := newApp(t, nil)
	a.tickAt(2023, 10, 16, 8, 30)
	a.say(sample.HeadSNVID, "/away 17/10 20/10")
	headBefore := a.sentWith(sample.HeadSNVID, "Kính gửi")
	a.tickAt(2023, 10, 17, 9, 0) // Tuesday's overdue round, the head away
	if n := a.sentWith(sample.HeadSNVID, "Kính gửi"); n != headBefore {
		t.Fatalf("the head got %d reminders while away", n-headBefore)
	}
	standing := a.sentWith(sample.DelegateSNVID, "nhận thay Lê Văn Cường (vắng đến hết ngày 20/10/2023)")
	if standing == 0 {
		t.Fatal("the delegate's reminders do not say for whom they stand in")
	}
	a.tickAt(2023, 10, 23, 8, 30) // the next weekly reminder, after TO
	if n := a.sentWith(sample.HeadSNVID, "Nhắc việc hằng tuần"); n != 2 {
		t.Fatalf("the head got %d weekly reminders, want 2 (back after TO)", n)
	}
	if n := a.sentWith(sample.DelegateSNVID, "nhận thay"); n != standing {
		t.Fatalf("the delegate still stands in after TO: %d messages, want %d", n, standing)
	}
}

// Acceptance (issue 12): a chase run reminds only the silent units.
func TestReach_ChaseRemindsOnlySilentUnits(t *testing.T) {
	a := newApp(t, func(c *Config) { c.Reminders.Chase = "0 10 * * THU" })
	a.tickAt(2023, 10, 16, 8, 30) // the weekly reminder
	a.clock.Set(time.Date(2023, 10, 17, 10, 0, 0, 0, a.cfg.Location))
	a.say(sample.HeadSNVID, "/update CCHC-03 90% đã tổng hợp xong")
	a.tickAt(2023, 10, 19, 10, 0) // Thursday: the chase
	const chase = "Nhắc lại: đơn vị chưa báo cáo"
	if n := a.sentWith(sample.HeadQHKID, chase); n != 1 {
		t.Errorf("the silent unit's head got %d chases, want 1", n)
	}
	if n := a.sentWith(sample.HeadSNVID, chase) + a.sentWith(sample.DelegateSNVID, chase); n != 0 {
		t.Errorf("the unit that reported got %d chases, want none", n)
	}
}
