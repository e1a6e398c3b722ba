"""/report: start or resume a thought report, submit it, clear it and start again."""

from bot.callbacks import Action

P = "rp"
start = Action(P, "w")  # open (or resume) one's own report
submit = Action(P, "s", int)  # submission id
clear = Action(P, "x", int)  # submission id
