"""Seeded fuzzing through the real Application over HTTP: odd texts, files where text is expected, edits, forged and
mutated buttons, inline presses, strangers and foreign groups — from members, a pending joiner and strangers (then
the secretary too), in the middle of forms. The bot must never fail with a traceback, must answer every button,
and nobody may change what only the secretary may change."""

from __future__ import annotations

import importlib
import logging
import os
import pkgutil
import random
import re
import sqlite3
import traceback
from enum import Enum

import pytest

import bot.callbacks
from bot.callbacks import Action, actions_of
from bot.emulator.model import Message
from tests.e2e.helpers import branch_with_members
from tests.support import ADMIN_ID, SECRETARY_ID

SEED = int(os.environ.get("ZHIBU_FUZZ_SEED", 20261130))
# ZHIBU_FUZZ_ACTIONS=5000 runs the long campaign (about a quarter by members, the pending joiner and strangers,
# the rest with the secretary and the county's officer joining in); the suite's run is shorter.
TOTAL = int(os.environ.get("ZHIBU_FUZZ_ACTIONS", 480))
ACTIONS = TOTAL * 3 // 4  # members, the pending joiner and strangers
SECRETARY_ACTIONS = TOTAL - ACTIONS  # then the secretary and an officer join in
# Every kind of button the bot has (each feature's callback codec), pressed with ids real, absent and extreme.
SHAPES: list[Action] = [action for module in pkgutil.iter_modules(bot.callbacks.__path__)
                        for action in actions_of(importlib.import_module(f"bot.callbacks.{module.name}"))]
IDS = (0, 1, 2, 3, 4, 5, 7, 42, 1001, 2001, 2901, 9001, 202604, 2026, 999_999_999_999_999)
WORDS = ("x", "attendance", "minutes", "evaluation", "selfeval", "audit", "dues", "talks", "A" * 32)
PENDING_ID, STRANGER_ID = 2901, 2902
COMMANDS = ("/start", "/help", "/me", "/cancel", "/evaluation", "/selfeval", "/peereval", "/notice", "/meeting",
            "/minutes", "/members", "/invite", "/export", "/themeday", "/checkin", "/leave", "/makeup", "/attendance",
            "/compliance", "/pending", "/countytheme", "/linkgroup", "/unlinkgroup", "/nosuchcommand",
            "/start abc", "/start " + "x" * 70, "/evaluation@zhibu_bot extra words", "/units", "/overview",
            "/report", "/talk", "/dues", "/holidays", "/selfeval", "/export attendance 2026 99999999999999999999",
            "/minutes 99999999999999999999", "/export attendance 2026 1", "/start o" + "x" * 16)
ODD_TEXTS = ("", " ", "\x00\x01\x02\x07\x1b[31m", "\u202e\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
             "\u200b\u200d\ufeff", "<b>未闭合</b", "&amp; &lt;script&gt; <a href='x'>", "0", "-1", "99999999999999999999",
             "明天下午3点", "2026-02-30 25:61", "下周五 19:30 第一会议室", "👍🏽👨‍👩‍👧", "取消", "通过", "合格", "优秀",
             "%s %(x)s {0} {{x}}", "\\N{BULLET}", "null", "' OR 1=1 --")

# The tables whose rows members, pending joiners and strangers must never change (beyond their own, see below).
GUARDED_TABLES = ("branches", "member_roles", "invitations", "meetings", "meeting_staff", "evaluation_campaigns",
                  "evaluation_results", "notices")


