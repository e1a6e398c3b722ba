"""Waiting for Ctrl-C or SIGTERM in the long-running commands that are not `zhibu run` (demo, emulator)."""

from __future__ import annotations

import asyncio
import signal


async def until_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
