"""Democratic evaluation campaigns: open, extend, reminders to the unfinished, a member's own status.

Self-evaluation lives in bot/services/selfeval.py (a ReviewKind), peer grading in bot/services/peereval.py,
results, final grades and closing in bot/services/evaluation_results.py.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.callbacks import peereval as peereval_cb
from bot.callbacks import selfeval as selfeval_cb
from bot.callbacks.commands import Command
from bot.domain import evaluation as rules
from bot.domain.evaluation import Campaign, Grade
from bot.domain.models import Branch, Member
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.review import SubmissionStatus
from bot.errors import UserError
from bot.features import Feature, ForBranches
from bot.keys import evaluation as evaluation_keys
from bot.keys import refs
from bot.outgoing import Button, Outgoing, button
from bot.services import Services, community_hours, membership, notify, policy
from bot.services.digest import line as digest_line
from storage import audit, branches, evaluation, members, outbox, submissions
from storage.connection import Conn

SELFEVAL_KIND = "selfeval"
DEADLINE_CHOICES = (7, 14, 30)
EXTEND_CHOICES = (3, 7)
DONE_SELFEVAL = frozenset({SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED})




def tz_of(svc: Services, branch: Branch) -> str:
    return branch.tz or svc.settings.tz


def member_buttons(campaign_id: int) -> list[list[Button]]:
    return [[button("evaluation/write_self", selfeval_cb.start(campaign_id)),
             button("evaluation/go_peer", peereval_cb.open_sheet(campaign_id))]]


async def campaign_of_branch(svc: Services, campaign_id: int, branch_id: int) -> Campaign:
    """The campaign named by a button, if it belongs to this branch; anything else is a stale button."""
    campaign = await evaluation.get(svc.db, campaign_id)
    if campaign is None or campaign.branch_id != branch_id:
        raise UserError("common/stale.j2")
    return campaign


async def campaign_for(svc: Services, member: Member, campaign_id: int | None) -> Campaign:
    """The campaign a member's /selfeval or /peereval is about: the one a button names (of their own branch),
    else their branch's open one."""
    if campaign_id is not None:
        return await campaign_of_branch(svc, campaign_id, member.branch_id)
    campaign = await evaluation.open_for_branch(svc.db, member.branch_id)
    if campaign is None:
        raise UserError("evaluation/no_campaign.j2")
    return campaign


async def open_campaign_of_branch(svc: Services, campaign_id: int, branch_id: int) -> Campaign:
    campaign = await campaign_of_branch(svc, campaign_id, branch_id)
    if not campaign.is_open:
        raise UserError("evaluation/closed.j2", year=campaign.year)
    return campaign


# --- the secretary's panel ---------------------------------------------------------------------------------------

@dataclass
class Progress:
    participants: int
    selfeval_submitted: int
    selfeval_approved: int
    peer_finished: int


@dataclass
class Panel:
    actor: Member
    branch: Branch
    tz: str
    year: int
    campaign: Campaign | None
    progress: Progress | None = None
    accepting: bool = False


async def progress(svc: Services, campaign: Campaign) -> Progress:
    active = await members.in_branch(svc.db, campaign.branch_id)
    ids = {m.id for m in active}
    handed = await submissions.for_ref(svc.db, SELFEVAL_KIND, refs.evaluation(campaign.id))
    drafts = [s for s in handed if s.author_id in ids]
    return Progress(
        participants=len(active),
        selfeval_submitted=sum(1 for s in drafts if s.status in DONE_SELFEVAL),
        selfeval_approved=sum(1 for s in drafts if s.status is SubmissionStatus.APPROVED),
        peer_finished=await evaluation.finished_ballots(svc.db, campaign.id, sorted(ids)),
    )


