"""Running a bot as a child process against the emulator, and reading its peak memory."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path


def bot_env(emu: object, db: Path | str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIBU_")}
    env.update(
        ZHIBU_TOKEN=emu.token,
        ZHIBU_DB=str(db),
        ZHIBU_API_BASE_URL=emu.base_url,
        ZHIBU_API_FILE_URL=emu.base_file_url,
        ZHIBU_LOG_LEVEL="WARNING",
        **extra,
    )
    return env


STDERR_KEPT = 64 * 1024


async def start(args: list[str], env: dict[str, str], cwd: Path, *,
                python: str | None = None) -> asyncio.subprocess.Process:
    """Start the child (with `python`, by default the interpreter running the bench); its stderr is read as it
    comes (the last 64 KB kept for `stop`): a pipe nobody reads fills up, and the child then blocks in its next
    log line."""
    proc = await asyncio.create_subprocess_exec(
        python or sys.executable, *args, env=env, cwd=str(cwd),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )
    proc.stderr_tail = bytearray()  # type: ignore[attr-defined]
    proc.stderr_reader = asyncio.create_task(_collect(proc))  # type: ignore[attr-defined]
    return proc


async def _collect(proc: asyncio.subprocess.Process) -> None:
    while chunk := await proc.stderr.read(65536):
        proc.stderr_tail += chunk
        del proc.stderr_tail[:-STDERR_KEPT]


async def stop(proc: asyncio.subprocess.Process) -> str:
    """Terminate politely (SIGTERM lets PTB shut down), and return what the process wrote to stderr."""
    if proc.returncode is None:
        proc.terminate()
        try:
            await asyncio.wait_for(proc.wait(), 20)
        except TimeoutError:
            proc.kill()
            await proc.wait()
    await proc.stderr_reader
    return bytes(proc.stderr_tail).decode(errors="replace")


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM) in MB; Linux keeps it for us, no sampling needed."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import psutil

    return psutil.Process(pid).memory_info().rss / 1024 / 1024


def restore(pristine: Path, db_path: Path) -> None:
    """Put the database back as it was seeded (its -wal and -shm files removed), so every run starts alike."""
    import shutil

    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    shutil.copyfile(pristine, db_path)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used so far: on a 2-core machine where the emulator and the bot
    share the cores, a steadier measure of the bot's own cost than wall-clock rates."""
    import psutil

    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


async def settle(db_path: Path, limit: float = 300.0) -> float:
    """Wait until the bot has done its start-up work: the county's theme days created and nothing left due in
    its outbox (the database tells, read alongside the running bot). Returns how long that took."""
    from datetime import UTC, datetime

    import aiosqlite

    from storage import marks, outbox

    loop = asyncio.get_running_loop()
    started = loop.time()
    async with aiosqlite.connect(db_path) as db:
        while loop.time() - started < limit:
            created = await marks.any_with_prefix(db, "themeday:create:")
            if created and await outbox.due_count(db, datetime.now(UTC)) == 0:
                break
            await asyncio.sleep(0.5)
    return loop.time() - started
