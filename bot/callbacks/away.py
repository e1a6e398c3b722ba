"""/away (请销假): 销假 ends a standing leave early."""

from bot.callbacks import Action

P = "aw"
end = Action(P, "end", int)  # standing leave id
