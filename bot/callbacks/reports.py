"""/report: start or resume a thought report (the buttons under the draft are drafting's, bot/callbacks/drafts.py)."""

from bot.callbacks import Action

P = "rp"
start = Action(P, "w")  # open (or resume) one's own report
# Sent under drafts before drafting was shared; such buttons still in chats do what drafting's do.
submit = Action(P, "s", int)  # submission id
clear = Action(P, "x", int)  # submission id
