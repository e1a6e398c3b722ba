"""An officer issues a task (材料报送): the title, the text, the last day and an optional template file, each
typed (or sent) and kept before the next question; a preview with the branches it will reach (the subtree's, or one
unit's under it) and ✏️ to change any part; 发布 sends it to each branch's secretaries with 提交材料 and plans the
reminders before the deadline. The draft lives in `tasks` (status draft), so a restart or /cancel keeps it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot import uploads
from bot.callbacks import tasks as cb
from bot.domain import filing as filing_rules
from bot.domain import tasks as rules
from bot.domain import when
from bot.domain.outbox import Planned
from bot.domain.roles import APPROVER_ROLES
from bot.domain.tasks import Task, TaskStatus
from bot.domain.units import ROOT_ID, Unit
from bot.errors import UserError
from bot.keys import refs
from bot.keys import tasks as task_keys
from bot.outgoing import Attachment, Outgoing, button
from bot.services import Services, notify, reviewers, units
from bot.services.tasks.common import describe_task
from storage import audit, conversations, members, outbox
from storage import tasks as store
from storage import units as unit_store
from storage.connection import Conn

FORM = "task_new"
ASKED = ("title", "body", "deadline", "file")  # in this order; then the preview
FIELDS = (*ASKED, "targets")


@dataclass
class Draft:
    task: Task
    step: str  # what is asked next: one of ASKED, "targets", or "preview"
    info: dict
    targets: str = ""  # the unit whose branches it will reach
    branches: int = 0
    options: list[tuple[Unit, int]] = field(default_factory=list)  # on the targets step: (unit, its branches)


async def _options(svc: Services, scope: list[int]) -> list[tuple[Unit, int]]:
    """Where a task may go: each of the officer's units (all its branches), and each unit directly under one."""
    found = []
    everything = await unit_store.every(svc.db)
    for unit in [u for u in everything if u.id in scope] + [u for u in everything if u.parent_id in scope]:
        count = len(await unit_store.branches_under(svc.db, [unit.id]))
        if count and unit.id not in {u.id for u, _ in found}:
            found.append((unit, count))
    return found[:20]


async def _draft(svc: Services, task: Task, step: str) -> Draft:
    target = await unit_store.get(svc.db, task.target_unit)
    branches = len(await unit_store.branches_under(svc.db, [task.target_unit]))
    options = await _options(svc, await units.officer_scope(svc, task.created_by)) if step == "targets" else []
    return Draft(task, step, await describe_task(svc, svc.db, task), target.name if target else "", branches,
                 options)


async def _own_draft(svc: Services, telegram_id: int, task_id: int) -> Task:
    """The officer's own task still being written (re-checked on every press and answer)."""
    await units.require_officer(svc, telegram_id)
    task = await store.get(svc.db, task_id)
    if task is None or task.created_by != telegram_id or task.status is not TaskStatus.DRAFT:
        raise UserError("common/stale.j2")
    return task


async def _ask(svc: Services, db: Conn, telegram_id: int, task: Task, step: str, back: bool = False) -> None:
    await conversations.save(db, telegram_id, FORM, step, {"task_id": task.id, "back": back}, svc.now())


def _after(step: str, back: bool) -> str:
    """The step after an answer: the next one asked, or the preview when editing from it."""
    if back or step not in ASKED or step == ASKED[-1]:
        return "preview"
    return ASKED[ASKED.index(step) + 1]


async def begin(svc: Services, telegram_id: int) -> Draft:
    """➕ 新建报送任务: the draft under way, at the step it stopped at, or a new one for the officer's unit."""
    scope = await units.require_officer(svc, telegram_id)
    async with svc.db.write() as db:
        task = await store.draft_of(db, telegram_id)
        conversation = await conversations.get(db, telegram_id)
        step = conversation.step if conversation and conversation.kind == FORM and task and \
            conversation.data.get("task_id") == task.id else "title"
        if task is None:
            task = await store.create(db, scope[0], telegram_id, await reviewers.officer_name(svc, db, telegram_id),
                                      svc.now())
        await _ask(svc, db, telegram_id, task, step, back=bool(conversation and conversation.data.get("back")))
    return await _draft(svc, task, step)


