"""Three county bots and the city's roll-up bot on one emulator: each county's officers and members see only their
county; the roll-up officer sees the three counties worst first, drills into a branch's card, gets the heat map and a
register across counties; a task issued from the roll-up reaches every county's branches through each county's bot,
also when the roll-up restarted between its preview and 发布; the roll-up's officers have its menu in Chinese."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.callbacks import rollup as cb
from bot.emulator import Emulator
from bot.rollup.app import build_rollup
from bot.rollup.config import RollupSettings
from bot.services import membership
from bot.settings import Settings
from storage import overview as overview_store
from tests.e2e.harness import Harness
from tests.support import fresh_database

# (name, token, root officer, branches: (name, secretary id, silent for a month))
COUNTIES = (
    ("jia", "700001:county-jia", 9101, (("甲一支部", 1101, True), ("甲二支部", 1102, False), ("甲三支部", 1103, False))),
    ("yi", "700002:county-yi", 9201, (("乙一支部", 1201, True), ("乙二支部", 1202, True))),
    ("bing", "700003:county-bing", 9301, (("丙一支部", 1301, False), ("丙二支部", 1302, False))),
)
ROLLUP_TOKEN, ROLLUP_OFFICER = "700009:city-rollup", 9901
NOW = datetime(2026, 10, 8, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, early in a quarter: new branches owe nothing yet
LONG_AGO = datetime(2026, 8, 1, 2, 0, tzinfo=UTC)


@dataclass
class Deployment:
    emu: Emulator
    counties: dict[str, Harness]
    rollup: Emulator
    config: RollupSettings
    shared: Settings
    clock: Any
    app: Any = None  # the roll-up's running Application

    async def start_rollup(self) -> None:
        self.app = build_rollup(self.shared, self.config, self.clock, poll_timeout=1)
        await self.app.initialize()
        await self.app.post_init(self.app)
        await self.app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES)
        await self.app.start()

    async def stop_rollup(self) -> None:
        app, self.app = self.app, None
        if app is not None and app.running:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
            await app.post_shutdown(app)


async def _county(emu: Emulator, index: int, folder: Path, template: Path, clock) -> Harness:
    name, token, officer, branches = COUNTIES[index]
    bot = emu if index == 0 else emu.add_bot(token, f"{name}_bot")
    settings = Settings(token=token, db=fresh_database(template, folder / f"zhibu-{name}.db"),
                        api_base_url=emu.base_url, api_file_url=emu.base_file_url, admins=frozenset({officer}),
                        drain_interval=30, send_rate=1000)
    harness = Harness(emu=bot, settings=settings, clock=clock, folder=folder)
    await harness.start()
    return harness


async def _branches(harness: Harness, index: int) -> None:
    for branch_name, secretary, silent in COUNTIES[index][3]:
        branch, _, _ = await membership.create_branch(harness.svc, branch_name, secretary, f"{branch_name[:2]}书记")
        harness.emu.user(secretary, f"{branch_name[:2]}书记")
        if silent:
            async with harness.svc.db.write() as db:
                await overview_store.backdate_branch(db, branch.id, LONG_AGO)


@pytest.fixture
async def deployment(tmp_path: Path, clock, migrated: Path) -> AsyncIterator[Deployment]:
    clock.set(NOW)
    async with Emulator(COUNTIES[0][1], "jia_bot") as emu:
        counties: dict[str, Harness] = {}
        deployed = None
        try:
            for index, (name, *_) in enumerate(COUNTIES):
                counties[name] = await _county(emu, index, tmp_path, migrated, clock)
                await _branches(counties[name], index)
            city = emu.add_bot(ROLLUP_TOKEN, "city_rollup_bot")
            config = RollupSettings(token=ROLLUP_TOKEN, name="某市委组织部", officers=frozenset({ROLLUP_OFFICER}),
                                    counties=tuple(f"{n}={tmp_path / f'zhibu-{n}.db'}" for n, *_ in COUNTIES),
                                    drafts=tmp_path / "rollup" / "drafts.json")
            shared = Settings(api_base_url=emu.base_url, api_file_url=emu.base_file_url, send_rate=1000)
            deployed = Deployment(emu, counties, city, config, shared, clock)
            await deployed.start_rollup()
            yield deployed
        finally:
            if deployed is not None:
                await deployed.stop_rollup()
            for harness in counties.values():
                await harness.stop()


async def test_each_county_sees_only_itself(deployment):
    """A county's root officer sees only their county's branches in /overview, is nobody in another county's bot;
    a county's secretary is a stranger to another county's bot."""
    jia, yi = deployment.counties["jia"], deployment.counties["yi"]
    officer = jia.emu.user(9101, "甲县组织部")
    await officer.send("/overview")
    page = await officer.expect("支部总览")
    assert "甲一支部" in page.plain and "甲三支部" in page.plain
    assert "乙一支部" not in page.plain and "丙一支部" not in page.plain
    elsewhere = yi.emu.user(9101, "甲县组织部")
    await elsewhere.send("/overview")
    assert "乙一支部" not in (await elsewhere.expect()).plain
    stranger = yi.emu.user(1101, "甲一书记")
    await stranger.send("/start")
    assert "甲一支部" not in (await stranger.expect()).plain


async def test_rollup_sees_counties_worst_first_and_drills_into_a_branch(deployment):
    """/overview lists the counties by their share of branches needing attention (乙 2/2, 甲 1/3, 丙 0/2); a
    county opens its branches, a branch its card; the heat map and a register across counties come as files;
    someone not on the roll-up's list is refused."""
    officer = deployment.rollup.user(ROLLUP_OFFICER, "市委组织部")
    await officer.send("/overview")
    page = await officer.expect("各县（市、区）总览")
    assert [label.split()[-1] for label in page.labels()[:3]] == ["yi", "jia", "bing"]
    assert page.plain.index("yi") < page.plain.index("jia") < page.plain.index("bing")
    await officer.press("yi", message=page)
    county = await officer.expect("yi · 支部总览")
    assert "乙一支部" in county.plain and "乙二支部" in county.plain and "甲一支部" not in county.plain
    await officer.press("乙二支部", message=county)
    card = await officer.expect("🏷 乙二支部")
    assert "静默支部" in card.plain and "（yi）" in card.plain

    await officer.send("/overview")
    await officer.press("🗺 各县完成情况热力图", message=await officer.expect("各县（市、区）总览"))
    heat = await officer.expect("各县（市、区）三会一课完成情况")
    assert heat.kind == "photo"
    await officer.send("/export 26年")
    assert "四位年份" in (await officer.expect("没有生成任何文件")).plain  # a bad year is said, not taken as this one
    await officer.send("/export 2026")
    await officer.press("考勤汇总", message=await officer.expect("各县登记簿汇总"))
    sent = await officer.expect("考勤汇总（2026 年）")
    assert sent.kind == "document" and sent.file_name == "某市委组织部_考勤汇总_2026.xlsx"
    rows = _sheet_rows(deployment.rollup.file(sent.file_id).content)
    assert {r[1] for r in rows if r[0] in {"甲一支部", "乙一支部", "丙一支部"}} == {"jia", "yi", "bing"}

    outsider = deployment.rollup.user(9101, "甲县组织部")
    await outsider.send("/overview")
    assert "只为" in (await outsider.expect()).plain


