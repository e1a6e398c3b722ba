"""/export by taps: pick the record book, then the period."""

from bot.callbacks import Action

P = "ex"
book = Action(P, "b", str)  # exporter name: attendance, minutes …
period = Action(P, "p", str, int)  # exporter name, period number: 2026 a year, 202604 its fourth quarter
back = Action(P, "k")  # « back to the list of books
