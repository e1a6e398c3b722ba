"""Keys of the dues (党费) messages: a report to the collectors and the confirmation to the member."""

from bot.keys import Key

# `period` is the month (2026-12). A report at the member's standard, and one with an amount they typed (in fen).
reported = Key("dues:{member}:{period}:reported:to:{collector}", member=int, period=str, collector=int)
amount = Key("dues:{member}:{period}:amount:{fen}:to:{collector}", member=int, period=str, fen=int, collector=int)
confirmed = Key("dues:{member}:{period}:confirmed", member=int, period=str)
