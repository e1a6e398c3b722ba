"""People send what people send: the updates a bot gets besides the text it asked for, and reply keyboards.

A plain python-telegram-bot `Bot` is the client, so each update is checked as PTB parses it."""

from __future__ import annotations

import asyncio

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import BadRequest


async def next_updates(client: Bot, seen: list) -> tuple:
    """The updates after those already in `seen` (which grows), confirming the earlier ones."""
    offset = seen[-1].update_id + 1 if seen else None
    updates = await client.get_updates(offset=offset, timeout=1)
    seen.extend(updates)
    return updates


async def test_a_tap_under_an_inline_message_has_no_message(emu, client):
    """press_inline: the callback query carries inline_message_id and no message; the toast still comes back."""
    alice = emu.user(2001, "Alice")
    tap = asyncio.create_task(alice.press_inline("ck:7", inline_message_id="INLINE-1"))
    (update,) = await client.get_updates(timeout=1)
    query = update.callback_query
    assert query.message is None and query.inline_message_id == "INLINE-1"
    assert query.data == "ck:7" and query.from_user.id == 2001
    await query.answer("这条消息不能在这里签到")
    assert (await tap).text == "这条消息不能在这里签到"


async def test_callback_data_is_any_string_of_at_most_64_bytes(emu, client):
    """Forged taps may carry any data Telegram can: 64 bytes arrive intact (21 three-byte characters and one
    more byte); 65 bytes cannot be sent at all."""
    bob = emu.user(2002, "Bob")
    sent = await client.send_message(2002, "x", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("ok", callback_data="ok")]]))
    odd = "党" * 21 + "!"
    assert len(odd.encode()) == 64
    tap = asyncio.create_task(bob.press_data(sent.message_id, odd))
    (update,) = await client.get_updates(timeout=1)
    assert update.callback_query.data == odd
    await update.callback_query.answer()
    assert (await tap).text == ""
    with pytest.raises(ValueError, match="1-64 bytes"):
        await bob.press_data(sent.message_id, odd + "!")
    with pytest.raises(ValueError):
        await bob.press_data(sent.message_id, "")


async def test_a_person_edits_an_earlier_message(emu, client):
    """edit(): the bot gets an edited_message with the same message_id, the new text and an edit_date."""
    carol = emu.user(2003, "Carol")
    original = await carol.send("刘阳")
    seen: list = []
    (first,) = await next_updates(client, seen)
    await carol.edit(original, "刘洋")
    (update,) = await next_updates(client, seen)
    assert update.message is None and update.edited_message is not None
    edited = update.edited_message
    assert edited.message_id == first.message.message_id and edited.text == "刘洋"
    assert edited.edit_date is not None and edited.from_user.id == 2003
    with pytest.raises(AssertionError, match="not theirs"):
        await emu.user(2004, "Dan").edit(original, "我的")


async def test_stickers_contacts_documents_and_locations_where_text_is_expected(emu, client):
    """Each arrives as Telegram sends it, with no text: a sticker, one's own contact (with user_id) and another's
    (without), a document and a location."""
    erin = emu.user(2005, "Erin")
    await erin.send_sticker("🙏")
    await erin.send_contact()
    await erin.send_contact("+8613912345678", "张三")
    await erin.send_document(b"%PDF-1.4", "申请书.pdf", "application/pdf")
    await erin.send_location(34.2655, 108.9542)
    updates = await client.get_updates(timeout=1)
    messages = [u.message for u in updates]
    assert all(m.text is None for m in messages)
    sticker, own, other, document, place = messages
    assert sticker.sticker.emoji == "🙏" and sticker.sticker.file_id
    assert own.contact.user_id == 2005 and own.contact.phone_number == erin.phone
    assert other.contact.user_id is None and other.contact.first_name == "张三"
    assert document.document.file_name == "申请书.pdf" and document.document.mime_type == "application/pdf"
    assert (place.location.latitude, place.location.longitude) == (34.2655, 108.9542)


async def test_a_stranger_writes_in_a_group(emu, client):
    """stranger_says(): someone the bot has never met sends a command in a group; plain chatter is not heard."""
    grace = emu.user(2007, "Grace")
    group = emu.group(-100777, "支部群", added_by=grace)
    await group.stranger_says("大家好")
    said = await group.stranger_says("/checkin", name="路人甲")
    updates = await client.get_updates(timeout=1)
    messages = [u.message for u in updates if u.message]
    assert [m.text for m in messages] == ["/checkin"]
    stranger = messages[0].from_user
    assert stranger.id == said.sender_id and stranger.first_name == "路人甲"
    assert stranger.id not in (2007, emu.bot_id) and not emu.events(stranger.id)  # no private chat with the bot


async def test_a_reply_keyboard_shows_and_its_location_button_shares_the_location(emu, client):
    """A ReplyKeyboardMarkup shows under the person's input; tapping 📍 (request_location) sends their location,
    a text button sends its label, a one-time keyboard hides after a tap, ReplyKeyboardRemove takes it away."""
    frank = emu.user(2008, "Frank")
    frank.location = (34.2655, 108.9542)
    keyboard = ReplyKeyboardMarkup([[KeyboardButton("📍 发送位置", request_location=True)], ["取消"]],
                                   resize_keyboard=True, input_field_placeholder="签到需要位置")
    sent = await client.send_message(2008, "请发送您的位置以完成签到", reply_markup=keyboard)
    assert sent.reply_markup is None  # Telegram does not echo reply keyboards
    assert frank.keyboard.labels() == ["📍 发送位置", "取消"] and frank.keyboard.placeholder == "签到需要位置"
    assert frank.messages()[-1].reply_keyboard == frank.keyboard

    await frank.tap_key("发送位置")
    await frank.tap_key("取消")
    updates = await client.get_updates(timeout=1)
    assert (updates[0].message.location.latitude, updates[0].message.location.longitude) == (34.2655, 108.9542)
    assert updates[1].message.text == "取消"
    assert frank.keyboard is not None  # not one-time: it stays

    await client.send_message(2008, "已签到", reply_markup=ReplyKeyboardRemove())
    assert frank.keyboard is None
    with pytest.raises(AssertionError, match="no keyboard"):
        await frank.tap_key("取消")

    await client.send_message(2008, "选一个", reply_markup=ReplyKeyboardMarkup([["是", "否"]], one_time_keyboard=True))
    await frank.tap_key("是")
    assert frank.keyboard is None
    with pytest.raises(BadRequest, match="(?i)BUTTON_TEXT_INVALID"):
        await client.send_message(2008, "x", reply_markup=ReplyKeyboardMarkup([[KeyboardButton(" ")]]))
