"""`zhibu export tasks --unit ID --task ID`: everything the branches handed in for a task, as one ZIP with an Excel
index (bot/documents/tasks.py). The files and photos are fetched from Telegram by their file_id (bot/exports/files.py);
one that cannot be fetched is named in the index and left out of the folder."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.documents import ExportFile, file_name
from bot.documents.tasks import Entry, bundle
from bot.domain.tasks import BranchState
from bot.exports.files import fetch
from bot.services import Services
from bot.services.tasks.common import describe_task, standings
from storage import branches, members, submissions
from storage import tasks as store
from storage import units as unit_store

ZIP = "application/zip"
STATES = {BranchState.MISSING: "未报送", BranchState.WAITING: "待审核", BranchState.RETURNED: "已退回修改",
          BranchState.APPROVED: "已通过"}


class NotFound(LookupError):
    """No such task, or not one the unit (or a unit under it) issued."""


async def export(svc: Services, unit_id: int, task_id: int) -> ExportFile:
    """The task's ZIP, when the unit (or a unit under it) issued it."""
    task = await store.get(svc.db, task_id)
    if task is None or task.unit_id not in await unit_store.subtree_ids(svc.db, [unit_id]):
        raise NotFound(task_id)
    info = await describe_task(svc, svc.db, task)
    zone = ZoneInfo(svc.settings.tz)
    entries: list[Entry] = []
    pending: list[list[tuple[str, str]]] = []  # each entry's (name, file_id), fetched below
    for branch_id, standing in (await standings(svc.db, task)).items():
        branch = await branches.get(svc.db, branch_id)
        unit = await unit_store.get(svc.db, await unit_store.unit_of_branch(svc.db, branch_id))
        entry = Entry(branch.name if branch else "", unit.name if unit else "", STATES[standing.state])
        found, named = standing.submission, []
        if found is not None and standing.state is not BranchState.MISSING:
            author = await members.get(svc.db, found.author_id)
            entry.author, entry.text = (author.name if author else ""), found.content.get("text") or ""
            entry.submitted_at = found.submitted_at.astimezone(zone).replace(tzinfo=None) if found.submitted_at \
                else None
            entry.reviewer, entry.comment = found.decided_by_name or "", found.comment or ""
            named = [(f.file_name or (f"照片{i}.jpg" if f.file_kind == "photo" else f"文件{i}"), f.file_id)
                     for i, f in enumerate(await submissions.files(svc.db, found.id), start=1)]
        entries.append(entry)
        pending.append(named)
    fetched = await fetch(svc.settings, [file_id for named in pending for _, file_id in named])
    for entry, named in zip(entries, pending, strict=True):
        entry.files = [(name, fetched.get(file_id)) for name, file_id in named]
    data = bundle(task.title, info["unit"], info["deadline"] or "", entries)
    return ExportFile(file_name(info["unit"], f"{task.title}（报送材料）", f"任务{task.id}", "zip"), data, ZIP)
