"""Joining: the approvers' 通过 / 拒绝 (on the card and in /pending), and the applicant's own buttons."""

from bot.callbacks import Action

P = "join"
approve = Action(P, "ok", int)  # member id
reject = Action(P, "no", int)  # member id
# From /pending's list (the list is shown again in place after the decision).
approve_listed = Action(P, "lok", int)  # member id
reject_listed = Action(P, "lno", int)  # member id
# The applicant's own buttons, before anyone decides.
confirm_name = Action(P, "cn")  # use the questioned name as typed ("asdf" really is my name)
rename = Action(P, "rn")  # correct the name
withdraw = Action(P, "wd")  # withdraw the request
