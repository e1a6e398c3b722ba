"""星级 (一事一评星): the secretary picks the member, then the evidence — a 民心墙 order rated 满意, or a deed written
down; the press is re-checked (an approver of the member's branch, never for themselves)."""

from bot.callbacks import Action

P = "sr"
member = Action(P, "m", int)  # member id
wall_order = Action(P, "w", int, int)  # member id, 民心墙 order id
written = Action(P, "o", int)  # member id: evidence written with the deed
service = Action(P, "h", int, int)  # member id, confirmed community service id (在职党员到社区报到)
