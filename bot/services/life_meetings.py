"""民主生活会 (seed 000), held by a unit's leadership team each half-year: an officer of the unit writes the time,
place and topic, sees the preview and publishes it (the form is kept as it goes, like /meeting's); the team — with
a vote, and those who 列席 — gets the notice with 签到 and 请假, and a reminder the day before. Check-in, leave and
the written statement of an absentee are bot/services/life_attend.py. After the end the meeting closes (who neither
came nor had leave is absent) and the officers are asked for the record: what was discussed, then the criticism
("姓名：意见" lines, read as the 组织生活会's are); what is addressed to someone who was not there is conveyed to
them privately, never to a group.

A unit's meeting is a `meetings` row with unit_id set and branch_id NULL; it is read only through
storage/life_meetings.py (model UnitMeeting), never by the branch meetings' code, ticks or buttons."""

from __future__ import annotations

from datetime import datetime

from bot.callbacks import life as cb
from bot.domain import life_meeting as rules
from bot.domain import when
from bot.domain.life_meeting import Presence, UnitMeeting
from bot.domain.meetings import format_when
from bot.domain.outbox import OutboxRow
from bot.errors import UserError
from bot.features import Feature
from bot.keys import life as keys
from bot.keys import refs
from bot.outgoing import Button, Outgoing, button
from bot.render import word
from bot.services import Services, life_attend, life_team
from storage import audit, conversations
from storage import life_meetings as store
from storage import units as unit_store
from storage.connection import Conn

NEW_FORM, RECORD_FORM = "life_new", "life_record"
NOTICE, EVE, RECORD, CRITICISM = "life.notice", "life.eve", "life.record", "life.criticism"
CANCELLED = "life.cancelled"


# --- scheduling: details → preview → publish ------------------------------------------------------------------------

async def begin_new(svc: Services, telegram_id: int, unit_id: int) -> dict:
    """📅 安排民主生活会: the next message is the time, the place and the topic, a line each."""
    unit = await life_team.officer_unit(svc, telegram_id, unit_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, NEW_FORM, "details", {"unit_id": unit.id}, svc.now())
    return {"unit": unit.name}


