"""The phone page: phones side by side, each a Telegram-like private chat acting through the /_emu/ control API.

`zhibu emulator` serves it with the emulator's own people; `zhibu demo` serves the same page with its branch's
people and adds its clock (bot/demo/web.py). The page reads who holds the phones from GET /_page/info.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

STATIC = Path(__file__).parent / "static"
PageInfo = Callable[[], dict[str, Any] | Awaitable[dict[str, Any]]]


def add_page_routes(app: web.Application, info: PageInfo) -> None:
    """`info()` (plain or async) names the page's people: {"title", "bot", "phones": [{id, name, title}],
    "visitor": {id, name} or None when the next visitor must be a new person}, and optionally "clock", "venue"."""

    async def index(request: web.Request) -> web.Response:
        return web.FileResponse(STATIC / "index.html")

    async def describe(request: web.Request) -> web.Response:
        described = info()
        if inspect.isawaitable(described):
            described = await described
        return web.json_response(described)

    app.router.add_get("/", index)
    app.router.add_get("/_page/info", describe)
    app.router.add_static("/static/", STATIC)
