"""约谈 (seed 003, 咸阳): an officer schedules a formal talk with a secretary or member of a branch below — the
reason (the seed's categories, or typed), the time and the place; the person gets the notice in advance (约谈预告)
and a reminder the day before; after the talk the officer records what was said and the rectification required
(全程纪实), which becomes an item of the one follow-up mechanism (kind 'yuetan'): the person hands in a written
report within one month (reminded before, the officers told when it passes), and the officers' approval closes it.

Who sees it: the officers of the unit (and of the units above), and the person. Never the branch, never a group:
its audit entries name no branch, and its review kind is private. Nobody schedules a talk with themselves.
"""

from __future__ import annotations

from datetime import datetime

from bot.callbacks import yuetan as cb
from bot.domain import dates, when
from bot.domain import followup as item_rules
from bot.domain import yuetan as rules
from bot.domain.followup import Followup, ItemKind
from bot.domain.models import Member
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.review import Decision, Submission
from bot.domain.yuetan import Reason, Yuetan
from bot.errors import UserError
from bot.features import Feature
from bot.keys import refs
from bot.keys import supervision as keys
from bot.outgoing import Outgoing, button
from bot.services import Services, drafts, followthrough, membership, notify, units
from bot.services.drafts import DraftKind
from bot.services.review import ReviewKind
from bot.services.reviewers import UnitOfficers
from bot.services.shuzhi_problems import attempt
from storage import audit, branches, conversations, members, outbox
from storage import followups as items
from storage import units as unit_store
from storage import yuetan as store
from storage.connection import Conn

PERSON_FORM, DETAILS_FORM, RECORD_FORM = "yuetan_person", "yuetan_details", "yuetan_record"
REPORT = "yuetan_report"
NOTICE, EVE, RECORD = "yuetan.notice", "yuetan.eve", "yuetan.record"
SHOWN_MAX = 15  # talks listed (and buttons) a unit in /yuetan: the newest


# --- who may see and act ------------------------------------------------------------------------------------------

async def _officer_talk(svc: Services, telegram_id: int, yuetan_id: int) -> Yuetan:
    """A talk of a unit in the officer's subtree; anyone else is refused, whatever the button said."""
    talk = await store.get(svc.db, yuetan_id)
    if talk is None:
        raise UserError("common/stale.j2")
    await units.unit_in_scope(svc, telegram_id, talk.unit_id)
    return talk


async def _person_in_scope(svc: Services, telegram_id: int, unit_id: int, member_id: int) -> Member:
    """An active member of a branch under the unit, not the officer themselves (nobody decides their own case)."""
    await units.unit_in_scope(svc, telegram_id, unit_id)
    person = await members.get(svc.db, member_id)
    under = {b.id for b in await unit_store.branches_under(svc.db, [unit_id])}
    if person is None or not person.is_active or person.branch_id not in under:
        raise UserError("common/stale.j2")
    if person.telegram_id == telegram_id:
        raise UserError("yuetan/own_case.j2")
    return person


async def describe(svc: Services, talk: Yuetan) -> dict:
    """What the officer's card and the register say of a talk."""
    person = await members.get(svc.db, talk.member_id)
    branch = await branches.get(svc.db, talk.branch_id)
    item = next(iter(await items.of_sources(svc.db, [keys.yuetan_source(talk.id)])), None)
    return {"id": talk.id, "name": person.name if person else "", "branch": branch.name if branch else "",
            "reason_code": talk.reason_code.value, "reason": talk.reason, "place": talk.place,
            "starts_at": dates.moment(talk.starts_at, svc.settings.tz), "status": talk.status.value,
            "content": talk.content, "rectification": talk.rectification,
            "report": followthrough.describe(item, svc.settings.tz, svc.now()) if item else None}


# --- /yuetan ------------------------------------------------------------------------------------------------------

