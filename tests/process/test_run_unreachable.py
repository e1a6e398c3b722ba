"""`zhibu run` started while the Bot API is unreachable waits for it (a log line per attempt) instead of dying."""

from __future__ import annotations

import asyncio
import socket

from bot.bench import process
from bot.emulator import Emulator


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _attempt_lines(proc, wanted: int) -> list[str]:
    """The stderr lines so far, once `wanted` of them are about failed attempts (or 30 s passed); the bench's
    process helper reads the child's stderr as it comes, so this watches what it collected."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while True:
        lines = bytes(proc.stderr_tail).decode(errors="replace").splitlines(keepends=True)
        if sum("not reachable" in line for line in lines) >= wanted:
            return lines
        assert proc.returncode is None, f"the process ended while waiting: {lines}"
        assert loop.time() < deadline, f"no {wanted} attempt lines within 30 s: {lines}"
        await asyncio.sleep(0.05)


async def test_run_waits_for_the_bot_api_then_serves(tmp_path):
    """Nothing listens at first: two attempts are logged, one line each; once the API is up, people are served,
    and SIGTERM then stops the process cleanly."""
    port = _free_port()
    emu = Emulator(port=port)
    env = process.bot_env(emu, tmp_path / "zhibu.db")
    proc = await process.start(["-m", "bot", "run"], env, tmp_path)
    try:
        lines = await _attempt_lines(proc, 2)
        assert proc.returncode is None
        assert not any("Traceback" in line for line in lines)
        async with emu:
            newcomer = emu.user(4242, "新人")
            await newcomer.send("/start")
            await newcomer.expect("邀请链接", timeout=40)
            errors = await process.stop(proc)
    finally:
        if proc.returncode is None:
            await process.stop(proc)
    assert proc.returncode == 0, errors
    assert "Traceback" not in errors


async def test_run_stopped_while_waiting_exits_cleanly(tmp_path):
    """SIGTERM while the API is still unreachable: exit code 0, no traceback."""
    emu = Emulator(port=_free_port())
    proc = await process.start(["-m", "bot", "run"], process.bot_env(emu, tmp_path / "zhibu.db"), tmp_path)
    await _attempt_lines(proc, 1)
    errors = await process.stop(proc)
    assert proc.returncode == 0, errors
    assert "Traceback" not in errors
    assert "stopped before the Bot API could be reached" in errors
