"""Self-evaluation (个人自评): a guided form saved as it is typed, then handed in through the one review mechanism."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.callbacks import selfeval as selfeval_cb
from bot.domain import evaluation as rules
from bot.domain import talks as talk_rules
from bot.domain.evaluation import Campaign, Section
from bot.domain.models import Member
from bot.domain.review import EDITABLE, Decision, Submission, SubmissionStatus
from bot.errors import UserError
from bot.features import Feature
from bot.keys import refs
from bot.services import Services, membership, review
from bot.services.evaluation import SELFEVAL_KIND, campaign_for, tz_of
from bot.services.review import ReviewKind
from storage import branches, conversations, submissions, talks
from storage.connection import Conn


@dataclass
class Step:
    """Where the member's form stands: which section to ask, the self-grade, the preview, or read-only."""

    what: str  # section | saved (a part kept, more may follow) | grade | preview | view
    submission: Submission
    campaign: Campaign
    tz: str
    section: Section | None = None
    editing: bool = False  # a section edited from the preview: 完成 goes back to it

    @property
    def last_to_write(self) -> bool:
        """No other section is still empty: the button after this one reads 完成 rather than 下一部分."""
        key = self.section.key if self.section else None
        return self.editing or all((self.sections.get(s.key) or "").strip() for s in self.all_sections if s.key != key)

    @property
    def sections(self) -> dict[str, str]:
        return self.submission.content.get("sections", {})

    @property
    def all_sections(self) -> tuple[Section, ...]:
        return rules.sections_of(self.submission.content)

    @property
    def grade(self) -> rules.Grade | None:
        return rules.parse_grade(self.submission.content.get("grade") or "")


async def _context(svc: Services, telegram_id: int, campaign_id: int | None) -> tuple[Member, Campaign, str]:
    member = await membership.active_member(svc, telegram_id)
    campaign = await campaign_for(svc, member, campaign_id)
    branch = await branches.get(svc.db, member.branch_id)
    return member, campaign, tz_of(svc, branch)


async def _own(svc: Services, telegram_id: int, submission_id: int) -> tuple[Member, Submission, Campaign, str]:
    """The caller's own self-evaluation, whatever id a button carried."""
    member = await membership.active_member(svc, telegram_id)
    submission = await submissions.get(svc.db, submission_id)
    if submission is None or submission.kind != SELFEVAL_KIND or submission.author_id != member.id:
        raise UserError("common/stale.j2")
    campaign_id = refs.evaluation.read(submission.ref).campaign
    _, campaign, tz = await _context(svc, telegram_id, campaign_id)
    return member, submission, campaign, tz


def _refuse_unless_open(campaign: Campaign, tz: str, now: datetime, returned: bool) -> None:
    if not rules.may_submit_selfeval(campaign.status, campaign.deadline, now, returned):
        if not campaign.is_open:
            raise UserError("evaluation/closed.j2", year=campaign.year)
        raise UserError("evaluation/deadline_passed.j2", deadline=rules.when(campaign.deadline, tz))


def _check_open(campaign: Campaign, submission: Submission, tz: str, now: datetime) -> None:
    """The draft may still change: not handed in or decided, and the campaign still takes it."""
    if submission.status not in EDITABLE:
        raise UserError("review/not_editable.j2", status=submission.status.value)
    _refuse_unless_open(campaign, tz, now, submission.status is SubmissionStatus.RETURNED)


async def _next_step(svc: Services, telegram_id: int, submission: Submission, campaign: Campaign, tz: str) -> Step:
    """Ask the section being written (it takes as many messages as the member sends, until 下一部分), else the first
    unwritten one, then the self-grade, then show the preview — and remember where."""
    sections = submission.content.get("sections", {})
    writing = rules.section_by_key(submission.content.get("writing") or "")
    missing = writing or rules.first_missing_section(sections, rules.sections_of(submission.content))
    async with svc.db.write() as db:
        if missing is not None:
            await conversations.save(db, telegram_id, "selfeval", f"section:{missing.key}",
                                     {"submission_id": submission.id}, svc.now())
            return Step("section", submission, campaign, tz, section=missing)
        await conversations.clear(db, telegram_id)
    if rules.parse_grade(submission.content.get("grade") or "") is None:
        return Step("grade", submission, campaign, tz)
    return Step("preview", submission, campaign, tz)


