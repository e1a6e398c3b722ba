"""A throwaway PostgreSQL server on this machine, for the tests and the benchmarks: `initdb` in a temporary folder,
a free port on 127.0.0.1, trust authentication for the one user `zhibu`, no durability (fsync off) — nothing
here is data anyone keeps. Debian's server binaries are used (scripts/test.sh installs the `postgresql` package).

PostgreSQL refuses to run as root; as root (CI, a container) the server runs as the `postgres` user the package
creates (`runuser`), in a folder given to that user. Databases are made from a migrated template, so each test
gets a fresh, fully migrated database in milliseconds.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from storage.postgresql import connect
from storage.schema import migrate

SERVER_USER = "postgres"  # as root: the account Debian's package creates
ROLE = "zhibu"
TEMPLATE = "zhibu_template"


def bin_dir() -> Path | None:
    """The newest installed server's binaries (Debian keeps them out of PATH), or None."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def unavailable() -> str | None:
    """Why no server can be started here, or None when one can."""
    if bin_dir() is None:
        return "PostgreSQL's server is not installed (apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root and there is no {SERVER_USER!r} user to run the server as"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    folder: Path
    port: int
    bins: Path
    counter: int = field(default=0)
    watchdog: subprocess.Popen[bytes] | None = None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{ROLE}@127.0.0.1:{self.port}/{database}"

    def _argv(self, *command: str) -> list[str]:
        argv = [str(self.bins / command[0]), *command[1:]]
        return ["runuser", "-u", SERVER_USER, "--", *argv] if os.geteuid() == 0 else argv

    def _run(self, *command: str) -> None:
        subprocess.run(self._argv(*command), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       cwd=self.folder)

    def watch(self, owner: int | None = None) -> None:
        """Stop the server and remove its folder once the `owner` process (this one unless told) is gone, however it
        ended (a timeout's SIGTERM, kill -9), not only through `stop()`."""
        stop = shlex.join(self._argv("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop"))
        script = (f"while kill -0 {owner or os.getpid()} 2>/dev/null; do sleep 2; done; {stop} >/dev/null 2>&1; "
                  f"rm -rf {shlex.quote(str(self.folder))}")
        quiet = {"start_new_session": True, "stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL,
                 "stderr": subprocess.DEVNULL}
        if owner is not None and owner != os.getpid():  # not ours to stop: a watchdog of its own, not our child
            subprocess.run(["sh", "-c", f"({script}) &"], check=True, **quiet)
            return
        self.watchdog = subprocess.Popen(["sh", "-c", script], **quiet)

    def start(self) -> None:
        data = self.folder / "data"
        self._run("initdb", "-D", str(data), "-U", ROLE, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8",
                  "--no-sync")
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300 "
                   "-c max_pred_locks_per_transaction=256")
        self._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(self.folder / "server.log"), "-w", "start")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
            if self.watchdog is not None:
                self.watchdog.kill()
                self.watchdog.wait()

    def create(self, name: str | None = None, template: str | None = TEMPLATE) -> str:
        """A new database (from the migrated template unless told otherwise); its URL."""
        if name is None:
            self.counter += 1
            name = f"t{os.getpid()}_{self.counter}"
        clause = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}{clause}")
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def start_server(owner: int | None = None) -> Server:
    """A running server with the migrated template database; `stop()` it when done, or leave it to stop when the
    `owner` process (this one unless told) ends."""
    reason = unavailable()
    if reason is not None:
        raise RuntimeError(reason)
    bins = bin_dir()
    assert bins is not None
    folder = Path(tempfile.mkdtemp(prefix="zhibu-pg-"))
    if os.geteuid() == 0:
        account = pwd.getpwnam(SERVER_USER)
        os.chown(folder, account.pw_uid, account.pw_gid)
    server = Server(folder, _free_port(), bins)
    try:
        server.start()
        server.watch(owner)
        server.create(TEMPLATE, template=None)
        _migrate(server.url(TEMPLATE))
    except BaseException:
        server.stop()
        raise
    return server


def _migrate(url: str) -> None:
    """Migrate the database at `url`, from synchronous code whether or not an event loop runs in this thread (a
    loop of its own, in a thread of its own)."""
    async def work() -> None:
        conn = await connect(url)
        try:
            await migrate(conn)
        finally:
            await conn.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(lambda: asyncio.run(work())).result()


class Resettable:
    """One database reused test after test: `reset()` empties it back to the freshly migrated state (the rows the
    migrations seed, the identities restarted) in one round trip — far quicker than a new database each time."""

    def __init__(self, url: str) -> None:
        self.url = url
        with psycopg.connect(url, autocommit=True) as conn:
            tables = [r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")]
            seeded = {t: conn.execute(f"SELECT * FROM {t}").fetchall() for t in tables}
            identities = conn.execute(
                """SELECT table_name, column_name, pg_get_serial_sequence(table_name, column_name)
                   FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'"""
            ).fetchall()
        script = ["SET lock_timeout = '10s'", "SET session_replication_role = replica"]
        script += [f"DELETE FROM {t}" for t in tables if t != "zhibu_schema_version"]
        params: list[object] = []
        for table, rows in seeded.items():
            if table == "zhibu_schema_version" or not rows:
                continue
            for row in rows:
                script.append(f"INSERT INTO {table} VALUES ({', '.join(['%s'] * len(row))})")
                params.extend(row)
        script += [f"SELECT setval('{seq}', coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)"
                   for table, column, seq in identities]
        script.append("SET session_replication_role = DEFAULT")
        self._script = ";\n".join(script)
        self._params = params
        self._conn: psycopg.Connection | None = None

    def reset(self) -> None:
        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(self.url, autocommit=True)
        # One statement per line, sent together in a pipeline: a round trip for the lot.
        with self._conn.pipeline():
            index = 0
            for statement in self._script.split(";\n"):
                count = statement.count("%s")
                self._conn.execute(statement, self._params[index:index + count] if count else None)
                index += count

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
