"""Holiday arrangements entered by units: nearest wins for the subtree, entering is audited and idempotent, a
minutes deadline follows, the command line lists exactly the package's exceptions for a real notice, and the root's
officers are reminded weekly from 1 November while next year is unknown."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.cli import main as zhibu
from bot.domain.holiday_notice import parse_notice
from bot.domain.holidays import DayKind, WorkCalendar
from bot.errors import UserError
from bot.scheduler import Drainer
from bot.services import Services, calendars, membership, units, workdays
from storage import marks
from storage import units as unit_store
from tests.support import RecordingSender

# The State Council's real notices (test data: the package knows these years, so it is the oracle).
NOTICES = Path(__file__).resolve().parents[1] / "data" / "holiday-notices"
NOTICE_2027 = (Path(__file__).resolve().parents[1] / "data" / "holiday_notice_2027.txt").read_text(encoding="utf-8")
ADMIN = 9001


async def _town_with_branch(svc: Services):
    town = await units.create_unit(svc, "城关镇党委", None, "党委")
    branch, _, _ = await membership.create_branch(svc, "城关镇第一党支部", 1101, "周书记")
    other, _, _ = await membership.create_branch(svc, "河口镇第一党支部", 1102, "吴书记")
    async with svc.db.write() as tx:
        await unit_store.place_branch(tx, branch.id, town.id)
    return town, branch, other


async def test_the_nearest_unit_s_entry_wins_for_its_subtree_only(services: Services):
    """The root enters 2027 (National Day 1–7 October); 城关镇党委 enters its own 2027 with 8 October off too: its
    branch has 8 October off, the other branch (under the root) works; the sources say who decided."""
    root = await unit_store.get(services.db, 1)
    town, branch, other = await _town_with_branch(services)
    national = calendars.read(NOTICE_2027)
    await calendars.enter(services, root, national, ADMIN)
    local = calendars.read(NOTICE_2027.replace("10月1日（周五）至7日（周四）放假调休，共7天",
                                               "10月1日（周五）至8日（周五）放假调休，共8天"))
    await calendars.enter(services, town, local, 7001)
    mine = await workdays.of_branch(services.db, branch.id, date(2027, 10, 1))
    theirs = await workdays.of_branch(services.db, other.id, date(2027, 10, 1))
    assert not mine.is_working_day(date(2027, 10, 8)) and mine.decide(date(2027, 10, 8)).source == "城关镇党委"
    assert theirs.is_working_day(date(2027, 10, 8)) and theirs.decide(date(2027, 10, 7)).source == "县委组织部"
    assert (date(2027, 10, 8), DayKind.OFF, "城关镇党委") in await calendars.exceptions(services, 2027,
                                                                                       branch_id=branch.id)


async def test_entering_the_same_notice_twice_changes_nothing_and_a_new_one_shows_differences(services: Services):
    """The second entry of the same notice reports unchanged and records nothing; a changed notice for the same
    year is compared day by day before it replaces the first."""
    root = await unit_store.get(services.db, 1)
    schedule = calendars.read(NOTICE_2027)
    first = await calendars.enter(services, root, schedule, ADMIN)
    second = await calendars.enter(services, root, schedule, ADMIN)
    assert first.changed and not second.changed
    async with services.db.execute("SELECT detail FROM audit_log WHERE action = 'calendar.enter'") as cur:
        recorded = await cur.fetchall()
    assert len(recorded) == 1 and '"year": 2027' in recorded[0][0]
    changed = calendars.read(NOTICE_2027.replace("9月26日（周日）、10月9日（周六）上班", "10月9日（周六）上班"))
    shown = await calendars.preview(services, [1], changed)
    (target,) = shown.targets
    assert target.replacing and target.difference.dropped == ((date(2027, 9, 26), DayKind.ON),)


async def test_a_minutes_deadline_follows_the_entered_holidays(services: Services):
    """A meeting on 30 September 2027: by weekends alone its record is due 5 October; once the county's 2027 is
    entered (1–7 October off, 9 October worked), 11 October."""
    root = await unit_store.get(services.db, 1)
    branch, _, _ = await membership.create_branch(services, "第一党支部", 1101, "周书记")
    start = datetime(2027, 9, 30, 1, 0, tzinfo=UTC)
    before = await workdays.minutes_deadline(services.db, branch.id, start, "Asia/Shanghai")
    await calendars.enter(services, root, calendars.read(NOTICE_2027), ADMIN)
    after = await workdays.minutes_deadline(services.db, branch.id, start, "Asia/Shanghai")
    assert (before.due_day, after.due_day) == (date(2027, 10, 5), date(2027, 10, 11))


@pytest.mark.parametrize("year", ["2017", "2026"])
def test_the_command_line_lists_exactly_the_package_s_exceptions(year, tmp_path, monkeypatch, capsys):
    """`zhibu holidays import NOTICE --apply` on an empty database, then `zhibu holidays list --year`, prints the
    package's weekdays off and weekend days worked for that year, one per line, from the county."""
    monkeypatch.setenv("ZHIBU_DB", str(tmp_path / "cli.db"))
    assert zhibu(["holidays", "import", str(NOTICES / f"{year}.txt"), "--apply"]) == 0
    assert "已录入「县委组织部」" in capsys.readouterr().out
    assert zhibu(["holidays", "list", "--year", year]) == 0
    printed = capsys.readouterr().out.splitlines()
    package = [f"{d.isoformat()} {'放假' if k is DayKind.OFF else '上班'} [县委组织部]"
               for d, k, _ in WorkCalendar().exceptions(int(year))]
    assert printed == package and len(printed) > 15


