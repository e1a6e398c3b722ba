"""The Bot API emulator: an aiohttp server on loopback that a real python-telegram-bot Application talks to.

It keeps the state Telegram keeps (chats, messages, files, pending updates, command menus) and lets tests and the
demo page act as people. Requests and answers are Telegram-shaped, errors included, so the bot under test
cannot tell the difference for the methods it uses.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from aiohttp import web

from bot.emulator import methods, polls
from bot.emulator.model import (
    DEFAULT_DESCRIPTIONS,
    Answer,
    ApiError,
    Call,
    Failure,
    LostAnswer,
    Message,
    ReplyKeyboard,
    StoredFile,
)
from bot.emulator.people import Group, Person
from bot.emulator.ratelimit import FloodControl
from bot.emulator.webhook import Webhook

log = logging.getLogger(__name__)

# Parameters PTB sends JSON-encoded inside form data.
JSON_PARAMS = {
    "reply_markup", "commands", "scope", "media", "entities", "caption_entities", "link_preview_options",
    "allowed_updates", "reply_parameters", "menu_button", "options", "correct_option_ids", "explanation_entities",
    "question_entities",
}
# 1×1 transparent PNG: what a person's "photo" is when a test does not bring one.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class Upload:
    """A file part of a multipart request."""

    def __init__(self, name: str | None, mime: str | None, content: bytes) -> None:
        self.name, self.mime, self.content = name, mime, content


class Emulator:
    """`async with Emulator() as emu:` serves the Bot API at `emu.base_url` until the block ends."""

    def __init__(self, token: str = "123456:TEST-TOKEN", bot_username: str = "zhibu_bot", *,
                 host: str = "127.0.0.1", port: int = 0, rate_limit: bool = False,
                 bot_name: str = "支部助手", new_tokens: bool = False, server: Emulator | None = None) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_name = bot_name
        self.host = host
        self.port = port
        self.flood = FloodControl() if rate_limit else None
        self.stats: Counter[str] = Counter()
        self.calls: list[Call] = []
        self.failures: list[Failure] = []
        self.lost_answers: list[LostAnswer] = []
        self.people: dict[int, Person] = {}
        self.groups: dict[int, Group] = {}
        self.files: dict[str, StoredFile] = {}
        self.polls: dict[str, polls.Poll] = {}  # by poll id
        self.commands: dict[tuple, list[dict[str, str]]] = {}
        self.answers: dict[str, Answer] = {}
        self.keyboards: dict[int, ReplyKeyboard] = {}  # the reply keyboard each chat shows under its input field
        self.record_calls = True
        self._messages: dict[int, dict[int, Message]] = {}
        self._events: dict[int, list[Message]] = {}
        self._timeline: list[Message] = []
        self._message_ids: dict[int, itertools.count] = {}
        self._seq = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._updates: list[dict[str, Any]] = []
        self._history: dict[int, dict[str, Any]] = {}  # every update ever pushed, by update_id
        self._again: list[dict[str, Any]] = []  # updates to deliver once more (see `redeliver`)
        self._next_update_id = 1
        self._delivered_upto = 0
        self._poll_generation = 0
        self._pending_answers: dict[str, asyncio.Future] = {}
        self._inflight = 0
        self._polls_waiting = 0  # getUpdates calls waiting with nothing to give: the bot has queued all it took
        self._last_activity = time.monotonic()
        # Set by whoever runs the bot in this process (the e2e harness): True while the bot is still working on
        # something (an update being handled, a drain). Lets `idle` know instead of waiting for a quiet spell.
        self.bot_busy: Callable[[], bool] | None = None
        self.webhook: Webhook | None = None  # set by setWebhook: updates are posted, getUpdates is refused
        self.webhook_via: str | None = None  # the reverse proxy's local address (see bot/emulator/webhook.py)
        self._changed: asyncio.Future | None = None
        self._chat_changed: dict[int, asyncio.Future] = {}
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        # Several bots on one server, each its own token, username, chats, updates and flood limits (see
        # bot/emulator/bots.py): `server` is the emulator that owns the HTTP server, `bots` every bot it serves.
        self.server: Emulator = server or self
        self.bots: dict[str, Emulator] = self.server.bots if server is not None else {token: self}
        self.new_tokens = new_tokens  # a token never seen before becomes a bot of its own on first use
        self.app = web.Application(client_max_size=60 * 1024 * 1024)
        self.app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self.app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self.extra_routes: list[Any] = []

    # --- lifecycle ----------------------------------------------------------------------------------------------

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        self._changed = asyncio.get_running_loop().create_future()
        if self.server is not self:
            return  # served by the server's HTTP server
        self._runner = web.AppRunner(self.app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self.server is self:
            for other in [b for b in self.bots.values() if b is not self]:
                await other.stop()
        await self.set_webhook(None)
        self._poll_generation += 1
        self._closing.set()  # late answers still waiting go out now, so the server can close
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def root_url(self) -> str:
        return f"http://{self.server.host}:{self.server.port}"

    def add_bot(self, token: str, bot_username: str | None = None, bot_name: str | None = None) -> Emulator:
        """Another bot on this server (or the one already there with this token): its own username, chats,
        pending updates and flood limits, as each token is on Telegram. Started with the server, or now."""
        from bot.emulator.bots import add_bot

        return add_bot(self.server, token, bot_username, bot_name)

    def bot(self, token: str) -> Emulator | None:
        """The bot with this token: known, or made now when the server takes new tokens."""
        from bot.emulator.bots import bot_for

        return bot_for(self.server, token)

    @property
    def base_url(self) -> str:
        """PTB's `base_url`: the token is appended to it."""
        return f"{self.root_url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.root_url}/file/bot"

    # --- people -------------------------------------------------------------------------------------------------

    def user(self, user_id: int, first_name: str = "", username: str | None = None) -> Person:
        """The person with this Telegram id (created on first use)."""
        person = self.people.get(user_id)
        if person is None:
            person = self.people[user_id] = Person(self, user_id, first_name or f"用户{user_id}", username)
        return person

    def new_person(self, first_name: str = "") -> Person:
        """Someone new, with a Telegram id nobody here has used."""
        return self.user(max([p.id for p in self.people.values()] + [5000]) + 1, first_name)

    def group(self, group_id: int, title: str, added_by: Person | None = None) -> Group:
        """A group with the bot in it; `added_by` makes Telegram tell the bot it was added."""
        group = self.groups.get(group_id)
        if group is None:
            group = self.groups[group_id] = Group(self, group_id, title)
            if added_by is not None:
                self.membership_changed(added_by, group.chat(), "left", "member")
        return group

    def bot_user(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": self.bot_name, "username": self.bot_username}

    def chat_dict(self, chat_id: int) -> dict[str, Any]:
        if chat_id in self.people:
            return self.people[chat_id].chat()
        if chat_id in self.groups:
            return self.groups[chat_id].chat()
        raise ApiError(400, "Bad Request: chat not found")

    def reachable(self, chat_id: Any) -> int:
        """The numeric chat id the bot may write to, or Telegram's refusal."""
        try:
            number = int(chat_id)
        except (TypeError, ValueError):
            raise ApiError(400, "Bad Request: chat not found") from None
        self.chat_dict(number)
        person = self.people.get(number)
        if person is not None and person.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return number

    # --- messages -----------------------------------------------------------------------------------------------

    def _record(self, message: Message) -> Message:
        message = replace(message, seq=next(self._seq))
        self._messages.setdefault(message.chat_id, {})[message.message_id] = message
        self._events.setdefault(message.chat_id, []).append(message)
        self._timeline.append(message)
        self._notify(message.chat_id)
        return message

    def new_message(self, chat_id: int, *, from_bot: bool, sender_id: int, kind: str, **fields: Any) -> Message:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        keyboard = fields.get("reply_keyboard")
        if keyboard is not None:
            self._show_keyboard(chat_id, keyboard)
        return self._record(Message(chat_id=chat_id, message_id=next(counter), from_bot=from_bot,
                                    sender_id=sender_id, kind=kind, **fields))

    def _show_keyboard(self, chat_id: int, keyboard: ReplyKeyboard | None) -> None:
        if keyboard is None or keyboard.removes:
            self.keyboards.pop(chat_id, None)
        else:
            self.keyboards[chat_id] = keyboard

    def replace_message(self, message: Message, **changes: Any) -> Message:
        return self._record(message.edited(**changes))

    def current(self, chat_id: int, message_id: int) -> Message | None:
        return self._messages.get(chat_id, {}).get(message_id)

    def events(self, chat_id: int) -> list[Message]:
        return self._events.get(chat_id, [])

    def messages_in(self, chat_id: int) -> list[Message]:
        """What the bot has sent to this chat, each message as it stands now."""
        return [m for m in self._messages.get(chat_id, {}).values() if m.from_bot and not m.deleted]

    def timeline(self, after: int = 0) -> list[Message]:
        """Every message version since `after` (a seq), across chats: what the demo page polls."""
        return [m for m in self._timeline if m.seq > after]

    def _notify(self, chat_id: int | None = None) -> None:
        """Wake whoever waits for any change, and those who wait for this chat only (people in tests)."""
        loop = asyncio.get_running_loop()
        if self._changed is not None and not self._changed.done():
            self._changed.set_result(None)
            self._changed = loop.create_future()
        waiting = self._chat_changed.pop(chat_id, None) if chat_id is not None else None
        if waiting is not None and not waiting.done():
            waiting.set_result(None)

    async def wait_event(self, timeout: float, chat_id: int | None = None) -> None:
        """Sleep until something changes (in `chat_id`, if given) or `timeout` passes."""
        if self._changed is None:
            return
        if chat_id is None:
            future = self._changed
        else:
            future = self._chat_changed.get(chat_id)
            if future is None or future.done():
                future = self._chat_changed[chat_id] = asyncio.get_running_loop().create_future()
        try:
            await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError:
            pass

    # --- updates to the bot -------------------------------------------------------------------------------------

    def push_update(self, kind: str, payload: dict[str, Any]) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        update = {"update_id": update_id, kind: payload}
        self._updates.append(update)
        self._history[update_id] = update
        self._last_activity = time.monotonic()
        self._notify()
        return update_id

    @property
    def last_update_id(self) -> int:
        """The update_id of the newest update pushed to the bot (0 before the first)."""
        return self._next_update_id - 1

    def redeliver(self, update_id: int) -> None:
        """Deliver this update, same update_id, once more after the bot has confirmed it: what Telegram does when
        a bot's offset was not confirmed before it stopped, or when two pollers overlap."""
        if update_id not in self._history:
            raise KeyError(f"no update {update_id} was ever pushed")
        self._again.append(dict(self._history[update_id]))
        self._notify()

    def _due_again(self) -> list[dict[str, Any]]:
        """Redeliveries whose original the bot has already fetched and confirmed."""
        pending = {u["update_id"] for u in self._updates}
        return [u for u in self._again if u["update_id"] <= self._delivered_upto and u["update_id"] not in pending]

    def message_dict(self, message: Message) -> dict[str, Any]:
        sender = self.bot_user() if message.from_bot else self.people[message.sender_id].as_user()
        data: dict[str, Any] = {"message_id": message.message_id, "date": message.date,
                                "chat": self.chat_dict(message.chat_id), "from": sender}
        if message.version:
            data["edit_date"] = int(time.time())
        if message.forwarded_from is not None:
            data["forward_origin"] = {"type": "user", "date": message.date,
                                      "sender_user": self.people[message.forwarded_from].as_user()}
        if message.kind == "text":
            data["text"] = message.plain
            if message.plain.startswith("/"):
                command = message.plain.split(maxsplit=1)[0]
                data["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        elif message.kind in ("photo", "document"):
            stored = self.files[message.file_id]
            if message.kind == "photo":
                data["photo"] = [{"file_id": stored.file_id, "file_unique_id": stored.unique_id,
                                  "width": 800, "height": 600, "file_size": len(stored.content)}]
            else:
                data["document"] = {"file_id": stored.file_id, "file_unique_id": stored.unique_id,
                                    "file_name": stored.name or "file", "mime_type": stored.mime or
                                    "application/octet-stream", "file_size": len(stored.content)}
            if message.plain:
                data["caption"] = message.plain
        elif message.kind == "poll":
            data["poll"] = self.polls[message.poll_id].as_dict()
        elif message.kind == "location":
            data["location"] = {"latitude": message.location[0], "longitude": message.location[1]}
        elif message.kind == "sticker":
            stored = self.files[message.file_id]
            data["sticker"] = {"file_id": stored.file_id, "file_unique_id": stored.unique_id, "type": "regular",
                               "width": 512, "height": 512, "is_animated": False, "is_video": False,
                               "emoji": message.emoji or "👍", "file_size": len(stored.content)}
        elif message.kind == "contact":
            phone, first_name = message.contact
            data["contact"] = {"phone_number": phone, "first_name": first_name}
            if message.sender_id in self.people and self.people[message.sender_id].phone == phone:
                data["contact"]["user_id"] = message.sender_id  # sharing one's own contact
        if message.buttons:
            data["reply_markup"] = {"inline_keyboard": [
                [{"text": b.label, **({"callback_data": b.data} if b.data else {"url": b.url})} for b in row]
                for row in message.buttons
            ]}
        return data

    def user_message(self, person: Person, chat_id: int, *, kind: str, text: str = "",
                     content: bytes | None = None, file_name: str | None = None, mime: str | None = None,
                     location: tuple[float, float] | None = None, contact: tuple[str, str] | None = None,
                     emoji: str | None = None, forwarded_from: int | None = None) -> Message:
        if person.blocked and chat_id == person.id:
            person.unblock()  # writing to a bot you blocked means pressing "restart" first
        file_id = None
        if kind == "photo":
            file_id = self.store_file(content or TINY_PNG, "photos", "photo.png", "image/png").file_id
        elif kind == "document":
            file_id = self.store_file(content or b"", "documents", file_name, mime).file_id
        elif kind == "sticker":
            file_id = self.store_file(content or TINY_PNG, "stickers", "sticker.webp", "image/webp").file_id
        message = self.new_message(chat_id, from_bot=False, sender_id=person.id, kind=kind, plain=text,
                                   file_id=file_id, file_name=file_name, location=location, contact=contact,
                                   emoji=emoji, forwarded_from=forwarded_from)
        # Privacy mode: in groups a bot only hears commands.
        if chat_id > 0 or text.startswith("/"):
            self.push_update("message", self.message_dict(message))
        return message

    def key_tapped(self, person: Person, label: str, location: tuple[float, float] | None = None) -> Message:
        """A tap on a reply-keyboard button in the person's private chat (see Person.tap_key)."""
        keyboard = self.keyboards.get(person.id)
        button = keyboard.button(label) if keyboard else None
        if button is None:
            raise AssertionError(f"{person.first_name}: no reply-keyboard button {label!r}: "
                                 f"{keyboard.labels() if keyboard else 'no keyboard shown'}")
        if keyboard.one_time:
            self.keyboards.pop(person.id, None)
        if button.request_location:
            return self.user_message(person, person.id, kind="location", location=location or person.location)
        if button.request_contact:
            return self.user_message(person, person.id, kind="contact", contact=(person.phone, person.first_name))
        return self.user_message(person, person.id, kind="text", text=button.label)

    def user_edit(self, person: Person, message: Message, text: str) -> Message:
        """The person edits a text (or caption) they sent earlier: the bot gets an `edited_message` update."""
        current = self.current(message.chat_id, message.message_id)
        if current is None or current.from_bot or current.sender_id != person.id or current.deleted:
            raise AssertionError(f"{person.first_name}: message {message.message_id} is not theirs to edit")
        if current.kind not in ("text", "photo", "document") or current.kind == "text" and not text.strip():
            raise AssertionError(f"{person.first_name}: Telegram cannot edit that into {text!r}")
        edited = self.replace_message(current, plain=text)
        if edited.chat_id > 0 or text.startswith("/"):
            self.push_update("edited_message", self.message_dict(edited))
        return edited

    def callback_query(self, person: Person, chat_id: int | None, message_id: int | None, data: str, *,
                       inline_message_id: str | None = None) -> asyncio.Future:
        """A tap on a callback button. A button under an inline-mode message comes with `inline_message_id` and
        no `message`, as Telegram sends it. Telegram carries 1–64 bytes of data, so a test cannot send more."""
        if not 1 <= len(data.encode()) <= 64:
            raise ValueError(f"callback data must be 1-64 bytes, not {len(data.encode())}")
        query_id = str(next(self._query_ids))
        future = asyncio.get_running_loop().create_future()
        self._pending_answers[query_id] = future
        query: dict[str, Any] = {"id": query_id, "from": person.as_user(), "data": data}
        if inline_message_id is not None:
            query.update(inline_message_id=inline_message_id, chat_instance=f"i{inline_message_id}")
        else:
            message = self.current(chat_id, message_id)
            if message is not None:
                shown = self.message_dict(message)
            else:  # Telegram sends an "inaccessible message" stub for messages it no longer has
                shown = {"chat": self.chat_dict(chat_id), "message_id": message_id, "date": 0}
            query.update(message=shown, chat_instance=str(chat_id))
        self.push_update("callback_query", query)
        return future

    def answer_query(self, query_id: str, text: str, show_alert: bool) -> None:
        future = self._pending_answers.pop(query_id, None)
        if future is None:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        answer = Answer(text, show_alert)
        self.answers[query_id] = answer
        if not future.done():
            future.set_result(answer)
        self._notify()

    def membership_changed(self, person: Person, chat: dict[str, Any], old: str, new: str) -> None:
        def member(status: str) -> dict[str, Any]:
            shown: dict[str, Any] = {"status": status, "user": self.bot_user()}
            if status == "kicked":
                shown["until_date"] = 0
            return shown

        self.push_update("my_chat_member", {"chat": chat, "from": person.as_user(), "date": int(time.time()),
                                            "old_chat_member": member(old), "new_chat_member": member(new)})

    def take_all_updates(self) -> None:
        """deleteWebhook(drop_pending_updates): forget what the bot has not fetched."""
        self._delivered_upto = self._next_update_id - 1
        self._updates.clear()
        self._again.clear()

    def pending_update_count(self) -> int:
        return len(self._updates) + len(self._again)

    async def set_webhook(self, webhook: Webhook | None) -> None:
        """setWebhook / deleteWebhook: the old webhook's delivery stops, the new one's starts."""
        if self.webhook is not None:
            await self.webhook.stop()
        self.webhook = webhook
        if webhook is not None:
            webhook.start()
            self._poll_generation += 1
            self._notify()  # a poll still waiting ends with 409

    def next_update(self) -> dict[str, Any] | None:
        """The update a webhook posts next: the oldest not yet accepted."""
        ready = self._due_again() + self._updates
        return ready[0] if ready else None

    def confirm_update(self, update: dict[str, Any]) -> None:
        """The webhook answered 2xx: the update is the bot's."""
        self._again = [u for u in self._again if u is not update]
        self._updates = [u for u in self._updates if u is not update]
        self._delivered_upto = max(self._delivered_upto, update["update_id"])
        self._last_activity = time.monotonic()

    async def take_updates(self, offset: int | None, limit: int, timeout: float,
                           allowed: list[str] | None) -> list[dict[str, Any]]:
        """getUpdates: confirm everything below `offset`, then return what is pending, waiting up to `timeout`."""
        if self.webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # an older poll still waiting ends with 409, as on Telegram
        if offset is not None:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        while True:
            ready = [u for u in self._due_again() + self._updates
                     if allowed is None or not allowed or any(k in u for k in allowed)]
            if ready:
                batch = ready[:limit]
                self._again = [u for u in self._again if not any(u is b for b in batch)]
                self._delivered_upto = max([self._delivered_upto] + [u["update_id"] for u in batch])
                self._last_activity = time.monotonic()
                return batch
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            self._polls_waiting += 1
            try:
                await self.wait_event(remaining)
            finally:
                self._polls_waiting -= 1
            if generation != self._poll_generation:
                raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                    "make sure that only one bot instance is running")

    def all_updates_taken(self) -> bool:
        """Every update pushed so far is in the bot's hands: fetched, and the bot is polling again, which PTB does
        only after putting the batch it got into its update queue."""
        if self.webhook is not None:
            return (not self.webhook.delivering and self._delivered_upto >= self._next_update_id - 1
                    and not self._again)
        return self._polls_waiting > 0 and self._delivered_upto >= self._next_update_id - 1 and not self._again

    async def idle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until the bot has fetched every update and made no request for `quiet` seconds.

        When `bot_busy` is set, there is no quiet spell to wait out: idle is when every update is in the bot's
        hands, no request is in flight and `bot_busy()` is False, three checks running (a task the bot has just
        created has started by the second)."""
        deadline = time.monotonic() + timeout
        if self.bot_busy is not None:
            await self._settled(deadline, timeout)
            return
        while time.monotonic() < deadline:
            fetched = self._delivered_upto >= self._next_update_id - 1 and not self._again
            calm = time.monotonic() - self._last_activity >= quiet
            if fetched and calm and self._inflight == 0:
                return
            await asyncio.sleep(quiet / 3)
        raise AssertionError(f"the bot was still busy after {timeout}s")

    async def _settled(self, deadline: float, timeout: float) -> None:
        calm = 0
        while time.monotonic() < deadline:
            if self.all_updates_taken() and self._inflight == 0 and not self.bot_busy():
                calm += 1
                if calm == 3:
                    return
            else:
                calm = 0
            await asyncio.sleep(0.002)
        raise AssertionError(f"the bot was still busy after {timeout}s")

    # --- files --------------------------------------------------------------------------------------------------

    def store_file(self, content: bytes, folder: str, name: str | None, mime: str | None) -> StoredFile:
        number = next(self._file_ids)
        suffix = "." + name.rsplit(".", 1)[1] if name and "." in name else ""
        stored = StoredFile(file_id=f"EMU{number:08d}{'P' if folder == 'photos' else 'D'}", unique_id=f"U{number}",
                            path=f"{folder}/file_{number}{suffix}", content=content, name=name, mime=mime)
        self.files[stored.file_id] = stored
        return stored

    def file(self, file_id: str) -> StoredFile:
        stored = self.files.get(file_id)
        if stored is None:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        return stored

    def file_by_path(self, path: str) -> StoredFile | None:
        return next((f for f in self.files.values() if f.path == path), None)

    # --- commands -----------------------------------------------------------------------------------------------

    def commands_for(self, user_id: int) -> list[dict[str, str]]:
        """The menu this person sees in their private chat, resolved as Telegram resolves scopes."""
        for key in (("chat", user_id), ("all_private_chats", None), ("default", None)):
            if key in self.commands:
                return self.commands[key]
        return []

    # --- failures on demand -------------------------------------------------------------------------------------

    def fail(self, method: str, code: int, *, retry_after: int | None = None, chat_id: int | None = None,
             times: int = 1, description: str | None = None) -> Failure:
        """The next `times` calls of `method` (to `chat_id`, if given) get Telegram's error `code`."""
        text = description or DEFAULT_DESCRIPTIONS.get(code, "Error").format(retry_after=retry_after)
        failure = Failure(method, code, text, retry_after if code == 429 else None, chat_id, times)
        self.failures.append(failure)
        return failure

    def slow(self, method: str, seconds: float, *, chat_id: int | None = None,
             times: int | None = None) -> LostAnswer:
        """Calls of `method` take effect at once but answer `seconds` later (every call, or the next `times`):
        a client with a shorter read timeout gives up on a message that was in fact delivered."""
        return self._lose(LostAnswer(method, delay=seconds, chat_id=chat_id, times=times))

    def reset(self, method: str, *, chat_id: int | None = None, times: int | None = 1,
              after: float = 0.0) -> LostAnswer:
        """Calls of `method` take effect, then the connection drops (after `after` seconds) with no answer."""
        return self._lose(LostAnswer(method, delay=after, reset=True, chat_id=chat_id, times=times))

    def _lose(self, lost: LostAnswer) -> LostAnswer:
        self.lost_answers.append(lost)
        return lost

    def _planned_loss(self, method: str, params: dict[str, Any]) -> LostAnswer | None:
        for lost in self.lost_answers:
            if lost.matches(method, params.get("chat_id")):
                lost.use()
                return lost
        return None

    async def _hold_answer(self, seconds: float) -> None:
        """Wait `seconds`, or less when the emulator stops."""
        if seconds > 0 and not self._closing.is_set():
            try:
                await asyncio.wait_for(self._closing.wait(), seconds)
            except TimeoutError:
                pass

    def _planned_failure(self, method: str, params: dict[str, Any]) -> ApiError | None:
        for failure in self.failures:
            if failure.matches(method, params.get("chat_id")):
                failure.times -= 1
                return ApiError(failure.code, failure.description, failure.retry_after)
        return None

    def flood_check(self, chat_id: int, params: dict[str, Any] | None = None) -> None:
        """Telegram's flood limits (when on). A send with allow_paid_broadcast is counted as paid (0.1 Star each,
        in stats["paid"]) and limited to 1,000 a second instead of 30."""
        paid = str((params or {}).get("allow_paid_broadcast", "")).lower() in ("true", "1")
        if paid:
            self.stats["paid"] += 1
        if self.flood is None:
            return
        retry_after = self.flood.check(chat_id, paid=paid)
        if retry_after is not None:
            self.stats["429"] += 1
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    # --- HTTP ---------------------------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        target = self.bot(request.match_info["token"])
        if target is None:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        return await target._answer(request)

    async def _answer(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        handler = methods.lookup(name)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        method = handler.__name__
        params = await _read_params(request)
        polling = method == "getUpdates"
        if not polling:
            self._inflight += 1
            self._last_activity = time.monotonic()
        lost: LostAnswer | None = None
        try:
            planned = None if polling else self._planned_failure(method, params)
            if planned is not None:
                raise planned
            result = await handler(self, params)
            lost = None if polling else self._planned_loss(method, params)
            if lost is not None:
                self._log_call(method, params)  # it happened; only the answer is late or lost
                await self._hold_answer(lost.delay)
                if lost.reset and request.transport is not None:
                    request.transport.abort()
                    raise web.HTTPServiceUnavailable()  # never reaches the client: the connection is gone
        except ApiError as error:
            self._log_call(method, params, ok=False, code=error.code, description=error.description)
            return web.json_response(error.body(), status=error.code)
        finally:
            if not polling:
                self._inflight -= 1
                self._last_activity = time.monotonic()
        if lost is None:
            self._log_call(method, params)
        return web.json_response({"ok": True, "result": result}, dumps=_dumps)

    def _log_call(self, method: str, params: dict[str, Any], ok: bool = True, code: int | None = None,
                  description: str | None = None) -> None:
        self.stats[method] += 1
        if self.record_calls:
            shown = {k: ("<file>" if isinstance(v, Upload) else v) for k, v in params.items()}
            self.calls.append(Call(method, shown, time.time(), ok, code, description))

    async def _download(self, request: web.Request) -> web.Response:
        target = self.bot(request.match_info["token"])
        if target is None:
            return web.Response(status=401, text="Unauthorized")
        stored = target.file_by_path(request.match_info["path"])
        if stored is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=stored.content, content_type=stored.mime or "application/octet-stream")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Form (urlencoded or multipart, as PTB sends), JSON body or query string, decoded to Python values."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.json() if request.can_read_body else {}
        params.update(body)
        return params
    form = await request.post()
    for key, value in form.items():
        if hasattr(value, "file"):
            params[key] = Upload(value.filename, value.content_type, value.file.read())
        elif key in JSON_PARAMS:
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
        else:
            params[key] = value
    return params
