"""A county's roster as an office keeps it (xlsx, Chinese headers), and `zhibu bench import`: how long importing
it takes on a fresh database."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import openpyxl

# Deliberately not in the order bot/domain/roster.py lists them, with a column the import does not know.
MEMBER_COLUMNS = ("序号", "姓名", "所在党支部", "性别", "民族", "出生日期", "学历", "党员类别", "入党日期", "转正日期",
                  "党小组", "职务", "联系电话", "备注")
ORG_COLUMNS = ("组织名称", "类型", "上级组织", "书记")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国红梅丽华明军芳伟秀英强磊洋勇艳杰娟涛超刚平辉"


def name_of(index: int) -> str:
    """A distinct, valid Chinese name for every index."""
    given, rest = "", index
    while True:
        given += GIVEN[rest % len(GIVEN)]
        rest //= len(GIVEN)
        if rest == 0:
            break
    return SURNAMES[index % len(SURNAMES)] + given


def county_rows(units: int, branches: int, members: int) -> tuple[list[tuple], list[tuple]]:
    """(organisation rows, member rows): `units` 党委 under the root, branches spread over them, members over the
    branches; each branch's first member is its secretary, every tenth member is 预备党员."""
    orgs = [(f"第{u + 1}镇党委", "党委", "", "") for u in range(units)]
    people: list[tuple] = []
    branch_names = [f"{orgs[b % units][0]}第{b + 1}党支部" for b in range(branches)]
    secretaries: dict[str, str] = {}
    for index in range(members):
        branch = branch_names[index % branches]
        name = name_of(index)
        post = ""
        if branch not in secretaries:
            secretaries[branch], post = name, "书记"
        born = date(1950, 1, 1) + timedelta(days=(index * 37) % 18000)
        joined = born + timedelta(days=365 * 25)
        probationary = index % 10 == 9
        people.append((index + 1, name, branch, "男" if index % 2 else "女", "汉族", born, "大学本科",
                       "预备党员" if probationary else "正式党员", joined, None if probationary else joined + timedelta(days=365),
                       f"第{index % 3 + 1}党小组", post, f"138{index:08d}", ""))
    orgs += [(name, "党支部", orgs[b % units][0], secretaries.get(name, "")) for b, name in enumerate(branch_names)]
    return orgs, people


def workbook(orgs: list[tuple], people: list[tuple], title: str | None = "某县党员名册",
             member_columns: tuple[str, ...] = MEMBER_COLUMNS) -> bytes:
    """The two sheets as bytes of an xlsx file (a title row above the member headers, as offices do)."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("组织机构")
    sheet.append(ORG_COLUMNS)
    for row in orgs:
        sheet.append(row)
    sheet = book.create_sheet("党员名册")
    if title:
        sheet.append((title,))
    sheet.append(member_columns)
    for row in people:
        sheet.append(row)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.xlsx"
        book.save(path)
        return path.read_bytes()


@dataclass
class Figures:
    members: int
    branches: int
    units: int
    build_s: float
    preview_s: float
    apply_s: float
    reimport_changes: int


async def run(members: int, branches: int, units: int) -> Figures:
    from bot.catalog import core_registry
    from bot.services import Services, roster
    from bot.settings import Settings
    from storage.db import open_database

    started = time.perf_counter()
    content = workbook(*county_rows(units, branches, members))
    built = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(db=Path(folder) / "bench.db")
        db = await open_database(settings.db)
        try:
            svc = Services(db=db, settings=settings, features=core_registry())
            await roster.preview(svc, content)
            previewed = time.perf_counter()
            await roster.apply(svc, content)
            applied = time.perf_counter()
            again = await roster.apply(svc, content)
        finally:
            await db.close()
    return Figures(members, branches, units, built - started, previewed - built, applied - previewed, again.changes)


def report(f: Figures) -> str:
    return (f"roster import: {f.members} members, {f.branches} branches, {f.units} units\n"
            f"  building the workbook {f.build_s:.1f} s (not counted)\n"
            f"  preview {f.preview_s:.1f} s, apply {f.apply_s:.1f} s (target < 30 s)\n"
            f"  re-import of the same file: {f.reimport_changes} changes (expected 0)")
