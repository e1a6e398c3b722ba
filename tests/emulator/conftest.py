"""The emulator on loopback and a plain python-telegram-bot `Bot` as its client, for every emulator test."""

from __future__ import annotations

import pytest
from telegram import Bot

from bot.emulator import Emulator


@pytest.fixture
async def emu():
    async with Emulator() as emulator:
        yield emulator


@pytest.fixture
async def client(emu):
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as bot:
        yield bot
