"""The e2e harness: the real Application from bot/app.py, over HTTP, against the Bot API emulator (the fixtures
are in tests/e2e/conftest.py; a test that runs several bots, one per county, builds harnesses itself)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from telegram.ext import Application

from bot.app import build_application
from bot.emulator import Emulator
from bot.services import Services
from bot.settings import Settings
from handlers.telegram.webhook import WebhookServer
from tests.support import zhibu_here


@dataclass
class Harness:
    """A running bot and the emulator it talks to; `restart()` stops and starts the bot on the same database."""

    emu: Emulator
    settings: Settings
    clock: object
    folder: Path
    app: Application | None = None
    webhook: WebhookServer | None = None

    @property
    def svc(self) -> Services:
        return self.app.bot_data.svc

    async def start(self) -> None:
        self.app = build_application(self.settings, self.clock, poll_timeout=1)
        # The order run_polling uses: initialize, post_init, polling, start.
        await self.app.initialize()
        await self.app.post_init(self.app)
        if self.settings.webhook_url:
            await self.app.start()
            # bot/app.py's webhook order: listen, then register; the emulator plays the reverse proxy.
            self.webhook = WebhookServer(self.app, self.settings)
            await self.webhook.listen()
            self.emu.webhook_via = f"http://127.0.0.1:{self.webhook.port}"
            await self.webhook.register()
        else:
            await self.app.updater.start_polling(poll_interval=0, timeout=1)
            await self.app.start()
        self.emu.bot_busy = self.busy

    def busy(self) -> bool:
        """The bot is still working: an update queued or being handled, or a drain running (the emulator's `idle`
        asks this instead of waiting for a quiet spell)."""
        app = self.app
        if app is None:
            return False
        return (not app.update_queue.empty() or app.update_processor.current_concurrent_updates > 0
                or app.bot_data.drainer.busy)

    async def stop(self) -> None:
        if self.app is None:
            return
        self.emu.bot_busy = None
        if self.webhook is not None:
            await self.webhook.close()
            self.webhook = None
        if self.app.updater.running:
            await self.app.updater.stop()
        await self.app.stop()
        await self.app.post_stop(self.app) if self.app.post_stop else None
        await self.app.shutdown()
        await self.app.post_shutdown(self.app)
        self.app = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def drain(self):
        """Run the outbox drain now (the job queue also runs it every few seconds)."""
        return await self.app.bot_data.drainer.drain_now()

    async def cli(self, *args: str, process: bool = False) -> subprocess.CompletedProcess:
        """Run the real `zhibu` command line against the same database while the emulator keeps serving: its own
        `main` in a thread of this process (the same command without the interpreter's 1–2 s start-up), or, with
        `process=True`, as `python -m bot` in a process of its own."""
        env = {"ZHIBU_DB": str(self.settings.db), "ZHIBU_TOKEN": self.settings.token.get_secret_value(),
               "ZHIBU_API_BASE_URL": self.settings.api_base_url, "ZHIBU_API_FILE_URL": self.settings.api_file_url}
        if not process:
            return await asyncio.wait_for(asyncio.to_thread(zhibu_here, list(args), env, self.folder), 60)
        proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *args, env={**os.environ, **env},
                                                    cwd=self.folder, stdout=subprocess.PIPE,
                                                    stderr=subprocess.PIPE)
        out, err = await asyncio.wait_for(proc.communicate(), 60)
        return subprocess.CompletedProcess(args, proc.returncode, out.decode(), err.decode())
