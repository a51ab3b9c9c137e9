package telegramtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	_ "image/gif"  // photo dimensions
	_ "image/jpeg" // photo dimensions
	_ "image/png"  // photo dimensions
	"mime"
	"path"
	"strings"
	"time"
)

// ---------------------------------------------------------------- public observation types

// Button is an inline keyboard button as the bot sent it.
type Button struct {
	Text string
	Data string // callback_data
	URL  string
	// WebApp is a Mini App button's URL (web_app.url).
	WebApp string
}

// File is a document or photo attached to a message.
type File struct {
	FileID   string
	UniqueID string
	Name     string
	MimeType string
	Size     int64
	Data     []byte // uploaded bytes; nil for user files registered without content; do not modify
}

// Message is a message in a chat, as the server holds it now (after edits).
type Message struct {
	MessageID int
	ChatID    int64
	From      User // the bot for bot messages
	FromBot   bool
	Date      time.Time
	Text      string // visible text, after entity parsing and trimming
	Raw       string // text or caption exactly as the bot sent it (with markup)
	ParseMode string
	Buttons   [][]Button // inline keyboard
	ReplyTo   int        // id of the message this one replies to, 0 if none
	Document  *File
	Photo     *File
	Caption   string // visible caption, after entity parsing
	Edits     int    // number of successful edits
	Method    string // Bot API method that created it; "" for user messages
	Deleted   bool
}

// CallbackAnswer is one answerCallbackQuery call, with the query it answers.
type CallbackAnswer struct {
	QueryID   string
	Text      string
	ShowAlert bool
	URL       string
	CacheTime int
	From      User // who pressed the button
	ChatID    int64
	MessageID int
	Data      string // the pressed button's callback data
}

// Command is a bot command registered with setMyCommands.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// EventKind says what happened in an Event.
type EventKind string

// Event kinds.
const (
	// EventUserMessage means a user sent a message (SendText, Reply, SendDocument, SendPhoto).
	EventUserMessage EventKind = "user_message"
	// EventUserPress means a user pressed an inline button (Press, PressButton).
	EventUserPress EventKind = "user_press"
	// EventSend means the bot sent a message (sendMessage, sendDocument, sendPhoto).
	EventSend EventKind = "send"
	// EventEdit means the bot edited a message (editMessageText, editMessageReplyMarkup).
	EventEdit EventKind = "edit"
	// EventDelete means the bot deleted a message (deleteMessage).
	EventDelete EventKind = "delete"
	// EventAnswer means the bot answered a callback query (answerCallbackQuery).
	EventAnswer EventKind = "answer"
	// EventChatAction means the bot sent a chat action such as "typing" (sendChatAction).
	EventChatAction EventKind = "chat_action"
)

// Event is one step of the conversation, in the order the server saw it.
type Event struct {
	Seq       int // 1-based position in the event log
	Kind      EventKind
	Method    string // Bot API method for bot actions
	ChatID    int64
	MessageID int
	From      User     // the acting user for user events
	Text      string   // message text or caption, callback answer text, chat action, or pressed button's text
	Data      string   // callback data for EventUserPress and EventAnswer
	Message   *Message // snapshot for message events
	Time      time.Time
}

// ---------------------------------------------------------------- wire types

type apiUser struct {
	ID                      int64  `json:"id"`
	IsBot                   bool   `json:"is_bot"`
	FirstName               string `json:"first_name"`
	Username                string `json:"username,omitempty"`
	LanguageCode            string `json:"language_code,omitempty"`
	CanJoinGroups           *bool  `json:"can_join_groups,omitempty"`
	CanReadAllGroupMessages *bool  `json:"can_read_all_group_messages,omitempty"`
	SupportsInlineQueries   *bool  `json:"supports_inline_queries,omitempty"`
	CanConnectToBusiness    *bool  `json:"can_connect_to_business,omitempty"`
	HasMainWebApp           *bool  `json:"has_main_web_app,omitempty"`
}

type apiChat struct {
	ID        int64  `json:"id"`
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	Type      string `json:"type"`
}

type apiDocument struct {
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int64  `json:"file_size,omitempty"`
}

type apiPhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int64  `json:"file_size,omitempty"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
}

type apiMessage struct {
	MessageID       int             `json:"message_id"`
	From            *apiUser        `json:"from,omitempty"`
	Chat            apiChat         `json:"chat"`
	Date            int64           `json:"date"`
	EditDate        int64           `json:"edit_date,omitempty"`
	ReplyToMessage  *apiMessage     `json:"reply_to_message,omitempty"`
	Text            string          `json:"text,omitempty"`
	Entities        []entity        `json:"entities,omitempty"`
	Document        *apiDocument    `json:"document,omitempty"`
	Photo           []apiPhotoSize  `json:"photo,omitempty"`
	Caption         string          `json:"caption,omitempty"`
	CaptionEntities []entity        `json:"caption_entities,omitempty"`
	ReplyMarkup     json.RawMessage `json:"reply_markup,omitempty"`
}

type apiInaccessibleMessage struct {
	Chat      apiChat `json:"chat"`
	MessageID int     `json:"message_id"`
	Date      int64   `json:"date"`
}

type apiCallbackQuery struct {
	ID           string  `json:"id"`
	From         apiUser `json:"from"`
	Message      any     `json:"message,omitempty"`
	ChatInstance string  `json:"chat_instance"`
	Data         string  `json:"data,omitempty"`
}

type apiUpdate struct {
	UpdateID      int64             `json:"update_id"`
	Message       *apiMessage       `json:"message,omitempty"`
	CallbackQuery *apiCallbackQuery `json:"callback_query,omitempty"`
}

type apiFile struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int64  `json:"file_size,omitempty"`
	FilePath     string `json:"file_path,omitempty"`
}

// ---------------------------------------------------------------- internal state

type chatState struct {
	info    apiChat
	nextID  int
	msgs    map[int]*msgRec
	order   []*msgRec
	blocked bool
}

type msgRec struct {
	id        int
	chatID    int64
	fromBot   bool
	from      User
	date      int64
	editDate  int64
	text      string
	ents      []entity
	raw       string
	parseMode string
	caption   string
	capEnts   []entity
	markup    json.RawMessage // normalized inline keyboard, nil if none
	buttons   [][]Button
	replyTo   int
	doc       *fileRec
	photo     *fileRec
	edits     int
	method    string
	deleted   bool
}

type fileRec struct {
	id       string
	uniqueID string
	kind     string // "document", "photo" or "" until first use
	name     string
	mimeType string
	data     []byte
	hasData  bool
	size     int64
	path     string
	width    int
	height   int
}

type callbackRec struct {
	id        string
	from      User
	chatID    int64
	messageID int
	data      string
	answered  bool
}

type queuedUpdate struct {
	id   int64
	kind string
	raw  json.RawMessage
}

// chat returns the state of chatID, creating it for chats never seen
// before: any int64 is a valid chat.
func (s *Server) chat(chatID int64) *chatState {
	cs := s.chats[chatID]
	if cs == nil {
		typ := "private"
		switch {
		case chatID < -1_000_000_000_000:
			typ = "supergroup"
		case chatID < 0:
			typ = "group"
		}
		cs = &chatState{info: apiChat{ID: chatID, Type: typ}, nextID: 1, msgs: map[int]*msgRec{}}
		s.chats[chatID] = cs
	}
	return cs
}

// chatFor registers what a user action tells about a chat.
func (s *Server) chatFor(c Chat, from User) *chatState {
	cs := s.chat(c.ID)
	if c.Type != "" {
		cs.info.Type = c.Type
	} else if c.ID > 0 {
		cs.info.Type = "private"
	}
	if c.Title != "" {
		cs.info.Title = c.Title
	}
	if cs.info.Type == "private" && from.ID == c.ID {
		cs.info.FirstName = from.FirstName
		cs.info.Username = from.Username
	}
	return cs
}

func (cs *chatState) isGroup() bool {
	return cs.info.Type == "group" || cs.info.Type == "supergroup"
}

func (cs *chatState) add(m *msgRec) {
	m.id = cs.nextID
	cs.nextID++
	cs.msgs[m.id] = m
	cs.order = append(cs.order, m)
}

func (cs *chatState) find(id int) *msgRec {
	m := cs.msgs[id]
	if m == nil || m.deleted {
		return nil
	}
	return m
}

func (s *Server) botUser() User {
	return User{ID: s.cfg.botID, FirstName: s.cfg.botFirstName, Username: s.cfg.botUsername}
}

func (s *Server) botAPIUser() *apiUser {
	return &apiUser{ID: s.cfg.botID, IsBot: true, FirstName: s.cfg.botFirstName, Username: s.cfg.botUsername}
}

func userAPI(u User) apiUser {
	return apiUser{ID: u.ID, FirstName: u.FirstName, Username: u.Username, LanguageCode: u.LanguageCode}
}

// render converts a message to Telegram's JSON shape.
func (s *Server) render(m *msgRec, withReply bool) *apiMessage {
	cs := s.chat(m.chatID)
	am := &apiMessage{
		MessageID:       m.id,
		Chat:            cs.info,
		Date:            m.date,
		EditDate:        m.editDate,
		Text:            m.text,
		Entities:        m.ents,
		Caption:         m.caption,
		CaptionEntities: m.capEnts,
		ReplyMarkup:     m.markup,
	}
	if m.fromBot {
		am.From = s.botAPIUser()
	} else {
		u := userAPI(m.from)
		am.From = &u
	}
	if m.doc != nil {
		am.Document = &apiDocument{FileName: m.doc.name, MimeType: m.doc.mimeType, FileID: m.doc.id, FileUniqueID: m.doc.uniqueID, FileSize: m.doc.size}
	}
	if m.photo != nil {
		am.Photo = []apiPhotoSize{{FileID: m.photo.id, FileUniqueID: m.photo.uniqueID, FileSize: m.photo.size, Width: m.photo.width, Height: m.photo.height}}
	}
	if withReply && m.replyTo != 0 {
		if r := cs.msgs[m.replyTo]; r != nil {
			am.ReplyToMessage = s.render(r, false)
		}
	}
	return am
}

func (f *fileRec) public() *File {
	if f == nil {
		return nil
	}
	return &File{FileID: f.id, UniqueID: f.uniqueID, Name: f.name, MimeType: f.mimeType, Size: f.size, Data: f.data}
}

func (m *msgRec) snapshot(s *Server) Message {
	out := Message{
		MessageID: m.id,
		ChatID:    m.chatID,
		From:      m.from,
		FromBot:   m.fromBot,
		Date:      time.Unix(m.date, 0),
		Text:      m.text,
		Raw:       m.raw,
		ParseMode: m.parseMode,
		ReplyTo:   m.replyTo,
		Document:  m.doc.public(),
		Photo:     m.photo.public(),
		Caption:   m.caption,
		Edits:     m.edits,
		Method:    m.method,
		Deleted:   m.deleted,
	}
	if m.fromBot {
		out.From = s.botUser()
	}
	if m.buttons != nil {
		out.Buttons = make([][]Button, len(m.buttons))
		for i, row := range m.buttons {
			out.Buttons[i] = append([]Button(nil), row...)
		}
	}
	return out
}

// ---------------------------------------------------------------- events and updates

func (s *Server) addEvent(e Event) {
	e.Seq = len(s.events) + 1
	if e.Time.IsZero() {
		e.Time = s.now()
	}
	s.events = append(s.events, e)
}

func (s *Server) msgEvent(kind EventKind, method string, m *msgRec) {
	snap := m.snapshot(s)
	text := snap.Text
	if snap.Document != nil || snap.Photo != nil {
		text = snap.Caption
	}
	e := Event{Kind: kind, Method: method, ChatID: m.chatID, MessageID: m.id, Text: text, Message: &snap}
	if !m.fromBot {
		e.From = m.from
	}
	s.addEvent(e)
}

// enqueue stores an update for getUpdates or webhook delivery.
func (s *Server) enqueue(kind string, u *apiUpdate) int64 {
	u.UpdateID = s.nextUpdateID
	s.nextUpdateID++
	raw, err := json.Marshal(u)
	if err != nil {
		panic(fmt.Sprintf("telegramtest: marshal update: %v", err))
	}
	s.queue = append(s.queue, queuedUpdate{id: u.UpdateID, kind: kind, raw: raw})
	s.hook.paused = false
	return u.UpdateID
}

// ---------------------------------------------------------------- files

func (s *Server) newFile(kind, id, name, mimeType string, data []byte, hasData bool, size int64) *fileRec {
	s.fileSeq++
	n := s.fileSeq
	if id == "" {
		prefix := "BQACAgIAAxkBAAI"
		if kind == "photo" {
			prefix = "AgACAgIAAxkBAAI"
		}
		id = fmt.Sprintf("%s%06dtgtest", prefix, n)
	}
	if hasData {
		size = int64(len(data))
	}
	f := &fileRec{id: id, uniqueID: fmt.Sprintf("AQAD%06d", n), name: name, data: data, hasData: hasData, size: size}
	s.files[id] = f
	s.setKind(f, kind)
	if mimeType == "" || mimeType == "application/octet-stream" {
		if t := mime.TypeByExtension(path.Ext(name)); t != "" {
			mimeType = t
		}
	}
	if i := strings.IndexByte(mimeType, ';'); i >= 0 {
		mimeType = strings.TrimSpace(mimeType[:i])
	}
	f.mimeType = mimeType
	if hasData {
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
			f.width, f.height = cfg.Width, cfg.Height
		}
	}
	return f
}

// setKind fixes the kind of a file on first use and assigns its path.
func (s *Server) setKind(f *fileRec, kind string) {
	if f.kind != "" || kind == "" {
		return
	}
	f.kind = kind
	ext := path.Ext(f.name)
	if kind == "photo" && ext == "" {
		ext = ".jpg"
	}
	f.path = fmt.Sprintf("%ss/file_%d%s", kind, s.fileSeq, ext)
	for s.paths[f.path] != nil {
		f.path = fmt.Sprintf("%ss/file_%d_%s%s", kind, s.fileSeq, f.uniqueID, ext)
	}
	s.paths[f.path] = f
}

func (f *fileRec) content() []byte {
	if f.hasData {
		return f.data
	}
	return make([]byte, min(f.size, MaxDownloadSize))
}
