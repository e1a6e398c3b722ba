"""The State Council's yearly holiday notice (《国务院办公厅关于YYYY年部分节假日安排的通知》) read into days off
(放假) and days worked (上班), grouped by festival — and the same from a table of `date, 放假|上班` rows (pure).

The notices have phrased the arrangement in several ways over the years, each of them read here:
  "1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。"
  "1月1日放假，与周末连休。"  "1月1日放假，1月2日（星期一）补休。"  "1月1日（周三）放假1天，不调休。"
  "六、中秋节、国庆节：10月1日至8日放假调休，共8天。9月30日（星期六）上班。"
  "2月14日（周六）、2月28日（周六）上班。"  "2018年12月30日至2019年1月1日放假调休，共3天。"
A sentence that only encourages rest ("鼓励……安排职工在除夕休息") is not a day off. The year comes from the title.
Whatever cannot be read is refused with the line it is on, so nothing half-read is ever stored: a date that does
not exist, a weekday in brackets that is not that date's, a day count that does not match the days, a day both off
and worked, an arrangement line with no date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.domain import dates, when
from bot.domain.holidays import DayKind


# Why a notice (or a line of it) was refused; templates/calendars/refused.j2 says each in Chinese.
class Problem(StrEnum):
    NO_YEAR = "no_year"  # no title with the year
    NOT_A_NOTICE = "not_a_notice"  # no arrangement line at all
    NO_DATE = "no_date"  # an arrangement line without a date
    BAD_DATE = "bad_date"  # 2月30日
    WEEKDAY = "weekday"  # "1月1日（周五）" where 1 January is not a Friday
    COUNT = "count"  # "共3天" over a different number of days
    CONFLICT = "conflict"  # the same day off and worked
    UNREADABLE = "unreadable"  # a sentence with dates that says neither 放假 nor 上班
    WRONG_YEAR = "wrong_year"  # a table whose dates are not of one year
    EMPTY = "empty"  # a table with no rows


@dataclass(frozen=True)
class Refusal:
    problem: Problem
    line: str | None = None  # the line (or the table's row number and text) it was found on
    detail: str = ""


@dataclass(frozen=True)
class Festival:
    """One arrangement line: a festival's days off and the weekend days worked for it."""

    name: str
    off: tuple[date, ...]
    work: tuple[date, ...] = ()


@dataclass(frozen=True)
class Schedule:
    """A year's arrangement as entered: festivals in the notice's order."""

    year: int
    festivals: tuple[Festival, ...]
    title: str = ""

    def names(self) -> dict[date, str]:
        """The festival each day off belongs to."""
        return {day: f.name for f in self.festivals for day in f.off}

    def days(self) -> dict[date, DayKind]:
        """Every day the schedule states: off (weekends inside a holiday included) or worked."""
        stated = {day: DayKind.OFF for f in self.festivals for day in f.off}
        stated.update({day: DayKind.ON for f in self.festivals for day in f.work})
        return stated

    def exceptions(self) -> dict[date, DayKind]:
        """The days that differ from an ordinary week: weekdays off and weekend days worked."""
        return {day: kind for day, kind in self.days().items()
                if (kind is DayKind.OFF) == (day.weekday() < 5)}


# --- the notice's text ----------------------------------------------------------------------------------------------

_TITLE = re.compile(r"(\d{4})\s*年\s*(?:部分)?节假日安排")
_ORDINAL = "一二三四五六七八九十"
_ARRANGEMENT = re.compile(rf"^[{_ORDINAL}]{{1,3}}\s*[、.．]\s*([^：:]{{1,40}}?)\s*[：:]\s*(.+)$")
_WEEKDAY_WORD = re.compile(r"(?:星期|周|礼拜)([一二三四五六日天])")
_WEEKDAYS = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6}
_DATE = r"(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*[日号](?:\s*[（(]([^）)]*)[）)])?"
_RANGE = re.compile(rf"{_DATE}\s*(?:至|到|—+|–|－|-|~|～)\s*{_DATE}")
_ONE = re.compile(_DATE)
_KEYWORDS = ("上班", "放假", "补休", "休息", "调休")
_COUNT = re.compile(r"(?:共|放假)\s*(\d{1,2})\s*天")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


class _LineRefused(Exception):
    def __init__(self, problem: Problem, detail: str = "") -> None:
        super().__init__(problem)
        self.problem, self.detail = problem, detail


