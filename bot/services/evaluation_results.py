"""Democratic evaluation results: per-member overview, final grades and remarks, the branch's checks, closing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from bot.callbacks import evaluation as evaluation_cb
from bot.domain import cadence
from bot.domain import evaluation as rules
from bot.domain import policy as rules_policy
from bot.domain.evaluation import Campaign, Grade
from bot.domain.models import Branch, Member
from bot.domain.review import SubmissionStatus
from bot.domain.roles import APPROVER_ROLES, COMMITTEE_ROLES
from bot.errors import UserError
from bot.keys import evaluation as evaluation_keys
from bot.keys import refs
from bot.outgoing import Button, Outgoing, button
from bot.render import word
from bot.services import Services, community_hours, filing, followups, membership, notify, policy, quiz, reviewers
from bot.services.evaluation import (
    SELFEVAL_KIND,
    campaign_of_branch,
    open_campaign_of_branch,
    tz_of,
)
from bot.services.pledges import register_line as pledge_line
from bot.services.stars import register_line
from storage import (
    audit,
    branches,
    conversations,
    evaluation,
    members,
    outbox,
    submissions,
    talks,
)
from storage import pledges as member_pledges
from storage import quiz as quiz_store
from storage import stars as member_stars
from storage import study_notes as study_store

REMARK_MAX = 300


# --- results and final grades ------------------------------------------------------------------------------------

@dataclass
class Row:
    member: Member
    self_grade: Grade | None
    selfeval_status: SubmissionStatus | None
    peer: Counter[Grade]
    final_grade: Grade | None
    remark: str | None
    party_spirit: date | None = None  # the member's last 党性分析
    peer_shown: bool = True  # the tally may be shown (rules.peer_tally_shown): else only how many have voted
    pledge: str = ""  # the post, pledge and 践诺 (亮承诺)
    stars: tuple[str, ...] = ()  # the year's deeds that earned a star, with their evidence (一事一评星)
    tests: tuple[str, ...] = ()  # the year's 学习测试, one line a quarter
    service: str = ""  # the year's community service the communities confirmed (在职党员到社区报到)
    study: str = ""  # the year's 专题学习: attended of those asked, made up, 学习心得 handed in

    @property
    def votes(self) -> int:
        return sum(self.peer.values())

    @property
    def ungraded(self) -> bool:
        return self.final_grade is None and self.member.is_active


@dataclass
class Results:
    campaign: Campaign
    branch: Branch
    tz: str
    rows: list[Row]
    excellent: rules.ExcellentWarning | None = None
    unqualified_no_reason: list[str] = field(default_factory=list)
    ungraded: list[str] = field(default_factory=list)
    grader: int | None = None  # the member viewing them, when a branch approver (bot/services/reviewers.py)

    @property
    def rest(self) -> list[Row]:
        """Who 其余全部合格 grades: every member still without a final grade but the grader, whose grade is set by
        the rest of the committee or the unit above."""
        return [r for r in self.rows if r.ungraded and r.member.id != self.grader]


async def compile_results(svc: Services, campaign: Campaign) -> Results:
    """Per member: self-grade, self-evaluation status, peer counts, final grade — and the branch's checks."""
    async with svc.db.read() as db:  # one snapshot: grades, self-evaluations and peer counts agree
        branch = await branches.get(db, campaign.branch_id)
        active = await members.in_branch(db, campaign.branch_id)
        decided = await evaluation.results(db, campaign.id)
        # Members who left after being graded stay on the record.
        extra = [m for mid in decided if mid not in {a.id for a in active} if (m := await members.get(db, mid))]
        people = active + extra
        own = {s.author_id: s for s in await submissions.for_ref(db, SELFEVAL_KIND, refs.evaluation(campaign.id))}
        counts = await evaluation.peer_counts(db, campaign.id)
        analysed = await talks.last_party_spirit(db, [m.id for m in people])
        starred = await member_stars.of_branch_year(db, campaign.branch_id, campaign.year)
        pledged = await member_pledges.of_branch_year(db, campaign.branch_id, campaign.year)
        tested = await quiz_store.of_year(db, campaign.branch_id, campaign.year)
        served = await community_hours.year_totals(db, [m.id for m in people], campaign.year)
        year = cadence.whole_year(campaign.year)  # the year's sessions, from local midnight to local midnight
        studied = await study_store.year_attendance(db, campaign.branch_id, cadence.local_midnight(
            year.start, tz_of(svc, branch)), cadence.local_midnight(year.end, tz_of(svc, branch)))
    rows = []
    for member in people:
        submission = own.get(member.id)
        result = decided.get(member.id)
        rows.append(Row(
            member=member,
            self_grade=rules.parse_grade(submission.content.get("grade") or "") if submission else None,
            selfeval_status=submission.status if submission else None,
            peer=counts.get(member.id, Counter()),
            final_grade=result.final_grade if result else None,
            remark=result.remark if result else None,
            party_spirit=analysed.get(member.id),
            peer_shown=rules.peer_tally_shown(sum(counts.get(member.id, Counter()).values()), campaign.is_open),
            pledge=pledge_line(pledged.get(member.id)),
            stars=tuple(register_line(star) for star in starred.get(member.id, [])),
            tests=tuple(quiz.register_line(*test) for test in tested.get(member.id, [])),
            service=community_hours.register_line(served[member.id]),
            study=word("study_notes/register_line", **dict(zip(("asked", "present", "made_up", "notes"),
                                                                  studied.get(member.id, (0, 0, 0, 0)), strict=True))),
        ))
    finals = {r.member.id: (r.final_grade, r.remark) for r in rows}
    names = {r.member.id: r.member.name for r in rows}
    return Results(
        campaign=campaign, branch=branch, tz=tz_of(svc, branch), rows=rows,
        excellent=rules.excellent_over_limit([r.final_grade for r in rows], len(rows),
                                             (await policy.settings_of(svc.db, branch)).evaluation_excellent_max_pct),
        unqualified_no_reason=[names[m] for m in rules.unqualified_without_reason(finals)],
        ungraded=[names[m] for m in rules.without_final_grade([r.member.id for r in rows], finals)],
    )


