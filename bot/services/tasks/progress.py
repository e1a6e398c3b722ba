"""Where a task stands, for the officers who issued it: each branch handed in, waiting, returned or missing; 催办
to the branches still missing (at most once a day a branch); closing it. Overdue tasks are in the branch's digest,
the officers' weekly digest and /overview. The reminders planned at issue go out only while the branch still owes
the material."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.domain import filing as filing_rules
from bot.domain import tasks as rules
from bot.domain.models import Branch
from bot.domain.outbox import OutboxRow
from bot.domain.roles import APPROVER_ROLES
from bot.domain.tasks import BranchState, Task, TaskStatus
from bot.errors import UserError
from bot.keys import refs
from bot.keys import tasks as task_keys
from bot.outgoing import Outgoing
from bot.services import Services, notify, units
from bot.services.digest import line as digest_line
from bot.services.tasks.common import Standing, describe_task, officer_task, owes, standings
from bot.services.tasks.issue import submit_button
from storage import audit, branches, members, outbox
from storage import tasks as store
from storage import units as unit_store

LISTED = 20  # tasks on the officer's list


@dataclass
class Row:
    branch: Branch
    standing: Standing
    urged_today: bool


@dataclass
class TaskView:
    task: Task
    info: dict
    rows: list[Row]
    overdue: bool
    counts: dict[str, int] = field(default_factory=dict)  # by BranchState value

    def named(self, *states: BranchState) -> list[str]:
        return [r.branch.name for r in self.rows if r.standing.state in states]

    def params(self) -> dict:
        return {**self.info, "overdue": self.overdue, "counts": self.counts,
                "missing": self.named(BranchState.MISSING), "returned": self.named(BranchState.RETURNED),
                "waiting": self.named(BranchState.WAITING), "approved": self.named(BranchState.APPROVED),
                "total": len(self.rows)}


def _today(svc: Services):  # noqa: ANN202  (a date)
    return filing_rules.local_date(svc.now(), svc.settings.tz)


async def view(svc: Services, telegram_id: int, task_id: int) -> TaskView:
    """A task's card: who handed in, who is waiting for review, who was sent back, who is missing."""
    task = await officer_task(svc, telegram_id, task_id)
    found = await standings(svc.db, task)
    targets = {t.branch_id: t for t in await store.targets(svc.db, task.id)}
    rows = []
    for branch_id, standing in found.items():
        branch = await branches.get(svc.db, branch_id)
        urged_on = targets[branch_id].urged_on
        rows.append(Row(branch, standing, urged_on == _today(svc)))
    counts = {state.value: sum(r.standing.state is state for r in rows) for state in BranchState}
    return TaskView(task, await describe_task(svc, svc.db, task), rows, rules.overdue(task, svc.now()), counts)


async def officer_tasks(svc: Services, telegram_id: int) -> list[TaskView]:
    """/tasks for an officer: the tasks of their units (and the units under them), open first, newest first."""
    scope = await units.require_officer(svc, telegram_id)
    issued = await store.of_units(svc.db, await unit_store.subtree_ids(svc.db, scope))
    issued.sort(key=lambda t: t.status is not TaskStatus.OPEN)
    return [await view(svc, telegram_id, t.id) for t in issued[:LISTED]]


@dataclass
class Urged:
    urged: list[str]  # branches told now
    already: list[str]  # branches urged today already (not told again)


