"""What the demo branch has going on when the page opens: a theme day two days ahead, an open evaluation.

Each scene uses the features' own use cases, so the reminders, notices and cards are the real ones.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.domain.calendar import ThemeDaySettings
from bot.services import Services, evaluation, themeday
from storage import meetings
from storage import themeday as themeday_settings
from storage.db import transaction

VENUE = {"latitude": 34.2655, "longitude": 108.9542}  # the village committee's activity room
THEME = "学习贯彻党的二十届四中全会精神"


async def theme_day_soon(svc: Services, cast) -> None:
    """This month's theme day two days from now at 14:30, with a theme, a place and a venue for 📍 check-in."""
    tz = cast.branch.tz or svc.settings.tz
    now = svc.now()
    day = (now.astimezone(ZoneInfo(tz)) + timedelta(days=2)).date()
    settings = ThemeDaySettings(mode="monthday", day=day.day, start="14:30", end="16:30", place="村委会党员活动室",
                                venue_lat=VENUE["latitude"], venue_lon=VENUE["longitude"], venue_radius_m=300)
    async with transaction(svc.db) as db:
        await themeday_settings.save_settings(db, cast.branch.id, settings, now)
        meeting, _ = await themeday.ensure_meeting(svc, db, cast.branch, settings, day.year, day.month, now)
        await meetings.set_title(db, meeting.id, THEME, now)


async def evaluation_open(svc: Services, cast) -> None:
    """This year's democratic evaluation, open for two weeks; members are told as on a real opening."""
    await evaluation.open_campaign(svc, cast.secretary.telegram_id, 14)


SCENES = (theme_day_soon, evaluation_open)