def _clean(step: str, text: str | None, now: datetime, tz: str) -> dict:
    typed = (text or "").strip()
    if step == "title":
        if not typed or len(typed) > rules.TITLE_MAX:
            raise UserError("tasks/bad_title.j2", max=rules.TITLE_MAX)
        return {"title": " ".join(typed.split())}
    if step == "body":
        if not typed:
            raise UserError("tasks/bad_body.j2", max=rules.BODY_MAX)
        if len(typed) > rules.BODY_MAX:
            raise UserError("common/too_long.j2", field="task_body", max=rules.BODY_MAX, length=len(typed))
        return {"body": typed}
    if step == "deadline":
        day = when.read_day(typed, filing_rules.local_date(now, tz))
        if isinstance(day, when.Refusal) or rules.deadline_of(day, tz) <= now:
            raise UserError("tasks/bad_deadline.j2")
        return {"deadline": rules.deadline_of(day, tz)}
    raise UserError("tasks/send_file.j2")  # the file step takes a file (or 跳过), not text


async def typed(svc: Services, telegram_id: int, data: dict, step: str, text: str | None) -> Draft:
    """The title, the text or the last day, typed: kept, then the next question (or the preview)."""
    task = await _own_draft(svc, telegram_id, int(data.get("task_id", 0)))
    fields = _clean(step, text, svc.now(), svc.settings.tz)
    return await _saved(svc, telegram_id, task, step, bool(data.get("back")), **fields)


async def _saved(svc: Services, telegram_id: int, task: Task, step: str, back: bool, **fields: object) -> Draft:
    nxt = _after(step, back)
    async with svc.db.write() as db:
        if fields:
            await store.update(db, task.id, **fields)
        await _ask(svc, db, telegram_id, task, nxt, back=back or nxt == "preview")
    return await _draft(svc, await store.get(svc.db, task.id), nxt)


async def file_sent(svc: Services, telegram_id: int, data: dict, file_id: str, file_name: str | None,
                    size: int | None) -> Draft:
    """The template file, on the file step (the upload guard's size limit first)."""
    uploads.check_size(size, uploads.SUBMITTED)
    task = await _own_draft(svc, telegram_id, int(data.get("task_id", 0)))
    return await _saved(svc, telegram_id, task, "file", bool(data.get("back")), file_id=file_id,
                        file_name=(file_name or "").strip()[:100] or None)


async def skip_file(svc: Services, telegram_id: int, task_id: int) -> Draft:
    """跳过: no template file (one sent before is dropped)."""
    task = await _own_draft(svc, telegram_id, task_id)
    return await _saved(svc, telegram_id, task, "file", True, file_id=None, file_name=None)


async def edit(svc: Services, telegram_id: int, task_id: int, field_name: str) -> Draft:
    """✏️ on the preview: that part is asked again (the targets offered as buttons)."""
    task = await _own_draft(svc, telegram_id, task_id)
    if field_name not in FIELDS:
        raise UserError("common/stale.j2")
    async with svc.db.write() as db:
        await _ask(svc, db, telegram_id, task, field_name, back=True)
    return await _draft(svc, task, field_name)


async def choose_target(svc: Services, telegram_id: int, task_id: int, unit_id: int) -> Draft:
    """The unit whose branches the task goes to: one of the officer's units or a unit directly under one."""
    task = await _own_draft(svc, telegram_id, task_id)
    unit = await units.unit_in_scope(svc, telegram_id, unit_id)
    scope = await units.officer_scope(svc, telegram_id)
    issuing = unit.id if unit.id in scope else unit.parent_id
    if issuing not in scope:
        raise UserError("units/out_of_scope.j2")
    async with svc.db.write() as db:
        await store.update(db, task.id, target_unit=unit.id, unit_id=issuing)
        await _ask(svc, db, telegram_id, task, "preview", back=True)
    return await _draft(svc, await store.get(svc.db, task.id), "preview")


def _complete(task: Task) -> bool:
    return bool(task.title and task.body and task.deadline)


