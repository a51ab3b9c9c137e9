package storage

import (
	"encoding/json"
	"fmt"

	"steerbot/tasks"
)

// keyTokens holds the LLM tokens spent today (JSON tokensSpent), so that a
// restart does not reset the daily budget.
const keyTokens = "llm:tokens"

type tokensSpent struct {
	Day    tasks.Date `json:"day"`
	Tokens int        `json:"tokens"`
}

func (t *Tx) tokens() (tokensSpent, error) {
	var v tokensSpent
	raw := t.getKV(keyTokens)
	if raw == nil {
		return v, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, fmt.Errorf("%s: %w", keyTokens, err)
	}
	return v, nil
}

// TokensSpent returns the tokens recorded for day, 0 when none.
func (t *Tx) TokensSpent(day tasks.Date) (int, error) {
	v, err := t.tokens()
	if err != nil || v.Day != day {
		return 0, err
	}
	return v.Tokens, nil
}

// PutTokensSpent records the tokens spent on day; a lower count for the
// same day is ignored.
func (t *Tx) PutTokensSpent(day tasks.Date, n int) error {
	v, err := t.tokens()
	if err != nil {
		return err
	}
	if v.Day == day && v.Tokens >= n {
		return nil
	}
	raw, err := json.Marshal(tokensSpent{Day: day, Tokens: n})
	if err != nil {
		return fmt.Errorf("%s: %w", keyTokens, err)
	}
	return t.putKV(keyTokens, raw)
}
