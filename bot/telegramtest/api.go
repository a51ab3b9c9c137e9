package telegramtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

type handlerFunc func(s *Server, q *request) (any, *apiError)

// handlers maps lower-cased method names (Telegram's are case-insensitive)
// to their implementation. getUpdates is special-cased in serveHTTP because
// it waits without holding the lock; its entry only marks it as known.
var handlers = map[string]handlerFunc{
	"getme":                  (*Server).apiGetMe,
	"getupdates":             nil,
	"sendmessage":            (*Server).apiSendMessage,
	"editmessagetext":        (*Server).apiEditMessageText,
	"editmessagereplymarkup": (*Server).apiEditMessageReplyMarkup,
	"answercallbackquery":    (*Server).apiAnswerCallbackQuery,
	"senddocument":           func(s *Server, q *request) (any, *apiError) { return s.apiSendMedia(q, "document") },
	"sendphoto":              func(s *Server, q *request) (any, *apiError) { return s.apiSendMedia(q, "photo") },
	"sendchataction":         (*Server).apiSendChatAction,
	"deletemessage":          (*Server).apiDeleteMessage,
	"setmycommands":          (*Server).apiSetMyCommands,
	"deletemycommands":       (*Server).apiDeleteMyCommands,
	"getmycommands":          (*Server).apiGetMyCommands,
	"setwebhook":             (*Server).apiSetWebhook,
	"deletewebhook":          (*Server).apiDeleteWebhook,
	"getwebhookinfo":         (*Server).apiGetWebhookInfo,
	"getfile":                (*Server).apiGetFile,
	"setchatmenubutton":      (*Server).apiSetChatMenuButton,
}

func ptr[T any](v T) *T { return &v }

func (s *Server) apiGetMe(*request) (any, *apiError) {
	u := s.botAPIUser()
	u.CanJoinGroups = ptr(true)
	u.CanReadAllGroupMessages = ptr(false)
	u.SupportsInlineQueries = ptr(false)
	u.CanConnectToBusiness = ptr(false)
	u.HasMainWebApp = ptr(false)
	return u, nil
}

// ---------------------------------------------------------------- helpers

