"""Peer evaluation (互评): each member grades every other member, one tap per person, anonymously.

The grader is known here only as the person asking; storage keeps an opaque ballot id, never the member.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import evaluation as rules
from bot.domain.evaluation import Campaign, Grade
from bot.domain.models import Member
from bot.errors import UserError
from bot.services import Services, membership
from bot.services.evaluation import campaign_for, own_ballot, tz_of
from storage import branches, conversations, evaluation, members

COMMENT_MAX = 100


@dataclass
class PeerView:
    me: Member
    campaign: Campaign
    tz: str
    others: list[Member]
    mine: dict[int, tuple[Grade, str | None]]
    accepting: bool

    @property
    def graded(self) -> int:
        return sum(1 for m in self.others if m.id in self.mine)

    def next_ungraded(self, after: int | None = None) -> Member | None:
        """The next person still to grade, going round the list from the one just graded."""
        ids = [m.id for m in self.others]
        start = ids.index(after) + 1 if after in ids else 0
        for member in self.others[start:] + self.others[:start]:
            if member.id not in self.mine:
                return member
        return None

    def subject(self, member_id: int) -> Member:
        found = next((m for m in self.others if m.id == member_id), None)
        if found is None:
            raise UserError("evaluation/peer_self.j2" if member_id == self.me.id else "common/stale.j2")
        return found


async def view(svc: Services, telegram_id: int, campaign_id: int | None = None) -> PeerView:
    """The caller's own grading sheet for the open campaign (or the one a button names)."""
    me = await membership.active_member(svc, telegram_id)
    campaign = await campaign_for(svc, me, campaign_id)
    if not campaign.is_open:
        raise UserError("evaluation/closed.j2", year=campaign.year)
    branch = await branches.get(svc.db, me.branch_id)
    others = [m for m in await members.in_branch(svc.db, me.branch_id) if m.id != me.id]
    return PeerView(me, campaign, tz_of(svc, branch), others, await own_ballot(svc, campaign, me.id),
                    rules.accepting(campaign.status, campaign.deadline, svc.now()))


async def _ballot(svc: Services, sheet: PeerView) -> str:
    salt = await evaluation.salt(svc.db, sheet.campaign.id)
    if salt is None:
        raise UserError("evaluation/closed.j2", year=sheet.campaign.year)
    return rules.ballot_of(salt, sheet.me.id)


async def grade(svc: Services, telegram_id: int, campaign_id: int, subject_id: int, grade_value: str) -> PeerView:
    """One tap: the caller's grade for one other member (a later tap before the deadline changes it)."""
    chosen = rules.parse_grade(grade_value)
    if chosen is None:
        raise UserError("common/stale.j2")
    sheet = await view(svc, telegram_id, campaign_id)
    subject = sheet.subject(subject_id)
    if not sheet.accepting:
        raise UserError("evaluation/deadline_passed.j2", deadline=rules.when(sheet.campaign.deadline, sheet.tz))
    ballot = await _ballot(svc, sheet)
    async with svc.db.write() as db:
        await evaluation.set_peer_grade(db, sheet.campaign.id, ballot, subject.id, chosen)
    # No audit entry: an audit row naming the grader would undo the anonymity.
    return await view(svc, telegram_id, campaign_id)


async def begin_comment(svc: Services, telegram_id: int, campaign_id: int, subject_id: int) -> Member:
    sheet = await view(svc, telegram_id, campaign_id)
    subject = sheet.subject(subject_id)
    if not sheet.accepting:
        raise UserError("evaluation/deadline_passed.j2", deadline=rules.when(sheet.campaign.deadline, sheet.tz))
    if subject.id not in sheet.mine:
        raise UserError("evaluation/comment_needs_grade.j2")
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, "peer_comment", "comment",
                                 {"campaign_id": sheet.campaign.id, "subject_id": subject.id}, svc.now())
    return subject


async def save_comment(svc: Services, telegram_id: int, data: dict, text: str | None) -> PeerView:
    comment = (text or "").strip()
    if not comment:
        raise UserError("evaluation/comment_empty.j2")
    if len(comment) > COMMENT_MAX:
        raise UserError("common/too_long.j2", field="peer_comment", max=COMMENT_MAX, length=len(comment))
    sheet = await view(svc, telegram_id, int(data["campaign_id"]))
    subject = sheet.subject(int(data["subject_id"]))
    if not sheet.accepting:
        async with svc.db.write() as db:
            await conversations.clear(db, telegram_id)
        raise UserError("evaluation/deadline_passed.j2", deadline=rules.when(sheet.campaign.deadline, sheet.tz))
    ballot = await _ballot(svc, sheet)
    async with svc.db.write() as db:
        if not await evaluation.set_peer_comment(db, sheet.campaign.id, ballot, subject.id, comment):
            raise UserError("evaluation/comment_needs_grade.j2")
        await conversations.clear(db, telegram_id)
    return await view(svc, telegram_id, sheet.campaign.id)
