"""`zhibu run` as a real process, pointed at the emulator by ZHIBU_API_BASE_URL, serves people; SIGTERM stops it."""

from __future__ import annotations

import pytest

from bot.bench import process
from bot.emulator import Emulator
from tests.support import ENGINES


@pytest.mark.parametrize("engine", ENGINES)
async def test_zhibu_run_serves_people_and_stops_cleanly(tmp_path, target):
    """`zhibu run` at DEBUG answers /start with the welcome and the menu, exits 0 on SIGTERM, logs no token; on
    SQLite (a path) and PostgreSQL (a URL) alike."""
    async with Emulator() as emu:
        # DEBUG: the most talkative level must still keep the token out of the log.
        env = {**process.bot_env(emu, target), "ZHIBU_LOG_LEVEL": "DEBUG"}
        proc = await process.start(["-m", "bot", "run"], env, tmp_path)
        try:
            newcomer = emu.user(4242, "新人")
            await newcomer.send("/start")
            welcome = await newcomer.expect("邀请链接", timeout=30)
            assert "支部助手" in welcome.plain
            assert [c["command"] for c in emu.commands_for(4242)] == ["start", "help"]
        finally:
            errors = await process.stop(proc)
        assert proc.returncode == 0, errors
        assert "Traceback" not in errors
        assert "123456:TEST-TOKEN" not in errors  # the token is never logged
