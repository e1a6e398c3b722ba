"""A branch hands in the material for a task (提交材料): its secretary (or deputy) opens the draft from the task's
message or /tasks, sends text, photos and files in as many messages as they like (the shared drafting helper,
bot/services/drafts.py), previews and submits; the task's unit's officers review it (通过 / 退回 with a reason)
through the one review mechanism — never its author (bot/services/reviewers.py). Refused once the task is closed,
for a branch it did not go to, or for anyone but the branch's approvers."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import tasks as rules
from bot.domain.models import Member
from bot.domain.review import Submission
from bot.domain.tasks import BranchState, Task, TaskStatus
from bot.errors import UserError
from bot.ids import MAX_ID
from bot.keys import refs
from bot.services import Services, drafts, membership
from bot.services.drafts import DraftKind
from bot.services.review import ReviewKind
from bot.services.reviewers import UnitOfficers
from bot.services.tasks.common import KIND, describe_task, standings, task_id_of
from storage import tasks as store
from storage.connection import Conn


async def _task_of(svc: Services, submission: Submission) -> Task | None:
    return await store.get(svc.db, task_id_of(submission))


async def _may_hand_in(svc: Services, author: Member, submission: Submission) -> None:
    """Only while the task is open, for a branch it went to, by that branch's secretary or deputy."""
    task = await _task_of(svc, submission)
    await _check(svc, author, task)


async def _check(svc: Services, author: Member, task: Task | None) -> None:
    if task is None or task.status is TaskStatus.DRAFT:
        raise UserError("common/stale.j2")
    if task.status is TaskStatus.CLOSED:
        raise UserError("tasks/closed.j2", title=task.title)
    if await store.target(svc.db, task.id, author.branch_id) is None:
        raise UserError("tasks/not_for_branch.j2", title=task.title)
    if not author.is_approver:
        raise UserError("common/not_allowed.j2")


async def _extra(svc: Services, author: Member, submission: Submission) -> dict:
    """What the draft's messages show of the task: its title, text and last day."""
    task = await _task_of(svc, submission)
    return {"task": await describe_task(svc, svc.db, task)} if task else {"task": None}


async def _reviewing_unit(svc: Services, db: Conn, submission: Submission) -> int | None:
    """The unit that issued the task: its officers review what the branches hand in."""
    task = await store.get(db, task_id_of(submission))
    return task.unit_id if task else None


DRAFT = DraftKind(kind=KIND, text_max=5000, files_max=20, documents=True, ask="tasks/ask.j2",
                  extra=_extra, check=_may_hand_in)
REVIEW = ReviewKind(kind=KIND, card_template="tasks/card.j2", fix_hint="/tasks",
                    audience=UnitOfficers(unit_of=_reviewing_unit))


async def start(svc: Services, telegram_id: int, task_id: int) -> drafts.Draft:
    """提交材料: the branch's draft for the task (or the one returned with a reason); what the secretary sends next
    goes into it. Another approver's material already handed in for the branch is not doubled."""
    author = await membership.approver(svc, telegram_id)
    task = await store.get(svc.db, task_id) if 0 < task_id <= MAX_ID else None
    await _check(svc, author, task)
    assert task is not None
    standing = (await standings(svc.db, task)).get(author.branch_id)
    if standing and standing.submission and standing.submission.author_id != author.id and \
            standing.state in (BranchState.WAITING, BranchState.APPROVED):
        raise UserError("tasks/handed_in_by_other.j2", title=task.title)
    return await drafts.start(svc, DRAFT, telegram_id, ref=refs.task(task.id), content={"task": task.title})


@dataclass
class Mine:
    task: Task
    info: dict
    state: BranchState
    comment: str | None


async def branch_tasks(svc: Services, telegram_id: int) -> list[Mine]:
    """/tasks for a secretary: the open tasks to their branch, with where the branch stands on each."""
    actor = await membership.approver(svc, telegram_id)
    found = []
    for task in await store.of_branch(svc.db, actor.branch_id):
        standing = (await standings(svc.db, task)).get(actor.branch_id)
        state = standing.state if standing else BranchState.MISSING
        comment = standing.submission.comment if standing and standing.submission and \
            state is BranchState.RETURNED else None
        found.append(Mine(task, {**await describe_task(svc, svc.db, task), "overdue": rules.overdue(task, svc.now())},
                          state, comment))
    return found
