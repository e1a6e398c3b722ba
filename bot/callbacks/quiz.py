"""学习测试: upload a question bank (then 确认 / 放弃), start the quarter's test, a member's own results, a branch's
completion. Every press is re-checked: a secretary of the branch or an officer above it; one's own results only."""

from bot.callbacks import Action

P = "qz"
upload = Action(P, "u")
confirm = Action(P, "c")
discard = Action(P, "d")
start = Action(P, "s")
mine = Action(P, "m", int)  # quiz id: the member's own answers and explanations
progress = Action(P, "p", int)  # quiz id: completion and the average