def _details(text: str | None, now: datetime, tz: str) -> dict:
    """Line one the time (an end is optional: two hours), line two the place, line three the topic."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) != 3:
        raise UserError("life/bad_details.j2", problem="lines")
    parsed = when.read(lines[0], now, tz)
    if isinstance(parsed, when.Refusal):
        raise UserError("life/bad_details.j2", problem="when", why=parsed.reason)
    if parsed.ambiguous or parsed.past:
        raise UserError("life/bad_details.j2", problem="past" if parsed.past else "ambiguous")
    reading = when.with_default_end(parsed.readings[0])
    place, topic = lines[1], lines[2]
    if len(place) > rules.PLACE_MAX or len(topic) > rules.TOPIC_MAX:
        raise UserError("life/bad_details.j2", problem="long", place_max=rules.PLACE_MAX, topic_max=rules.TOPIC_MAX)
    return {"starts_at": reading.start.isoformat(), "ends_at": reading.end.isoformat() if reading.end else None,
            "place": place, "topic": topic}


async def details_typed(svc: Services, telegram_id: int, data: dict, text: str | None) -> dict:
    """The details read: kept, and shown as the team will see them, with 发布 and 放弃."""
    unit = await life_team.officer_unit(svc, telegram_id, int(data["unit_id"]))
    draft = {"unit_id": unit.id, **_details(text, svc.now(), svc.settings.tz)}
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, NEW_FORM, "preview", draft, svc.now())
    return await _preview(svc, unit.id, unit.name, draft)


async def _preview(svc: Services, unit_id: int, unit_name: str, draft: dict) -> dict:
    team = await store.team_of(svc.db, unit_id)
    starts, ends = datetime.fromisoformat(draft["starts_at"]), datetime.fromisoformat(draft["ends_at"])
    return {"unit": unit_name, "when": format_when(starts, ends, svc.settings.tz), "place": draft["place"],
            "topic": draft["topic"], "members": [p.name for p in team if p.votes],
            "guests": [p.name for p in team if not p.votes],
            "buttons": [[button("life/publish", cb.publish()), button("life/discard", cb.discard())]]}


async def _draft(db: Conn, telegram_id: int) -> dict:
    conversation = await conversations.get(db, telegram_id)
    if conversation is None or conversation.kind != NEW_FORM or conversation.step != "preview":
        raise UserError("common/stale.j2")
    return dict(conversation.data)


async def publish(svc: Services, telegram_id: int) -> dict:
    """发布: the meeting is made, the team as it stands asked to it and told now, reminded the day before."""
    draft = await _draft(svc.db, telegram_id)
    unit = await life_team.officer_unit(svc, telegram_id, int(draft["unit_id"]))
    team = await store.team_of(svc.db, unit.id)
    if not any(p.votes for p in team):
        raise UserError("life/no_team.j2", unit=unit.name)
    now = svc.now()
    starts, ends = datetime.fromisoformat(draft["starts_at"]), datetime.fromisoformat(draft["ends_at"])
    if starts <= now:
        raise UserError("life/bad_details.j2", problem="past")
    async with svc.db.write() as db:
        await _draft(db, telegram_id)  # read again in the write: a second quick 发布 finds it gone, makes nothing
        meeting = await store.create(db, unit_id=unit.id, title=draft["topic"], place=draft["place"],
                                     starts_at=starts, ends_at=ends, checkin_opens_at=starts - rules.CHECKIN_BEFORE,
                                     now=now)
        await store.invite(db, meeting.id, [p.id for p in team], now)
        told = await _announce(svc, db, meeting, unit.name, now)
        await audit.record(db, now=now, action="life.schedule", branch_id=None, actor_id=None,
                           subject=refs.unit(unit.id), by=telegram_id, meeting=meeting.id)
        await conversations.clear(db, telegram_id)
    svc.wake_outbox()
    return {**await life_team.card(svc, telegram_id, meeting.id), "told": told}


async def _announce(svc: Services, db: Conn, meeting: UnitMeeting, unit_name: str, now: datetime) -> int:
    """The notice now and the eve's reminder, each with 签到 and 请假, to everyone asked who has Telegram."""
    shown = life_team.describe(svc, meeting, unit_name)
    told = 0
    for person in await store.invitees(db, meeting.id):
        if person.telegram_id is None:
            continue
        params = {**shown, "votes": person.votes, "name": person.name}
        await life_team.send(db, person.telegram_id, keys.notice(meeting.id, person.person_id), NOTICE,
                   Outgoing(template="life/notice.j2", params=params, buttons=attend_buttons(meeting.id)), now,
                   expires_at=meeting.ends_at)
        if meeting.starts_at - rules.EVE > now:
            await life_team.send(db, person.telegram_id, keys.eve(meeting.id, person.person_id), EVE,
                       Outgoing(template="life/eve.j2", params=params, buttons=attend_buttons(meeting.id)), now,
                       due_at=meeting.starts_at - rules.EVE, expires_at=meeting.starts_at)
        told += 1
    return told


def attend_buttons(meeting_id: int) -> list[list[Button]]:
    return [[button("life/checkin", cb.checkin(meeting_id)), button("life/leave", cb.leave(meeting_id))]]


async def discard(svc: Services, telegram_id: int) -> None:
    await _draft(svc.db, telegram_id)
    async with svc.db.write() as db:
        await conversations.clear(db, telegram_id)


# --- calling it off ---------------------------------------------------------------------------------------------------