def parse_notice(text: str) -> Schedule | Refusal:
    """The notice's arrangement, or why it cannot be read (naming the line)."""
    text = (text or "").translate(_FULL_WIDTH)
    title = _TITLE.search(text)
    lines = _lines(text)
    arrangements = [(line, match) for line in lines if (match := _ARRANGEMENT.match(line))]
    if not arrangements:
        return Refusal(Problem.NOT_A_NOTICE)
    if title is None:
        return Refusal(Problem.NO_YEAR)
    year = int(title.group(1))
    festivals = []
    for line, match in arrangements:
        try:
            off, work = _read_body(match.group(2), year)
        except _LineRefused as refused:
            return Refusal(refused.problem, line, refused.detail)
        festivals.append(Festival(match.group(1).strip(), tuple(sorted(off)), tuple(sorted(work))))
    return _checked(Schedule(year, tuple(festivals), _title_line(lines, title.group(0))), arrangements)


def _lines(text: str) -> list[str]:
    """The text's lines, with an arrangement that a paste ran into the previous sentence put on its own line."""
    text = re.sub(rf"([。；;])\s*(?=[{_ORDINAL}]{{1,3}}\s*、)", "\\1\n", text)
    return [line.strip() for line in text.splitlines() if line.strip()]


_FULL_TITLE = re.compile(r"(?:国务院办公厅)?关于\s*\d{4}\s*年\s*部分节假日安排的通知")


def _title_line(lines: list[str], found: str) -> str:
    """The notice's title as it is written, even when a paste ran it into the text after it."""
    line = next((line for line in lines if found in line), found)
    title = _FULL_TITLE.search(line)
    return (title.group(0) if title else line)[:80]


def _checked(schedule: Schedule, arrangements: list[tuple[str, re.Match[str]]]) -> Schedule | Refusal:
    off = {day: line for (line, _), f in zip(arrangements, schedule.festivals, strict=True) for day in f.off}
    for (line, _), festival in zip(arrangements, schedule.festivals, strict=True):
        for day in festival.work:
            if day in off:
                return Refusal(Problem.CONFLICT, line, _day_text(day))
    return schedule


def _read_body(body: str, year: int) -> tuple[set[date], set[date]]:
    """An arrangement line's days off and days worked, sentence by sentence."""
    off: set[date] = set()
    work: set[date] = set()
    for sentence in re.split(r"[。；;]", body):
        sentence = sentence.strip()
        if not sentence or "鼓励" in sentence or sentence.startswith("其中"):
            continue  # an encouragement to rest is not a day off; "其中……" only explains the days above
        days = _days_in(sentence, year)
        if not days:
            if not any(word in sentence for word in _KEYWORDS):
                break  # the notice's closing text, run into the last arrangement by a paste that lost its lines
            continue
        if "上班" in sentence:
            work.update(days)
        elif any(word in sentence for word in _KEYWORDS[1:]):
            counted = _COUNT.search(sentence)
            if counted and int(counted.group(1)) != len(days):
                raise _LineRefused(Problem.COUNT, f"{counted.group(0)}/{len(days)}")
            off.update(days)
        else:
            raise _LineRefused(Problem.UNREADABLE, sentence)
    if not off and not work:
        raise _LineRefused(Problem.NO_DATE)
    return off, work


def _days_in(sentence: str, year: int) -> list[date]:
    """The dates of a sentence: ranges expanded ("1月1日至3日"), single dates as they are."""
    days: list[date] = []
    rest = sentence
    for match in _RANGE.finditer(sentence):
        start, end = _range(match, year)
        days.extend(start + timedelta(days=n) for n in range((end - start).days + 1))
        rest = rest.replace(match.group(0), " ", 1)
    month = None
    for match in _ONE.finditer(rest):
        day = _date(match.group(1), match.group(2) or month, match.group(3), match.group(4), year)
        month = str(day.month)
        days.append(day)
    return days


def _range(match: re.Match[str], year: int) -> tuple[date, date]:
    y1, m1, d1, note1, y2, m2, d2, note2 = match.groups()
    if m1 is None:
        raise _LineRefused(Problem.UNREADABLE, match.group(0))
    start = _date(y1, m1, d1, note1, year)
    end = _date(y2 or (str(start.year) if m2 is None else None), m2 or str(start.month), d2, note2, year)
    if end < start and y1 is None and y2 is None and m2 is not None:
        # "12月31日至1月2日" in a notice of the next year: the range starts in the year before
        start = _date(str(year - 1), m1, d1, note1, year)
    if end < start or (end - start).days > 31:
        raise _LineRefused(Problem.UNREADABLE, match.group(0))
    return start, end


