package main

import "steerbot/tasks"

// keepReach carries over, when the configuration's members list matches an
// existing member, what the bot learned in chat: an absence, that they
// blocked the bot, and a title or form of address the list does not give.
func keepReach(m *tasks.Member, e tasks.Member) {
	m.Away, m.BlockedAt = e.Away, e.BlockedAt
	if m.Title == "" {
		m.Title = e.Title
	}
	if m.Address == "" {
		m.Address = e.Address
	}
}
