"""`zhibu run` on SQLite killed mid-drain: started again, it holds the lock file, so it knows the rows the killed
process held are nobody's — they go out at once, not after their two-minute lease, and none twice."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from datetime import datetime
from pathlib import Path

from bot.bench import process
from bot.clock import Clock
from bot.domain.outbox import Planned
from bot.emulator import Emulator
from bot.outgoing import Outgoing
from storage import outbox
from storage.db import open_database
from tests.support import fresh_database

PEOPLE = range(4801, 4809)  # one message each


async def _queued(db_path: Path) -> None:
    database = await open_database(db_path)
    now = Clock().now()
    try:
        async with database.write() as tx:
            for chat in PEOPLE:
                await outbox.upsert(tx, Planned(key=f"restart:{chat}", chat_id=chat, kind="test", due_at=now,
                                                payload=Outgoing(template="common/unreachable.j2",
                                                                 params={"name": f"第{chat}号"})), now)
    finally:
        await database.close()


def _rows(db_path: Path) -> dict[str, tuple[str, str | None, str | None]]:
    """key → (status, lease_until, sent_at), read from the file as it is on disk."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT key, status, lease_until, sent_at FROM outbox WHERE key LIKE 'restart:%'")
        return {key: (status, lease, sent) for key, status, lease, sent in rows}


async def _until(check, what: str, proc, timeout: float = 90) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        assert loop.time() < deadline, f"{what}: not within {timeout}s\n{bytes(proc.stderr_tail).decode(errors='replace')}"
        await asyncio.sleep(0.05)


async def test_rows_a_killed_process_held_go_out_at_once_when_it_starts_again(tmp_path, migrated):
    """The first process (one message every 5 s) has sent one of 8 and holds the other 7 leased when it is killed;
    the next start releases the 7 (logged), sends each before its old lease would have run out, and every person
    has exactly one message."""
    db_path = fresh_database(migrated, tmp_path / "zhibu.db")
    await _queued(db_path)
    async with Emulator() as emu:
        people = [emu.user(chat, f"用户{chat}") for chat in PEOPLE]
        first = await process.start(["-m", "bot", "run"], process.bot_env(emu, db_path, ZHIBU_SEND_RATE="0.2"),
                                    tmp_path)
        try:
            await _until(lambda: [s for s, _, _ in _rows(db_path).values()].count("sent") == 1, "one sent", first)
            os.kill(first.pid, signal.SIGKILL)
            await first.wait()
        finally:
            await process.stop(first)
        held = {key: datetime.fromisoformat(lease) for key, (status, lease, _) in _rows(db_path).items() if status == "sending"}
        assert len(held) == len(PEOPLE) - 1
        second = await process.start(["-m", "bot", "run"], process.bot_env(emu, db_path), tmp_path)
        try:
            await _until(lambda: all(s == "sent" for s, _, _ in _rows(db_path).values()), "all sent", second)
            await emu.idle()
        finally:
            said = await process.stop(second)
        assert "7 reminders were left mid-send by the process that ran before this one" in said, said
        rows = _rows(db_path)
        for key, lease_until in held.items():
            sent_at = datetime.fromisoformat(rows[key][2])
            assert sent_at < lease_until, (key, sent_at, lease_until)
        assert [len(person.messages()) for person in people] == [1] * len(PEOPLE)
