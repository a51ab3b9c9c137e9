// Package dashboard serves the committee's dashboard: read-only web pages
// (overview, units, tasks, overdue, one task, meetings) computed from the
// store, opened as a Telegram Mini App (initData validated as Telegram
// documents it) or from a one-time link that /dashboard sends, either of
// which gives a short-lived session cookie. Chairs and the secretariat see
// everything; a unit's head or delegate sees the committee's totals and
// their own unit; another unit's task answers like one that does not
// exist. Pages are html/template embedded in the binary, styled with
// Telegram's theme variables, with a little JavaScript for the initData
// hand-over and sorting. It imports only tasks of this project.
package dashboard