def test_the_command_line_refuses_a_bad_file_and_stores_nothing(tmp_path, monkeypatch, capsys):
    """A text that is not a notice is refused in one line; the list afterwards is the package's own."""
    monkeypatch.setenv("ZHIBU_DB", str(tmp_path / "cli.db"))
    bad = tmp_path / "bad.txt"
    bad.write_text("今天开会", encoding="utf-8")
    assert zhibu(["holidays", "import", str(bad), "--apply"]) == 2
    assert "不是节假日安排通知" in capsys.readouterr().err
    assert zhibu(["holidays", "list", "--year", "2026"]) == 0
    assert all(line.endswith("[package]") for line in capsys.readouterr().out.splitlines())


async def test_root_officers_are_reminded_weekly_from_november_until_next_year_is_entered(
        services: Services, clock, sender: RecordingSender, drainer: Drainer):
    """From 1 November: once a week (not twice the same week, not before 09:00), with the button that starts
    entering; after the entry, nothing more, and a reminder still waiting is dropped."""
    clock.set(datetime(2026, 10, 30, 2, 0, tzinfo=UTC))
    await calendars.remind_unknown(services, clock.now())
    assert not await marks.any_with_prefix(services.db, "calendar:unknown:")
    clock.set(datetime(2026, 11, 2, 0, 30, tzinfo=UTC))  # 08:30 on a Monday
    await calendars.remind_unknown(services, clock.now())
    clock.set(datetime(2026, 11, 2, 2, 0, tzinfo=UTC))
    await calendars.remind_unknown(services, clock.now())
    await calendars.remind_unknown(services, clock.now())
    await drainer.drain_now()
    (sent,) = sender.to(ADMIN)
    assert sent.template == "calendars/unknown_year.j2" and sent.params["year"] == 2027
    assert sent.buttons[0][0].data == "cal:go"
    clock.set(datetime(2026, 11, 9, 2, 0, tzinfo=UTC))
    await calendars.remind_unknown(services, clock.now())
    await calendars.enter(services, await unit_store.get(services.db, 1), parse_notice(NOTICE_2027), ADMIN)
    await drainer.drain_now()
    assert len(sender.to(ADMIN)) == 1  # next week's was planned, then dropped once 2027 was entered
    clock.set(datetime(2026, 11, 16, 2, 0, tzinfo=UTC))
    await calendars.remind_unknown(services, clock.now())
    await drainer.drain_now()
    assert len(sender.to(ADMIN)) == 1


async def test_confirm_is_reauthorised(services: Services):
    """A 确认 for a unit outside the presser's subtree, or without a previewed notice, is refused."""
    town, _, _ = await _town_with_branch(services)
    async with services.db.write() as tx:
        await unit_store.add_officer(tx, town.id, 7001, "张委员", services.now())
    with pytest.raises(UserError):
        await calendars.confirm(services, 7001, 1, 2027)
    with pytest.raises(UserError):
        await calendars.confirm(services, 7001, town.id, 2027)
    await calendars.notice_typed(services, 7001, NOTICE_2027)
    entered = await calendars.confirm(services, 7001, town.id, 2027)
    assert entered.changed and entered.unit.name == "城关镇党委"
