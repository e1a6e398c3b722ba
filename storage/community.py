"""在职党员到社区报到: members' registrations with community branches, the communities' service posts, the posts
claimed and the service logged (service_registrations / service_posts / service_claims / service_hours)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from storage.connection import Conn, one_row
from storage.times import to_db


@dataclass(frozen=True)
class Registration:
    id: int
    member_id: int
    community_id: int
    confirmed_by: int | None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_by is not None


@dataclass(frozen=True)
class Service:
    id: int
    registration_id: int
    member_id: int
    community_id: int
    served_on: str
    minutes: int
    what: str
    confirmed_by: int | None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_by is not None


@dataclass(frozen=True)
class BranchTotal:
    """A branch's members' confirmed service in a period: how many members served, how many times, how long."""

    branch_id: int
    members: int
    times: int
    minutes: int


_REG = "id, member_id, community_id, confirmed_by"
_SERVICE = """h.id, h.registration_id, h.member_id, r.community_id, h.served_on, h.minutes, h.what, h.confirmed_by"""


async def register(db: Conn, member_id: int, community_id: int, now: datetime) -> Registration | None:
    """The registration, or None when the member is already registered with this community."""
    async with db.execute(
        f"""INSERT INTO service_registrations (member_id, community_id, registered_at) VALUES (?, ?, ?)
            ON CONFLICT (member_id, community_id) DO NOTHING RETURNING {_REG}""",
        (member_id, community_id, to_db(now)),
    ) as cur:
        row = await cur.fetchone()
    return Registration(*row) if row else None


async def registration(db: Conn, registration_id: int) -> Registration | None:
    async with db.execute(f"SELECT {_REG} FROM service_registrations WHERE id = ?", (registration_id,)) as cur:
        row = await cur.fetchone()
    return Registration(*row) if row else None


async def registration_of(db: Conn, member_id: int, community_id: int) -> Registration | None:
    async with db.execute(f"SELECT {_REG} FROM service_registrations WHERE member_id = ? AND community_id = ?",
                          (member_id, community_id)) as cur:
        row = await cur.fetchone()
    return Registration(*row) if row else None


async def of_member(db: Conn, member_id: int) -> list[Registration]:
    async with db.execute(f"SELECT {_REG} FROM service_registrations WHERE member_id = ? ORDER BY id",
                          (member_id,)) as cur:
        return [Registration(*row) for row in await cur.fetchall()]


async def of_community(db: Conn, community_id: int) -> list[Registration]:
    async with db.execute(f"SELECT {_REG} FROM service_registrations WHERE community_id = ? ORDER BY id",
                          (community_id,)) as cur:
        return [Registration(*row) for row in await cur.fetchall()]


async def confirm_registration(db: Conn, registration_id: int, by: int, now: datetime) -> bool:
    async with db.execute(
        "UPDATE service_registrations SET confirmed_by = ?, confirmed_at = ? WHERE id = ? AND confirmed_by IS NULL",
        (by, to_db(now), registration_id),
    ) as cur:
        return cur.rowcount == 1


async def posts(db: Conn, community_id: int) -> list[tuple[int, str]]:
    """(id, name) of the community's service posts, in the order they were set."""
    async with db.execute("SELECT id, name FROM service_posts WHERE community_id = ? ORDER BY id",
                          (community_id,)) as cur:
        return [(row[0], row[1]) for row in await cur.fetchall()]


async def set_posts(db: Conn, community_id: int, names: list[str]) -> None:
    """The community's posts become `names`: posts no longer named go (and their claims); the others stay claimed."""
    for name in names:
        await db.execute("INSERT INTO service_posts (community_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
                         (community_id, name))
    marks = ", ".join("?" * len(names))
    await db.execute(f"DELETE FROM service_posts WHERE community_id = ? AND name NOT IN ({marks})",
                     (community_id, *names))


async def claimed(db: Conn, registration_id: int) -> set[int]:
    async with db.execute("SELECT post_id FROM service_claims WHERE registration_id = ?", (registration_id,)) as cur:
        return {row[0] for row in await cur.fetchall()}


async def toggle_claim(db: Conn, registration_id: int, post_id: int) -> bool:
    """Claim the post, or give it up when already claimed; True when it is claimed now."""
    async with db.execute("DELETE FROM service_claims WHERE registration_id = ? AND post_id = ?",
                          (registration_id, post_id)) as cur:
        if cur.rowcount:
            return False
    await db.execute("INSERT INTO service_claims (registration_id, post_id) VALUES (?, ?)", (registration_id, post_id))
    return True


async def claimed_posts(db: Conn, community_id: int) -> dict[int, list[str]]:
    """The posts each member registered (and confirmed) with the community claimed, by member id."""
    found: dict[int, list[str]] = {}
    async with db.execute(
        """SELECT r.member_id, p.name FROM service_registrations r
           JOIN service_claims c ON c.registration_id = r.id JOIN service_posts p ON p.id = c.post_id
           WHERE r.community_id = ? AND r.confirmed_by IS NOT NULL ORDER BY r.member_id, p.id""",
        (community_id,),
    ) as cur:
        for row in await cur.fetchall():
            found.setdefault(row[0], []).append(row[1])
    return found


