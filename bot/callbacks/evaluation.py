"""The democratic evaluation's secretary panel: open, extend, results, final grades, remarks, close."""

from bot.callbacks import Action
from bot.domain.evaluation import Grade

P = "ev"
open_campaign = Action(P, "o", int)  # days until the deadline
panel = Action(P, "p", int)  # campaign id
extend = Action(P, "x", int, int)  # campaign id, days
cycle_limit = Action(P, "s", int)  # campaign id
results = Action(P, "r", int)  # campaign id
member = Action(P, "m", int, int)  # campaign id, member id
final_grade = Action(P, "f", int, int, Grade)  # campaign id, member id, grade
remark = Action(P, "k", int, int)  # campaign id, member id
ask_others = Action(P, "a", int)  # campaign id: the grader's own grade is asked of those who grade them
close = Action(P, "c", int)  # campaign id: asks to confirm
close_confirmed = Action(P, "C", int)  # campaign id
results_page = Action(P, "rp", int, int)  # campaign id, page: the results, 40 members a page
rest_qualified = Action(P, "q", int)  # campaign id: 其余全部合格 — every member without a final grade yet
