"""The county level end to end: an officer sends the roster workbook and confirms the preview; an officer of one
党委 sees only its subtree; personal links link imported people; a 党小组长 schedules their group's 党小组会."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.bench.roster import county_rows, workbook
from bot.domain.models import MemberStatus
from bot.services import roster, units
from storage import branches, meetings, members
from storage import roster as roster_store
from storage import units as unit_store
from tests.e2e.helpers import branch_with_members, create_branch
from tests.support import ADMIN_ID, SECRETARY_ID

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _active_count(harness) -> int:
    return len(await roster_store.live_members(harness.svc.db))


async def test_roster_file_preview_confirm_and_reimport(harness):
    """2 units, 10 branches, 200 members and one bad row (row 203: no name): the preview names the row and changes
    nothing; 确认导入 creates exactly that; the same file again changes nothing and offers no button."""
    orgs, people = county_rows(2, 10, 200)
    people.append((201, "", "第1镇党委第1党支部", "男", "汉族", None, "", "正式党员", None, None, "", "", "", ""))
    content = workbook(orgs, people)
    admin = harness.emu.user(ADMIN_ID, "组织部")
    await admin.send_document(content, "名册.xlsx", XLSX)
    preview = await admin.expect("名册导入预览")
    assert "组织：新建 2，更新 0，不变 0" in preview.plain
    assert "党支部：新建 10，更新 0，不变 0" in preview.plain
    assert "党员：新建 200，更新 0，不变 0" in preview.plain
    assert "「党员名册」第 203 行：姓名为空" in preview.plain
    assert await branches.every(harness.svc.db) == [] and await _active_count(harness) == 0

    await admin.press("✅ 确认导入")
    done = await admin.expect("名册已导入")
    assert "党员：新建 200" in done.plain
    assert len(await branches.every(harness.svc.db)) == 10 and await _active_count(harness) == 200
    stale = await admin.press_data(preview.message_id, "un:ok")  # a second tap finds nothing held
    assert "已确认或已过期" in stale.text

    await admin.send_document(content, "名册.xlsx", XLSX)
    again = await admin.expect("名册导入预览")
    assert "党员：新建 0，更新 0，不变 200" in again.plain and "没有需要导入的变化" in again.plain
    assert again.labels() == []
    assert len(await branches.every(harness.svc.db)) == 10 and await _active_count(harness) == 200


async def test_officer_of_one_committee_sees_only_its_branches(harness):
    """The root's officer adds 7001 to 第1镇党委 from /units by Telegram id (7001's menu is set at once); 7001's /units shows that 党委's branches
    and nothing of 第2镇党委, whose page a forged press cannot open; a member's file is not an import."""
    await roster.apply(harness.svc, workbook(*county_rows(2, 6, 30)))
    admin = harness.emu.user(ADMIN_ID, "组织部")
    await admin.send("/units")
    root = await admin.expect("县委组织部")
    assert "所辖党支部共 6 个" in root.plain
    await admin.press("📂 第1镇党委", message=root)
    await admin.expect("下级组织")
    await admin.press("➕ 按 ID 添加管理员")
    await admin.expect("请发送对方的 Telegram 数字 ID")
    await admin.send("7001")
    await admin.expect("已添加 7001 为 第1镇党委 的管理员")
    # The new officer's ☰ lists /units before they have written to the bot.
    assert {"units", "overview"} <= {c["command"] for c in harness.emu.commands_for(7001)}

    officer = harness.emu.user(7001, "张委员")
    await officer.send("/units")
    view = await officer.expect("第1镇党委")
    shown = [label for label in view.labels() if label.startswith("🏷")]
    assert shown == [f"🏷 第1镇党委第{n}党支部" for n in (1, 3, 5)]
    assert "第2镇党委" not in view.plain and "按 ID 添加管理员" not in view.labels()
    other = await unit_store.by_name(harness.svc.db, "第2镇党委")
    refused = await officer.press_data(view.message_id, f"un:v:{other.id}")
    assert "不在您的管辖范围" in refused.text
    mine = await units.subtree_branches(harness.svc, 7001)
    assert sorted(b.name for b in mine) == [f"第1镇党委第{n}党支部" for n in (1, 3, 5)]

    stranger = harness.emu.user(7002, "路人")
    await stranger.send_document(workbook(*county_rows(1, 1, 1)), "名册.xlsx", XLSX)
    await stranger.expect("邀请链接")  # the form router's answer to a stranger: how to join
    assert len(await branches.every(harness.svc.db)) == 6


