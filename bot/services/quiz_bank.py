"""学习测试's question banks: who may upload one (a branch's secretary or deputy for the branch, a unit's officer for
its subtree), the preview of a file (good questions counted, every bad row by number, nothing stored), and the
confirmed import. The file waits in the uploader's conversation (Telegram keeps it; only its id is stored)."""

from __future__ import annotations

from dataclasses import dataclass

from bot import uploads
from bot.documents import quiz_bank as reader
from bot.domain.quiz import BadRow
from bot.errors import UserError
from bot.keys import refs
from bot.services import Services, membership, units
from storage import audit, branches, conversations, quiz
from storage import units as unit_store

HELD = "quiz_bank"  # the conversation: waiting for the file ("file"), then for 确认 / 放弃 ("confirm")
SHOWN_BAD = 20


@dataclass(frozen=True)
class Owner:
    """Whose bank and tests: a branch (its secretary's side) or a unit (its officer), with the branches reached."""

    name: str
    branch_id: int | None = None
    unit_id: int | None = None


async def owner(svc: Services, telegram_id: int) -> Owner:
    """The branch of a secretary or deputy; else the first unit of an officer; else refused."""
    member = await membership.member_of(svc, telegram_id)
    if member is not None and member.is_approver:
        branch = await branches.get(svc.db, member.branch_id)
        return Owner(branch.name, branch_id=branch.id)
    scope = await units.officer_scope(svc, telegram_id)
    if not scope:
        raise UserError("quiz/not_allowed.j2")
    unit = await unit_store.get(svc.db, scope[0])
    return Owner(unit.name if unit else "", unit_id=scope[0])


async def begin_upload(svc: Services, telegram_id: int) -> Owner:
    """上传题库: the next file the person sends is read as a bank."""
    found = await owner(svc, telegram_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, HELD, "file", {}, svc.now())
    return found


@dataclass(frozen=True)
class Preview:
    owner: Owner
    good: int
    bad: list[BadRow]

    @property
    def shown_bad(self) -> list[BadRow]:
        return self.bad[:SHOWN_BAD]


async def read(content: bytes) -> reader.Bank:
    try:
        return await uploads.read(content, reader.read)
    except reader.NotABank:
        raise UserError("quiz/not_a_bank.j2") from None


async def preview(svc: Services, telegram_id: int, file_id: str, file_name: str, content: bytes) -> Preview:
    """What importing the file would store; the file is held for 确认 when it has good questions."""
    found = await owner(svc, telegram_id)
    bank = await read(content)
    if bank.questions:
        async with svc.db.write() as db:
            await conversations.save(db, telegram_id, HELD, "confirm", {"file_id": file_id, "name": file_name[:100]},
                                     svc.now())
    return Preview(found, len(bank.questions), bank.bad)


async def held(svc: Services, telegram_id: int) -> dict:
    """The previewed file waiting for 确认 / 放弃 (refused once confirmed, discarded or replaced)."""
    await owner(svc, telegram_id)
    conversation = await conversations.get(svc.db, telegram_id)
    if conversation is None or conversation.kind != HELD or conversation.step != "confirm":
        raise UserError("quiz/expired.j2")
    return conversation.data


async def confirm(svc: Services, telegram_id: int, content: bytes) -> Preview:
    """确认: the good questions of the previewed file are stored as the owner's newest bank (read again now)."""
    found, data = await owner(svc, telegram_id), await held(svc, telegram_id)
    bank = await read(content)
    now = svc.now()
    async with svc.db.write() as db:
        bank_id = await quiz.add_bank(db, unit_id=found.unit_id, branch_id=found.branch_id, name=data["name"],
                                      created_by=telegram_id, questions=bank.questions, now=now)
        await audit.record(db, now=now, action="quiz.bank", branch_id=found.branch_id, actor_id=None,
                           subject=refs.quiz_bank(bank_id), questions=len(bank.questions), unit=found.unit_id)
        await conversations.clear(db, telegram_id)
    return Preview(found, len(bank.questions), bank.bad)


async def discard(svc: Services, telegram_id: int) -> None:
    await held(svc, telegram_id)
    async with svc.db.write() as db:
        await conversations.clear(db, telegram_id)


async def bank_for(svc: Services, branch_id: int | None, unit_id: int | None) -> tuple[int, int] | None:
    """(bank id, questions) of the newest bank in reach: the branch's own, else its nearest unit's (for a unit: its
    own, else the nearest above)."""
    if branch_id is not None:
        own = await quiz.newest_bank(svc.db, branch_id=branch_id)
        if own is not None:
            return own
        unit_id = await unit_store.unit_of_branch(svc.db, branch_id)
    seen: set[int] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        found = await quiz.newest_bank(svc.db, unit_id=unit_id)
        if found is not None:
            return found
        unit = await unit_store.get(svc.db, unit_id)
        unit_id = unit.parent_id if unit else None
    return None

