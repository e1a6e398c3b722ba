"""Keys of filing (报备): the unit's daily digest, and the follow-ups of members found 不合格."""

from bot.keys import DAY, FREE, SECOND, Key, stamp

digest = Key("filing-digest:{unit}:{day}:to:{officer}", unit=int, day=DAY, officer=int)
# The one reminder that filed records are past their review day unreviewed; a return's notice to the branch.
review_overdue = Key("filing-review:{unit}:{day}:to:{officer}", unit=int, day=DAY, officer=int)
returned = Key("filing:{filing}:returned:{at}:to:{member}", filing=int, at=SECOND, member=int)
followup = Key("followup:{followup}:{rest}", followup=int, rest=FREE)  # any message of a follow-up
opened = Key("followup:{followup}:opened:to:{member}", followup=int, member=int)
# 14 and 3 days before the deadline; `reminder.scope(id)` is every one of them.
reminder = Key("followup:{followup}:remind-{days}d:{deadline}:to:{member}", followup=int, days=int,
               deadline=stamp("%Y%m%d"), member=int)
confirm = Key("followup:{followup}:confirm:{at}:to:{officer}", followup=int, at=SECOND, officer=int)
decided = Key("followup:{followup}:decided:{at}:to:{member}", followup=int, at=SECOND, member=int)
