"""Keys of a unit's policy change told to the approvers of each branch it changed (once per quiet change)."""

from bot.keys import SECOND, Key

# `at`: when the unit last changed its policy (UTC), so each settled change is told once.
told = Key("policy:{unit}:{branch}:{at}:to:{member}", unit=int, branch=int, at=SECOND, member=int)
