"""Drafting what a person hands in for review: make-ups, thought reports, and whatever else is written in chat and
reviewed (task submissions to a unit, 述职, 整改 and 民心墙 reports). The author sends text, photos and files in as
many messages as they like, each kept before the answer; 预览 shows the draft as its reviewer will see it; 清空重写
starts it again; 提交 hands it to the one review mechanism (bot/services/review.py), whose kind of the same name
says what the card shows and who reviews it.

A feature declares a `DraftKind` in its `Feature(drafts=…)` beside that `ReviewKind`, opens a draft with `start`
(its own, or the one for a ref such as a task) or `begin` (a submission made for the author, such as a make-up
task), and declares the shared form step in its chat side (handlers/drafting.py). The rest — keeping pieces, the
limits, who may touch a draft, preview, clear and submit — is here, once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain.models import Member
from bot.domain.review import EDITABLE, Submission, SubmissionFile, SubmissionStatus
from bot.errors import UserError
from bot.keys import refs
from bot.outgoing import Attachment, Outgoing
from bot.render import word
from bot.services import Services, membership, review
from storage import conversations, submissions
from storage.connection import Conn

# More values for the kind's templates (what the author has handed in before, …): (svc, author, submission).
Extra = Callable[[Services, Member, Submission], Awaitable[dict[str, Any]]]
# Run inside the submit's transaction, after the review mechanism took the submission (cancel reminders, …).
OnSubmit = Callable[[Services, Conn, Submission], Awaitable[None]]
# Whether the author may still write and hand in this draft (a task still open, for a branch it went to …):
# (svc, author, submission) → raises a UserError saying why not. Run on every piece and press.
Check = Callable[[Services, Member, Submission], Awaitable[None]]


@dataclass(frozen=True)
class DraftKind:
    """One kind of thing drafted and handed in. `kind` names the submissions, their review kind and the form."""

    kind: str
    text_max: int = 5000
    files_max: int | None = 20  # photos and files together; None: no limit
    documents: bool = True  # files (PDF, Word, Excel …) as well as photos
    # The kind's own wording where it needs one; the shared templates/drafts/ ones serve any kind.
    ask: str = "drafts/ask.j2"  # the prompt when the draft is opened (returned ones show the reviewer's comment)
    kept: str = "drafts/kept.j2"  # the answer to each piece kept
    extra: Extra | None = None
    on_submit: OnSubmit | None = None
    check: Check | None = None
    named: str | None = None  # the name of a kind the templates do not know (one made up by a test)

    @property
    def label(self) -> str:
        """How messages and refusals name it: its review kind's name (templates/review/words.j2)."""
        return self.named or word("review/label", kind=self.kind)

    @property
    def file_kinds(self) -> tuple[str, ...]:
        return ("photo", "document") if self.documents else ("photo",)


@dataclass
class Draft:
    kind: DraftKind
    author: Member
    submission: Submission
    attached: list[SubmissionFile] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.submission.content.get("text") or ""

    @property
    def photos(self) -> int:
        return sum(1 for f in self.attached if f.file_kind == "photo")

    @property
    def files(self) -> int:
        return sum(1 for f in self.attached if f.file_kind != "photo")

    @property
    def empty(self) -> bool:
        return not self.text.strip() and not self.attached

    def params(self) -> dict[str, Any]:
        """What every template of a draft is given."""
        return {"label": self.kind.label, "text": self.text, "photos": self.photos, "files": self.files,
                "documents": self.kind.documents, "status": self.submission.status.value,
                "comment": self.submission.comment, "content": self.submission.content, **self.extra}


def kind_of(svc: Services, name: str) -> DraftKind:
    return svc.features.drafts[name]


async def _draft(svc: Services, kind: DraftKind, author: Member, submission: Submission) -> Draft:
    extra = await kind.extra(svc, author, submission) if kind.extra else {}
    return Draft(kind, author, submission, await submissions.files(svc.db, submission.id), extra)


async def _own(svc: Services, telegram_id: int, submission_id: int, kind: str | None = None) -> tuple[Member, Submission]:
    """The author's own draft, still editable (re-checked on every piece and press, whatever the button said)."""
    author = await membership.active_member(svc, telegram_id)
    submission = await submissions.get(svc.db, submission_id)
    if (submission is None or submission.author_id != author.id or submission.kind not in svc.features.drafts
            or kind not in (None, submission.kind)):
        raise UserError("common/stale.j2")
    if submission.status is SubmissionStatus.SUBMITTED:
        raise UserError("drafts/waiting.j2", label=kind_of(svc, submission.kind).label)
    if submission.status not in EDITABLE:
        raise UserError("review/not_editable.j2", status=submission.status.value)
    if (check := kind_of(svc, submission.kind).check) is not None:
        await check(svc, author, submission)
    return author, submission


async def _open(svc: Services, db: Conn, telegram_id: int, submission: Submission) -> None:
    """What the author sends next goes into this draft."""
    await conversations.save(db, telegram_id, submission.kind, "content", {"submission_id": submission.id}, svc.now())


async def begin(svc: Services, kind: DraftKind, telegram_id: int, submission_id: int) -> Draft:
    """Start (or resume) writing a submission made for the author (a make-up task's button)."""
    author, submission = await _own(svc, telegram_id, submission_id, kind.kind)
    async with svc.db.write() as db:
        await _open(svc, db, telegram_id, submission)
    return await _draft(svc, kind, author, submission)


