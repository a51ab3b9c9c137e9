package bot

import "steerbot/tasks"

// ToolsFor exposes to the black-box tests the /ask tools bound to m.
func (b *Bot) ToolsFor(m tasks.Member) tasks.Tools { return b.toolsFor(m, b.o.Clock.Now()) }
