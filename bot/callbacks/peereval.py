"""Peer grading: the sheet, one person, a grade, a comment."""

from bot.callbacks import Action
from bot.domain.evaluation import Grade

P = "pe"
open_sheet = Action(P, "o", int)  # campaign id: from a notice or reminder, which stays as it was
sheet = Action(P, "l", int)  # campaign id: back to the list, in place
next_person = Action(P, "n", int)  # campaign id
person = Action(P, "p", int, int)  # campaign id, member id
grade = Action(P, "g", int, int, Grade)  # campaign id, member id, grade
comment = Action(P, "c", int, int)  # campaign id, member id
confirm_unqualified = Action(P, "u", int, int)  # campaign id, member id: 不合格 asks to confirm first
sheet_page = Action(P, "lp", int, int)  # campaign id, page: the list of names, 40 a page
