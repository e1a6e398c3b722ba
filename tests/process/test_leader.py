"""One process leads a bot: with long polling only the leader polls, and when it is killed another `zhibu run` on
the same PostgreSQL database takes over within seconds; on SQLite a second `zhibu run` on the file is refused."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from bot.bench import process
from bot.emulator import Emulator


async def _stderr_says(proc, text: str, timeout: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while text not in bytes(proc.stderr_tail).decode(errors="replace"):
        assert proc.returncode is None, bytes(proc.stderr_tail).decode(errors="replace")
        assert loop.time() < deadline, f"{text!r} not logged within {timeout}s"
        await asyncio.sleep(0.1)


@pytest.mark.parametrize("engine", ["postgresql"])
async def test_the_lead_moves_to_the_waiting_process_when_the_leader_is_killed(tmp_path, target):
    """The first process leads and answers; the second waits without polling (no 409 Conflict anywhere); after a
    SIGKILL of the leader the second leads within seconds and answers the next person."""
    async with Emulator() as emu:
        env = process.bot_env(emu, target)
        leader = await process.start(["-m", "bot", "run"], env, tmp_path)
        follower = None
        try:
            await emu.user(4301, "甲").send("/start")
            await emu.user(4301).expect("邀请链接", timeout=60)
            follower = await process.start(["-m", "bot", "run"], env, tmp_path)
            await _stderr_says(follower, "waits to take over")
            os.kill(leader.pid, signal.SIGKILL)
            await leader.wait()
            await _stderr_says(follower, "leads the bot now", timeout=20)
            newcomer = emu.user(4302, "乙")
            await newcomer.send("/start")
            await newcomer.expect("邀请链接", timeout=30)
        finally:
            errors = await process.stop(follower) if follower is not None else ""
            errors += await process.stop(leader)
        assert "Conflict" not in errors and "Traceback" not in errors, errors


async def test_a_second_process_on_one_sqlite_file_is_refused(tmp_path):
    """SQLite serves one process: a second `zhibu run` on the same file exits at once with code 2 and says why,
    while the first goes on answering."""
    async with Emulator() as emu:
        env = process.bot_env(emu, tmp_path / "zhibu.db")
        first = await process.start(["-m", "bot", "run"], env, tmp_path)
        try:
            await emu.user(4303, "丙").send("/start")
            await emu.user(4303).expect("邀请链接", timeout=60)
            second = await process.start(["-m", "bot", "run"], env, tmp_path)
            assert await asyncio.wait_for(second.wait(), 60) == 2
            said = await process.stop(second)
            assert "another zhibu process is running" in said and "Traceback" not in said
            await emu.user(4304, "丁").send("/start")
            await emu.user(4304).expect("邀请链接", timeout=30)
        finally:
            await process.stop(first)
