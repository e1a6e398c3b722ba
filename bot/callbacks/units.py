"""/units: browsing the organisation tree and adding officers; the roster import's confirmation."""

from bot.callbacks import Action

P = "un"
view = Action(P, "v", int)  # unit id
branch = Action(P, "b", int)  # branch id
add_officer = Action(P, "a", int)  # unit id: asks for a Telegram id
officer_link = Action(P, "l", int)  # unit id: a one-use officer link
import_confirm = Action(P, "ok")  # apply the roster previewed last
import_discard = Action(P, "x")
join_as_roster = Action(P, "jr", int)  # pending member id: approve as the unlinked roster row of that name
officers = Action(P, "o", int, int)  # unit id, page: the officers one may remove
remove_officer = Action(P, "r", int, int)  # unit id, officer's Telegram id: asks to confirm
remove_confirmed = Action(P, "R", int, int)  # unit id, officer's Telegram id
