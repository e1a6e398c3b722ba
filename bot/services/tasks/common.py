"""What the parts of tasks from above share: finding a task for an officer (re-checked: their subtree, a write
refused to anyone else), where each target branch stands, and how a task reads in messages."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import filing as filing_rules
from bot.domain import tasks as rules
from bot.domain.review import Submission, SubmissionStatus
from bot.domain.tasks import BranchState, Task
from bot.errors import UserError
from bot.ids import MAX_ID
from bot.keys import refs
from bot.services import Services, units
from storage import submissions
from storage import tasks as store
from storage import units as unit_store
from storage.connection import Conn

KIND = "task"  # the submissions' (and their review kind's) name

# Of a branch's submissions for a task, the one that says where it stands (a deputy may have started one too).
_RANK = {SubmissionStatus.APPROVED: 4, SubmissionStatus.SUBMITTED: 3, SubmissionStatus.RETURNED: 2,
         SubmissionStatus.DRAFT: 1}


def task_id_of(submission: Submission) -> int:
    return int(refs.task.read(submission.ref).task)


async def officer_task(svc: Services, telegram_id: int, task_id: int) -> Task:
    """The task, when it was issued by a unit in this officer's subtree (whatever the button said); anyone who is
    not an officer there — an inspector, a removed officer — is refused."""
    task = await store.get(svc.db, task_id) if 0 < task_id <= MAX_ID else None
    if task is None:
        raise UserError("common/stale.j2")
    await units.unit_in_scope(svc, telegram_id, task.unit_id)
    return task


def describe(task: Task, tz: str, unit: str = "") -> dict:
    """How a task reads in every message: title, text, last day, template file, issuing unit."""
    last = rules.last_day(task.deadline, tz) if task.deadline else None
    return {"id": task.id, "title": task.title, "body": task.body, "unit": unit, "file_name": task.file_name,
            "has_file": task.file_id is not None, "deadline": filing_rules.day_label(last) if last else None,
            "status": task.status.value}


async def describe_task(svc: Services, db: Conn, task: Task) -> dict:
    unit = await unit_store.get(db, task.unit_id)
    return describe(task, svc.settings.tz, unit.name if unit else "")


@dataclass
class Standing:
    """A target branch's place in a task: its state and the submission that gives it (none: nothing started)."""

    branch_id: int
    state: BranchState
    submission: Submission | None


async def standings(db: Conn, task: Task) -> dict[int, Standing]:
    """branch id → where each branch the task went to stands."""
    best: dict[int, Submission] = {}
    for found in await submissions.for_ref(db, KIND, refs.task(task.id)):
        held = best.get(found.branch_id)
        if held is None or _RANK.get(found.status, 0) > _RANK.get(held.status, 0):
            best[found.branch_id] = found
    return {t.branch_id: Standing(t.branch_id, rules.state_of(best[t.branch_id].status if t.branch_id in best
                                                               else None), best.get(t.branch_id))
            for t in await store.targets(db, task.id)}


async def owes(db: Conn, task: Task, branch_id: int) -> bool:
    """The branch still owes this open task its material."""
    if task.status is not rules.TaskStatus.OPEN:
        return False
    standing = (await standings(db, task)).get(branch_id)
    return standing is not None and rules.owes(standing.state)