async def results_for(svc: Services, telegram_id: int, campaign_id: int) -> Results:
    actor = await membership.approver(svc, telegram_id)
    campaign = await campaign_of_branch(svc, campaign_id, actor.branch_id)
    found = await compile_results(svc, campaign)
    found.grader = actor.id
    return found


@dataclass
class MemberCard:
    results: Results
    row: Row
    comments: list[str]
    may_grade: bool = True  # False on the grader's own card: their grade is set by others
    panel: bool = True  # the viewer has the results list to go back to (a branch approver)


def _roles_for(member: Member) -> frozenset:
    """Who grades a member: the approvers; an approver's own grade the rest of the committee (or the unit above)."""
    return COMMITTEE_ROLES if member.is_approver else APPROVER_ROLES


async def grade_route(svc: Services, member: Member) -> reviewers.Route:
    return await reviewers.deciders(svc, svc.db, member.branch_id, member, _roles_for(member))


async def _grader(svc: Services, telegram_id: int, campaign_id: int, member_id: int,
                  open_only: bool = True) -> tuple[reviewers.Reviewer, Campaign, Member]:
    """(who grades, the campaign, whose grade) when the presser may set this member's final grade: never their
    own (bot/services/reviewers.py), whatever the button said."""
    member = await members.get(svc.db, member_id)
    if member is None:
        raise UserError("common/stale.j2")
    find = open_campaign_of_branch if open_only else campaign_of_branch
    campaign = await find(svc, campaign_id, member.branch_id)
    actor = await reviewers.authorise_in(await grade_route(svc, member), member, telegram_id)
    return actor, campaign, member


def _by(actor: reviewers.Reviewer, branch_id: int) -> tuple[int | None, dict]:
    """The deciding member for the record, or the officer's id and name for the audit log."""
    if actor.member is not None and actor.member.branch_id == branch_id:
        return actor.member.id, {}
    return None, {"by": actor.telegram_id, "by_name": actor.name}


async def member_card(svc: Services, telegram_id: int, campaign_id: int, member_id: int) -> MemberCard:
    """A member's card with the grade buttons for whoever grades them; the grader's own card without them."""
    viewer = await membership.member_of(svc, telegram_id)
    if viewer is not None and viewer.id == member_id and viewer.is_approver and viewer.is_active:
        found = await results_for(svc, telegram_id, campaign_id)
        may_grade, panel = False, True
    else:
        _, campaign, _ = await _grader(svc, telegram_id, campaign_id, member_id, open_only=False)
        found = await compile_results(svc, campaign)
        may_grade = True
        panel = viewer is not None and viewer.is_approver and viewer.branch_id == campaign.branch_id
    row = next((r for r in found.rows if r.member.id == member_id), None)
    if row is None:
        raise UserError("common/stale.j2")
    comments = await evaluation.peer_comments(svc.db, campaign_id, member_id) if row.peer_shown else []
    return MemberCard(found, row, comments, may_grade, panel)


