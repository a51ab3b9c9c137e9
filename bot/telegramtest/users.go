package telegramtest

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// userMessage records a message from a user and queues its update.
func (s *Server) userMessage(from User, chat Chat, replyTo int, text string, doc, photo *fileRec, caption string) (*msgRec, *apiUpdate) {
	cs := s.chatFor(chat, from)
	m := &msgRec{chatID: chat.ID, from: from, date: s.now().Unix(), replyTo: replyTo, doc: doc, photo: photo}
	if doc != nil || photo != nil {
		m.caption, m.raw = caption, caption
	} else {
		m.text, m.raw = text, text
		m.ents = botCommandEntities(text)
	}
	if replyTo != 0 && cs.find(replyTo) == nil {
		m.replyTo = 0
	}
	cs.add(m)
	return m, &apiUpdate{Message: s.render(m, true)}
}

func (s *Server) postUserMessage(from User, chat Chat, replyTo int, text string, doc, photo *fileRec, caption string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, u := s.userMessage(from, chat, replyTo, text, doc, photo, caption)
	id := s.enqueue("message", u)
	s.msgEvent(EventUserMessage, "", m)
	s.notify()
	return id
}

// SendText delivers a text message from a user to the bot and returns the
// update id. Text starting with "/" (and "/cmd" anywhere, as Telegram
// detects them) carries bot_command entities.
func (s *Server) SendText(from User, chat Chat, text string) (updateID int64) {
	return s.postUserMessage(from, chat, 0, text, nil, nil, "")
}

// Reply delivers a text message from a user that replies to message
// replyToMessageID of the chat (reply_to_message carries that message).
func (s *Server) Reply(from User, chat Chat, replyToMessageID int, text string) (updateID int64) {
	return s.postUserMessage(from, chat, replyToMessageID, text, nil, nil, "")
}

// userFile finds or registers the file a user sends.
func (s *Server) userFile(kind, fileID, fileName string, size int64) *fileRec {
	f := s.files[fileID]
	if f == nil {
		f = s.newFile(kind, fileID, fileName, "", nil, false, size)
	}
	s.setKind(f, kind)
	return f
}

// SendDocument delivers a document from a user. fileID may name a file
// registered with UploadFile (its bytes are then downloadable through
// getFile), a file the bot sent, or a new id ("" generates one) whose
// download yields size zero bytes. replyTo 0 means no reply.
func (s *Server) SendDocument(from User, chat Chat, replyTo int, fileID, fileName string, size int64, caption string) (updateID int64) {
	s.mu.Lock()
	f := s.userFile("document", fileID, fileName, size)
	s.mu.Unlock()
	return s.postUserMessage(from, chat, replyTo, "", f, nil, caption)
}

// SendPhoto delivers a photo from a user; the arguments are as for
// SendDocument. Width and height are read from registered PNG, JPEG or GIF
// bytes and are 0 otherwise.
func (s *Server) SendPhoto(from User, chat Chat, replyTo int, fileID, fileName string, size int64, caption string) (updateID int64) {
	s.mu.Lock()
	f := s.userFile("photo", fileID, fileName, size)
	s.mu.Unlock()
	return s.postUserMessage(from, chat, replyTo, "", nil, f, caption)
}

// UploadFile registers content a user is about to send and returns its
// file_id, for SendDocument or SendPhoto with size int64(len(data)).
func (s *Server) UploadFile(name string, data []byte) (fileID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newFile("", "", name, "", data, true, 0).id
}

// NewTextUpdate builds the JSON of a text-message update exactly as
// SendText would, assigning update and message ids, but neither queues nor
// delivers it: pass it to DeliverRaw.
func (s *Server) NewTextUpdate(from User, chat Chat, text string) json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, u := s.userMessage(from, chat, 0, text, nil, nil, "")
	u.UpdateID = s.nextUpdateID
	s.nextUpdateID++
	s.msgEvent(EventUserMessage, "", m)
	s.notify()
	raw, _ := json.Marshal(u)
	return raw
}

// Press makes a user press an inline button with callback data on message
// messageID and returns the callback query id the bot must answer. The
// data is not checked against the message's keyboard (stale buttons can be
// pressed); an unknown message is sent as an inaccessible message.
func (s *Server) Press(from User, chat Chat, messageID int, data string) (callbackQueryID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chatFor(chat, from)
	s.cbSeq++
	id := strconv.FormatInt(4_000_000_000_000_000_000+int64(s.cbSeq), 10)
	cq := &apiCallbackQuery{
		ID:           id,
		From:         userAPI(from),
		ChatInstance: strconv.FormatInt(chat.ID*7919+13, 10),
		Data:         data,
	}
	label := ""
	if m := cs.find(messageID); m != nil {
		cq.Message = s.render(m, true)
		for _, row := range m.buttons {
			for _, b := range row {
				if b.Data == data && label == "" {
					label = b.Text
				}
			}
		}
	} else {
		cq.Message = apiInaccessibleMessage{Chat: cs.info, MessageID: messageID, Date: 0}
	}
	s.callbacks[id] = &callbackRec{id: id, from: from, chatID: chat.ID, messageID: messageID, data: data}
	s.enqueue("callback_query", &apiUpdate{CallbackQuery: cq})
	s.addEvent(Event{Kind: EventUserPress, ChatID: chat.ID, MessageID: messageID, From: from, Text: label, Data: data})
	s.notify()
	return id
}

// PressButton presses the callback button labelled text on the bot's
// message messageID, like Press with that button's data.
func (s *Server) PressButton(from User, chat Chat, messageID int, text string) (callbackQueryID string, err error) {
	s.mu.Lock()
	var data string
	found := false
	if m := s.chat(chat.ID).find(messageID); m != nil {
		for _, row := range m.buttons {
			for _, b := range row {
				if b.Text == text && b.Data != "" && !found {
					data, found = b.Data, true
				}
			}
		}
	}
	s.mu.Unlock()
	if !found {
		return "", fmt.Errorf("telegramtest: no callback button %q on message %d in chat %d", text, messageID, chat.ID)
	}
	return s.Press(from, chat, messageID, data), nil
}
