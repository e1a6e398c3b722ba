"""Immediate notifications to other people go through the outbox like every reminder.

So they share its guarantees: written in the same transaction as the change they report,
rate-limited, retried on 429, and a blocked recipient is handled in one place.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from bot.domain.models import Member
from bot.domain.outbox import Planned
from bot.keys import common as common_keys
from bot.outgoing import Outgoing
from bot.services import Services
from storage import outbox
from storage.connection import Conn


async def to_member(
    svc: Services, db: Conn, member: Member, message: Outgoing, *, kind: str = "notify", key: str | None = None
) -> bool:
    """Queue `message` for `member` (due now, urgent: it answers something a person just did).

    Returns False for members without Telegram or known to have blocked the bot.
    """
    if member.telegram_id is None or not member.reachable:
        return False
    now = svc.now()
    await outbox.upsert(
        db,
        Planned(
            key=key or common_keys.one_off(kind, secrets.token_hex(8)),
            chat_id=member.telegram_id,
            kind=kind,
            payload=message,
            due_at=now,
            branch_id=member.branch_id,
            member_id=member.id,
            urgent=True,
        ),
        now,
    )
    return True


async def action_saved(svc: Services, chat_id: int, update_id: int) -> None:
    """What a person did was saved, but the answer to it did not reach them: say so, durably, so they do not
    do it twice. One notice per update (keyed by its id), whoever asks again."""
    now = svc.now()
    async with svc.db.write() as db:
        await outbox.upsert(db, Planned(key=common_keys.saved(update_id), chat_id=chat_id, kind="reply.saved",
                                        payload=Outgoing(template="common/saved.j2"), due_at=now, urgent=True), now)
    svc.wake_outbox()


async def member_unreachable(svc: Services, db: Conn, secretary: Member, member: Member, now: datetime) -> None:
    """The reminder engine's notice to a secretary that `member` cannot be reached (blocked the bot)."""
    await to_member(svc, db, secretary, Outgoing(template="common/unreachable.j2", params={"name": member.name}),
                    kind="member.unreachable", key=common_keys.unreachable(member.id, now))
