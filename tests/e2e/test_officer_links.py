"""Officer links are used once, expire, and die with the officer: removed in chat (/units) by another officer of the
unit or one above, or with `zhibu unit officer remove`, a removed officer's old link is refused; all audited."""

from __future__ import annotations

import json
import re
import sqlite3

from bot.services import units
from storage import units as unit_store
from tests.support import ADMIN_ID

A, B, C = 7301, 7302, 7303


async def _unit(harness, name: str = "城关镇党委", parent: str | None = None) -> int:
    return (await units.create_unit(harness.svc, name, parent, "党委")).id


async def _link(harness, admin, unit_name: str) -> str:
    """The root's officer opens the unit in /units and takes an officer link; its code."""
    await admin.send("/units")
    root = await admin.expect("县委组织部")
    await admin.press(f"📂 {unit_name}", message=root)
    await admin.expect("下级组织")
    await admin.press("🔗 管理员邀请链接")
    link = await admin.expect("管理员邀请链接")
    return re.search(r"start=(\S+)", link.plain).group(1)


def _audit(harness, action: str) -> list[dict]:
    with sqlite3.connect(harness.settings.db) as db:
        return [json.loads(row[0]) for row in db.execute("SELECT detail FROM audit_log WHERE action = ?", (action,))]


async def test_a_removed_officers_old_link_is_refused(harness):
    """A opens a link and is an officer; a second link is taken meanwhile. B, another officer of the unit, removes A
    from /units; A's second link and the used first one are both refused, and A is no officer any more."""
    unit_id = await _unit(harness)
    admin = harness.emu.user(ADMIN_ID, "组织部")
    first = await _link(harness, admin, "城关镇党委")
    second = await _link(harness, admin, "城关镇党委")
    officer_a, officer_b = harness.emu.user(A, "甲"), harness.emu.user(B, "乙")
    await officer_a.send(f"/start {first}")
    await officer_a.expect("您已成为 城关镇党委 的管理员")
    await units.add_officer(harness.svc, unit_id, B, "乙")

    await officer_b.send("/units")
    view = await officer_b.expect("城关镇党委")
    await officer_b.press("➖ 移除管理员", message=view)
    listing = await officer_b.expect("点要移除的管理员")
    assert listing.labels() == [f"移除 甲（{A}）", "« 返回 城关镇党委"]  # never oneself
    await officer_b.press(f"移除 甲（{A}）")
    await officer_b.expect("确认移除")
    await officer_b.press("确认移除")
    done = await officer_b.expect("已移除")
    assert "作废未使用的邀请链接 1 个" in done.plain

    for code in (second, first):
        await officer_a.send(f"/start {code}")
        await officer_a.expect("管理员邀请链接已失效")
    assert await unit_store.units_of_officer(harness.svc.db, A) == []
    [entry] = _audit(harness, "unit.officer_remove")
    assert (entry["officer"], entry["by"], entry["removed"], entry["revoked_links"]) == (A, B, True, 1)


async def test_a_link_expires_and_is_used_once(harness):
    """A link opened after ZHIBU_OFFICER_LINK_DAYS (7) is refused; a good one works once, not for a second person."""
    await _unit(harness)
    admin = harness.emu.user(ADMIN_ID, "组织部")
    old = await _link(harness, admin, "城关镇党委")
    harness.clock.advance(days=7, minutes=1)
    fresh = await _link(harness, admin, "城关镇党委")
    late = harness.emu.user(A, "甲")
    await late.send(f"/start {old}")
    refusal = await late.expect("管理员邀请链接已失效")
    assert "7 天内有效" in refusal.plain
    await late.send(f"/start {fresh}")
    await late.expect("您已成为")
    other = harness.emu.user(B, "乙")
    await other.send(f"/start {fresh}")
    await other.expect("管理员邀请链接已失效")
    assert await unit_store.units_of_officer(harness.svc.db, B) == []


async def test_links_die_with_the_officer_who_issued_them_and_the_command_line_removes(harness):
    """An officer of a 党委 issues a link for the 党总支 under it and is then removed with `zhibu unit officer
    remove`: the link is refused. Nobody removes themselves in chat; a forged removal by a stranger changes nothing."""
    committee = await _unit(harness)
    await units.create_unit(harness.svc, "城关镇第一党总支", "城关镇党委", "党总支")
    await units.add_officer(harness.svc, committee, A, "甲")
    await units.add_officer(harness.svc, committee, B, "乙")
    officer_a = harness.emu.user(A, "甲")
    await officer_a.send("/units")
    view = await officer_a.expect("城关镇党委")
    await officer_a.press("📂 城关镇第一党总支", message=view)
    await officer_a.expect("下级组织")
    await officer_a.press("🔗 管理员邀请链接")
    code = re.search(r"start=(\S+)", (await officer_a.expect("管理员邀请链接")).plain).group(1)

    refused = await officer_a.press_data(view.message_id, f"un:R:{committee}:{A}")
    assert "对方已经不是" in refused.text or "不能移除自己" in refused.text
    stranger = harness.emu.user(C, "路人")
    forged = await stranger.press_data(1, f"un:R:{committee}:{B}")
    assert "管理权限" in forged.text
    assert sorted(o.telegram_id for o in await unit_store.officers_of(harness.svc.db, committee)) == [A, B]

    done = await harness.cli("unit", "officer", "remove", "--unit", "城关镇党委", "--telegram-id", str(A))
    assert done.returncode == 0 and f"{A} is no longer an officer of 城关镇党委" in done.stdout
    assert "1 unused officer link(s) revoked" in done.stdout
    newcomer = harness.emu.user(C + 1, "丙")
    await newcomer.send(f"/start {code}")
    await newcomer.expect("管理员邀请链接已失效")
    missing = await harness.cli("unit", "officer", "remove", "--unit", "99999999999999999999", "--telegram-id", "1")
    assert missing.returncode == 2 and "no unit" in missing.stderr
    assert [e["by"] for e in _audit(harness, "unit.officer_remove")] == [None]
