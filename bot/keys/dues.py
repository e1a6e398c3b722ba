"""Keys of the dues (党费) messages: a report to the collectors and the confirmation to the member."""

from bot.keys import FREE, SECOND, Key

# `period` is the month (2026-12). A report at the member's standard, and one with an amount they typed (in fen).
# `collector` is who gets the card: a member's id, or t<Telegram id> for an officer above the branch (the member's
# own report goes to the other collectors, or up when there is none: bot/services/reviewers.py).
reported = Key("dues:{member}:{period}:reported:to:{collector}", member=int, period=str, collector=str)
amount = Key("dues:{member}:{period}:amount:{fen}:to:{collector}", member=int, period=str, fen=int, collector=str)
confirmed = Key("dues:{member}:{period}:confirmed", member=int, period=str)
# Any message of the member's month (the collectors' cards among them): the scope that keeps the cards in step.
every = Key("dues:{member}:{period}:{rest}", member=int, period=str, rest=FREE)  # `every.scope(member, period)`
# A card brought up to date (confirmed, or waiting again after an undo): per card copy and change (a random token:
# a confirmation, its undo and a new confirmation may fall in the same second).
card_edit = Key("dues:{member}:{period}:card-edit:{copy}:{change}", member=int, period=str, copy=int, change=str)
undone = Key("dues:{member}:{period}:undone:{at}", member=int, period=str, at=SECOND)  # to the member
