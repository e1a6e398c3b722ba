"""/yuetan: scheduling a 约谈 (the unit, the person, the reason), its record, and the person's written report."""

from bot.callbacks import Action
from bot.domain.yuetan import Reason

P = "yt"
new = Action(P, "n", int)  # unit id: the next message names the person
person = Action(P, "p", int, int)  # unit id, member id: the person chosen, asks the reason
reason = Action(P, "r", int, int, Reason)  # unit id, member id, the reason: the next message is time and place
show = Action(P, "s", int)  # 约谈 id: the officer's card
record = Action(P, "rc", int)  # 约谈 id: the next messages are the record and the rectification required
report = Action(P, "w", int)  # follow-up item id: the person writes the report on the rectification