// resolveChat parses chat_id. Numeric ids always resolve (unknown chats are
// created); @usernames are not supported and answer "chat not found".
func (s *Server) resolveChat(q *request) (*chatState, *apiError) {
	v := strings.TrimSpace(q.str("chat_id"))
	if v == "" || v == "null" {
		return nil, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id == 0 {
		return nil, badRequest("chat not found")
	}
	return s.chat(id), nil
}

func blockedError(cs *chatState) *apiError {
	desc := "Forbidden: bot was blocked by the user"
	switch cs.info.Type {
	case "group":
		desc = "Forbidden: bot was kicked from the group chat"
	case "supergroup":
		desc = "Forbidden: bot was kicked from the supergroup chat"
	}
	return &apiError{code: http.StatusForbidden, desc: desc}
}

// formatText applies parse_mode (or explicit entities) and Telegram's
// trimming. what is "text" or "caption" for error messages.
func formatText(text, parseMode, entitiesJSON, what string) (string, []entity, *apiError) {
	if !utf8.ValidString(text) {
		return "", nil, badRequest("%s must be encoded in UTF-8", what)
	}
	var (
		plain string
		ents  []entity
		err   error
	)
	switch strings.ToLower(parseMode) {
	case "":
		plain = text
		if entitiesJSON != "" {
			if json.Unmarshal([]byte(entitiesJSON), &ents) != nil {
				return "", nil, badRequest("can't parse entities JSON object")
			}
		}
	case "html":
		plain, ents, err = parseHTML(text)
	default:
		// The bot sends HTML only; Markdown is refused here so that a
		// message written for it is caught by the tests.
		return "", nil, badRequest("unsupported parse_mode")
	}
	if err != nil {
		return "", nil, badRequest("can't parse entities: %s", err.Error())
	}
	plain, ents = trimFormatted(plain, ents)
	return plain, ents, nil
}

// parseReplyMarkup validates reply_markup. It returns the inline keyboard
// (nil for other markup kinds) and its normalized JSON.
func parseReplyMarkup(v string) ([][]Button, json.RawMessage, *apiError) {
	if strings.TrimSpace(v) == "" {
		return nil, nil, nil
	}
	var top map[string]json.RawMessage
	if json.Unmarshal([]byte(v), &top) != nil {
		return nil, nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	rawKB, ok := top["inline_keyboard"]
	if !ok {
		for _, k := range []string{"keyboard", "remove_keyboard", "force_reply"} {
			if _, ok := top[k]; ok {
				return nil, nil, nil
			}
		}
		return nil, nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	var rows [][]map[string]json.RawMessage
	if json.Unmarshal(rawKB, &rows) != nil {
		return nil, nil, badRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays")
	}
	var (
		buttons [][]Button
		norm    strings.Builder
	)
	norm.WriteString(`{"inline_keyboard":[`)
	count := 0
	for ri, row := range rows {
		if ri > 0 {
			norm.WriteByte(',')
		}
		norm.WriteByte('[')
		var brow []Button
		for bi, fields := range row {
			count++
			var b Button
			if json.Unmarshal(fields["text"], &b.Text) != nil {
				return nil, nil, badRequest("can't parse inline keyboard button: Field \"text\" must be of type String")
			}
			if b.Text == "" {
				return nil, nil, badRequest("BUTTON_TEXT_INVALID")
			}
			kept := map[string]json.RawMessage{}
			for k, raw := range fields {
				if k == "text" || isZeroJSON(raw) {
					continue
				}
				kept[k] = raw
			}
			if raw, ok := fields["callback_data"]; ok {
				if json.Unmarshal(raw, &b.Data) != nil || len(b.Data) < 1 || len(b.Data) > MaxCallbackDataLength {
					return nil, nil, badRequest("BUTTON_DATA_INVALID")
				}
				kept["callback_data"] = raw
			}
			if raw, ok := kept["url"]; ok {
				if json.Unmarshal(raw, &b.URL) != nil || !validButtonURL(b.URL) {
					return nil, nil, badRequest("BUTTON_URL_INVALID")
				}
			}
			if raw, ok := kept["web_app"]; ok {
				var wa struct {
					URL string `json:"url"`
				}
				if json.Unmarshal(raw, &wa) != nil || !strings.HasPrefix(wa.URL, "https://") {
					return nil, nil, badRequest("BUTTON_URL_INVALID")
				}
				b.WebApp = wa.URL
			}
			if len(kept) == 0 {
				return nil, nil, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
			}
			if bi > 0 {
				norm.WriteByte(',')
			}
			txt, _ := json.Marshal(b.Text)
			norm.WriteString(`{"text":`)
			norm.Write(txt)
			keys := make([]string, 0, len(kept))
			for k := range kept {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				kb, _ := json.Marshal(k)
				norm.WriteByte(',')
				norm.Write(kb)
				norm.WriteByte(':')
				var compact bytes.Buffer
				_ = json.Compact(&compact, kept[k]) // valid: it was unmarshalled above
				norm.Write(compact.Bytes())
			}
			norm.WriteByte('}')
			brow = append(brow, b)
		}
		norm.WriteByte(']')
		buttons = append(buttons, brow)
	}
	norm.WriteString("]}")
	if count > 100 {
		return nil, nil, badRequest("reply markup is too long")
	}
	if buttons == nil {
		buttons = [][]Button{}
	}
	return buttons, json.RawMessage(norm.String()), nil
}

// isZeroJSON reports whether a button field holds an empty value such as
// the `"copy_text":{"text":""}` go-telegram/bot always sends.
func isZeroJSON(raw json.RawMessage) bool {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return false
	}
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case float64:
		return x == 0
	case map[string]any:
		for _, fv := range x {
			b, _ := json.Marshal(fv)
			if !isZeroJSON(b) {
				return false
			}
		}
		return true
	case []any:
		return len(x) == 0
	}
	return false
}

func validButtonURL(v string) bool {
	u, err := url.Parse(v)
	if err != nil || v == "" {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "tg", "ton":
		return true
	case "":
		return strings.Contains(v, ".") && !strings.ContainsAny(v, " \t\n")
	}
	return false
}

// replyTarget resolves reply_parameters / reply_to_message_id.
func (s *Server) replyTarget(cs *chatState, q *request) (int, *apiError) {
	id := 0
	allow := q.boolean("allow_sending_without_reply")
	if rp := q.str("reply_parameters"); rp != "" {
		var p struct {
			MessageID                int  `json:"message_id"`
			AllowSendingWithoutReply bool `json:"allow_sending_without_reply"`
		}
		if json.Unmarshal([]byte(rp), &p) != nil {
			return 0, badRequest("can't parse reply parameters JSON object")
		}
		id = p.MessageID
		allow = allow || p.AllowSendingWithoutReply
	} else if v, ok := q.integer("reply_to_message_id"); ok {
		id = int(v)
	}
	if id == 0 {
		return 0, nil
	}
	if cs.find(id) == nil {
		if allow {
			return 0, nil
		}
		return 0, badRequest("message to be replied not found")
	}
	return id, nil
}

// ---------------------------------------------------------------- sending

// messageBody reads and checks the text and the keyboard of sendMessage
// and editMessageText as Telegram does; tooLong is the error each method
// gives for a text over the limit.
func messageBody(q *request, tooLong string) (string, []entity, [][]Button, json.RawMessage, *apiError) {
	text, ents, aerr := checkText(q.str("text"), q.str("parse_mode"), q.str("entities"), tooLong)
	if aerr != nil {
		return "", nil, nil, nil, aerr
	}
	buttons, markup, aerr := parseReplyMarkup(q.str("reply_markup"))
	if aerr != nil {
		return "", nil, nil, nil, aerr
	}
	return text, ents, buttons, markup, nil
}

// checkText reads a message text as Telegram does: parsed, trimmed, not
// empty and within MaxMessageLength UTF-16 units once parsed.
func checkText(raw, parseMode, entitiesJSON, tooLong string) (string, []entity, *apiError) {
	if strings.TrimSpace(raw) == "" {
		return "", nil, badRequest("message text is empty")
	}
	text, ents, aerr := formatText(raw, parseMode, entitiesJSON, "text")
	if aerr != nil {
		return "", nil, aerr
	}
	if text == "" {
		return "", nil, badRequest("message text is empty")
	}
	if UTF16Len(text) > MaxMessageLength {
		return "", nil, badRequest("%s", tooLong)
	}
	return text, ents, nil
}

// admit checks what every send checks after its own content, in
// Telegram's order: the chat has not blocked the bot, the message replied
// to exists, and the rate limits allow one more. It returns the reply
// target.
func (s *Server) admit(cs *chatState, q *request) (int, *apiError) {
	if cs.blocked {
		return 0, blockedError(cs)
	}
	replyTo, aerr := s.replyTarget(cs, q)
	if aerr != nil {
		return 0, aerr
	}
	if aerr := s.limiter.take(s.now(), cs); aerr != nil {
		return 0, aerr
	}
	return replyTo, nil
}

func (s *Server) apiSendMessage(q *request) (any, *apiError) {
	cs, aerr := s.resolveChat(q)
	if aerr != nil {
		return nil, aerr
	}
	text, ents, buttons, markup, aerr := messageBody(q, "message is too long")
	if aerr != nil {
		return nil, aerr
	}
	replyTo, aerr := s.admit(cs, q)
	if aerr != nil {
		return nil, aerr
	}
	m := &msgRec{
		chatID: cs.info.ID, fromBot: true, date: s.now().Unix(),
		text: text, ents: ents, raw: q.str("text"), parseMode: q.str("parse_mode"),
		buttons: buttons, markup: markup, replyTo: replyTo, method: "sendMessage",
	}
	cs.add(m)
	s.sent = append(s.sent, m)
	s.msgEvent(EventSend, "sendMessage", m)
	return s.render(m, true), nil
}

// apiSendMedia implements sendDocument and sendPhoto.
func (s *Server) apiSendMedia(q *request, kind string) (any, *apiError) {
	method := "sendDocument"
	if kind == "photo" {
		method = "sendPhoto"
	}
	cs, aerr := s.resolveChat(q)
	if aerr != nil {
		return nil, aerr
	}
	rawCaption := q.str("caption")
	caption, capEnts, aerr := formatText(rawCaption, q.str("parse_mode"), q.str("caption_entities"), "caption")
	if aerr != nil {
		return nil, aerr
	}
	if UTF16Len(caption) > MaxCaptionLength {
		return nil, badRequest("message caption is too long")
	}
	buttons, markup, aerr := parseReplyMarkup(q.str("reply_markup"))
	if aerr != nil {
		return nil, aerr
	}
	var (
		up     *upload
		fileID string
	)
	if u := q.files[kind]; u != nil {
		up = u
	} else {
		v := strings.TrimSpace(q.str(kind))
		if v == "" {
			return nil, badRequest("there is no %s in the request", kind)
		}
		if name, ok := strings.CutPrefix(v, "attach://"); ok {
			if up = q.files[name]; up == nil {
				return nil, badRequest("there is no %s in the request", kind)
			}
		} else {
			fileID = v
		}
	}
	var f *fileRec
	if up != nil {
		if len(up.data) == 0 {
			return nil, badRequest("file must be non-empty")
		}
	} else {
		f = s.files[fileID]
		if f == nil {
			return nil, badRequest("wrong file identifier/HTTP URL specified")
		}
		if f.kind != "" && f.kind != kind {
			return nil, badRequest("type of file mismatch")
		}
	}
	replyTo, aerr := s.admit(cs, q)
	if aerr != nil {
		return nil, aerr
	}
	if up != nil {
		f = s.newFile(kind, "", up.filename, up.contentType, up.data, true, 0)
	} else {
		s.setKind(f, kind)
	}
	m := &msgRec{
		chatID: cs.info.ID, fromBot: true, date: s.now().Unix(),
		caption: caption, capEnts: capEnts, raw: rawCaption, parseMode: q.str("parse_mode"),
		buttons: buttons, markup: markup, replyTo: replyTo, method: method,
	}
	if kind == "photo" {
		m.photo = f
	} else {
		m.doc = f
	}
	cs.add(m)
	s.sent = append(s.sent, m)
	s.msgEvent(EventSend, method, m)
	return s.render(m, true), nil
}

var chatActions = map[string]bool{
	"typing": true, "upload_photo": true, "record_video": true, "upload_video": true,
	"record_voice": true, "upload_voice": true, "upload_document": true, "choose_sticker": true,
	"find_location": true, "record_video_note": true, "upload_video_note": true,
}

func (s *Server) apiSendChatAction(q *request) (any, *apiError) {
	cs, aerr := s.resolveChat(q)
	if aerr != nil {
		return nil, aerr
	}
	action := q.str("action")
	if !chatActions[action] {
		return nil, badRequest("wrong parameter action in request")
	}
	if cs.blocked {
		return nil, blockedError(cs)
	}
	s.addEvent(Event{Kind: EventChatAction, Method: "sendChatAction", ChatID: cs.info.ID, Text: action})
	return true, nil
}

// ---------------------------------------------------------------- editing

// editTarget finds the bot message addressed by chat_id and message_id.
func (s *Server) editTarget(q *request, notFound string) (*chatState, *msgRec, *apiError) {
	if q.str("inline_message_id") != "" {
		return nil, nil, badRequest("MESSAGE_ID_INVALID")
	}
	cs, aerr := s.resolveChat(q)
	if aerr != nil {
		return nil, nil, aerr
	}
	id, ok := q.integer("message_id")
	if !ok || id == 0 {
		return nil, nil, badRequest("message identifier is not specified")
	}
	if cs.blocked {
		return nil, nil, blockedError(cs)
	}
	m := cs.find(int(id))
	if m == nil {
		return nil, nil, badRequest("%s", notFound)
	}
	return cs, m, nil
}

const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

func sameEntities(a, b []entity) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func (s *Server) apiEditMessageText(q *request) (any, *apiError) {
	_, m, aerr := s.editTarget(q, "message to edit not found")
	if aerr != nil {
		return nil, aerr
	}
	text, ents, buttons, markup, aerr := messageBody(q, "MESSAGE_TOO_LONG")
	if aerr != nil {
		return nil, aerr
	}
	if !m.fromBot {
		return nil, badRequest("message can't be edited")
	}
	if m.doc != nil || m.photo != nil {
		return nil, badRequest("there is no text in the message to edit")
	}
	if m.text == text && sameEntities(m.ents, ents) && string(m.markup) == string(markup) {
		return nil, badRequest(notModified)
	}
	m.text, m.ents, m.raw, m.parseMode = text, ents, q.str("text"), q.str("parse_mode")
	m.buttons, m.markup = buttons, markup
	m.edits++
	m.editDate = s.now().Unix()
	s.msgEvent(EventEdit, "editMessageText", m)
	return s.render(m, true), nil
}

func (s *Server) apiEditMessageReplyMarkup(q *request) (any, *apiError) {
	_, m, aerr := s.editTarget(q, "message to edit not found")
	if aerr != nil {
		return nil, aerr
	}
	buttons, markup, aerr := parseReplyMarkup(q.str("reply_markup"))
	if aerr != nil {
		return nil, aerr
	}
	if markup == nil && q.str("reply_markup") != "" {
		return nil, badRequest("inline keyboard expected")
	}
	if !m.fromBot {
		return nil, badRequest("message can't be edited")
	}
	if string(m.markup) == string(markup) {
		return nil, badRequest(notModified)
	}
	m.buttons, m.markup = buttons, markup
	m.edits++
	m.editDate = s.now().Unix()
	s.msgEvent(EventEdit, "editMessageReplyMarkup", m)
	return s.render(m, true), nil
}

func (s *Server) apiDeleteMessage(q *request) (any, *apiError) {
	cs, aerr := s.resolveChat(q)
	if aerr != nil {
		return nil, aerr
	}
	id, ok := q.integer("message_id")
	if !ok || id == 0 {
		return nil, badRequest("message identifier is not specified")
	}
	m := cs.find(int(id))
	if m == nil {
		return nil, badRequest("message to delete not found")
	}
	if !m.fromBot && cs.isGroup() {
		return nil, badRequest("message can't be deleted")
	}
	m.deleted = true
	s.msgEvent(EventDelete, "deleteMessage", m)
	return true, nil
}

// ---------------------------------------------------------------- callbacks

const queryInvalid = "query is too old and response timeout expired or query ID is invalid"

func (s *Server) apiAnswerCallbackQuery(q *request) (any, *apiError) {
	id := q.str("callback_query_id")
	cb := s.callbacks[id]
	if cb == nil || cb.answered {
		return nil, badRequest(queryInvalid)
	}
	text := q.str("text")
	if !utf8.ValidString(text) {
		return nil, badRequest("text must be encoded in UTF-8")
	}
	if UTF16Len(text) > MaxCallbackAnswerLength {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	cacheTime, _ := q.integer("cache_time")
	cb.answered = true
	a := CallbackAnswer{
		QueryID: id, Text: text, ShowAlert: q.boolean("show_alert"), URL: q.str("url"),
		CacheTime: int(cacheTime), From: cb.from, ChatID: cb.chatID, MessageID: cb.messageID, Data: cb.data,
	}
	s.answers = append(s.answers, a)
	s.addEvent(Event{Kind: EventAnswer, Method: "answerCallbackQuery", ChatID: cb.chatID, MessageID: cb.messageID, From: cb.from, Text: text, Data: cb.data})
	return true, nil
}

// ---------------------------------------------------------------- commands

var commandName = func(c string) bool {
	if len(c) < 1 || len(c) > 32 {
		return false
	}
	for i := 0; i < len(c); i++ {
		ch := c[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '_') {
			return false
		}
	}
	return true
}

// scopeKey turns the scope and language_code parameters into the key used
// by Commands: "default", "all_private_chats", "all_group_chats",
// "all_chat_administrators", "chat:<id>", "chat_administrators:<id>",
// "chat_member:<id>:<user>", followed by "/<lang>" when a language is given.
func scopeKey(q *request) (string, *apiError) {
	key := "default"
	if v := q.str("scope"); v != "" {
		var sc struct {
			Type   string          `json:"type"`
			ChatID json.RawMessage `json:"chat_id"`
			UserID int64           `json:"user_id"`
		}
		if json.Unmarshal([]byte(v), &sc) != nil {
			return "", badRequest("can't parse BotCommandScope JSON object")
		}
		chat := strings.Trim(string(sc.ChatID), `"`)
		switch sc.Type {
		case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
			key = sc.Type
		case "chat", "chat_administrators":
			if chat == "" {
				return "", badRequest("chat_id is empty")
			}
			key = sc.Type + ":" + chat
		case "chat_member":
			if chat == "" {
				return "", badRequest("chat_id is empty")
			}
			key = "chat_member:" + chat + ":" + strconv.FormatInt(sc.UserID, 10)
		default:
			return "", badRequest("unsupported bot command scope type")
		}
	}
	if lang := q.str("language_code"); lang != "" {
		key += "/" + lang
	}
	return key, nil
}

func (s *Server) apiSetMyCommands(q *request) (any, *apiError) {
	if !q.has("commands") {
		return nil, badRequest("parameter \"commands\" is required")
	}
	var cmds []Command
	if json.Unmarshal([]byte(q.str("commands")), &cmds) != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return nil, badRequest("BOT_COMMANDS_TOO_MUCH")
	}
	for _, c := range cmds {
		if !commandName(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := UTF16Len(c.Description); n < 1 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	key, aerr := scopeKey(q)
	if aerr != nil {
		return nil, aerr
	}
	if len(cmds) == 0 {
		delete(s.commands, key)
	} else {
		s.commands[key] = cmds
	}
	return true, nil
}

func (s *Server) apiDeleteMyCommands(q *request) (any, *apiError) {
	key, aerr := scopeKey(q)
	if aerr != nil {
		return nil, aerr
	}
	delete(s.commands, key)
	return true, nil
}

func (s *Server) apiGetMyCommands(q *request) (any, *apiError) {
	key, aerr := scopeKey(q)
	if aerr != nil {
		return nil, aerr
	}
	cmds := s.commands[key]
	if cmds == nil {
		cmds = []Command{}
	}
	return cmds, nil
}

// ---------------------------------------------------------------- files

func (s *Server) apiGetFile(q *request) (any, *apiError) {
	f := s.files[strings.TrimSpace(q.str("file_id"))]
	if f == nil {
		return nil, badRequest("invalid file_id")
	}
	if f.size > MaxDownloadSize {
		return nil, badRequest("file is too big")
	}
	s.setKind(f, "document")
	return apiFile{FileID: f.id, FileUniqueID: f.uniqueID, FileSize: f.size, FilePath: f.path}, nil
}

// serveFile answers /file/bot{token}/{path}.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	token, p, _ := strings.Cut(rest, "/")
	s.mu.Lock()
	down := s.down
	f := s.paths[p]
	var data []byte
	if f != nil {
		data = f.content()
	}
	s.mu.Unlock()
	switch {
	case down:
		writeGateway(w, http.StatusBadGateway)
	case s.cfg.token != "" && token != s.cfg.token:
		s.writeError(w, &apiError{code: http.StatusUnauthorized, desc: "Unauthorized"})
	case f == nil:
		s.writeError(w, errNotFound)
	default:
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(data)
		}
	}
}
