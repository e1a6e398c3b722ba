"""Keys of the 民心墙: each round's dispatch reminder and overdue notice, the report's submission ref, the marks
of the daily erasure, and the public board's posts."""

from bot.keys import DAY, FREE, Key

every = Key("wall:{order}:{rest}", order=int, rest=FREE)  # an order's reminders: withdrawn once dispatched
remind = Key("wall:{order}:{round}:remind:{member}", order=int, round=int, member=int)  # to a dispatcher
overdue = Key("wall:{order}:{round}:overdue:{member}", order=int, round=int, member=int)  # to a secretary
posted = Key("wallboard:{order}:{round}:{status}", order=int, round=int, status=str)  # the group's line
report_ref = Key("wall:{order}:{round}", order=int, round=int)  # the member's report (submissions.ref)
erased = Key("wall:erase:{day}", day=DAY)  # mark: that day's erasure ran
order_ref = Key("wall:{order}", order=int)  # an order as evidence of a deed (member_stars.evidence)