async def ask_cancel(svc: Services, telegram_id: int, meeting_id: int) -> dict:
    """✖ 取消会议 on the card: before the start only; asks to confirm."""
    meeting, unit_name = await life_team.officer_meeting(svc, telegram_id, meeting_id)
    if not rules.before_start(meeting, svc.now()):
        raise UserError("life/refused.j2", why="cancel_late")
    return {**life_team.describe(svc, meeting, unit_name),
            "buttons": [[button("life/cancel_confirm", cb.cancel_confirmed(meeting.id)),
                         button("life/keep", cb.show(meeting.id))]]}


async def cancel(svc: Services, telegram_id: int, meeting_id: int) -> dict:
    """确认取消: called off once; everyone asked who has Telegram is told, and its reminders stop."""
    meeting, unit_name = await life_team.officer_meeting(svc, telegram_id, meeting_id)
    now = svc.now()
    if not rules.before_start(meeting, now):
        raise UserError("life/refused.j2", why="cancel_late")
    shown = life_team.describe(svc, meeting, unit_name)
    told = 0
    async with svc.db.write() as db:
        if not await store.cancel(db, meeting.id, now):
            raise UserError("life/refused.j2", why="cancel_late")
        for person in await store.invitees(db, meeting.id):
            if person.telegram_id is not None:
                await life_team.send(db, person.telegram_id, keys.cancelled(meeting.id, person.person_id), CANCELLED,
                                     Outgoing(template="life/cancelled.j2", params=shown), now)
                told += 1
        await audit.record(db, now=now, action="life.cancel", branch_id=None, actor_id=None,
                           subject=refs.unit(meeting.unit_id), by=telegram_id, meeting=meeting.id)
    svc.wake_outbox()
    return {**shown, "told": told}


# --- the close and the record -----------------------------------------------------------------------------------------

async def close_due(svc: Services, now: datetime) -> None:
    """Tick: each unit meeting past its end closes (who neither came nor had leave is absent), and the unit's
    officers are asked for the record, with the button that opens it."""
    for meeting in await store.due_to_close(svc.db, now):
        async with svc.db.write() as db:
            if not await store.close(db, meeting.id, now):
                continue
            unit = await unit_store.get(db, meeting.unit_id)
            shown = life_team.describe(svc, meeting, unit.name if unit else "")
            # who was not there does not write the record (nor the criticism addressed to them)
            away = {p.telegram_id for p in await store.invitees(db, meeting.id)
                    if p.status in rules.NOT_THERE and p.telegram_id is not None}
            for officer in await life_team.officers_over(svc, db, meeting.unit_id, away):
                await life_team.send(db, officer, keys.record(meeting.id, officer), RECORD,
                           Outgoing(template="life/record_prompt.j2", params=shown,
                                    buttons=[[button("life/record", cb.record(meeting.id))]]),
                           now, due_at=now + rules.RECORD_AFTER)
        svc.wake_outbox()


async def begin_record(svc: Services, telegram_id: int, meeting_id: int) -> dict:
    """📝 记录会议: after the end only, once; the next message is what was discussed."""
    meeting, _ = await life_team.officer_meeting(svc, telegram_id, meeting_id)
    now = svc.now()
    if meeting.ends_at >= now:
        raise UserError("life/refused.j2", why="not_over")
    if await store.minutes_of(svc.db, meeting.id) is not None:
        raise UserError("life/refused.j2", why="recorded")
    own = await store.invitee_by_telegram(svc.db, meeting.id, telegram_id)
    # Not checked in is not there: before the close tick the unsettled are still "invited", and one who did not come
    # must not write the record (nor criticism of themselves).
    if own is not None and own.status in rules.NOT_THERE | rules.UNSETTLED:
        raise UserError("life/refused.j2", why="record_absent")
    async with svc.db.write() as db:
        await store.close(db, meeting.id, now)  # the tick may not have come round yet
        await conversations.save(db, telegram_id, RECORD_FORM, "content", {"meeting_id": meeting.id}, now)
    return {"step": "content", "max": rules.CONTENT_MAX}


def _typed(text: str | None, limit: int, step: str) -> str:
    try:
        typed = rules.clean(text, limit)
    except ValueError as long:
        raise UserError("life/too_long.j2", max=limit, length=long.args[0]) from None
    if typed is None:
        raise UserError("life/refused.j2", why="empty_" + step)
    return typed


