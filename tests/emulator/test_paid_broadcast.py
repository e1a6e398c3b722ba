"""allow_paid_broadcast on the emulator: such sends are counted (Telegram charges each) and limited to 1,000 a
second instead of the free 30."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot

from bot.emulator import Emulator
from bot.emulator.model import ApiError


async def test_paid_sends_pass_the_free_limit_and_are_counted():
    """100 paid sends at once all go, with no 429, and are counted as paid; they leave the free 30 a second as it was,
    and a 31st free send meets a 429."""
    async with Emulator(rate_limit=True) as emu:
        for person in range(1001, 1101):
            emu.user(person)
        async with Bot(emu.token, base_url=emu.base_url) as bot:
            await asyncio.gather(*[bot.send_message(p, "通知", allow_paid_broadcast=True) for p in range(1001, 1101)])
        assert emu.stats["paid"] == 100 and emu.stats["429"] == 0
        for person in range(1001, 1031):  # the free 30 of this second are untouched by the paid 100
            emu.flood_check(person)
        with pytest.raises(ApiError):
            emu.flood_check(1031)
        assert emu.stats["paid"] == 100


@pytest.mark.parametrize("value", ["false", "0", ""])
async def test_other_values_are_not_paid(value):
    """Only a true value makes a send paid."""
    async with Emulator() as emu:
        emu.user(1001)
        emu.flood_check(1001, {"allow_paid_broadcast": value})
        assert emu.stats["paid"] == 0
