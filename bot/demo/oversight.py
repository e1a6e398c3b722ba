"""The demo's history for 城关镇党委's /overview: the first branch held last month's theme day (5 of 7 present) and
a 支委会 (its committee, all present), the second has used zhibu for 45 days without a meeting — a silent branch at
the top of the officer's list. And the unit's leadership team, for its 民主生活会 (/shenghuohui).

Each past meeting is written as the close would have left it: expected are the people its audience names (a 支委会
expects the committee only), present ones checked in, the rest of them absent."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.meetings import MeetingKind, Presence, expected_members
from bot.domain.models import Branch
from bot.services import Services
from storage import branches, meetings, members
from storage import life_meetings as life_store
from storage import overview as store

# (days ago, kind, local start, audience, how many of the expected checked in): held in the afternoon, as the coming
# ones are, whatever the hour the demo is started at.
# 城关镇党委's leadership team for its 民主生活会 (/shenghuohui): the officer and a deputy with a vote, a non-party
# deputy head who 列席; the two have no Telegram in the demo (a name is enough), so the officer can try it alone.
TEAM = (("陈卫东", True), ("张立新", False))
HISTORY = ((35, MeetingKind.THEME_DAY, time(14, 30), "all", 5),
           (20, MeetingKind.COMMITTEE, time(15, 0), "committee", None))


async def seed_history(svc: Services, first: Branch, second_name: str) -> None:
    now = svc.now()
    second = next(b for b in await branches.every(svc.db) if b.name == second_name)
    people = await members.in_branch(svc.db, first.id)
    tz = ZoneInfo(first.tz or svc.settings.tz)
    async with svc.db.write() as db:
        await store.backdate_branch(db, first.id, now - timedelta(days=90))
        await store.backdate_branch(db, second.id, now - timedelta(days=45))
        for days, kind, at, audience, present_count in HISTORY:
            day = (now - timedelta(days=days)).astimezone(tz).date()
            start = datetime.combine(day, at, tzinfo=tz)
            period = f"{day.year}-{day.month:02d}" if kind is MeetingKind.THEME_DAY else None
            meeting = await meetings.create(db, branch_id=first.id, kind=kind, starts_at=start,
                                            ends_at=start + timedelta(hours=2), checkin_opens_at=start, now=start,
                                            period=period, audience=audience)
            if meeting is None:
                continue
            expected = expected_members(people, audience)
            for person in expected[:present_count]:
                await meetings.record_presence(db, meeting.id, person.id, Presence.CHECKED_IN, None, start)
            await meetings.record_absences(db, meeting.id, [p.id for p in expected], start + timedelta(hours=2))
            await meetings.mark_closed(db, meeting.id, start + timedelta(hours=2))


async def seed_team(svc: Services, unit_id: int, officer: tuple[int, str]) -> None:
    now = svc.now()
    async with svc.db.write() as db:
        await life_store.add_person(db, unit_id=unit_id, name=officer[1], telegram_id=officer[0], votes=True,
                                    by=officer[0], now=now)
        for name, votes in TEAM:
            await life_store.add_person(db, unit_id=unit_id, name=name, telegram_id=None, votes=votes,
                                        by=officer[0], now=now)
