"""The demo's first screens, read as a visitor sees them: the real demo (emulator, seeded database, the real bot over
HTTP) just started, what the secretary, a member and the officer have in their chats and menus."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.demo.runner import Demo
from bot.demo.seed import MEMBERS, OFFICER, SECOND_BRANCH, SECRETARY
from bot.domain import overview as rules
from bot.domain.meetings import MeetingKind
from bot.settings import Settings
from storage import meetings
from storage import overview as store
from storage import units as unit_store

COMMITTEE = {SECRETARY[1], "李红梅", "周敏"}  # the demo's 支委 (secretary, 组织委员, 宣传委员)
NOT_COMMITTEE = {name for _, name, _ in MEMBERS} - COMMITTEE


@pytest.fixture
async def demo(tmp_path):
    running = Demo(Settings(db=tmp_path / "unused.db"), "127.0.0.1", 0, db=tmp_path / "demo.db")
    await running.start()
    local = running.clock.now().astimezone(ZoneInfo(running.tz()))
    if local.hour < 9:  # the secretary's digest goes out from 08:30: look at the screens after it
        running.clock.advance(timedelta(hours=9 - local.hour))
    await running.drain()
    await running.emu.idle()
    yield running
    await running.stop()


def _digest_message(demo: Demo):
    shown = demo.emu.user(SECRETARY[0], SECRETARY[1]).messages()
    found = [m for m in shown if "今日待办" in m.plain]
    assert found, f"no digest among the secretary's first messages: {[m.plain[:30] for m in shown]}"
    return found[0]


def _digest(demo: Demo) -> str:
    return _digest_message(demo).plain


async def test_the_secretarys_digest_names_no_one_for_a_meeting_they_do_not_belong_to(demo):
    """The past 支委会 expected its committee only, so no ordinary member is overdue on make-up for it (the demo used
    to list 孙丽 and 吴刚), and the committee, all present, owes nothing for it."""
    digest = _digest(demo)
    assert "支部委员会" not in digest, digest
    people = COMMITTEE | NOT_COMMITTEE
    named = [(who, what) for who, what in re.findall(r"· (\S+?)（(.+?)）", digest) if who in people]
    assert named and all(what.endswith("主题党日") for _, what in named), named


async def test_the_secretarys_digest_carries_a_button_per_section_once(demo):
    """Each section that asks for something has its button (the 10月 theme day's tally serves both make-up sections,
    shown once); no button is there twice."""
    labels = _digest_message(demo).labels()
    assert {"📊 查看签到：10月主题党日", "➡️ 民主评议", "➡️ 谈心谈话"} <= set(labels), labels
    assert len(labels) == len(set(labels)), labels


async def test_the_secretary_reads_the_committee_meetings_tally_as_three_of_three(demo):
    """/attendance for the month of the past 支委会: 应到 3, 实到 3, nobody absent — the register the tally comes from
    has no absence for anyone outside the committee."""
    svc = demo.app.bot_data.svc
    committee = next(m for m in await meetings.in_branch(svc.db, demo.cast.branch.id)
                     if m.kind is MeetingKind.COMMITTEE and m.status == "closed")
    local = committee.starts_at.astimezone(ZoneInfo(demo.tz()))
    secretary = demo.emu.user(SECRETARY[0], SECRETARY[1])
    await secretary.send(f"/attendance {local.year}-{local.month}")
    tally = await secretary.expect("支部委员会签到汇总")
    assert "应到 3 人，实到 3 人" in tally.plain and "缺席 0 人" in tally.plain, tally.plain
    marked = {row.member_id for row in await meetings.attendance(svc.db, committee.id)}
    names = {m.id: m.name for m in demo.cast.members + [demo.cast.secretary]}
    assert {names[i] for i in marked} == COMMITTEE and not NOT_COMMITTEE & {names[i] for i in marked}


async def test_the_officers_attendance_chart_has_no_month_dragged_down_by_the_committee(demo):
    """The figures behind the officer's 📈 chart: only meetings for everyone count, so the month of the past theme
    day shows its 5 of 7 (71 %), and no month shows the 3 of 7 (43 %) the committee meeting used to put there."""
    svc = demo.app.bot_data.svc
    branch, tz, now = demo.cast.branch, demo.tz(), demo.clock.now()
    months = rules.last_months(now.astimezone(ZoneInfo(tz)).date())
    unit = await unit_store.unit_of_branch(svc.db, branch.id)
    rows = (await store.meeting_rows(svc.db, [unit], now - timedelta(days=400), now)).get(branch.id, [])
    rates = [r for r in rules.attendance_by_month(rows, months, tz, now, 7) if r is not None]
    assert rates and all(r >= 5 / 7 - 1e-9 for r in rates), rates


async def test_the_officers_menu_is_there_before_he_writes(demo):
    """刘志强 (城关镇党委's officer) has sent nothing, yet his ☰ already lists /units and /overview."""
    officer = demo.emu.user(OFFICER[0], OFFICER[1])
    assert not [m for m in officer.messages() if not m.from_bot]
    commands = {c["command"] for c in demo.emu.commands_for(OFFICER[0])}
    assert {"units", "overview"} <= commands, commands


async def test_a_member_opens_on_her_reminders_with_their_buttons(demo):
    """李红梅's first screens: the dues card to confirm (she is 组织委员), the 支委会 notice with 签到 / 请假, and the
    evaluation's opening with 写自评 / 去互评 — each message that asks for something carries its button."""
    li = demo.emu.user(2001, "李红梅")
    shown = li.messages()
    assert shown, "李红梅 has no messages"
    asking = [m for m in shown if "请点" in m.plain or "请您" in m.plain]
    assert asking and all(m.labels() for m in asking), [(m.plain[:40], m.labels()) for m in asking]


async def test_the_past_meetings_were_held_in_the_afternoon_whenever_the_demo_starts(demo):
    """The tally behind the digest's 📊 button shows last month's theme day at 14:30–16:30 (it used to take the hour
    the demo was started at: a visitor in the evening read 22:05–00:05), and the past 支委会 starts at 15:00."""
    secretary, digest = demo.emu.user(SECRETARY[0], SECRETARY[1]), _digest_message(demo)
    await secretary.press(next(label for label in digest.labels() if label.startswith("📊 查看签到")), digest)
    tally = await secretary.expect("应到")
    assert "14:30–16:30" in tally.plain, tally.plain
    svc, tz = demo.app.bot_data.svc, ZoneInfo(demo.tz())
    committee = next(m for m in await meetings.in_branch(svc.db, demo.cast.branch.id)
                     if m.kind is MeetingKind.COMMITTEE and m.status == "closed")
    assert committee.starts_at.astimezone(tz).strftime("%H:%M") == "15:00"


async def test_the_in_service_member_holds_a_phone_and_sees_the_community_he_reports_to(demo):
    """马文华 of the second branch is one of the page's phones, titled as reporting in; his /serve shows the first
    branch as the community he has reported to."""
    phone_id, name = SECOND_BRANCH[1]
    phones = {p["id"]: p for p in (await demo.info())["phones"]}
    assert phone_id in phones and "报到" in phones[phone_id]["title"], phones.get(phone_id)
    assert ((await demo.info())["visitor"] or {}).get("id") != phone_id  # not offered as the next visitor
    person = demo.emu.user(phone_id, name)
    await person.send("/serve")
    assert demo.cast.branch.name in (await person.expect("报到")).plain
