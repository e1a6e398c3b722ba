"""/overview for officers: pages of branches, a branch card, charts, and officers' notices with their 已读."""

from enum import StrEnum

from bot.callbacks import Action


class Filter(StrEnum):
    ALL = "all"
    ALERT = "alert"  # silent or about to miss a cadence: what the weekly digest names


P = "ov"
page = Action(P, "p", Filter, int)  # filter (all | alert), page
branch = Action(P, "b", int, Filter, int)  # branch id, and the page to go back to (filter, page)
chart = Action(P, "c", int)  # branch id: its attendance over 12 months
heatmap = Action(P, "h", int)  # page of the branches × months grid
notice_new = Action(P, "n")  # write a notice to the subtree
notice_audience = Action(P, "na", int, str)  # notice id, secretaries | members
notice_send = Action(P, "ns", int)
notice_discard = Action(P, "nx", int)
notice_read = Action(P, "r", int)  # a recipient's 已读
notice_reads = Action(P, "nr", int, int)  # notice id, page: read counts per branch, worst first
notice_nudge = Action(P, "nn", int, int)  # notice id, page: 催读 those who have not read it, then that page again
