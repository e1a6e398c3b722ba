"""The outbox: reminders and notifications waiting to be sent, and what became of them."""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from bot.domain.outbox import OutboxRow, OutboxStatus, Planned
from bot.outgoing import Outgoing
from storage.connection import Conn, Row, one_row
from storage.dialect import locked_rows, prefix_bounds, starts_with
from storage.times import to_db

_COLUMNS = """id, key, branch_id, member_id, chat_id, kind, payload, urgent, due_at, expires_at, status,
              attempts, last_error, message_id, sent_at"""


def _row(row: Row) -> OutboxRow:
    data = dict(row)
    data["payload"] = Outgoing.model_validate_json(data["payload"])
    data["urgent"] = bool(data["urgent"])
    return OutboxRow.model_validate(data)


async def upsert(db: Conn, item: Planned, now: datetime) -> None:
    """Plan a reminder. Same key again: a pending row takes the new time and text; a finished row is left alone."""
    await db.execute(
        """INSERT INTO outbox (key, branch_id, member_id, chat_id, kind, payload, urgent, due_at, expires_at,
                               created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET
               chat_id = excluded.chat_id, payload = excluded.payload, urgent = excluded.urgent,
               due_at = excluded.due_at, expires_at = excluded.expires_at, updated_at = excluded.updated_at
           WHERE outbox.status = 'pending'""",
        (
            item.key,
            item.branch_id,
            item.member_id,
            item.chat_id,
            item.kind,
            item.payload.model_dump_json(),
            int(item.urgent),
            to_db(item.due_at),
            to_db(item.expires_at) if item.expires_at else None,
            to_db(now),
            to_db(now),
        ),
    )


# A row cancelled because its member blocked the bot (or left): only `restore_for_member` brings it back.
UNREACHABLE = "member unreachable"
# A row planning cancelled because the state no longer needed it: it comes back if the state needs it again.
NO_LONGER_PLANNED = "no longer planned"


@dataclass
class Convergence:
    """What one `converge` changed: rows inserted, pending or cancelled rows brought up to date, rows cancelled."""

    inserted: int = 0
    updated: int = 0
    cancelled: int = 0


async def converge(db: Conn, scope: str, wanted: list[Planned], now: datetime) -> Convergence:
    """Make an event's reminders (every key starting with `scope`) exactly `wanted`, whatever happened before.

    - a wanted key with no row is inserted;
    - a wanted row still pending, or cancelled by planning or by an event's end, takes the planned time and text and
      is pending (again);
    - a pending row in the scope that is not wanted is cancelled (it may come back by the rule above);
    - rows that went out or were handled (sending, sent, skipped, expired, failed) are never touched, so nothing is
      sent twice; nor are rows cancelled because the member is unreachable: `restore_for_member` owns those.

    Planning is then idempotent and convergent: the result depends on the current state only, not on the order
    of plans, cancellations, joins and reschedules before it (e.g. a catch-up for one member re-plans the whole
    scope without wiping anyone else's reminders).
    """
    return await converge_many(db, [(scope, wanted)], now)


# Scopes read by one SELECT (two parameters each; SQLite allows 32,766 parameters, older builds 999).
_SCOPES_PER_SELECT = 200