async def panel(svc: Services, telegram_id: int) -> Panel:
    """/evaluation for the secretary: the open campaign's progress, or the offer to open this year's."""
    actor = await membership.approver(svc, telegram_id)
    branch = await branches.get(svc.db, actor.branch_id)
    tz = tz_of(svc, branch)
    now = svc.now()
    year = rules.campaign_year(now, tz)
    campaign = await evaluation.open_for_branch(svc.db, branch.id) or await evaluation.for_year(svc.db, branch.id, year)
    # The panel shows the settings in force (the 优秀 share its units allow), not only what the branch stored.
    branch = branch.model_copy(update={"settings": await policy.settings_of(svc.db, branch)})
    view = Panel(actor, branch, tz, year, campaign)
    if campaign is not None:
        view.progress = await progress(svc, campaign)
        view.accepting = rules.accepting(campaign.status, campaign.deadline, now)
    return view


async def open_campaign(svc: Services, telegram_id: int, days: int) -> Campaign:
    """Open this year's campaign with a deadline `days` away; every other active member is told, privately."""
    if days not in DEADLINE_CHOICES:
        raise UserError("common/stale.j2")
    actor = await membership.approver(svc, telegram_id)
    branch = await branches.get(svc.db, actor.branch_id)
    tz, now = tz_of(svc, branch), svc.now()
    year = rules.campaign_year(now, tz)
    deadline = rules.deadline_after(now, tz, days)
    async with svc.db.write() as db:
        if await evaluation.open_for_branch(db, branch.id) is not None:
            raise UserError("evaluation/already_open.j2")
        campaign = await evaluation.create(db, branch.id, year, deadline, secrets.token_hex(16), actor.id, now)
        if campaign is None:
            raise UserError("evaluation/year_done.j2", year=year)
        await audit.record(db, now=now, action="evaluation.open", branch_id=branch.id, actor_id=actor.id,
                           subject=refs.evaluation(campaign.id), year=year, deadline=deadline.isoformat())
        message = Outgoing(template="evaluation/opened.j2",
                           params={"branch": branch.name, "year": year, "deadline": rules.when(deadline, tz)},
                           buttons=member_buttons(campaign.id))
        for member in await members.in_branch(db, branch.id):
            if member.id != actor.id:
                await notify.to_member(svc, db, member, message, kind="evaluation.opened",
                                       key=evaluation_keys.opened(campaign.id, member.id))
        await _plan_reminders(svc, db, campaign, now)
    svc.wake_outbox()
    return campaign


async def extend(svc: Services, telegram_id: int, campaign_id: int, days: int) -> Campaign:
    """A later deadline: members are told, reminders re-planned for the new date."""
    if days not in EXTEND_CHOICES:
        raise UserError("common/stale.j2")
    actor = await membership.approver(svc, telegram_id)
    campaign = await open_campaign_of_branch(svc, campaign_id, actor.branch_id)
    branch = await branches.get(svc.db, actor.branch_id)
    tz, now = tz_of(svc, branch), svc.now()
    deadline = rules.extended_deadline(campaign.deadline, now, tz, days)
    async with svc.db.write() as db:
        await evaluation.set_deadline(db, campaign.id, deadline)
        updated = await evaluation.get(db, campaign.id)
        await audit.record(db, now=now, action="evaluation.extend", branch_id=branch.id, actor_id=actor.id,
                           subject=refs.evaluation(campaign.id), old=campaign.deadline.isoformat(),
                           new=deadline.isoformat())
        message = Outgoing(template="evaluation/extended.j2",
                           params={"year": campaign.year, "deadline": rules.when(deadline, tz)},
                           buttons=member_buttons(campaign.id))
        for member in await members.in_branch(db, branch.id):
            if member.id != actor.id:
                await notify.to_member(svc, db, member, message, kind="evaluation.extended",
                                       key=evaluation_keys.extended(campaign.id, now, member.id))
        await _plan_reminders(svc, db, updated, now)
    svc.wake_outbox()
    return updated


async def own_ballot(svc: Services, campaign: Campaign, member_id: int) -> dict[int, tuple[Grade, str | None]]:
    """What this member has given so far (only ever called for the person asking, or for their own reminder)."""
    salt = await evaluation.salt(svc.db, campaign.id)
    if salt is None:  # closed: the link is gone
        return {}
    return await evaluation.own_ballot(svc.db, campaign.id, rules.ballot_of(salt, member_id))


