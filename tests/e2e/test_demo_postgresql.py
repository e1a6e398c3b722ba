"""`zhibu demo --db postgresql://…`: the demo seeds an empty PostgreSQL database, runs the real bot on it, and a
second start resumes the same branches instead of seeding again."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.demo.runner import Demo
from bot.demo.seed import SECRETARY
from bot.settings import Settings
from storage import branches


@pytest.mark.parametrize("engine", ["postgresql"])
async def test_the_demo_runs_on_postgresql_and_resumes_there(tmp_path, target, monkeypatch):
    """The seeded branch's secretary gets the day's digest from the bot running on PostgreSQL; started again on
    the same database the demo resumes (its branches, not seeded twice)."""
    monkeypatch.chdir(tmp_path)  # the kept demo's clock file lands in the working folder
    first = Demo(Settings(db=tmp_path / "unused.db"), "127.0.0.1", 0, db=str(target))
    await first.start()
    try:
        assert not first.resumed
        local = first.clock.now().astimezone(ZoneInfo(first.tz()))
        if local.hour < 9:  # the digest goes out from 08:30
            first.clock.advance(timedelta(hours=9 - local.hour))
        await first.drain()
        await first.emu.idle()
        shown = first.emu.user(SECRETARY[0], SECRETARY[1]).messages()
        assert any("今日待办" in m.plain for m in shown), [m.plain[:30] for m in shown]
        seeded = [b.name for b in await branches.every(first.app.bot_data.svc.db)]
    finally:
        await first.stop()
    again = Demo(Settings(db=tmp_path / "unused.db"), "127.0.0.1", 0, db=str(target))
    await again.start()
    try:
        assert again.resumed
        assert [b.name for b in await branches.every(again.app.bot_data.svc.db)] == seeded
    finally:
        await again.stop()
