"""Meetings of every kind and their attendance rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.meetings import Attendance, Meeting, MeetingKind, Presence
from storage.connection import Conn
from storage.times import to_db

_COLUMNS = """id, branch_id, kind, period, title, details, starts_at, ends_at, checkin_opens_at, place, venue_lat,
              venue_lon, venue_radius_m, audience, status, makeup_days, closed_at, holds"""
_ATTENDANCE = "meeting_id, member_id, status, by_member, at, made_up_at"
# Every read here is of branch meetings: a meeting a unit hosts (民主生活会, unit_id set, branch_id NULL) has its own
# read path (storage/life_meetings.py), so no branch pass, tick or button ever parses one as a branch's.
_OF_BRANCHES = "branch_id IS NOT NULL"


async def create(
    db: Conn, *, branch_id: int, kind: MeetingKind, starts_at: datetime, ends_at: datetime,
    checkin_opens_at: datetime, now: datetime, period: str | None = None, title: str | None = None,
    place: str | None = None, audience: str = "all", makeup_days: int = 7,
    venue: tuple[float, float, int] | None = None,
) -> Meeting | None:
    """A new meeting; None when the branch already has this kind of meeting for `period`."""
    lat, lon, radius = venue if venue else (None, None, None)
    async with db.execute(
        f"""INSERT INTO meetings (branch_id, kind, period, title, starts_at, ends_at, checkin_opens_at, place,
                                  venue_lat, venue_lon, venue_radius_m, audience, makeup_days, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING RETURNING {_COLUMNS}""",
        (branch_id, kind.value, period, title, to_db(starts_at), to_db(ends_at), to_db(checkin_opens_at), place,
         lat, lon, radius, audience, makeup_days, to_db(now), to_db(now)),
    ) as cur:
        row = await cur.fetchone()
    return Meeting.model_validate(dict(row)) if row else None


async def get(db: Conn, meeting_id: int) -> Meeting | None:
    async with db.execute(f"SELECT {_COLUMNS} FROM meetings WHERE id = ? AND {_OF_BRANCHES}", (meeting_id,)) as cur:
        row = await cur.fetchone()
    return Meeting.model_validate(dict(row)) if row else None


async def for_period(db: Conn, branch_id: int, kind: MeetingKind, period: str) -> Meeting | None:
    async with db.execute(
        f"SELECT {_COLUMNS} FROM meetings WHERE branch_id = ? AND kind = ? AND period = ?",
        (branch_id, kind.value, period),
    ) as cur:
        row = await cur.fetchone()
    return Meeting.model_validate(dict(row)) if row else None


async def periods_present(db: Conn, kind: MeetingKind, periods: list[str]) -> set[tuple[int, str]]:
    """(branch_id, period) pairs that already have a meeting of this kind: one query for the whole county."""
    marks = ",".join("?" * len(periods))
    async with db.execute(
        f"SELECT branch_id, period FROM meetings WHERE kind = ? AND period IN ({marks}) AND {_OF_BRANCHES}", (kind.value, *periods)
    ) as cur:
        return {(r[0], r[1]) for r in await cur.fetchall()}


async def in_branch(db: Conn, branch_id: int, kind: MeetingKind | None = None,
                    since: datetime | None = None, until: datetime | None = None) -> list[Meeting]:
    """The branch's meetings (not cancelled), oldest first, optionally of one kind and starting in [since, until)."""
    sql = f"SELECT {_COLUMNS} FROM meetings WHERE branch_id = ? AND status != 'cancelled'"
    params: list[object] = [branch_id]
    if kind is not None:  # a theme day that holds this kind of meeting counts as one (主题党日+)
        sql += " AND (kind = ? OR ',' || holds || ',' LIKE ?)"
        params.extend((kind.value, f"%,{kind.value},%"))
    if since is not None:
        sql += " AND starts_at >= ?"
        params.append(to_db(since))
    if until is not None:
        sql += " AND starts_at < ?"
        params.append(to_db(until))
    async with db.execute(sql + " ORDER BY starts_at, id", params) as cur:
        return [Meeting.model_validate(dict(r)) for r in await cur.fetchall()]


async def overlapping(db: Conn, branch_id: int, starts_at: datetime, ends_at: datetime) -> list[Meeting]:
    """The branch's scheduled meetings sharing a moment with [starts_at, ends_at), soonest first."""
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM meetings WHERE branch_id = ? AND status = 'scheduled'
            AND starts_at < ? AND ends_at > ? ORDER BY starts_at, id""",
        (branch_id, to_db(ends_at), to_db(starts_at)),
    ) as cur:
        return [Meeting.model_validate(dict(r)) for r in await cur.fetchall()]


async def set_holds(db: Conn, meeting_id: int, holds: str, now: datetime) -> bool:
    """主题党日+: the meetings a scheduled theme day also holds; False when it is no longer scheduled."""
    async with db.execute(
        "UPDATE meetings SET holds = ?, updated_at = ? WHERE id = ? AND status = 'scheduled'",
        (holds, to_db(now), meeting_id),
    ) as cur:
        return cur.rowcount == 1


async def open_in_branch(db: Conn, branch_id: int, now: datetime) -> list[Meeting]:
    """Scheduled meetings whose check-in window contains `now`."""
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM meetings WHERE branch_id = ? AND status = 'scheduled'
            AND checkin_opens_at <= ? AND ends_at >= ? ORDER BY starts_at""",
        (branch_id, to_db(now), to_db(now)),
    ) as cur:
        return [Meeting.model_validate(dict(r)) for r in await cur.fetchall()]


