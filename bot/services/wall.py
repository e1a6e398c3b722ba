"""The branch's side of the 民心墙 (党小组派单, 在职党员接单): the wall's link for the dispatcher, 派单 to a member of
the branch, the member's 接单 and report — drafted and handed in like everything handed in (bot/services/drafts.py),
accepted by the dispatcher (the review mechanism, never by its author) — after which the resident is asked to rate
it (bot/services/wall_orders.py). The resident's details are erased a set time after an order closes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.callbacks import wall as wall_cb
from bot.domain.models import Member
from bot.domain.review import Decision, Submission
from bot.domain.wall import OrderStatus, Rating, WallOrder, erase_before
from bot.errors import UserError
from bot.features import Feature
from bot.keys import wall as wall_keys
from bot.outgoing import Attachment, Outgoing, button
from bot.services import Services, community_service, drafts, membership, notify, wall_board
from bot.services.drafts import DraftKind
from bot.services.review import ReviewKind
from bot.services.reviewers import Reviewer, Route, of_member
from storage import branches, marks, members, outbox, pledges, submissions
from storage import wall as store
from storage.connection import Conn

REPORT = "wall_report"
REPORT_MAX = 2000
REPORT_PHOTOS = 9
CHOICES_MAX = 90  # members offered as buttons (Telegram: ≤ 100 a keyboard)


async def wall_of(svc: Services, telegram_id: int) -> tuple[str, str, list[WallOrder]]:
    """/wall for a dispatcher: the branch's name, its wall's link (made on first use), the orders waiting."""
    actor = await wall_board.dispatcher(svc, telegram_id)
    async with svc.db.write() as db:
        if await store.wall_code(db, actor.branch_id) is None:
            await store.create_wall(db, actor.branch_id, wall_board.new_code(), svc.now())
        code = await store.wall_code(db, actor.branch_id)
    branch = await branches.get(svc.db, actor.branch_id)
    assert branch is not None and code is not None
    waiting = [o for o in await store.of_branch(svc.db, actor.branch_id, limit=50) if o.status is OrderStatus.OPEN]
    return branch.name, wall_board.link(svc, code), waiting


async def my_work(svc: Services, telegram_id: int) -> list[WallOrder]:
    """/wall for a member: the orders dispatched to them still to take or to report on (none for a non-member)."""
    me = await members.by_telegram_id(svc.db, telegram_id)
    return await store.of_member(svc.db, me.id) if me is not None and me.is_active else []


async def _order(svc: Services, order_id: int, status: OrderStatus, round_: int | None = None) -> WallOrder:
    order = await store.get(svc.db, order_id)
    if order is None or order.status is not status or (round_ is not None and order.round != round_):
        raise UserError("wall/moved_on.j2")
    return order


@dataclass
class Choices:
    """派单's list: the branch's members and the members of other branches confirmed at it (在职党员到社区报到),
    each with their posts — the branch's members their 责任岗 (亮承诺), the others the posts they claimed — so the
    dispatcher can match the order to a post or a skill."""

    order: WallOrder
    people: list[Member]
    posts: dict[int, list[str]]


async def choices(svc: Services, telegram_id: int, order_id: int) -> Choices:
    """派单: the members the order may go to (not the resident, should they be a member)."""
    order = await store.get(svc.db, order_id)
    if order is None:
        raise UserError("common/stale.j2")
    await wall_board.dispatcher(svc, telegram_id, order.branch_id)
    order = await _order(svc, order_id, OrderStatus.OPEN)
    own = await members.in_branch(svc.db, order.branch_id)
    branch = await branches.get(svc.db, order.branch_id)
    year = svc.now().astimezone(ZoneInfo((branch.tz if branch else None) or svc.settings.tz)).year
    posts = {p.member_id: [p.post] for p in (await pledges.of_branch_year(svc.db, order.branch_id, year)).values()
             if p.confirmed}
    serving = await community_service.servers(svc, order.branch_id)
    posts.update({m.id: claimed for m, claimed in serving if claimed})
    people = [m for m in [*own, *(m for m, _ in serving)]
              if m.telegram_id is not None and m.telegram_id != order.resident_chat]
    return Choices(order, people[:CHOICES_MAX], posts)


@dataclass
class Assigned:
    order: WallOrder
    member: Member


async def assign(svc: Services, telegram_id: int, order_id: int, round_: int, member_id: int) -> Assigned:
    """The order goes to the member: they get its card (the resident's details) with 接单; the resident and the
    group's board hear who took it on."""
    order = await store.get(svc.db, order_id)
    if order is None:
        raise UserError("common/stale.j2")
    actor = await wall_board.dispatcher(svc, telegram_id, order.branch_id)
    order = await _order(svc, order_id, OrderStatus.OPEN, round_)
    member = await members.get(svc.db, member_id)
    if member is None or not member.is_active or member.telegram_id in (None, order.resident_chat) \
            or (member.branch_id != order.branch_id
                and not await community_service.serves_at(svc, member.id, order.branch_id)):
        raise UserError("common/stale.j2")
    now = svc.now()
    async with svc.db.write() as db:
        await store.set_status(db, order.id, OrderStatus.DISPATCHED, now, dispatched=True, member_id=member.id,
                               dispatcher_id=actor.id)
        await outbox.cancel_prefix(db, wall_keys.every.scope(order.id), now)
        assigned = await store.get(db, order.id)
        assert assigned is not None
        card = await wall_board.order_card(db, assigned, "wall/assigned.j2", dispatcher=actor.name)
        card.buttons = [[button("wall/take", wall_cb.take(order.id, assigned.round))]]
        await notify.to_member(svc, db, member, card, kind="wall.assigned")
        await wall_board.to_resident(svc, db, assigned, Outgoing(template="wall/resident_news.j2", params={
            "number": order.id, "status": OrderStatus.DISPATCHED.value, "member": member.name}))
        await wall_board.post_board(svc, db, assigned)
    svc.wake_outbox()
    return Assigned(assigned, member)


async def _assigned_to(svc: Services, telegram_id: int, order_id: int, status: OrderStatus,
                       round_: int) -> tuple[Member, WallOrder]:
    """The presser as the member the order was dispatched to (only they may take it and report on it)."""
    me = await membership.active_member(svc, telegram_id)
    order = await store.get(svc.db, order_id)
    if order is None or order.member_id != me.id:
        raise UserError("wall/not_yours.j2")
    return me, await _order(svc, order_id, status, round_)


async def take(svc: Services, telegram_id: int, order_id: int, round_: int) -> WallOrder:
    """接单: the member takes the order on; the resident hears it."""
    me, order = await _assigned_to(svc, telegram_id, order_id, OrderStatus.DISPATCHED, round_)
    async with svc.db.write() as db:
        await store.set_status(db, order.id, OrderStatus.TAKEN, svc.now())
        await wall_board.to_resident(svc, db, order, Outgoing(template="wall/resident_news.j2", params={
            "number": order.id, "status": OrderStatus.TAKEN.value, "member": me.name}))
        await wall_board.post_board(svc, db, order.model_copy(update={"status": OrderStatus.TAKEN}))
    svc.wake_outbox()
    return order


async def start_report(svc: Services, telegram_id: int, order_id: int, round_: int) -> drafts.Draft:
    """报告办理情况: the member's report of this round, a draft (text and photos) until they hand it in."""
    await _assigned_to(svc, telegram_id, order_id, OrderStatus.TAKEN, round_)
    return await drafts.start(svc, DRAFT, telegram_id, ref=wall_keys.report_ref(order_id, round_),
                              content={"order": order_id, "round": round_})


def _order_of(submission: Submission) -> tuple[int, int]:
    found = wall_keys.report_ref.parse(submission.ref)
    if found is None:
        raise UserError("common/stale.j2")
    return found.order, found.round


@dataclass(frozen=True)
class Dispatchers:
    """The report goes to whoever dispatched the order; any dispatcher of the branch may accept it — but not the
    member who wrote it (nobody decides their own case)."""

    async def route(self, svc: Services, db: Conn, submission: Submission) -> Route:
        """The dispatchers are the usual deciders of a report: its card needs no reason why it came."""
        return Route(reviewers=await self.reviewers(svc, db, submission))

    async def reviewers(self, svc: Services, db: Conn, submission: Submission) -> list[Reviewer]:
        order = await store.get(db, _order_of(submission)[0])
        if order is None:
            return []
        everyone = [m for m in await wall_board.dispatchers(db, order.branch_id) if m.id != submission.author_id]
        chosen = [m for m in everyone if m.id == order.dispatcher_id]
        return [of_member(m) for m in chosen or everyone]

    async def authorise(self, svc: Services, telegram_id: int, submission: Submission) -> Reviewer:
        """A dispatcher of the order's branch (a member reporting to the community hands in under their own)."""
        order = await store.get(svc.db, _order_of(submission)[0])
        actor = await wall_board.dispatcher(svc, telegram_id, order.branch_id if order else -1)
        if actor.id == submission.author_id:
            raise UserError("common/not_allowed.j2")
        return of_member(actor)

    async def waiting(self, svc: Services, telegram_id: int, kinds: Sequence[str]) -> list[Submission] | None:
        try:
            actor = await wall_board.dispatcher(svc, telegram_id)
        except UserError:
            return None
        if REPORT not in kinds:
            return []
        # Reports on the branch's orders, by its members or by members of other branches (社区报到): a report of
        # this branch's member on a community's order is the community's to accept, not this branch's.
        found = [await submissions.get(svc.db, i) for i in await store.reports_waiting(svc.db, actor.branch_id)]
        return [s for s in found if s is not None and s.author_id != actor.id]


async def _decided(svc: Services, db: Conn, submission: Submission, decision: Decision) -> None:
    """Accepted: the resident gets the member's report and the three rating buttons. Rejected: the order goes back
    to the dispatchers for another round. Returned: the member goes on with the draft."""
    order_id, round_ = _order_of(submission)
    order = await store.get(db, order_id)
    if order is None or order.status is not OrderStatus.TAKEN or order.round != round_:
        return
    now = svc.now()
    if decision is Decision.APPROVE:
        await store.set_status(db, order.id, OrderStatus.REPORTED, now)
        files = await submissions.files(db, submission.id)
        member = await members.get(db, submission.author_id)
        await wall_board.to_resident(svc, db, order, Outgoing(
            template="wall/rate.j2", params={"number": order.id, "member": member.name if member else "",
                                             "text": submission.content.get("text") or ""},
            attachments=[Attachment(file_id=f.file_id) for f in files if f.file_kind == "photo"],
            album_template="wall/album_caption.j2",
            buttons=[[button("wall/rate", wall_cb.rate(order.id, round_, r), rating=r.value) for r in Rating]]))
        await wall_board.post_board(svc, db, order.model_copy(update={"status": OrderStatus.REPORTED}))
    elif decision is Decision.REJECT:
        await store.set_status(db, order.id, OrderStatus.OPEN, now, submitted=True, round=order.round + 1,
                               member_id=None)
        reopened = await store.get(db, order.id)
        assert reopened is not None
        await wall_board.to_dispatchers(svc, db, reopened)
        await wall_board.plan_dispatch(svc, db, reopened, now)


DRAFT = DraftKind(kind=REPORT, text_max=REPORT_MAX, files_max=REPORT_PHOTOS, documents=False, ask="wall/report_ask.j2")


async def erase(svc: Services, now: datetime) -> None:
    """Tick, once a day: the resident's details of orders closed longer ago than the setting are erased."""
    mark = wall_keys.erased(now.date())
    if not await marks.missing(svc.db, [mark]):
        return
    async with svc.db.write() as db:
        if await marks.claim(db, mark, now):
            await store.erase_closed_before(db, erase_before(now, svc.settings.wall_keep_days), now)


FEATURE = Feature(
    name="wall",
    ticks=(erase,),
    relevance={wall_board.REMIND: wall_board.still_open, wall_board.OVERDUE: wall_board.still_open},
    review_kinds=(ReviewKind(kind=REPORT, card_template="wall/report_card.j2", audience=Dispatchers(),
                             on_decided=_decided, fix_hint="/wall"),),
    drafts=(DRAFT,),
)
