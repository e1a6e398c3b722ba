"""The State Council's holiday notice read into days off and days worked (bot/domain/holiday_notice.py)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.holiday_notice import (
    Festival,
    Problem,
    Refusal,
    Schedule,
    difference,
    parse_notice,
    parse_rows,
    spans,
)
from bot.domain.holidays import CalendarLayer, DayKind, WorkCalendar

# The State Council's real notices (test data: the package knows these years, so it is the oracle).
NOTICES = Path(__file__).resolve().parents[1] / "data" / "holiday-notices"
DATA = Path(__file__).resolve().parents[1] / "data"
TITLE = "国务院办公厅关于2027年部分节假日安排的通知\n"


def _notice_files() -> list[Path]:
    return sorted(NOTICES.glob("*.txt"))


@pytest.mark.parametrize("path", _notice_files(), ids=lambda p: p.stem)
def test_a_real_notice_gives_the_package_s_calendar_for_every_day_of_its_year(path: Path):
    """The package knows these years, so it is the oracle: the notice entered alone (as a unit's whole year) gives
    exactly the package's day off / working day for every date of that year."""
    schedule = parse_notice(path.read_text(encoding="utf-8"))
    assert isinstance(schedule, Schedule) and schedule.year == int(path.stem)
    entered = WorkCalendar(layers=(CalendarLayer("县委组织部", schedule.days(), schedule.names(),
                                                 frozenset({schedule.year})),))
    day = date(schedule.year, 1, 1)
    while day.year == schedule.year:
        assert entered.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
    package = WorkCalendar().exceptions(schedule.year)
    assert [(d, k) for d, k, _ in entered.exceptions(schedule.year)] == [(d, k) for d, k, _ in package]


def test_the_notices_on_disk_are_there():
    """The oracle test above runs on both real notices (it would pass vacuously on none)."""
    assert {p.stem for p in _notice_files()} >= {"2017", "2026"}


@pytest.mark.parametrize(("line", "off", "work"), [
    ("一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。", ["2027-01-01", "2027-01-02", "2027-01-03"], []),
    ("一、元旦：1月1日放假，与周末连休。", ["2027-01-01"], []),
    ("一、元旦：1月1日放假，1月2日（星期六）补休。", ["2027-01-01", "2027-01-02"], []),
    ("一、元旦：1月1日（周五）放假1天，不调休。", ["2027-01-01"], []),
    ("六、中秋节、国庆节：10月1日至8日放假调休，共8天。9月30日（星期四）上班。",
     [f"2027-10-0{d}" for d in range(1, 9)], ["2027-09-30"]),
    ("二、春节：2月5日至12日放假调休，共8天。2月14日（周日）、2月20日（周六）上班。",
     [f"2027-02-{d:02d}" for d in range(5, 13)], ["2027-02-14", "2027-02-20"]),
    ("二、春节：1月30日至2月5日放假调休，共7天。", ["2027-01-30", "2027-01-31"] +
     [f"2027-02-0{d}" for d in range(1, 6)], []),
    ("二、春节：2月5日至12日放假，共8天。鼓励各单位安排职工在除夕（2月4日）休息。",
     [f"2027-02-{d:02d}" for d in range(5, 13)], []),
    ("一、元旦：2026年12月31日至2027年1月2日放假调休，共3天。2026年12月27日（星期日）上班。",
     ["2026-12-31", "2027-01-01", "2027-01-02"], ["2026-12-27"]),
    ("九、抗战胜利纪念日：9月3日至5日调休放假，共3天。9月6日（星期一）上班。",
     ["2027-09-03", "2027-09-04", "2027-09-05"], ["2027-09-06"]),
])
def test_each_phrasing_the_notices_have_used(line, off, work):
    """Ranges with and without the month, 与周末连休, 补休, 放假1天不调休, combined festivals, several working
    days, a range across months, an encouragement to rest (not a day off), a New Year beginning the December before."""
    schedule = parse_notice(TITLE + line)
    assert isinstance(schedule, Schedule), schedule
    (festival,) = schedule.festivals
    assert [d.isoformat() for d in festival.off] == off
    assert [d.isoformat() for d in festival.work] == work


def test_arrangements_run_together_in_one_paste_are_each_read():
    """A paste that lost its line breaks still has each 一、二、… arrangement read on its own."""
    schedule = parse_notice(TITLE + "一、元旦：1月1日放假。二、清明节：4月5日放假。")
    assert [f.name for f in schedule.festivals] == ["元旦", "清明节"]


@pytest.mark.parametrize(("text", "problem"), [
    ("今天下午三点开会，请准时参加。", Problem.NOT_A_NOTICE),
    ("一、元旦：1月1日放假。", Problem.NO_YEAR),
    (TITLE + "二、春节：2月30日放假。", Problem.BAD_DATE),
    (TITLE + "一、元旦：1月1日（周四）放假。", Problem.WEEKDAY),
    (TITLE + "一、元旦：1月1日至3日放假，共4天。", Problem.COUNT),
    (TITLE + "一、元旦：1月1日至3日放假。1月2日上班。", Problem.CONFLICT),
    (TITLE + "一、元旦：全年另行通知。", Problem.NO_DATE),
    (TITLE + "一、元旦：1月1日另行安排。", Problem.UNREADABLE),
])
def test_what_cannot_be_read_is_refused_with_its_line(text, problem):
    """Not a notice, no title year, a date that does not exist, a wrong weekday, a wrong day count, a day both off
    and worked, no date, a sentence that says neither: refused, naming the line where there is one."""
    found = parse_notice(text)
    assert isinstance(found, Refusal) and found.problem is problem
    if problem not in (Problem.NOT_A_NOTICE, Problem.NO_YEAR):
        assert found.line and found.line.startswith(("一、", "二、"))


# --- any schedule written the ways the notices write it reads back to itself ---------------------------------------

_PHRASES = ("{first}至{last}放假调休，共{count}天", "{first}至{last}放假，共{count}天", "{first}至{last}放假")


def _write_day(day: date, year: int, month: int | None) -> str:
    """A date as the notices write it: the year only outside the notice's year, the month only when it changes."""
    prefix = f"{day.year}年" if day.year != year else ""
    weekday = "一二三四五六日"[day.weekday()]
    return f"{prefix}{'' if month == day.month and not prefix else f'{day.month}月'}{day.day}日（周{weekday}）"


def _write(schedule: Schedule, phrase: int) -> str:
    lines = [f"国务院办公厅关于{schedule.year}年部分节假日安排的通知", ""]
    for number, festival in enumerate(schedule.festivals):
        first, last = festival.off[0], festival.off[-1]
        if first == last:
            text = f"{_write_day(first, schedule.year, None)}放假，与周末连休"
        else:
            text = _PHRASES[phrase].format(first=_write_day(first, schedule.year, None),
                                           last=_write_day(last, schedule.year, first.month), count=len(festival.off))
        if festival.work:
            text += "。" + "、".join(_write_day(d, schedule.year, None) for d in festival.work) + "上班"
        lines.append(f"{'一二三四五六七八九十'[number]}、{festival.name}：{text}。")
    return "\n".join(lines)


@st.composite
def schedules(draw) -> Schedule:
    year = draw(st.integers(2027, 2040))
    starts = sorted(draw(st.sets(st.integers(0, 350), min_size=1, max_size=6)))
    festivals, taken = [], set()
    for number, offset in enumerate(starts):
        first = date(year, 1, 1) + timedelta(days=offset)
        length = draw(st.integers(1, 9))
        off = [d for d in (first + timedelta(days=n) for n in range(length)) if d.year == year and d not in taken]
        if not off or off != [off[0] + timedelta(days=n) for n in range(len(off))]:
            continue
        taken.update(off)
        work = sorted(d for d in draw(st.sets(st.integers(-14, 14), max_size=2))
                      for d in [off[-1] + timedelta(days=d)] if d.year == year and d not in taken)
        taken.update(work)
        festivals.append(Festival(f"节日{number}", tuple(off), tuple(work)))
    if not festivals:
        festivals.append(Festival("元旦", (date(year, 1, 1),)))
    return Schedule(year, tuple(festivals))


@given(schedules(), st.integers(0, len(_PHRASES) - 1))
def test_any_schedule_written_as_a_notice_reads_back_to_itself(schedule, phrase):
    """Random festivals (ranges within a year, working days around them) written in the notices' phrasings read
    back to the same days off and days worked."""
    found = parse_notice(_write(schedule, phrase))
    assert isinstance(found, Schedule), (found, _write(schedule, phrase))
    assert found.year == schedule.year and found.days() == schedule.days()


def test_a_table_of_rows_is_read_too():
    """`date, 放假|上班[, festival]` rows (a header skipped) make the same kind of schedule; the year is the one
    most of its dates belong to; a working day joins the festival nearest to it."""
    rows = [(1, ("日期", "类型", "节日")), (2, ("2027-10-01", "放假", "国庆节")), (3, ("2027/10/02", "放假", "国庆节")),
            (4, (date(2027, 10, 3), "放假", "国庆节")), (5, ("2027年10月9日", "上班", None)), (6, ("", "", ""))]
    schedule = parse_rows(rows)
    assert isinstance(schedule, Schedule) and schedule.year == 2027
    assert schedule.festivals == (Festival("国庆节", (date(2027, 10, 1), date(2027, 10, 2), date(2027, 10, 3)),
                                           (date(2027, 10, 9),)),)


@pytest.mark.parametrize(("rows", "problem"), [
    ([(1, ("2027-02-30", "放假"))], Problem.BAD_DATE),
    ([(1, ("2027-02-03", "开会"))], Problem.UNREADABLE),
    ([(1, ("2027-02-03", "放假")), (2, ("2027-02-03", "上班"))], Problem.CONFLICT),
    ([(1, ("日期", "类型"))], Problem.EMPTY),
    ([(1, ("2027-02-03", "放假")), (2, ("2030-02-03", "放假"))], Problem.WRONG_YEAR),
])
def test_a_bad_row_is_refused_with_its_number(rows, problem):
    """A date that does not exist, a kind that is neither, a day both, nothing at all, dates years apart."""
    found = parse_rows(rows)
    assert isinstance(found, Refusal) and found.problem is problem
    if problem not in (Problem.EMPTY, Problem.WRONG_YEAR):
        assert found.line.startswith("第")


def test_differences_between_two_entries_of_a_year():
    """Added, dropped and changed days are told apart; the same entry has none."""
    old = {date(2027, 10, 1): DayKind.OFF, date(2027, 10, 9): DayKind.ON}
    new = {date(2027, 10, 1): DayKind.OFF, date(2027, 10, 8): DayKind.OFF, date(2027, 10, 9): DayKind.OFF}
    found = difference(old, new)
    assert found.added == ((date(2027, 10, 8), DayKind.OFF),) and found.changed == ((date(2027, 10, 9), DayKind.OFF),)
    assert found.dropped == () and difference(old, old).none


def test_spans_group_consecutive_days():
    """Days off shown as ranges: 1–3 and 5 are two spans."""
    days = [date(2027, 1, d) for d in (3, 1, 2, 5)]
    assert spans(days) == [(date(2027, 1, 1), date(2027, 1, 3)), (date(2027, 1, 5), date(2027, 1, 5))]


def test_nearest_entry_wins_day_by_day():
    """The branch's own day over the nearest unit's entry over the root's over the package; a year a unit entered
    makes its other days ordinary, whatever the units above or the package say."""
    root = CalendarLayer("县委组织部", {date(2027, 10, 1): DayKind.OFF, date(2027, 10, 4): DayKind.OFF},
                         {date(2027, 10, 1): "国庆节"}, frozenset({2027}))
    town = CalendarLayer("城关镇党委", {date(2027, 10, 5): DayKind.OFF}, {}, frozenset())
    calendar = WorkCalendar(frozenset({date(2027, 10, 6)}), frozenset({date(2027, 10, 4)}), (town, root))
    assert calendar.decide(date(2027, 10, 4)).working and calendar.decide(date(2027, 10, 4)).source == "branch"
    assert calendar.decide(date(2027, 10, 5)).source == "城关镇党委"
    assert calendar.holiday_name(date(2027, 10, 1)) == "国庆节"
    assert calendar.is_working_day(date(2027, 10, 7)) and calendar.decide(date(2027, 10, 7)).source == "县委组织部"
    assert calendar.knows(2027) and not WorkCalendar().knows(2027)
    entered_2026 = WorkCalendar(layers=(CalendarLayer("县委组织部", {}, {}, frozenset({2026})),))
    assert entered_2026.is_working_day(date(2026, 10, 5))  # the package's holiday, overruled by the entered year


@pytest.mark.parametrize("path", _notice_files(), ids=lambda p: p.stem)
def test_a_notice_pasted_without_its_line_breaks_reads_the_same(path: Path):
    """A single-line box joins the notice into one paragraph: the arrangements, and nothing of the closing text
    (with the notice's own date), are read as before."""
    text = path.read_text(encoding="utf-8")
    assert parse_notice(" ".join(text.split())) == parse_notice(text)
