"""Each Telegram update is applied once: whether an update id was applied, the mark its writes carry, pruning.

The mark lives with the unit of work (storage.db): the first write transaction made while handling an update
records its id in the same commit, so a redelivery after the commit is recognised and one after a crash is not.

A handling that met a write conflict (PostgreSQL, another process changing the same rows) is run again from its
start while nothing of it was saved or sent (`again_on_conflict`, the mark's `repeatable`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from storage import updates as applied_updates
from storage.db import Database, UpdateMark, WriteConflict, applying_update, current_update
from storage.updates import AlreadyApplied
from storage.work import CONFLICT_TRIES, again_on_conflict, reaching_telegram

__all__ = ["CONFLICT_TRIES", "KEEP_APPLIED", "AlreadyApplied", "UpdateMark", "WriteConflict", "again_on_conflict",
           "already_applied", "applying_update", "current_update", "forget_old", "reaching_telegram"]

# Telegram keeps an unconfirmed update for 24 hours; applied ids are kept twice that long.
KEEP_APPLIED = timedelta(days=2)


async def already_applied(db: Database, update_id: int) -> bool:
    return await applied_updates.applied(db, update_id)


async def forget_old(db: Database, now: datetime) -> int:
    """Drop applied update ids older than Telegram could deliver again (a scheduled job runs this)."""
    async with db.write() as tx:
        return await applied_updates.prune(tx, now - KEEP_APPLIED)
