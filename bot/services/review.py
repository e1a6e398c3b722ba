"""One review mechanism for every kind of submission: submit → card → 通过 / 退回修改 / 驳回 → author told.

Features declare ReviewKinds in their `Feature` (what the card and the author's notice look like, who reviews — the
kind's audience, bot/services/reviewers.py — and an optional hook run in the decision's transaction); this module
owns the state machine, authorisation and audit, and finds the kinds in `svc.features`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot import fit
from bot.callbacks import commands as commands_cb
from bot.callbacks import review as review_cb
from bot.callbacks.commands import Command
from bot.domain.meetings import format_moment
from bot.domain.models import Member
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.review import (
    AFTER_DECISION,
    Decision,
    Submission,
    can_decide,
    can_submit,
    needs_comment,
)
from bot.errors import UserError
from bot.features import Feature
from bot.keys import refs
from bot.keys import review as review_keys
from bot.outgoing import Attachment, Button, Outgoing, button
from bot.render import word
from bot.services import Services, membership, notify, reviewers
from bot.services.reviewers import BRANCH_APPROVERS, Audience, Reviewer, Route
from storage import (
    audit,
    branches,
    conversations,
    members,
    outbox,
    review_cards,
    submissions,
)
from storage.connection import Conn

COMMENT_MAX = 500

Hook = Callable[[Services, Conn, Submission, Decision], Awaitable[None]]


@dataclass(frozen=True)
class ReviewKind:
    """One kind of thing handed in for review; its words (补课材料; 批准 or 通过 …) are in templates/review/words.j2."""

    kind: str
    card_template: str  # the reviewer's card body; gets submission, author, content
    allow_return: bool = True
    rejected_note: str | None = None  # template: what the author can still do after a rejection (default: nothing)
    fix_hint: str | None = None  # how the author reopens it, e.g. "/minutes"
    fix_data: Callable[[Submission], str] | None = None  # the callback data of 修改并重新提交 under a return
    on_decided: Hook | None = None
    audience: Audience = BRANCH_APPROVERS  # who gets the card and may decide (never the author)
    # A case the branch must not see (a 约谈's report): its audit entries name no branch, the branch's digest does
    # not count it; only its audience and the author hear of it.
    private: bool = False
    named: str | None = None  # the name of a kind the templates do not know (one made up by a test)

    @property
    def label(self) -> str:
        return self.named or word("review/label", kind=self.kind)

    @property
    def approve_label(self) -> str:
        return word("review/approve", kind=self.kind)

    @property
    def reject_label(self) -> str:
        return word("review/reject", kind=self.kind)

    @property
    def approved_word(self) -> str:
        """How a decided card and the author's notice name the outcome."""
        return word("review/approved", kind=self.kind)

    @property
    def rejected_word(self) -> str:
        return word("review/rejected", kind=self.kind)

    @property
    def verb(self) -> str:
        """What the decider does: 审核, 审批 (a leave)."""
        return word("review/verb", kind=self.kind)


def kind_of(svc: Services, name: str) -> ReviewKind:
    return svc.features.review_kinds[name]


def label_of(svc: Services, name: str) -> str | None:
    kind = svc.features.review_kinds.get(name)
    return kind.label if kind else None


def _audited_branch(svc: Services, submission: Submission) -> int | None:
    """The branch an audit entry is filed under: none for a private kind (the branch never reads of it)."""
    return None if kind_of(svc, submission.kind).private else submission.branch_id


def card_buttons(kind: ReviewKind, submission: Submission, shortened: bool = False) -> list[list[Button]]:
    key = submission.id, submission.version
    row = [button("review/approve", review_cb.approve(*key), word=kind.approve_label)]
    if kind.allow_return:
        row.append(button("review/send_back", review_cb.send_back(*key)))
    row.append(button("review/reject", review_cb.reject(*key), word=kind.reject_label))
    return [row] + _full_text_row(submission, shortened)


def _full_text_row(submission: Submission, shortened: bool) -> list[list[Button]]:
    """A card too long for one message shows the start of each long text; the whole is one tap away."""
    return [[button("review/full_text", review_cb.full_text(submission.id, submission.version))]] if shortened else []


