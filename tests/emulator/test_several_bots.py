"""One emulator serves several bot tokens, each a bot of its own, as Telegram keeps a city's county bots apart."""

from __future__ import annotations

import aiohttp
import pytest
from telegram import Bot

from bot.emulator import Emulator
from bot.emulator.bots import parse_tokens
from bot.emulator.model import ApiError

COUNTY_A, COUNTY_B = "700001:county-a", "700002:county-b"


async def test_each_token_has_its_own_username_chats_and_updates():
    """Two tokens on one server: getMe names each bot, a message sent by one is not in the other's chat, and a
    person's words reach only the bot they wrote to."""
    async with Emulator(COUNTY_A, "county_a_bot") as emu:
        other = emu.add_bot(COUNTY_B, "county_b_bot")
        async with Bot(COUNTY_A, base_url=emu.base_url) as a, Bot(COUNTY_B, base_url=emu.base_url) as b:
            assert (await a.get_me()).username == "county_a_bot"
            assert (await b.get_me()).username == "county_b_bot"
            emu.user(1001, "王建国")
            other.user(1001, "王建国")
            await a.send_message(1001, "甲县的通知")
            assert [m.text for m in emu.messages_in(1001)] == ["甲县的通知"]
            assert other.messages_in(1001) == []
            await other.user(1001).send("/start")
            assert await a.get_updates(timeout=0) == ()
            updates = await b.get_updates(timeout=0)
            assert [u.message.text for u in updates] == ["/start"]


async def test_an_unknown_token_is_refused_unless_new_tokens_are_taken():
    """A token the server does not know gets 401; with `new_tokens` a well-formed one becomes a bot on first use,
    while the same bot id with another secret is still refused."""
    async with Emulator(COUNTY_A) as emu:
        assert await refused(COUNTY_B, emu)
    async with Emulator(COUNTY_A, new_tokens=True) as emu:
        async with Bot(COUNTY_B, base_url=emu.base_url) as newcomer:
            assert (await newcomer.get_me()).username == "bot700002_bot"
        assert set(emu.bots) == {COUNTY_A, COUNTY_B}
        assert await refused("700002:other-secret", emu)


async def test_each_bot_has_its_own_thirty_messages_a_second():
    """Flood limits are per bot: one bot's 31st message within the second gets a 429, while the other bot's 30
    at the same moment all go."""
    async with Emulator(COUNTY_A, rate_limit=True) as emu:
        other = emu.add_bot(COUNTY_B)
        for person in range(1001, 1032):
            emu.user(person)
            other.user(person)
        for person in range(1001, 1031):
            emu.flood_check(person)
        with pytest.raises(ApiError) as refused:
            emu.flood_check(1031)
        assert refused.value.code == 429
        for person in range(1001, 1031):
            other.flood_check(person)
        assert emu.stats["429"] == 1 and other.stats["429"] == 0


async def refused(token: str, emu: Emulator) -> bool:
    """Whether the emulator answers this token's getMe with Telegram's 401."""
    async with aiohttp.ClientSession() as session, session.post(f"{emu.base_url}{token}/getMe") as response:
        body = await response.json()
    return response.status == 401 and body == {"ok": False, "error_code": 401, "description": "Unauthorized"}


def test_tokens_on_the_command_line():
    """`--tokens` takes TOKEN or TOKEN=USERNAME, comma-separated, and refuses what is not a token."""
    assert parse_tokens(["700001:a=county_a_bot,700002:b", "700003:c"]) == [
        ("700001:a", "county_a_bot"), ("700002:b", None), ("700003:c", None)]
    with pytest.raises(ValueError):
        parse_tokens(["county-a"])