async def ask_others(svc: Services, telegram_id: int, campaign_id: int) -> reviewers.Route:
    """📨 请他人评定 on the grader's own card: the card with the grade buttons goes to those who grade them."""
    actor = await membership.approver(svc, telegram_id)
    campaign = await open_campaign_of_branch(svc, campaign_id, actor.branch_id)
    route = await grade_route(svc, actor)
    card = await member_card_for(svc, campaign, actor, route)
    async with svc.db.write() as db:
        for person in route.reviewers:
            await reviewers.deliver(svc, db, person, card, kind="evaluation.grade_card",
                                    key=evaluation_keys.grade_card(campaign.id, actor.id, person.tag))
    svc.wake_outbox()
    return route


async def member_card_for(svc: Services, campaign: Campaign, member: Member, route: reviewers.Route) -> Outgoing:
    """The card asking whoever grades `member` to set their grade (plain values: it waits in the outbox)."""
    found = await compile_results(svc, campaign)
    row = next(r for r in found.rows if r.member.id == member.id)
    return Outgoing(template="evaluation/grade_card.j2", params={
        "name": member.name, "year": campaign.year, "selfeval": row.selfeval_status.value if row.selfeval_status
        else None, "self_grade": row.self_grade.label if row.self_grade else None,
        "peer": [(g.label, row.peer.get(g, 0)) for g in rules.GRADES] if row.peer_shown else None,
        "votes": row.votes, "shown_from": rules.PEER_SHOWN_FROM,
        "comments": await evaluation.peer_comments(svc.db, campaign.id, member.id) if row.peer_shown else [],
        "final": row.final_grade.label if row.final_grade else None,
        "routed": {**route.params(), "label": word("review/label", kind="grade"),
                   "verb": word("review/verb", kind="grade")}},
        buttons=grade_buttons(campaign.id, member.id, row.final_grade))


def grade_buttons(campaign_id: int, member_id: int, current: Grade | None) -> list[list[Button]]:
    grades = [button("evaluation/grade", evaluation_cb.final_grade(campaign_id, member_id, g), grade=g.label,
                     chosen=g is current) for g in rules.GRADES]
    return [grades[:2], grades[2:], [button("evaluation/remark", evaluation_cb.remark(campaign_id, member_id))]]


async def set_final_grade(svc: Services, telegram_id: int, campaign_id: int, member_id: int, grade_value: str) -> Grade:
    """One tap sets a member's final grade; 不合格 then asks for the reason (kept as the remark)."""
    grade = rules.parse_grade(grade_value)
    if grade is None:
        raise UserError("common/stale.j2")
    actor, campaign, member = await _grader(svc, telegram_id, campaign_id, member_id)
    by, named = _by(actor, campaign.branch_id)
    now = svc.now()
    async with svc.db.write() as db:
        await evaluation.set_final(db, campaign.id, member.id, grade, by, now)
        await audit.record(db, now=now, action="evaluation.final", branch_id=campaign.branch_id, actor_id=by,
                           subject=refs.member(member.id), campaign=campaign.id, grade=grade.value, **named)
        pending = await conversations.get(db, telegram_id)
        if grade is Grade.UNQUALIFIED:
            await conversations.save(db, telegram_id, "eval_remark", "remark",
                                     {"campaign_id": campaign.id, "member_id": member.id}, now)
        elif pending is not None and pending.kind == "eval_remark" and pending.data.get("member_id") == member.id:
            # The secretary changed their mind about 不合格: the reason they were asked for is no longer needed.
            await conversations.clear(db, telegram_id)
    return grade


async def rest_qualified(svc: Services, telegram_id: int, campaign_id: int) -> list[Member]:
    """其余全部合格: every member still without a final grade is graded 合格 in one tap (each audited, as a tap on
    their card would be); the exceptions are set on their cards, before or after. The grader's own row is left
    alone: nobody decides their own case (Results.rest). Returns who was graded."""
    actor = await membership.approver(svc, telegram_id)
    campaign = await open_campaign_of_branch(svc, campaign_id, actor.branch_id)
    found = await compile_results(svc, campaign)
    found.grader = actor.id
    rest = [r.member for r in found.rest]
    now = svc.now()
    async with svc.db.write() as db:
        for member in rest:
            await evaluation.set_final(db, campaign.id, member.id, Grade.QUALIFIED, actor.id, now)
            await audit.record(db, now=now, action="evaluation.final", branch_id=campaign.branch_id,
                               actor_id=actor.id, subject=refs.member(member.id), campaign=campaign.id,
                               grade=Grade.QUALIFIED.value, rest=True)
    return rest


async def begin_remark(svc: Services, telegram_id: int, campaign_id: int, member_id: int) -> Member:
    _, campaign, member = await _grader(svc, telegram_id, campaign_id, member_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, "eval_remark", "remark",
                                 {"campaign_id": campaign.id, "member_id": member.id}, svc.now())
    return member


