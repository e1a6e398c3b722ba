"""`zhibu bench updates --db postgresql`: the burst of `zhibu bench updates` to zhibu on PostgreSQL (a private
server, bot/bench/pg_server.py) and to zhibu on SQLite, in pairs whose order alternates, with the production pacing.

Each engine is seeded alike (the same county, the same burst from the same random seed) and every run starts from
its engine's seeded state: SQLite from a copy of the file, PostgreSQL from a database made from the seeded one as
a template. The goal: PostgreSQL's updates/s at least 0.8 of SQLite's in each pair.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from bot.bench import pg_server, process, updates
from bot.bench.updates import ZHIBU, Figures, ratios, spread, table
from bot.emulator import Emulator

RATIO_TARGET = 0.8
PRISTINE = "zhibu_bench_pristine"


async def run(members_count: int, branches: int, count: int, pairs: int = 3,
              seed: int = 7) -> tuple[list[Figures], list[Figures]]:
    """(PostgreSQL's figures, SQLite's), pair by pair."""
    server = pg_server.start_server()
    try:
        with tempfile.TemporaryDirectory(prefix="zhibu-bench-") as tmp:
            return await _pairs(server, Path(tmp), members_count, branches, count, pairs, seed)
    finally:
        server.stop()


async def _pairs(server: pg_server.Server, workdir: Path, members_count: int, branches: int, count: int,
                 pairs: int, seed: int) -> tuple[list[Figures], list[Figures]]:
    db_path, pristine = workdir / "bench.db", workdir / "pristine.db"
    seeded = server.create(PRISTINE)
    t0 = time.perf_counter()
    lite_steps = await updates._seed(db_path, members_count, branches, count, seed)
    pg_steps = await updates._seed(seeded, members_count, branches, count, seed)
    print(f"seeded {branches} branches and {members_count} members on each engine, a burst of {len(lite_steps)} "
          f"updates, in {time.perf_counter() - t0:.1f}s", flush=True)
    async with Emulator() as emu:
        emu.record_calls = False
        for telegram_id in {s.telegram_id for s in lite_steps + pg_steps}:
            emu.user(telegram_id)
        await updates._find_tapped_messages(emu, process.bot_env(emu, db_path), workdir, lite_steps)
        await updates._find_tapped_messages(emu, process.bot_env(emu, seeded), workdir, pg_steps)
        shutil.copyfile(db_path, pristine)
        pg: list[Figures] = []
        lite: list[Figures] = []
        for index in range(pairs):
            for engine in (("postgresql", "sqlite") if index % 2 == 0 else ("sqlite", "postgresql")):
                if engine == "sqlite":
                    process.restore(pristine, db_path)
                    lite.append(await updates._measure(ZHIBU, emu, process.bot_env(emu, db_path), workdir,
                                                       lite_steps))
                else:
                    url = server.create(template=PRISTINE)
                    pg.append(await updates._measure(ZHIBU, emu, process.bot_env(emu, url), workdir, pg_steps))
                    server.drop(url)
            print(f"  pair {index + 1}: postgresql {pg[-1].per_second:.1f}/s {pg[-1].cpu_ms_per_update:.2f} ms CPU, "
                  f"sqlite {lite[-1].per_second:.1f}/s {lite[-1].cpu_ms_per_update:.2f} ms CPU", flush=True)
    return pg, lite


def report(pg: list[Figures], lite: list[Figures]) -> str:
    return "\n".join(table(pg, lite, ("postgresql", "sqlite")) + [
        f"ratio postgresql/sqlite (updates/s): {spread(ratios(pg, lite))}   (target ≥ {RATIO_TARGET})",
        f"peak RSS: postgresql {max(p.peak_rss_mb for p in pg):.1f} MB, sqlite {max(s.peak_rss_mb for s in lite):.1f} "
        "MB (the bot process; the server's own memory not counted)",
    ])
