"""End-to-end harness: the real Application from bot/app.py, over HTTP, against the Bot API emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.emulator import Emulator
from bot.settings import Settings
from tests.e2e.harness import Harness
from tests.support import ADMIN_ID

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator() as emulator:
        yield emulator


@pytest.fixture
def harness_settings() -> dict:
    """Settings a test module wants on top of the harness's own (a module overrides this fixture)."""
    return {}


@pytest.fixture
async def harness(emu: Emulator, tmp_path: Path, clock, harness_settings: dict,
                  target: Path | str) -> AsyncIterator[Harness]:
    """The bot on a fresh database: an SQLite file, or (a module parametrizing `engine`) the shared PostgreSQL one."""
    settings = Settings(
        token=emu.token, db=target, api_base_url=emu.base_url, api_file_url=emu.base_file_url,
        admins=frozenset({ADMIN_ID}), drain_interval=30,
        # The emulator here enforces no flood limits, so Telegram's 30/s spacing would only make every drain
        # wait 33 ms a message, and its 20/min into a group 3 s a group message; the same pacing limiter runs, at
        # its fastest settings (tests/unit/test_pacing.py checks the spacing itself).
        send_rate=1000, group_send_rate=60000, **harness_settings,
    )
    h = Harness(emu=emu, settings=settings, clock=clock, folder=tmp_path)
    await h.start()
    yield h
    await h.stop()

