"""A JSON API under /_emu/ that lets a web page act as people: the demo's phones talk through it.

Loopback only, like the emulator itself; it is how `zhibu demo` shows the bot without Telegram.
"""

from __future__ import annotations

import asyncio
import struct
import zlib
from typing import Any

from aiohttp import web

from bot.emulator.model import Message
from bot.emulator.server import Emulator

WAIT_LIMIT = 25.0
DOCUMENT_LIMIT = 20 * 1024 * 1024  # a bot can download files up to 20 MB from Telegram


def add_control_routes(emu: Emulator) -> None:
    """Must be called before `emu.start()`."""
    routes = web.RouteTableDef()

    @routes.get("/_emu/state")
    async def state(request: web.Request) -> web.Response:
        return web.json_response({
            "bot": {"username": emu.bot_username, "name": emu.bot_name},
            "people": [{"id": p.id, "name": p.first_name, "blocked": p.blocked,
                        "keyboard": emu.keyboards[p.id].as_dict() if p.id in emu.keyboards else None}
                       for p in emu.people.values()],
            "groups": [{"id": g.id, "title": g.title} for g in emu.groups.values()],
        })

    @routes.get("/_emu/messages")
    async def messages(request: web.Request) -> web.Response:
        """Every message version after `after` (a seq); waits up to `wait` seconds for one to appear."""
        after = _number(request.query.get("after"), 0)
        wait = min(_number(request.query.get("wait"), 0), WAIT_LIMIT)
        found = emu.timeline(int(after))
        if not found and wait:
            await emu.wait_event(wait)
            found = emu.timeline(int(after))
        return web.json_response({"messages": [_shown(emu, m) for m in found], "keyboards": _keyboards(emu)})

    @routes.post("/_emu/send")
    async def send(request: web.Request) -> web.Response:
        body = await request.json()
        person = _person(emu, body)
        text = str(body.get("text") or "").strip()
        if not text:
            raise web.HTTPBadRequest(text="empty message")
        chat_id = int(body.get("chat_id") or person.id)
        if chat_id != person.id and chat_id not in emu.groups:
            raise web.HTTPNotFound(text="no such chat")
        message = emu.user_message(person, chat_id, kind="text", text=text)
        return web.json_response(_shown(emu, message))

    @routes.post("/_emu/press")
    async def press(request: web.Request) -> web.Response:
        body = await request.json()
        person = _person(emu, body)
        future = emu.callback_query(person, person.id, int(body["message_id"]), str(body["data"]))
        try:
            answer = await asyncio.wait_for(future, 15)
        except TimeoutError:
            return web.json_response({"answered": False, "text": ""})
        return web.json_response({"answered": True, "text": answer.text, "show_alert": answer.show_alert})

    @routes.post("/_emu/photo")
    async def photo(request: web.Request) -> web.Response:
        body = await request.json()
        person = _person(emu, body)
        message = emu.user_message(person, person.id, kind="photo", text=str(body.get("caption") or ""),
                                   content=sample_photo())
        return web.json_response(_shown(emu, message))

    @routes.post("/_emu/document")
    async def document(request: web.Request) -> web.Response:
        """A file from the page's 📎 (the body is the file; its name and type in the query)."""
        person = _person(emu, dict(request.query))
        name = str(request.query.get("name") or "").strip()[:255] or "file"
        if request.content_length is not None and request.content_length > DOCUMENT_LIMIT:
            raise web.HTTPRequestEntityTooLarge(max_size=DOCUMENT_LIMIT, actual_size=request.content_length)
        content = await request.read()
        if not content:
            raise web.HTTPBadRequest(text="empty file")
        if len(content) > DOCUMENT_LIMIT:
            raise web.HTTPRequestEntityTooLarge(max_size=DOCUMENT_LIMIT, actual_size=len(content))
        mime = str(request.query.get("type") or "") or "application/octet-stream"
        message = emu.user_message(person, person.id, kind="document", content=content, file_name=name, mime=mime)
        return web.json_response(_shown(emu, message))

    @routes.post("/_emu/location")
    async def location(request: web.Request) -> web.Response:
        body = await request.json()
        person = _person(emu, body)
        point = (float(body["latitude"]), float(body["longitude"]))
        message = emu.user_message(person, person.id, kind="location", location=point)
        return web.json_response(_shown(emu, message))

    @routes.post("/_emu/key")
    async def key(request: web.Request) -> web.Response:
        """A tap on the reply keyboard under the input: its label, or (request_location) the given location."""
        body = await request.json()
        person = _person(emu, body)
        point = (float(body["latitude"]), float(body["longitude"])) if "latitude" in body else None
        try:
            message = emu.key_tapped(person, str(body.get("label") or ""), location=point)
        except AssertionError as refused:
            raise web.HTTPConflict(text=str(refused)) from None
        keyboard = emu.keyboards.get(person.id)
        return web.json_response({"message": _shown(emu, message),
                                  "keyboard": keyboard.as_dict() if keyboard else None})

    @routes.post("/_emu/user")
    async def new_user(request: web.Request) -> web.Response:
        """A new person arrives (a visitor trying to join)."""
        body = await request.json()
        name = str(body.get("name") or "")[:64]
        person = emu.user(int(body["user_id"]), name) if body.get("user_id") else emu.new_person(name)
        return web.json_response({"id": person.id, "name": person.first_name})

    @routes.get("/_emu/commands/{user_id}")
    async def commands(request: web.Request) -> web.Response:
        return web.json_response(emu.commands_for(int(request.match_info["user_id"])))

    @routes.get("/_emu/file/{file_id}")
    async def file(request: web.Request) -> web.Response:
        stored = emu.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound()
        headers = {}
        if stored.name:
            headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(stored.name)}"
        return web.Response(body=stored.content, content_type=stored.mime or _guess(stored.path), headers=headers)

    emu.app.add_routes(routes)


def _keyboards(emu: Emulator) -> dict[str, Any]:
    """The reply keyboard each person's private chat shows now (a one-time one is gone once tapped)."""
    return {str(chat_id): keyboard.as_dict() for chat_id, keyboard in emu.keyboards.items() if chat_id > 0}


def _shown(emu: Emulator, message: Message) -> dict[str, Any]:
    data = message.as_dict()
    if message.file_id and message.file_id in emu.files:
        data["file_url"] = f"/_emu/file/{message.file_id}"
    return data


def _person(emu: Emulator, body: dict[str, Any]):
    try:
        user_id = int(body["user_id"])
    except (KeyError, TypeError, ValueError):
        raise web.HTTPBadRequest(text="user_id is required") from None
    if user_id not in emu.people:
        raise web.HTTPNotFound(text="no such person")
    return emu.people[user_id]


def _number(text: str | None, default: float) -> float:
    try:
        return float(text) if text is not None else default
    except ValueError:
        return default


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def _guess(path: str) -> str:
    return "image/png" if path.endswith(".png") else "application/octet-stream"


def sample_photo(width: int = 320, height: int = 200) -> bytes:
    """A small PNG (a red banner over a warm gradient) standing in for a photo from a phone."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            if 20 <= y < 60:
                row += bytes((200, 16, 46))
            else:
                row += bytes((240 - y // 4, 200 - x // 4, 150 + x // 8))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