async def upcoming_in_branch(db: Conn, branch_id: int, now: datetime) -> list[Meeting]:
    """Scheduled meetings not yet over, soonest first."""
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM meetings WHERE branch_id = ? AND status = 'scheduled' AND ends_at >= ?
            ORDER BY starts_at""",
        (branch_id, to_db(now)),
    ) as cur:
        return [Meeting.model_validate(dict(r)) for r in await cur.fetchall()]


async def all_upcoming(db: Conn, now: datetime) -> list[Meeting]:
    """Every branch's scheduled meetings not yet over (one query for the county)."""
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM meetings WHERE status = 'scheduled' AND ends_at >= ? AND {_OF_BRANCHES}
            ORDER BY starts_at""",
        (to_db(now),),
    ) as cur:
        return [Meeting.model_validate(dict(r)) for r in await cur.fetchall()]


async def upcoming_ids(db: Conn, now: datetime) -> list[int]:
    """The ids of `all_upcoming` (nothing parsed): what a tick checks its day's work against."""
    async with db.execute(f"""SELECT id FROM meetings WHERE status = 'scheduled' AND ends_at >= ? AND {_OF_BRANCHES}
                             ORDER BY starts_at""",
                          (to_db(now),)) as cur:
        return [r[0] for r in await cur.fetchall()]


