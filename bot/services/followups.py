"""不合格 follow-ups (处置): a 不合格 result in a closed evaluation opens one; the branch secretary picks the measure
(限期改正 / 劝其退党 / 除名) and its deadline (3 months by default for 限期改正), is reminded before the deadline,
and closes it (销号) with a line saying what was done; an officer of a unit above the branch confirms (or sends it
back). Officers see their subtree's follow-ups in /followups and the overdue ones in their filing digest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.callbacks import filing as cb
from bot.domain import filing as rules
from bot.domain.evaluation import Grade
from bot.domain.filing import Followup, FollowupStatus, Measure
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.roles import APPROVER_ROLES
from bot.errors import UserError
from bot.features import Feature
from bot.keys import filing as filing_keys
from bot.keys import refs
from bot.outgoing import Button, Outgoing, button
from bot.services import Services, inspectors, membership, notify, units
from bot.services.filing import describe_followup, officer_ids, recipient_unit
from storage import audit, branches, conversations, members, outbox
from storage import filing as store
from storage.connection import Conn

CLOSE_FORM = "followup_close"
NOTE_MAX = 300


async def open_for_results(svc: Services, db: Conn, campaign_id: int, branch_id: int, rows: list) -> int:
    """Inside the closing transaction: one follow-up per 不合格 result; the secretaries get its card."""
    opened = 0
    unit_id = await recipient_unit(svc, db, branch_id)
    for row in rows:
        if row.final_grade is not Grade.UNQUALIFIED:
            continue
        followup = await store.open_followup(db, branch_id, unit_id, campaign_id, row.member.id, row.remark,
                                             svc.now())
        if followup is None:
            continue
        opened += 1
        await audit.record(db, now=svc.now(), action="followup.open", branch_id=branch_id, actor_id=None,
                           subject=refs.member(row.member.id), followup=followup.id, campaign=campaign_id)
        message = Outgoing(template="filing/followup_opened.j2", params={"name": row.member.name},
                           buttons=measure_buttons(followup))
        for secretary in await members.with_role(db, branch_id, APPROVER_ROLES):
            await notify.to_member(svc, db, secretary, message, kind="followup.opened",
                                   key=filing_keys.opened(followup.id, secretary.id))
    return opened


def measure_buttons(followup: Followup) -> list[list[Button]]:
    return [[button("filing/measure", cb.measure(followup.id, m), label=m.label) for m in Measure]]


# --- who may see and act ------------------------------------------------------------------------------------------

async def _secretary_of(svc: Services, telegram_id: int, followup_id: int) -> tuple[Followup, object]:
    followup = await store.get_followup(svc.db, followup_id)
    if followup is None:
        raise UserError("common/stale.j2")
    actor = await membership.approver(svc, telegram_id, followup.branch_id)
    return followup, actor


async def _officer_of(svc: Services, telegram_id: int, followup_id: int) -> Followup:
    followup = await store.get_followup(svc.db, followup_id)
    if followup is None or not await units.branch_in_scope(svc, telegram_id, followup.branch_id):
        raise UserError("units/read_only.j2" if await inspectors.read_only(svc, telegram_id) else "filing/not_officer.j2")
    return followup


async def visible_branches(svc: Services, telegram_id: int) -> tuple[list[int], bool, int | None]:
    """(branch ids, is an officer, own branch as secretary) — refused for anyone else."""
    ids = [b.id for b in await inspectors.readable_branches(svc, telegram_id)]  # inspectors read them too
    if ids:
        await inspectors.require_reader(svc, telegram_id, "followups")  # an inspector's read is audited
    member = await membership.member_of(svc, telegram_id)
    own = member.branch_id if member is not None and member.is_active and member.is_approver else None
    if not ids and own is None:
        raise UserError("filing/followups_not_allowed.j2")
    return sorted(set(ids) | ({own} if own else set())), bool(ids), own


# --- the list and the card ----------------------------------------------------------------------------------------

@dataclass
class Listing:
    items: list[dict]
    is_officer: bool


async def listing(svc: Services, telegram_id: int) -> Listing:
    ids, is_officer, _ = await visible_branches(svc, telegram_id)
    now = svc.now()
    return Listing([await describe_followup(svc, f, now) for f in await store.followups_of(svc.db, ids)], is_officer)


@dataclass
class Card:
    info: dict
    buttons: list[list[Button]]


async def card(svc: Services, telegram_id: int, followup_id: int) -> Card:
    """The follow-up as the presser may act on it: the secretary's measure, deadline and 销号; the officer's
    confirmation while 销号 is asked."""
    followup = await store.get_followup(svc.db, followup_id)
    ids, _, own = await visible_branches(svc, telegram_id)
    if followup is None or followup.branch_id not in ids:
        raise UserError("common/stale.j2")
    rows: list[list[Button]] = []
    if own == followup.branch_id and followup.status is FollowupStatus.OPEN:
        rows += measure_buttons(followup)
        if followup.measure is not None:
            rows.append([button("filing/months", cb.months(followup.id, m), months=m) for m in rules.DEADLINE_CHOICES])
            rows.append([button("filing/close", cb.close(followup.id))])
    if followup.status is FollowupStatus.CLOSING and await units.branch_in_scope(svc, telegram_id, followup.branch_id):
        rows.append(confirm_buttons(followup))
    return Card(await describe_followup(svc, followup, svc.now()), rows)


def confirm_buttons(followup: Followup) -> list[Button]:
    return [button("filing/confirm", cb.confirm(followup.id)), button("filing/send_back", cb.send_back(followup.id))]


# --- the secretary's part -----------------------------------------------------------------------------------------

async def choose_measure(svc: Services, telegram_id: int, followup_id: int, measure: Measure) -> Followup:
    followup, actor = await _secretary_of(svc, telegram_id, followup_id)
    return await _set(svc, followup, actor, measure, rules.DEFAULT_MONTHS[measure])


async def choose_months(svc: Services, telegram_id: int, followup_id: int, months: int) -> Followup:
    followup, actor = await _secretary_of(svc, telegram_id, followup_id)
    if months not in rules.DEADLINE_CHOICES or followup.measure is None:
        raise UserError("common/stale.j2")
    return await _set(svc, followup, actor, followup.measure, months)


async def _set(svc: Services, followup: Followup, actor, measure: Measure, months: int) -> Followup:
    if followup.status is not FollowupStatus.OPEN:
        raise UserError("filing/followup_not_open.j2", status=rules.STATUS_LABELS[followup.status])
    now, tz = svc.now(), svc.settings.tz
    deadline = rules.deadline_after(now, tz, months)
    async with svc.db.write() as db:
        if not await store.set_measure(db, followup.id, measure, deadline):
            raise UserError("common/stale.j2")
        await audit.record(db, now=now, action="followup.measure", branch_id=followup.branch_id, actor_id=actor.id,
                           subject=refs.member(followup.member_id), followup=followup.id, measure=measure.value,
                           months=months)
        await _plan_reminders(svc, db, await store.get_followup(db, followup.id), now)
    return await store.get_followup(svc.db, followup.id)


async def _plan_reminders(svc: Services, db: Conn, followup: Followup, now: datetime) -> None:
    """14 and 3 days before the deadline, to the secretaries: re-planned whenever the deadline moves."""
    await outbox.cancel_prefix(db, filing_keys.reminder.scope(followup.id), now)
    member = await members.get(db, followup.member_id)
    info = {"name": member.name, "measure": followup.measure.label,
            "deadline": rules.day_label(rules.last_day(followup.deadline, svc.settings.tz))}
    for days, when in rules.reminder_times(followup.deadline, svc.settings.tz, now):
        for secretary in await members.with_role(db, followup.branch_id, APPROVER_ROLES):
            if secretary.telegram_id is None:
                continue
            await outbox.upsert(db, Planned(
                key=filing_keys.reminder(followup.id, days, followup.deadline, secretary.id),
                chat_id=secretary.telegram_id,
                kind="followup.remind", due_at=when, expires_at=followup.deadline, branch_id=followup.branch_id,
                member_id=secretary.id,
                payload=Outgoing(template="filing/followup_reminder.j2", params={**info, "days": days},
                                 buttons=[[button("filing/close", cb.close(followup.id))]])), now)


async def begin_close(svc: Services, telegram_id: int, followup_id: int) -> dict:
    """销号: the next message is the line saying what was done."""
    followup, _ = await _secretary_of(svc, telegram_id, followup_id)
    if followup.status is not FollowupStatus.OPEN or followup.measure is None:
        raise UserError("filing/followup_not_open.j2", status=rules.STATUS_LABELS[followup.status])
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, CLOSE_FORM, "note", {"followup_id": followup.id}, svc.now())
    return await describe_followup(svc, followup, svc.now())


async def close_note_typed(svc: Services, telegram_id: int, data: dict, text: str | None) -> tuple[dict, int]:
    """The line is saved, 销号 is asked of the officers above; (the follow-up, how many officers were asked)."""
    note = (text or "").strip()
    if not note:
        raise UserError("filing/note_empty.j2")
    if len(note) > NOTE_MAX:
        raise UserError("common/too_long.j2", field="closing_note", max=NOTE_MAX, length=len(note))
    followup, actor = await _secretary_of(svc, telegram_id, int(data["followup_id"]))
    now = svc.now()
    async with svc.db.write() as db:
        if not await store.request_close(db, followup.id, note, now):
            await conversations.clear(db, telegram_id)
            raise UserError("filing/followup_not_open.j2", status=rules.STATUS_LABELS[followup.status])
        await audit.record(db, now=now, action="followup.request_close", branch_id=followup.branch_id,
                           actor_id=actor.id, subject=refs.member(followup.member_id), followup=followup.id, note=note)
        await outbox.cancel_prefix(db, filing_keys.reminder.scope(followup.id), now)
        await conversations.clear(db, telegram_id)
        asked = await _ask_officers(svc, db, await store.get_followup(db, followup.id), now)
    svc.wake_outbox()
    return await describe_followup(svc, await store.get_followup(svc.db, followup.id), now), asked


async def _ask_officers(svc: Services, db: Conn, followup: Followup, now: datetime) -> int:
    branch = await branches.get(db, followup.branch_id)
    member = await members.get(db, followup.member_id)
    message = Outgoing(template="filing/confirm_request.j2",
                       params={"branch": branch.name, "name": member.name, "measure": followup.measure.label,
                               "note": followup.closing_note},
                       buttons=[confirm_buttons(followup)])
    ids = await officer_ids(svc, db, followup.unit_id)
    for telegram_id in ids:
        await outbox.upsert(db, Planned(key=filing_keys.confirm(followup.id, now, telegram_id),
                                        chat_id=telegram_id, kind="followup.confirm", payload=message, due_at=now,
                                        urgent=True), now)
    return len(ids)


# --- the officer's part -------------------------------------------------------------------------------------------

async def decide(svc: Services, telegram_id: int, followup_id: int, confirm: bool) -> dict:
    """确认销号 closes it; 退回 opens it again; the secretaries are told. A second tap changes nothing."""
    followup = await _officer_of(svc, telegram_id, followup_id)
    if followup.status is not FollowupStatus.CLOSING:
        raise UserError("filing/followup_not_closing.j2", status=rules.STATUS_LABELS[followup.status])
    now = svc.now()
    async with svc.db.write() as db:
        if not await store.decide_close(db, followup.id, confirm, telegram_id, now):
            raise UserError("common/stale.j2")
        await audit.record(db, now=now, action="followup.closed" if confirm else "followup.returned",
                           branch_id=followup.branch_id, actor_id=None, subject=refs.member(followup.member_id),
                           followup=followup.id, by=telegram_id)
        decided = await store.get_followup(db, followup.id)
        if not confirm:
            await _plan_reminders(svc, db, decided, now)
        member = await members.get(db, followup.member_id)
        for secretary in await members.with_role(db, followup.branch_id, APPROVER_ROLES):
            await notify.to_member(svc, db, secretary, Outgoing(
                template="filing/followup_decided.j2", params={"name": member.name, "confirmed": confirm}),
                kind="followup.decided", key=filing_keys.decided(followup.id, now, secretary.id))
    svc.wake_outbox()
    return await describe_followup(svc, decided, now)


async def _still_open(svc: Services, row: OutboxRow, now: datetime) -> bool:
    followup = await store.get_followup(svc.db, filing_keys.followup.read(row.key).followup)
    return followup is not None and followup.status is FollowupStatus.OPEN


async def _still_closing(svc: Services, row: OutboxRow, now: datetime) -> bool:
    followup = await store.get_followup(svc.db, filing_keys.followup.read(row.key).followup)
    return followup is not None and followup.status is FollowupStatus.CLOSING


FEATURE = Feature(name="followups", relevance={"followup.remind": _still_open, "followup.opened": _still_open,
                                               "followup.confirm": _still_closing})