def _date(year_text: str | None, month_text: str | None, day_text: str, note: str | None, year: int) -> date:
    if month_text is None:
        raise _LineRefused(Problem.UNREADABLE, f"{day_text}日")
    try:
        day = date(int(year_text) if year_text else year, int(month_text), int(day_text))
    except ValueError:
        raise _LineRefused(Problem.BAD_DATE, f"{month_text}月{day_text}日") from None
    said = _WEEKDAY_WORD.search(note or "")
    if said and _WEEKDAYS[said.group(1)] != day.weekday():
        raise _LineRefused(Problem.WEEKDAY, f"{_day_text(day)}（{said.group(0)}）")
    return day


_day_text = dates.full_day


# --- a table of rows -------------------------------------------------------------------------------------------------

_KIND_WORDS = {"放假": DayKind.OFF, "休": DayKind.OFF, "休息": DayKind.OFF, "off": DayKind.OFF,
               "上班": DayKind.ON, "班": DayKind.ON, "工作": DayKind.ON, "on": DayKind.ON}
def parse_rows(rows: Sequence[tuple[int, Sequence[object]]]) -> Schedule | Refusal:
    """A table of `date, 放假|上班[, festival]` rows (numbered as in the file; a header row is skipped): the year
    is the one most of its dates belong to (a New Year's holiday may begin in the December before)."""
    stated: dict[date, tuple[DayKind, str]] = {}
    first = rows[0][0] if rows else None
    for number, cells in rows:
        texts = [str(c).strip() if c is not None else "" for c in cells]
        if not any(texts) or (number == first and _is_header(texts)):
            continue
        line = f"第{number}行：{'，'.join(t for t in texts if t)}"[:100]
        day = _cell_date(cells[0] if cells else None)
        kind = _KIND_WORDS.get(texts[1].lower() if len(texts) > 1 else "")
        if day is None:
            return Refusal(Problem.BAD_DATE, line)
        if kind is None:
            return Refusal(Problem.UNREADABLE, line)
        if day in stated and stated[day][0] is not kind:
            return Refusal(Problem.CONFLICT, line, _day_text(day))
        stated[day] = (kind, texts[2] if len(texts) > 2 and texts[2] else "节假日")
    if not stated:
        return Refusal(Problem.EMPTY)
    years = [day.year for day in stated]
    year = max(set(years), key=years.count)
    if any(abs(day.year - year) > 1 for day in stated):
        return Refusal(Problem.WRONG_YEAR)
    return Schedule(year, _group(stated), f"{year}年节假日安排（表格）")


def _is_header(texts: list[str]) -> bool:
    """A first row whose first cell is not even shaped like a date ("日期")."""
    read = when.read_written_day(texts[0])
    return isinstance(read, when.Refusal) and read.reason == when.UNREADABLE


def _cell_date(value: object) -> date | None:
    if isinstance(value, date):
        return value if type(value) is date else value.date()  # type: ignore[attr-defined]
    day = when.read_written_day(str(value or ""))
    return None if isinstance(day, when.Refusal) else day


def _group(stated: dict[date, tuple[DayKind, str]]) -> tuple[Festival, ...]:
    """Rows grouped into festivals by name, in date order; a day worked joins the festival nearest to it."""
    by_name: dict[str, tuple[list[date], list[date]]] = {}
    for day in sorted(stated):
        kind, name = stated[day]
        if kind is DayKind.OFF:
            by_name.setdefault(name, ([], []))[0].append(day)
    for day in sorted(stated):
        kind, name = stated[day]
        if kind is DayKind.ON:
            target = _nearest(by_name, day) if name == "节假日" else name
            by_name.setdefault(target, ([], []))[1].append(day)
    return tuple(Festival(name, tuple(off), tuple(work)) for name, (off, work) in by_name.items())


def _nearest(by_name: dict[str, tuple[list[date], list[date]]], day: date) -> str:
    named = [(min(abs((d - day).days) for d in off), name) for name, (off, _) in by_name.items() if off]
    return min(named)[1] if named else "调休上班"


# --- comparing two entries -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Difference:
    """How a new entry for a year differs from the one stored: days added, dropped, or of the other kind."""

    added: tuple[tuple[date, DayKind], ...]
    dropped: tuple[tuple[date, DayKind], ...]
    changed: tuple[tuple[date, DayKind], ...]  # the new kind

    @property
    def none(self) -> bool:
        return not (self.added or self.dropped or self.changed)


def difference(old: dict[date, DayKind], new: dict[date, DayKind]) -> Difference:
    return Difference(
        added=tuple(sorted((d, k) for d, k in new.items() if d not in old)),
        dropped=tuple(sorted((d, k) for d, k in old.items() if d not in new)),
        changed=tuple(sorted((d, k) for d, k in new.items() if d in old and old[d] is not k)))


def spans(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) spans, in order."""
    result: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if result and result[-1][1] + timedelta(days=1) == day:
            result[-1] = (result[-1][0], day)
        else:
            result.append((day, day))
    return result