async def start(svc: Services, telegram_id: int, campaign_id: int | None = None) -> Step:
    """/selfeval (or 写自评): resume the draft where it stopped, or show what was handed in."""
    member, campaign, tz = await _context(svc, telegram_id, campaign_id)
    existing = await submissions.find(svc.db, SELFEVAL_KIND, refs.evaluation(campaign.id), member.id)
    if existing is not None and existing.status not in EDITABLE:
        return Step("view", existing, campaign, tz)
    now = svc.now()
    if existing is None:
        _refuse_unless_open(campaign, tz, now, returned=False)
        async with svc.db.write() as db:
            existing = await submissions.get_or_create(db, branch_id=member.branch_id, author_id=member.id,
                                                       kind=SELFEVAL_KIND, ref=refs.evaluation(campaign.id), now=now,
                                                       content={"sections": {}, "grade": None,
                                                                "party_spirit": await _party_spirit_due(
                                                                    svc, db, member, tz)})
    _check_open(campaign, existing, tz, now)
    return await _next_step(svc, telegram_id, existing, campaign, tz)


async def save_section(svc: Services, telegram_id: int, step_name: str, data: dict, text: str | None) -> Step:
    """The member typed (part of) a section: appended to it and stored before the next prompt, which offers
    下一部分 (or 完成); an edit from the preview replaces the section with its first message, then appends."""
    key = step_name.removeprefix("section:")
    section = rules.section_by_key(key)
    _, submission, campaign, tz = await _own(svc, telegram_id, int(data["submission_id"]))
    try:
        _check_open(campaign, submission, tz, svc.now())
    except UserError:
        # The form outlived its campaign (closed, or handed in meanwhile): stop asking, say why once.
        async with svc.db.write() as db:
            await conversations.clear(db, telegram_id)
        raise
    if section is None or section not in rules.sections_of(submission.content):
        raise UserError("common/stale.j2")
    body = (text or "").strip()
    if not body:
        raise UserError("evaluation/section_empty.j2", title=section.title)
    sections = submission.content.get("sections", {})
    so_far = "" if data.get("replace") else (sections.get(key) or "").strip()
    whole = rules.append_part(so_far, body)
    if len(whole) > rules.SECTION_MAX:
        raise UserError("common/too_long.j2", field=section.title, max=rules.SECTION_MAX, length=len(whole))
    content = {**submission.content, "sections": {**sections, key: whole}, "writing": key}
    async with svc.db.write() as db:
        await submissions.save_content(db, submission.id, content, svc.now())
        await conversations.save(db, telegram_id, "selfeval", step_name, {**data, "replace": False}, svc.now())
        updated = await submissions.get(db, submission.id)
    return Step("saved", updated, campaign, tz, section=section, editing=bool(data.get("editing")))


async def next_section(svc: Services, telegram_id: int, submission_id: int, key: str) -> Step:
    """下一部分 / 完成: the section being written is done; on to the next unwritten one, the grade or the preview."""
    _, submission, campaign, tz = await _own(svc, telegram_id, submission_id)
    _check_open(campaign, submission, tz, svc.now())
    section = rules.section_by_key(key)
    if section is None or submission.content.get("writing") not in (key, None):
        raise UserError("common/stale.j2")
    if not (submission.content.get("sections", {}).get(key) or "").strip():
        raise UserError("evaluation/section_empty.j2", title=section.title)
    content = {k: v for k, v in submission.content.items() if k != "writing"}
    async with svc.db.write() as db:
        await submissions.save_content(db, submission.id, content, svc.now())
        updated = await submissions.get(db, submission.id)
    return await _next_step(svc, telegram_id, updated, campaign, tz)


