"""Keys of a meeting's messages and marks (theme day and 三会一课): reminders, the tally, make-ups, notices."""

from bot.keys import DAY, FREE, HOUR, Key, starting

every = Key("meeting:{meeting}:{rest}", meeting=int, rest=FREE)  # any of a meeting's messages: `every.scope(id)`
reminder = Key("meeting:{meeting}:{moment}:member:{member}", meeting=int, moment=starting("remind"), member=int)
replanned = Key("meeting:{meeting}:plan:{day}", meeting=int, day=DAY)  # mark: re-planned that day
notice = Key("meeting:{meeting}:notice:member:{member}", meeting=int, member=int)  # the new meeting announced
held = Key("meeting:{meeting}:holds:{kind}:member:{member}", meeting=int, kind=str, member=int)  # 主题党日+
cancelled = Key("meeting-cancelled:{meeting}:member:{member}", meeting=int, member=int)
tally = Key("meeting:{meeting}:tally:to:{member}", meeting=int, member=int)
corrected = Key("meeting:{meeting}:corrected:{member}", meeting=int, member=int)
# Any message of a member's make-up (the task, its reminders): withdrawn when the absence is corrected.
makeup = Key("meeting:{meeting}:makeup:{member}:{rest}", meeting=int, member=int, rest=FREE)
makeup_task = Key("meeting:{meeting}:makeup:{member}:task", meeting=int, member=int)
makeup_reminder = Key("meeting:{meeting}:makeup:{member}:remind-{when}", meeting=int, member=int, when=str)
wrong_code = Key("meeting:{meeting}:wrong-code:{member}:{n}", meeting=int, member=int, n=int)  # mark: a wrong code
study_note = Key("meeting:{meeting}:study-note:{member}", meeting=int, member=int)  # 学习心得 asked after a 专题学习
makeup_recorded = Key("meeting:{meeting}:makeup-recorded:{member}", meeting=int, member=int)
ask_theme = Key("meeting:{meeting}:ask-theme:to:{member}", meeting=int, member=int)
theme_due = Key("meeting:{meeting}:theme-due:{day}:to:{member}", meeting=int, day=DAY, member=int)
theme_due_checked = Key("theme-due:{branch}:{day}", branch=int, day=DAY)  # mark: the branch looked at that day
holiday_move = Key("meeting:{meeting}:holiday-move:to:{member}", meeting=int, member=int)
holiday_confirmed = Key("meeting:{meeting}:holiday-confirmed", meeting=int)  # mark
# Mark: the county's theme days made this hour, for this many branches up to this id (a new branch: look again).
theme_days_made = Key("themeday:create:{hour}:{branches}:{last}", hour=HOUR, branches=int, last=int)
