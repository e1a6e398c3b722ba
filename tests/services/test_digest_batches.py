"""The daily digest pass queues its digests a batch of branches to a write transaction: every branch gets its own
digest, to its own secretary, once, across batch boundaries and a second pass."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.models import MemberStatus
from bot.domain.roles import Role
from bot.services import Services, digest, membership
from storage import branches, members, outbox

SECRETARIES = range(3001, 3008)  # seven branches: batches of three, three and one
NAMES = ("王一", "李二", "张三", "刘四", "陈五", "杨六", "赵七")


async def test_every_branch_gets_its_digest_once_across_batches(services: Services, clock, monkeypatch):
    """Seven branches in batches of three, each with a pending applicant: each secretary gets one digest naming
    their own branch's applicant and no other's; a second pass adds nothing."""
    monkeypatch.setattr(digest, "DIGEST_BATCH", 3)
    for index, secretary in enumerate(SECRETARIES):
        branch, _, _ = await membership.create_branch(services, f"第{index + 1}党支部", secretary, f"{NAMES[index]}书记")
        async with services.db.write() as tx:
            await members.create(tx, branch_id=branch.id, telegram_id=None, name=f"{NAMES[index]}申请",
                                 status=MemberStatus.PENDING, now=clock.now())
    for _ in range(2):
        await digest.send_due_digests(services, clock.now())
    queued = await outbox.by_prefix(services.db, "digest:")
    assert sorted(row.chat_id for row in queued) == list(SECRETARIES)
    for row in queued:
        index = SECRETARIES.index(row.chat_id)
        sections = str(row.payload.params["sections"])
        assert row.payload.template == "digest/digest.j2"
        assert [name for name in NAMES if f"{name}申请" in sections] == [NAMES[index]]


async def test_a_batch_composes_each_branch_as_it_composes_alone(services: Services, clock):
    """compose_many over three branches gives each the same sections, lines and buttons as compose for it alone
    (the sections reading many branches at once sort what they read by branch)."""
    made = []
    for index, secretary in enumerate(SECRETARIES[:3]):
        branch, _, _ = await membership.create_branch(services, f"第{index + 1}党支部", secretary, f"{NAMES[index]}书记")
        made.append(branch)
    async with services.db.write() as tx:
        await members.create(tx, branch_id=made[0].id, telegram_id=None, name="王申请", status=MemberStatus.PENDING,
                             now=clock.now())
        await members.create(tx, branch_id=made[1].id, telegram_id=None, name="李预备", status=MemberStatus.ACTIVE,
                             now=clock.now() - timedelta(days=400), roles=[Role.PROBATIONARY])
    batch = [await branches.get(services.db, b.id) for b in made]
    together = await digest.compose_many(services, batch, clock.now())
    alone = {b.id: await digest.compose(services, b, clock.now()) for b in batch}
    assert together == alone
    assert "pending_joins" in [name for name, _, _ in together[made[0].id]]
    assert "reports_overdue" in [name for name, _, _ in together[made[1].id]]
    assert "reports_overdue" not in [name for name, _, _ in together[made[0].id] + together[made[2].id]]
