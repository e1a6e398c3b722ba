"""/meeting: scheduling a meeting step by step, and calling one off."""

from bot.callbacks import Action
from bot.domain.meetings import MeetingKind

P = "mg"
kind = Action(P, "k", MeetingKind)
upcoming = Action(P, "l")
group = Action(P, "g", int)  # index into the branch's party groups
host = Action(P, "h", int)  # member id
recorder = Action(P, "r", int)  # member id
when = Action(P, "w", int)  # index into the readings of an ambiguous time
edit_field = Action(P, "e", str)  # field name
publish = Action(P, "ok")
discard = Action(P, "x")
cancel = Action(P, "c", int)  # meeting id: asks to confirm
cancel_confirmed = Action(P, "cc", int)  # meeting id
schedule = Action(P, "n", MeetingKind)  # 安排会议 under a compliance warning: /meeting with the kind chosen
lecturer = Action(P, "lc", int)  # member id: a 党课's 主讲人
leader = Action(P, "ld")
within = Action(P, "in", int)  # theme day id: 同时召开 on /themeday, /meeting for a meeting held within it
combine = Action(P, "cb", int)  # meeting id: hold the meeting being scheduled within that theme day (主题党日+)  # on a 党课's preview: the 主讲人 is (not) a 领导干部
