"""Filing goes up (备案): approved 三会一课 minutes and a closed evaluation's register are filed with the unit the
branch belongs to (or, when it has no officers, the nearest unit above that has), and reach that unit's officers
in one daily filing digest — a message listing what arrived since the last, when each arrived and by when the
regulations want it reviewed (3 working days), with the files: a small DOCX per record, the register XLSX.

The digest is planned through the outbox (key `filing-digest:<unit>:<day>:to:<telegram id>`); its files are
built when it is composed — by the feature that declares the kind's file (`svc.features.filing_files`: the
books in bot/exports) — and kept in `filing_files`, sent from there as documents. Overdue 不合格 follow-ups of
the unit's branches are listed in the same digest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from bot.callbacks import filed as filed_cb
from bot.domain import filing as rules
from bot.domain.filing import Followup
from bot.domain.followup import ItemKind
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.units import ROOT_ID
from bot.features import Feature
from bot.keys import filing as filing_keys
from bot.outgoing import Attachment, Button, Outgoing, button
from bot.services import Services, policy, workdays
from storage import audit, branches, members, outbox
from storage import filing as store
from storage import followups as items
from storage import units as unit_store
from storage.connection import Conn

log = logging.getLogger(__name__)

MINUTES, EVALUATION = "minutes", "evaluation"
STORED_PREFIX = "filing:"  # an Attachment(kind="stored") file_id: a row of filing_files


async def officer_ids(svc: Services, db: Conn, unit_id: int) -> list[int]:
    """The Telegram ids of a unit's officers (the root's are ZHIBU_ADMINS and any stored)."""
    stored = [o.telegram_id for o in await unit_store.officers_of(db, unit_id)]
    admins = sorted(svc.settings.admins) if unit_id == ROOT_ID else []
    return list(dict.fromkeys(admins + stored))


async def recipient_unit(svc: Services, db: Conn, branch_id: int) -> int:
    """The branch's unit, or the nearest unit above it with officers (the root at last)."""
    unit_id = await unit_store.unit_of_branch(db, branch_id) or ROOT_ID
    while unit_id != ROOT_ID and not await officer_ids(svc, db, unit_id):
        unit = await unit_store.get(db, unit_id)
        unit_id = unit.parent_id if unit and unit.parent_id else ROOT_ID
    return unit_id


async def review_deadline(svc: Services, db: Conn, unit_id: int, filed_at: datetime) -> date:
    """The last local day to review a record filed now: the unit's review days (its policy, or the units' above
    it) counted in its working days (its calendar: the holidays it and the units above entered)."""
    day = rules.local_date(filed_at, svc.settings.tz)
    calendar = await workdays.of_unit(db, unit_id, day)
    return calendar.add_working_days(day, await policy.review_days(db, unit_id))


async def file_record(svc: Services, db: Conn, kind: str, ref: str, branch_id: int, title: str,
                      actor_id: int | None = None) -> int | None:
    """File a record with the unit above, inside the caller's transaction; the unit's id (None: filed before and
    not returned since)."""
    unit_id = await recipient_unit(svc, db, branch_id)
    review_by = await review_deadline(svc, db, unit_id, svc.now())
    if not await store.add(db, kind, ref, branch_id, unit_id, title, svc.now(), review_by):
        return None
    await audit.record(db, now=svc.now(), action=f"filing.{kind}", branch_id=branch_id, actor_id=actor_id,
                       subject=ref, unit=unit_id)
    return unit_id


async def recipients(svc: Services, branch_id: int) -> int:
    """How many officers receive what this branch files."""
    return len(await officer_ids(svc, svc.db, await recipient_unit(svc, svc.db, branch_id)))


# --- the digest ---------------------------------------------------------------------------------------------------

@dataclass
class Line:
    filing: rules.Filing
    branch: str
    arrived: str
    review_by: str


async def _overdue_lines(svc: Services, unit_id: int, now: datetime) -> list[dict]:
    return [await describe_followup(svc, f, now)
            for f in await items.overdue_for_unit(svc.db, unit_id, now, ItemKind.UNQUALIFIED)]


async def describe_followup(svc: Services, followup: Followup, now: datetime) -> dict:
    """What the digest, and /followups' list and card (bot/services/followups.py), say about a follow-up."""
    tz = svc.settings.tz
    branch = await branches.get(svc.db, followup.branch_id)
    member = await members.get(svc.db, followup.member_id)
    overdue_days = (now - followup.deadline).days if rules.is_overdue(followup, now) else None
    return {"id": followup.id, "branch": branch.name, "name": member.name if member else "",
            "reason": followup.reason, "measure": followup.measure.label if followup.measure else None,
            "deadline": rules.day_label(rules.last_day(followup.deadline, tz)) if followup.deadline else None,
            "status": rules.STATUS_LABELS[followup.status], "note": followup.closing_note,
            "overdue_days": overdue_days}