async def urge(svc: Services, telegram_id: int, task_id: int) -> Urged:
    """催办: each branch still owing the material gets one message today (its secretaries, with 提交材料)."""
    task = await officer_task(svc, telegram_id, task_id)
    if task.status is not TaskStatus.OPEN:
        raise UserError("tasks/closed.j2", title=task.title)
    shown = await view(svc, telegram_id, task_id)
    today, now = _today(svc), svc.now()
    done = Urged([], [])
    async with svc.db.write() as db:
        for row in shown.rows:
            if not rules.owes(row.standing.state):
                continue
            if not await store.mark_urged(db, task.id, row.branch.id, today):
                done.already.append(row.branch.name)
                continue
            done.urged.append(row.branch.name)
            message = Outgoing(template="tasks/urged.j2", params={**shown.info, "state": row.standing.state.value,
                                                                  "comment": row.standing.submission.comment
                                                                  if row.standing.submission else None},
                               buttons=submit_button(task.id))
            for person in await members.with_role(db, row.branch.id, APPROVER_ROLES):
                await notify.to_member(svc, db, person, message, kind="task.urge",
                                       key=task_keys.urged(task.id, today, row.branch.id, person.id))
            await audit.record(db, now=now, action="task.urge", branch_id=row.branch.id, actor_id=None,
                               subject=refs.task(task.id), by=telegram_id)
    svc.wake_outbox()
    return done


async def close(svc: Services, telegram_id: int, task_id: int) -> TaskView:
    """结束任务: no more hand-ins (an open draft is refused from now on), the reminders withdrawn."""
    task = await officer_task(svc, telegram_id, task_id)
    now = svc.now()
    async with svc.db.write() as db:
        if not await store.close(db, task.id, now):
            raise UserError("tasks/closed.j2", title=task.title)
        await outbox.cancel_prefix(db, task_keys.remind.scope(task.id), now)
        await audit.record(db, now=now, action="task.close", branch_id=None, actor_id=None,
                           subject=refs.task(task.id), by=telegram_id)
    return await view(svc, telegram_id, task_id)


async def still_owed(svc: Services, row: OutboxRow, now: datetime) -> bool:
    """A reminder or 催办 goes out only while the task is open and the branch still owes its material."""
    parsed = task_keys.remind.parse(row.key) or task_keys.urged.parse(row.key)
    task = await store.get(svc.db, parsed.task) if parsed else None
    return task is not None and await owes(svc.db, task, parsed.branch)


async def task_open(svc: Services, row: OutboxRow, now: datetime) -> bool:
    parsed = task_keys.issued.parse(row.key)
    task = await store.get(svc.db, parsed.task) if parsed else None
    return task is not None and task.status is TaskStatus.OPEN


# --- overdue: the digests and /overview ---------------------------------------------------------------------------

async def overdue_of_branch(svc: Services, branch_id: int, now: datetime) -> list[Task]:
    """The branch's open tasks past their deadline that it still owes."""
    return [t for t in await store.of_branch(svc.db, branch_id) if rules.overdue(t, now)
            and await owes(svc.db, t, branch_id)]


async def digest_section(svc: Services, branch: Branch, now: datetime) -> list[str]:
    """The secretary's digest: tasks from above past their deadline, still to hand in."""
    late = await overdue_of_branch(svc, branch.id, now)
    return [digest_line("overdue_task", titles=[t.title for t in late])] if late else []


async def overdue_counts(svc: Services, branch_ids: list[int], now: datetime) -> dict[int, list[str]]:
    """branch id → the titles of the overdue tasks it still owes (for /overview)."""
    wanted = set(branch_ids)
    found: dict[int, list[str]] = {}
    for task in await store.open_past(svc.db, now):
        for branch_id, standing in (await standings(svc.db, task)).items():
            if branch_id in wanted and rules.owes(standing.state):
                found.setdefault(branch_id, []).append(task.title)
    return found


async def overdue_for_units(svc: Services, unit_ids: list[int], now: datetime) -> list[dict]:
    """The officers' weekly digest: their subtree's open tasks past the deadline, with the branches missing."""
    subtree = set(await unit_store.subtree_ids(svc.db, unit_ids))
    lines = []
    for task in await store.open_past(svc.db, now):
        if task.unit_id not in subtree:
            continue
        missing = [s.branch_id for s in (await standings(svc.db, task)).values() if rules.owes(s.state)]
        if missing:
            names = [b.name for b in [await branches.get(svc.db, i) for i in missing[:10]] if b]
            lines.append({"title": task.title, "count": len(missing), "names": names})
    return lines
