"""/shenghuohui: a unit's leadership team (领导班子) and its 民主生活会 — scheduling, check-in, leave, the written
statement of an absentee, and the record."""

from bot.callbacks import Action

P = "lm"
unit = Action(P, "u", int)  # unit id: the unit's team and meetings
add = Action(P, "a", int, int)  # unit id, 1 with a vote / 0 列席: the next message names the person
officers = Action(P, "o", int)  # unit id: the unit's officers join the team (with a vote)
remove = Action(P, "rm", int)  # team person id
new = Action(P, "n", int)  # unit id: the next message is time, place and topic
publish = Action(P, "ok")  # the previewed meeting is published
discard = Action(P, "x")  # the draft is dropped
show = Action(P, "s", int)  # meeting id: the officer's card
checkin = Action(P, "ci", int)  # meeting id
proxy = Action(P, "px", int, int)  # meeting id, team person id: an officer checks in someone without Telegram
leave = Action(P, "lv", int)  # meeting id: the next message is the reason
approve = Action(P, "ya", int, int)  # meeting id, team person id
refuse = Action(P, "yn", int, int)  # meeting id, team person id
statement = Action(P, "st", int)  # meeting id: the next message is the written statement (书面发言)
statements = Action(P, "ss", int)  # meeting id: the statements handed in, shown to the meeting
record = Action(P, "rc", int)  # meeting id: the next messages are the record and the criticism
cancel = Action(P, "c", int)  # meeting id: asks to confirm calling it off
cancel_confirmed = Action(P, "cc", int)  # meeting id: called off, the people asked told
