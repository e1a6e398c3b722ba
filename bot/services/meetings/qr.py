"""The QR picture shown at the venue: a deep link (https://t.me/<bot>?start=ci_…) that changes with the check-in
code every 30 seconds, drawn as a PNG beside the four digits to read aloud. Scanning it opens the bot and checks the
member in as typing the code would; a stale, altered or unknown link is refused with one polite answer that does
not say which part was wrong. A picture is kept fresh for at most QR_MINUTES, never past the check-in window."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.documents.qr import qr_png
from bot.domain import checkin_proof as rules
from bot.errors import UserError
from bot.services import Services
from bot.services.meetings import checkin
from storage import meetings

QR_MINUTES = 10  # then 🔄 换新码 shows it again for as long


@dataclass
class ShownQr:
    shown: checkin.ShownCode
    link: str
    picture: bytes
    refresh_until: datetime  # the picture is refreshed until then
    next_change: datetime  # when the link and the code change next


def link_for(svc: Services, secret: str, meeting_id: int, now: datetime) -> str:
    return f"https://t.me/{svc.bot_username}?start={rules.link_payload(secret, meeting_id, now)}"


async def show_qr(svc: Services, telegram_id: int, meeting_id: int) -> ShownQr:
    """The code and the QR picture of the link for now: for those who may show the code (re-checked each time)."""
    shown = await checkin.show_code(svc, telegram_id, meeting_id)
    secret = await meetings.checkin_secret(svc.db, meeting_id)
    assert secret is not None  # show_code made it
    now = svc.now()
    link = link_for(svc, secret, meeting_id, now)
    until = min(now + timedelta(minutes=QR_MINUTES), shown.meeting.ends_at)
    # ~17 ms of pure-Python CPU a picture (segno's mask choice is most of it): drawn in a worker thread, so the
    # taps of everyone else are not held up behind it.
    picture = await asyncio.to_thread(qr_png, link)
    return ShownQr(shown, link, picture, until, rules.changes_at(now))


def is_checkin_link(payload: str) -> bool:
    return payload.startswith(rules.LINK_PREFIX)


async def check_in_by_link(svc: Services, telegram_id: int, payload: str) -> checkin.CheckIn:
    """A scanned link: the meeting's check-in as if the code shown with it was typed; refused as one when stale,
    altered or not a meeting's."""
    meeting_id = rules.link_meeting(payload)
    secret = await meetings.checkin_secret(svc.db, meeting_id) if meeting_id is not None else None
    if meeting_id is None or secret is None or not rules.link_matches(secret, payload, svc.now()):
        raise UserError("meetings/bad_link.j2")
    return await checkin.check_in(svc, telegram_id, meeting_id, code=rules.code_at(secret, svc.now()))
