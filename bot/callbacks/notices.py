"""/notice: the preview's options, send, rewrite, discard; 已读; the status card's refresh and 催读."""

from bot.callbacks import Action

P = "nt"
audience = Action(P, "a", int, str)  # notice id, audience key
to_group = Action(P, "g", int)  # notice id
send = Action(P, "s", int)  # notice id
rewrite = Action(P, "e", int)  # notice id
discard = Action(P, "d", int)  # notice id
read = Action(P, "r", int)  # notice id
status = Action(P, "v", int)  # notice id
nudge = Action(P, "n", int)  # notice id
