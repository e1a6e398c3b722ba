"""Tests and the demo act as people: a Person writes, taps, shares photos and locations, and reads what the bot sent.

Besides what the bot asks for, people send what people send: stickers, contacts and files where text is expected,
edits of earlier messages, taps on buttons under inline-mode messages, and commands in groups the bot never met
them in."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.emulator import polls
from bot.emulator.model import Answer, Message, ReplyKeyboard

if TYPE_CHECKING:
    from bot.emulator.server import Emulator

DEFAULT_TIMEOUT = 10.0
HERE = (39.9087, 116.3975)  # where a person is, unless a test says otherwise: what request_location buttons share


@dataclass
class Group:
    """A group chat the bot is a member of."""

    emu: Emulator
    id: int
    title: str

    def chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "supergroup" if self.id < -1_000_000_000_000 else "group", "title": self.title}

    def messages(self) -> list[Message]:
        return self.emu.messages_in(self.id)

    async def stranger_says(self, text: str, name: str = "路人") -> Message:
        """Someone the bot has never met (no private chat with it) writes in this group; commands reach the bot."""
        return self.emu.user_message(self.emu.new_person(name), self.id, kind="text", text=text)


class Person:
    """A Telegram user talking to the bot in their private chat (and in groups)."""

    def __init__(self, emu: Emulator, user_id: int, first_name: str, username: str | None = None) -> None:
        self.emu = emu
        self.id = user_id
        self.first_name = first_name
        self.username = username
        self.blocked = False
        self.location = HERE
        self.phone = f"+86{13800000000 + user_id}"  # what a request_contact button shares
        self._cursor = 0  # index into this chat's event list: what `expect` has already looked at

    def as_user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name, "language_code": "zh-hans"}
        if self.username:
            user["username"] = self.username
        return user

    def chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.username:
            chat["username"] = self.username
        return chat

    # --- acting -------------------------------------------------------------------------------------------------

    async def send(self, text: str, *, duplicate: bool = False) -> Message:
        """Type and send a message in the private chat; a leading /command is marked as Telegram marks it.
        `duplicate`: Telegram delivers the update (same update_id) a second time after the bot confirmed it."""
        message = self.emu.user_message(self, self.id, kind="text", text=text)
        if duplicate:
            self.emu.redeliver(self.emu.last_update_id)
        return message

    async def edit(self, message: Message, text: str) -> Message:
        """Edit a message this person sent earlier; the bot gets an `edited_message` update."""
        return self.emu.user_edit(self, message, text)

    async def send_sticker(self, emoji: str = "👍") -> Message:
        return self.emu.user_message(self, self.id, kind="sticker", emoji=emoji)

    async def send_contact(self, phone_number: str | None = None, first_name: str | None = None) -> Message:
        """Share a contact card: their own (the default) or someone else's."""
        return self.emu.user_message(self, self.id, kind="contact",
                                     contact=(phone_number or self.phone, first_name or self.first_name))

    async def send_in(self, group: Group, text: str) -> Message:
        return self.emu.user_message(self, group.id, kind="text", text=text)

    async def send_photo(self, content: bytes | None = None, caption: str | None = None) -> Message:
        return self.emu.user_message(self, self.id, kind="photo", text=caption or "", content=content)

    async def send_document(self, content: bytes, file_name: str, mime: str = "application/octet-stream",
                            caption: str | None = None) -> Message:
        return self.emu.user_message(self, self.id, kind="document", text=caption or "", content=content,
                                     file_name=file_name, mime=mime)

    async def send_location(self, latitude: float, longitude: float) -> Message:
        return self.emu.user_message(self, self.id, kind="location", location=(latitude, longitude))

    async def answer_poll(self, message: Message, *options: int) -> None:
        """Pick option(s) of a poll the bot sent (a quiz: once); the bot hears of it as Telegram tells it."""
        polls.answer(self.emu, self, message, options)

    def poll_of(self, message: Message) -> dict[str, Any]:
        """The poll of a message as the person's app shows it (question, options, counts, closed, explanation)."""
        return self.emu.polls[message.poll_id or ""].as_dict()

    async def forward_location(self, latitude: float, longitude: float, origin: Person) -> Message:
        """Forward a location `origin` sent (it arrives with forward_origin naming them)."""
        return self.emu.user_message(self, self.id, kind="location", location=(latitude, longitude),
                                     forwarded_from=origin.id)

    async def press(self, label: str, message: Message | None = None, timeout: float = DEFAULT_TIMEOUT) -> Answer:
        """Tap the button with this label on the given message, else on the newest message that has one."""
        target = self.emu.current(self.id, message.message_id) if message else self._newest_with(label)
        if target is None:
            raise AssertionError(f"{self.first_name}: no message with a button {label!r}")
        button = target.button(label)
        if button is None or button.data is None:
            raise AssertionError(f"{self.first_name}: no callback button {label!r} on message {target.message_id}: "
                                 f"{target.labels()}")
        return await self.press_data(target.message_id, button.data, timeout=timeout)

    async def press_data(self, message_id: int, data: str, timeout: float = DEFAULT_TIMEOUT) -> Answer:
        """Tap with any callback data at all — what a forged or stale button looks like to the bot."""
        future = self.emu.callback_query(self, self.id, message_id, data)
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise AssertionError(f"{self.first_name}: the bot did not answer the tap {data!r}") from None

    async def press_inline(self, data: str, inline_message_id: str = "AAAAAQAAAAEAAAAB",
                           timeout: float = DEFAULT_TIMEOUT) -> Answer:
        """Tap a button under a message sent in inline mode: the query has `inline_message_id` and no message."""
        future = self.emu.callback_query(self, None, None, data, inline_message_id=inline_message_id)
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise AssertionError(f"{self.first_name}: the bot did not answer the inline tap {data!r}") from None

    @property
    def keyboard(self) -> ReplyKeyboard | None:
        """The reply keyboard shown under this person's input field in the private chat, if any."""
        return self.emu.keyboards.get(self.id)

    async def tap_key(self, label: str) -> Message:
        """Tap a reply-keyboard button: it sends its label, or this person's location (request_location) or own
        contact (request_contact), as Telegram does; a one-time keyboard then hides."""
        return self.emu.key_tapped(self, label)

    def block(self) -> None:
        self.blocked = True
        self.emu.membership_changed(self, self.chat(), "member", "kicked")

    def unblock(self) -> None:
        self.blocked = False
        self.emu.membership_changed(self, self.chat(), "kicked", "member")

    # --- reading ------------------------------------------------------------------------------------------------

    @property
    def last(self) -> Message | None:
        """The newest message the bot sent here, as it stands now."""
        mine = self.messages()
        return mine[-1] if mine else None

    def messages(self) -> list[Message]:
        return self.emu.messages_in(self.id)

    def texts(self) -> list[str]:
        return [m.plain for m in self.messages()]

    async def expect(self, contains: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> Message:
        """Wait for a message from the bot (new, or an edit) not seen by an earlier `expect`, containing `contains`."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            events = self.emu.events(self.id)
            for index in range(self._cursor, len(events)):
                event = events[index]
                if event.from_bot and not event.deleted and (contains is None or contains in event.plain):
                    self._cursor = index + 1
                    return event
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                recent = [e.plain[:120] for e in events[self._cursor:] if e.from_bot][-5:]
                raise AssertionError(f"{self.first_name}: no message containing {contains!r} within {timeout}s; "
                                     f"unread bot messages: {recent}")
            await self.emu.wait_event(remaining, chat_id=self.id)

    def _newest_with(self, label: str) -> Message | None:
        for message in reversed(self.messages()):
            button = message.button(label)
            if button is not None:
                return message
        return None
