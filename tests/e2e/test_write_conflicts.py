"""The bot on PostgreSQL, when another process's transaction collides with the one handling an update (the server
fails it with SQLSTATE 40001, raised here by a trigger): the update is handled again from its start and the person
sees one answer; when every try collides, they are told politely that the bot is busy and nothing is stored."""

from __future__ import annotations

import logging

import pytest
from telegram.ext import CommandHandler

from bot.domain.models import MemberStatus
from bot.render import render
from bot.services import community_service
from bot.services.updates import CONFLICT_TRIES
from storage import audit, members, wall
from tests.e2e.helpers import create_branch
from tests.support import SECRETARY_ID, conflicting_inserts, conflicts_made

pytestmark = pytest.mark.parametrize("engine", ["postgresql"])

RETRY = "running it again from its start"
BUSY = "系统正忙"
NAME_PROMPT = "真实姓名"


@pytest.fixture
def logged(caplog):
    caplog.set_level(logging.WARNING)
    return caplog


def _retries(caplog) -> int:
    return len([r for r in caplog.records if RETRY in r.getMessage()])


async def test_a_message_whose_handling_collides_twice_is_handled_once_on_the_third_try(harness, target, logged):
    """The name a person sends to join collides twice: the third try stores the request; the person gets one
    "已提交" and no apology, the secretary one card; two retries logged, no error."""
    code = await create_branch(harness)
    alice = harness.emu.user(2001, "Alice")
    await alice.send(f"/start {code}")
    await alice.expect(NAME_PROMPT)
    with conflicting_inserts(str(target), "members", times=2):
        await alice.send("李红梅")
        await alice.expect("已提交")
        assert conflicts_made(str(target)) == 3
    await harness.drain()
    await harness.emu.idle()
    told = [m.plain for m in alice.messages()]
    assert len([t for t in told if "已提交" in t]) == 1
    assert not [t for t in told if BUSY in t or "出了点问题" in t]
    secretary = harness.emu.user(SECRETARY_ID, "王")
    assert len([m for m in secretary.messages() if m.plain.startswith("📝 入支部申请")]) == 1
    pending = await members.by_telegram_id(harness.svc.db, 2001)
    assert pending is not None and pending.status is MemberStatus.PENDING
    assert _retries(logged) == 2
    assert not [r for r in logged.records if r.levelno >= logging.ERROR]


async def test_a_message_that_always_collides_gets_the_busy_answer_and_stores_nothing(harness, target, logged):
    """Every try collides: after CONFLICT_TRIES tries the person is told the bot is busy (templates/common/busy.j2),
    nothing is stored, and their form still waits for the name — sent again, it goes through."""
    code = await create_branch(harness)
    alice = harness.emu.user(2001, "Alice")
    await alice.send(f"/start {code}")
    await alice.expect(NAME_PROMPT)
    with conflicting_inserts(str(target), "members", times=1000):
        await alice.send("李红梅")
        busy = await alice.expect(BUSY)
        assert busy.plain == render("common/busy.j2").strip()
        assert conflicts_made(str(target)) == CONFLICT_TRIES
    assert await members.by_telegram_id(harness.svc.db, 2001) is None
    assert _retries(logged) == CONFLICT_TRIES - 1
    await alice.send("李红梅")
    await alice.expect("已提交")


async def test_a_press_that_always_collides_gets_the_busy_alert(harness, target, logged):
    """The secretary's 通过 collides every time: the press is answered with the busy alert, the member stays
    pending and no decision is recorded; pressed again afterwards it is approved."""
    code = await create_branch(harness)
    alice = harness.emu.user(2001, "Alice")
    await alice.send(f"/start {code}")
    await alice.expect(NAME_PROMPT)
    await alice.send("李红梅")
    await alice.expect("已提交")
    await harness.drain()
    secretary = harness.emu.user(SECRETARY_ID, "王")
    card = await secretary.expect("入支部申请")
    with conflicting_inserts(str(target), "audit_log", times=1000):
        answer = await secretary.press("通过", message=card)
        assert BUSY in answer.text and answer.show_alert
    pending = await members.by_telegram_id(harness.svc.db, 2001)
    assert pending is not None and pending.status is MemberStatus.PENDING
    assert "member.approve" not in [e.action for e in await audit.for_branch(harness.svc.db, pending.branch_id)]
    assert _retries(logged) == CONFLICT_TRIES - 1
    await secretary.press("通过", message=card)
    await secretary.expect("已通过")


async def test_a_handling_that_already_answered_is_not_run_again(harness, target, logged):
    """A handling that sent something before its write collided cannot be repeated unseen: it is not run again
    (one try), the person gets the busy answer after the first message, no later handler answers the command, and
    nothing is stored."""
    await create_branch(harness)
    branch_id = (await members.by_telegram_id(harness.svc.db, SECRETARY_ID)).branch_id

    async def answers_then_writes(update, context) -> None:  # a handler shaped unlike zhibu's: send, then write
        await update.message.reply_text("先回一句")
        await community_service.community_code(context.svc, branch_id)
    harness.app.add_handler(CommandHandler("probe", answers_then_writes), group=-2)
    secretary = harness.emu.user(SECRETARY_ID, "王")
    with conflicting_inserts(str(target), "walls", times=1000):
        await secretary.send("/probe")
        await secretary.expect(BUSY)
        await harness.emu.idle()
        assert conflicts_made(str(target)) == 1
    told = [m.plain for m in secretary.messages()]
    assert told[told.index("先回一句") + 1:][:1] == [render("common/busy.j2").strip()], told
    assert not [t for t in told if "没有这个命令" in t]  # the conflict ended the update: no later handler ran
    assert await wall.wall_code(harness.svc.db, branch_id) is None
    assert _retries(logged) == 0
    assert any("reached Telegram already" in r.getMessage() for r in logged.records)
