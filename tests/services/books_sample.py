"""A branch with a year of records for the record-book tests: a unit and its branch imported from a roster,
meetings of every kind with their marks and approved minutes (photos too), dues, a closed evaluation, talks,
thought reports (typed and handwritten, one returned) — every text a person types taken from `Words`, so one test
can fill them with formula-like text and another with what a secretary would write."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import openpyxl

from bot.domain import votes
from bot.domain.evaluation import Grade
from bot.domain.meetings import KIND_LABELS, MeetingKind, Presence
from bot.domain.review import SubmissionStatus
from bot.domain.votes import Vote, Voting
from bot.services import Services, roster
from storage import audit, branches, dues, evaluation, meetings, members, minutes, submissions, talks
from storage import units as unit_store

NOW = datetime(2026, 12, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, Sunday 20 December 2026
PEOPLE = ("王建国", "李红梅", "赵建国", "孙丽", "周敏", "吴刚", "陈福生", "郑小燕")
# (kind, start in UTC): held this year, and one still to come (not to be counted yet).
MEETINGS = (
    (MeetingKind.ASSEMBLY, datetime(2026, 10, 9, 6, 0, tzinfo=UTC)),
    (MeetingKind.COMMITTEE, datetime(2026, 10, 20, 7, 0, tzinfo=UTC)),
    (MeetingKind.GROUP, datetime(2026, 11, 5, 7, 0, tzinfo=UTC)),
    (MeetingKind.THEME_DAY, datetime(2026, 11, 5, 1, 0, tzinfo=UTC)),
    (MeetingKind.LECTURE, datetime(2026, 11, 26, 6, 30, tzinfo=UTC)),
    (MeetingKind.COMMITTEE, datetime(2026, 12, 10, 7, 0, tzinfo=UTC)),
)
FUTURE = (MeetingKind.ASSEMBLY, datetime(2026, 12, 28, 6, 0, tzinfo=UTC))


@dataclass(frozen=True)
class Words:
    """Everything in the sample a person typed."""

    unit: str = "城关镇党委"
    branch: str = "城关镇第一党支部"
    theme: str = "学习党的二十届三中全会精神"
    place: str = "村委会二楼会议室"
    topic: str = "谈思想、谈工作，听取对支部工作的意见建议"
    remark: str = "长期不参加组织生活，经教育仍无改正"
    reason: str = "请补充具体事例"
    paid_by: str = "李红梅"
    host: str = "王建国"
    recorder: str = "周敏"
    agenda: str = "一、传达学习上级会议精神\n二、研究部署下一阶段工作"
    content: str = ("王建国同志传达了上级会议精神，要求全体党员结合岗位实际抓好落实。\n"
                    "与会党员逐一发言，围绕如何发挥先锋模范作用谈了认识和打算。\n"
                    "会议对下一阶段的重点工作作了分工。")
    resolutions: str = "一、按时完成学习任务；二、各党小组月底前报送学习情况。"
    motion: str = "同意吸收李红梅同志为中共预备党员"
    report: str = ("敬爱的党组织：\n这个季度，我认真学习了党的理论，对照党章查找了自己的不足。"
                   "在工作中，我努力做到吃苦在前、享受在后。\n今后我将继续加强学习，请党组织考验。")


@dataclass
class Sample:
    unit_id: int
    branch_id: int
    year: int = 2026
    people: dict[str, int] = field(default_factory=dict)  # name → member id
    held: list[int] = field(default_factory=list)  # meeting ids, held
    future: int | None = None


def roster_file(words: Words) -> bytes:
    """The roster as an office keeps it; every text cell written as text (a name like '=…' stays a name)."""
    book = openpyxl.Workbook()
    orgs = book.active
    orgs.title = "组织机构"
    member_sheet = book.create_sheet("党员名册")
    rows = {orgs: [("组织名称", "类型", "上级组织", "书记"), (words.unit, "党委", "", ""),
                   (words.branch, "党支部", words.unit, PEOPLE[0])],
            member_sheet: [("序号", "姓名", "所在党支部", "党员类别", "职务", "月缴纳党费")]
            + [(i + 1, name, words.branch, "正式党员", "书记" if i == 0 else "组织委员" if i == 1 else "", "12.50")
               for i, name in enumerate(PEOPLE)]}
    for sheet, lines in rows.items():
        for r, line in enumerate(lines, start=1):
            for c, value in enumerate(line, start=1):
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def seed(svc: Services, words: Words = Words(), photo_ids: Callable[[int], list[str]] | None = None) -> Sample:
    """The sample, as of NOW; `photo_ids(n)` gives the file ids of a record's photos (none by default)."""
    photo_ids = photo_ids or (lambda n: [])
    await roster.apply(svc, roster_file(words))
    branch = next(b for b in await branches.every(svc.db) if b.name == words.branch)
    unit = next(u for u in await unit_store.every(svc.db) if u.name == words.unit)
    sample = Sample(unit.id, branch.id)
    sample.people = {m.name: m.id for m in await members.in_branch(svc.db, branch.id)}
    ids = [sample.people[name] for name in PEOPLE]
    secretary = ids[0]
    async with svc.db.write() as db:
        for number, (kind, start) in enumerate(MEETINGS):
            meeting_id = await _meeting(db, branch.id, kind, start, words, ids, number)
            await minutes.set_staff(db, meeting_id, secretary, ids[4], secretary, start)
            if kind is MeetingKind.LECTURE:
                await minutes.set_lecturer(db, meeting_id, secretary, None, True)
            sample.held.append(meeting_id)
            await _minutes(db, branch.id, secretary, meeting_id, kind, start, words, ids, photo_ids(number % 3 + 1))
        sample.future = await _meeting(db, branch.id, *FUTURE, words, ids, None)
        for month in range(1, 13):
            for number, member_id in enumerate(ids):
                if month > 11 or (month == 11 and number % 3 == 0):
                    continue  # December is not paid yet; a few members are behind in November
                paid_by = words.paid_by if (month, number) == (6, 6) else None
                await dues.confirm(db, branch.id, member_id, f"2026-{month:02d}", 1250, secretary, paid_by, NOW)
        await dues.report(db, branch.id, ids[3], "2026-12", 1250, NOW)
        campaign = await evaluation.create(db, branch.id, 2026, NOW + timedelta(days=3), "salt", secretary, NOW)
        for number, member_id in enumerate(ids):
            grade = Grade.UNQUALIFIED if number == 5 else Grade.EXCELLENT if number < 2 else Grade.QUALIFIED
            await evaluation.set_final(db, campaign.id, member_id, grade, secretary, NOW)
        await evaluation.set_remark(db, campaign.id, ids[5], words.remark)
        await evaluation.close(db, campaign.id, NOW)
        for number, member_id in enumerate(ids[1:], start=1):
            await talks.add(db, branch_id=branch.id, member_id=member_id, talker_id=secretary,
                            day=date(2026, 3, number), topic=words.topic, now=NOW)
        await _reports(db, branch.id, secretary, ids, words, photo_ids)
    return sample


