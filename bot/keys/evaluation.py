"""Keys of the democratic evaluation's (民主评议) messages."""

from bot.keys import MINUTE, Key

opened = Key("eval:{campaign}:opened:member:{member}", campaign=int, member=int)
extended = Key("eval:{campaign}:extended@{at}:member:{member}", campaign=int, at=MINUTE, member=int)
# The deadline is part of the key: after an extension the old reminders are no longer wanted.
reminder = Key("eval:{campaign}:remind:{deadline}:{days}d:{what}:member:{member}", campaign=int, deadline=MINUTE,
               days=int, what=str, member=int)
result = Key("eval:{campaign}:result:member:{member}", campaign=int, member=int)
# The card asking whoever grades an approver (the rest of the committee, or the unit above) to set their grade.
grade_card = Key("eval:{campaign}:grade-card:{member}:to:{to}", campaign=int, member=int, to=str)