async def _card_params(svc: Services, db: Conn, submission: Submission) -> dict:
    """What every state of a card shows: what it is, whose, and the submission's own fields."""
    kind = kind_of(svc, submission.kind)
    author = await members.get(db, submission.author_id)
    attached = await submissions.files(db, submission.id)
    return {"body": kind.card_template, "label": kind.label, "author": author.name, "content": submission.content,
            "version": submission.version, "photos": len([f for f in attached if f.file_kind == "photo"]),
            "submission_id": submission.id}


async def card(svc: Services, db: Conn, submission: Submission, route: Route | None = None) -> Outgoing:
    """The reviewer's card, with the submission's photos ahead of it as one album captioned with whose they are;
    it says why it came to its reviewers when they are not the usual ones (the author's own case)."""
    attached = await submissions.files(db, submission.id)
    kind = kind_of(svc, submission.kind)
    route = route or await kind.audience.route(svc, db, submission)
    params, shortened = fit.fit("review/card.j2", {
        **await _card_params(svc, db, submission),
        "routed": {**route.params(), "label": kind.label, "verb": kind.verb}})
    return Outgoing(
        template="review/card.j2",
        params=params,
        buttons=card_buttons(kind, submission, shortened),
        attachments=[Attachment(file_id=f.file_id, kind=f.file_kind) for f in attached],
        album_template="review/album_caption.j2",
    )


async def decided_card(svc: Services, db: Conn, submission: Submission, *, superseded_by: int | None = None) -> Outgoing:
    """A card no longer waiting: still who, what and when, now with the outcome, who decided and when — or, for a
    version that was handed in again (`superseded_by` the newer version), that it was superseded. No buttons."""
    kind = kind_of(svc, submission.kind)
    reviewer = submission.decided_by_name or (
        (await members.get(db, submission.decided_by)).name if submission.decided_by else None)
    branch = await branches.get(db, submission.branch_id)
    tz = branch.tz or svc.settings.tz
    params, shortened = fit.fit("review/card_decided.j2", {
        **await _card_params(svc, db, submission), "status": submission.status.value,
        "approved_word": kind.approved_word, "rejected_word": kind.rejected_word,
        "reviewer": reviewer, "comment": submission.comment,
        "decided_at": format_moment(submission.decided_at, tz) if submission.decided_at else None,
        "superseded_by": superseded_by})
    return Outgoing(template="review/card_decided.j2", params=params,
                    buttons=_full_text_row(submission, shortened))


@dataclass(frozen=True)
class _CardCopy:
    """One message showing a version's card; `tag` keeps the outbox key of its edit apart from other copies'."""

    tag: str
    chat_id: int
    message_id: int
    branch_id: int | None
    member_id: int | None


async def _card_copies(db: Conn, submission_id: int, version: int) -> list[_CardCopy]:
    """Every message known to show this version's card: the approvers' copies the outbox sent (their rows carry
    the message id) and the copies opened again from /pending."""
    sent = [_CardCopy(str(row.id), row.chat_id, row.message_id, row.branch_id, row.member_id)
            for row in await outbox.by_prefix(db, review_keys.card.scope(submission_id, version))
            if row.message_id is not None]
    shown = [_CardCopy(f"shown{c.id}", c.chat_id, c.message_id, c.branch_id, c.member_id)
             for c in await review_cards.for_version(db, submission_id, version)]
    return sent + shown


async def _queue_edit(svc: Services, db: Conn, submission_id: int, version: int, copy: _CardCopy,
                      message: Outgoing) -> None:
    """The copy takes `message` through the outbox (an edit of a message since deleted is dropped, not resent)."""
    now = svc.now()
    await outbox.upsert(db, Planned(
        key=review_keys.edit(submission_id, version, copy.tag, message.params.get("status"),
                             message.params.get("superseded_by") or 0),
        chat_id=copy.chat_id, kind="review.card_edit",
        payload=message.model_copy(update={"edit_message_id": copy.message_id}),
        due_at=now, branch_id=copy.branch_id, member_id=copy.member_id, urgent=True), now)


async def update_cards(svc: Services, db: Conn, submission_id: int, version: int, message: Outgoing,
                       *, except_message: tuple[int, int] | None = None) -> int:
    """Every copy of the card for `version` (each approver's, and each opened again from /pending) takes the new
    state (edits queued in the caller's transaction, through the outbox); copies not sent yet are skipped at send
    time instead (see _card_open). `except_message` (chat id, message id): the copy the caller edits itself."""
    queued = 0
    for copy in await _card_copies(db, submission_id, version):
        if (copy.chat_id, copy.message_id) != except_message:
            await _queue_edit(svc, db, submission_id, version, copy, message)
            queued += 1
    return queued


