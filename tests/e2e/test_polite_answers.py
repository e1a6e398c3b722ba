"""What once ended in a traceback answers politely: typing again after an officer's notice preview, and ids beyond
what the database holds (/export with a unit id, /minutes with a meeting number, an officer's Telegram id)."""

from __future__ import annotations

import logging

import pytest

from bot.services import units
from storage import branches
from storage import units as unit_store
from tests.e2e.helpers import create_branch
from tests.support import ADMIN_ID

OFFICER_ID = 7401
HUGE = "99999999999999999999"


@pytest.fixture
def errors(caplog):
    caplog.set_level(logging.ERROR)
    return caplog


async def _officer_of_a_committee(harness) -> int:
    await create_branch(harness, "第一党支部")
    unit = await units.create_unit(harness.svc, "城关镇党委", None, "党委")
    async with harness.svc.db.write() as db:
        for branch in await branches.every(db):
            await unit_store.place_branch(db, branch.id, unit.id)
    await units.add_officer(harness.svc, unit.id, OFFICER_ID, "刘")
    return unit.id


async def test_typing_again_after_the_notice_preview_is_answered(harness, errors):
    """📢 发通知, the text, the preview — then more text: the officer is told to use the preview's buttons."""
    await _officer_of_a_committee(harness)
    officer = harness.emu.user(OFFICER_ID, "刘")
    await officer.send("/overview")
    await officer.press("📢 发通知", message=await officer.expect("支部总览"))
    await officer.expect("请发送通知内容")
    await officer.send("请各支部本周五前报送学习计划。")
    await officer.expect("通知预览")
    await officer.send("再补充一句")
    answer = await officer.expect("预览正等待您确认")
    assert "📤 发送" in answer.plain
    await harness.emu.idle()
    assert not errors.records


async def test_ids_beyond_the_database_are_refused_politely(harness, errors):
    """/export attendance 2026 <20 digits>, /minutes <20 digits> and a 20-digit officer id each get an answer, no
    OverflowError."""
    await _officer_of_a_committee(harness)
    officer = harness.emu.user(OFFICER_ID, "刘")
    await officer.send(f"/export attendance 2026 {HUGE}")
    usage = await officer.expect()
    assert "/export" in usage.plain
    secretary = harness.emu.user(1001, "王")
    await secretary.send(f"/minutes {HUGE}")
    await secretary.expect(HUGE)
    admin = harness.emu.user(ADMIN_ID, "组织部")
    await admin.send("/units")
    await admin.press("📂 城关镇党委", message=await admin.expect("县委组织部"))
    await admin.expect("下级组织")
    await admin.press("➕ 按 ID 添加管理员")
    await admin.expect("请发送对方的 Telegram 数字 ID")
    await admin.send(HUGE)
    await admin.expect("一串数字")
    await harness.emu.idle()
    assert not errors.records
