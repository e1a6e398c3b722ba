"""`bash scripts/run.sh` without a token: the demo starts with nothing on the screen but where to open it, and its
database (with the time it had been moved to) is still there after a restart."""

from __future__ import annotations

import asyncio
import os
import re
import signal
from datetime import datetime
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]


async def _start(db: Path) -> tuple[asyncio.subprocess.Process, str, list[str]]:
    """run.sh as a visitor runs it (no ZHIBU_ variables), on a free port; (process, page URL, lines printed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIBU_")}
    proc = await asyncio.create_subprocess_exec(
        "bash", "scripts/run.sh", "--port", "0", "--db", str(db), cwd=str(ROOT), env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, start_new_session=True)
    lines: list[str] = []
    url = None
    while url is None or not any(line.startswith("zhibu demo: database") for line in lines):
        line = (await asyncio.wait_for(proc.stdout.readline(), 120)).decode()
        assert line, f"run.sh ended early: {lines}"
        lines.append(line.rstrip("\n"))
        if found := re.search(r"open (http://\S+) in a browser", line):
            url = found.group(1)
    return proc, url, lines


async def _stop(proc: asyncio.subprocess.Process) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    await asyncio.wait_for(proc.communicate(), 30)


async def _page_clock(url: str) -> datetime:
    async with aiohttp.ClientSession() as http, http.get(f"{url}_page/info") as response:
        return datetime.fromisoformat((await response.json())["clock"]["iso"])


async def test_run_sh_starts_the_demo_quietly_and_keeps_its_database(tmp_path):
    """No setuptools warning box on start (only zhibu's own lines); a day of time travel, a restart with the same
    --db, and the demo resumes: the same branch (seeded once), its clock still a day ahead."""
    db = tmp_path / "demo.db"
    proc, url, lines = await _start(db)
    try:
        printed = "\n".join(lines)
        assert "Editable installation" not in printed and "!!" not in printed and "Warning" not in printed, printed
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{url}_demo/advance", json={"days": 1}) as response:
                assert response.status == 200
        moved = await _page_clock(url)
    finally:
        await _stop(proc)
    assert db.exists()

    proc, url, lines = await _start(db)
    try:
        assert any("(resumed)" in line for line in lines), lines
        resumed = await _page_clock(url)
        assert resumed >= moved, (moved, resumed)
        async with aiohttp.ClientSession() as http, http.get(f"{url}_page/info") as response:
            info = await response.json()
        names = [p["name"] for p in info["phones"]]
        assert names.count("王建国") == 1 and "李红梅" in names, names
    finally:
        await _stop(proc)
