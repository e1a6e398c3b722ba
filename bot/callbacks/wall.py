"""The 民心墙: the resident's 提交 / 放弃 and rating; the dispatcher's 派单 and choice of member; the member's 接单 and
报告. Every press is re-checked against the order: the resident's own chat, the branch's dispatcher, the assigned
member."""

from bot.callbacks import Action
from bot.domain.wall import Rating

P = "wl"
submit = Action(P, "s", int)  # order id
discard = Action(P, "x", int)  # order id
dispatch = Action(P, "d", int)  # order id: the list of members to choose from
assign = Action(P, "a", int, int, int)  # order id, round, member id
take = Action(P, "t", int, int)  # order id, round
report = Action(P, "r", int, int)  # order id, round: open the report's draft
rate = Action(P, "v", int, int, Rating)  # order id, round, rating
poster = Action(P, "q")  # the wall's poster (PNG and PDF) for its dispatcher
board = Action(P, "b", int)  # order id the resident is writing: the wall's public board, nothing of residents
