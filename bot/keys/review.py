"""Keys of review cards (审核): each approver's copy of a version, its later edits, and the author's outcome."""

from bot.keys import Key

card = Key("review:{submission}:v{version}:to:{member}", submission=int, version=int, member=int)
outcome = Key("review:{submission}:v{version}:outcome", submission=int, version=int)
# One edit per copy and state: `copy` tells the copies apart (an outbox row id, or shownN for one opened from
# /pending); `superseded` is the newer version's number, 0 for none.
edit = Key("review:{submission}:v{version}:edit:{copy}:{status}:{superseded}", submission=int, version=int,
           copy=str, status=str, superseded=int)
