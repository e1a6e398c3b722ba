"""A theme day moved off a public holiday: the secretary 确认 the new date or 改日期."""

from bot.callbacks import Action

P = "hd"
confirm = Action(P, "ok", int)  # meeting id
change = Action(P, "mv", int)  # meeting id
