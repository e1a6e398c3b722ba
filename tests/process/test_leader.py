"""One process leads a bot: with long polling only the leader polls, and when it is killed another `zhibu run` on
the same PostgreSQL database takes over within seconds; on SQLite a second `zhibu run` on the file is refused."""

from __future__ import annotations

import asyncio
import os
import signal

from bot.bench import process
from bot.emulator import Emulator


async def _stderr_says(proc, text: str, timeout: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while text not in bytes(proc.stderr_tail).decode(errors="replace"):
        assert proc.returncode is None, bytes(proc.stderr_tail).decode(errors="replace")
        assert loop.time() < deadline, f"{text!r} not logged within {timeout}s"
        await asyncio.sleep(0.1)


async def _answers(emu: Emulator, proc, telegram_id: int, name: str) -> None:
    person = emu.user(telegram_id, name)
    await person.send("/start")
    try:
        await person.expect("邀请链接", timeout=90)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\nthe process logged:\n{bytes(proc.stderr_tail).decode(errors='replace')}") from None


async def test_the_lead_moves_to_the_waiting_process_when_the_leader_is_killed(tmp_path, pg_server_running):
    """The first process leads and answers; the second waits without polling (no 409 Conflict anywhere); after a
    SIGKILL of the leader the second leads within seconds and answers the next person."""
    url = pg_server_running.create()  # a database of its own: no other test's processes near its lock
    async with Emulator() as emu:
        env = process.bot_env(emu, url)
        leader = await process.start(["-m", "bot", "run"], env, tmp_path)
        follower = None
        try:
            await _answers(emu, leader, 4301, "甲")
            follower = await process.start(["-m", "bot", "run"], env, tmp_path)
            await _stderr_says(follower, "waits to take over")
            os.kill(leader.pid, signal.SIGKILL)
            await leader.wait()
            await _stderr_says(follower, "leads the bot now", timeout=20)
            await _answers(emu, follower, 4302, "乙")
        finally:
            errors = await process.stop(follower) if follower is not None else ""
            errors += await process.stop(leader)
            pg_server_running.drop(url)
        assert "Conflict" not in errors and "Traceback" not in errors, errors


async def test_a_second_process_on_one_sqlite_file_is_refused(tmp_path):
    """SQLite serves one process: a second `zhibu run` on the same file exits at once with code 2 and says why,
    while the first goes on answering."""
    async with Emulator() as emu:
        env = process.bot_env(emu, tmp_path / "zhibu.db")
        first = await process.start(["-m", "bot", "run"], env, tmp_path)
        try:
            await _answers(emu, first, 4303, "丙")
            second = await process.start(["-m", "bot", "run"], env, tmp_path)
            assert await asyncio.wait_for(second.wait(), 60) == 2
            said = await process.stop(second)
            assert "another zhibu process is running" in said and "Traceback" not in said
            await _answers(emu, first, 4304, "丁")
        finally:
            await process.stop(first)
