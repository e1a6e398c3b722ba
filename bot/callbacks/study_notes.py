"""学习心得 on a 专题学习."""

from bot.callbacks import Action

P = "sn"
write = Action(P, "w", int)  # meeting id: write (or rewrite) one's note