async def file_of(svc: Services, filing: rules.Filing) -> tuple[str, bytes] | None:
    """The file the record goes up with, made by the feature that declares it for the kind (bot/exports)."""
    build = svc.features.filing_files.get(filing.kind)
    if build is None:
        log.warning("no file is declared for filings of kind %s", filing.kind)
        return None
    return await build(svc, filing)


async def send_filing_digests(svc: Services, now: datetime) -> None:
    """Tick: once a day from 08:30, each unit with something filed (or a follow-up overdue) gets its digest."""
    tz = svc.settings.tz
    day = rules.digest_day(now, tz)
    if day is None:
        return
    overdue = await items.units_with_overdue(svc.db, now, ItemKind.UNQUALIFIED)
    units = sorted(set(await store.waiting_units(svc.db)) | set(overdue))
    for unit_id in units:
        if await store.digest_made(svc.db, unit_id, day):
            continue
        try:
            await _send_digest(svc, unit_id, day, now)
        except Exception:  # noqa: BLE001 — one unit's broken file must not hold back the other units' digests
            log.exception("filing digest of unit %s failed", unit_id)


async def _send_digest(svc: Services, unit_id: int, day: str, now: datetime) -> None:
    tz = svc.settings.tz
    waiting = await store.waiting(svc.db, unit_id, now)
    overdue = await _overdue_lines(svc, unit_id, now)
    if not waiting and not overdue:
        return
    lines, files = [], []
    days = await policy.review_days(svc.db, unit_id)  # the unit's own, or the units' above it
    for filing in waiting:
        branch = await branches.get(svc.db, filing.branch_id)
        lines.append(Line(filing, branch.name, rules.local_time(filing.filed_at, tz),
                          rules.day_label(filing.review_by or rules.review_by(filing.filed_at, tz, days))))
        built = await file_of(svc, filing)
        if built is not None:
            files.append(built)
    unit = await unit_store.get(svc.db, unit_id)
    async with svc.db.write() as db:
        digest_id = await store.claim_digest(db, unit_id, day, now)
        if digest_id is None:
            return
        await store.carry(db, digest_id, [f.id for f in waiting])
        stored = [await store.add_file(db, digest_id, name, data) for name, data in files]
        message = Outgoing(template="filing/digest.j2",
                           params={"unit": unit.name, "lines": [_params(line) for line in lines],
                                   "overdue": overdue, "files": len(stored)},
                           buttons=digest_buttons(waiting) if waiting else [],
                           attachments=[Attachment(file_id=f"{STORED_PREFIX}{i}", kind="stored") for i in stored])
        for telegram_id in await officer_ids(svc, db, unit_id):
            await outbox.upsert(db, Planned(key=filing_keys.digest(unit_id, day, telegram_id),
                                            chat_id=telegram_id, kind="filing.digest", payload=message,
                                            due_at=now), now)
    svc.wake_outbox()


def digest_buttons(items: list[rules.Filing]) -> list[list[Button]]:
    """The filing digest's buttons: a card per record (the first eight, by their number in the list: 已审阅 or 退回
    there), and the whole list of what waits (/filed)."""
    cards = [button("filing/review_item", filed_cb.card(f.id), number=i) for i, f in enumerate(items[:8], start=1)]
    return [cards[i : i + 4] for i in range(0, len(cards), 4)] + [[button("filing/review_list", filed_cb.listing(0),
                                                                          count=len(items))]]


def _params(line: Line) -> dict:
    return {"kind": line.filing.kind, "title": line.filing.title, "branch": line.branch, "arrived": line.arrived,
            "review_by": line.review_by}


async def stored_file(svc: Services, file_id: str) -> tuple[str, bytes] | None:
    """A digest's file by the id its attachment carries (the outbox sends it as a document)."""
    if not file_id.startswith(STORED_PREFIX) or not file_id[len(STORED_PREFIX):].isdigit():
        return None
    return await store.file(svc.db, int(file_id[len(STORED_PREFIX):]))


async def _always(svc: Services, row: OutboxRow, now: datetime) -> bool:
    """A digest, once composed, is what arrived: it is sent even if a record changed since."""
    return True


FEATURE = Feature(name="filing", ticks=(send_filing_digests,), relevance={"filing.digest": _always})
