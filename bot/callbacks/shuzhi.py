"""/shuzhi: the yearly 述职评议 — opening a round, its branches, the officer's evaluation of one, the secretary's
述职, and each problem's 整改方案 and 整改材料."""

from bot.callbacks import Action
from bot.domain.shuzhi import Grade

P = "sz"
start = Action(P, "o", int)  # unit id: open this year's round (asks whether it grades)
graded = Action(P, "g", int, int)  # unit id, 1 = grades / 0 = no grades: asks for the deadline
go = Action(P, "n", int, int, int)  # unit id, graded, days until the reports are due: the round opens
cycle = Action(P, "c", int, int)  # round id, page: its branches
report = Action(P, "r", int)  # a branch's part in a round: the officer's card
grade = Action(P, "gr", int, Grade)  # report id, the grade
comment = Action(P, "cm", int)  # report id: the next message is the 点评
problems = Action(P, "p", int)  # report id: the next message holds problems, one a line
send = Action(P, "s", int)  # report id: the 问题清单 goes to the secretary
write = Action(P, "w", int)  # report id: the secretary writes (or resumes) the 述职
plan = Action(P, "pl", int)  # item id: the secretary drafts the problem's 整改方案
evidence = Action(P, "ev", int)  # item id: the secretary hands in what was done (销号 asked)
open_list = Action(P, "l", int, int)  # unit id, page: the problems still open under the unit (the quarterly check)
