"""The county's holiday arrangement: start entering the notice, 确认录入 it for a unit, or 放弃."""

from bot.callbacks import Action

P = "cal"
begin = Action(P, "go")
confirm = Action(P, "ok", int, int)  # unit id, year
discard = Action(P, "no")
