"""党费 (party dues) on the theme day, which is also the unified dues day (统一交纳党费日): the member taps
已交党费 on the theme-day reminder, the 组织委员 or the secretary confirms it or records 代缴 (paid by someone else),
the unpaid are in the digest after the day, and a yearly register per branch. No payment is processed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.callbacks import commands as commands_cb
from bot.callbacks.commands import Command
from bot.domain import dates, when
from bot.domain import dues as rules
from bot.domain.dues import COLLECTOR_ROLES, DuesPayment, DuesStatus
from bot.domain.meetings import MeetingKind
from bot.domain.models import Branch, Member
from bot.errors import UserError
from bot.features import Feature
from bot.keys import dues as dues_keys
from bot.keys import refs
from bot.outgoing import Outgoing, button
from bot.services import Services, dues_cards, membership, notify, reviewers
from bot.services.digest import line as digest_line
from storage import audit, branches, conversations, dues, meetings, members

# How long after the theme day its unpaid members stay in the digest.
DIGEST_DAYS = 31


def tz_of(svc: Services, branch: Branch) -> str:
    return branch.tz or svc.settings.tz


async def _collectors(db, branch_id: int) -> list[Member]:
    return await members.with_role(db, branch_id, COLLECTOR_ROLES)


def _label(period: str) -> str:
    return dates.period_label(period)


async def _theme_day(svc: Services, member: Member, meeting_id: int) -> str:
    meeting = await meetings.get(svc.db, meeting_id)
    if meeting is None or meeting.branch_id != member.branch_id or meeting.kind is not MeetingKind.THEME_DAY:
        raise UserError("common/stale.j2")
    return meeting.period


async def _tell_collectors(svc: Services, db, member: Member, period: str, fen: int | None, typed: bool) -> None:
    """The collectors' cards: one per report at the standard, one per amount the member typed — never to the member
    themselves (a collector's own dues go to the other collectors, or to the officers above)."""
    route = await dues_cards.route(svc, db, member)
    card = dues_cards.waiting_card(member, period, fen, route)
    for collector in route.reviewers:
        key = (dues_keys.amount(member.id, period, fen, collector.tag) if typed
               else dues_keys.reported(member.id, period, collector.tag))
        await reviewers.deliver(svc, db, collector, card, kind=dues_cards.CARD, key=key)


async def report_paid(svc: Services, telegram_id: int,
                      meeting_id: int) -> tuple[str, DuesPayment | None, bool, Member]:
    """已交党费 pressed: recorded as reported at the member's standard, and the collectors get a card to confirm
    it. Returns (month label, the record as it was before, whether this was news, the member)."""
    member = await membership.active_member(svc, telegram_id)
    period = await _theme_day(svc, member, meeting_id)
    before = await dues.get(svc.db, member.id, period)
    now = svc.now()
    async with svc.db.write() as db:
        news = await dues.report(db, member.branch_id, member.id, period, member.dues_fen, now)
        if news:
            await audit.record(db, now=now, action="dues.report", branch_id=member.branch_id, actor_id=member.id,
                               subject=refs.member(member.id), period=period)
            await _tell_collectors(svc, db, member, period, member.dues_fen, typed=False)
    svc.wake_outbox()
    return _label(period), before, news, member


async def begin_own_amount(svc: Services, telegram_id: int, meeting_id: int) -> tuple[str, Member]:
    """报其他金额 after 已交党费: the member's next message is the amount they paid."""
    member = await membership.active_member(svc, telegram_id)
    period = await _theme_day(svc, member, meeting_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, "dues_own_amount", "amount", {"meeting_id": meeting_id}, svc.now())
    return _label(period), member


async def report_amount(svc: Services, telegram_id: int, meeting_id: int, text: str | None) -> tuple[str, int]:
    """The member typed what they paid for the month (not their standard): the report carries it and the
    collectors get a new card with it. Refused once the collector has confirmed the month."""
    member = await membership.active_member(svc, telegram_id)
    period = await _theme_day(svc, member, meeting_id)
    fen = _typed_amount(text)
    now = svc.now()
    async with svc.db.write() as db:
        await dues.report(db, member.branch_id, member.id, period, fen, now)
        changed = await dues.set_reported_amount(db, member.id, period, fen, now)
        if changed:
            await audit.record(db, now=now, action="dues.report", branch_id=member.branch_id, actor_id=member.id,
                               subject=refs.member(member.id), period=period, fen=fen)
            await _tell_collectors(svc, db, member, period, fen, typed=True)
        await conversations.clear(db, telegram_id)
    if not changed:
        raise UserError("dues/already_confirmed.j2", month=_label(period))
    svc.wake_outbox()
    return _label(period), fen


async def _collector(svc: Services, telegram_id: int) -> Member:
    actor = await membership.active_member(svc, telegram_id)
    if not rules.is_collector(actor.roles):
        raise UserError("common/not_allowed.j2")
    return actor


async def _target(svc: Services, actor: Member, member_id: int) -> Member:
    target = await members.get(svc.db, member_id)
    if target is None or target.branch_id != actor.branch_id or not target.is_active:
        raise UserError("common/stale.j2")
    return target


async def _confirmer(svc: Services, telegram_id: int, member_id: int, code: int) -> tuple[reviewers.Reviewer, Member,
                                                                                        str]:
    """(who confirms, whose dues, the month): a collector of the member's branch other than the member, or — where
    there is none — an officer above it (bot/services/reviewers.py); the member's own press is refused."""
    target = await members.get(svc.db, member_id)
    if target is None or not target.is_active:
        raise UserError("common/stale.j2")
    actor = await reviewers.authorise_in(await dues_cards.route(svc, svc.db, target), target, telegram_id)
    return actor, target, _period(code)


def _member_of(actor: reviewers.Reviewer, target: Member) -> int | None:
    """Who is recorded as having decided: the collector's member id; None for an officer above the branch (the
    audit log names them)."""
    return actor.member.id if actor.member and actor.member.branch_id == target.branch_id else None


def _named(actor: reviewers.Reviewer, by_member: int | None, telegram_id: int) -> dict:
    return {} if by_member else {"by": telegram_id, "by_name": actor.name}


@dataclass
class Confirmed:
    member: Member
    month: str
    changed: bool  # False: it had been confirmed before (by this or another collector)
    payment: DuesPayment  # as recorded now: the amount received, who paid
    code: int  # the month, as buttons carry it
    card: Outgoing  # what the confirmer's copy of the report card shows now (with ↩️ 撤销确认)


async def confirm(svc: Services, telegram_id: int, member_id: int, code: int, paid_by: str | None = None) -> Confirmed:
    """The collector has the month's dues from the member (or, with `paid_by`, from who paid for them: 代缴): the
    amount reported (else the member's standard) is recorded, the member told, and every collector's card of the
    report shows it was confirmed, by whom and how much — the confirmer's own copies with ↩️ 撤销确认. Whoever
    decides the member's dues confirms (never the member: bot/services/reviewers.py)."""
    actor, target, period = await _confirmer(svc, telegram_id, member_id, code)
    by_member = _member_of(actor, target)
    now = svc.now()
    async with svc.db.write() as db:
        changed = await dues.confirm(db, target.branch_id, target.id, period, target.dues_fen, by_member, paid_by,
                                     now)
        payment = await dues.get(db, target.id, period)
        assert payment is not None
        if changed:
            await audit.record(db, now=now, action="dues.confirm", branch_id=target.branch_id, actor_id=by_member,
                               subject=refs.member(target.id), period=period, paid_by=paid_by, fen=payment.amount_fen,
                               **_named(actor, by_member, telegram_id))
            await notify.to_member(svc, db, target, Outgoing(
                template="dues/confirmed.j2", params={"month": _label(period), "by": actor.name, "paid_by": paid_by,
                                                      "yuan": rules.yuan(payment.amount_fen)}),
                kind="dues.confirmed", key=dues_keys.confirmed(target.id, period))
            await dues_cards.update_all(
                svc, db, target, period, dues_cards.confirmed_card(target, period, payment, actor.name),
                mine=(telegram_id, dues_cards.confirmed_card(target, period, payment, actor.name, undo=True)))
        await conversations.clear(db, telegram_id)
    svc.wake_outbox()
    mine = dues_cards.confirmed_card(target, period, payment, actor.name, undo=True)
    return Confirmed(target, _label(period), changed, payment, code, mine)


async def undo(svc: Services, telegram_id: int, member_id: int, code: int) -> tuple[Member, str, DuesPayment | None]:
    """↩️ 撤销 a confirmation (by whoever may confirm the member's dues, audited): the report waits again (or,
    confirmed from /dues without one, nothing is recorded), the member is told, and the cards show 确认收到 again.
    Returns (the member, the month, the confirmation undone — None when there was none to undo)."""
    actor, target, period = await _confirmer(svc, telegram_id, member_id, code)
    by_member = _member_of(actor, target)
    now = svc.now()
    async with svc.db.write() as db:
        undone = await dues.unconfirm(db, target.id, period, now)
        if undone is not None:
            await audit.record(db, now=now, action="dues.unconfirm", branch_id=target.branch_id, actor_id=by_member,
                               subject=refs.member(target.id), period=period, fen=undone.amount_fen,
                               **_named(actor, by_member, telegram_id))
            await notify.to_member(svc, db, target, Outgoing(
                template="dues/undone.j2", params={"month": _label(period), "by": actor.name}),
                kind="dues.undone", key=dues_keys.undone(target.id, period, now))
            waiting = await dues_cards.current(svc, db, target, period)
            if waiting is not None:
                await dues_cards.update_all(svc, db, target, period, waiting)
    svc.wake_outbox()
    return target, _label(period), undone


async def card_now(svc: Services, telegram_id: int, member_id: int, code: int) -> Outgoing | None:
    """What a card of the member's month shows now, for the collector who pressed under it."""
    _, target, period = await _confirmer(svc, telegram_id, member_id, code)
    return await dues_cards.current(svc, svc.db, target, period)


def _period(code: int) -> str:
    try:
        return rules.period_from_code(code)
    except ValueError:
        raise UserError("common/stale.j2") from None


async def begin_proxy(svc: Services, telegram_id: int, member_id: int, code: int) -> tuple[Member, str]:
    """代缴 pressed: the collector's next message names who paid for the member."""
    _, target, period = await _confirmer(svc, telegram_id, member_id, code)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, "dues_proxy", "paid_by", {"member_id": target.id, "code": code},
                                 svc.now())
    return target, _label(period)


