"""Oversight end to end: an officer's /overview shows their 党委's branches only and refuses another's; a silent
branch is in the officer's weekly digest (once); an officer's notice reaches the subtree only, with read counts per
branch; charts arrive as PNG pictures of the expected size."""

from __future__ import annotations

import struct
from datetime import timedelta

from bot.bench.roster import county_rows, workbook
from bot.services import roster, units
from storage import branches, outbox
from storage import units as unit_store
from tests.e2e.helpers import create_branch, join
from tests.support import SECRETARY_ID

OFFICER_ID = 7001


def _png_size(content: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (signature, then the IHDR chunk)."""
    assert content[:8] == b"\x89PNG\r\n\x1a\n" and content[12:16] == b"IHDR"
    return struct.unpack(">II", content[16:24])


async def _place(harness, branch_name: str, unit_name: str) -> int:
    db = harness.svc.db
    unit = await unit_store.by_name(db, unit_name)
    if unit is None:
        unit = await units.create_unit(harness.svc, unit_name, None, "党委")
    branch = next(b for b in await branches.every(db) if b.name == branch_name)
    async with db.write() as tx:
        await unit_store.place_branch(tx, branch.id, unit.id)
    return branch.id


async def test_officer_sees_only_their_committees_branches(harness):
    """An officer of 第1镇党委 sees its 3 branches in /overview (not 第2镇党委's); tapping one opens its card with
    the secretary's name; a forged press for a branch of 第2镇党委 is refused and shows nothing of it."""
    await roster.apply(harness.svc, workbook(*county_rows(2, 6, 30)))
    first = await unit_store.by_name(harness.svc.db, "第1镇党委")
    await units.add_officer(harness.svc, first.id, OFFICER_ID, "张委员")
    officer = harness.emu.user(OFFICER_ID, "张委员")
    await officer.send("/overview")
    page = await officer.expect("支部总览")
    assert "共 3 个党支部" in page.plain
    named = sorted(label.split(" ", 1)[1] for label in page.labels() if "党支部" in label)
    assert named == [f"第1镇党委第{n}党支部" for n in (1, 3, 5)]
    assert "第2镇党委" not in page.plain

    await officer.press(next(label for label in page.labels() if "第1镇党委第1党支部" in label), message=page)
    card = await officer.expect("支部书记")
    assert "第1镇党委第1党支部" in card.plain and "三会一课（本季度）" in card.plain

    other = next(b for b in await branches.every(harness.svc.db) if b.name.startswith("第2镇党委"))
    refused = await officer.press_data(page.message_id, f"ov:b:{other.id}:all:0")
    assert "不在您的管辖范围" in refused.text
    assert not any(other.name in text for text in officer.texts())

    stranger = harness.emu.user(7002, "路人")
    await stranger.send("/overview")
    await stranger.expect("需要上级党组织")


async def test_silent_branch_is_in_the_officers_weekly_digest_once(harness):
    """A branch made 60 days ago with no meeting and no submission since is named in the 城关镇党委 officer's
    Monday digest, whose button opens /overview with the alerts only; a second drain that week sends nothing more."""
    today = harness.clock.now()
    harness.clock.set(today - timedelta(days=60))
    await create_branch(harness, "城关镇第二党支部", secretary_id=1101, secretary_name="周书记")
    harness.clock.set(today)  # Monday 10:00 in Shanghai: the week's digest is due
    await _place(harness, "城关镇第二党支部", "城关镇党委")
    unit = await unit_store.by_name(harness.svc.db, "城关镇党委")
    await units.add_officer(harness.svc, unit.id, OFFICER_ID, "刘志强")
    officer = harness.emu.user(OFFICER_ID, "刘志强")
    await officer.send("/start")  # as every officer has: the bot may write to them
    await officer.expect()
    await harness.drain()
    digest = await officer.expect("每周支部预警")
    assert "静默支部" in digest.plain and "城关镇第二党支部" in digest.plain
    await officer.press("⚠️ 查看这 1 个支部", message=digest)
    alerts = await officer.expect("只看预警")
    assert "🔇 静默" in alerts.plain and "城关镇第二党支部" in alerts.plain

    harness.clock.set(today + timedelta(hours=3))
    await harness.drain()
    assert len(await outbox.by_prefix(harness.svc.db, f"officer-digest:{OFFICER_ID}:")) == 1


async def test_officer_notice_reaches_the_subtree_only_with_read_counts(harness):
    """城关镇党委 holds two branches, 河口镇党委 one. The officer's notice to 全体党员 reaches the 3 members of the
    two branches and nobody of the third; after one member reads it, the per-branch view lists the branch with
    no reads first (0/1), then 1/2."""
    await create_branch(harness, "第一党支部")
    member = harness.emu.user(2001, "李红梅")
    await join(harness, member, "李红梅")
    await create_branch(harness, "第二党支部", secretary_id=1101, secretary_name="周书记")
    await create_branch(harness, "河口党支部", secretary_id=1201, secretary_name="吴书记")
    for name in ("第一党支部", "第二党支部"):
        await _place(harness, name, "城关镇党委")
    await _place(harness, "河口党支部", "河口镇党委")
    unit = await unit_store.by_name(harness.svc.db, "城关镇党委")
    await units.add_officer(harness.svc, unit.id, OFFICER_ID, "刘志强")

    officer = harness.emu.user(OFFICER_ID, "刘志强")
    await officer.send("/overview")
    await officer.press("📢 发通知", message=await officer.expect("支部总览"))
    await officer.expect("请发送通知内容")
    await officer.send("请各支部本周五前报送学习计划。")
    preview = await officer.expect("通知预览")
    assert "所辖 2 个党支部" in preview.plain and "各支部书记" in preview.plain
    await officer.press("全体党员", message=preview)
    await officer.expect("发给：全体党员")
    await officer.press("📤 发送")
    sent = await officer.expect("通知已发送")
    assert "2 个党支部，共 3 人" in sent.plain
    await harness.drain()
    copy = await member.expect("学习计划")
    for person in (harness.emu.user(SECRETARY_ID, "王"), harness.emu.user(1101, "周")):
        await person.expect("学习计划")
    assert not any("学习计划" in text for text in harness.emu.user(1201, "吴").texts())

    answer = await member.press("✅ 已读", message=copy)
    assert "已确认阅读" in answer.text
    outsider = await harness.emu.user(1201, "吴").press_data(sent.message_id, "ov:r:1")
    assert "不是发给您的" in outsider.text

    await officer.press("📊 各支部已读情况", message=sent)
    reads = await officer.expect("通知已读情况")
    assert "已读 1/3" in reads.plain
    assert reads.plain.index("第二党支部：0/1（0%）") < reads.plain.index("第一党支部：1/2（50%）")


async def test_charts_arrive_as_png_of_the_expected_size(harness):
    """The secretary's `/attendance 图表` is an 800×450 PNG; the officer's heat map of 2 branches is 1000 px wide
    and (1.6 + 0.3 × 2) × 100 px high; a plain member may not ask for the chart."""
    await create_branch(harness, "第一党支部")
    member = harness.emu.user(2001, "李红梅")
    await join(harness, member, "李红梅")
    await create_branch(harness, "第二党支部", secretary_id=1101, secretary_name="周书记")
    for name in ("第一党支部", "第二党支部"):
        await _place(harness, name, "城关镇党委")
    unit = await unit_store.by_name(harness.svc.db, "城关镇党委")
    await units.add_officer(harness.svc, unit.id, OFFICER_ID, "刘志强")

    secretary = harness.emu.user(SECRETARY_ID, "王")
    await secretary.send("/attendance 图表")
    chart = await secretary.expect("近 12 个月出勤率")
    assert chart.kind == "photo"
    assert _png_size(harness.emu.files[chart.file_id].content) == (800, 450)
    await member.send("/attendance 图表")
    await member.expect("权限")

    officer = harness.emu.user(OFFICER_ID, "刘志强")
    await officer.send("/overview")
    await officer.press("🗺 完成情况热力图", message=await officer.expect("支部总览"))
    grid = await officer.expect("三会一课完成情况：近 12 个月")
    assert grid.kind == "photo" and "共 2 个支部，第 1/1 页" in grid.plain
    assert _png_size(harness.emu.files[grid.file_id].content) == (1000, 220)
