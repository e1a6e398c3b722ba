"""Keys of review cards (审核): each reviewer's copy of a version, its later edits, and the author's outcome."""

from bot.keys import Key

# `reviewer` tells the copies apart: a member's id, or t + the Telegram id of an officer who is no member.
card = Key("review:{submission}:v{version}:to:{reviewer}", submission=int, version=int, reviewer=str)
outcome = Key("review:{submission}:v{version}:outcome", submission=int, version=int)
# One edit per copy and state: `copy` tells the copies apart (an outbox row id, or shownN for one opened from
# /pending); `superseded` is the newer version's number, 0 for none.
edit = Key("review:{submission}:v{version}:edit:{copy}:{status}:{superseded}", submission=int, version=int,
           copy=str, status=str, superseded=int)
