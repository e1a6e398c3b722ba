"""What the emulator remembers: chats, messages (with every version), files, calls and planned failures."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any


class ApiError(Exception):
    """A Bot API refusal, answered as Telegram does: {"ok": false, "error_code", "description"}."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(text: str) -> ApiError:
    return ApiError(400, f"Bad Request: {text}")


@dataclass(frozen=True)
class Button:
    label: str
    data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class KeyButton:
    """A reply-keyboard button: tapping it sends its label, or the person's location or contact when it asks."""

    label: str
    request_location: bool = False
    request_contact: bool = False


@dataclass(frozen=True)
class ReplyKeyboard:
    """A ReplyKeyboardMarkup shown under the input field; no rows is ReplyKeyboardRemove."""

    rows: tuple[tuple[KeyButton, ...], ...] = ()
    one_time: bool = False
    resize: bool = False
    placeholder: str | None = None

    @property
    def removes(self) -> bool:
        return not self.rows

    def labels(self) -> list[str]:
        return [b.label for row in self.rows for b in row]

    def button(self, label: str) -> KeyButton | None:
        """The button labelled exactly so, else the only one containing it."""
        flat = [b for row in self.rows for b in row]
        exact = [b for b in flat if b.label == label]
        partial = [b for b in flat if label in b.label]
        return exact[0] if exact else partial[0] if len(partial) == 1 else None

    def as_dict(self) -> dict[str, Any]:
        if self.removes:
            return {"remove": True}
        return {"rows": [[{"label": b.label, "request_location": b.request_location,
                           "request_contact": b.request_contact} for b in row] for row in self.rows],
                "one_time": self.one_time, "resize": self.resize, "placeholder": self.placeholder}


REMOVE_KEYBOARD = ReplyKeyboard()


@dataclass(frozen=True)
class Message:
    """One version of a message as a person sees it. Edits make a new version with the same message_id."""

    chat_id: int
    message_id: int
    from_bot: bool
    sender_id: int
    kind: str  # text, photo, document, location, sticker, contact
    plain: str = ""
    html: str | None = None
    buttons: tuple[tuple[Button, ...], ...] = ()
    file_id: str | None = None
    file_name: str | None = None
    location: tuple[float, float] | None = None
    contact: tuple[str, str] | None = None  # (phone number, first name)
    emoji: str | None = None  # a sticker's emoji
    reply_keyboard: ReplyKeyboard | None = None  # the reply keyboard this message brought (None: left as it was)
    date: int = field(default_factory=lambda: int(time.time()))
    version: int = 0
    deleted: bool = False
    seq: int = 0  # position in the emulator's global event order (the demo page polls by it)

    @property
    def text(self) -> str:
        return self.plain

    def buttons_data(self) -> list[str]:
        return [b.data for row in self.buttons for b in row if b.data is not None]

    def labels(self) -> list[str]:
        return [b.label for row in self.buttons for b in row]

    def button(self, label: str) -> Button | None:
        """The button labelled exactly so, else so after an icon ("✅ 签到"), else the only one containing it."""
        flat = [b for row in self.buttons for b in row]
        exact = [b for b in flat if b.label == label] or [b for b in flat if b.label.split(maxsplit=1)[-1] == label]
        if exact:
            return exact[0]
        partial = [b for b in flat if label in b.label]
        return partial[0] if len(partial) == 1 else None

    def edited(self, **changes: Any) -> Message:
        return replace(self, version=self.version + 1, **changes)

    def as_dict(self) -> dict[str, Any]:
        """For the demo page."""
        return {
            "chat_id": self.chat_id, "message_id": self.message_id, "from_bot": self.from_bot,
            "sender_id": self.sender_id, "kind": self.kind, "text": self.plain, "html": self.html,
            "buttons": [[{"label": b.label, "data": b.data, "url": b.url} for b in row] for row in self.buttons],
            "file_id": self.file_id, "file_name": self.file_name, "location": self.location,
            "contact": self.contact, "emoji": self.emoji,
            "reply_keyboard": self.reply_keyboard.as_dict() if self.reply_keyboard else None, "date": self.date,
            "version": self.version, "deleted": self.deleted, "seq": self.seq,
        }


@dataclass
class StoredFile:
    file_id: str
    unique_id: str
    path: str
    content: bytes
    name: str | None = None
    mime: str | None = None


@dataclass(frozen=True)
class Call:
    """One Bot API request the bot made, with its decoded parameters and what the emulator answered."""

    method: str
    params: dict[str, Any]
    at: float
    ok: bool = True
    error_code: int | None = None
    description: str | None = None  # Telegram's words for a refusal


@dataclass
class Failure:
    """A Telegram error to return on demand, `times` times, for one method (and optionally one chat)."""

    method: str
    code: int
    description: str
    retry_after: int | None = None
    chat_id: int | None = None
    times: int = 1

    def matches(self, method: str, chat_id: Any) -> bool:
        if self.times <= 0 or self.method != method:
            return False
        return self.chat_id is None or str(self.chat_id) == str(chat_id)


@dataclass
class LostAnswer:
    """A call that takes effect (the message is delivered) but whose answer comes `delay` seconds late, or never
    when `reset` drops the connection: what a bot sees when Telegram's answer is lost in transit.
    `times` None means every matching call until `times` is set to 0."""

    method: str
    delay: float = 0.0
    reset: bool = False
    chat_id: int | None = None
    times: int | None = None

    def matches(self, method: str, chat_id: Any) -> bool:
        if self.times is not None and self.times <= 0 or self.method != method:
            return False
        return self.chat_id is None or str(self.chat_id) == str(chat_id)

    def use(self) -> None:
        if self.times is not None:
            self.times -= 1


@dataclass(frozen=True)
class Answer:
    """The bot's answerCallbackQuery: the toast a person sees after a tap."""

    text: str
    show_alert: bool = False


DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: message can't be sent",
    403: "Forbidden: bot was blocked by the user",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
}
