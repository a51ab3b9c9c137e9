package main

import (
	"context"

	"steerbot/tasks"
)

// storeLedger keeps the LLM's daily token count in the database
// (llm.Ledger), so that a restart does not reset the budget.
type storeLedger struct{ st tasks.Store }

// TokensSpent returns the tokens recorded for day.
func (l storeLedger) TokensSpent(ctx context.Context, day tasks.Date) (n int, err error) {
	err = l.st.View(ctx, func(tx tasks.Tx) error {
		n, err = tx.TokensSpent(day)
		return err
	})
	return n, err
}

// SaveTokens records the day's total.
func (l storeLedger) SaveTokens(ctx context.Context, day tasks.Date, tokens int) error {
	return l.st.Update(ctx, func(tx tasks.Tx) error { return tx.PutTokensSpent(day, tokens) })
}
