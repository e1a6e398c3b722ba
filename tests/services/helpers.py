"""What several services test modules do to get going, through the use cases. Test modules import these from here
(and the ids from tests/support.py), never from one another or from a conftest."""

from __future__ import annotations

from bot.domain.evaluation import Grade
from bot.domain.meetings import Meeting, MeetingKind
from bot.domain.models import Member
from bot.services import Services, membership, peereval, scheduling, selfeval
from tests.support import SECRETARY_ID


async def join(svc: Services, code: str, telegram_id: int, name: str) -> Member:
    """Invite link → name → the secretary approves: the use cases a join goes through, in order."""
    branch = await membership.begin_join(svc, telegram_id, code)
    request = await membership.submit_join_name(svc, telegram_id, name, {"branch_id": branch.id, "code": code})
    decision = await membership.decide_join(svc, SECRETARY_ID, request.member.id, approve=True)
    return decision.member


async def schedule(svc: Services, kind: MeetingKind, when: str, place: str, topic: str, host: Member,
                   recorder: Member) -> Meeting:
    """/meeting through the use cases, as the secretary: the kind, a typed time, place and topic, host and
    recorder, then 发布 (the attendees are told)."""
    await scheduling.begin(svc, SECRETARY_ID)
    await scheduling.choose_kind(svc, SECRETARY_ID, kind.value)
    for step, text in (("when", when), ("place", place), ("topic", topic)):
        await scheduling.answer(svc, SECRETARY_ID, step, text)
    await scheduling.choose_person(svc, SECRETARY_ID, "host", host.id)
    draft = await scheduling.choose_person(svc, SECRETARY_ID, "recorder", recorder.id)
    assert draft.step == "preview", draft.step
    meeting, _, _ = await scheduling.confirm(svc, SECRETARY_ID)
    return meeting


async def write_selfeval(svc: Services, telegram_id: int, campaign_id: int, grade: Grade = Grade.QUALIFIED) -> None:
    """A member answers every section, picks the self-grade and submits (写自评 … 提交审核)."""
    step = await selfeval.start(svc, telegram_id, campaign_id)
    while step.what == "section":
        key = step.section.key
        step = await selfeval.save_section(svc, telegram_id, f"section:{key}", {"submission_id": step.submission.id},
                                           f"{step.section.title}：认真学习。")
        step = await selfeval.next_section(svc, telegram_id, step.submission.id, key)
    assert step.what == "grade", step.what
    step = await selfeval.set_grade(svc, telegram_id, step.submission.id, grade.value)
    await selfeval.submit(svc, telegram_id, step.submission.id)


async def grade_all(svc: Services, telegram_id: int, campaign_id: int, grade: Grade = Grade.QUALIFIED) -> None:
    """逐个评议: the member grades every other member."""
    sheet = await peereval.view(svc, telegram_id, campaign_id)
    for other in sheet.others:
        sheet = await peereval.grade(svc, telegram_id, campaign_id, other.id, grade.value)
    assert sheet.graded == len(sheet.others)