async def submit(svc: Services, db: Conn, submission: Submission) -> Submission:
    """Hand in (inside the caller's transaction): status submitted, version bumped, reviewers get the card."""
    if not can_submit(submission.status):
        raise UserError("review/not_editable.j2", status=submission.status.value)
    now = svc.now()
    if submission.version > 0:  # handed in again: the older cards say they were superseded (keeping the return)
        await update_cards(svc, db, submission.id, submission.version,
                           await decided_card(svc, db, submission, superseded_by=submission.version + 1))
    await submissions.mark_submitted(db, submission.id, now)
    submitted = await submissions.get(db, submission.id)
    await audit.record(db, now=now, action=f"{submission.kind}.submit", branch_id=_audited_branch(svc, submission),
                       actor_id=submission.author_id, subject=refs.submission(submission.id), version=submitted.version)
    route = await kind_of(svc, submission.kind).audience.route(svc, db, submitted)
    message = await card(svc, db, submitted, route)
    for reviewer in route.reviewers:
        await reviewers.deliver(svc, db, reviewer, message, kind="review.card",
                                key=review_keys.card(submission.id, submitted.version, reviewer.tag))
    return submitted


async def _authorised(svc: Services, telegram_id: int, submission_id: int) -> tuple[Reviewer, Submission]:
    submission = await submissions.get(svc.db, submission_id)
    if submission is None or submission.kind not in svc.features.review_kinds:
        raise UserError("common/stale.j2")
    actor = await kind_of(svc, submission.kind).audience.authorise(svc, telegram_id, submission)
    return actor, submission


@dataclass
class Decided:
    submission: Submission
    already: bool  # someone (maybe this reviewer) decided it before, or it was resubmitted since


async def decide(
    svc: Services, telegram_id: int, submission_id: int, version: int, decision: Decision, comment: str | None = None,
    *, card_shown: tuple[int, int] | None = None,
) -> Decided:
    """Record a reviewer's decision; the author is told and every approver's card shows the outcome; a stale or
    second tap changes nothing. `card_shown` (chat id, message id): the pressed card, which the caller edits."""
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
        if not await submissions.decide(db, submission.id, version, AFTER_DECISION[decision],
                                        actor.member.id if actor.member else None, (comment or "").strip() or None,
                                        now, by_name=actor.name):
            return Decided(await submissions.get(db, submission.id), already=True)
        decided = await submissions.get(db, submission.id)
        await audit.record(db, now=now, action=f"{submission.kind}.{AFTER_DECISION[decision].value}",
                           branch_id=_audited_branch(svc, submission), actor_id=actor.member.id if actor.member else None,
                           subject=refs.submission(submission.id), version=version, comment=decided.comment,
                           **({} if actor.member else {"by": actor.telegram_id, "by_name": actor.name}))
        if kind.on_decided is not None:
            await kind.on_decided(svc, db, decided, decision)
        author = await members.get(db, submission.author_id)
        fix = [[button("review/fix", kind.fix_data(decided))]] if decision is Decision.RETURN and kind.fix_data else []
        await notify.to_member(svc, db, author, Outgoing(
            template="review/decided_author.j2",
            params={"label": kind.label, "status": decided.status.value, "comment": decided.comment,
                    "fix_hint": kind.fix_hint, "reviewer": actor.name, "approved_word": kind.approved_word,
                    "rejected_word": kind.rejected_word, "content": decided.content,
                    "rejected_note": kind.rejected_note, "fix_button": bool(fix)},
            buttons=fix), kind="review.outcome", key=review_keys.outcome(submission.id, version))
        await update_cards(svc, db, submission.id, version, await decided_card(svc, db, decided),
                           except_message=card_shown)
        await conversations.clear(db, telegram_id)
    svc.wake_outbox()
    return Decided(decided, already=False)


async def ask_comment(svc: Services, telegram_id: int, submission_id: int, version: int, decision: Decision) -> Submission:
    """退回修改 / 驳回 pressed: check it may happen, then wait for the reason as the reviewer's next message."""
    actor, submission = await _authorised(svc, telegram_id, submission_id)
    if submission.version != version or not can_decide(submission.status):
        raise UserError("review/already.j2", status=submission.status.value, superseded=submission.version != version)
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
        raise UserError("common/too_long.j2", field="decision_reason", max=COMMENT_MAX, length=len(comment))
    return comment


