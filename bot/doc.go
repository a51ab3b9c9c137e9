// Package bot is steerbot's Telegram adapter: it owns the update path
// (getUpdates into a durable inbox, each update handled once in the
// transaction that applies its change), the chat commands and buttons, the
// texts in Vietnamese and English, and the sending of outbox messages
// through the go-telegram/bot client.
package bot
