"""One review mechanism for every kind of submission: submit → card → 通过 / 退回修改 / 驳回 → author told.

Features declare ReviewKinds in their `Feature` (what the card and the author's notice look like, and an optional
hook run in the decision's transaction); this module owns the state machine, authorisation and audit, and finds
the kinds in `svc.features`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.domain.models import Member
from bot.domain.review import (
    AFTER_DECISION,
    Decision,
    Submission,
    can_decide,
    can_submit,
    needs_comment,
)
from bot.domain.roles import APPROVER_ROLES
from bot.errors import UserError
from bot.callbacks import review as review_cb
from bot.outgoing import Attachment, Button, Outgoing, button
from bot.services import Services, membership, notify
from storage import audit, conversations, members, submissions
from storage.db import Conn

COMMENT_MAX = 500

Hook = Callable[[Services, Conn, Submission, Decision], Awaitable[None]]


@dataclass(frozen=True)
class ReviewKind:
    kind: str
    label: str  # 补课材料, 会议记录, 个人自评 …
    card_template: str  # the reviewer's card body; gets submission, author, content
    allow_return: bool = True
    approve_label: str = "通过"
    reject_label: str = "驳回"
    fix_hint: str | None = None  # how the author reopens it, e.g. "/minutes"
    on_decided: Hook | None = None


def kind_of(svc: Services, name: str) -> ReviewKind:
    return svc.features.review_kinds[name]


def label_of(svc: Services, name: str) -> str | None:
    kind = svc.features.review_kinds.get(name)
    return kind.label if kind else None


def card_buttons(kind: ReviewKind, submission: Submission) -> list[list[Button]]:
    key = submission.id, submission.version
    row = [button("review/approve", review_cb.approve(*key), word=kind.approve_label)]
    if kind.allow_return:
        row.append(button("review/send_back", review_cb.send_back(*key)))
    row.append(button("review/reject", review_cb.reject(*key), word=kind.reject_label))
    return [row]


async def card(svc: Services, db: Conn, submission: Submission) -> Outgoing:
    """The reviewer's card, with the submission's photos ahead of it."""
    kind = kind_of(svc, submission.kind)
    author = await members.get(db, submission.author_id)
    attached = await submissions.files(db, submission.id)
    return Outgoing(
        template="review/card.j2",
        params={"body": kind.card_template, "label": kind.label, "author": author.name,
                "content": submission.content, "version": submission.version, "photos": len(attached),
                "submission_id": submission.id},
        buttons=card_buttons(kind, submission),
        attachments=[Attachment(file_id=f.file_id, kind=f.file_kind) for f in attached],
    )


async def submit(svc: Services, db: Conn, submission: Submission) -> Submission:
    """Hand in (inside the caller's transaction): status submitted, version bumped, reviewers get the card."""
    if not can_submit(submission.status):
        raise UserError("review/not_editable.j2", status=submission.status.value)
    now = svc.now()
    await submissions.mark_submitted(db, submission.id, now)
    submitted = await submissions.get(db, submission.id)
    await audit.record(db, now=now, action=f"{submission.kind}.submit", branch_id=submission.branch_id,
                       actor_id=submission.author_id, subject=f"submission:{submission.id}", version=submitted.version)
    message = await card(svc, db, submitted)
    for reviewer in await members.with_role(db, submission.branch_id, APPROVER_ROLES):
        await notify.to_member(svc, db, reviewer, message, kind="review.card",
                               key=f"review:{submission.id}:v{submitted.version}:to:{reviewer.id}")
    return submitted


async def _authorised(svc: Services, telegram_id: int, submission_id: int) -> tuple[Member, Submission]:
    submission = await submissions.get(svc.db, submission_id)
    if submission is None or submission.kind not in svc.features.review_kinds:
        raise UserError("common/stale.j2")
    actor = await membership.approver(svc, telegram_id, submission.branch_id)
    return actor, submission


@dataclass
class Decided:
    submission: Submission
    already: bool  # someone (maybe this reviewer) decided it before, or it was resubmitted since


async def decide(
    svc: Services, telegram_id: int, submission_id: int, version: int, decision: Decision, comment: str | None = None
) -> Decided:
    """Record a reviewer's decision; the author is told; a stale or second tap changes nothing."""
    actor, submission = await _authorised(svc, telegram_id, submission_id)
    if submission.version != version or not can_decide(submission.status):
        return Decided(submission, already=True)
    if needs_comment(decision) and not (comment or "").strip():
        raise UserError("review/comment_needed.j2")
    kind = kind_of(svc, submission.kind)
    if decision is Decision.RETURN and not kind.allow_return:
        raise UserError("common/stale.j2")
    now = svc.now()
    async with svc.db.write() as db:
        if not await submissions.decide(db, submission.id, version, AFTER_DECISION[decision], actor.id,
                                        (comment or "").strip() or None, now):
            return Decided(await submissions.get(db, submission.id), already=True)
        decided = await submissions.get(db, submission.id)
        await audit.record(db, now=now, action=f"{submission.kind}.{AFTER_DECISION[decision].value}",
                           branch_id=submission.branch_id, actor_id=actor.id, subject=f"submission:{submission.id}",
                           version=version, comment=decided.comment)
        if kind.on_decided is not None:
            await kind.on_decided(svc, db, decided, decision)
        author = await members.get(db, submission.author_id)
        await notify.to_member(svc, db, author, Outgoing(
            template="review/decided_author.j2",
            params={"label": kind.label, "status": decided.status.value, "comment": decided.comment,
                    "fix_hint": kind.fix_hint, "reviewer": actor.name},
        ), kind="review.outcome", key=f"review:{submission.id}:v{version}:outcome")
        await conversations.clear(db, telegram_id)
    svc.wake_outbox()
    return Decided(decided, already=False)


async def ask_comment(svc: Services, telegram_id: int, submission_id: int, version: int, decision: Decision) -> Submission:
    """退回修改 / 驳回 pressed: check it may happen, then wait for the reason as the reviewer's next message."""
    actor, submission = await _authorised(svc, telegram_id, submission_id)
    if submission.version != version or not can_decide(submission.status):
        raise UserError("review/already.j2", status=submission.status.value)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, "review_comment", "comment",
                                 {"submission_id": submission_id, "version": version, "decision": decision.value},
                                 svc.now())
    return submission


def clean_comment(text: str | None) -> str:
    comment = (text or "").strip()
    if not comment:
        raise UserError("review/comment_needed.j2")
    if len(comment) > COMMENT_MAX:
        raise UserError("common/too_long.j2", field="理由", max=COMMENT_MAX, length=len(comment))
    return comment


async def waiting_for(svc: Services, telegram_id: int) -> list[tuple[Submission, str, str]]:
    """/pending: (submission, kind label, author name) waiting in the reviewer's branch."""
    actor = await membership.approver(svc, telegram_id)
    rows = []
    for submission in await submissions.waiting(svc.db, actor.branch_id):
        if (label := label_of(svc, submission.kind)) is not None:
            author = await members.get(svc.db, submission.author_id)
            rows.append((submission, label, author.name))
    return rows


async def resend_card(svc: Services, telegram_id: int, submission_id: int) -> Outgoing:
    """The card again (from /pending), for a reviewer who lost it in the chat."""
    _, submission = await _authorised(svc, telegram_id, submission_id)
    if not can_decide(submission.status):
        raise UserError("review/already.j2", status=submission.status.value)
    return await card(svc, svc.db, submission)
