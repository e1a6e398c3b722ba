"""The demo's additions to the emulator's phone page (bot/emulator/page.py): its clock and time travel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.clock import ShiftedClock
from bot.domain import dates

MAX_JUMP = timedelta(days=400)


def add_time_travel(app: web.Application, clock: ShiftedClock, tz: Callable[[], str],
                    drain: Callable[[], Awaitable[Any]],
                    landmarks: Callable[[], Awaitable[dict[str, datetime | None]]]) -> None:
    """POST /_demo/advance moves the demo clock forward and runs the reminder engine at once.

    The body says how far ({"hours": 6} or {"days": 1}) or where to ({"to": "checkin"}): `landmarks()` names
    the moments worth seeing, e.g. when the next meeting's check-in opens and just after it ends."""

    async def advance(request: web.Request) -> web.Response:
        body = await request.json()
        if "to" in body:
            moment = (await landmarks()).get(str(body["to"]))
            if moment is None:
                raise web.HTTPNotFound(text="nothing coming up to jump to")
            jump = moment - clock.now()
            if jump <= timedelta():
                raise web.HTTPBadRequest(text="that moment has already passed")
        else:
            try:
                jump = timedelta(hours=float(body.get("hours", 0)), days=float(body.get("days", 0)))
            except (TypeError, ValueError):
                raise web.HTTPBadRequest(text="hours/days must be numbers") from None
        if jump <= timedelta() or jump > MAX_JUMP:
            raise web.HTTPBadRequest(text="time travel goes forward, at most 400 days at a time")
        clock.advance(jump)
        report = await drain()
        return web.json_response({"clock": clock_face(clock, tz()), "sent": report.sent})

    app.router.add_post("/_demo/advance", advance)


def clock_face(clock: ShiftedClock, tz: str) -> dict[str, Any]:
    local = clock.now().astimezone(ZoneInfo(tz))
    return {"iso": local.isoformat(), "text": f"{dates.numeric_day(local)} {dates.weekday(local)} {local:%H:%M}",
            "shifted_hours": round(clock.offset.total_seconds() / 3600, 1)}
