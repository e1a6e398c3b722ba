"""What tests of every layer share: the people's ids, the manual clock, the recording sender, and a migrated
database file to start from. Test modules import from here (or tests/e2e/helpers.py), never from one another."""

from __future__ import annotations

import ast
import asyncio
import contextlib
import fcntl
import functools
import io
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

import psycopg
import pytest

from bot.bench import pg_server
from bot.clock import Clock
from bot.emulator.telegram_html import to_plain
from bot.outgoing import Outgoing
from bot.render import button_label, render
from bot.scheduler import Delivery, SendResult
from storage.schema import migrate
from storage.sqlite import PRIVATE_FILE, connect

SECRETARY_ID = 1001  # the branch's secretary in every layer's fixtures
ADMIN_ID = 9001  # ZHIBU_ADMINS in the services and e2e settings
FIRST_MEMBER_ID = 2001  # members who join get 2001, 2002, …
MEMBER_NAMES = ("李红梅", "赵建国", "孙丽")

# The storage engines the storage and services layers (and some end-to-end and process tests) run on.
ENGINES = ("sqlite", "postgresql")
# What a constraint violation raises, on either engine.
INTEGRITY_ERRORS = (sqlite3.IntegrityError, psycopg.errors.IntegrityError)
# What a write outside a write transaction raises: the connection is query-only / the transaction read-only.
READ_ONLY_ERRORS = (sqlite3.OperationalError, psycopg.errors.ReadOnlySqlTransaction)

T = TypeVar("T")


async def finish_row(db: object, row_id: int, status: object, now: datetime) -> None:
    """Mark an outbox row handled (sent, skipped, …) as its drainer would: held by a test's lease, then finished."""
    from bot.domain.outbox import OutboxStatus
    from storage import outbox

    await db.execute("UPDATE outbox SET status = 'sending', claimed_by = 'test' WHERE id = ?", (row_id,))  # type: ignore[attr-defined]
    assert await outbox.finish(db, row_id, OutboxStatus(status), now, holder="test")  # type: ignore[arg-type]


class ManualClock(Clock):
    """A clock that moves only when the test says so."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment


class RecordingSender:
    """The drainer's `Sender`: records every (chat_id, Outgoing) it is handed and answers with `outcome`.

    `outcome` is a SendResult, or a function of (chat_id, Outgoing) giving one, so a test can make one chat
    answer 403 while the others are sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, Outgoing]] = []
        self.outcome: SendResult | Callable[[int, Outgoing], SendResult] = SendResult(Delivery.SENT)
        self._next_id = 100

    async def __call__(self, chat_id: int, message: Outgoing) -> SendResult:
        self.sent.append((chat_id, message))
        result = self.outcome(chat_id, message) if callable(self.outcome) else self.outcome
        if result.outcome is Delivery.SENT and result.message_id is None:
            self._next_id += 1
            result = SendResult(Delivery.SENT, message_id=self._next_id)
        return result

    def to(self, chat_id: int) -> list[Outgoing]:
        """What went to one chat, in order."""
        return [message for chat, message in self.sent if chat == chat_id]

    def templates_to(self, chat_id: int) -> list[str]:
        return [message.template for message in self.to(chat_id)]

    def texts_to(self, chat_id: int) -> list[str]:
        """What one chat read, in order: each message's text as Telegram shows it (see text_of)."""
        return [text_of(message) for message in self.to(chat_id)]

    def expect(self, chat_id: int, contains: str) -> Outgoing:
        """The last message to one chat whose text contains `contains` (fails when there is none)."""
        found = [m for m in self.to(chat_id) if contains in text_of(m)]
        assert found, f"nothing containing {contains!r} went to {chat_id}: {self.texts_to(chat_id)[-3:]}"
        return found[-1]

    def clear(self) -> None:
        self.sent.clear()


def text_of(message: Outgoing) -> str:
    """A message's text as Telegram shows it: rendered, its HTML read as Telegram reads it (what the emulator's
    `plain` is), so an assertion reads the same in services as in e2e."""
    return to_plain(render(message.template, **message.params))


def labels(message: Outgoing) -> list[str]:
    """The labels of a message's buttons as the person sees them (rendered as at send time), row by row."""
    return [button_label(button) for row in message.buttons for button in row]


def each(cases: Iterable[T], check: Callable[[T], object], name: Callable[[T], str] = str) -> None:
    """Run `check` on every case, then fail once naming each case that failed and why: for a check repeated over
    hundreds of templates, codecs or keys, where a test item per case cost the run more than the check itself.
    An empty list of cases fails too (the check would prove nothing)."""
    cases = list(cases)
    failed = []
    for case in cases:
        try:
            check(case)
        except Exception as error:  # an assertion, or whatever the check raised: reported with its case
            failed.append(f"{name(case)}: {type(error).__name__}: {error}")
    assert cases, "no cases to check"
    assert not failed, f"{len(failed)} of {len(cases)} failed:\n" + "\n".join(failed)


