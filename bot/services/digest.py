"""The secretary's daily digest: what waits for them, once a day at the branch's digest time, skipped when empty.

Features declare sections in their `Feature` (found in `svc.features`); each returns the lines it wants shown
(none: nothing to say).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.callbacks import commands as commands_cb
from bot.callbacks.commands import Command
from bot.domain.models import Branch, Member, MemberStatus
from bot.domain.quiet import parse_hhmm
from bot.domain.roles import Role
from bot.features import DigestLines, Feature, ForBranches
from bot.keys import digests as digest_keys
from bot.outgoing import Button, Outgoing, button
from bot.render import plain_text, render
from bot.services import Services, notify, review
from storage import branches, marks, members, outbox, submissions
from storage.connection import Conn


def line(template_name: str, /, **params: object) -> str:
    """One digest line, worded in templates/digest/<name>.j2 (plain text: digest.j2 escapes it once)."""
    return plain_text(render(f"digest/{template_name}.j2", **params))


def digest_due(branch: Branch, default_tz: str, now: datetime) -> str | None:
    """The branch's local date if its digest time has passed today, else None (pure)."""
    local = now.astimezone(ZoneInfo(branch.tz or default_tz))
    if local.time().replace(tzinfo=None) < parse_hhmm(branch.settings.digest_time):
        return None
    return local.date().isoformat()


Composed = list[tuple[str, list[str], list[Button]]]


async def compose(svc: Services, branch: Branch, now: datetime) -> Composed:
    """Each section with something to say: (name, lines, its buttons — its own ones, then the one opening the
    command it names)."""
    return (await compose_many(svc, [branch], now))[branch.id]


async def compose_many(svc: Services, batch: list[Branch], now: datetime) -> dict[int, Composed]:
    """`compose` for each branch of the batch: a section that reads many branches at once (ForBranches) is asked
    once for the batch, any other once a branch."""
    composed: dict[int, Composed] = {branch.id: [] for branch in batch}
    for name, section, *opens in svc.features.digest_sections:
        if isinstance(section, ForBranches):
            found = await section.many(svc, batch, now)
        else:
            found = {branch.id: await section(svc, branch, now) for branch in batch}
        for branch_id, said in found.items():
            lines, buttons = (said.lines, list(said.buttons)) if isinstance(said, DigestLines) else (said, [])
            if not lines:
                continue
            if opens and opens[0] is not None:
                buttons.append(button("digest/open", commands_cb.open_command(opens[0]), name=name))
            composed[branch_id].append((name, lines, buttons))
    return composed


def digest_message(branch: Branch, composed: Composed) -> Outgoing:
    """The digest with a button per section (each on its own row, at most 20; two sections naming the same meeting
    share its button)."""
    unique = {b.data: b for _, _, buttons in composed for b in buttons}
    rows = [[b] for b in unique.values()][:20]
    return Outgoing(template="digest/digest.j2", params={"branch": branch.name,
                                                         "sections": [(t, lines) for t, lines, _ in composed]},
                    buttons=rows)


# Branches whose digests are queued in one write transaction: the writer is taken a few dozen times a county-wide
# pass instead of once a branch (each time a trip to its thread to begin and one to commit), and let go in between
# so members' writes are not held up.
DIGEST_BATCH = 50


async def send_due_digests(svc: Services, now: datetime) -> None:
    """Tick: for each branch past its digest time today and not yet done, queue the digest (or nothing).

    Each batch of branches is composed from committed data (the read connections), then queued in one write."""
    due = {}
    days: dict[tuple[str | None, str], str | None] = {}  # branches share a few time zones and digest times
    for branch in await branches.every(svc.db):
        when = branch.tz, branch.settings.digest_time
        day = days[when] if when in days else days.setdefault(when, digest_due(branch, svc.settings.tz, now))
        if day is not None:
            due[digest_keys.branch_day(branch.id, day)] = branch, day
    missing = await marks.missing(svc.db, list(due))
    keys = [key for key in due if key in missing]
    for start in range(0, len(keys), DIGEST_BATCH):
        batch = keys[start:start + DIGEST_BATCH]
        composed = await compose_many(svc, [due[key][0] for key in batch], now)
        secretaries = await members.with_role_in(svc.db, [b for b, c in composed.items() if c], [Role.SECRETARY])
        async with svc.db.write() as db:
            for key in batch:
                branch, day = due[key]
                if await marks.claim(db, key, now) and composed[branch.id]:
                    await _queue(svc, db, branch, day, composed[branch.id], secretaries.get(branch.id, []))
        svc.wake_outbox()


async def _queue(svc: Services, db: Conn, branch: Branch, day: str, sections: Composed,
                 secretaries: list[Member]) -> None:
    for secretary in secretaries:
        await notify.to_member(svc, db, secretary, digest_message(branch, sections),
                               kind="digest", key=digest_keys.branch(branch.id, day, secretary.id))


async def _pending_reviews(svc: Services, batch: Sequence[Branch], now: datetime) -> dict[int, list[str]]:
    waiting = [s for s in await submissions.waiting_in(svc.db, [b.id for b in batch], list(svc.features.review_kinds))
               if not review.kind_of(svc, s.kind).private]
    counts: dict[int, Counter[str]] = {}
    for s in waiting:
        if label := review.label_of(svc, s.kind):
            counts.setdefault(s.branch_id, Counter())[label] += 1
    return {branch_id: [line("pending_review", label=label, count=count) for label, count in found.items()]
            for branch_id, found in counts.items()}


async def _pending_joins(svc: Services, batch: Sequence[Branch], now: datetime) -> dict[int, list[str]]:
    pending = await members.in_branches(svc.db, [b.id for b in batch], [MemberStatus.PENDING])
    return {branch_id: [line("pending_join", name=m.name) for m in found] for branch_id, found in pending.items()}


async def _undelivered(svc: Services, batch: Sequence[Branch], now: datetime) -> dict[int, list[str]]:
    """Messages the reminder engine gave up on in the last day (after its retries), so nobody is silently missed."""
    rows = await outbox.undelivered_since(svc.db, [b.id for b in batch], now - timedelta(days=1))
    return {branch_id: [line("undelivered", name=name, count=count) for name, count in found]
            for branch_id, found in rows.items()}


FEATURE = Feature(
    name="digest",
    ticks=(send_due_digests,),
    digest_sections=(("pending_reviews", ForBranches(_pending_reviews), Command.PENDING),
                     ("pending_joins", ForBranches(_pending_joins), Command.PENDING),
                     ("undelivered", ForBranches(_undelivered), Command.MEMBERS)),
)