async def _meeting(db, branch_id: int, kind: MeetingKind, start: datetime, words: Words, ids: list[int],
                   number: int | None) -> int:
    meeting = await meetings.create(db, branch_id=branch_id, kind=kind, starts_at=start,
                                    ends_at=start + timedelta(hours=2), checkin_opens_at=start - timedelta(minutes=30),
                                    now=start - timedelta(days=7), title=words.theme, place=words.place,
                                    period=f"{start:%Y-%m}" if kind is MeetingKind.THEME_DAY else None)
    if number is None:
        return meeting.id
    attendees = ids[:4] if kind is MeetingKind.COMMITTEE else ids
    for index, member_id in enumerate(attendees):
        if index == len(attendees) - 1:
            continue  # the last one is absent
        status = Presence.LATE if index == 2 else Presence.CHECKED_IN
        await meetings.record_presence(db, meeting.id, member_id, status, None, start)
    await meetings.record_absences(db, meeting.id, attendees, start + timedelta(hours=2))
    await meetings.mark_closed(db, meeting.id, start + timedelta(hours=2))
    return meeting.id


async def _minutes(db, branch_id: int, author: int, meeting_id: int, kind: MeetingKind, start: datetime,
                   words: Words, ids: list[int], photos: list[str]) -> None:
    present = [name for name in PEOPLE[: 4 if kind is MeetingKind.COMMITTEE else len(PEOPLE)]][:-1]
    record = await submissions.get_or_create(
        db, branch_id=branch_id, author_id=author, kind="minutes", ref=f"meeting:{meeting_id}", now=start,
        content={"kind": KIND_LABELS[kind], "when": f"{start + timedelta(hours=8):%Y年%m月%d日 %H:%M}",
                 "place": words.place, "topic": words.theme, "host": words.host, "recorder": words.recorder,
                 "agenda": words.agenda, "content": words.content, "resolutions": words.resolutions,
                 "attendance": {"expected": len(present) + 1, "present": present, "on_leave": [],
                                "absent": [PEOPLE[len(present)]]}, **_extra(kind, words, len(present))})
    for file_id in photos:
        await submissions.add_file(db, record.id, file_id, "photo", None, start)
    await submissions.mark_submitted(db, record.id, start + timedelta(hours=3))
    await submissions.decide(db, record.id, 1, SubmissionStatus.APPROVED, author, None, start + timedelta(days=1))


def _extra(kind: MeetingKind, words: Words, present: int) -> dict:
    """A 支部党员大会's votes (one with a quorum, one taken when too few were left) and a 党课's 主讲人."""
    if kind is MeetingKind.LECTURE:
        return {"lecturer": words.host, "lecturer_leader": True}
    if kind is not MeetingKind.ASSEMBLY:
        return {}
    voting = Voting(expected=present + 1, present=present)
    cast = [Vote(motion=words.motion, yes=present - 1, no=0, abstain=1),
            Vote(motion=words.motion, yes=2, no=0, abstain=0, present=2)]
    return {"takes_votes": True, "votes": [v.model_dump() for v in cast], "voting": voting.model_dump(),
            "vote_results": votes.shown(cast, voting)}


async def _reports(db, branch_id: int, secretary: int, ids: list[int], words: Words,
                   photo_ids: Callable[[int], list[str]]) -> None:
    for number, member_id in enumerate(ids[1:4], start=1):
        handwritten = number == 2
        when = datetime(2026, 3 * number, 10, 2, 0, tzinfo=UTC)
        report = await submissions.get_or_create(db, branch_id=branch_id, author_id=member_id, kind="report",
                                                 ref=f"report:{member_id}:{number}", now=when,
                                                 content={"text": "" if handwritten else words.report})
        for file_id in photo_ids(2 if handwritten else 0):
            await submissions.add_file(db, report.id, file_id, "photo", None, when)
        await submissions.mark_submitted(db, report.id, when)
        returned = number == 3
        status = SubmissionStatus.RETURNED if returned else SubmissionStatus.APPROVED
        await submissions.decide(db, report.id, 1, status, secretary, words.reason if returned else None, when)
        await audit.record(db, now=when, action=f"report.{status.value}", branch_id=branch_id, actor_id=secretary,
                           subject=f"submission:{report.id}", version=1,
                           comment=words.reason if returned else None)
