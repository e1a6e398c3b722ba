"""A branch's 三会一课 rules (minutes deadline, required cadences, holidays): read and change them, audited."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain import policy as rules
from bot.domain.minutes import MeetingRules
from bot.domain.models import BranchSettings
from bot.keys import refs
from bot.services import Services
from storage import audit, branches, minutes


class NoSuchBranch(LookupError):
    pass


async def change(svc: Services, branch_id: int, edit: Callable[[MeetingRules], MeetingRules],
                 actor_id: int | None = None, mark_own: bool = True) -> MeetingRules:
    """The branch's rules after `edit` (read and written in one transaction, so no change is lost); a real change
    is saved and audited (with the secretary who made it from /settings, or none from the shell), none writes
    nothing. A cadence or the minutes deadline changed counts as the branch's own choice (`mark_own`; it holds
    only where stricter than its units' policy). `edit` may raise ValueError: then nothing changes."""
    async with svc.db.write() as tx:
        if await branches.get(tx, branch_id) is None:
            raise NoSuchBranch(branch_id)
        current = await minutes.rules_of(tx, branch_id)
        changed = edit(current)
        if mark_own:
            changed = _owned(current, changed)
        if changed != current:
            now = svc.now()
            await minutes.save_rules(tx, branch_id, changed, now)
            await audit.record(tx, now=now, action="meetings.rules", branch_id=branch_id, actor_id=actor_id,
                               subject=refs.branch(branch_id), rules=changed.model_dump(mode="json"))
    return changed


def _owned(before: MeetingRules, after: MeetingRules) -> MeetingRules:
    """`after` with the policy settings `edit` changed marked as the branch's own."""
    was, now = rules.stored_values(before, BranchSettings()), rules.stored_values(after, BranchSettings())
    own = after.own
    for field in rules.RULES_FIELDS:
        if was[field] != now[field]:
            own = rules.own_after(own, rules.RULES_FIELDS, was, field, True)
    return after if own == after.own else after.model_copy(update={"own": own})
