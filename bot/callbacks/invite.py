"""/invite: rotate or revoke the branch's link."""

from bot.callbacks import Action

P = "inv"
rotate = Action(P, "rot")
revoke = Action(P, "rev")
