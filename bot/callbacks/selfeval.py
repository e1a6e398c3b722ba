"""The self-evaluation form: open it, self-grade, edit a section, submit."""

from bot.callbacks import Action
from bot.domain.evaluation import Grade

P = "se"
start = Action(P, "go", int)  # campaign id
grade = Action(P, "g", int, Grade)  # submission id, grade
regrade = Action(P, "k", int)  # submission id
edit_section = Action(P, "e", int, str)  # submission id, section key
submit = Action(P, "s", int)  # submission id
next_section = Action(P, "n", int, str)  # submission id, section key: 下一部分 / 完成
