"""Tasks from above (材料报送): an officer issues a task to the branches of their subtree (bot/services/tasks/issue.py),
each branch's secretary hands in the material through the shared drafting helper and the one review mechanism
(handin.py), and the officers follow it, press 催办 and close it (progress.py). `zhibu export tasks` writes all that
was handed in as one ZIP (bot/exports/tasks.py)."""

from __future__ import annotations

from bot.features import Feature
from bot.services.tasks import handin, progress

FEATURE = Feature(
    name="tasks",
    relevance={"task.remind": progress.still_owed, "task.urge": progress.still_owed,
               "task.issued": progress.task_open},
    review_kinds=(handin.REVIEW,),
    drafts=(handin.DRAFT,),
    digest_sections=(("tasks_overdue", progress.digest_section),),
)