async def own_progress(svc: Services, campaign: Campaign, member_id: int) -> tuple[int, int]:
    """(graded, to grade) for one member: everyone active in the branch but themselves."""
    others = [m.id for m in await members.in_branch(svc.db, campaign.branch_id) if m.id != member_id]
    mine = await own_ballot(svc, campaign, member_id)
    return sum(1 for m in others if m in mine), len(others)


# --- reminders ---------------------------------------------------------------------------------------------------


def wanted_reminders(campaign: Campaign, recipients: list[Member], tz: str, now: datetime) -> list[Planned]:
    """Every deadline reminder the campaign needs now: 3 and 1 days before the deadline, per reachable member, one
    for the self-evaluation and one for peer grading; moments already past are left out; none once it is closed.

    Each expires a day after it is due: a "3 days left" sent late (the bot was down) would mislead.
    The deadline is part of the key: after an extension the old keys are no longer wanted.
    """
    if not campaign.is_open:
        return []
    wanted = []
    for days, due in rules.reminder_times(campaign.deadline, tz, now):
        for member in recipients:
            if member.telegram_id is None or not member.reachable:
                continue
            for what in ("self", "peer"):
                payload = Outgoing(template=f"evaluation/remind_{what}.j2",
                                   params={"year": campaign.year, "deadline": rules.when(campaign.deadline, tz), "days": days},
                                   buttons=[[member_buttons(campaign.id)[0][0 if what == "self" else 1]]])
                wanted.append(Planned(
                    key=evaluation_keys.reminder(campaign.id, campaign.deadline, days, what, member.id),
                    chat_id=member.telegram_id, kind=f"evaluation.remind.{what}", payload=payload, due_at=due,
                    expires_at=min(due + timedelta(days=1), campaign.deadline), branch_id=campaign.branch_id, member_id=member.id))
    return wanted


async def reminders_wanted(svc: Services, db: Conn, campaign: Campaign, now: datetime) -> list[Planned]:
    """The campaign's reminders as its current state (members, deadline, status) needs them."""
    branch = await branches.get(db, campaign.branch_id)
    return wanted_reminders(campaign, await members.in_branch(db, campaign.branch_id), tz_of(svc, branch), now)


async def _plan_reminders(svc: Services, db: Conn, campaign: Campaign, now: datetime) -> None:
    """The whole campaign's reminders converge on what it needs now (a newcomer's catch-up keeps everyone's)."""
    await outbox.converge(db, evaluation_keys.reminder.scope(campaign.id),
                          await reminders_wanted(svc, db, campaign, now), now)


async def _current_campaign_for_row(svc: Services, row: OutboxRow, now: datetime) -> Campaign | None:
    """The row's campaign if it is still open at the deadline the reminder was planned for."""
    key = evaluation_keys.reminder.read(row.key)
    campaign = await evaluation.get(svc.db, key.campaign)
    if campaign is None or row.member_id is None or not rules.accepting(campaign.status, campaign.deadline, now):
        return None
    if row.key != evaluation_keys.reminder(**{**key._asdict(), "deadline": campaign.deadline}):
        return None  # planned for an earlier deadline
    member = await members.get(svc.db, row.member_id)
    return campaign if member is not None and member.is_active else None


async def _selfeval_missing(svc: Services, row: OutboxRow, now: datetime) -> bool:
    campaign = await _current_campaign_for_row(svc, row, now)
    if campaign is None:
        return False
    mine = await submissions.find(svc.db, SELFEVAL_KIND, refs.evaluation(campaign.id), row.member_id)
    return mine is None or mine.status not in DONE_SELFEVAL


async def _peer_unfinished(svc: Services, row: OutboxRow, now: datetime) -> bool:
    campaign = await _current_campaign_for_row(svc, row, now)
    if campaign is None:
        return False
    graded, others = await own_progress(svc, campaign, row.member_id)
    return not rules.peer_finished(graded, others)


