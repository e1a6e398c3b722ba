"""Keys of a meeting record's (会议记录) deadline messages and of what the record sends on."""

from bot.keys import FREE, Key

every = Key("minutes:{meeting}:{rest}", meeting=int, rest=FREE)  # any of the record's deadline messages
after = Key("minutes:{meeting}:after", meeting=int)  # to the recorder when the meeting ends
due_remind = Key("minutes:{meeting}:due-remind", meeting=int)  # to the recorder the morning of the last day
overdue = Key("minutes:{meeting}:overdue:to:{member}", meeting=int, member=int)  # to each approver
criticism = Key("criticism:meeting:{meeting}:{member}", meeting=int, member=int)  # 批评意见 to an absentee
