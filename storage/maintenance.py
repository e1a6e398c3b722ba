"""Keeping SQLite's query planner informed: statistics of the tables and indexes (ANALYZE / PRAGMA optimize)."""

from __future__ import annotations

from storage.connection import Conn

# Rows ANALYZE looks at per index: approximate statistics in milliseconds, even on a million-row outbox.
ANALYSIS_LIMIT = 1000


async def optimize(db: Conn) -> None:
    """Bring the planner's statistics up to date, within the caller's write transaction: a database never
    analysed (no sqlite_stat1 yet) is analysed whole; afterwards `PRAGMA optimize` re-analyses only the tables
    whose statistics SQLite finds stale. Bounded by ANALYSIS_LIMIT either way. PostgreSQL keeps its statistics
    itself (autovacuum analyses changed tables): nothing to do there."""
    if getattr(db, "engine", None) == "postgresql":
        return
    await db.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
    async with db.execute("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'") as cur:
        analysed = await cur.fetchone() is not None
    await db.execute("PRAGMA optimize" if analysed else "ANALYZE")
