"""/talk: the member talked with."""

from bot.callbacks import Action

P = "tk"
pick = Action(P, "m", int)  # member id
