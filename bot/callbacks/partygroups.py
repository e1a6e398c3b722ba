"""/members: a member's 党小组, and their personal link while they have no Telegram account linked."""

from bot.callbacks import Action

P = "pg"
choose = Action(P, "c", int)  # member id: the group picker
put = Action(P, "s", int, int)  # member id, index into the branch's groups
new = Action(P, "n", int)  # member id: type a new group's name
none = Action(P, "0", int)  # member id: in no group
personal_link = Action(P, "pl", int)  # member id
