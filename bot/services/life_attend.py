"""民主生活会, each person's part: 签到 in the check-in window (as at any meeting: from half an hour before the start
to its end), 请假 with a reason before the start, decided by another officer of the unit (or of a unit above) —
nobody decides their own — and, once leave is approved, the written statement (书面发言) asked for at once and due
before the meeting starts: it is kept for the meeting, whose officers read it from its card (📄 书面发言).

Every press is checked again here: the presser must be the person asked to the meeting (check-in, leave,
statement) or an officer over its unit who is not the person (a decision)."""

from __future__ import annotations

from datetime import datetime

from bot.callbacks import life as cb
from bot.domain import life_meeting as rules
from bot.domain.life_meeting import Invitee, Presence, UnitMeeting
from bot.domain.meetings import Window, format_moment
from bot.domain.outbox import OutboxRow
from bot.errors import UserError
from bot.keys import life as keys
from bot.keys import refs
from bot.outgoing import Outgoing, button
from bot.services import Services, life_team
from storage import audit, conversations
from storage import life_meetings as store
from storage import units as unit_store
from storage.connection import Conn

LEAVE_FORM, STATEMENT_FORM = "life_leave", "life_statement"
LEAVE_CARD, DECIDED, STATEMENT, STATEMENT_EVE = "life.leave", "life.decided", "life.statement", "life.statement_eve"


async def _own(svc: Services, telegram_id: int, meeting_id: int) -> tuple[UnitMeeting, Invitee, dict]:
    """The meeting and the presser's own place at it; anyone not asked to it is refused."""
    meeting = await store.get(svc.db, meeting_id)
    if meeting is None or meeting.status == "cancelled":
        raise UserError("common/stale.j2")
    person = await store.invitee_by_telegram(svc.db, meeting.id, telegram_id)
    if person is None:
        raise UserError("life/refused.j2", why="not_invited")
    unit = await unit_store.get(svc.db, meeting.unit_id)
    return meeting, person, life_team.describe(svc, meeting, unit.name if unit else "")


# --- 签到 -----------------------------------------------------------------------------------------------------------

# Anyone asked may still come (on leave too); one marked absent was marked so by the close, and a check-in racing the
# close must not undo it.
CAN_CHECK_IN = [s for s in Presence if s not in (Presence.CHECKED_IN, Presence.ABSENT)]


async def check_in(svc: Services, telegram_id: int, meeting_id: int) -> dict:
    meeting, person, shown = await _own(svc, telegram_id, meeting_id)
    state = rules.window(meeting, svc.now())
    if meeting.status != "scheduled" or state is not Window.OPEN:
        raise UserError("life/refused.j2", why="window", closed=state is Window.CLOSED or meeting.status != "scheduled",
                        opens=format_moment(meeting.checkin_opens_at, svc.settings.tz))
    async with svc.db.write() as db:
        moved = await store.move(db, meeting.id, person.person_id, Presence.CHECKED_IN, now=svc.now(),
                                 only_from=CAN_CHECK_IN)
    return {**shown, "again": not moved, "votes": person.votes}


async def proxy_check_in(svc: Services, telegram_id: int, meeting_id: int, person_id: int) -> dict:
    """✅ 代签到 on the officer's card: someone without Telegram (a 列席 guest, say) checked in by an officer, in the
    window; the card again."""
    meeting, _ = await life_team.officer_meeting(svc, telegram_id, meeting_id)
    person = await store.invitee(svc.db, meeting.id, person_id)
    if person is None or person.telegram_id is not None:
        raise UserError("common/stale.j2")
    if meeting.status != "scheduled" or rules.window(meeting, svc.now()) is not Window.OPEN:
        raise UserError("life/refused.j2", why="window", closed=svc.now() > meeting.ends_at,
                        opens=format_moment(meeting.checkin_opens_at, svc.settings.tz))
    async with svc.db.write() as db:
        await store.move(db, meeting.id, person.person_id, Presence.CHECKED_IN, now=svc.now(),
                         only_from=CAN_CHECK_IN, decided_by=telegram_id)
    return await life_team.card(svc, telegram_id, meeting.id)