async def start(svc: Services, kind: DraftKind, telegram_id: int, *, ref: str | None = None,
                content: dict[str, Any] | None = None) -> Draft:
    """Open the author's draft: the one for `ref` (a task's submission) — or, with no ref, the newest still being
    written or returned — else a new one, with `content`. Handed in and waiting: refused politely."""
    author = await membership.active_member(svc, telegram_id)
    now = svc.now()
    async with svc.db.write() as db:
        found = (await submissions.find(db, kind.kind, ref, author.id) if ref is not None
                 else await submissions.latest_open(db, author.id, kind.kind))
        if found is None:
            found = await submissions.get_or_create(db, branch_id=author.branch_id, author_id=author.id,
                                                    kind=kind.kind, ref=ref or await _new_ref(db, kind, author, now),
                                                    now=now, content={"text": "", **(content or {})})
        if found.status is SubmissionStatus.SUBMITTED:
            raise UserError("drafts/waiting.j2", label=kind.label)
        if found.status not in EDITABLE:
            raise UserError("review/not_editable.j2", status=found.status.value)
        if kind.check is not None:
            await kind.check(svc, author, found)
        await _open(svc, db, telegram_id, found)
    return await _draft(svc, kind, author, found)


async def _new_ref(db: Conn, kind: DraftKind, author: Member, now: datetime) -> str:
    """A ref of its own for a new draft of a kind with no ref (a thought report): when it was begun."""
    def ref(number: int) -> str:
        return refs.begun(kind.kind, now) if number == 1 else refs.begun_again(kind.kind, now, number)

    number = 1
    while await submissions.find(db, kind.kind, ref(number), author.id):
        number += 1
    return ref(number)


def _keep_text(kind: DraftKind, content: dict[str, Any], text: str) -> dict[str, Any]:
    combined = "\n".join(p for p in (content.get("text"), text) if p)
    if len(combined) > kind.text_max:
        raise UserError("common/too_long.j2", field=kind.label, max=kind.text_max, length=len(combined))
    return {**content, "text": combined}


async def add(svc: Services, telegram_id: int, data: dict, text: str | None, file: tuple[str, str] | None,
              file_name: str | None = None) -> Draft:
    """A piece of the draft (text, a photo or a file — `file_name` a document's own name — with or without a
    caption): kept before the answer."""
    author, submission = await _own(svc, telegram_id, int(data["submission_id"]))
    kind = kind_of(svc, submission.kind)
    text = (text or "").strip()
    if (not text and file is None) or (file is not None and file[1] not in kind.file_kinds):
        raise UserError("drafts/what.j2", label=kind.label, documents=kind.documents)
    content = _keep_text(kind, submission.content, text) if text else submission.content
    if file is not None and kind.files_max is not None:
        if len(await submissions.files(svc.db, submission.id)) >= kind.files_max:
            raise UserError("drafts/too_many.j2", label=kind.label, max=kind.files_max)
    now = svc.now()
    async with svc.db.write() as db:
        await submissions.save_content(db, submission.id, content, now)
        if file is not None:
            await submissions.add_file(db, submission.id, file[0], file[1], text or None, now, file_name)
    return await _draft(svc, kind, author, await submissions.get(svc.db, submission.id))


async def clear(svc: Services, telegram_id: int, submission_id: int) -> Draft:
    """清空重写: the text and files so far are dropped; what the author sends next starts the draft again."""
    author, submission = await _own(svc, telegram_id, submission_id)
    now = svc.now()
    async with svc.db.write() as db:
        await submissions.save_content(db, submission.id, {**submission.content, "text": ""}, now)
        await submissions.remove_files(db, submission.id)
        await _open(svc, db, telegram_id, submission)
    return await _draft(svc, kind_of(svc, submission.kind), author, await submissions.get(svc.db, submission.id))


async def preview(svc: Services, telegram_id: int, submission_id: int) -> tuple[Draft, Outgoing]:
    """预览: the draft as its reviewer will see it — the review kind's card body, the photos as one album and the
    files — with nothing changed."""
    author, submission = await _own(svc, telegram_id, submission_id)
    draft = await _draft(svc, kind_of(svc, submission.kind), author, submission)
    if draft.empty:
        raise UserError("drafts/empty.j2", label=draft.kind.label)
    message = Outgoing(
        template="drafts/preview.j2",
        params={**draft.params(), "body": review.kind_of(svc, submission.kind).card_template, "author": author.name},
        attachments=[Attachment(file_id=f.file_id, kind=f.file_kind) for f in draft.attached],
        album_template="review/album_caption.j2",
    )
    return draft, message


async def submit(svc: Services, telegram_id: int, submission_id: int) -> Draft:
    """提交: handed to the review mechanism (the reviewers get the card); the form ends."""
    author, submission = await _own(svc, telegram_id, submission_id)
    kind = kind_of(svc, submission.kind)
    if not (submission.content.get("text") or "").strip() and not await submissions.files(svc.db, submission.id):
        raise UserError("drafts/empty.j2", label=kind.label)
    async with svc.db.write() as db:
        submitted = await review.submit(svc, db, submission)
        await conversations.clear(db, telegram_id)
        if kind.on_submit is not None:
            await kind.on_submit(svc, db, submitted)
    svc.wake_outbox()
    return await _draft(svc, kind, author, submitted)