async def test_personal_links_link_imported_secretary_and_member(harness):
    """The officer opens an imported branch in /units and forwards its secretary's personal link; the secretary
    opens it, is linked, and from /members forwards a member's own link, which links that member."""
    await roster.apply(harness.svc, workbook(*county_rows(1, 1, 5)))
    admin = harness.emu.user(ADMIN_ID, "组织部")
    await admin.send("/units")
    await admin.expect("县委组织部")
    await admin.press("📂 第1镇党委")
    await admin.expect("直属党支部")
    await admin.press("🏷 第1镇党委第1党支部")
    card = await admin.expect("个人链接")
    secretary_code = card.plain.split("start=", 1)[1].split()[0]

    secretary = harness.emu.user(5001, "书记")
    await secretary.send(f"/start {secretary_code}")
    linked = await secretary.expect("已关联到名册")
    assert "支部书记" in linked.plain
    await secretary.send("/members")
    roster_page = await secretary.expect("党员名册")
    row = next(r for r in await roster_store.live_members(harness.svc.db) if r["telegram_id"] is None)
    someone = row["name"]
    await secretary.press(someone, message=roster_page)
    await secretary.expect("尚未关联 Telegram")
    await secretary.press("🔗 个人链接")
    link = await secretary.expect(f"{someone} 的个人链接")
    code = link.plain.split("start=", 1)[1].split()[0]

    member = harness.emu.user(5002, someone)
    await member.send(f"/start {code}")
    await member.expect("已关联到名册")
    now = await members.get(harness.svc.db, row["id"])
    assert (now.telegram_id, now.status) == (5002, MemberStatus.ACTIVE)
    intruder = harness.emu.user(5003, "别人")
    await intruder.send(f"/start {code}")  # used up: it is no longer anyone's link
    await intruder.expect("链接无效")


async def test_group_leader_schedules_their_group_meeting_and_checks_in(harness):
    """The secretary puts 李红梅 and 赵建国 in 第一党小组 and makes 李红梅 党小组长 from /members; her /meeting is
    that group's 党小组会 only (2 people; the type buttons refuse her); 赵建国 is told and 孙丽 is not; at the
    meeting she checks 赵建国 in by proxy."""
    secretary, (li, zhao, sun) = await branch_with_members(harness)
    for name, first in (("李红梅", True), ("赵建国", False)):
        await secretary.send("/members")
        await secretary.press(name, message=await secretary.expect("党员名册"))
        await secretary.expect("点击职务")
        await secretary.press("👥 党小组：未分组")
        await secretary.expect("分到哪个党小组")
        if first:
            await secretary.press("➕ 新建党小组")
            await secretary.expect("请输入新党小组的名称")
            await secretary.send("第一党小组")
        else:
            await secretary.press("第一党小组")
        await secretary.expect(f"已把 {name} 分到 第一党小组")
        if first:
            await secretary.press("« 返回")
            await secretary.expect("党小组：第一党小组")
            answer = await secretary.press("党小组长")
            assert "已设为党小组长" in answer.text

    await li.send("/meeting")
    prompt = await li.expect("安排党小组会")
    assert "第一党小组，2 人" in prompt.plain
    refused = await li.press_data(prompt.message_id, "mg:k:assembly")
    assert "已失效" in refused.text
    await li.send("明天下午3点到4点")
    await li.expect("请发送会议地点")
    await li.send("村委会")
    await li.expect("请发送会议主题")
    await li.send("学习党章")
    await li.press("李红梅", message=await li.expect("请选择主持人"))
    await li.press("赵建国", message=await li.expect("请选择记录人"))
    await li.expect("会议安排预览")
    await li.press("📤 发布")
    await li.expect("党小组会已发布")
    await harness.drain()
    await zhao.expect("党小组会")
    assert not any("学习党章" in text for text in sun.texts())
    branch_id = (await members.by_telegram_id(harness.svc.db, SECRETARY_ID)).branch_id
    (meeting,) = [m for m in await meetings.upcoming_in_branch(harness.svc.db, branch_id, harness.clock.now())
                  if m.kind.value == "group"]
    assert meeting.audience == "group:第一党小组"

    harness.clock.set(datetime(2026, 11, 24, 6, 55, tzinfo=UTC))
    await li.send("/checkin")
    await li.expect("签到")
    await li.press("👥 代签到")
    await li.press("赵建国", message=await li.expect("代签到"))
    zhao_row = await members.by_telegram_id(harness.svc.db, 2002)
    presence = await meetings.attendance_of(harness.svc.db, meeting.id, zhao_row.id)
    assert (presence.status.value, presence.by_member) == ("checked_in", (await members.by_telegram_id(
        harness.svc.db, 2001)).id)  # checked in by the leader, before the start