async def due_to_close(db: Conn, now: datetime) -> list[Meeting]:
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM meetings WHERE status = 'scheduled' AND ends_at < ? AND {_OF_BRANCHES}
            ORDER BY ends_at""", (to_db(now),)
    ) as cur:
        return [Meeting.model_validate(dict(r)) for r in await cur.fetchall()]


async def mark_closed(db: Conn, meeting_id: int, now: datetime) -> bool:
    async with db.execute(
        "UPDATE meetings SET status = 'closed', closed_at = ?, updated_at = ? WHERE id = ? AND status = 'scheduled'",
        (to_db(now), to_db(now), meeting_id),
    ) as cur:
        return cur.rowcount == 1


async def mark_cancelled(db: Conn, meeting_id: int, now: datetime) -> bool:
    """True when it was still scheduled (a second tap, or a meeting already over, changes nothing)."""
    async with db.execute(
        "UPDATE meetings SET status = 'cancelled', updated_at = ? WHERE id = ? AND status = 'scheduled'",
        (to_db(now), meeting_id),
    ) as cur:
        return cur.rowcount == 1


async def set_title(db: Conn, meeting_id: int, title: str | None, now: datetime) -> None:
    await db.execute("UPDATE meetings SET title = ?, updated_at = ? WHERE id = ?", (title, to_db(now), meeting_id))


async def set_details(db: Conn, meeting_id: int, details: str | None, now: datetime) -> None:
    await db.execute("UPDATE meetings SET details = ?, updated_at = ? WHERE id = ?", (details, to_db(now), meeting_id))


async def reschedule(
    db: Conn, meeting_id: int, *, starts_at: datetime, ends_at: datetime, checkin_opens_at: datetime,
    place: str | None, venue: tuple[float, float, int] | None, makeup_days: int, now: datetime,
) -> None:
    lat, lon, radius = venue if venue else (None, None, None)
    await db.execute(
        """UPDATE meetings SET starts_at = ?, ends_at = ?, checkin_opens_at = ?, place = ?, venue_lat = ?,
               venue_lon = ?, venue_radius_m = ?, makeup_days = ?, updated_at = ?
           WHERE id = ? AND status = 'scheduled'""",
        (to_db(starts_at), to_db(ends_at), to_db(checkin_opens_at), place, lat, lon, radius, makeup_days, to_db(now),
         meeting_id),
    )


# --- attendance ---------------------------------------------------------------------------------------------------

async def attendance_of(db: Conn, meeting_id: int, member_id: int) -> Attendance | None:
    async with db.execute(
        f"SELECT {_ATTENDANCE} FROM attendance WHERE meeting_id = ? AND member_id = ?", (meeting_id, member_id)
    ) as cur:
        row = await cur.fetchone()
    return Attendance.model_validate(dict(row)) if row else None


async def attendance(db: Conn, meeting_id: int) -> list[Attendance]:
    async with db.execute(
        f"SELECT {_ATTENDANCE} FROM attendance WHERE meeting_id = ? ORDER BY member_id", (meeting_id,)
    ) as cur:
        return [Attendance.model_validate(dict(r)) for r in await cur.fetchall()]


async def record_presence(
    db: Conn, meeting_id: int, member_id: int, status: Presence, by_member: int | None, now: datetime
) -> bool:
    """Check a member in (or mark them late); False when they were already checked in. Replaces leave/absence."""
    async with db.execute(
        """INSERT INTO attendance (meeting_id, member_id, status, by_member, at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (meeting_id, member_id) DO UPDATE SET status = excluded.status, by_member = excluded.by_member,
               at = excluded.at
           WHERE attendance.status NOT IN ('checked_in', 'late')""",
        (meeting_id, member_id, status.value, by_member, to_db(now)),
    ) as cur:
        return cur.rowcount == 1


async def record_leave(
    db: Conn, meeting_id: int, member_id: int, by_member: int | None, now: datetime
) -> bool:
    """Approved leave (`by_member` None: decided by an officer above the branch); never overrides a check-in (someone who came after all was there)."""
    async with db.execute(
        """INSERT INTO attendance (meeting_id, member_id, status, by_member, at) VALUES (?, ?, 'on_leave', ?, ?)
           ON CONFLICT (meeting_id, member_id) DO UPDATE SET status = 'on_leave', by_member = excluded.by_member,
               at = excluded.at
           WHERE attendance.status = 'absent'""",
        (meeting_id, member_id, by_member, to_db(now)),
    ) as cur:
        return cur.rowcount == 1


async def record_absences(db: Conn, meeting_id: int, member_ids: list[int], now: datetime) -> None:
    """At the close: everyone expected without a row is absent."""
    await db.executemany(
        "INSERT INTO attendance (meeting_id, member_id, status, at) VALUES (?, ?, 'absent', ?) ON CONFLICT DO NOTHING",
        [(meeting_id, m, to_db(now)) for m in member_ids],
    )


async def mark_made_up(db: Conn, meeting_id: int, member_id: int, now: datetime) -> None:
    await db.execute(
        "UPDATE attendance SET made_up_at = ? WHERE meeting_id = ? AND member_id = ?",
        (to_db(now), meeting_id, member_id),
    )


async def history_of(db: Conn, member_id: int, limit: int = 12) -> list[tuple[Meeting, Attendance]]:
    """The member's attendance rows with their meetings, newest first."""
    cols = ", ".join("m." + c.strip() for c in _COLUMNS.split(","))
    async with db.execute(
        f"""SELECT {cols}, a.member_id, a.status AS a_status, a.by_member, a.at, a.made_up_at
            FROM attendance a JOIN meetings m ON m.id = a.meeting_id
            WHERE a.member_id = ? AND m.branch_id IS NOT NULL ORDER BY m.starts_at DESC LIMIT ?""",
        (member_id, limit),
    ) as cur:
        rows = await cur.fetchall()
    result = []
    for r in rows:
        data = dict(r)
        meeting = Meeting.model_validate(data)
        result.append((meeting, Attendance(meeting_id=meeting.id, member_id=data["member_id"], status=data["a_status"],
                                           by_member=data["by_member"], at=data["at"], made_up_at=data["made_up_at"])))
    return result


async def not_made_up(db: Conn, branch_id: int) -> list[tuple[Meeting, int]]:
    """(meeting, member id) for each absence or leave of a closed meeting not yet made up."""
    return (await not_made_up_in(db, [branch_id])).get(branch_id, [])


async def not_made_up_in(db: Conn, branch_ids: Sequence[int]) -> dict[int, list[tuple[Meeting, int]]]:
    """`not_made_up` for many branches: branch id → its rows (a branch without any is left out)."""
    if not branch_ids:
        return {}
    cols = ", ".join("m." + c.strip() for c in _COLUMNS.split(","))
    found: dict[int, list[tuple[Meeting, int]]] = {}
    async with db.execute(
        f"""SELECT {cols}, a.member_id FROM attendance a JOIN meetings m ON m.id = a.meeting_id
            WHERE m.branch_id IN ({",".join("?" * len(branch_ids))}) AND m.status = 'closed'
              AND a.status IN ('absent', 'on_leave') AND a.made_up_at IS NULL ORDER BY m.starts_at, a.member_id""",
        tuple(branch_ids),
    ) as cur:
        for row in await cur.fetchall():
            meeting = Meeting.model_validate(dict(row))
            found.setdefault(meeting.branch_id, []).append((meeting, row["member_id"]))
    return found


async def ensure_checkin_secret(db: Conn, meeting_id: int, fresh: str) -> str:
    """The meeting's check-in code secret: `fresh` is kept unless it has one already."""
    await db.execute("UPDATE meetings SET checkin_secret = ? WHERE id = ? AND checkin_secret IS NULL",
                     (fresh, meeting_id))
    return await checkin_secret(db, meeting_id) or fresh


async def checkin_secret(db: Conn, meeting_id: int) -> str | None:
    """None until a code was first shown."""
    async with db.execute("SELECT checkin_secret FROM meetings WHERE id = ?", (meeting_id,)) as cur:
        row = await cur.fetchone()
    return row[0] if row else None
