"""`zhibu bench http`: the same burst as `zhibu bench updates`, to zhibu over httpx (PTB's default client) and to
zhibu over aiohttp (ZHIBU_HTTP_CLIENT=aiohttp), in pairs whose order alternates.

Both run unpaced by default (ZHIBU_SEND_RATE=0): with Telegram's 30 msg/s pacing both would wait for the same send
slots and the client's cost would not show. The bot's CPU time per update is printed beside the rates: the emulator
shares the machine's two cores with the bot, so the CPU figure is the steadier of the two.
"""

from __future__ import annotations

from bot.bench import updates
from bot.bench.updates import Contender, Figures

HTTPX = Contender("httpx", ("-m", "bot", "run"), (("ZHIBU_HTTP_CLIENT", "httpx"),))
AIOHTTP = Contender("aiohttp", ("-m", "bot", "run"), (("ZHIBU_HTTP_CLIENT", "aiohttp"),))
CLEAR_WIN = 1.10  # what "clearly better" means here: at least 10 % more updates/s in the worst pair


async def run(members: int, branches: int, count: int, pairs: int, rate: float) -> tuple[list[Figures], list[Figures]]:
    return await updates.run(members, branches, count, pairs, bots=(AIOHTTP, HTTPX), ZHIBU_SEND_RATE=f"{rate:g}")


def report(aiohttp: list[Figures], httpx: list[Figures]) -> str:
    ratios = updates.ratios(aiohttp, httpx)
    cpu = [a.cpu_ms_per_update / h.cpu_ms_per_update for a, h in zip(aiohttp, httpx, strict=True) if h.cpu_ms_per_update]
    return "\n".join(updates.table(aiohttp, httpx, ("aiohttp", "httpx")) + [
        f"ratio aiohttp/httpx (updates/s): {updates.spread(ratios)}   (kept only if min ≥ {CLEAR_WIN})",
        f"ratio aiohttp/httpx (bot CPU per update): {updates.spread(cpu) if cpu else 'n/a'}   (lower is cheaper)",
        f"peak RSS: aiohttp {max(a.peak_rss_mb for a in aiohttp):.1f} MB, httpx {max(h.peak_rss_mb for h in httpx):.1f} MB"
        "   (target ≤ 150 MB)",
    ])
