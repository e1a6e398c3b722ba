"""The six-month alarm (bot/domain/lapse.py) as a use case: once a day every branch's members are assessed from
what zhibu already holds — the closed meetings they were expected at, the dues they paid, their standing leave. At
four months the secretaries are warned, at six the secretaries and the unit's officers are alarmed, each with the
facts; the secretary resolves it in two taps at most (a 谈心谈话 recorded today, or a reason). A member who takes
part or pays again is resolved by zhibu itself. A resolved alarm stands until the member lapses to a higher level.
Nobody resolves their own alarm.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.callbacks import lapse as cb
from bot.domain import dates
from bot.domain import lapse as rules
from bot.domain.meetings import KIND_LABELS, MeetingKind
from bot.domain.models import Branch, Member
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.roles import APPROVER_ROLES
from bot.errors import UserError
from bot.features import Feature
from bot.keys import refs
from bot.keys import supervision as keys
from bot.outgoing import Outgoing, button
from bot.render import word
from bot.services import Services, membership
from bot.services.digest import line as digest_line
from bot.services.filing import officer_ids
from storage import audit, branches, marks, members, outbox, talks
from storage import lapse as store
from storage import units as unit_store
from storage.connection import Conn

LOOK_BACK = timedelta(days=400)  # meetings further back than a year and a month cannot change a level
MESSAGE = "lapse.alarm"


async def _records(svc: Services, db: Conn, branch: Branch, now: datetime) -> dict[int, tuple[Member, rules.Record]]:
    since = now - LOOK_BACK
    held = await store.meetings_of(db, branch.id, since)
    paid = await store.paid_of(db, branch.id, f"{dates.local(since, svc.settings.tz):%Y-%m}")
    away = await store.away_of(db, branch.id)
    found = {}
    for member in await members.in_branch(db, branch.id):
        meetings = [(dates.local(at, svc.settings.tz).date(), title or KIND_LABELS[MeetingKind(kind)], presence)
                    for at, kind, title, presence in held.get(member.id, [])]
        found[member.id] = (member, rules.Record(joined=dates.local(member.created_at, svc.settings.tz).date(),
                                                 meetings=meetings, paid=paid.get(member.id, set()),
                                                 away=away.get(member.id, [])))
    return found


async def daily_pass(svc: Services, now: datetime) -> None:
    """Tick, once a day: every branch's members assessed; alarms raised, raised further, or resolved."""
    today = dates.local(now, svc.settings.tz).date()
    mark = keys.lapse_pass(today)
    if not await marks.missing(svc.db, [mark]):
        return
    async with svc.db.write() as db:
        if not await marks.claim(db, mark, now):
            return
    for branch in await branches.every(svc.db):
        async with svc.db.write() as db:  # one branch a transaction: answers to people are not held up meanwhile
            await _assess_branch(svc, db, branch, now, today)
    svc.wake_outbox()


async def _assess_branch(svc: Services, db: Conn, branch: Branch, now: datetime, today: date) -> None:
    open_alarms = await store.open_in_branch(db, branch.id)
    resolved = await store.last_resolved(db, branch.id)
    for member_id, (member, record) in (await _records(svc, db, branch, now)).items():
        lapse = rules.assess(record, today)
        current = open_alarms.get(member_id)
        if current is not None and lapse.level == 0:
            await store.resolve(db, current.id, rules.Resolution.RETURNED.value, None, now)
            continue
        if lapse.level == 0 or (current is not None and current.level >= lapse.level):
            continue
        earlier = resolved.get(member_id)
        if current is None and earlier is not None and earlier.level >= lapse.level \
                and earlier.resolution != rules.Resolution.RETURNED.value:
            continue
        facts = {"missed": lapse.missed, "unpaid": lapse.unpaid, "life": lapse.life_months,
                 "dues": lapse.dues_months}
        alarm = await store.raise_alarm(db, member_id, branch.id, lapse.level, facts, now)
        await audit.record(db, now=now, action="lapse.raised", branch_id=branch.id, actor_id=None,
                           subject=refs.member(member_id), level=lapse.level)
        await _tell(svc, db, branch, member, alarm, now)


