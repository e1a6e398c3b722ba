"""The six-month alarm's buttons: resolve it by a 谈心谈话 recorded today, or by a reason."""

from bot.callbacks import Action
from bot.domain.lapse import Resolution

P = "lp"
talk = Action(P, "t", int)  # alarm id: 已谈心谈话 (recorded today)
reasons = Action(P, "r", int)  # alarm id: the reasons offered
reason = Action(P, "w", int, Resolution)  # alarm id, the reason given
