"""Keys of thought reports (思想汇报): a 预备党员's reminder each period, and the daily planning mark."""

from bot.keys import DAY, FREE, Key

every = Key("report:{member}:{rest}", member=int, rest=FREE)  # a member's reminders: withdrawn when one is handed in
reminder = Key("report:{member}:{period}:remind", member=int, period=str)
planned = Key("reports:plan:{branch}:{day}", branch=int, day=DAY)  # mark
