"""Keys of the periodic digests: a branch secretary's daily one and an officer's weekly one."""

from bot.keys import DAY, Key

branch_day = Key("digest:{branch}:{day}", branch=int, day=DAY)  # mark: the branch's digest of its local day
branch = Key("digest:{branch}:{day}:to:{member}", branch=int, day=DAY, member=int)
officer = Key("officer-digest:{officer}:{week}", officer=int, week=str)  # the mark and the message: 2026-W48
# The mark digests had when each of an officer's units had its own (read to skip the week of the upgrade).
officer_unit = Key("officer-digest:{unit}:{officer}:{week}", unit=int, officer=int, week=str)
