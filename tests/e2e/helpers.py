"""What several end-to-end test modules do to get going: a branch, people who joined it, an open evaluation. Test
modules import these from here (and the ids from tests/support.py), never from one another."""

from __future__ import annotations

import asyncio

from bot.domain.outbox import Planned
from bot.outgoing import Outgoing
from bot.scheduler import BACKOFF
from bot.services import membership
from storage import members, outbox
from tests.support import ADMIN_ID as ADMIN_ID  # the ids live in tests/support.py; named here for older imports
from tests.support import FIRST_MEMBER_ID, SECRETARY_ID


async def create_branch(harness, name: str = "第一党支部", secretary_id: int = SECRETARY_ID,
                        secretary_name: str = "王书记") -> str:
    """Create the branch in process through the use case `zhibu branch create` calls (the CLI itself is run in
    tests/e2e/test_join.py); then the secretary opens the bot, as the README tells them to, so from now on the bot
    can write to them. Returns the invite code."""
    _, _, invitation = await membership.create_branch(harness.svc, name, secretary_id, secretary_name)
    secretary = harness.emu.user(secretary_id, "王")
    await secretary.send("/start")
    await secretary.expect("您好")
    return invitation.code


async def join(harness, user, name: str, code: str | None = None) -> None:
    """The secretary's /invite link (or the invite `code` already in hand) → the person opens it → gives a name →
    secretary approves."""
    secretary = harness.emu.user(SECRETARY_ID, "王")
    if code is None:
        await secretary.send("/invite")
        link_msg = await secretary.expect("邀请链接")
        code = link_msg.plain.split("start=", 1)[1].split()[0]
    await user.send(f"/start {code}")
    await user.expect("真实姓名")
    await user.send(name)
    await user.expect("已提交")
    await harness.drain()
    await secretary.expect("入支部申请")
    await secretary.press("通过")
    await harness.drain()
    await user.expect("已通过审核")


async def branch_with_members(harness, names=("李红梅", "赵建国", "孙丽")):
    """A branch whose members (Telegram ids 2001, 2002, …) joined by the invite link (the one `zhibu branch create`
    printed: /invite is tested in test_join); (secretary, people)."""
    code = await create_branch(harness)
    people = []
    for offset, name in enumerate(names):
        user = harness.emu.user(FIRST_MEMBER_ID + offset, name)
        await join(harness, user, name, code)
        people.append(user)
    return harness.emu.user(SECRETARY_ID, "王"), people


async def open_campaign(harness, secretary, days: int = 14) -> None:
    """The secretary opens this year's democratic evaluation from /evaluation, due in `days` days."""
    await secretary.send("/evaluation")
    await secretary.expect("还没有开启")
    answer = await secretary.press(f"开启（{days}天后截止）")
    assert "已开启" in answer.text
    await secretary.expect("参评党员")


def invite_code(output: str) -> str:
    """The code at the end of the invite link printed by `zhibu branch create`."""
    for line in output.splitlines():
        if line.startswith("invite link:"):
            return line.rsplit("start=", 1)[1].strip()
    raise AssertionError(f"no invite link in {output!r}")


SAVED_NOTICE = "填写过的内容都已保存"  # what plan_saved_notice's message says


async def plan_saved_notice(harness, key: str, user) -> None:
    """A message for `user`, due now, planned straight into the outbox (the delivery tests send it)."""
    member = await members.by_telegram_id(harness.svc.db, user.id)
    async with harness.svc.db.write() as tx:
        await outbox.upsert(tx, Planned(key=key, chat_id=user.id, kind="test", due_at=harness.clock.now(),
                                        branch_id=member.branch_id, member_id=member.id,
                                        payload=Outgoing(template="common/cancelled.j2",
                                                         params={"had_form": True, "resume": "/minutes"})),
                            harness.clock.now())


async def drain_until_settled(harness, rounds: int = 6) -> None:
    """Drain, then let every backoff pass and drain again, several times: whatever would be retried is."""
    for _ in range(rounds):
        await harness.drain()
        harness.clock.advance(seconds=BACKOFF[-1].total_seconds() + 1)
    await harness.emu.idle()


def header_row(sheet) -> int:
    """An exported register's header row: the last of the rows printed on every page."""
    return int(sheet.print_title_rows.split(":")[1].lstrip("$"))


def data_rows(sheet) -> list[tuple]:
    """An exported register's rows under its header, as values."""
    return list(sheet.iter_rows(min_row=header_row(sheet) + 1, values_only=True))


async def documents(person, count: int, timeout: float = 60) -> list:
    """The documents the bot has sent this person, once there are `count` of them: a book takes a while to build,
    during which the bot makes no request, so waiting for the emulator to be idle would return too early."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        sent = [m for m in person.messages() if m.kind == "document"]
        if len(sent) >= count or asyncio.get_running_loop().time() > deadline:
            return sent
        await asyncio.sleep(0.05)
