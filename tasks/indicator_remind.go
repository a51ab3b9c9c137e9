package tasks

// RemindIndicators is the kind of a reminder that asks a unit for the
// values of its indicators missing for the current period
// (reminders.indicators); its Indicators are those.
const RemindIndicators ReminderKind = "indicators"

// PurposeIndicator is the purpose of a message that asks for indicator
// values: a reply to it is a value of the indicator it names (its
// TaskCodes hold the indicator codes).
const PurposeIndicator Purpose = "indicator"
