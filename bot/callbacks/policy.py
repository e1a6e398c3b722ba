"""/policy: a unit's policy card, one setting's values, a value (or 跟随上级), the month's unified theme.

A setting is named by its index in bot.domain.policy.FIELDS, a value by its index among the setting's values:
names would not fit Telegram's 64 bytes beside a unit id."""

from bot.callbacks import Action

P = "po"
card = Action(P, "v", int)  # unit id: its card
field = Action(P, "f", int, int)  # unit id, setting: its values
choose = Action(P, "s", int, int, int)  # unit id, setting, index of the value among all the setting's values
follow = Action(P, "u", int, int)  # unit id, setting: given back to the units above
themes = Action(P, "t", int)  # unit id: the months its unified theme may be set for
theme_month = Action(P, "m", int, int)  # unit id, month (202612): asks for the theme
