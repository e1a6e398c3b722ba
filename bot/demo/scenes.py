"""What the demo branch has going on when the page opens: a theme day two days ahead, a committee meeting
(支委会) the day after, an open evaluation, and a 预备党员 whose thought report is due.

Each scene uses the features' own use cases, so the reminders, notices and cards are the real ones.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.domain.calendar import ThemeDaySettings
from bot.domain.roles import Role
from bot.services import Services, evaluation, reports, sessions, themeday
from storage import meetings
from storage import themeday as themeday_settings

VENUE = {"latitude": 34.2655, "longitude": 108.9542}  # the village committee's activity room
THEME = "学习贯彻党的二十届四中全会精神"


async def theme_day_soon(svc: Services, cast) -> None:
    """This month's theme day two days from now at 14:30, with a theme, a place and a venue for 📍 check-in."""
    tz = cast.branch.tz or svc.settings.tz
    now = svc.now()
    day = (now.astimezone(ZoneInfo(tz)) + timedelta(days=2)).date()
    settings = ThemeDaySettings(mode="monthday", day=day.day, start="14:30", end="16:30", place="村委会党员活动室",
                                venue_lat=VENUE["latitude"], venue_lon=VENUE["longitude"], venue_radius_m=300)
    async with svc.db.write() as db:
        await themeday_settings.save_settings(db, cast.branch.id, settings, now)
        meeting, _ = await themeday.ensure_meeting(svc, db, cast.branch, settings, day.year, day.month, now)
        await meetings.set_title(db, meeting.id, THEME, now)


async def committee_meeting(svc: Services, cast) -> None:
    """A 支委会 three days from now, scheduled through /meeting's own steps; 李红梅 (组织委员) keeps the minutes."""
    tz = cast.branch.tz or svc.settings.tz
    day = (svc.now().astimezone(ZoneInfo(tz)) + timedelta(days=3)).date()
    secretary = cast.secretary.telegram_id
    recorder = next(m for m in cast.members if m.name == "李红梅")
    await sessions.begin(svc, secretary)
    await sessions.choose_kind(svc, secretary, "committee")
    await sessions.answer(svc, secretary, "when", f"{day.month}月{day.day}日 15:00-16:30")
    await sessions.answer(svc, secretary, "place", "村委会会议室")
    await sessions.answer(svc, secretary, "topic", "研究年度民主评议工作安排")
    await sessions.choose_person(svc, secretary, "host", cast.secretary.id)
    await sessions.choose_person(svc, secretary, "recorder", recorder.id)
    await sessions.confirm(svc, secretary)


async def evaluation_open(svc: Services, cast) -> None:
    """This year's democratic evaluation, open for two weeks; members are told as on a real opening."""
    await evaluation.open_campaign(svc, cast.secretary.telegram_id, 14)


async def report_due(svc: Services, cast) -> None:
    """The 预备党员 孙丽 is asked for this quarter's thought report (the reminder with its 写思想汇报 button)."""
    for member in cast.members:
        if Role.PROBATIONARY in member.roles:
            await reports.ask_now(svc, member)


SCENES = (theme_day_soon, committee_meeting, evaluation_open, report_due)
