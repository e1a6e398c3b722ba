"""Webhook mode: Telegram POSTs each update to ZHIBU_WEBHOOK_URL, a reverse proxy forwards it to
ZHIBU_WEBHOOK_LISTEN, and this small aiohttp server (aiohttp is already the bot's HTTP client) puts it on the
Application's update queue, as PTB's custom-webhook examples do — without PTB's tornado extra.

Every request must carry the secret (Telegram's `secret_token`, sent back in X-Telegram-Bot-Api-Secret-Token);
anything else is refused before its body is read. The webhook is left registered when the bot stops: Telegram keeps
the updates until the bot is back, as long polling does."""

from __future__ import annotations

import hmac
import json
import logging
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.settings import Settings

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1024 * 1024  # an update is a few kilobytes; Telegram never sends files inside one


class WebhookServer:
    """`await listen()` serves the webhook's path on the listen address; `await register()` tells the Bot API."""

    def __init__(self, app: Application, settings: Settings) -> None:
        self.app = app
        self.url = settings.require_webhook_url()
        self.secret = settings.require_webhook_secret()
        self.host, self.port = settings.webhook_address()
        self.path = urlsplit(self.url).path or "/"
        self._runner: web.AppRunner | None = None

    async def listen(self) -> None:
        server = web.Application(client_max_size=MAX_UPDATE_BYTES)
        server.router.add_post(self.path, self._receive)
        self._runner = web.AppRunner(server, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = self._runner.addresses[0][1]  # port 0 asks the system for a free one
        log.info("webhook: listening on %s:%s%s", self.host, self.port, self.path)

    async def register(self) -> None:
        await self.app.bot.set_webhook(self.url, secret_token=self.secret, allowed_updates=Update.ALL_TYPES,
                                       drop_pending_updates=False)
        log.info("webhook: registered %s", self.url)

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("webhook: a request without the right secret from %s refused", request.remote)
            return web.Response(status=403, text="Forbidden")
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, self.app.bot)
        except (ValueError, TypeError, KeyError):
            return web.Response(status=400, text="Bad Request")
        # Answered once queued: the update ids the bot has handled are stored, so one Telegram sends again (no
        # answer in time) is applied once.
        await self.app.update_queue.put(update)
        return web.Response(text="ok")