def source_tree(path: Path) -> ast.Module:
    """A source file of the project, parsed: once per version of the file and test run, since the code-reading
    tests (words, labels, layers, shapes) read the same files. Read-only: every caller shares the tree."""
    return _parsed(path)[0]


def source_nodes(path: Path) -> tuple[ast.AST, ...]:
    """Every node of `source_tree(path)`, in `ast.walk`'s order, listed once."""
    return _parsed(path)[1]


def _parsed(path: Path) -> tuple[ast.Module, tuple[ast.AST, ...]]:
    stat = path.stat()
    return _parse(path, stat.st_mtime_ns, stat.st_size)


@functools.cache
def _parse(path: Path, _mtime: int, _size: int) -> tuple[ast.Module, tuple[ast.AST, ...]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return tree, tuple(ast.walk(tree))


def shared_pg_server(folder: Path) -> pg_server.Server:
    """The one PostgreSQL server the workers of a pytest-xdist run share (one `initdb` and one server, not one per
    worker): the first worker to ask starts it, to be stopped when the run's main process (the workers' parent)
    ends; the others find it through `folder`, which all the workers of a run share."""
    with (folder / "postgresql.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        known = folder / "postgresql.json"
        if known.exists():
            found = json.loads(known.read_text(encoding="utf-8"))
            return pg_server.Server(Path(found["folder"]), found["port"], Path(found["bins"]))
        server = pg_server.start_server(owner=os.getppid())
        known.write_text(json.dumps({"folder": str(server.folder), "port": server.port, "bins": str(server.bins)}),
                         encoding="utf-8")
        return server


async def _migrated(path: Path) -> None:
    connection = await connect(path)
    try:
        await migrate(connection)
    finally:
        await connection.close()  # the last connection to close folds the WAL into the file


def migrated_template(folder: Path) -> Path:
    """A database file with every migration applied, made once per test session by the real `migrate` (in a
    thread of its own, so the caller's event loop is left alone)."""
    path = folder / "migrated.db"
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, _migrated(path)).result()
    return path


def fresh_target(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path | str:
    """A fresh migrated SQLite file, or the shared PostgreSQL database emptied: where a test's data lives."""
    if engine == "sqlite":
        return fresh_database(request.getfixturevalue("migrated"), tmp_path / "uow.db")
    shared: pg_server.Resettable = request.getfixturevalue("pg_shared")
    shared.reset()
    return shared.url


def fresh_database(template: Path, path: Path) -> Path:
    """A private (0600) copy of the migrated template at `path`: what opening a new database file gives, without
    running the migrations again for every test."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as target, template.open("rb") as source:
        shutil.copyfileobj(source, target)
    return path


class LayerTimes:
    """`pytest --layer-times` (scripts/test.sh passes it): after the run, each layer's time (by the first folder under
    tests/) — the wall time from its first test's start to its last test's end, the sum of its tests' setup, call
    and teardown, and the processor time they used (the process running them and the processes it waited for),
    which a busy machine inflates far less — with the load average the run met.

    Under pytest-xdist each worker measures its tests' processor time and sends it along with the report (the
    `cpu` attribute of each phase's report); the controller adds them up. The workers take the tests in collection
    order, so the layers run one after another and a layer's wall time is its own (a test of the next layer may
    start on the other worker while the last of a layer finishes)."""

    GOALS = {("unit", "storage", "services"): 15.0, ("e2e",): 60.0}  # seconds, on the 2-core development machine

    def __init__(self) -> None:
        self.layers: dict[str, list] = {}  # layer → [tests, seconds, cpu, first start, last stop]
        self.started = time.perf_counter()
        self.load = os.getloadavg()[0]
        self._mark = 0.0

    @staticmethod
    def _layer(nodeid: str) -> str:
        parts = nodeid.split("::", 1)[0].split("/")
        return parts[1] if len(parts) > 2 and parts[0] == "tests" else "other"

    @staticmethod
    def _cpu() -> float:
        mine, children = os.times()[:2], os.times()[2:4]
        return sum(mine) + sum(children)

    # In the process that runs the test (a worker, or the only process): each phase's processor time.
    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item) -> None:
        self._mark = self._cpu()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        now = self._cpu()
        outcome.get_result().cpu = now - self._mark
        self._mark = now

    # In the process that reports (the controller, or the only process).
    def pytest_runtest_logreport(self, report) -> None:
        counted = self.layers.setdefault(self._layer(report.nodeid), [0, 0.0, 0.0, float("inf"), 0.0])
        counted[0] += report.when == "call"
        counted[1] += report.duration
        counted[2] += getattr(report, "cpu", 0.0)
        if report.start:
            counted[3] = min(counted[3], report.start)
            counted[4] = max(counted[4], report.stop)

    def _wall(self, group: tuple[str, ...]) -> float:
        spans = [self.layers[layer][3:] for layer in group]
        return max(stop for _, stop in spans) - min(start for start, _ in spans)

    def pytest_terminal_summary(self, terminalreporter) -> None:
        write = terminalreporter.write_line
        write(f"layer times (wall: from the layer's first test's start to its last test's end; tests: the sum of "
              f"each test's setup + call + teardown; cpu: the processor time used; the whole run "
              f"{time.perf_counter() - self.started:.1f} s; 1-minute load average {self.load:.1f} at the start, "
              f"{os.getloadavg()[0]:.1f} at the end):")
        for layer, (tests, seconds, cpu, *_) in sorted(self.layers.items(), key=lambda item: -item[1][1]):
            write(f"  {layer:<12}{tests:>6} tests  wall {self._wall((layer,)):>6.1f} s  tests {seconds:>7.1f} s  "
                  f"cpu {cpu:>6.1f} s")
        for group, goal in self.GOALS.items():
            if all(layer in self.layers for layer in group):
                cpu = sum(self.layers[layer][2] for layer in group)
                write(f"  {' + '.join(group)}: wall {self._wall(group):.1f} s, cpu {cpu:.1f} s (goal: {goal:.0f} s "
                      f"wall on an idle 2-core machine)")


_ZHIBU_LOCK = threading.Lock()  # the environment, working directory and sys.stdout are the process's own


class _ThisThread(logging.Handler):
    """What the command logs from its own thread, to its stderr, as a `zhibu` process would print it."""

    def __init__(self, into: io.StringIO) -> None:
        super().__init__(logging.WARNING)
        self.into = into
        self.thread = threading.get_ident()
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.into.write(self.format(record) + "\n")


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def zhibu_here(args: list[str], env: Mapping[str, str], cwd: Path) -> subprocess.CompletedProcess:
    """`zhibu ARGS` run by the command line's own `main` in this process (call it in a thread of its own: the
    commands run their own event loop), with `env` added to the environment and `cwd` as working directory; its
    stdout, its stderr (with what it logs at WARNING and above, tracebacks included) and its exit code, as a
    `python -m bot` process would give them, without the interpreter's start-up."""
    from bot.cli import main

    out, err = io.StringIO(), io.StringIO()
    with _ZHIBU_LOCK, _environment(env), contextlib.chdir(cwd), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        handler = _ThisThread(err)
        logging.getLogger().addHandler(handler)
        try:
            code = main(args)
        except SystemExit as exit_:  # argparse's refusals
            code = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
        except BaseException:  # what Python prints when a process dies of an exception
            err.write(traceback.format_exc())
            code = 1
        finally:
            logging.getLogger().removeHandler(handler)
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def conflicting_inserts(url: str, table: str, times: int, condition: str = "serialization_failure") -> Iterator[None]:
    """While in the block, the first `times` inserts into `table` fail as PostgreSQL fails a transaction that
    collided with another (`condition`: serialization_failure, SQLSTATE 40001, or deadlock_detected, 40P01), raised
    by the server through a trigger; a sequence counts them, outside the transactions that roll back."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE SEQUENCE zhibu_test_conflicts")
        conn.execute(f"""CREATE FUNCTION zhibu_test_conflict() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF nextval('zhibu_test_conflicts') <= {int(times)} THEN
                    RAISE EXCEPTION 'could not serialize access (made by the test)'
                        USING ERRCODE = '{condition}';
                END IF;
                RETURN NEW;
            END $$""")
        conn.execute(f"CREATE TRIGGER zhibu_test_conflict BEFORE INSERT ON {table} FOR EACH ROW "
                     "EXECUTE FUNCTION zhibu_test_conflict()")
        try:
            yield
        finally:
            conn.execute(f"DROP TRIGGER zhibu_test_conflict ON {table}")
            conn.execute("DROP FUNCTION zhibu_test_conflict()")
            conn.execute("DROP SEQUENCE zhibu_test_conflicts")


def conflicts_made(url: str) -> int:
    """How many inserts `conflicting_inserts` has seen so far (failed or let through)."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM zhibu_test_conflicts").fetchone()
    return int(row[0]) if row else 0