class ErrorRecords(logging.Handler):
    """Every ERROR record anywhere (PTB's and zhibu's error handlers log there), and any record the error
    handler writes (its apology failing, for one)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.name == "handlers.telegram.errors":
            self.records.append(record)

    def report(self) -> str:
        """Each kind of failure once (exception and the handler it came from), then the first in full."""
        kinds: dict[str, int] = {}
        for record in self.records:
            kinds[_kind(record)] = kinds.get(_kind(record), 0) + 1
        summary = "\n".join(f"{count} × {kind}" for kind, count in kinds.items())
        return f"{summary}\n\n{self.format(self.records[0])}"


def _kind(record: logging.LogRecord) -> str:
    if not record.exc_info or record.exc_info[1] is None:
        return record.getMessage()
    error, frames, cause = record.exc_info[1], [], record.exc_info[1]
    while cause is not None:  # an answer that failed while refusing: the handler is in the earlier exception
        frames += traceback.extract_tb(cause.__traceback__)
        cause = cause.__context__
    origin = next((f"{f.filename.rsplit('/', 2)[-2]}/{f.name}" for f in frames if "/handlers/" in f.filename
                   and "/telegram/" not in f.filename), "?")
    return f"{type(error).__name__}: {str(error)[:80]} (in {origin})"


@pytest.fixture
def errors():
    catcher = ErrorRecords()
    catcher.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(catcher)
    yield catcher
    root.removeHandler(catcher)


def snapshot(db_path) -> dict[str, set[tuple]]:
    with sqlite3.connect(db_path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: set(db.execute(f"SELECT * FROM {table}")) for table in tables}  # noqa: S608 - our own names


def columns(db_path, table: str) -> list[str]:
    with sqlite3.connect(db_path) as db:
        return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


class Fuzzer:
    """Random actions by the given people; remembers what each got (buttons to press, messages to edit)."""

    def __init__(self, harness, rng: random.Random, people: list) -> None:
        self.harness, self.emu, self.rng, self.people = harness, harness.emu, rng, people
        self.sent: dict[int, list[Message]] = {}
        self.unanswered: list[str] = []
        self.foreign_group = self.emu.group(-1009999, "别的群")

    def known_data(self) -> list[str]:
        """Callback data of every button anyone was shown so far."""
        return [b.data for chat in [*self.emu.people, *self.emu.groups] for m in self.emu.messages_in(chat)
                for row in m.buttons for b in row if b.data]

    def mutated(self, data: str) -> str:
        """Another id, another action of the same feature, extra or missing fields."""
        parts = data.split(":")
        choice = self.rng.randrange(5)
        if choice == 0 and len(parts) > 2:
            index = self.rng.randrange(2, len(parts))
            parts[index] = str(self.rng.choice([0, 1, 2, 3, 7, 42, 999_999_999_999_999, int(str(len(data)) * 2)]))
        elif choice == 1 and len(parts) > 1:
            parts[1] = self.rng.choice(["a", "b", "c", "C", "d", "e", "f", "k", "m", "o", "p", "r", "s", "x", "v"])
        elif choice == 2:
            parts.append(str(self.rng.randrange(100)))
        elif choice == 3 and len(parts) > 2:
            parts.pop()
        else:
            other = self.rng.choice(self.known_data() or [data]).split(":")
            parts = other[:2] + parts[2:]
        return ":".join(parts).encode()[:64].decode(errors="ignore") or "x"

    def shaped(self, action: Action | None = None) -> str:
        """A button of any kind the bot makes, with ids that exist, do not, or are as large as data allows."""
        action = action or self.rng.choice(SHAPES)
        values = []
        for kind in action.fields:
            if kind is int:
                values.append(self.rng.choice(IDS) if self.rng.random() < 0.8 else self.rng.randrange(10**6))
            elif kind is str:
                values.append(self.rng.choice(WORDS))
            elif issubclass(kind, Enum):
                values.append(self.rng.choice(list(kind)))
        try:
            return action(*values)
        except ValueError:  # over 64 bytes with the largest ids: the same kind with small ones
            return action(*[1 if v == IDS[-1] else v for v in values])

    def random_data(self) -> str:
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789:_-ÿ你"
        return "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(1, 21)))

    def text(self) -> str:
        choice = self.rng.randrange(6)
        if choice == 0:
            return "".join(chr(self.rng.randint(0x4E00, 0x9FA5)) for _ in range(self.rng.randint(4097, 5200)))
        if choice == 1:
            return self.rng.choice(COMMANDS)
        if choice == 2:
            return "".join(chr(self.rng.choice([self.rng.randint(0, 31), self.rng.randint(0x590, 0x6FF),
                                                self.rng.randint(0x4E00, 0x9FA5)])) for _ in range(self.rng.randint(1, 40)))
        return self.rng.choice(ODD_TEXTS) or "空"

    async def press(self, person, data: str, *, inline: bool = False, message_id: int | None = None) -> None:
        try:
            if inline:
                await person.press_inline(data, timeout=5)
            else:
                mine = self.emu.messages_in(person.id)
                target = message_id or (self.rng.choice(mine).message_id if mine else 1)
                await person.press_data(target, data, timeout=5)
        except AssertionError as exc:
            self.unanswered.append(f"{person.first_name}: {data!r}: {exc}")

    async def act(self, person) -> str:
        rng = self.rng
        kind = rng.choices(["text", "press", "mutated", "forged", "inline", "vanished", "file", "edit", "group",
                            "shape"], weights=[30, 20, 14, 6, 5, 4, 10, 6, 2, 14])[0]
        known = self.known_data()
        if kind == "text":
            self.sent.setdefault(person.id, []).append(await person.send(self.text()))
        elif kind == "press" and known:
            await self.press(person, rng.choice(known))
        elif kind == "mutated" and known:
            await self.press(person, self.mutated(rng.choice(known)))
        elif kind == "shape":
            await self.press(person, self.shaped())
        elif kind == "inline":
            await self.press(person, rng.choice(known) if known and rng.random() < 0.7 else self.random_data(),
                             inline=True)
        elif kind == "vanished" and known:
            await self.press(person, rng.choice(known), message_id=10_000 + rng.randrange(1000))
        elif kind == "file":
            await rng.choice([
                lambda: person.send_photo(b"\x89PNG fuzz", caption=rng.choice(["", self.text()[:1000]])),
                lambda: person.send_document(b"%PDF-1.4 fuzz", rng.choice(["a.pdf", "x.exe", "无名"])),
                lambda: person.send_sticker(),
                lambda: person.send_location(rng.uniform(-90, 90), rng.uniform(-180, 180)),
                lambda: person.send_contact(),
                lambda: person.send_contact("+8613800000000", "别人"),
            ])()
        elif kind == "edit" and self.sent.get(person.id):
            edited = rng.choice([*COMMANDS[:8], "改过的文字", self.text()[:50]])
            # Telegram lets nobody edit a message into blank text
            await person.edit(rng.choice(self.sent[person.id]), edited if edited.strip() else "改")
        elif kind == "group":
            group = rng.choice([self.foreign_group, *self.emu.groups.values()])
            # Sparingly: answers into a group are spaced 3 s apart (Telegram's limit), and would stall the run.
            text = rng.choice(COMMANDS) if rng.random() < 0.2 else rng.choice(["随便说说", *ODD_TEXTS[1:]])
            await (group.stranger_says(text) if rng.random() < 0.5 else person.send_in(group, text))
        else:
            await self.press(person, self.random_data())
            kind = "forged"
        return kind

    async def run(self, count: int) -> None:
        for _ in range(count):
            await self.act(self.rng.choice(self.people))
        await self.emu.idle(quiet=0.5, timeout=60)

    async def every_shape(self) -> None:
        """Each kind of button once, by someone chosen at random: no shape is left to chance."""
        for action in SHAPES:
            await self.press(self.rng.choice(self.people), self.shaped(action))
        await self.emu.idle(quiet=0.5, timeout=60)


def _allowed(table: str, row: tuple, names: list[str], own_members: set[int], secretary_member: int,
             applicants: set[int] = frozenset()) -> bool:
    """A changed row members may cause: their own submissions, check-ins, receipts, joins and forms — and an
    applicant's own waiting request, its name corrected or withdrawn (status left)."""
    record = dict(zip(names, row, strict=True))
    if table in ("conversations", "outbox", "audit_log", "schedule_marks", "evaluation_peer_grades",
                 "submission_files"):
        return True  # forms in progress, messages to send, the log, anonymous ballots: anyone's own doing
    if table == "members":
        if record["id"] in applicants:
            return record["status"] in ("pending", "left")
        return record["status"] == "pending" and record["id"] not in own_members.union({secretary_member})
    if table == "submissions":
        return record["author_id"] in own_members and record["decided_by"] is None
    if table in ("attendance", "notice_receipts"):
        return record["member_id"] in own_members and record.get("by_member") in (None, record["member_id"])
    return table not in GUARDED_TABLES


