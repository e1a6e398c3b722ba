"""/audit: the pages of the audit log."""

from bot.callbacks import Action

P = "au"
page = Action(P, "p", int)  # page number, from 0 (newest)