async def home(svc: Services, telegram_id: int) -> dict:
    """An officer: the talks of this year under each of their units, each a button, and 安排约谈; a person: their
    own talks, with the report's button while it is owed."""
    tz, now = svc.settings.tz, svc.now()
    year = dates.local(now, tz).year
    since, until = rules.year_bounds(year, tz)
    shown, rows = [], []
    for unit_id in await units.officer_scope(svc, telegram_id):
        unit = await unit_store.get(svc.db, unit_id)
        talks = await store.in_units(svc.db, await unit_store.subtree_ids(svc.db, [unit_id]), since, until)
        latest = talks[-SHOWN_MAX:]  # the newest; a message and its keyboard have limits
        shown.append({"unit": unit.name, "total": len(talks), "talks": [await describe(svc, t) for t in latest]})
        rows += [[button("yuetan/talk", cb.show(t.id), name=d["name"], at=d["starts_at"])]
                 for t, d in zip(latest, shown[-1]["talks"], strict=True)]
        rows.append([button("yuetan/new", cb.new(unit_id), unit=unit.name)])
    own = []
    member = await membership.member_of(svc, telegram_id)
    if member is not None and member.is_active:
        for talk in await store.of_member(svc.db, member.id):
            described = await describe(svc, talk)
            own.append(described)
            report = described["report"]
            if report and report["status"] == item_rules.FollowupStatus.OPEN.value:
                rows.append([button("yuetan/report", cb.report(report["id"]))])
    if not shown and not own:
        raise UserError("yuetan/not_allowed.j2")
    return {"year": year, "units": shown, "own": own, "buttons": rows}


async def card(svc: Services, telegram_id: int, yuetan_id: int) -> dict:
    talk = await _officer_talk(svc, telegram_id, yuetan_id)
    shown = await describe(svc, talk)
    rows = [[button("yuetan/record", cb.record(talk.id))]] if talk.status is rules.Status.SCHEDULED else []
    return {**shown, "buttons": rows}


# --- scheduling ---------------------------------------------------------------------------------------------------

async def begin(svc: Services, telegram_id: int, unit_id: int) -> dict:
    """➕ 安排约谈: the next message names the person."""
    unit = await units.unit_in_scope(svc, telegram_id, unit_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, PERSON_FORM, "name", {"unit_id": unit.id}, svc.now())
    return {"unit": unit.name}


async def person_typed(svc: Services, telegram_id: int, data: dict, text: str | None) -> dict:
    """The people under the unit whose name holds what was typed, a button each (the officer left out)."""
    unit = await units.unit_in_scope(svc, telegram_id, int(data["unit_id"]))
    name = (text or "").strip()
    branch_ids = [b.id for b in await unit_store.branches_under(svc.db, [unit.id])]
    found = await store.people_named(svc.db, branch_ids, name, rules.NAME_MATCHES_MAX) if name else []
    rows = []
    for member_id, person, branch_id in found:
        branch = await branches.get(svc.db, branch_id)
        rows.append([button("yuetan/person", cb.person(unit.id, member_id), name=person, branch=branch.name)])
    if not rows:
        raise UserError("yuetan/nobody.j2", name=name)
    return {"name": name, "buttons": rows}


async def choose_person(svc: Services, telegram_id: int, unit_id: int, member_id: int) -> dict:
    person = await _person_in_scope(svc, telegram_id, unit_id, member_id)
    return {"name": person.name, "buttons": [[button("yuetan/reason", cb.reason(unit_id, member_id, r), reason=r.value)]
                                             for r in Reason]}


async def choose_reason(svc: Services, telegram_id: int, unit_id: int, member_id: int, reason: Reason) -> dict:
    """The reason chosen: the next message is the time and the place (and the reason, when it is typed)."""
    person = await _person_in_scope(svc, telegram_id, unit_id, member_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, DETAILS_FORM, "details",
                                 {"unit_id": unit_id, "member_id": member_id, "reason": reason.value}, svc.now())
    return {"name": person.name, "reason": reason.value, "typed": reason is Reason.OTHER}


