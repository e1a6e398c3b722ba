"""亮身份、亮职责、亮承诺 (seed 002): a member enters their responsibility post and this year's pledge once (/pledge),
an approver of the branch confirms it (never its author), `/me` and the evaluation register show it, and at the
yearly evaluation the secretary reviews how it was kept (践诺: kept / partly / not, with a line)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.callbacks import pledges as pledges_cb
from bot.domain.models import Member
from bot.domain.pledges import NOTE_MAX, Kept, Pledge, read_entry
from bot.domain.roles import APPROVER_ROLES
from bot.errors import UserError
from bot.outgoing import Outgoing, button
from bot.render import word
from bot.services import Services, membership, notify
from storage import branches, conversations, members, pledges

ENTRY_FORM = "pledge_entry"
REVIEW_FORM = "pledge_review"


async def _year(svc: Services, member: Member) -> int:
    branch = await branches.get(svc.db, member.branch_id)
    return svc.now().astimezone(ZoneInfo((branch.tz if branch else None) or svc.settings.tz)).year


async def current(svc: Services, telegram_id: int) -> Pledge | None:
    """The member's post and pledge this year (for /me and /pledge)."""
    member = await membership.active_member(svc, telegram_id)
    return await pledges.of_member(svc.db, member.id, await _year(svc, member))


async def begin(svc: Services, telegram_id: int) -> Pledge | None:
    """/pledge: this year's entry when confirmed; otherwise the member is asked for it (what they send next)."""
    member = await membership.active_member(svc, telegram_id)
    found = await pledges.of_member(svc.db, member.id, await _year(svc, member))
    if found is None or not found.confirmed:
        async with svc.db.write() as db:
            await conversations.save(db, telegram_id, ENTRY_FORM, "entry", {}, svc.now())
    return found


async def enter(svc: Services, telegram_id: int, text: str | None) -> Pledge:
    """The post (first line) and the pledge (the rest): kept, and the approvers get it to confirm."""
    member = await membership.active_member(svc, telegram_id)
    entry = read_entry(text or "")
    if entry is None:
        raise UserError("pledges/what.j2")
    year = await _year(svc, member)
    async with svc.db.write() as db:
        await pledges.enter(db, branch_id=member.branch_id, member_id=member.id, year=year, post=entry[0],
                            pledge=entry[1], now=svc.now())
        await conversations.clear(db, telegram_id)
        kept = await pledges.of_member(db, member.id, year)
        assert kept is not None
        if kept.confirmed:
            raise UserError("pledges/already_confirmed.j2")
        card = Outgoing(template="pledges/card.j2", params={"name": member.name, "year": year, "post": kept.post,
                                                            "pledge": kept.pledge},
                        buttons=[[button("pledges/confirm", pledges_cb.confirm(kept.id))]])
        for approver in await members.with_role(db, member.branch_id, APPROVER_ROLES):
            if approver.id != member.id and approver.is_active:
                await notify.to_member(svc, db, approver, card.model_copy(deep=True), kind="pledges.card")
    svc.wake_outbox()
    return kept


async def _decidable(svc: Services, telegram_id: int, pledge_id: int) -> tuple[Member, Pledge, Member]:
    """(approver, pledge, its member): an approver of the pledge's branch who is not its author."""
    pledge = await pledges.get(svc.db, pledge_id)
    if pledge is None:
        raise UserError("common/stale.j2")
    actor = await membership.approver(svc, telegram_id, pledge.branch_id)
    if actor.id == pledge.member_id:
        raise UserError("pledges/not_own.j2")
    member = await members.get(svc.db, pledge.member_id)
    assert member is not None
    return actor, pledge, member


@dataclass
class Shown:
    pledge: Pledge
    member: Member


async def confirm(svc: Services, telegram_id: int, pledge_id: int) -> Shown:
    """确认: the pledge stands for the year; the member is told."""
    actor, pledge, member = await _decidable(svc, telegram_id, pledge_id)
    async with svc.db.write() as db:
        if await pledges.confirm(db, pledge.id, actor.id, svc.now()):
            await notify.to_member(svc, db, member, Outgoing(template="pledges/confirmed_member.j2",
                                                             params={"post": pledge.post, "year": pledge.year}),
                                   kind="pledges.confirmed")
    svc.wake_outbox()
    return Shown(pledge, member)


async def to_review(svc: Services, telegram_id: int) -> list[Shown]:
    """/pledges: this year's confirmed pledges of the branch (the author's own left out), to review."""
    actor = await membership.approver(svc, telegram_id)
    found = await pledges.of_branch_year(svc.db, actor.branch_id, await _year(svc, actor))
    people = {m.id: m for m in await members.in_branch(svc.db, actor.branch_id)}
    return [Shown(p, people[p.member_id]) for p in found.values()
            if p.confirmed and p.member_id in people and p.member_id != actor.id]


async def ask_kept(svc: Services, telegram_id: int, pledge_id: int) -> Shown:
    _, pledge, member = await _decidable(svc, telegram_id, pledge_id)
    if not pledge.confirmed:
        raise UserError("common/stale.j2")
    return Shown(pledge, member)


async def choose_kept(svc: Services, telegram_id: int, pledge_id: int, kept: Kept) -> Shown:
    """践诺 chosen: a line saying why is asked for next."""
    shown = await ask_kept(svc, telegram_id, pledge_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, REVIEW_FORM, "note", {"pledge_id": pledge_id, "kept": kept.value},
                                 svc.now())
    return Shown(shown.pledge.model_copy(update={"kept": kept}), shown.member)


async def review(svc: Services, telegram_id: int, data: dict, text: str | None) -> Shown:
    """The line: the review is kept with the pledge."""
    actor, pledge, member = await _decidable(svc, telegram_id, int(data["pledge_id"]))
    note = (text or "").strip()
    if not note or len(note) > NOTE_MAX:
        raise UserError("pledges/note_what.j2", max=NOTE_MAX)
    async with svc.db.write() as db:
        await pledges.review(db, pledge.id, Kept(data["kept"]), note, actor.id, svc.now())
        await conversations.clear(db, telegram_id)
    reviewed = await pledges.get(svc.db, pledge.id)
    assert reviewed is not None
    return Shown(reviewed, member)


def register_line(pledge: Pledge | None) -> str:
    """A member's post, pledge and 践诺 as the evaluation register shows them."""
    if pledge is None or not pledge.confirmed:
        return ""
    return word("pledges/register_line", post=pledge.post, pledge=pledge.pledge,
                kept=pledge.kept.value if pledge.kept else "", note=pledge.kept_note or "")
