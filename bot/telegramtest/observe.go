package telegramtest

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// Sent returns every message the bot sent, in order, as they are now
// (edits applied, deleted ones flagged).
func (s *Server) Sent() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.sent))
	for i, m := range s.sent {
		out[i] = m.snapshot(s)
	}
	return out
}

// SentTo returns the messages the bot sent to chatID, in order.
func (s *Server) SentTo(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sentToLocked(chatID)
}

func (s *Server) sentToLocked(chatID int64) []Message {
	var out []Message
	if cs := s.chats[chatID]; cs != nil {
		for _, m := range cs.order {
			if m.fromBot {
				out = append(out, m.snapshot(s))
			}
		}
	}
	return out
}

// History returns every message of chatID, from users and from the bot,
// in order.
func (s *Server) History(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	if cs := s.chats[chatID]; cs != nil {
		for _, m := range cs.order {
			out = append(out, m.snapshot(s))
		}
	}
	return out
}

// Wait blocks until cond returns true, re-evaluating it after every change
// of the server's state (never by polling on a timer). cond runs without
// the server's lock and may call any Server method; it should not call the
// Bot API itself, since every API request is a state change that
// re-evaluates cond. Wait returns ctx.Err() or ErrClosed if cond never holds.
func (s *Server) Wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch, closed := s.changed, s.closed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		if closed {
			return ErrClosed
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// WaitFor waits until some message the bot sent, as it is now (after
// edits), satisfies pred and returns the first such message in sending
// order.
func (s *Server) WaitFor(ctx context.Context, pred func(Message) bool) (Message, error) {
	var found Message
	err := s.Wait(ctx, func() bool {
		for _, m := range s.Sent() {
			if pred(m) {
				found = m
				return true
			}
		}
		return false
	})
	if err != nil {
		return Message{}, fmt.Errorf("telegramtest: WaitFor: no matching message among %d sent: %w", len(s.Sent()), err)
	}
	return found, nil
}

// WaitSent waits until the bot has sent at least n messages to chatID and
// returns all of them.
func (s *Server) WaitSent(ctx context.Context, chatID int64, n int) ([]Message, error) {
	var got []Message
	err := s.Wait(ctx, func() bool {
		got = s.SentTo(chatID)
		return len(got) >= n
	})
	if err != nil {
		return got, fmt.Errorf("telegramtest: WaitSent: chat %d has %d of %d messages: %w", chatID, len(got), n, err)
	}
	return got, nil
}

// Events returns the conversation so far: user actions and bot actions in
// the order the server saw them.
func (s *Server) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Event(nil), s.events...)
}

// Subscribe streams every event, starting with the first one the server
// ever recorded, in order and without dropping any (the server never blocks
// on a slow reader). After Close the remaining events are delivered and the
// channel is closed; cancel stops the stream early and closes the channel.
func (s *Server) Subscribe() (events <-chan Event, cancel func()) {
	ch := make(chan Event, 16)
	done := make(chan struct{})
	var once sync.Once
	cancel = func() { once.Do(func() { close(done) }) }
	go func() {
		defer close(ch)
		next := 0
		for {
			s.mu.Lock()
			for next >= len(s.events) && !s.closed {
				changed := s.changed
				s.mu.Unlock()
				select {
				case <-changed:
				case <-done:
					return
				}
				s.mu.Lock()
			}
			batch := s.events[next:len(s.events):len(s.events)]
			closed := s.closed
			s.mu.Unlock()
			if len(batch) == 0 && closed {
				return
			}
			for _, e := range batch {
				select {
				case ch <- e:
				case <-done:
					return
				}
			}
			next += len(batch)
		}
	}()
	return ch, cancel
}

// Callbacks returns every answerCallbackQuery call, in order.
func (s *Server) Callbacks() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CallbackAnswer(nil), s.answers...)
}

// Count reports how many requests for method (case-insensitive) the server
// received, whatever their outcome (including 429s, injected failures and
// requests refused while down).
func (s *Server) Count(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[strings.ToLower(method)]
}

// Count429 reports how many 429 Too Many Requests answers the server gave.
func (s *Server) Count429() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count429
}

// Commands returns the commands set for scope: "default" (or ""),
// "all_private_chats", "all_group_chats", "all_chat_administrators",
// "chat:<chat_id>", "chat_administrators:<chat_id>" or
// "chat_member:<chat_id>:<user_id>", suffixed with "/<language_code>" for
// commands set for a language.
func (s *Server) Commands(scope string) []Command {
	if scope == "" {
		scope = "default"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Command(nil), s.commands[scope]...)
}

// PendingUpdates reports how many updates are queued, not yet confirmed
// through getUpdates nor accepted by the webhook.
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// Webhook returns the webhook URL and secret token currently set ("" when
// the bot uses getUpdates).
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hook.url, s.hook.secret
}