async def test_command_line_import_and_units(harness, tmp_path):
    """`zhibu import` previews (bad row by number, nothing written), `--apply` imports, a second `--apply` changes
    nothing; `zhibu unit create`, `unit officer add` and `unit list` build and show the tree."""
    orgs, people = county_rows(2, 10, 200)
    people[50] = people[50][:7] + ("群众",) + people[50][8:]
    path = tmp_path / "名册.xlsx"
    path.write_bytes(workbook(orgs, people))
    preview = await harness.cli("import", str(path))
    assert preview.returncode == 0, preview.stderr
    assert "党员：新建 199" in preview.stdout and "「党员名册」第 53 行：党员类别「群众」" in preview.stdout
    assert await branches.every(harness.svc.db) == []
    applied = await harness.cli("import", str(path), "--apply")
    assert "名册已导入" in applied.stdout and await _active_count(harness) == 199
    again = await harness.cli("import", str(path), "--apply")
    assert "党员：新建 0，更新 0，不变 199" in again.stdout

    made = await harness.cli("unit", "create", "--name", "城关镇第一党总支", "--parent", "第1镇党委", "--kind", "党总支")
    assert made.returncode == 0 and "unit id: 4" in made.stdout
    added = await harness.cli("unit", "officer", "add", "--unit", "城关镇第一党总支", "--telegram-id", "7101")
    assert "7101 is now an officer of 城关镇第一党总支" in added.stdout
    listing = await harness.cli("unit", "list")
    lines = listing.stdout.splitlines()
    assert any(line.endswith("  第1镇党委") and " 5 " in line for line in lines)
    assert any("7101" in line and line.endswith("    城关镇第一党总支") for line in lines)
    missing = await harness.cli("unit", "create", "--name", "某党委", "--parent", "没有这个")
    assert missing.returncode == 2 and "no unit named" in missing.stderr


async def test_joining_by_branch_link_matches_the_roster_with_one_tap(harness):
    """A roster member who joins by the branch's invite link instead of their personal link: the secretary's card
    offers 通过（即名册上的孙丽）, and that one tap links the roster row — one 孙丽, with the roster's details."""
    code = await create_branch(harness)
    people = [(1, "孙丽", "第一党支部", "女", "汉族", "1985-03-02", "大专", "正式党员", "2010-07-01", "2011-07-01",
               "第二党小组", "", "", "")]
    await roster.apply(harness.svc, workbook([], people))
    sun = harness.emu.user(2003, "Sun")
    await sun.send(f"/start {code}")
    await sun.expect("真实姓名")
    await sun.send("孙丽")
    await sun.expect("已提交")
    await harness.drain()
    secretary = harness.emu.user(SECRETARY_ID, "王")
    card = await secretary.expect("入支部申请")
    assert card.labels() == ["✅ 通过（即名册上的孙丽）", "❌ 拒绝"]
    await secretary.press("✅ 通过（即名册上的孙丽）")
    await secretary.expect("已通过")
    await harness.drain()
    await sun.expect("已通过审核")
    rows = [r for r in await roster_store.live_members(harness.svc.db) if r["name"] == "孙丽"]
    assert [(r["telegram_id"], r["party_group"], r["birth_date"]) for r in rows] == [(2003, "第二党小组", "1985-03-02")]