_INSERT = """INSERT INTO outbox (chat_id, kind, payload, urgent, due_at, expires_at, branch_id, member_id,
                                 key, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_REVIVE = """UPDATE outbox SET chat_id = ?, kind = ?, payload = ?, urgent = ?, due_at = ?, expires_at = ?,
                 branch_id = ?, member_id = ?, status = 'pending',
                 last_error = CASE WHEN status = 'cancelled' THEN NULL ELSE last_error END, updated_at = ?
             WHERE key = ? AND (status = 'pending' OR (status = 'cancelled' AND last_error IS DISTINCT FROM ?))"""
_WITHDRAW = """UPDATE outbox SET status = 'cancelled', last_error = ?, updated_at = ?
               WHERE key = ? AND status = 'pending'"""


async def converge_many(db: Conn, plans: Sequence[tuple[str, list[Planned]]],
                        now: datetime) -> Convergence:
    """`converge` for many scopes at once (a county's theme days, say), with exactly the result of converging each
    scope alone, in order: every scope's rows are read by one SELECT (per 200 scopes), then written by one batch of
    inserts, one of updates and one of cancellations. Returns the totals.

    Scopes must not overlap (one a prefix of another, or twice the same): converging those one by one would
    depend on their order, so it is refused like a key outside its scope."""
    bounds = sorted(prefix_bounds(scope) for scope, _ in plans)
    for (low, high), (next_low, _) in pairwise(bounds):
        if next_low < high:
            raise ValueError(f"overlapping scopes {low!r} and {next_low!r}")
    for scope, wanted in plans:
        low, high = prefix_bounds(scope)
        outside = [item.key for item in wanted if not (low <= item.key < high)]
        if outside:
            raise ValueError(f"keys outside the scope {scope!r}: {outside[:3]}")
    existing = await _in_scopes(db, bounds)
    stamp = to_db(now)
    inserts, revivals = [], []
    # Members' reminders of one moment share their payload and times: each is written out once, not once a row.
    texts: dict[int, tuple[Outgoing, str]] = {}  # id(payload) → (payload, JSON); the payload kept so ids stay unique
    stamps: dict[datetime | None, str | None] = {None: None}
    for _, wanted in plans:
        for item in wanted:
            if id(item.payload) not in texts:
                texts[id(item.payload)] = item.payload, item.payload.model_dump_json()
            for moment in (item.due_at, item.expires_at):
                if moment is not None and moment not in stamps:
                    stamps[moment] = to_db(moment)
            values = (item.chat_id, item.kind, texts[id(item.payload)][1], int(item.urgent), stamps[item.due_at],
                      stamps[item.expires_at], item.branch_id, item.member_id)
            found = existing.get(item.key)
            if found is None:
                inserts.append((*values, item.key, stamp, stamp))
            elif found[0] == OutboxStatus.PENDING or (found[0] == OutboxStatus.CANCELLED and found[1] != UNREACHABLE):
                revivals.append((*values, stamp, item.key, UNREACHABLE))
    keep = {item.key for _, wanted in plans for item in wanted}
    withdrawals = [(NO_LONGER_PLANNED, stamp, key) for key, (status, _) in existing.items()
                   if status == OutboxStatus.PENDING and key not in keep]
    for sql, rows in ((_INSERT, inserts), (_REVIVE, revivals), (_WITHDRAW, withdrawals)):
        if rows:
            await db.executemany(sql, rows)
    return Convergence(inserted=len(inserts), updated=len(revivals), cancelled=len(withdrawals))


async def _in_scopes(db: Conn, bounds: list[tuple[str, str]]) -> dict[str, tuple[str, str | None]]:
    """key → (status, last_error) of every row whose key lies in one of the (low, high) ranges."""
    found: dict[str, tuple[str, str | None]] = {}
    for start in range(0, len(bounds), _SCOPES_PER_SELECT):
        chunk = bounds[start:start + _SCOPES_PER_SELECT]
        where = " OR ".join([f"({starts_with('key')})"] * len(chunk))
        async with db.execute(f"SELECT key, status, last_error FROM outbox WHERE {where}",
                              [bound for pair in chunk for bound in pair]) as cur:
            found.update((r[0], (r[1], r[2])) for r in await cur.fetchall())
    return found


async def cancel_prefix(db: Conn, prefix: str, now: datetime, keep: Set[str] = frozenset()) -> int:
    """Cancel pending rows whose key starts with `prefix` (an event's reminders), except those in `keep`."""
    async with db.execute(
        f"SELECT key FROM outbox WHERE status = 'pending' AND {starts_with('key')}", prefix_bounds(prefix)
    ) as cur:
        keys = [r[0] for r in await cur.fetchall() if r[0] not in keep]
    for key in keys:
        await db.execute(
            "UPDATE outbox SET status = 'cancelled', updated_at = ? WHERE key = ? AND status = 'pending'",
            (to_db(now), key),
        )
    return len(keys)



async def cancel_for_member(db: Conn, member_id: int, now: datetime) -> int:
    """A member blocked the bot: their pending messages are cancelled, marked so they can come back."""
    async with db.execute(
        "UPDATE outbox SET status = 'cancelled', last_error = ?, updated_at = ? WHERE member_id = ? AND status = 'pending'",
        (UNREACHABLE, to_db(now), member_id),
    ) as cur:
        return cur.rowcount


async def restore_for_member(db: Conn, member_id: int, now: datetime) -> int:
    """The member is back: what was cancelled because they were unreachable, and is still of use, is pending again."""
    async with db.execute(
        """UPDATE outbox SET status = 'pending', last_error = NULL, updated_at = ?
           WHERE member_id = ? AND status = 'cancelled' AND last_error = ?
             AND (expires_at IS NULL OR expires_at > ?)""",
        (to_db(now), member_id, UNREACHABLE, to_db(now)),
    ) as cur:
        return cur.rowcount


# Claimed rows carry their holder and a lease: several processes may drain one outbox (on PostgreSQL the
# claim's SELECT locks the rows it picks and passes over those another claim holds), and only the holder of a
# row's lease finishes it; a holder that died leaves rows whose lease runs out, and `reap_expired` returns them.
# The rows are picked once, in a MATERIALIZED common table expression: written as `WHERE id IN (SELECT … LIMIT ?)`,
# PostgreSQL may run the sub-select again for each row it looks at (a plan that comes with the table's statistics),
# and the claim then took more rows than its limit (6 of a limit of 4, seen in a test). SQLite reads it the same.
_CLAIM = f"""WITH picked AS MATERIALIZED (
                 SELECT id FROM outbox WHERE status = 'pending' AND due_at <= ?
                 ORDER BY urgent DESC, due_at, id LIMIT ? {locked_rows()})
             UPDATE outbox SET status = 'sending', claimed_by = ?, lease_until = ?, updated_at = ?
              WHERE id IN (SELECT id FROM picked)
              RETURNING {_COLUMNS}"""


async def claim_plan(db: Conn, now: datetime) -> list[str]:
    """SQLite's plan for the claim query (EXPLAIN QUERY PLAN), for `zhibu bench drain` to show the index used."""
    async with db.execute("EXPLAIN QUERY PLAN " + _CLAIM, (to_db(now), 100, "plan", to_db(now), to_db(now))) as cur:
        return [r[3] for r in await cur.fetchall()]


async def claim_due(db: Conn, now: datetime, limit: int, *, holder: str, lease: timedelta) -> list[OutboxRow]:
    """Mark up to `limit` due rows as sending, held by `holder` until `now + lease`, and return them: from here
    only `holder` finishes them (or, once the lease ran out, nobody: `reap_expired` gives them back)."""
    async with db.execute(_CLAIM, (to_db(now), limit, holder, to_db(now + lease), to_db(now))) as cur:
        rows = [_row(r) for r in await cur.fetchall()]
    return sorted(rows, key=lambda r: (not r.urgent, r.due_at, r.id))


async def renew(db: Conn, holder: str, until: datetime) -> set[int]:
    """The rows `holder` still holds are held until `until` (a long batch keeps its lease); returns their ids."""
    async with db.execute("""UPDATE outbox SET lease_until = ? WHERE status = 'sending' AND claimed_by = ?
                             RETURNING id""", (to_db(until), holder)) as cur:
        return {r[0] for r in await cur.fetchall()}


LEASE_EXPIRED = "lease ran out mid-send"


async def reap_expired(db: Conn, now: datetime) -> int:
    """Rows whose holder's lease ran out (it died or hung mid-send, or it is a row left 'sending' before leases)
    go back to pending. Whether Telegram got such a message is unknowable, so it may be sent once more: the only
    way a stopped process can repeat a message, and at most once per claim it held."""
    async with db.execute(
        """UPDATE outbox SET status = 'pending', lease_until = NULL, last_error = ?, updated_at = ?
           WHERE status = 'sending' AND (lease_until IS NULL OR lease_until <= ?)""",
        (LEASE_EXPIRED, to_db(now), to_db(now)),
    ) as cur:
        return cur.rowcount


async def release_all_leases(db: Conn, now: datetime) -> int:
    """Every row left 'sending' goes back to pending at once, whatever its lease says — only for a process proven
    to be the only one on the database (SQLite's lock file, storage/leadership.py): at its start every holder of
    a lease is a process that ended. (As with the reaper, such a message may be sent once more.)"""
    async with db.execute(
        "UPDATE outbox SET status = 'pending', lease_until = NULL, last_error = ?, updated_at = ? WHERE status = 'sending'",
        (LEASE_EXPIRED, to_db(now)),
    ) as cur:
        return cur.rowcount


# Every change to a claimed row is fenced: it applies only while `holder` still holds the row's lease, and says
# whether it did (False: the lease ran out and the row went back, or another holder has it now).
_HELD = "id = ? AND status = 'sending' AND claimed_by = ?"


async def finish(
    db: Conn,
    row_id: int,
    status: OutboxStatus,
    now: datetime,
    *,
    holder: str,
    message_id: int | None = None,
    error: str | None = None,
) -> bool:
    attempted = 1 if status in (OutboxStatus.SENT, OutboxStatus.FAILED) else 0
    async with db.execute(
        f"""UPDATE outbox SET status = ?, message_id = COALESCE(?, message_id), last_error = COALESCE(?, last_error),
               attempts = attempts + ?, sent_at = COALESCE(?, sent_at), lease_until = NULL, updated_at = ?
           WHERE {_HELD}""",
        (status.value, message_id, error, attempted, to_db(now) if status == OutboxStatus.SENT else None, to_db(now),
         row_id, holder),
    ) as cur:
        return cur.rowcount == 1


async def retry_at(
    db: Conn, row_id: int, due_at: datetime, now: datetime, error: str | None = None, *, holder: str
) -> bool:
    """Back to pending at `due_at`; with an error it counts as a failed attempt, without (quiet hours) it does not."""
    async with db.execute(
        f"""UPDATE outbox SET status = 'pending', due_at = ?, last_error = COALESCE(?, last_error),
               attempts = attempts + ?, lease_until = NULL, updated_at = ?
           WHERE {_HELD}""",
        (to_db(due_at), error, 0 if error is None else 1, to_db(now), row_id, holder),
    ) as cur:
        return cur.rowcount == 1


async def retry_uncertain(db: Conn, row_id: int, due_at: datetime, now: datetime, error: str, *,
                          holder: str) -> bool:
    """A send that may have arrived: pending again at `due_at`, counted as an attempt and as uncertain."""
    async with db.execute(
        f"""UPDATE outbox SET status = 'pending', due_at = ?, last_error = ?, attempts = attempts + 1,
               uncertain = uncertain + 1, lease_until = NULL, updated_at = ?
           WHERE {_HELD}""",
        (to_db(due_at), error, to_db(now), row_id, holder),
    ) as cur:
        return cur.rowcount == 1


async def uncertain_sends(db: Conn, row_id: int) -> int:
    """How many sends of this row ended without an answer (each may have delivered it)."""
    async with db.execute("SELECT uncertain FROM outbox WHERE id = ?", (row_id,)) as cur:
        row = await cur.fetchone()
    return row[0] if row else 0


async def get(db: Conn, key: str) -> OutboxRow | None:
    async with db.execute(f"SELECT {_COLUMNS} FROM outbox WHERE key = ?", (key,)) as cur:
        row = await cur.fetchone()
    return _row(row) if row else None


async def by_prefix(db: Conn, prefix: str) -> list[OutboxRow]:
    async with db.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE {starts_with('key')} ORDER BY id", prefix_bounds(prefix)
    ) as cur:
        return [_row(r) for r in await cur.fetchall()]


async def due_count(db: Conn, now: datetime) -> int:
    """Messages due and not yet handled (including those being sent right now)."""
    async with db.execute(
        "SELECT COUNT(*) FROM outbox WHERE status = 'sending' OR (status = 'pending' AND due_at <= ?)", (to_db(now),)
    ) as cur:
        return int((await one_row(cur))[0])


async def prune(db: Conn, before: datetime, limit: int) -> int:
    """Delete up to `limit` rows finished (sent, skipped, expired, cancelled) before `before`; returns how many.

    Failed rows stay for the digest. Rows cancelled because the member was unreachable stay while they could
    still come back (restore_for_member), i.e. until they expire."""
    async with db.execute(
        """DELETE FROM outbox WHERE id IN (
               SELECT id FROM outbox
               WHERE status IN ('sent', 'skipped', 'expired', 'cancelled') AND updated_at < ?
                 AND NOT (status = 'cancelled' AND last_error IS NOT DISTINCT FROM ? AND (expires_at IS NULL OR expires_at > ?))
               LIMIT ?)""",
        (to_db(before), UNREACHABLE, to_db(before), limit),
    ) as cur:
        return cur.rowcount


async def counts(db: Conn) -> dict[str, int]:
    async with db.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status") as cur:
        return {r[0]: r[1] for r in await cur.fetchall()}


_UNDELIVERED = """SELECT o.branch_id, m.name, COUNT(*) FROM outbox o LEFT JOIN members m ON m.id = o.member_id
                  WHERE o.branch_id IN ({branches}) AND o.status = 'failed' AND o.updated_at >= ?
                    AND (o.member_id IS NULL OR m.reachable = 1)
                  GROUP BY o.branch_id, o.member_id, m.name ORDER BY o.branch_id, m.name"""


async def undelivered_since(db: Conn, branch_ids: Sequence[int],
                            since: datetime) -> dict[int, list[tuple[str | None, int]]]:
    """branch id → (member name, or None for the branch's group, count) of messages given up on since `since`.

    Members who blocked the bot are left out: the secretary was told about them when it happened. Read on the
    index of failed rows (outbox_failed), so the digest never scans the outbox."""
    if not branch_ids:
        return {}
    found: dict[int, list[tuple[str | None, int]]] = {}
    sql = _UNDELIVERED.format(branches=",".join("?" * len(branch_ids)))
    async with db.execute(sql, (*branch_ids, to_db(since))) as cur:
        for branch_id, name, count in await cur.fetchall():
            found.setdefault(branch_id, []).append((name, count))
    return found


async def undelivered_plan(db: Conn) -> list[str]:
    """SQLite's plan for `undelivered_since` (EXPLAIN QUERY PLAN)."""
    async with db.execute("EXPLAIN QUERY PLAN " + _UNDELIVERED.format(branches="?, ?"), (1, 2, "")) as cur:
        return [r[3] for r in await cur.fetchall()]


async def held_by(db: Conn, status: OutboxStatus) -> dict[str, int]:
    """How many rows in `status` each holder has: 'sending' — in flight; 'sent' — who sent them."""
    async with db.execute("""SELECT claimed_by, COUNT(*) FROM outbox WHERE status = ? AND claimed_by IS NOT NULL
                             GROUP BY claimed_by""", (status.value,)) as cur:
        return {r[0]: r[1] for r in await cur.fetchall()}
