"""/settings: the branch's settings card, one setting's choices, a choice."""

from bot.callbacks import Action
from bot.domain.holidays import DayKind

P = "st"
card = Action(P, "v")  # back to the card
field = Action(P, "f", str)  # a setting: quiet_start, digest_time, cadence_lecture …
choose = Action(P, "s", str, int)  # setting, index of the choice among those offered for it
holidays = Action(P, "h")  # 🗓 节假日: the national calendar and the branch's own days
holiday_add = Action(P, "ha")  # ➕ 添加: ask for a day
holiday_put = Action(P, "hp", int, DayKind)  # the typed day (20270102) as a day off or a day worked
holiday_drop = Action(P, "hd", int)  # ❌ one of the branch's own days
