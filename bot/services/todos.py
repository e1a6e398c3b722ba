"""A person's to-dos: what each feature says they have to do now, each as the button that does it — the answer to
a message nobody understood, instead of a shrug."""

from __future__ import annotations

from bot.outgoing import Button
from bot.services import Services, membership

MAX_TODOS = 20


async def buttons_for(svc: Services, telegram_id: int) -> list[list[Button]]:
    """One row per to-do, in the features' order (svc.features.todos), at most MAX_TODOS."""
    member = await membership.active_member(svc, telegram_id)
    now = svc.now()
    found: list[Button] = []
    for source in svc.features.todos:
        found += await source(svc, member, now)
    return [[b] for b in found[:MAX_TODOS]]