async def _setup(harness):
    """A branch of three members, an open evaluation, a notice to everyone, a pending joiner and a stranger."""
    secretary, people = await branch_with_members(harness)
    await secretary.send("/evaluation")
    await secretary.expect("还没有开启")
    await secretary.press("开启（14天后截止）")
    await secretary.expect("参评党员")
    await secretary.send("/notice")
    await secretary.expect()
    await secretary.send("周五下午开会，请准时参加。")
    await harness.emu.idle()
    for label in ("全体党员", "发送"):
        if any(b.label.startswith(label) for m in secretary.messages() for row in m.buttons for b in row):
            await secretary.press(next(b.label for m in reversed(secretary.messages()) for row in m.buttons
                                       for b in row if b.label.startswith(label)))
            await harness.emu.idle()
    await secretary.send("/invite")
    link = await secretary.expect("邀请链接")
    pending = harness.emu.user(PENDING_ID, "周待批")
    code = re.search(r"start=(\S+)", link.plain).group(1)
    await pending.send(f"/start {code}")
    await pending.expect("真实姓名")
    await pending.send("周待批")
    await pending.expect("已提交")
    await harness.drain()
    await harness.emu.idle()
    return secretary, people, pending, harness.emu.user(STRANGER_ID, "陌生人")


async def test_fuzz_no_tracebacks_no_unanswered_buttons_no_forbidden_changes(harness, errors):
    """Seeded fuzzing (every button kind once, then random actions) ends with no ERROR record, every tap
    answered, and no change members or strangers may not make."""
    secretary, people, pending, stranger = await _setup(harness)
    db_path = harness.settings.db
    before = snapshot(db_path)
    with sqlite3.connect(db_path) as db:
        ids = dict(db.execute("SELECT telegram_id, id FROM members"))
        applicants = {r[0] for r in db.execute("SELECT id FROM members WHERE status = 'pending'")}
    own_members = {ids[p.id] for p in [*people, pending] if p.id in ids}

    fuzzer = Fuzzer(harness, random.Random(SEED), [*people, pending, stranger])
    await fuzzer.every_shape()
    await fuzzer.run(ACTIONS)

    after = snapshot(db_path)
    forbidden = []
    for table, rows in after.items():
        names = columns(db_path, table)
        for row in rows ^ before.get(table, set()):
            if not _allowed(table, row, names, own_members, ids[SECRETARY_ID], applicants):
                forbidden.append((table, row))
    assert not fuzzer.unanswered, fuzzer.unanswered[:5]
    assert not errors.records, errors.report()
    assert not forbidden, forbidden[:10]

    # The secretary and the county's officer join in: anything goes data-wise, but still no traceback and every
    # button answered.
    fuzzer.people += [secretary, harness.emu.user(ADMIN_ID, "组织部")]
    await fuzzer.every_shape()
    await fuzzer.run(SECRETARY_ACTIONS)
    assert not fuzzer.unanswered, fuzzer.unanswered[:5]
    assert not errors.records, errors.report()