async def _tell(svc: Services, db: Conn, branch: Branch, member: Member, alarm: rules.Alarm, now: datetime) -> None:
    """The secretaries (with the buttons that resolve it); at six months the unit's officers too."""
    params = {"name": member.name, "branch": branch.name, "level": alarm.level, **alarm.facts,
              "unpaid_words": [dates.period_label(p) for p in alarm.facts["unpaid"]]}
    resolve = [[button("lapse/talk", cb.talk(alarm.id)), button("lapse/reason", cb.reasons(alarm.id))]]
    for person in await members.with_role(db, branch.id, APPROVER_ROLES):
        if person.telegram_id is not None and person.id != member.id:
            await outbox.upsert(db, Planned(key=keys.to_member(alarm.id, alarm.level, person.id),
                                            chat_id=person.telegram_id, kind=MESSAGE, due_at=now,
                                            branch_id=branch.id, member_id=person.id,
                                            payload=Outgoing(template="lapse/alarm.j2", params=params,
                                                             buttons=resolve)), now)
    if alarm.level >= rules.ALARM_MONTHS:
        unit_id = await unit_store.unit_of_branch(db, branch.id)
        for officer in await officer_ids(svc, db, unit_id) if unit_id is not None else []:
            await outbox.upsert(db, Planned(key=keys.to_officer(alarm.id, alarm.level, officer), chat_id=officer,
                                            kind=MESSAGE, due_at=now,
                                            payload=Outgoing(template="lapse/alarm.j2",
                                                             params={**params, "officer": True})), now)


# --- resolving ----------------------------------------------------------------------------------------------------

async def _open_alarm(svc: Services, telegram_id: int, alarm_id: int) -> tuple[rules.Alarm, Member]:
    """The alarm, still open, of a member of the presser's branch — never the presser's own."""
    alarm = await store.get(svc.db, alarm_id)
    if alarm is None:
        raise UserError("common/stale.j2")
    approver = await membership.approver(svc, telegram_id, alarm.branch_id)
    if approver.id == alarm.member_id:
        raise UserError("lapse/own_case.j2")
    if alarm.resolved_at is not None:
        raise UserError("lapse/resolved.j2", resolution=alarm.resolution)
    return alarm, approver


async def record_talk(svc: Services, telegram_id: int, alarm_id: int) -> dict:
    """💬 已谈心谈话: a talk with the member recorded today by the secretary, and the alarm resolved by it."""
    alarm, approver = await _open_alarm(svc, telegram_id, alarm_id)
    now = svc.now()
    person = await members.get(svc.db, alarm.member_id)
    async with svc.db.write() as db:
        talk = await talks.add(db, branch_id=alarm.branch_id, member_id=alarm.member_id, talker_id=approver.id,
                               day=dates.local(now, svc.settings.tz).date(), topic=word("lapse/talk_topic"), now=now)
        await _resolved(db, alarm, rules.Resolution.TALK, telegram_id, now, talk.id)
    return {"name": person.name if person else "", "resolution": rules.Resolution.TALK.value}


async def ask_reason(svc: Services, telegram_id: int, alarm_id: int) -> dict:
    alarm, _ = await _open_alarm(svc, telegram_id, alarm_id)
    person = await members.get(svc.db, alarm.member_id)
    return {"name": person.name if person else "",
            "buttons": [[button("lapse/why", cb.reason(alarm.id, r), reason=r.value)] for r in rules.REASONS]}


async def give_reason(svc: Services, telegram_id: int, alarm_id: int, reason: rules.Resolution) -> dict:
    if reason not in rules.REASONS:
        raise UserError("common/stale.j2")
    alarm, _ = await _open_alarm(svc, telegram_id, alarm_id)
    person = await members.get(svc.db, alarm.member_id)
    async with svc.db.write() as db:
        await _resolved(db, alarm, reason, telegram_id, svc.now())
    return {"name": person.name if person else "", "resolution": reason.value}


async def _resolved(db: Conn, alarm: rules.Alarm, how: rules.Resolution, by: int, now: datetime,
                    talk_id: int | None = None) -> None:
    if not await store.resolve(db, alarm.id, how.value, by, now, talk_id):
        raise UserError("lapse/resolved.j2", resolution=None)
    await audit.record(db, now=now, action="lapse.resolved", branch_id=alarm.branch_id, actor_id=None,
                       subject=refs.member(alarm.member_id), by=by, resolution=how.value)


async def _still_open(svc: Services, row: OutboxRow, now: datetime) -> bool:
    found = keys.to_member.parse(row.key) or keys.to_officer.parse(row.key)
    alarm = await store.get(svc.db, found.alarm) if found else None
    return alarm is not None and alarm.resolved_at is None


async def _digest(svc: Services, branch: Branch, now: datetime) -> list[str]:
    """The secretary's daily digest lists the branch's members flagged and not resolved yet."""
    found = []
    for alarm in (await store.open_in_branch(svc.db, branch.id)).values():
        person = await members.get(svc.db, alarm.member_id)
        found.append(digest_line("lapse_open", name=person.name if person else "", level=alarm.level))
    return found


FEATURE = Feature(name="lapse", ticks=(daily_pass,), relevance={MESSAGE: _still_open},
                  digest_sections=(("lapse", _digest),))
