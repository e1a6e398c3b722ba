"""The emulator refuses what Telegram refuses, in Telegram's words: lengths after entity parsing, buttons, callback
data, answers to taps and the HTML subset (the cases and texts of TDLib's own parse_html tests)."""

from __future__ import annotations

import asyncio

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.emulator.telegram_html import HtmlError, to_plain

# (markup, Telegram's refusal) from TDLib's test/message_entities.cpp check_parse_html.
TDLIB_REFUSALS = [
    ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;<abac aba>", 'Unsupported start tag "abac" at byte offset 13'),
    ("🏟 🏟&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
    ("🏟 🏟&lt;<i    aba>", 'Can\'t find end tag corresponding to start tag "i"'),
    ("🏟 🏟&lt;<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
    ("🏟 🏟&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
    ('🏟 🏟&lt;<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;</", "Unexpected end tag at byte offset 13"),
    ("🏟 🏟&lt;<b></b></", "Unexpected end tag at byte offset 20"),
    ("🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
    ("🏟 🏟&lt;<i>a</em   >", 'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"'),
    ("&#57311;", "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched "
                 "surrogate code units"),
    ("<b><i>交叉</b></i>", 'Unmatched end tag at byte offset 12, expected "</i>", found "</b>"'),
]
# (markup, the text a person sees) from the same tests.
TDLIB_ACCEPTED = [
    ("🏟 🏟<i>🏟 &lt🏟</i>", "🏟 🏟🏟 <🏟"),
    ("🏟 🏟&lt;<i    aba  =  190azAz-.   >a</i>", "🏟 🏟<a"),
    ("🏟 🏟&lt;<i    aba  =  '&lt;&gt;&quot;'>a</>", "🏟 🏟<a"),
    ("🏟 🏟&lt;<i>a</    >", "🏟 🏟<a"),
    ('➡️ ➡️<span class = "tg-spoiler">➡️ ➡️</span><b>➡️ ➡️</b>', "➡️ ➡️➡️ ➡️➡️ ➡️"),
    ("<blockquote   expandable>a&lt;<pre  >b;</></>", "a<b;"),
    ('🏟 🏟&lt;<pre><code class="language-fift">🏟 🏟&lt;</></>', "🏟 🏟<🏟 🏟<"),
    ("<a href=telegram.org>\n</a>", "\n"),
]


@pytest.mark.parametrize(("markup", "refusal"), TDLIB_REFUSALS)
def test_html_refusals_are_telegrams_own(markup, refusal):
    """Each malformed text is refused with exactly the words Telegram's parser uses."""
    with pytest.raises(HtmlError) as caught:
        to_plain(markup)
    assert str(caught.value) == refusal


@pytest.mark.parametrize(("markup", "shown"), TDLIB_ACCEPTED)
def test_html_telegram_accepts_is_accepted(markup, shown):
    """What Telegram's parser accepts (attributes, `</>`, entities without a semicolon) shows the same text here."""
    assert to_plain(markup) == shown


def test_a_span_must_be_a_spoiler():
    """Telegram takes <span> only as a spoiler."""
    with pytest.raises(HtmlError, match='Tag "span" must have class "tg-spoiler"'):
        to_plain("<span>x</span>")


async def test_a_4097_character_edit_is_refused_as_telegram_refuses_it(emu, client):
    """4,096 characters after entity parsing pass; one more is MESSAGE_TOO_LONG for an edit and "message is too
    long" for a new message; markup does not count, an emoji counts twice (UTF-16)."""
    emu.user(2101, "Hu")
    sent = await client.send_message(2101, "卡片")
    limit = "<b>" + "字" * 4095 + "</b>" + "&amp;"
    edited = await client.edit_message_text(limit, chat_id=2101, message_id=sent.message_id,
                                            parse_mode=ParseMode.HTML)
    assert len(edited.text) == 4096
    with pytest.raises(BadRequest, match="^Message_too_long$"):
        await client.edit_message_text("字" * 4097, chat_id=2101, message_id=sent.message_id)
    with pytest.raises(BadRequest, match="^Message is too long$"):
        await client.send_message(2101, "字" * 4095 + "🏟")
    assert emu.calls[-1].error_code == 400
    assert emu.current(2101, sent.message_id).plain == "字" * 4095 + "&"


async def test_a_101_button_keyboard_is_refused(emu, client):
    """100 buttons on a keyboard pass; the 101st makes Telegram refuse the whole message, sent or edited."""
    emu.user(2102, "Ma")

    def keyboard(count: int) -> InlineKeyboardMarkup:
        buttons = [InlineKeyboardButton(f"{i}", callback_data=f"p:{i}") for i in range(count)]
        return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, count, 2)])

    sent = await client.send_message(2102, "名单", reply_markup=keyboard(100))
    assert len(emu.current(2102, sent.message_id).buttons_data()) == 100
    with pytest.raises(BadRequest, match="^Reply markup is too long$"):
        await client.send_message(2102, "名单", reply_markup=keyboard(101))
    with pytest.raises(BadRequest, match="^Reply markup is too long$"):
        await client.edit_message_text("名单二", chat_id=2102, message_id=sent.message_id, reply_markup=keyboard(101))
    assert emu.current(2102, sent.message_id).plain == "名单"


async def test_captions_callback_data_and_answers_are_bounded(emu, client):
    """1,024 caption characters, 1–64 bytes of callback data, 200 characters of an answer: beyond is refused."""
    person = emu.user(2103, "Niu")
    with pytest.raises(BadRequest, match="^Message caption is too long$"):
        await client.send_photo(2103, b"png", caption="字" * 1025)
    photo = await client.send_photo(2103, b"png", caption="字" * 1024)
    with pytest.raises(BadRequest, match="^Media_caption_too_long$"):
        await client.edit_message_caption(chat_id=2103, message_id=photo.message_id, caption="字" * 1025)
    with pytest.raises(BadRequest, match="^Message caption is too long$"):
        await client.send_media_group(2103, [InputMediaPhoto(b"a", caption="字" * 1025), InputMediaPhoto(b"b")])
    for data in ("", "字" * 22):  # 0 bytes, 66 bytes
        with pytest.raises(BadRequest, match="^Button_data_invalid$"):
            await client.send_message(2103, "x", reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("x", callback_data=data)]]))
    sent = await client.send_message(2103, "x", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("x", callback_data="字" * 21)]]))  # 63 bytes
    tap = asyncio.create_task(person.press_data(sent.message_id, "字" * 21))
    query = (await client.get_updates(timeout=1))[-1].callback_query
    with pytest.raises(BadRequest, match="^Message_too_long$"):
        await query.answer("字" * 201)
    await query.answer("字" * 200)
    assert (await tap).text == "字" * 200
