"""/members: roster pages, a member's card, role toggles, removal, adding a member without a smartphone."""

from bot.callbacks import Action
from bot.domain.roles import Role

P = "mem"
page = Action(P, "p", int)  # roster page, from 0
card = Action(P, "v", int)  # member id
role = Action(P, "r", int, Role)  # member id, role to toggle
remove = Action(P, "x", int)  # member id: asks to confirm
remove_confirmed = Action(P, "xx", int)  # member id
add_offline = Action(P, "add")
