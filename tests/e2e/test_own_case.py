"""Nobody decides their own case, end to end: the secretary's own leave and minutes go to the 副书记, or — with no
副书记 — to the officer of the unit above (no member of the branch), whose card says why it came to them; the
secretary never gets an approve button for their own case, and a forged press of theirs is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.meetings import MeetingKind
from bot.domain.roles import Role
from bot.services import units
from storage import meetings, members, submissions
from storage import units as unit_store
from tests.e2e.helpers import branch_with_members
from tests.support import SECRETARY_ID

OFFICER = 7001
HELD = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)  # a 支委会 held on 11月20日 14:00 Shanghai


async def _own_leave(harness, secretary) -> int:
    """The secretary asks for leave from the coming theme day with /leave; the leave's submission id."""
    await harness.drain()  # the December theme day is planned
    await secretary.send("/leave")
    await secretary.expect("请发送请假理由")
    await secretary.send("到县里参加培训")
    await secretary.expect("请假申请已提交")
    own = await members.by_telegram_id(harness.svc.db, SECRETARY_ID)
    [leave] = await submissions.by_author(harness.svc.db, own.id, "leave")
    await harness.drain()
    return leave.id


async def _own_minutes(harness, secretary) -> int:
    """A held 支委会 whose record the secretary wrote (all fields given): /minutes → the meeting → 📤 提交审核."""
    svc = harness.svc
    own = await members.by_telegram_id(svc.db, SECRETARY_ID)
    async with svc.db.write() as db:
        meeting = await meetings.create(db, branch_id=own.branch_id, kind=MeetingKind.COMMITTEE, starts_at=HELD,
                                        ends_at=HELD + timedelta(hours=2), checkin_opens_at=HELD, now=svc.now(),
                                        title="研究发展党员工作")
        await submissions.get_or_create(
            db, branch_id=own.branch_id, author_id=own.id, kind="minutes", ref=f"meeting:{meeting.id}", now=svc.now(),
            content={"kind": "支部委员会", "meeting": "支部委员会", "when": "11月20日 14:00–16:00", "place": "党员活动室",
                     "topic": "研究发展党员工作", "host": "王书记", "recorder": "王书记", "confirmed": True,
                     "agenda": "研究发展党员工作", "content": "讨论了入党积极分子的培养", "resolutions": "",
                     "photos_done": True})
    await secretary.send("/minutes")
    await secretary.expect("请选择会议")
    await secretary.press("支部委员会 11-20")
    await secretary.expect("会议记录预览")
    await secretary.press("📤 提交审核")
    await secretary.expect("已提交审核")
    await harness.drain()
    [record] = await submissions.for_ref(svc.db, "minutes", f"meeting:{meeting.id}")
    return record.id


def _approve_buttons(person) -> list[str]:
    return [label for m in person.messages() for label in m.labels() if label.startswith(("✅ 批准", "✅ 通过"))]


async def test_the_secretarys_own_leave_and_minutes_go_to_the_deputy(harness):
    """李红梅 is 副书记: the secretary's leave card reaches her ("支部书记本人的请假申请，由您审批") and not the
    secretary, whose forged 批准 is refused and whose /pending is empty; she approves and the secretary is told; the
    secretary's own minutes go to her likewise. The secretary never had an approve button for either."""
    secretary, (deputy, member) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    async with harness.svc.db.write() as db:
        await members.add_role(db, (await members.by_telegram_id(db, deputy.id)).id, Role.DEPUTY)
    leave_id = await _own_leave(harness, secretary)
    card = await deputy.expect("请假申请待审核")
    assert "支部书记本人的请假申请，由您审批" in card.plain and "✅ 批准" in card.labels()
    assert not [m for m in secretary.messages() if "请假申请待审核" in m.plain]
    forged = await secretary.press_data(card.message_id, f"rv:ok:{leave_id}:1")
    assert "您本人的事项" in forged.text
    assert (await submissions.get(harness.svc.db, leave_id)).status == "submitted"
    forged = await member.press_data(card.message_id, f"rv:ok:{leave_id}:1")
    assert "权限" in forged.text
    await secretary.send("/pending")
    await secretary.expect("没有待审核的事项")

    await deputy.press("✅ 批准", message=card)
    await harness.drain()
    told = await secretary.expect("请假申请")
    assert "审核通过" in told.plain and "李红梅" in told.plain

    record_id = await _own_minutes(harness, secretary)
    minutes_card = await deputy.expect("会议记录待审核")
    assert "支部书记本人的会议记录，由您审核" in minutes_card.plain
    await deputy.press("✅ 通过", message=minutes_card)
    assert (await submissions.get(harness.svc.db, record_id)).status == "approved"
    assert _approve_buttons(secretary) == []


async def test_with_no_deputy_the_secretarys_own_case_goes_to_the_unit_officer(harness):
    """No 副书记: the secretary's leave and minutes go to 城关镇党委's officer (no member of any branch), naming the
    branch and why; the officer's /pending lists the waiting one; 批准 and 通过 are recorded under the officer's
    name, and the audit log shows it; the secretary never had an approve button, and their forged press is
    refused."""
    secretary, (member,) = await branch_with_members(harness, names=("李红梅",))
    svc = harness.svc
    unit = await units.create_unit(svc, "城关镇党委", None, "党委")
    await units.add_officer(svc, unit.id, OFFICER, "刘志强")
    async with svc.db.write() as db:
        await unit_store.place_branch(db, 1, unit.id)
    officer = harness.emu.user(OFFICER, "刘")

    leave_id = await _own_leave(harness, secretary)
    card = await officer.expect("请假申请待审核")
    assert "支部书记本人的请假申请，由您审批" in card.plain and "提交人：王书记（第一党支部）" in card.plain
    await officer.send("/pending")
    listed = await officer.expect("待审核")
    assert "请假申请 · 王书记" in listed.labels()
    forged = await secretary.press_data(card.message_id, f"rv:ok:{leave_id}:1")
    assert "您本人的事项" in forged.text
    await officer.press("✅ 批准", message=card)
    await harness.drain()
    told = await secretary.expect("请假申请")
    assert "审核通过" in told.plain and "刘志强" in told.plain

    record_id = await _own_minutes(harness, secretary)
    minutes_card = await officer.expect("会议记录待审核")
    assert "支部书记本人的会议记录，由您审核" in minutes_card.plain
    await officer.press("✅ 通过", message=minutes_card)
    decided = await submissions.get(svc.db, record_id)
    assert decided.status == "approved" and decided.decided_by_name == "刘志强"
    assert _approve_buttons(secretary) == [] and _approve_buttons(member) == []

    await secretary.send("/audit")
    log = await secretary.expect("操作记录")
    assert "城关镇党委管理员刘志强：审核通过会议记录（王书记）" in log.plain
