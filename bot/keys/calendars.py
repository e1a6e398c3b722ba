"""Keys of the holiday calendar's messages: a year not entered yet, and the dates an entry moved."""

from bot.keys import DAY, SECOND, Key

# Mark: the root's officers told, the week starting `week`, that `year` is not entered yet; and their message.
unknown_week = Key("calendar:unknown:{year}:{week}", year=int, week=DAY)
unknown = Key("calendar:unknown:{year}:{week}:to:{officer}", year=int, week=DAY, officer=int)
# To a branch's approvers: the unit's entry for `year` (at `at`) moved or put on a holiday their theme days.
moved = Key("calendar:{unit}:{year}:{at}:branch:{branch}:to:{member}", unit=int, year=int, at=SECOND, branch=int,
            member=int)