async def waiting_for(svc: Services, telegram_id: int) -> list[tuple[Submission, str, str]]:
    """/pending: (submission, kind label, author name) waiting for this reviewer, oldest first — in their branch,
    and for every other audience they belong to (a unit they are an officer of)."""
    by_audience: dict[Audience, list[str]] = {}
    for name, kind in svc.features.review_kinds.items():
        by_audience.setdefault(kind.audience, []).append(name)
    found: list[Submission] | None = None
    for audience, kinds in by_audience.items():
        if (mine := await audience.waiting(svc, telegram_id, kinds)) is not None:
            found = (found or []) + mine
    if found is None:
        await membership.approver(svc, telegram_id)  # reviews nothing: says why (not a member, not an approver)
    rows = []
    for submission in sorted(found or [], key=lambda s: (s.submitted_at, s.id)):
        author = await members.get(svc.db, submission.author_id)
        rows.append((submission, kind_of(svc, submission.kind).label, author.name))
    return rows


async def resend_card(svc: Services, telegram_id: int, submission_id: int) -> Outgoing:
    """The card again (from /pending), for a reviewer who lost it in the chat."""
    _, submission = await _authorised(svc, telegram_id, submission_id)
    if not can_decide(submission.status):
        raise UserError("review/already.j2", status=submission.status.value, superseded=False)
    return await card(svc, svc.db, submission)


async def full_text(svc: Services, telegram_id: int, submission_id: int, version: int) -> Outgoing:
    """📄 查看全文 under a shortened card: the whole submission as its own message(s), for the branch's approvers;
    a card of an older version says it was superseded instead."""
    _, submission = await _authorised(svc, telegram_id, submission_id)
    if submission.version != version:
        raise UserError("review/already.j2", status=submission.status.value, superseded=True)
    return Outgoing(template="review/full_text.j2", params=await _card_params(svc, svc.db, submission))


async def card_shown(svc: Services, telegram_id: int, shown: Outgoing, chat_id: int, message_id: int) -> None:
    """The card `resend_card` gave was shown as `message_id`: kept, so that a decision (by anyone, from any copy)
    or a newer version edits this copy too. Only a copy in the approver's own chat (whose id is their Telegram id,
    where notify sends them everything) is kept: nothing is ever edited into a group. Decided or handed in again
    between the card's reading and now: the copy is brought up to date at once. (The card is already shown, so
    nothing here refuses: `resend_card` authorised it.)"""
    viewer = await members.by_telegram_id(svc.db, telegram_id)
    if chat_id != telegram_id or viewer is None:
        return
    submission_id, version = shown.params["submission_id"], shown.params["version"]
    async with svc.db.write() as db:
        latest = await submissions.get(db, submission_id)
        copy = await review_cards.add(db, submission_id=submission_id, version=version, branch_id=latest.branch_id,
                                      member_id=viewer.id, chat_id=chat_id, message_id=message_id, now=svc.now())
        overtaken = latest.version != version or not can_decide(latest.status)
        if overtaken:
            await _queue_edit(svc, db, submission_id, version,
                              _CardCopy(f"shown{copy.id}", chat_id, message_id, copy.branch_id, copy.member_id),
                              await current_card(svc, latest, version))
    if overtaken:
        svc.wake_outbox()


async def current_card(svc: Services, submission: Submission, version: int) -> Outgoing:
    """What a card pressed after the fact should show: the outcome, or that a newer version superseded it."""
    if submission.version != version:
        return await decided_card(svc, svc.db, submission, superseded_by=submission.version)
    return await decided_card(svc, svc.db, submission)


async def _card_open(svc: Services, row: OutboxRow, now: datetime) -> bool:
    """A card not sent yet is sent only while its version still waits (else the edit already says what happened)."""
    key = review_keys.card.read(row.key)
    submission = await submissions.get(svc.db, key.submission)
    return submission is not None and submission.version == key.version and can_decide(submission.status)


async def _todos(svc: Services, member: Member, now: datetime) -> list[Button]:
    """A reviewer with submissions waiting for them (what /pending lists): one button to /pending."""
    try:
        waiting = await waiting_for(svc, member.telegram_id)
    except UserError:  # reviews nothing
        return []
    return [button("review/todo_pending", commands_cb.open_command(Command.PENDING), count=len(waiting))] if waiting else []


FEATURE = Feature(name="review", relevance={"review.card": _card_open}, todos=(_todos,))