async def save_remark(svc: Services, telegram_id: int, data: dict, text: str | None) -> Member:
    remark = (text or "").strip()
    if not remark:
        raise UserError("evaluation/remark_empty.j2")
    if len(remark) > REMARK_MAX:
        raise UserError("common/too_long.j2", field="remark", max=REMARK_MAX, length=len(remark))
    actor, campaign, member = await _grader(svc, telegram_id, int(data["campaign_id"]), int(data["member_id"]),
                                            open_only=False)
    if not campaign.is_open:
        async with svc.db.write() as db:
            await conversations.clear(db, telegram_id)
        raise UserError("evaluation/closed.j2", year=campaign.year)
    by, named = _by(actor, campaign.branch_id)
    now = svc.now()
    async with svc.db.write() as db:
        await evaluation.set_remark(db, campaign.id, member.id, remark)
        await audit.record(db, now=now, action="evaluation.remark", branch_id=campaign.branch_id, actor_id=by,
                           subject=refs.member(member.id), campaign=campaign.id, **named)
        await conversations.clear(db, telegram_id)
    return member


async def cycle_excellent_limit(svc: Services, telegram_id: int, campaign_id: int) -> int:
    """The branch's largest share of 优秀, stepped with one tap through the usual values its units' policy allows
    (never above their limit) — from the panel of the branch's open campaign only (a stale or forged button names
    another campaign: refused)."""
    actor = await membership.approver(svc, telegram_id)
    await open_campaign_of_branch(svc, campaign_id, actor.branch_id)
    branch = await branches.get(svc.db, actor.branch_id)
    current = (await policy.settings_of(svc.db, branch)).evaluation_excellent_max_pct
    allowed = [int(code) for code in rules_policy.branch_offer("excellent_pct",
                                                               await policy.branch_units_rulings(svc.db, branch.id))]
    following = [c for c in allowed if c > current]
    chosen = following[0] if following else min(allowed)
    await policy.choose(svc, branch.id, "excellent_pct", str(chosen), actor.id)
    async with svc.db.write() as db:
        await audit.record(db, now=svc.now(), action="settings.evaluation_excellent_max_pct", branch_id=branch.id,
                           actor_id=actor.id, subject=refs.branch(branch.id), old=current, new=chosen)
    return chosen


# --- closing -----------------------------------------------------------------------------------------------------

async def close_check(svc: Services, telegram_id: int, campaign_id: int) -> Results:
    """What stands in the way of closing (refused) or deserves a second look (warned)."""
    actor = await membership.approver(svc, telegram_id)
    campaign = await open_campaign_of_branch(svc, campaign_id, actor.branch_id)
    found = await compile_results(svc, campaign)
    if found.ungraded:
        raise UserError("evaluation/close_ungraded.j2", names=found.ungraded)
    if found.unqualified_no_reason:
        raise UserError("evaluation/close_no_reason.j2", names=found.unqualified_no_reason)
    return found


async def close(svc: Services, telegram_id: int, campaign_id: int) -> Results:
    """Close: grader links erased, reminders cancelled, each member told their own final grade only."""
    found = await close_check(svc, telegram_id, campaign_id)
    actor = await membership.approver(svc, telegram_id)
    campaign, now = found.campaign, svc.now()
    async with svc.db.write() as db:
        if not await evaluation.close(db, campaign.id, now):
            raise UserError("evaluation/closed.j2", year=campaign.year)
        await outbox.cancel_prefix(db, evaluation_keys.reminder.scope(campaign.id), now)
        await audit.record(db, now=now, action="evaluation.close", branch_id=campaign.branch_id, actor_id=actor.id,
                           subject=refs.evaluation(campaign.id),
                           grades=dict(Counter(r.final_grade.value for r in found.rows if r.final_grade)))
        # 备案: the register goes up in the unit's filing digest; a 不合格 result opens its follow-up.
        await filing.file_record(svc, db, filing.EVALUATION, refs.evaluation(campaign.id), campaign.branch_id,
                                 word("filing/register_title", year=campaign.year), actor_id=actor.id)
        await followups.open_for_results(svc, db, campaign.id, campaign.branch_id, found.rows)
        for row in found.rows:
            if not row.member.is_active:
                continue
            await notify.to_member(svc, db, row.member, Outgoing(
                template="evaluation/own_result.j2",
                params={"branch": found.branch.name, "year": campaign.year, "grade": row.final_grade.label}),
                kind="evaluation.result", key=evaluation_keys.result(campaign.id, row.member.id))
    svc.wake_outbox()
    found.campaign = await evaluation.get(svc.db, campaign.id)
    return found