async def minutes_on(db: Conn, member_id: int, day: date) -> int:
    """What the member logged for that day, at every community, in minutes."""
    async with db.execute("SELECT COALESCE(SUM(minutes), 0) FROM service_hours WHERE member_id = ? AND served_on = ?",
                          (member_id, day.isoformat())) as cur:
        return int((await one_row(cur))[0])


async def log(db: Conn, registration: Registration, day: date, minutes: int, what: str, now: datetime) -> int:
    async with db.execute(
        """INSERT INTO service_hours (registration_id, member_id, served_on, minutes, what, logged_at)
           VALUES (?, ?, ?, ?, ?, ?) RETURNING id""",
        (registration.id, registration.member_id, day.isoformat(), minutes, what, to_db(now)),
    ) as cur:
        return int((await one_row(cur))[0])


async def service(db: Conn, service_id: int) -> Service | None:
    async with db.execute(
        f"""SELECT {_SERVICE} FROM service_hours h JOIN service_registrations r ON r.id = h.registration_id
            WHERE h.id = ?""", (service_id,),
    ) as cur:
        row = await cur.fetchone()
    return Service(*row) if row else None


async def confirm_service(db: Conn, service_id: int, by: int, now: datetime) -> bool:
    async with db.execute(
        "UPDATE service_hours SET confirmed_by = ?, confirmed_at = ? WHERE id = ? AND confirmed_by IS NULL",
        (by, to_db(now), service_id),
    ) as cur:
        return cur.rowcount == 1


async def services_of(db: Conn, member_id: int, first: date, last: date, *, confirmed: bool = True) -> list[Service]:
    """The member's service between the two days (inclusive), at every community, oldest first."""
    where = " AND h.confirmed_by IS NOT NULL" if confirmed else ""
    async with db.execute(
        f"""SELECT {_SERVICE} FROM service_hours h JOIN service_registrations r ON r.id = h.registration_id
            WHERE h.member_id = ? AND h.served_on BETWEEN ? AND ?{where} ORDER BY h.served_on, h.id""",
        (member_id, first.isoformat(), last.isoformat()),
    ) as cur:
        return [Service(*row) for row in await cur.fetchall()]


async def waiting(db: Conn, community_id: int) -> list[Service]:
    """The service logged at the community that waits for its confirmation."""
    async with db.execute(
        f"""SELECT {_SERVICE} FROM service_hours h JOIN service_registrations r ON r.id = h.registration_id
            WHERE r.community_id = ? AND h.confirmed_by IS NULL ORDER BY h.id""",
        (community_id,),
    ) as cur:
        return [Service(*row) for row in await cur.fetchall()]


async def branch_totals(db: Conn, branch_ids: list[int], first: date, last: date) -> dict[int, BranchTotal]:
    """Per branch (the members' own branch): confirmed service between the two days."""
    if not branch_ids:
        return {}
    marks = ", ".join("?" * len(branch_ids))
    async with db.execute(
        f"""SELECT m.branch_id, COUNT(DISTINCT h.member_id), COUNT(*), SUM(h.minutes)
            FROM service_hours h JOIN members m ON m.id = h.member_id
            WHERE m.branch_id IN ({marks}) AND h.confirmed_by IS NOT NULL AND h.served_on BETWEEN ? AND ?
            GROUP BY m.branch_id""",
        (*branch_ids, first.isoformat(), last.isoformat()),
    ) as cur:
        return {row[0]: BranchTotal(row[0], int(row[1]), int(row[2]), int(row[3])) for row in await cur.fetchall()}


async def unstarred_services(db: Conn, member_id: int) -> list[Service]:
    """The member's confirmed service that earned them no star yet (a star's evidence: `service:<id>`)."""
    async with db.execute(
        f"""SELECT {_SERVICE} FROM service_hours h JOIN service_registrations r ON r.id = h.registration_id
            WHERE h.member_id = ? AND h.confirmed_by IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM member_stars s
                              WHERE s.member_id = h.member_id AND s.evidence = 'service:' || h.id)
            ORDER BY h.served_on, h.id""",
        (member_id,),
    ) as cur:
        return [Service(*row) for row in await cur.fetchall()]


async def year_totals(db: Conn, member_ids: list[int], first: date, last: date) -> dict[int, tuple[int, int, list[str]]]:
    """Per member: (times, minutes, the communities' names in the order first served) of confirmed service between
    the two days — one query for a whole branch's register."""
    if not member_ids:
        return {}
    marks = ", ".join("?" * len(member_ids))
    found: dict[int, tuple[int, int, list[str]]] = {}
    async with db.execute(
        f"""SELECT h.member_id, b.name, COUNT(*), SUM(h.minutes), MIN(h.served_on) AS first_day
            FROM service_hours h JOIN service_registrations r ON r.id = h.registration_id
            JOIN branches b ON b.id = r.community_id
            WHERE h.member_id IN ({marks}) AND h.confirmed_by IS NOT NULL AND h.served_on BETWEEN ? AND ?
            GROUP BY h.member_id, b.name ORDER BY h.member_id, first_day, b.name""",
        (*member_ids, first.isoformat(), last.isoformat()),
    ) as cur:
        for member_id, name, times, minutes, _ in await cur.fetchall():
            before = found.get(member_id, (0, 0, []))
            found[member_id] = (before[0] + int(times), before[1] + int(minutes), [*before[2], name])
    return found
