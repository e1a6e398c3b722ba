"""The secretary's daily digest: what waits for them, once a day at the branch's digest time, skipped when empty.

Features declare sections in their `Feature` (found in `svc.features`); each returns the lines it wants shown
(none: nothing to say).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.callbacks import commands as commands_cb
from bot.callbacks.commands import Command
from bot.domain.models import Branch, MemberStatus
from bot.domain.quiet import parse_hhmm
from bot.domain.roles import Role
from bot.features import DigestLines, Feature
from bot.keys import digests as digest_keys
from bot.outgoing import Button, Outgoing, button
from bot.render import plain_text, render
from bot.services import Services, notify, review
from storage import branches, marks, members, outbox, submissions


def line(template_name: str, /, **params: object) -> str:
    """One digest line, worded in templates/digest/<name>.j2 (plain text: digest.j2 escapes it once)."""
    return plain_text(render(f"digest/{template_name}.j2", **params))


def digest_due(branch: Branch, default_tz: str, now: datetime) -> str | None:
    """The branch's local date if its digest time has passed today, else None (pure)."""
    local = now.astimezone(ZoneInfo(branch.tz or default_tz))
    if local.time().replace(tzinfo=None) < parse_hhmm(branch.settings.digest_time):
        return None
    return local.date().isoformat()


async def compose(svc: Services, branch: Branch, now: datetime) -> list[tuple[str, list[str], list[Button]]]:
    """Each section with something to say: (name, lines, its buttons — its own ones, then the one opening the
    command it names)."""
    composed = []
    for name, section, *opens in svc.features.digest_sections:
        found = await section(svc, branch, now)
        lines, buttons = (found.lines, list(found.buttons)) if isinstance(found, DigestLines) else (found, [])
        if not lines:
            continue
        if opens and opens[0] is not None:
            buttons.append(button("digest/open", commands_cb.open_command(opens[0]), name=name))
        composed.append((name, lines, buttons))
    return composed


def digest_message(branch: Branch, composed: list[tuple[str, list[str], list[Button]]]) -> Outgoing:
    """The digest with a button per section (each on its own row, at most 20; two sections naming the same meeting
    share its button)."""
    unique = {b.data: b for _, _, buttons in composed for b in buttons}
    rows = [[b] for b in unique.values()][:20]
    return Outgoing(template="digest/digest.j2", params={"branch": branch.name,
                                                         "sections": [(t, lines) for t, lines, _ in composed]},
                    buttons=rows)


async def send_due_digests(svc: Services, now: datetime) -> None:
    """Tick: for each branch past its digest time today and not yet done, queue the digest (or nothing)."""
    due = {}
    for branch in await branches.every(svc.db):
        day = digest_due(branch, svc.settings.tz, now)
        if day is not None:
            due[digest_keys.branch_day(branch.id, day)] = branch, day
    for key in await marks.missing(svc.db, list(due)):
        branch, day = due[key]
        sections = await compose(svc, branch, now)
        async with svc.db.write() as db:
            if not await marks.claim(db, key, now):
                continue
            if not sections:
                continue
            for secretary in await members.with_role(db, branch.id, [Role.SECRETARY]):
                await notify.to_member(svc, db, secretary, digest_message(branch, sections),
                                       kind="digest", key=digest_keys.branch(branch.id, day, secretary.id))
        svc.wake_outbox()


async def _pending_reviews(svc: Services, branch: Branch, now: datetime) -> list[str]:
    waiting = await submissions.waiting(svc.db, branch.id)
    counts = Counter(label for s in waiting if (label := review.label_of(svc, s.kind)))
    return [line("pending_review", label=label, count=count) for label, count in counts.items()]


async def _pending_joins(svc: Services, branch: Branch, now: datetime) -> list[str]:
    pending = await members.in_branch(svc.db, branch.id, [MemberStatus.PENDING])
    return [line("pending_join", name=m.name) for m in pending]


async def _undelivered(svc: Services, branch: Branch, now: datetime) -> list[str]:
    """Messages the reminder engine gave up on in the last day (after its retries), so nobody is silently missed."""
    rows = await outbox.undelivered_since(svc.db, branch.id, now - timedelta(days=1))
    return [line("undelivered", name=name, count=count) for name, count in rows]


FEATURE = Feature(
    name="digest",
    ticks=(send_due_digests,),
    digest_sections=(("pending_reviews", _pending_reviews, Command.PENDING),
                     ("pending_joins", _pending_joins, Command.PENDING), ("undelivered", _undelivered, Command.MEMBERS)),
)
