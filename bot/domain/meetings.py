"""Rules shared by every meeting (theme day, 三会一课): who must attend, the check-in window, lateness,
the reminder moments and the tally — plain functions of their inputs and `now`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bot.domain import dates
from bot.domain.models import Member
from bot.domain.roles import COMMITTEE_ROLES


class MeetingKind(StrEnum):
    THEME_DAY = "theme_day"
    ASSEMBLY = "assembly"  # 支部党员大会
    COMMITTEE = "committee"  # 支部委员会
    GROUP = "group"  # 党小组会
    LECTURE = "lecture"  # 党课
    LIFE = "life"  # 组织生活会
    STUDY = "study"  # 专题学习 (seed 002's 六个一: a special study each week, at least an hour)


KIND_LABELS = {
    MeetingKind.THEME_DAY: "主题党日",
    MeetingKind.ASSEMBLY: "支部党员大会",
    MeetingKind.COMMITTEE: "支部委员会",
    MeetingKind.GROUP: "党小组会",
    MeetingKind.LECTURE: "党课",
    MeetingKind.LIFE: "组织生活会",
    MeetingKind.STUDY: "专题学习",
}

# 专题学习: 每周组织一次专题学习、每次学习不少于一小时 (seed 002).
STUDY_MIN_MINUTES = 60
STUDY_NOTE_MAX = 500  # characters of a 学习心得


def too_short(kind: MeetingKind, starts_at: datetime, ends_at: datetime) -> bool:
    """Whether a meeting of this kind is shorter than its kind asks (a 专题学习 lasts at least an hour)."""
    return kind is MeetingKind.STUDY and ends_at - starts_at < timedelta(minutes=STUDY_MIN_MINUTES)


class Presence(StrEnum):
    CHECKED_IN = "checked_in"
    LATE = "late"
    ON_LEAVE = "on_leave"
    ABSENT = "absent"


PRESENCE_LABELS = {Presence.CHECKED_IN: "已签到", Presence.LATE: "迟到", Presence.ON_LEAVE: "请假",
                   Presence.ABSENT: "缺席"}
PRESENT = frozenset({Presence.CHECKED_IN, Presence.LATE})


class Meeting(BaseModel):
    id: int
    branch_id: int
    kind: MeetingKind
    period: str | None
    title: str | None
    details: str | None
    starts_at: datetime
    ends_at: datetime
    checkin_opens_at: datetime
    place: str | None
    venue_lat: float | None
    venue_lon: float | None
    venue_radius_m: int | None
    audience: str
    status: str
    makeup_days: int
    closed_at: datetime | None
    holds: str = ""  # 主题党日+: the 三会一课 kinds a theme day also holds, comma-separated

    @property
    def held(self) -> tuple[MeetingKind, ...]:
        """The 三会一课 meetings this one also is (a theme day that is the quarter's 支部党员大会)."""
        return parse_holds(self.holds)

    @property
    def kinds(self) -> frozenset[MeetingKind]:
        """Every kind the meeting counts for: its own and those it holds."""
        return frozenset({self.kind, *self.held})

    @property
    def group_day(self) -> str | None:
        """The party group whose own theme day this is (党小组主题党日), None otherwise."""
        return group_of(self.audience) if self.kind is MeetingKind.THEME_DAY and self.period is None else None


# 主题党日+: what a theme day can hold — the 三会一课 (seed 000 names them among the forms of the 统一活动日).
HOLDABLE = (MeetingKind.ASSEMBLY, MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.LECTURE)


# What /themeday offers to hold within the branch's theme day (for everyone): the 支部党员大会 and the 党课.
FOR_EVERYONE = (MeetingKind.ASSEMBLY, MeetingKind.LECTURE)


def may_hold_more(day: Meeting) -> bool:
    """Whether the branch's theme day can still take a meeting for everyone (同时召开 on its card)."""
    return any(may_combine(day, kind, "all") for kind in FOR_EVERYONE)


def parse_holds(holds: str) -> tuple[MeetingKind, ...]:
    """The kinds a stored `holds` value names ('assembly,lecture')."""
    return tuple(MeetingKind(k) for k in holds.split(",") if k)


def with_held(holds: str, kind: MeetingKind) -> str:
    """The `holds` value once `kind` is added (kept in a fixed order, never twice)."""
    have = {k for k in holds.split(",") if k} | {kind.value}
    return ",".join(k.value for k in HOLDABLE if k.value in have)


def may_combine(other: Meeting, kind: MeetingKind, audience: str) -> bool:
    """A new 三会一课 meeting can be held within `other` when that is a theme day for exactly the same people that
    does not hold this kind yet."""
    return (other.kind is MeetingKind.THEME_DAY and kind in HOLDABLE and kind not in other.held
            and other.audience == audience and other.status == "scheduled")


def overlap(start: datetime, end: datetime, other_start: datetime, other_end: datetime) -> bool:
    """Whether two stretches of time share a moment (one ending as the other starts does not)."""
    return start < other_end and other_start < end


GROUP_DAY_LABEL = "党小组主题党日"  # before the group is chosen


def agenda_line(kind: MeetingKind, topic: str) -> str:
    """What a theme day's details gain when it holds a meeting: 支部党员大会：选举支部委员会."""
    return f"{KIND_LABELS[kind]}：{topic}"


def title_of(kind: MeetingKind, held: tuple[MeetingKind, ...] = (), group: str | None = None) -> str:
    """主题党日暨支部党员大会 for a theme day holding a meeting; 第一党小组主题党日 for a group's own day."""
    base = f"{group}{KIND_LABELS[kind]}" if group else KIND_LABELS[kind]
    return "暨".join([base, *(KIND_LABELS[k] for k in held)])


class Attendance(BaseModel):
    meeting_id: int
    member_id: int
    status: Presence
    by_member: int | None
    at: datetime
    made_up_at: datetime | None


class Recorded(StrEnum):
    """Who put a presence on record: the member, someone else during the meeting, or the secretary after it."""

    SELF = "self"
    PROXY = "proxy"  # 代签: a secretary or check-in helper checked them in while the meeting was on
    CORRECTED = "corrected"  # 补记: the secretary corrected an absence once the meeting was over


def recorded_how(row: Attendance, ends_at: datetime) -> Recorded:
    """Proxy check-ins happen inside the check-in window (which closes at the meeting's end); a correction is only
    possible once the meeting is closed, so a presence written by someone else after the end is a correction."""
    if row.by_member is None:
        return Recorded.SELF
    return Recorded.CORRECTED if row.at > ends_at else Recorded.PROXY


def expected_members(active: list[Member], audience: str) -> list[Member]:
    """Who must attend: 'all' active members, the 'committee', or one party group ('group:第一党小组')."""
    if audience == "committee":
        return [m for m in active if m.roles & COMMITTEE_ROLES]
    if (group := group_of(audience)) is not None:
        return [m for m in active if m.party_group == group]
    return list(active)


def group_of(audience: str | None) -> str | None:
    """The party group a meeting is for ('group:第一党小组'), None for the whole branch or its committee."""
    return audience.split(":", 1)[1] if audience and audience.startswith("group:") else None


class Window(StrEnum):
    TOO_EARLY = "too_early"
    OPEN = "open"
    CLOSED = "closed"


def checkin_window(opens_at: datetime, ends_at: datetime, now: datetime) -> Window:
    if now < opens_at:
        return Window.TOO_EARLY
    if now > ends_at:
        return Window.CLOSED
    return Window.OPEN


def presence_at(starts_at: datetime, now: datetime) -> Presence:
    """A check-in after the start is late."""
    return Presence.LATE if now > starts_at else Presence.CHECKED_IN


@dataclass(frozen=True)
class ReminderMoment:
    name: str  # part of the outbox key: remind-3d, remind-eve, remind-open
    due_at: datetime


def reminder_moments(
    starts_at: datetime, opens_at: datetime, tz: str, evening: time = time(19, 30)
) -> list[ReminderMoment]:
    """3 days before (same time of day), the evening before (local 19:30), and when check-in opens."""
    local_day = starts_at.astimezone(ZoneInfo(tz)).date()
    eve = datetime.combine(local_day - timedelta(days=1), evening, tzinfo=ZoneInfo(tz))
    return [ReminderMoment("remind-3d", starts_at - timedelta(days=3)), ReminderMoment("remind-eve", eve),
            ReminderMoment("remind-open", opens_at)]


def local_span(day: date, start: time, end: time, tz: str) -> tuple[datetime, datetime]:
    """A meeting's start and end on a local date, as aware datetimes."""
    zone = ZoneInfo(tz)
    return datetime.combine(day, start, tzinfo=zone), datetime.combine(day, end, tzinfo=zone)


@dataclass
class Tally:
    expected: list[str]
    present: list[str]
    late: list[str]
    on_leave: list[str]
    absent: list[str]


def tally(expected: list[Member], statuses: dict[int, Presence]) -> Tally:
    """应到 / 实到 (迟到 among them) / 请假 / 缺席 by name; a member with no row is absent."""
    result = Tally([], [], [], [], [])
    for member in expected:
        status = statuses.get(member.id, Presence.ABSENT)
        result.expected.append(member.name)
        if status in PRESENT:
            result.present.append(member.name)
            if status is Presence.LATE:
                result.late.append(member.name)
        elif status is Presence.ON_LEAVE:
            result.on_leave.append(member.name)
        else:
            result.absent.append(member.name)
    return result


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine; plenty for 'is this person at the venue')."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def format_when(starts_at: datetime, ends_at: datetime, tz: str) -> str:
    """'12月3日（星期四）09:00–11:00' in the branch's time zone."""
    return dates.span(starts_at, ends_at, tz)


def name_of(kind: MeetingKind, month: date | None, held: tuple[MeetingKind, ...] = (),
            group: str | None = None) -> str:
    """A meeting's name in messages: 12月主题党日 for a monthly one (given its month), else the kind's name; with
    the meetings it holds (12月主题党日暨支部党员大会) and the party group whose own day it is."""
    name = title_of(kind, held, group)
    return f"{dates.month(month)}{name}" if month else name


def format_moment(moment: datetime, tz: str) -> str:
    """'12月3日 08:30' in the branch's time zone."""
    return dates.moment(moment, tz)
