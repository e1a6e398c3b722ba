"""Keys of notices (通知): each recipient's copy, the nudges of those who have not read it, and a branch
notice's post in the group. `family` tells a branch's notices (notice) from an officer's (onotice)."""

from bot.keys import FREE, MINUTE, Key, choice

FAMILY = choice("notice", "onotice")

every = Key("{family}:{notice}:{rest}", family=FAMILY, notice=int, rest=FREE)  # any message of one notice
copy = Key("{family}:{notice}:member:{member}", family=FAMILY, notice=int, member=int)
# The automatic nudges (what `auto_nudges.scope(family, id)` covers, converged as a whole), and 催读 pressed at `at`.
auto_nudges = Key("{family}:{notice}:nudge-auto:{rest}", family=FAMILY, notice=int, rest=FREE)
auto_nudge = Key("{family}:{notice}:nudge-auto:member:{member}", family=FAMILY, notice=int, member=int)
nudge = Key("{family}:{notice}:nudge@{at}:member:{member}", family=FAMILY, notice=int, at=MINUTE, member=int)
group = Key("notice:{notice}:group", notice=int)