async def record_typed(svc: Services, telegram_id: int, step: str, data: dict, text: str | None) -> dict:
    """What was discussed, then the criticism ("姓名：意见" lines, or 无); after the second the record is kept and the
    criticism addressed to each absentee is conveyed to them."""
    meeting, _ = await life_team.officer_meeting(svc, telegram_id, int(data["meeting_id"]))
    if step == "content":
        content = _typed(text, rules.CONTENT_MAX, step)
        async with svc.db.write() as db:
            await conversations.save(db, telegram_id, RECORD_FORM, "criticism", {**data, "content": content},
                                     svc.now())
        return {"asked": {"step": "criticism", "max": rules.CRITICISM_MAX}}
    criticism = _typed(text, rules.CRITICISM_MAX, step)
    parsed = rules.read_criticism(criticism)
    if parsed is None:
        raise UserError("life/refused.j2", why="criticism_form")
    outcome = await _recorded(svc, telegram_id, meeting, data["content"], criticism, parsed)
    return {"card": await life_team.card(svc, telegram_id, meeting.id), **outcome}


async def _recorded(svc: Services, telegram_id: int, meeting: UnitMeeting, content: str, criticism: str,
                    parsed: dict[str, str]) -> dict:
    now = svc.now()
    unit = await unit_store.get(svc.db, meeting.unit_id)
    shown = life_team.describe(svc, meeting, unit.name if unit else "")
    conveyed, unreachable = [], []
    async with svc.db.write() as db:
        if not await store.save_minutes(db, meeting.id, content=content, criticism=criticism, by=telegram_id,
                                        now=now):
            raise UserError("life/refused.j2", why="recorded")
        absent = {p.name: p for p in await store.invitees(db, meeting.id) if p.status in rules.NOT_THERE}
        for name, said in parsed.items():
            person = absent.get(name)
            if person is None:
                continue  # someone who was there heard it
            await store.save_criticism(db, meeting.id, person.person_id, said)
            if person.telegram_id is None:
                unreachable.append(name)
                continue
            await life_team.send(db, person.telegram_id, keys.criticism(meeting.id, person.person_id), CRITICISM,
                       Outgoing(template="talks/criticism.j2",
                                params={"meeting": word("life/name"), "when": shown["when"], "criticism": said}), now)
            await store.mark_conveyed(db, meeting.id, person.person_id, now)
            conveyed.append(name)
        await audit.record(db, now=now, action="life.record", branch_id=None, actor_id=None,
                           subject=refs.unit(meeting.unit_id), by=telegram_id, meeting=meeting.id)
        await conversations.clear(db, telegram_id)
    svc.wake_outbox()
    return {"conveyed": conveyed, "unreachable": unreachable,
            "not_absent": [n for n in parsed if n not in conveyed and n not in unreachable]}


# --- still worth sending? ---------------------------------------------------------------------------------------------

async def _still_scheduled(svc: Services, row: OutboxRow, now: datetime) -> bool:
    found = keys.notice.parse(row.key) or keys.eve.parse(row.key)
    if found is None:
        return False
    meeting = await store.get(svc.db, found.meeting)
    person = await store.invitee(svc.db, found.meeting, found.person)
    return meeting is not None and meeting.status == "scheduled" and person is not None and \
        person.status in (Presence.INVITED, Presence.LEAVE_REFUSED)


async def _not_recorded(svc: Services, row: OutboxRow, now: datetime) -> bool:
    found = keys.record.parse(row.key)
    return found is not None and await store.minutes_of(svc.db, found.meeting) is None


FEATURE = Feature(
    name="life_meetings",
    ticks=(close_due,),
    relevance={NOTICE: _still_scheduled, EVE: _still_scheduled, RECORD: _not_recorded,
               life_attend.STATEMENT_EVE: life_attend.statement_still_owed},
)
