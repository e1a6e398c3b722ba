"""Meetings (theme day and 三会一课): 签到, 请假, 代签到, make-ups, the tally and its corrections."""

from bot.callbacks import Action

P = "mt"
checkin = Action(P, "ci", int)  # meeting id
leave = Action(P, "lv", int)  # meeting id
proxy_list = Action(P, "pl", int)  # meeting id
proxy_checkin = Action(P, "px", int, int)  # meeting id, member id
makeup = Action(P, "mu", int)  # make-up submission id
makeup_submit = Action(P, "ms", int)  # make-up submission id: an earlier button, now drafting's 提交
correct = Action(P, "fx", int)  # meeting id
correct_member = Action(P, "fy", int, int)  # meeting id, member id
tally = Action(P, "at", int)  # meeting id
tally_show = Action(P, "as", int)  # meeting id: the tally as a new message (from the digest, which stays as it was)
record_list = Action(P, "rl", int)  # meeting id: whose make-up to record
record_member = Action(P, "rm", int, int)  # meeting id, member id
