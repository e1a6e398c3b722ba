"""The roll-up bot's buttons: counties, a county's pages of branches, a branch card, the heat map, registers across
counties, and a task from above (发布 / 放弃)."""

from bot.callbacks import Action
from bot.callbacks.overview import Filter

P = "ru"
counties = Action(P, "o", int)  # every county, worst first: the page
county = Action(P, "c", int, Filter, int)  # county index, filter, page
branch = Action(P, "b", int, int, Filter, int)  # county index, branch id, and the page to go back to
heatmap = Action(P, "h")  # counties × months
export = Action(P, "x", str, int)  # register kind, year
task_send = Action(P, "ts", int)  # the draft's number (bot/rollup/drafts.py)
task_discard = Action(P, "tx", int)