async def _digest_lines(svc: Services, batch: Sequence[Branch], now: datetime) -> dict[int, list[str]]:
    """The secretary's daily digest: how far the open campaign has got (counts only)."""
    by_id = {b.id: b for b in batch}
    return {branch_id: [digest_line("evaluation_state", year=campaign.year, closed=now > campaign.deadline,
                                    deadline=rules.when(campaign.deadline, tz_of(svc, by_id[branch_id]))),
                        digest_line("evaluation_progress", done=await progress(svc, campaign))]
            for branch_id, campaign in (await evaluation.open_in(svc.db, list(by_id))).items()}


# --- a member's own view -----------------------------------------------------------------------------------------

@dataclass
class OwnStatus:
    campaign: Campaign | None
    tz: str
    selfeval_status: SubmissionStatus | None = None
    graded: int = 0
    others: int = 0
    final_grade: Grade | None = None
    accepting: bool = False
    service: str = ""  # the year's community service the communities confirmed (在职党员到社区报到)


async def own_status(svc: Services, telegram_id: int) -> OwnStatus:
    """/evaluation for a member: their campaign, their self-evaluation, their progress, and (after close) their grade."""
    member = await membership.active_member(svc, telegram_id)
    branch = await branches.get(svc.db, member.branch_id)
    tz = tz_of(svc, branch)
    campaign = await evaluation.open_for_branch(svc.db, branch.id) or await evaluation.latest(svc.db, branch.id)
    status = OwnStatus(campaign, tz)
    if campaign is None:
        return status
    mine = await submissions.find(svc.db, SELFEVAL_KIND, refs.evaluation(campaign.id), member.id)
    status.selfeval_status = mine.status if mine else None
    status.accepting = rules.accepting(campaign.status, campaign.deadline, svc.now())
    status.service = community_hours.register_line(await community_hours.year_total(svc.db, member.id, campaign.year))
    if campaign.is_open:
        status.graded, status.others = await own_progress(svc, campaign, member.id)
    else:
        result = (await evaluation.results(svc.db, campaign.id)).get(member.id)
        status.final_grade = result.final_grade if result else None
    return status


async def _catch_up_new_member(svc: Services, db: Conn, member: Member, now: datetime) -> None:
    """Someone joined while an evaluation is open: they get the opening notice and the deadline reminders."""
    campaign = await evaluation.open_for_branch(db, member.branch_id)
    if campaign is None:
        return
    branch = await branches.get(db, member.branch_id)
    tz = tz_of(svc, branch)
    message = Outgoing(template="evaluation/opened.j2",
                       params={"branch": branch.name, "year": campaign.year,
                               "deadline": rules.when(campaign.deadline, tz)},
                       buttons=member_buttons(campaign.id))
    await notify.to_member(svc, db, member, message, kind="evaluation.opened",
                           key=evaluation_keys.opened(campaign.id, member.id))
    await _plan_reminders(svc, db, campaign, now)


async def _todos(svc: Services, member: Member, now: datetime) -> list[Button]:
    """While the evaluation takes answers: the self-evaluation to write (or revise), the peers still to grade."""
    campaign = await evaluation.open_for_branch(svc.db, member.branch_id)
    if campaign is None or not rules.accepting(campaign.status, campaign.deadline, now):
        return []
    found = []
    mine = await submissions.find(svc.db, SELFEVAL_KIND, refs.evaluation(campaign.id), member.id)
    if mine is None or mine.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        found.append(button("evaluation/todo_self", selfeval_cb.start(campaign.id),
                            returned=mine is not None and mine.status is SubmissionStatus.RETURNED))
    graded, others = await own_progress(svc, campaign, member.id)
    if graded < others:
        found.append(button("evaluation/todo_peer", peereval_cb.open_sheet(campaign.id), graded=graded, others=others))
    return found


FEATURE = Feature(
    name="evaluation",
    relevance={"evaluation.remind.self": _selfeval_missing, "evaluation.remind.peer": _peer_unfinished},
    digest_sections=(("evaluation", ForBranches(_digest_lines), Command.EVALUATION),),
    join_hooks=(_catch_up_new_member,),
    todos=(_todos,),
)
