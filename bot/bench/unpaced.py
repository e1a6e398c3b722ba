"""`zhibu bench updates --unpaced`: the CPU each update costs zhibu, against bare echo bots, with no pacing at all.

With Telegram's 30 msg/s applied (`zhibu bench updates`) every bot waits for the same send slots and the CPU
hides; the CPU decides how many county bots one machine carries. So here the same burst goes to zhibu, to the
PTB echo bot and, when an interpreter with aiogram is at hand, to an aiogram echo bot, all unpaced
(ZHIBU_SEND_RATE=0), in rounds whose order rotates. The emulator shares the machine's cores with the bot, so the
bot process's own CPU time per update (user + system) is the figure to track; the ratio is taken round by round.
"""

from __future__ import annotations

import importlib.util
import statistics
import subprocess
import sys
from pathlib import Path

from bot.bench import updates
from bot.bench.updates import ECHO, ZHIBU, Contender, Figures

CPU_RATIO_TARGET = 1.5  # zhibu's CPU per update at most this many times the PTB echo bot's
RATE_RATIO_TARGET = 0.7  # zhibu's updates/s at least this share of the PTB echo bot's
AIOGRAM_ECHO = Path(__file__).with_name("aiogram_echo.py")


def aiogram_python(given: str | None) -> str | None:
    """An interpreter that can import aiogram: the one given, else this one if it has aiogram, else none."""
    if given:
        found = subprocess.run([given, "-c", "import aiogram"], capture_output=True).returncode == 0
        if not found:
            raise SystemExit(f"{given} cannot import aiogram")
        return given
    return sys.executable if importlib.util.find_spec("aiogram") is not None else None


def contenders(aiogram: str | None) -> list[Contender]:
    bots = [ZHIBU, ECHO]
    if aiogram is not None:
        # -I: the file's folder is not put first on sys.path (its http.py would hide the standard library's)
        bots.append(Contender("aiogram", ("-I", str(AIOGRAM_ECHO)), echo=True, python=aiogram))
    return bots


async def run(members: int, branches: int, count: int, rounds: int, aiogram: str | None) -> dict[str, list[Figures]]:
    return await updates.rounds(members, branches, count, rounds, contenders(aiogram), ZHIBU_SEND_RATE="0")


def _spread(values: list[float], digits: int = 2) -> str:
    return f"{min(values):.{digits}f} / {statistics.median(values):.{digits}f} / {max(values):.{digits}f}"


def report(figures: dict[str, list[Figures]]) -> str:
    labels = list(figures)
    rounds = len(figures[labels[0]])
    head = "round " + "".join(f"{label + '/s':>12}{label + ' CPU ms':>16}" for label in labels)
    lines = [head]
    for index in range(rounds):
        lines.append(f"{index + 1:<6}" + "".join(
            f"{figures[label][index].per_second:>12.1f}{figures[label][index].cpu_ms_per_update:>16.2f}"
            for label in labels))
    lines.append("min / median / max:")
    for label in labels:
        runs = figures[label]
        lines.append(f"  {label:<8} CPU ms per update {_spread([f.cpu_ms_per_update for f in runs])}, "
                     f"updates/s {_spread([f.per_second for f in runs], 1)}, "
                     f"peak RSS {max(f.peak_rss_mb for f in runs):.1f} MB")
    for other in labels[1:]:
        cpu = [z.cpu_ms_per_update / o.cpu_ms_per_update for z, o in zip(figures["zhibu"], figures[other], strict=True)]
        rate = [z.per_second / o.per_second for z, o in zip(figures["zhibu"], figures[other], strict=True)]
        goals = (f"   (goal ≤ {CPU_RATIO_TARGET} and ≥ {RATE_RATIO_TARGET})" if other == "echo" else "")
        lines.append(f"zhibu/{other}, round by round: CPU per update {_spread(cpu)}, updates/s {_spread(rate)}{goals}")
    if "aiogram" not in labels:
        lines.append("(no aiogram echo: give --aiogram-python with an interpreter that has aiogram to add it)")
    lines.append(f"zhibu peak RSS: {max(f.peak_rss_mb for f in figures['zhibu']):.1f} MB   (goal ≤ 150 MB)")
    return "\n".join(lines)
