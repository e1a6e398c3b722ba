"""The emulator answers as Telegram does: a plain python-telegram-bot `Bot` is the client here."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import aiohttp
import pytest
from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, RetryAfter

from bot.emulator.ratelimit import FloodControl
from bot.emulator.telegram_html import HtmlError, to_plain


def test_html_is_checked_as_telegram_checks_it():
    assert to_plain("<b>签到</b> &lt;二十大&gt; &amp; 学习") == "签到 <二十大> & 学习"
    for bad in ("<二十大>", "a < b", "<div>x</div>", "<b>x", "x</b>", "AT&T", "<a>x</a>"):
        with pytest.raises(HtmlError):
            to_plain(bad)


def test_flood_control_allows_a_second_of_burst_then_the_rate():
    flood = FloodControl(per_second=30, group_per_minute=20)
    assert all(flood.check(1, now=100.0) is None for _ in range(30))
    assert flood.check(1, now=100.0) == 1
    assert flood.check(1, now=100.034) is None  # one token back after 1/30 s
    group = [flood.check(-5, now=200.0) for _ in range(21)]
    assert group[:20] == [None] * 20 and group[20] == 3  # 20 a minute: the next one in 3 s


async def test_get_me_and_unknown_token(emu, client):
    me = await client.get_me()
    assert me.username == emu.bot_username and me.is_bot
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{emu.root_url}/bot1:WRONG/getMe") as response:
            assert response.status == 401 and (await response.json())["ok"] is False
        async with http.post(f"{emu.base_url}{emu.token}/noSuchMethod") as response:
            assert response.status == 404


async def test_people_talk_and_the_bot_answers(emu, client):
    alice = emu.user(2001, "Alice")
    await alice.send("/start abc")
    updates = await client.get_updates(timeout=1)
    assert len(updates) == 1
    message = updates[0].message
    assert message.text == "/start abc" and message.entities[0].type == "bot_command"
    assert message.chat.type == "private" and message.from_user.id == 2001

    markup = InlineKeyboardMarkup([[InlineKeyboardButton("✅ 签到", callback_data="ck:1")]])
    sent = await client.send_message(2001, "<b>主题党日</b> 今天 14:30", parse_mode=ParseMode.HTML,
                                     reply_markup=markup)
    seen = await alice.expect("主题党日")
    assert seen.message_id == sent.message_id and seen.plain == "主题党日 今天 14:30"

    tap = asyncio.create_task(alice.press("签到"))
    updates = await client.get_updates(offset=updates[0].update_id + 1, timeout=1)
    query = updates[0].callback_query
    assert query.data == "ck:1" and query.message.message_id == sent.message_id
    await query.answer("已签到")
    assert (await tap).text == "已签到"

    await client.edit_message_text("主题党日 ✅ 已签到", chat_id=2001, message_id=sent.message_id)
    edited = await alice.expect("已签到")
    assert edited.message_id == sent.message_id and edited.buttons == ()  # no markup given: keyboard removed
    with pytest.raises(BadRequest, match="(?i)not modified"):
        await client.edit_message_text("主题党日 ✅ 已签到", chat_id=2001, message_id=sent.message_id)


async def test_confirmed_updates_are_not_delivered_again(emu, client):
    bob = emu.user(2002, "Bob")
    await bob.send("one")
    first = await client.get_updates(timeout=0)
    again = await client.get_updates(timeout=0)
    assert [u.update_id for u in again] == [u.update_id for u in first]  # not confirmed yet
    await bob.send("two")
    rest = await client.get_updates(offset=first[-1].update_id + 1, timeout=0)
    assert [u.message.text for u in rest] == ["two"]


async def test_long_poll_waits_for_an_update(emu, client):
    carol = emu.user(2003, "Carol")
    poll = asyncio.create_task(client.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    assert not poll.done()
    await carol.send("hello")
    updates = await asyncio.wait_for(poll, 3)
    assert updates[0].message.text == "hello"


async def test_second_poller_ends_the_first_with_a_conflict(emu, client):
    first = asyncio.create_task(client.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    async with aiohttp.ClientSession() as http:  # a second bot process, with its own connection
        async with http.post(f"{emu.base_url}{emu.token}/getUpdates", data={"timeout": "0"}) as response:
            assert (await response.json()) == {"ok": True, "result": []}
    with pytest.raises(Conflict):
        await asyncio.wait_for(first, 3)


async def test_telegram_refusals(emu, client):
    emu.user(2004, "Dan")
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await client.send_message(999, "x")
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await client.send_message(2004, "<二十大>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)too long"):
        await client.send_message(2004, "字" * 4097)
    with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
        await client.send_message(2004, "x", reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("x", callback_data="d" * 65)]]))
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await client.edit_message_text("x", chat_id=2004, message_id=424242)
    assert not emu.messages_in(2004)


async def test_errors_on_demand_and_blocking(emu, client):
    erin = emu.user(2005, "Erin")
    emu.fail("sendMessage", 429, retry_after=7, chat_id=2005)
    with pytest.raises(RetryAfter) as caught:
        await client.send_message(2005, "x")
    assert caught.value.retry_after == timedelta(seconds=7)
    await client.send_message(2005, "after the flood")  # `times=1`: the next call goes through
    emu.fail("sendMessage", 400, description="Bad Request: something odd")
    with pytest.raises(BadRequest, match="(?i)something odd"):
        await client.send_message(2005, "x")

    erin.block()
    with pytest.raises(Forbidden, match="(?i)blocked"):
        await client.send_message(2005, "x")
    updates = await client.get_updates(timeout=0)
    assert updates[-1].my_chat_member.new_chat_member.status == "kicked"
    assert [m.plain for m in emu.messages_in(2005)] == ["after the flood"]


async def test_files_round_trip(emu, client, tmp_path):
    frank = emu.user(2006, "Frank")
    await frank.send_photo(b"\x89PNG fake", caption="会场照片")
    update = (await client.get_updates(timeout=0))[0]
    photo = update.message.photo[-1]
    assert update.message.caption == "会场照片"
    downloaded = await (await client.get_file(photo.file_id)).download_as_bytearray()
    assert bytes(downloaded) == b"\x89PNG fake"

    document = await client.send_document(2006, b"PK excel bytes", filename="考勤登记表.xlsx")
    received = emu.messages_in(2006)[-1]
    assert received.kind == "document" and received.file_name == "考勤登记表.xlsx"
    assert emu.files[received.file_id].content == b"PK excel bytes"
    again = await client.send_document(2006, document.document.file_id)  # by file_id, as Telegram allows
    assert again.document.file_id == document.document.file_id

    album = await client.send_media_group(2006, [InputMediaPhoto(photo.file_id), InputMediaPhoto(b"second")])
    assert len(album) == 2 and all(m.photo for m in album)
    with pytest.raises(BadRequest, match="(?i)file identifier"):
        await client.send_photo(2006, "no-such-file-id")


async def test_command_menus_by_scope(emu, client):
    await client.set_my_commands([BotCommand("start", "开始")], scope=BotCommandScopeAllPrivateChats())
    await client.set_my_commands([BotCommand("start", "开始"), BotCommand("invite", "邀请")],
                                 scope=BotCommandScopeChat(1001))
    assert [c["command"] for c in emu.commands_for(1001)] == ["start", "invite"]
    assert [c["command"] for c in emu.commands_for(2001)] == ["start"]
    with pytest.raises(BadRequest, match="(?i)BOT_COMMAND_INVALID"):
        await client.set_my_commands([BotCommand("Bad-Name", "x")])


async def test_groups_hear_only_commands(emu, client):
    grace = emu.user(2007, "Grace")
    group = emu.group(-100555, "支部群", added_by=grace)
    await grace.send_in(group, "大家好")
    await grace.send_in(group, "/linkgroup")
    updates = await client.get_updates(timeout=0)
    assert updates[0].my_chat_member.new_chat_member.status == "member"
    texts = [u.message.text for u in updates if u.message]
    assert texts == ["/linkgroup"]
    await client.send_message(group.id, "已关联")
    assert [m.plain for m in group.messages()] == ["已关联"]
