"""/shenghuohui, the team side: a unit's leadership team (领导班子) for its 民主生活会 — members with a vote (the unit's
officers, or others an officer names) and non-party leaders who 列席 (a name is enough; with a Telegram id they get
the notices) — kept by the unit's officers (and those above). Also what /shenghuohui shows each person.

The team is its own roster (migration 038 says why). What the feature's parts share sits here too: who may act on
a unit's meeting, its description, its officers' card, and the one private send. The meeting itself is
bot/services/life_meetings.py, each person's part bot/services/life_attend.py."""

from __future__ import annotations

from datetime import datetime

from bot.callbacks import life as cb
from bot.domain import dates
from bot.domain import life_meeting as rules
from bot.domain.life_meeting import Presence, TeamPerson, UnitMeeting
from bot.domain.meetings import Window, format_when
from bot.domain.outbox import Planned
from bot.domain.units import Unit
from bot.errors import UserError
from bot.keys import refs
from bot.outgoing import Button, Outgoing, button
from bot.services import Services, reviewers, units
from storage import audit, conversations, outbox
from storage import life_meetings as store
from storage import units as unit_store
from storage.connection import Conn

ADD_FORM = "life_team_add"
MEETINGS_SHOWN = 5


async def officer_unit(svc: Services, telegram_id: int, unit_id: int) -> Unit:
    """A unit in the presser's subtree as an officer; anyone else is refused, whatever the button said."""
    return await units.unit_in_scope(svc, telegram_id, unit_id)


async def officer_meeting(svc: Services, telegram_id: int, meeting_id: int) -> tuple[UnitMeeting, str]:
    """A unit meeting in the presser's subtree as an officer (a branch's meeting id is not one: stale)."""
    meeting = await store.get(svc.db, meeting_id)
    if meeting is None or meeting.status == "cancelled":
        raise UserError("common/stale.j2")
    unit = await officer_unit(svc, telegram_id, meeting.unit_id)
    return meeting, unit.name


async def send(db: Conn, chat_id: int, key: str, kind: str, message: Outgoing, now: datetime, *,
               due_at: datetime | None = None, expires_at: datetime | None = None) -> None:
    """A private message to one person (their own chat, never a group), planned in the outbox."""
    await outbox.upsert(db, Planned(key=key, chat_id=chat_id, kind=kind, payload=message, due_at=due_at or now,
                                    expires_at=expires_at), now)


async def officers_over(svc: Services, db: Conn, unit_id: int, leaving_out: set[int]) -> list[int]:
    """Who acts for the unit on a case: its officers but those left out (the one asking for leave, those who were
    not at the meeting); none left, the nearest unit above's (the county's admins counting as the root's)."""
    return [r.telegram_id for r in (await reviewers.officers_from(svc, db, unit_id, leaving_out))[1]
            if r.telegram_id is not None]


def describe(svc: Services, meeting: UnitMeeting, unit_name: str) -> dict:
    """What every message about a unit's meeting shows."""
    tz = svc.settings.tz
    return {"meeting_id": meeting.id, "unit": unit_name, "topic": meeting.title, "place": meeting.place,
            "when": format_when(meeting.starts_at, meeting.ends_at, tz), "status": meeting.status}


async def unit_view(svc: Services, telegram_id: int, unit_id: int) -> dict:
    """The unit's team and latest meetings, with what the officer may do."""
    unit = await officer_unit(svc, telegram_id, unit_id)
    team = await store.team_of(svc.db, unit.id)
    recent = await store.of_unit(svc.db, unit.id, MEETINGS_SHOWN)
    shown = [describe(svc, m, unit.name) for m in recent]
    rows: list[list[Button]] = [[button("life/meeting", cb.show(m["meeting_id"]), when=m["when"])] for m in shown]
    rows.append([button("life/new", cb.new(unit.id))])
    rows.append([button("life/add", cb.add(unit.id, 1)), button("life/add_guest", cb.add(unit.id, 0))])
    rows.append([button("life/officers", cb.officers(unit.id))])
    removes = [button("life/remove", cb.remove(p.id), name=p.name) for p in team]
    rows += [removes[i:i + 3] for i in range(0, len(removes), 3)]
    year, half, start, end = rules.half_year(svc.now(), svc.settings.tz)
    this_half = {"year": year, "half": half, "count": rules.held_in(recent, start, end)}
    return {"unit": unit.name, "unit_id": unit.id, "half": this_half, "members": [_person(p) for p in team if p.votes],
            "guests": [_person(p) for p in team if not p.votes], "meetings": shown, "buttons": rows}


def _person(person: TeamPerson) -> dict:
    return {"id": person.id, "name": person.name, "reachable": person.telegram_id is not None}


async def home(svc: Services, telegram_id: int) -> dict:
    """/shenghuohui: an officer of one unit (asked to no meeting ahead) sees it at once, else a button a unit; the
    meetings ahead the person is asked to, with the buttons that do their part."""
    scope = await units.officer_scope(svc, telegram_id)
    own = await store.upcoming_for(svc.db, telegram_id, svc.now())
    if len(scope) == 1 and not own:
        return {"unit_view": await unit_view(svc, telegram_id, scope[0])}
    rows = []
    for unit_id in scope:
        unit = await unit_store.get(svc.db, unit_id)
        if unit is not None:
            rows.append([button("life/unit", cb.unit(unit.id), name=unit.name)])
    for meeting, invitee in own:  # each button names its meeting's day: a person may be asked to two
        day = dates.month_day(dates.local(meeting.starts_at, svc.settings.tz).date())
        rows.append([button("life/checkin_on", cb.checkin(meeting.id), day=day),
                     button("life/leave_on", cb.leave(meeting.id), day=day)])
        if invitee.status is Presence.ON_LEAVE:
            rows.append([button("life/statement_on", cb.statement(meeting.id), day=day)])
    if not rows:
        raise UserError("life/not_allowed.j2")
    unit_names = {u.id: u.name for u in await unit_store.every(svc.db)}
    return {"officer": bool(scope),
            "own": [{**describe(svc, m, unit_names.get(m.unit_id, "")), "presence": i.status.value} for m, i in own],
            "buttons": rows}


