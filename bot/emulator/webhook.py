"""setWebhook on the emulator: updates are POSTed, one at a time and in order, to the bot's address, with the
secret in X-Telegram-Bot-Api-Secret-Token, as Telegram does; an answer other than 2xx (or none) leaves the update
pending and it is sent again after a pause, its error shown in getWebhookInfo.

Telegram posts only to public HTTPS addresses; on one machine the emulator also plays the office's reverse proxy:
`Emulator.webhook_via` (e.g. http://127.0.0.1:8443) replaces the scheme and host of the registered URL."""

from __future__ import annotations

import asyncio
import re
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import aiohttp

if TYPE_CHECKING:
    from bot.emulator.server import Emulator

SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
RETRY_PAUSE = 0.2  # seconds; Telegram waits longer, but a test should not


class Webhook:
    """One registered webhook and the task that delivers to it."""

    def __init__(self, emu: Emulator, url: str, secret: str | None) -> None:
        self.emu, self.url, self.secret = emu, url, secret
        self.delivering = False
        self.last_error: tuple[int, str] | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._deliver_all(), name="emulator-webhook")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    def target(self) -> str:
        if self.emu.webhook_via is None:
            return self.url
        parts = urlsplit(self.url)
        return self.emu.webhook_via.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")

    def info(self) -> dict[str, Any]:
        info: dict[str, Any] = {"url": self.url, "has_custom_certificate": False,
                                "pending_update_count": self.emu.pending_update_count(), "max_connections": 1}
        if self.last_error is not None:
            info["last_error_date"], info["last_error_message"] = self.last_error
        return info

    async def _deliver_all(self) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.secret} if self.secret else {}
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
            while True:
                update = self.emu.next_update()
                if update is None:
                    await self.emu.wait_event(1.0)
                    continue
                self.delivering = True
                try:
                    error = await self._post(session, update, headers)
                finally:
                    self.delivering = False
                if error is None:
                    self.emu.confirm_update(update)
                else:
                    self.last_error = (int(time.time()), error)
                    await asyncio.sleep(RETRY_PAUSE)

    async def _post(self, session: aiohttp.ClientSession, update: dict[str, Any],
                    headers: dict[str, str]) -> str | None:
        try:
            async with session.post(self.target(), json=update, headers=headers) as response:
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            return f"Connection failed: {exc.__class__.__name__}"


def check_url(url: str) -> str | None:
    """Telegram's refusal of a webhook address, or None."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
    if parts.port not in (None, 443, 80, 88, 8443):
        return "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
    return None