# --- 请假 -----------------------------------------------------------------------------------------------------------

def _leave_allowed(meeting: UnitMeeting, person: Invitee, now: datetime) -> None:
    if not rules.before_start(meeting, now):
        raise UserError("life/refused.j2", why="leave_late")
    if person.status is not Presence.INVITED:
        raise UserError("life/refused.j2", why="leave_" + person.status.value)


async def begin_leave(svc: Services, telegram_id: int, meeting_id: int) -> dict:
    """请假: before the start only; the next message is the reason."""
    meeting, person, shown = await _own(svc, telegram_id, meeting_id)
    _leave_allowed(meeting, person, svc.now())
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, LEAVE_FORM, "reason", {"meeting_id": meeting.id}, svc.now())
    return {**shown, "max": rules.REASON_MAX}


def _typed(text: str | None, most: int, least: int, why: str) -> str:
    """A typed reason or statement, cleaned; too long or too short is refused saying so."""
    try:
        cleaned = rules.clean(text, most)
    except ValueError as long:
        raise UserError("life/too_long.j2", max=most, length=long.args[0]) from None
    if cleaned is None or len(cleaned) < least:
        raise UserError("life/refused.j2", why=why)
    return cleaned


async def leave_typed(svc: Services, telegram_id: int, data: dict, text: str | None) -> dict:
    """The reason: the request goes to the unit's other officers, 批准 / 不批准 on each card."""
    meeting, person, shown = await _own(svc, telegram_id, int(data["meeting_id"]))
    now = svc.now()
    _leave_allowed(meeting, person, now)
    reason = _typed(text, rules.REASON_MAX, 2, "reason_short")
    async with svc.db.write() as db:
        if not await store.move(db, meeting.id, person.person_id, Presence.LEAVE_ASKED, only_from=[Presence.INVITED],
                                now=now, reason=reason):
            raise UserError("common/stale.j2")
        deciders = await life_team.officers_over(svc, db, meeting.unit_id, {telegram_id})
        card = Outgoing(template="life/leave_card.j2", params={**shown, "name": person.name, "reason": reason},
                        buttons=[[button("life/approve", cb.approve(meeting.id, person.person_id)),
                                  button("life/refuse", cb.refuse(meeting.id, person.person_id))]])
        for officer in deciders:
            await life_team.send(db, officer, keys.leave(meeting.id, person.person_id, officer), LEAVE_CARD, card, now,
                        expires_at=meeting.ends_at)
        await conversations.clear(db, telegram_id)
    svc.wake_outbox()
    return {**shown, "deciders": len(deciders)}


async def decide(svc: Services, telegram_id: int, meeting_id: int, person_id: int, approve: bool) -> dict:
    """批准 / 不批准 by an officer over the unit who is not the person; once (a second press is told it is done).
    Approved: the person is asked for the written statement at once, due before the start."""
    meeting = await store.get(svc.db, meeting_id)
    if meeting is None or meeting.status == "cancelled":
        raise UserError("common/stale.j2")
    unit = await life_team.officer_unit(svc, telegram_id, meeting.unit_id)
    person = await store.invitee(svc.db, meeting.id, person_id)
    if person is None:
        raise UserError("common/stale.j2")
    if person.telegram_id == telegram_id:
        raise UserError("life/refused.j2", why="own_case")
    shown = life_team.describe(svc, meeting, unit.name)
    if person.status is not Presence.LEAVE_ASKED:
        raise UserError("life/refused.j2", why="decided", status=person.status.value, name=person.name)
    now = svc.now()
    to = Presence.ON_LEAVE if approve else Presence.LEAVE_REFUSED
    async with svc.db.write() as db:
        if not await store.move(db, meeting.id, person.person_id, to, only_from=[Presence.LEAVE_ASKED], now=now,
                                decided_by=telegram_id):
            raise UserError("life/refused.j2", why="decided", status=to.value, name=person.name)
        await _tell_decision(svc, db, meeting, person, shown, approve, now)
        await audit.record(db, now=now, action="life.leave_decided", branch_id=None, actor_id=None,
                           subject=refs.unit(unit.id), by=telegram_id, meeting=meeting.id, person=person.person_id,
                           approved=approve)
    svc.wake_outbox()
    return {**shown, "name": person.name, "approved": approve, "reason": person.reason}


