"""亮承诺: the secretary's 确认 of a member's post and pledge, and the yearly 践诺 review (member → kept / partly /
not, then a line). Every press is re-checked: an approver of the pledge's branch, never its author."""

from bot.callbacks import Action
from bot.domain.pledges import Kept

P = "pl"
confirm = Action(P, "c", int)  # pledge id
review = Action(P, "r", int)  # pledge id: how was it kept?
kept = Action(P, "k", int, Kept)  # pledge id, kept