def clean_payer(text: str | None) -> str:
    payer = (text or "").strip()
    if not payer:
        raise UserError("dues/payer_empty.j2")
    if len(payer) > rules.PAID_BY_MAX:
        raise UserError("common/too_long.j2", field="paid_by", max=rules.PAID_BY_MAX, length=len(payer))
    return payer


@dataclass
class MonthList:
    period: str
    label: str
    rows: list[tuple[Member, DuesPayment | None]]
    differing: dict[int, tuple[str, str]]  # member id → (standard, amount given) in yuan, where they differ


def current_period(svc: Services, branch: Branch) -> str:
    local = svc.now().astimezone(ZoneInfo(tz_of(svc, branch)))
    return rules.period_of(local.year, local.month)


async def month_list(svc: Services, telegram_id: int, text: str | None) -> MonthList:
    """/dues [month]: each member's 党费 for the month (default: this month), for the collectors."""
    actor = await _collector(svc, telegram_id)
    branch = await branches.get(svc.db, actor.branch_id)
    period = current_period(svc, branch)
    if text:
        read = when.read_month(text, svc.now().astimezone(ZoneInfo(tz_of(svc, branch))).date())
        if isinstance(read, when.Refusal):  # a month as /attendance reads it
            raise UserError("meetings/bad_month.j2")
        period = rules.period_of(*read)
    payments = await dues.for_period(svc.db, branch.id, period)
    people = await members.in_branch(svc.db, branch.id)
    differing = {m.id: (rules.yuan(m.dues_fen), rules.yuan(payments[m.id].amount_fen)) for m in people
                 if rules.differs(m.dues_fen, payments.get(m.id))}
    return MonthList(period, _label(period), [(m, payments.get(m.id)) for m in people], differing)