async def begin_add(svc: Services, telegram_id: int, unit_id: int, votes: int) -> dict:
    """➕ 班子成员 / ➕ 列席人员: the next message is the name (and, optionally, the Telegram id)."""
    if votes not in (0, 1):
        raise UserError("common/stale.j2")
    unit = await officer_unit(svc, telegram_id, unit_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, ADD_FORM, "name", {"unit_id": unit.id, "votes": votes}, svc.now())
    return {"unit": unit.name, "votes": bool(votes), "max": rules.NAME_MAX}


async def person_typed(svc: Services, telegram_id: int, data: dict, text: str | None) -> dict:
    """The name (and id) typed: the person joins the team; a bad line or a name already there changes nothing."""
    unit = await officer_unit(svc, telegram_id, int(data["unit_id"]))
    read = rules.read_person(text)
    if read is None:
        raise UserError("life/bad_person.j2", max=rules.NAME_MAX)
    name, person_id = read
    votes = bool(data["votes"])
    await _add(svc, telegram_id, unit, name, person_id, votes)
    async with svc.db.write() as db:
        await conversations.clear(db, telegram_id)
    return {"added": [name], "votes": votes, "view": await unit_view(svc, telegram_id, unit.id)}


async def _add(svc: Services, telegram_id: int, unit: Unit, name: str, person_id: int | None, votes: bool) -> None:
    if len(await store.team_of(svc.db, unit.id)) >= rules.TEAM_MAX:
        raise UserError("life/team_full.j2", max=rules.TEAM_MAX)
    now = svc.now()
    async with svc.db.write() as db:
        added = await store.add_person(db, unit_id=unit.id, name=name, telegram_id=person_id, votes=votes,
                                       by=telegram_id, now=now)
        if added is None:
            raise UserError("life/name_taken.j2", name=name)
        await audit.record(db, now=now, action="life.team_add", branch_id=None, actor_id=None,
                           subject=refs.unit(unit.id), by=telegram_id, person=added.id, votes=votes)


async def add_officers(svc: Services, telegram_id: int, unit_id: int) -> dict:
    """👥 本单位管理员: the unit's officers not on the team yet join it, with a vote."""
    unit = await officer_unit(svc, telegram_id, unit_id)
    on_team = {p.telegram_id for p in await store.team_of(svc.db, unit.id)}
    added = []
    for officer in await unit_store.officers_of(svc.db, unit.id):
        if officer.telegram_id in on_team:
            continue
        name = (officer.name or "").strip() or str(officer.telegram_id)
        await _add(svc, telegram_id, unit, name[:rules.NAME_MAX], officer.telegram_id, True)
        added.append(name)
    return {"added": added, "votes": True, "view": await unit_view(svc, telegram_id, unit.id)}


async def remove(svc: Services, telegram_id: int, person_id: int) -> dict:
    """✖ a person: off the team (meetings already published keep them)."""
    person = await store.person(svc.db, person_id)
    if person is None:
        raise UserError("common/stale.j2")
    unit = await officer_unit(svc, telegram_id, person.unit_id)
    now = svc.now()
    async with svc.db.write() as db:
        if not await store.remove_person(db, person.id, now):
            raise UserError("common/stale.j2")
        await audit.record(db, now=now, action="life.team_remove", branch_id=None, actor_id=None,
                           subject=refs.unit(unit.id), by=telegram_id, person=person.id)
    return {"removed": person.name, "view": await unit_view(svc, telegram_id, unit.id)}


# --- the officer's card ---------------------------------------------------------------------------------------------

async def card(svc: Services, telegram_id: int, meeting_id: int) -> dict:
    """The meeting as its officers see it: who came, who is on leave (and whether their statement is in), the
    record and what was conveyed."""
    meeting, unit_name = await officer_meeting(svc, telegram_id, meeting_id)
    people = await store.invitees(svc.db, meeting.id)
    minutes = await store.minutes_of(svc.db, meeting.id)
    handed_in = [p for p in people if p.statement]
    rows: list[list[Button]] = []
    if handed_in:
        rows.append([button("life/statements", cb.statements(meeting.id), count=len(handed_in))])
    if minutes is None and meeting.ends_at < svc.now():
        rows.append([button("life/record", cb.record(meeting.id))])
    if rules.before_start(meeting, svc.now()):
        rows.append([button("life/cancel", cb.cancel(meeting.id))])
    if meeting.status == "scheduled" and rules.window(meeting, svc.now()) is Window.OPEN:
        rows += [[button("life/proxy", cb.proxy(meeting.id, p.person_id), name=p.name)]
                 for p in people if p.telegram_id is None and p.status is not Presence.CHECKED_IN]
    return {**describe(svc, meeting, unit_name),
            "people": [{"name": p.name, "votes": p.votes, "status": p.status.value, "reason": p.reason,
                        "statement": bool(p.statement), "criticism": bool(p.criticism),
                        "conveyed": p.conveyed_at is not None, "reachable": p.telegram_id is not None}
                       for p in people],
            "minutes": minutes.model_dump() if minutes else None, "buttons": rows}
