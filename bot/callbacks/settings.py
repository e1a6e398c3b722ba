"""/settings: the branch's settings card, one setting's choices, a choice."""

from bot.callbacks import Action

P = "st"
card = Action(P, "v")  # back to the card
field = Action(P, "f", str)  # a setting: quiet_start, digest_time, cadence_lecture …
choose = Action(P, "s", str, int)  # setting, index of the choice among those offered for it