async def _tell_decision(svc: Services, db: Conn, meeting: UnitMeeting, person: Invitee, shown: dict,
                         approve: bool, now: datetime) -> None:
    if person.telegram_id is None:
        return
    asks = approve and rules.before_start(meeting, now)
    due = format_moment(meeting.starts_at, svc.settings.tz)
    buttons = [[button("life/statement", cb.statement(meeting.id))]] if asks else \
        [] if approve else [[button("life/checkin", cb.checkin(meeting.id))]]
    await life_team.send(db, person.telegram_id, keys.decided(meeting.id, person.person_id), DECIDED,
                Outgoing(template="life/leave_decided.j2", params={**shown, "approved": approve, "asks": asks,
                                                                   "due": due}, buttons=buttons), now)
    if asks and meeting.starts_at - rules.EVE > now:  # the eve: a reminder, if it is still owed then
        await life_team.send(db, person.telegram_id, keys.statement_eve(meeting.id, person.person_id), STATEMENT_EVE,
                    Outgoing(template="life/statement_eve.j2", params={**shown, "due": due}, buttons=buttons), now,
                    due_at=meeting.starts_at - rules.EVE, expires_at=meeting.starts_at)


# --- 书面发言 --------------------------------------------------------------------------------------------------------

def _statement_allowed(meeting: UnitMeeting, person: Invitee, now: datetime) -> None:
    if person.status is not Presence.ON_LEAVE:
        raise UserError("life/refused.j2", why="statement_not_on_leave")
    if not rules.before_start(meeting, now):
        raise UserError("life/refused.j2", why="statement_late")


async def begin_statement(svc: Services, telegram_id: int, meeting_id: int) -> dict:
    """✍️ 提交书面发言: on approved leave and before the start; the next message is the statement."""
    meeting, person, shown = await _own(svc, telegram_id, meeting_id)
    _statement_allowed(meeting, person, svc.now())
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, STATEMENT_FORM, "text", {"meeting_id": meeting.id}, svc.now())
    return {**shown, "max": rules.STATEMENT_MAX, "before": bool(person.statement),
            "due": format_moment(meeting.starts_at, svc.settings.tz)}


async def statement_typed(svc: Services, telegram_id: int, data: dict, text: str | None) -> dict:
    """The statement kept for the meeting (a later one replaces it, until the start)."""
    meeting, person, shown = await _own(svc, telegram_id, int(data["meeting_id"]))
    now = svc.now()
    _statement_allowed(meeting, person, now)
    statement = _typed(text, rules.STATEMENT_MAX, 10, "statement_short")
    async with svc.db.write() as db:
        if not await store.save_statement(db, meeting.id, person.person_id, statement, now):
            raise UserError("common/stale.j2")
        await conversations.clear(db, telegram_id)
    return {**shown, "length": len(statement)}


async def statements(svc: Services, telegram_id: int, meeting_id: int) -> list[dict]:
    """📄 书面发言 on the officer's card: each statement handed in, for the meeting to hear."""
    meeting, _ = await life_team.officer_meeting(svc, telegram_id, meeting_id)
    tz = svc.settings.tz
    found = [{"name": p.name, "text": p.statement, "at": format_moment(p.statement_at, tz) if p.statement_at else ""}
             for p in await store.invitees(svc.db, meeting.id) if p.statement]
    if not found:
        raise UserError("life/refused.j2", why="no_statements")
    return found


async def statement_still_owed(svc: Services, row: OutboxRow, now: datetime) -> bool:
    found = keys.statement_eve.parse(row.key)
    meeting = await store.get(svc.db, found.meeting) if found else None
    person = await store.invitee(svc.db, found.meeting, found.person) if found else None
    return meeting is not None and meeting.status == "scheduled" and person is not None \
        and person.status is Presence.ON_LEAVE and not person.statement