async def standards(svc: Services, telegram_id: int) -> list[Member]:
    """设定党费标准 on /dues: the branch's members, each to tap for their monthly standard, for the collectors."""
    actor = await _collector(svc, telegram_id)
    return await members.in_branch(svc.db, actor.branch_id)


async def set_amount(svc: Services, telegram_id: int, member_id: int, text: str | None) -> Member:
    """The member's monthly dues standard typed in yuan ('12.5'), by a collector (from the member's card in
    /members or from /dues)."""
    actor = await _collector(svc, telegram_id)
    target = await _target(svc, actor, member_id)
    fen = _typed_amount(text)
    now = svc.now()
    async with svc.db.write() as db:
        await members.set_dues(db, target.id, fen, now)
        await conversations.clear(db, telegram_id)
        await audit.record(db, now=now, action="dues.amount", branch_id=actor.branch_id, actor_id=actor.id,
                           subject=refs.member(target.id), fen=fen, before=target.dues_fen)
    return await members.get(svc.db, target.id)


async def begin_amount(svc: Services, telegram_id: int, member_id: int) -> Member:
    actor = await _collector(svc, telegram_id)
    target = await _target(svc, actor, member_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, "dues_amount", "amount", {"member_id": target.id}, svc.now())
    return target


async def _unpaid(svc: Services, branch: Branch, now: datetime) -> list[str]:
    """Digest: after the theme day (the dues day), the members with nothing recorded for its month."""
    recent = [m for m in await meetings.in_branch(svc.db, branch.id, MeetingKind.THEME_DAY,
                                                   since=now - timedelta(days=DIGEST_DAYS), until=now)
              if m.status == "closed" and m.period]
    if not recent:
        return []
    period = recent[-1].period
    payments = await dues.for_period(svc.db, branch.id, period)
    people = await members.in_branch(svc.db, branch.id)
    names = [m.name for m in people if m.id in set(rules.unpaid([p.id for p in people], payments))]
    return [digest_line("dues_unpaid", month=_label(period), names=names, count=len(names))] if names else []


def _typed_amount(text: str | None) -> int:
    """The fen of a typed amount ('12.5', '12.50元'); the polite refusal saying how to write it otherwise."""
    try:
        return rules.parse_yuan(text or "")
    except ValueError:
        raise UserError("dues/bad_amount.j2") from None


async def _todos(svc: Services, member: Member, now: datetime) -> list:
    """A collector with this month's reported payments still to confirm: one button to /dues."""
    if not rules.is_collector(member.roles):
        return []
    branch = await branches.get(svc.db, member.branch_id)
    reported = [p for p in (await dues.for_period(svc.db, branch.id, current_period(svc, branch))).values()
                if p.status is DuesStatus.REPORTED]
    return [button("dues/todo_confirm", commands_cb.open_command(Command.DUES), count=len(reported))] if reported else []


FEATURE = Feature(name="dues", relevance={dues_cards.CARD: dues_cards.still_waiting},
                  digest_sections=(("dues_unpaid", _unpaid, Command.DUES),), todos=(_todos,))
