"""Bulk loading for benchmarks and the demo: many branches and members in a few statements."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from storage.connection import Conn
from storage.times import to_db


async def seed_county(
    db: Conn, *, branches: int, members: int, now: datetime, first_telegram_id: int = 10_000_000,
    settings_json: str = "{}",
) -> list[tuple[int, int, list[int]]]:
    """Create `branches` branches sharing `members` active members (one secretary each).

    Returns, per branch, (branch id, secretary Telegram id, member Telegram ids). Runs inside the caller's
    `Database.write()`: the county appears whole or not at all.
    """
    stamp = to_db(now)
    await db.executemany(
        "INSERT INTO branches (name, settings, created_at) VALUES (?, ?, ?)",
        [(f"第{i + 1}党支部", settings_json, stamp) for i in range(branches)],
    )
    async with db.execute("SELECT id FROM branches ORDER BY id DESC LIMIT ?", (branches,)) as cur:
        branch_ids = sorted(r[0] for r in await cur.fetchall())
    rows = []
    layout: dict[int, list[int]] = {b: [] for b in branch_ids}
    for index in range(members):
        branch_id = branch_ids[index % branches]
        telegram_id = first_telegram_id + index
        layout[branch_id].append(telegram_id)
        rows.append((branch_id, telegram_id, f"党员{index:05d}", stamp, stamp))
    await db.executemany(
        """INSERT INTO members (branch_id, telegram_id, name, status, created_at, updated_at)
           VALUES (?, ?, ?, 'active', ?, ?)""",
        rows,
    )
    secretaries = [(ids[0],) for ids in layout.values() if ids]
    await db.executemany(
        "INSERT INTO member_roles (member_id, role) SELECT id, 'secretary' FROM members WHERE telegram_id = ?",
        secretaries,
    )
    return [(b, ids[0], ids) for b, ids in layout.items() if ids]


async def fill_outbox(db: Conn, *, rows: int, chat_ids: list[int], now: datetime,
                      sent_at: datetime, due_later: datetime) -> None:
    """`rows` outbox rows as a county's history leaves them: nearly all sent (at `sent_at`), one in a hundred
    pending for `due_later`, nothing due now."""
    payload = '{"template": "common/hint.j2", "params": {}, "buttons": [], "attachments": []}'
    sent, later, stamp = to_db(sent_at), to_db(due_later), to_db(now)

    def values() -> Iterator[tuple[object, ...]]:
        for index in range(rows):
            pending = index % 100 == 0
            yield (f"bench:{index}", chat_ids[index % len(chat_ids)], "bench", payload,
                   later if pending else sent, "pending" if pending else "sent", None if pending else sent,
                   stamp, stamp if pending else sent)

    await db.executemany(
        """INSERT INTO outbox (key, chat_id, kind, payload, due_at, status, sent_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        values(),
    )


async def fill_history(db: Conn, *, rows: int, now: datetime, sent_at: datetime,
                       due_later: datetime, failed_every: int = 1000) -> None:
    """`rows` outbox rows spread over the county's active members as months of reminders leave them: each with its
    branch and member, nearly all sent (at `sent_at`), one in a hundred pending for `due_later`, one in
    `failed_every` given up on an hour before `now` (what a digest's 未能送达 lists). Nothing is due now."""
    async with db.execute("SELECT id, branch_id, telegram_id FROM members WHERE status = 'active' ORDER BY id") as cur:
        people = [tuple(r) for r in await cur.fetchall()]
    payload = '{"template": "common/hint.j2", "params": {}, "buttons": [], "attachments": []}'
    sent, later, stamp = to_db(sent_at), to_db(due_later), to_db(now)
    failed_at = to_db(now - timedelta(hours=1))

    def values() -> Iterator[tuple[object, ...]]:
        for index in range(rows):
            member_id, branch_id, chat_id = people[index % len(people)]
            if index % failed_every == failed_every // 2:
                status, due, at = "failed", sent, failed_at
            elif index % 100 == 0:
                status, due, at = "pending", later, stamp
            else:
                status, due, at = "sent", sent, sent
            yield (f"history:{index}", branch_id, member_id, chat_id, "bench", payload, due, status,
                   sent if status == "sent" else None, stamp, at)

    await db.executemany(
        """INSERT INTO outbox (key, branch_id, member_id, chat_id, kind, payload, due_at, status, sent_at,
                               created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        values(),
    )
