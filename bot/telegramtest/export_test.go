package telegramtest

// Polling reports how many getUpdates long polls are parked waiting for an
// update; tests use it to order events without sleeping.
func (s *Server) Polling() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.polling
}
