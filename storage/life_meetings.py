"""民主生活会: a unit's leadership team, the meetings the unit hosts (meetings rows with unit_id set), who of the team
was asked to each and what came of it, and the record. The branch meetings' reads (storage/meetings.py) never see
these meetings; these reads never see a branch's."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.domain.life_meeting import KIND, Invitee, Minutes, Presence, TeamPerson, UnitMeeting
from storage.connection import Conn
from storage.times import to_db

_TEAM = "id, unit_id, name, telegram_id, votes"
_MEETING = "id, unit_id, title, place, starts_at, ends_at, checkin_opens_at, status, closed_at"
_INVITEE = """p.meeting_id, p.person_id, t.name, t.telegram_id, t.votes, p.status, p.reason, p.decided_by, p.statement,
              p.statement_at, p.criticism, p.conveyed_at"""

# --- the team -------------------------------------------------------------------------------------------------------

async def add_person(db: Conn, *, unit_id: int, name: str, telegram_id: int | None, votes: bool, by: int,
                     now: datetime) -> TeamPerson | None:
    """None when the team already has someone of that name."""
    async with db.execute(
        f"""INSERT INTO unit_team (unit_id, name, telegram_id, votes, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING RETURNING {_TEAM}""",
        (unit_id, name, telegram_id, int(votes), by, to_db(now)),
    ) as cur:
        row = await cur.fetchone()
    return TeamPerson.model_validate(dict(row)) if row else None


async def remove_person(db: Conn, person_id: int, now: datetime) -> bool:
    async with db.execute("UPDATE unit_team SET removed_at = ? WHERE id = ? AND removed_at IS NULL",
                          (to_db(now), person_id)) as cur:
        return cur.rowcount == 1


async def person(db: Conn, person_id: int) -> TeamPerson | None:
    """A current member of a team (a removed one: None)."""
    async with db.execute(f"SELECT {_TEAM} FROM unit_team WHERE id = ? AND removed_at IS NULL", (person_id,)) as cur:
        row = await cur.fetchone()
    return TeamPerson.model_validate(dict(row)) if row else None


async def team_of(db: Conn, unit_id: int) -> list[TeamPerson]:
    """The unit's team: members with a vote first, then those who 列席, each in the order added."""
    async with db.execute(
        f"SELECT {_TEAM} FROM unit_team WHERE unit_id = ? AND removed_at IS NULL ORDER BY votes DESC, id", (unit_id,)
    ) as cur:
        return [TeamPerson.model_validate(dict(r)) for r in await cur.fetchall()]


# --- the unit's meetings ----------------------------------------------------------------------------------------------

async def create(db: Conn, *, unit_id: int, title: str, place: str, starts_at: datetime, ends_at: datetime,
                 checkin_opens_at: datetime, now: datetime) -> UnitMeeting:
    async with db.execute(
        f"""INSERT INTO meetings (unit_id, kind, title, place, starts_at, ends_at, checkin_opens_at, audience,
                                  created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'team', ?, ?) RETURNING {_MEETING}""",
        (unit_id, KIND, title, place, to_db(starts_at), to_db(ends_at), to_db(checkin_opens_at), to_db(now),
         to_db(now)),
    ) as cur:
        row = await cur.fetchone()
    assert row is not None  # an INSERT … RETURNING without a conflict clause returns its row
    return UnitMeeting.model_validate(dict(row))


async def get(db: Conn, meeting_id: int) -> UnitMeeting | None:
    """A meeting a unit hosts; a branch's meeting is not one (None)."""
    async with db.execute(f"SELECT {_MEETING} FROM meetings WHERE id = ? AND unit_id IS NOT NULL",
                          (meeting_id,)) as cur:
        row = await cur.fetchone()
    return UnitMeeting.model_validate(dict(row)) if row else None


async def of_unit(db: Conn, unit_id: int, limit: int = 10) -> list[UnitMeeting]:
    """The unit's meetings (not cancelled), newest first."""
    async with db.execute(
        f"""SELECT {_MEETING} FROM meetings WHERE unit_id = ? AND status != 'cancelled'
            ORDER BY starts_at DESC, id DESC LIMIT ?""", (unit_id, limit),
    ) as cur:
        return [UnitMeeting.model_validate(dict(r)) for r in await cur.fetchall()]


async def due_to_close(db: Conn, now: datetime) -> list[UnitMeeting]:
    async with db.execute(
        f"""SELECT {_MEETING} FROM meetings WHERE status = 'scheduled' AND ends_at < ? AND unit_id IS NOT NULL
            ORDER BY ends_at""", (to_db(now),),
    ) as cur:
        return [UnitMeeting.model_validate(dict(r)) for r in await cur.fetchall()]


async def close(db: Conn, meeting_id: int, now: datetime) -> bool:
    """Closed once (False: it was already); everyone who neither came nor was given leave is absent."""
    async with db.execute(
        """UPDATE meetings SET status = 'closed', closed_at = ?, updated_at = ?
           WHERE id = ? AND status = 'scheduled' AND unit_id IS NOT NULL""",
        (to_db(now), to_db(now), meeting_id),
    ) as cur:
        if cur.rowcount != 1:
            return False
    await db.execute(
        """UPDATE unit_meeting_people SET status = 'absent', at = ?
           WHERE meeting_id = ? AND status IN ('invited', 'leave_asked', 'leave_refused')""",
        (to_db(now), meeting_id),
    )
    return True


async def cancel(db: Conn, meeting_id: int, now: datetime) -> bool:
    """Called off while still scheduled (False: it was not, any more)."""
    async with db.execute(
        """UPDATE meetings SET status = 'cancelled', updated_at = ?
           WHERE id = ? AND status = 'scheduled' AND unit_id IS NOT NULL""",
        (to_db(now), meeting_id),
    ) as cur:
        return cur.rowcount == 1


# --- who was asked, and what came of it -------------------------------------------------------------------------------

async def invite(db: Conn, meeting_id: int, person_ids: Iterable[int], now: datetime) -> None:
    await db.executemany(
        "INSERT INTO unit_meeting_people (meeting_id, person_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [(meeting_id, p, to_db(now)) for p in person_ids],
    )


async def invitees(db: Conn, meeting_id: int) -> list[Invitee]:
    async with db.execute(
        f"""SELECT {_INVITEE} FROM unit_meeting_people p JOIN unit_team t ON t.id = p.person_id
            WHERE p.meeting_id = ? ORDER BY t.votes DESC, t.id""", (meeting_id,),
    ) as cur:
        return [Invitee.model_validate(dict(r)) for r in await cur.fetchall()]


async def invitee(db: Conn, meeting_id: int, person_id: int) -> Invitee | None:
    async with db.execute(
        f"""SELECT {_INVITEE} FROM unit_meeting_people p JOIN unit_team t ON t.id = p.person_id
            WHERE p.meeting_id = ? AND p.person_id = ?""", (meeting_id, person_id),
    ) as cur:
        row = await cur.fetchone()
    return Invitee.model_validate(dict(row)) if row else None


async def invitee_by_telegram(db: Conn, meeting_id: int, telegram_id: int) -> Invitee | None:
    """The presser's own row at the meeting (None: they were not asked to it)."""
    async with db.execute(
        f"""SELECT {_INVITEE} FROM unit_meeting_people p JOIN unit_team t ON t.id = p.person_id
            WHERE p.meeting_id = ? AND t.telegram_id = ?""", (meeting_id, telegram_id),
    ) as cur:
        row = await cur.fetchone()
    return Invitee.model_validate(dict(row)) if row else None


async def move(db: Conn, meeting_id: int, person_id: int, to: Presence, *, only_from: Iterable[Presence],
               now: datetime, reason: str | None = None, decided_by: int | None = None) -> bool:
    """The person's state moves to `to` only from one of `only_from` (a second press, or a race, changes nothing)."""
    states = [s.value for s in only_from]
    async with db.execute(
        f"""UPDATE unit_meeting_people SET status = ?, at = ?, reason = COALESCE(?, reason),
                decided_by = COALESCE(?, decided_by)
            WHERE meeting_id = ? AND person_id = ? AND status IN ({",".join("?" * len(states))})""",
        (to.value, to_db(now), reason, decided_by, meeting_id, person_id, *states),
    ) as cur:
        return cur.rowcount == 1


async def save_statement(db: Conn, meeting_id: int, person_id: int, text: str, now: datetime) -> bool:
    """书面发言: kept only from someone on approved leave (a later one replaces it)."""
    async with db.execute(
        """UPDATE unit_meeting_people SET statement = ?, statement_at = ?
           WHERE meeting_id = ? AND person_id = ? AND status = 'on_leave'""",
        (text, to_db(now), meeting_id, person_id),
    ) as cur:
        return cur.rowcount == 1


async def save_criticism(db: Conn, meeting_id: int, person_id: int, criticism: str) -> None:
    await db.execute("UPDATE unit_meeting_people SET criticism = ? WHERE meeting_id = ? AND person_id = ?",
                     (criticism, meeting_id, person_id))


async def mark_conveyed(db: Conn, meeting_id: int, person_id: int, now: datetime) -> bool:
    async with db.execute(
        """UPDATE unit_meeting_people SET conveyed_at = ?
           WHERE meeting_id = ? AND person_id = ? AND conveyed_at IS NULL""",
        (to_db(now), meeting_id, person_id),
    ) as cur:
        return cur.rowcount == 1


# --- the record -----------------------------------------------------------------------------------------------------

async def save_minutes(db: Conn, meeting_id: int, *, content: str, criticism: str, by: int, now: datetime) -> bool:
    """Recorded once (False: someone already did)."""
    async with db.execute(
        """INSERT INTO unit_meeting_minutes (meeting_id, content, criticism, recorded_by, recorded_at)
           VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
        (meeting_id, content, criticism, by, to_db(now)),
    ) as cur:
        return cur.rowcount == 1


async def minutes_of(db: Conn, meeting_id: int) -> Minutes | None:
    async with db.execute(
        "SELECT meeting_id, content, criticism, recorded_by, recorded_at FROM unit_meeting_minutes WHERE meeting_id = ?",
        (meeting_id,),
    ) as cur:
        row = await cur.fetchone()
    return Minutes.model_validate(dict(row)) if row else None


async def upcoming_for(db: Conn, telegram_id: int, now: datetime) -> list[tuple[UnitMeeting, Invitee]]:
    """The unit meetings this person is asked to and that are not over yet, soonest first."""
    cols = ", ".join("m." + c.strip() for c in _MEETING.split(","))
    person = _INVITEE.replace("p.status", "p.status AS presence")  # not the meeting's status
    async with db.execute(
        f"""SELECT {cols}, {person} FROM unit_meeting_people p JOIN unit_team t ON t.id = p.person_id
            JOIN meetings m ON m.id = p.meeting_id
            WHERE t.telegram_id = ? AND m.unit_id IS NOT NULL AND m.status = 'scheduled' AND m.ends_at >= ?
            ORDER BY m.starts_at LIMIT 10""", (telegram_id, to_db(now)),
    ) as cur:
        rows = [dict(r) for r in await cur.fetchall()]
    return [(UnitMeeting.model_validate(r), Invitee.model_validate({**r, "status": r["presence"]})) for r in rows]
