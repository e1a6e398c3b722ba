"""/followups: a 不合格 result's follow-up — its card, the measure and deadline, 销号 and the officer's answer."""

from bot.callbacks import Action
from bot.domain.filing import Measure

P = "fu"
card = Action(P, "v", int)  # follow-up id
measure = Action(P, "m", int, Measure)  # follow-up id, the measure chosen
months = Action(P, "d", int, int)  # follow-up id, deadline in months from today
close = Action(P, "c", int)  # 销号: asks the secretary what was done
confirm = Action(P, "ok", int)  # the officer confirms 销号
send_back = Action(P, "no", int)  # the officer sends it back