async def test_a_task_from_the_rollup_reaches_every_countys_branches(deployment):
    """/task with a title, text and last day → preview naming 3 counties and 7 branches → 发布: each county's bot
    delivers it to each of its secretaries."""
    officer = deployment.rollup.user(ROLLUP_OFFICER, "市委组织部")
    await officer.send("/task 报送年度工作总结")
    assert "每项一行" in (await officer.expect()).plain
    await officer.send("/task 报送年度工作总结\n请各支部报送本年度党建工作总结。\n12月20日")
    preview = await officer.expect("报送任务预览")
    assert "3 个县（市、区）共 7 个党支部" in preview.plain
    await officer.press("📤 发布到各县", message=preview)
    done = await officer.expect("已发布")
    assert "jia：3 个党支部" in done.plain and "yi：2 个党支部" in done.plain and "bing：2 个党支部" in done.plain
    for name, _, _, branches in COUNTIES:
        harness = deployment.counties[name]
        await harness.drain()
        for _, secretary, _ in branches:
            got = await harness.emu.user(secretary).expect("上级报送任务")
            assert "报送年度工作总结" in got.plain and "提交材料" in got.labels()[0]


async def test_a_draft_outlives_a_restart_of_the_rollup(deployment):
    """The roll-up is stopped and started again between its preview and 发布: 发布 on the preview sent before the
    restart issues the task in every county, once (a second 发布 is stale); a draft 放弃'd after a restart is gone
    after the next one too."""
    officer = deployment.rollup.user(ROLLUP_OFFICER, "市委组织部")
    await officer.send("/task 报送年度工作总结\n请各支部报送本年度党建工作总结。\n12月20日")
    preview = await officer.expect("报送任务预览")
    await deployment.stop_rollup()
    await deployment.start_rollup()
    await officer.press("📤 发布到各县", message=preview)
    done = await officer.expect("已发布")
    assert "报送年度工作总结" in done.plain and "jia：3 个党支部" in done.plain and "bing：2 个党支部" in done.plain
    assert "已失效" in (await officer.press_data(preview.message_id, cb.task_send(1))).text
    for name, _, _, branches in COUNTIES:
        await deployment.counties[name].drain()
        got = [m for m in deployment.counties[name].emu.user(branches[0][1]).messages() if "上级报送任务" in m.plain]
        assert len(got) == 1

    await officer.send("/task 报送学习计划\n请各支部报送学习计划。\n12月25日")
    second = await officer.expect("报送任务预览")
    await deployment.stop_rollup()
    await deployment.start_rollup()
    await officer.press("🗑 放弃", message=second)
    await officer.expect("已放弃")
    await deployment.stop_rollup()
    await deployment.start_rollup()
    assert "已失效" in (await officer.press_data(second.message_id, cb.task_send(2))).text


async def test_the_rollups_menu_is_in_chinese_for_its_officers(deployment):
    """At start every private chat gets /start and /help, the roll-up's officer every command (/overview, /task,
    /export) with Chinese descriptions; a county officer's chat with the roll-up bot has only the public menu."""
    mine = deployment.rollup.commands_for(ROLLUP_OFFICER)
    assert [c["command"] for c in mine] == ["overview", "task", "export", "start", "help"]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in c["description"]) for c in mine)
    assert [c["command"] for c in deployment.rollup.commands_for(9101)] == ["start", "help"]


def _sheet_rows(content: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(content), read_only=True).worksheets[0]
    return [tuple(str(c) if c is not None else "" for c in row) for row in sheet.iter_rows(values_only=True)]
