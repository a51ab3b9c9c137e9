package telegramtest

import "encoding/json"

// MenuButton is a chat's menu button as setChatMenuButton left it.
type MenuButton struct {
	Type   string // "web_app", "commands" or "default"
	Text   string
	WebApp string // the Mini App's URL, for "web_app"
}

// apiSetChatMenuButton records a chat's menu button (chat_id omitted: the
// default button, recorded under chat 0). A Mini App button needs text and
// an https URL, as Telegram requires.
func (s *Server) apiSetChatMenuButton(q *request) (any, *apiError) {
	var chat int64
	if q.has("chat_id") {
		id, ok := q.integer("chat_id")
		if !ok {
			return nil, badRequest("chat not found")
		}
		chat = id
	}
	var raw struct {
		Type   string `json:"type"`
		Text   string `json:"text"`
		WebApp struct {
			URL string `json:"url"`
		} `json:"web_app"`
	}
	if v := q.str("menu_button"); v != "" && json.Unmarshal([]byte(v), &raw) != nil {
		return nil, badRequest("can't parse menu button JSON object")
	}
	b := MenuButton{Type: raw.Type, Text: raw.Text, WebApp: raw.WebApp.URL}
	switch b.Type {
	case "", "default", "commands":
	case "web_app":
		if b.Text == "" || len(b.WebApp) < 9 || b.WebApp[:8] != "https://" {
			return nil, badRequest("BUTTON_URL_INVALID")
		}
	default:
		return nil, badRequest("unsupported menu button type")
	}
	if s.menus == nil {
		s.menus = map[int64]MenuButton{}
	}
	s.menus[chat] = b
	return true, nil
}

// ChatMenuButton returns the menu button set for a chat (ok false: never
// set).
func (s *Server) ChatMenuButton(chat int64) (b MenuButton, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok = s.menus[chat]
	return b, ok
}
