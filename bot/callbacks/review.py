"""The review card (通过 / 退回修改 / 驳回) and /pending's 查看 buttons."""

from bot.callbacks import Action
from bot.domain.review import Decision

P = "rv"
show = Action(P, "show", int)  # submission id
# submission id, version: a decision on an older version of the submission is stale
decisions = {decision: Action(P, decision.value, int, int) for decision in Decision}
approve, send_back, reject = decisions[Decision.APPROVE], decisions[Decision.RETURN], decisions[Decision.REJECT]
full_text = Action(P, "full", int, int)  # submission id, version: a shortened card's whole text
