"""`zhibu backup` as a real process refuses targets that would destroy the live database or an unrelated file,
with one line on stderr and a non-zero exit, and replaces an older copy."""

from __future__ import annotations

import asyncio
import os
import stat
import sys
from pathlib import Path

from storage.copies import backup

ROOT = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def _zhibu_backup(tmp_path: Path, live: Path, target: Path) -> tuple[int, str]:
    env = {**os.environ, "ZHIBU_DB": str(live), "PYTHONPATH": str(ROOT)}
    env.pop("ZHIBU_TOKEN", None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "backup", str(target), cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate()
    return proc.returncode, err.decode()


async def test_backup_onto_the_live_database_is_refused(tmp_path, db):
    """`zhibu backup` with the live database as target: one line on stderr, non-zero exit, database intact."""
    await db.execute("INSERT INTO branches (name, created_at) VALUES ('一支部', '2026-01-01T00:00:00+00:00')")
    live = tmp_path / "test.db"

    code, err = await _zhibu_backup(tmp_path, live, live)

    assert code != 0
    assert len(err.strip().splitlines()) == 1 and "live database" in err
    assert "Traceback" not in err
    async with db.execute("SELECT name FROM branches") as cur:
        assert [r[0] for r in await cur.fetchall()] == ["一支部"]


async def test_backup_onto_a_file_that_is_not_a_database_is_refused(tmp_path, db):
    """`zhibu backup` onto an existing non-database file: one line on stderr, non-zero exit, file unchanged."""
    notes = tmp_path / "notes.txt"
    notes.write_text("会议记录草稿\n", encoding="utf-8")

    code, err = await _zhibu_backup(tmp_path, tmp_path / "test.db", notes)

    assert code != 0
    assert len(err.strip().splitlines()) == 1 and "not an SQLite database" in err
    assert "Traceback" not in err
    assert notes.read_text(encoding="utf-8") == "会议记录草稿\n"


async def test_backup_onto_an_older_copy_is_allowed(tmp_path, db):
    """Replacing an earlier backup (a database file) still works: the refusals are only for what would be lost."""
    await db.execute("INSERT INTO branches (name, created_at) VALUES ('一支部', '2026-01-01T00:00:00+00:00')")
    older = tmp_path / "copy.db"
    backup(tmp_path / "test.db", older)

    code, err = await _zhibu_backup(tmp_path, tmp_path / "test.db", older)

    assert code == 0, err
    assert _mode(older) == 0o600