async def publish(svc: Services, telegram_id: int, task_id: int) -> tuple[Draft, int]:
    """发布: to every branch under the target unit — each secretary (and deputy) gets the task with 提交材料 and the
    template file; the reminders before the last day are planned. (draft, how many branches)."""
    task = await _own_draft(svc, telegram_id, task_id)
    now = svc.now()
    if not _complete(task):
        raise UserError("tasks/incomplete.j2")
    if task.deadline is not None and task.deadline <= now:
        raise UserError("tasks/bad_deadline.j2")
    await units.unit_in_scope(svc, telegram_id, task.target_unit)
    targets = await unit_store.branches_under(svc.db, [task.target_unit])
    if not targets:
        raise UserError("tasks/no_branches.j2")
    info = await describe_task(svc, svc.db, task)
    async with svc.db.write() as db:
        if not await store.issue(db, task.id, [b.id for b in targets], now):
            raise UserError("common/stale.j2")
        issued = await store.get(db, task.id)
        for branch in targets:
            await _tell_branch(svc, db, issued, branch.id, info, now)
        await audit.record(db, now=now, action="task.issue", branch_id=None, actor_id=None,
                           subject=refs.task(task.id), by=telegram_id, title=task.title, branches=len(targets))
        await conversations.clear(db, telegram_id)
    svc.wake_outbox()
    return await _draft(svc, issued, "issued"), len(targets)


def check_fields(svc: Services, title: str, body: str, day: str) -> dict:
    """A whole task's typed fields, checked as each is when typed (a polite refusal for the first that is wrong)."""
    now, tz = svc.now(), svc.settings.tz
    return {**_clean("title", title, now, tz), **_clean("body", body, now, tz), **_clean("deadline", day, now, tz)}


async def issue_from_above(svc: Services, by: int, by_name: str, title: str, body: str, day: str) -> int:
    """A task from above the county (the city's or province's roll-up): the county's root unit issues it to every
    branch, in one write through the county's own unit of work, checked as a typed one is; the county's bot then
    delivers it and its reminders as any task. The number of branches it reached."""
    fields = check_fields(svc, title, body, day)
    now = svc.now()
    async with svc.db.write() as db:
        targets = await unit_store.branches_under(db, [ROOT_ID])
        if not targets:
            raise UserError("tasks/no_branches.j2")
        task = await store.create(db, ROOT_ID, by, by_name, now)
        await store.update(db, task.id, **fields)
        await store.issue(db, task.id, [b.id for b in targets], now)
        issued = await store.get(db, task.id)
        info = await describe_task(svc, db, issued)
        for branch in targets:
            await _tell_branch(svc, db, issued, branch.id, info, now)
        await audit.record(db, now=now, action="task.issue", branch_id=None, actor_id=None,
                           subject=refs.task(task.id), by=by, title=issued.title, branches=len(targets))
    svc.wake_outbox()
    return len(targets)


def submit_button(task_id: int) -> list:
    return [[button("tasks/submit", cb.submit(task_id))]]


async def _tell_branch(svc: Services, db: Conn, task: Task, branch_id: int, info: dict, now: datetime) -> None:
    """The task to the branch's secretaries, and their reminders 3 days and 1 day before the last day."""
    attachments = [Attachment(file_id=task.file_id, kind="document")] if task.file_id else []
    for person in await members.with_role(db, branch_id, APPROVER_ROLES):
        await notify.to_member(svc, db, person, Outgoing(template="tasks/issued.j2", params=info,
                                                         buttons=submit_button(task.id), attachments=attachments),
                               kind="task.issued", key=task_keys.issued(task.id, person.id))
        if person.telegram_id is None or task.deadline is None:
            continue
        for days, at in rules.reminder_times(task.deadline, svc.settings.tz, now):
            await outbox.upsert(db, Planned(
                key=task_keys.remind(task.id, f"remind-{days}d", branch_id, person.id), chat_id=person.telegram_id,
                kind="task.remind", payload=Outgoing(template="tasks/reminder.j2", params={**info, "days": days},
                                                     buttons=submit_button(task.id)),
                due_at=at, expires_at=task.deadline, branch_id=branch_id, member_id=person.id), now)


async def discard(svc: Services, telegram_id: int, task_id: int) -> None:
    """放弃: the draft is dropped (nothing was sent)."""
    task = await _own_draft(svc, telegram_id, task_id)
    async with svc.db.write() as db:
        await store.delete_draft(db, task.id)
        await conversations.clear(db, telegram_id)
