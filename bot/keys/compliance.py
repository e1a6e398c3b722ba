"""Keys of the warnings about required meetings not scheduled (三会一课 cadences), and their marks."""

from bot.keys import DAY, FREE, HOUR, Key

# `warning` is the warning's own key (kind:window start:group), so a warning goes out once per window.
warn = Key("compliance:{branch}:{warning}:warn:to:{member}", branch=int, warning=FREE, member=int)
scanned = Key("compliance:scan:{hour}", hour=HOUR)  # mark: the county looked through this hour
checked = Key("compliance:{branch}:{day}", branch=int, day=DAY)  # mark: the branch's local day done