def _details(text: str | None, reason: Reason, now: datetime, tz: str) -> tuple[datetime, str, str | None]:
    """(when, where, the typed reason): line one the time, line two the place, line three the reason (needed for
    其他, else an optional addition)."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) < 2 or (reason is Reason.OTHER and len(lines) < 3):
        raise UserError("yuetan/bad_details.j2", problem="lines", typed=reason is Reason.OTHER)
    parsed = when.read(lines[0], now, tz)
    if isinstance(parsed, when.Refusal):
        raise UserError("yuetan/bad_details.j2", problem="when", why=parsed.reason, typed=reason is Reason.OTHER)
    if parsed.ambiguous or parsed.past:
        raise UserError("yuetan/bad_details.j2", problem="past" if parsed.past else "ambiguous",
                        typed=reason is Reason.OTHER)
    place, extra = lines[1], " ".join(lines[2:]) or None
    if len(place) > rules.PLACE_MAX or (extra and len(extra) > rules.REASON_MAX):
        raise UserError("yuetan/bad_details.j2", problem="long", typed=reason is Reason.OTHER,
                        place_max=rules.PLACE_MAX, reason_max=rules.REASON_MAX)
    return parsed.start, place, extra


async def details_typed(svc: Services, telegram_id: int, data: dict, text: str | None) -> dict:
    """The talk is scheduled: the person's notice now, a reminder the day before, and the officer's prompt for the
    record after it; the card."""
    reason = Reason(data["reason"])
    person = await _person_in_scope(svc, telegram_id, int(data["unit_id"]), int(data["member_id"]))
    now, tz = svc.now(), svc.settings.tz
    starts_at, place, extra = _details(text, reason, now, tz)
    async with svc.db.write() as db:
        talk = await store.create(db, unit_id=int(data["unit_id"]), branch_id=person.branch_id, member_id=person.id,
                                  reason_code=reason, reason=extra or "", starts_at=starts_at, place=place,
                                  scheduled_by=telegram_id, now=now)
        await _plan_notices(svc, db, talk, person, now)
        await audit.record(db, now=now, action="yuetan.schedule", branch_id=None, actor_id=None,
                           subject=refs.member(person.id), by=telegram_id, yuetan=talk.id)
        await conversations.clear(db, telegram_id)
    svc.wake_outbox()
    return await card(svc, telegram_id, talk.id)


async def _plan_notices(svc: Services, db: Conn, talk: Yuetan, person: Member, now: datetime) -> None:
    params = {"reason_code": talk.reason_code.value, "reason": talk.reason, "place": talk.place,
              "starts_at": dates.moment(talk.starts_at, svc.settings.tz)}
    unit = await unit_store.get(db, talk.unit_id)
    params["unit"] = unit.name if unit else ""
    if person.telegram_id is not None:
        await outbox.upsert(db, Planned(key=keys.notice(talk.id, talk.starts_at, person.id), chat_id=person.telegram_id,
                                        kind=NOTICE, due_at=now, expires_at=talk.starts_at, member_id=person.id,
                                        payload=Outgoing(template="yuetan/notice.j2", params=params)), now)
        if talk.starts_at - rules.EVE > now:
            await outbox.upsert(db, Planned(key=keys.eve(talk.id, talk.starts_at, person.id),
                                            chat_id=person.telegram_id, kind=EVE, due_at=talk.starts_at - rules.EVE,
                                            expires_at=talk.starts_at, member_id=person.id,
                                            payload=Outgoing(template="yuetan/eve.j2", params=params)), now)
    prompt = Outgoing(template="yuetan/record_prompt.j2", params={**params, "name": person.name},
                      buttons=[[button("yuetan/record", cb.record(talk.id))]])
    await outbox.upsert(db, Planned(key=keys.record(talk.id, talk.starts_at, talk.scheduled_by),
                                    chat_id=talk.scheduled_by, kind=RECORD, due_at=talk.starts_at + rules.RECORD_AFTER,
                                    payload=prompt), now)


# --- the record, and the report it asks for -------------------------------------------------------------------------

async def begin_record(svc: Services, telegram_id: int, yuetan_id: int) -> dict:
    """📝 记录约谈: the next message is what was said, the one after it the rectification required."""
    talk = await _officer_talk(svc, telegram_id, yuetan_id)
    if talk.status is not rules.Status.SCHEDULED:
        raise UserError("yuetan/recorded_already.j2")
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, RECORD_FORM, "content", {"yuetan_id": talk.id}, svc.now())
    return {"step": "content", "max": rules.CONTENT_MAX}


async def record_typed(svc: Services, telegram_id: int, step: str, data: dict, text: str | None) -> dict:
    """The record's two parts, one message each; after the second the person is asked for the report."""
    talk = await _officer_talk(svc, telegram_id, int(data["yuetan_id"]))
    limit = rules.CONTENT_MAX if step == "content" else rules.RECTIFICATION_MAX
    try:
        typed = rules.clean(text, limit)
    except ValueError as long:
        raise UserError("common/too_long.j2", field=f"yuetan_{step}", max=limit, length=long.args[0]) from None
    if typed is None:
        raise UserError("yuetan/empty.j2", step=step)
    if step == "content":
        async with svc.db.write() as db:
            await conversations.save(db, telegram_id, RECORD_FORM, "rectification", {**data, "content": typed},
                                     svc.now())
        return {"asked": {"step": "rectification", "max": rules.RECTIFICATION_MAX}}
    await _recorded(svc, telegram_id, talk, data["content"], typed)
    return {"card": await card(svc, telegram_id, talk.id)}


