"""What several end-to-end test modules do to get going: a branch, people who joined it, an open evaluation. Test
modules import these from here (and the ids from tests/support.py), never from one another."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.domain.meetings import MeetingKind
from bot.domain.outbox import Planned
from bot.outgoing import Outgoing
from bot.scheduler import BACKOFF
from bot.services import membership, review, units
from storage import meetings, members, outbox, submissions
from storage import units as unit_store
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


def column_of(sheet, title: str) -> int:
    """The index (in a row of `data_rows`) of the register's column headed `title`: a column added to a register
    moves no test's reading of another."""
    return list(next(sheet.iter_rows(min_row=header_row(sheet), max_row=header_row(sheet), values_only=True))).index(
        title)


def data_rows(sheet) -> list[tuple]:
    """An exported register's rows under its header, as values."""
    return list(sheet.iter_rows(min_row=header_row(sheet) + 1, values_only=True))


async def documents(person, count: int, timeout: float = 60) -> list:
    """The documents the bot has sent this person, once there are `count` of them: a book takes a while to build,
    during which the bot makes no request, so waiting for the emulator to be idle would return too early."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        sent = [m for m in person.messages() if m.kind == "document"]
        remaining = deadline - asyncio.get_running_loop().time()
        if len(sent) >= count or remaining <= 0:
            return sent
        await person.emu.wait_event(remaining, chat_id=person.id)  # woken by the next message in their chat


OFFICER, OTHER_OFFICER = 7001, 7002


async def two_committees(harness, branch_id: int) -> tuple[int, int]:
    """城关镇党委 (officer 7001) over the branch, 河西镇党委 (officer 7002) beside it."""
    svc = harness.svc
    first = await units.create_unit(svc, "城关镇党委", None, "党委")
    second = await units.create_unit(svc, "河西镇党委", None, "党委")
    await units.add_officer(svc, first.id, OFFICER, "刘志强")
    await units.add_officer(svc, second.id, OTHER_OFFICER, "陈河西")
    async with svc.db.write() as db:
        await unit_store.place_branch(db, branch_id, first.id)
    return first.id, second.id


async def submitted_minutes(harness, author_telegram_id: int, topic: str,
                            start: datetime = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)) -> None:
    """A held 支部委员会 whose recorder handed in the minutes (the form itself is tested in test_minutes.py)."""
    svc = harness.svc
    author = await members.by_telegram_id(svc.db, author_telegram_id)
    async with svc.db.write() as db:
        meeting = await meetings.create(db, branch_id=author.branch_id, kind=MeetingKind.COMMITTEE, starts_at=start,
                                        ends_at=start + timedelta(hours=2), checkin_opens_at=start, now=svc.now(),
                                        title=topic)
        record = await submissions.get_or_create(
            db, branch_id=author.branch_id, author_id=author.id, kind="minutes", ref=f"meeting:{meeting.id}",
            now=svc.now(), content={"kind": "支部委员会", "meeting": "支部委员会", "when": "11月20日 14:00–16:00",
                                    "place": "党员活动室", "topic": topic, "host": "王书记", "recorder": author.name,
                                    "agenda": "研究发展党员工作", "content": "讨论了入党积极分子的培养", "resolutions": "",
                                    "attendance": {"expected": 2, "present": ["王书记", author.name],
                                                   "on_leave": [], "absent": []}})
        await review.submit(svc, db, record)


# A small PDF, what a branch's file is to the bot (kept by Telegram, fetched by the task export).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TEMPLATE = b"PK\x03\x04 a template"  # the officer's template file, as bytes (the bot never opens it)


async def issue_task(harness, officer, title: str = "2026年下半年党建工作总结") -> None:
    """The officer's /tasks → ➕ → title, text, last day, a template file → the preview → 发布 (all its branches)."""
    await officer.send("/tasks")
    await officer.press("➕ 新建报送任务", message=await officer.expect("报送任务"))
    await officer.expect("第 1/4 步")
    await officer.send(title)
    await officer.expect("第 2/4 步")
    await officer.send("请各支部报送本年度党建工作总结，附主要活动照片。")
    await officer.expect("第 3/4 步")
    await officer.send("昨天")
    await officer.expect("没能看懂这个日期，或它已经过去了")
    await officer.send("12月20日")
    await officer.expect("第 4/4 步")
    await officer.send("没有文件")
    await officer.expect("这一步请发送模板文件")
    await officer.send_document(TEMPLATE, "总结模板.docx", "application/vnd.openxmlformats-officedocument."
                                "wordprocessingml.document")
    preview = await officer.expect("报送任务预览")
    assert "截止日期：2026年12月20日" in preview.plain and "所辖 3 个党支部" in preview.plain
    assert "📎 模板文件：总结模板.docx" in preview.plain
    await officer.press("📤 发布", message=preview)
    await officer.expect("已发给 3 个党支部")


async def hand_in(secretary, text: str, photo: bool = False, file: tuple[bytes, str] | None = None) -> None:
    """提交材料 on the task's message: the text, a photo and a file as asked, 预览, 提交."""
    await secretary.press("📤 提交材料")
    await secretary.expect("报送材料")
    await secretary.send(text)
    await secretary.expect("已保存")
    if photo:
        await secretary.send_photo()
        await secretary.expect("照片 1 张")
    if file:
        await secretary.send_document(file[0], file[1], "application/pdf")
        await secretary.expect("文件 1 个")
    await secretary.press("👀 预览")
    await secretary.expect("预览")
    await secretary.press("📤 提交")
    await secretary.expect("已提交")