async def edit_section(svc: Services, telegram_id: int, submission_id: int, key: str) -> Step:
    """修改 one section from the preview: its current text is shown, the next message replaces it."""
    _, submission, campaign, tz = await _own(svc, telegram_id, submission_id)
    _check_open(campaign, submission, tz, svc.now())
    section = rules.section_by_key(key)
    if section is None or section not in rules.sections_of(submission.content):
        raise UserError("common/stale.j2")
    content = {**submission.content, "writing": key}
    async with svc.db.write() as db:
        await submissions.save_content(db, submission.id, content, svc.now())
        await conversations.save(db, telegram_id, "selfeval", f"section:{key}",
                                 {"submission_id": submission.id, "editing": True, "replace": True}, svc.now())
        updated = await submissions.get(db, submission.id)
    return Step("section", updated, campaign, tz, section=section, editing=True)


async def choose_grade_again(svc: Services, telegram_id: int, submission_id: int) -> Step:
    """修改自评等次 from the preview."""
    _, submission, campaign, tz = await _own(svc, telegram_id, submission_id)
    _check_open(campaign, submission, tz, svc.now())
    return Step("grade", submission, campaign, tz)


async def set_grade(svc: Services, telegram_id: int, submission_id: int, grade_value: str) -> Step:
    grade = rules.parse_grade(grade_value)
    if grade is None:
        raise UserError("common/stale.j2")
    _, submission, campaign, tz = await _own(svc, telegram_id, submission_id)
    _check_open(campaign, submission, tz, svc.now())
    content = {**submission.content, "grade": grade.value}
    async with svc.db.write() as db:
        await submissions.save_content(db, submission.id, content, svc.now())
        updated = await submissions.get(db, submission.id)
    return await _next_step(svc, telegram_id, updated, campaign, tz)


async def submit(svc: Services, telegram_id: int, submission_id: int) -> Step:
    """提交: every section written and a self-grade chosen, before the deadline (or a returned one, until close)."""
    _, submission, campaign, tz = await _own(svc, telegram_id, submission_id)
    _check_open(campaign, submission, tz, svc.now())
    missing = rules.first_missing_section(submission.content.get("sections", {}),
                                          rules.sections_of(submission.content))
    if missing is not None:
        raise UserError("evaluation/section_empty.j2", title=missing.title)
    if rules.parse_grade(submission.content.get("grade") or "") is None:
        raise UserError("evaluation/grade_missing.j2")
    if submission.content.get("writing"):
        async with svc.db.write() as db:
            await submissions.save_content(db, submission.id, {k: v for k, v in submission.content.items()
                                                               if k != "writing"}, svc.now())
        submission = await submissions.get(svc.db, submission.id)
    async with svc.db.write() as db:
        submitted = await review.submit(svc, db, submission)
        await conversations.clear(db, telegram_id)
    svc.wake_outbox()
    return Step("view", submitted, campaign, tz)


async def _party_spirit_due(svc: Services, db: Conn, member: Member, tz: str) -> bool:
    """Whether this self-evaluation carries the 党性分析: the last one is older than the branch's interval. Without one
    on record the interval counts from when the branch's records here began for the member (zhibu cannot know the
    analyses made before, and asking every member at once in the first year would bury the first evaluation)."""
    branch = await branches.get(db, member.branch_id)
    last = (await talks.last_party_spirit(db, [member.id])).get(member.id) or talk_rules.local_day(member.created_at, tz)
    return talk_rules.party_spirit_due(last, talk_rules.local_day(svc.now(), tz), branch.settings.party_spirit_years)


def _fix_data(submission: Submission) -> str:
    """修改并重新提交 under a returned self-evaluation: the form of its campaign (ref evaluation:<campaign id>)."""
    return selfeval_cb.start(refs.evaluation.read(submission.ref).campaign)


async def _decided(svc: Services, db: Conn, submission: Submission, decision: Decision) -> None:
    """Approving a self-evaluation with a 党性分析 records the date (the next one is due an interval later)."""
    if decision is Decision.APPROVE and submission.content.get("party_spirit"):
        branch = await branches.get(db, submission.branch_id)
        await talks.record_party_spirit(db, submission.author_id, submission.id,
                                        talk_rules.local_day(svc.now(), tz_of(svc, branch)))


FEATURE = Feature(
    name="selfeval",
    review_kinds=(ReviewKind(kind=SELFEVAL_KIND, card_template="evaluation/selfeval_card.j2",
                             fix_hint="/selfeval", fix_data=_fix_data, on_decided=_decided),),
)