async def _recorded(svc: Services, telegram_id: int, talk: Yuetan, content: str, rectification: str) -> None:
    now, tz = svc.now(), svc.settings.tz
    async with svc.db.write() as db:
        if not await store.record(db, talk.id, content=content, rectification=rectification, by=telegram_id, now=now):
            raise UserError("yuetan/recorded_already.j2")
        item = await followthrough.open_item(svc, db, kind=ItemKind.YUETAN, source=keys.yuetan_source(talk.id), seq=0,
                                             branch_id=talk.branch_id, unit_id=talk.unit_id, member_id=talk.member_id,
                                             reason=rectification, deadline=rules.report_due(now, tz), by=telegram_id)
        await conversations.clear(db, telegram_id)
        if item is None:
            return
        await _plan_report_reminders(svc, db, item, now)
        person = await members.get(db, talk.member_id)
        if person is not None:
            await notify.to_member(svc, db, person, Outgoing(
                template="yuetan/report_asked.j2",
                params={"rectification": rectification, "due": dates.full_day(item_rules.last_day(item.deadline, tz))},
                buttons=[[button("yuetan/report", cb.report(item.id))]]), kind="yuetan.report_asked",
                key=keys.report_asked(talk.id, person.id))
    svc.wake_outbox()


async def _plan_report_reminders(svc: Services, db: Conn, item: Followup, now: datetime) -> None:
    due = dates.full_day(item_rules.last_day(item.deadline, svc.settings.tz))
    await followthrough.plan_reminders(svc, db, item, lambda days: Outgoing(
        template="yuetan/report_reminder.j2", params={"days": days, "due": due},
        buttons=[[button("yuetan/report", cb.report(item.id))]]), now)


async def start_report(svc: Services, telegram_id: int, item_id: int) -> drafts.Draft:
    """📝 整改报告: the person's written report, drafted like anything handed in; refused once handed in or closed."""
    item = await items.get(svc.db, item_id)
    person = await membership.active_member(svc, telegram_id)
    if item is None or item.kind is not ItemKind.YUETAN or item.member_id != person.id:
        raise UserError("common/stale.j2")
    if item.status is not item_rules.FollowupStatus.OPEN:
        raise UserError("yuetan/report_done.j2", closing=item.status is item_rules.FollowupStatus.CLOSING)
    number, _ = await attempt(svc.db, REPORT, keys.evidence_ref, item.id)
    return await drafts.start(svc, REPORT_DRAFT, telegram_id, ref=keys.evidence_ref(item.id, number),
                              content={"rectification": item.reason or ""})


async def _item_of(db: Conn, submission: Submission) -> Followup | None:
    found = keys.evidence_ref.parse(submission.ref)
    return await items.get(db, found.followup) if found else None


async def _report_unit(svc: Services, db: Conn, submission: Submission) -> int | None:
    item = await _item_of(db, submission)
    return item.unit_id if item else None


async def _submitted(svc: Services, db: Conn, submission: Submission) -> None:
    item = await _item_of(db, submission)
    if item is None or await followthrough.hand_in(svc, db, item, evidence_id=submission.id,
                                                   actor_id=submission.author_id) is None:
        raise UserError("yuetan/report_done.j2",
                        closing=item is not None and item.status is item_rules.FollowupStatus.CLOSING)


async def _decided(svc: Services, db: Conn, submission: Submission, decision: Decision) -> None:
    """通过 closes the item; 退回 or 驳回 leaves the report owed by the same deadline, reminded again."""
    item = await _item_of(db, submission)
    if item is None:
        return
    decided = await followthrough.decide(svc, db, item, decision is Decision.APPROVE, None)
    if decided is not None and decided.status is item_rules.FollowupStatus.OPEN:
        await _plan_report_reminders(svc, db, decided, svc.now())


REPORT_DRAFT = DraftKind(kind=REPORT, text_max=5000, ask="yuetan/ask_report.j2", on_submit=_submitted)
REPORT_REVIEW = ReviewKind(kind=REPORT, card_template="yuetan/report_card.j2", fix_hint="/yuetan",
                           audience=UnitOfficers(unit_of=_report_unit), on_decided=_decided, private=True)


async def _still_scheduled(svc: Services, row: OutboxRow, now: datetime) -> bool:
    found = keys.notice.parse(row.key) or keys.eve.parse(row.key) or keys.record.parse(row.key)
    talk = await store.get(svc.db, found.yuetan) if found else None
    return talk is not None and talk.status is rules.Status.SCHEDULED


FEATURE = Feature(name="yuetan", relevance={NOTICE: _still_scheduled, EVE: _still_scheduled, RECORD: _still_scheduled},
                  review_kinds=(REPORT_REVIEW,), drafts=(REPORT_DRAFT,))
