"""The one drafting helper (bot/services/drafts.py) every handed-in kind uses: pieces kept as they come, its limits
refused without a change, preview, clear, submit into the review mechanism — and a kind whose audience is a unit's
officers, reviewed by an officer who is no member of the branch while the branch's secretary may not decide it."""

from __future__ import annotations

import pytest

from bot.catalog import core_features
from bot.domain.review import Decision, SubmissionStatus
from bot.errors import UserError
from bot.features import Feature, Registry
from bot.services import Services, drafts, reports, review
from bot.services.drafts import DraftKind
from bot.services.review import ReviewKind
from bot.services.reviewers import UnitOfficers
from storage import conversations, submissions
from storage import units as unit_store
from tests.support import SECRETARY_ID

OFFICER_ID = 7001  # an officer of 城关镇党委, no member of any branch
ADMIN_ID = 9001  # the county's admin (the settings fixture's ZHIBU_ADMINS)

# A kind handed in to the unit above, as task submissions and 述职 are: photos and files, reviewed by its officers.
UP = DraftKind(kind="up_test", named="报送材料", files_max=3)
UP_FEATURE = Feature(name="up_test", drafts=(UP,), review_kinds=(
    ReviewKind(kind="up_test", named="报送材料", card_template="reports/card.j2", audience=UnitOfficers()),))


@pytest.fixture
def services(database, settings, clock) -> Services:
    """Every core feature, and the test kind reviewed by a unit's officers."""
    return Services(db=database, settings=settings, clock=clock,
                    features=Registry.from_features([*core_features(), UP_FEATURE]))


async def _refused(call) -> str:
    with pytest.raises(UserError) as refusal:
        await call
    return refusal.value.template


async def test_pieces_are_kept_as_they_come_and_counted_by_kind(services, cast):
    """Text is appended line by line (a caption too), a photo and a file are attached and counted apart, and the
    form stays on the draft until 提交."""
    member = cast.people[0].telegram_id
    draft = await reports.start(services, member)
    data = {"submission_id": draft.submission.id}
    await drafts.add(services, member, data, "第一段。", None)
    await drafts.add(services, member, data, "手写稿", ("photo-1", "photo"))
    draft = await drafts.add(services, member, data, None, ("doc-1", "document"))
    assert draft.text == "第一段。\n手写稿" and (draft.photos, draft.files) == (1, 1)
    assert draft.params()["handed_in"] == 0  # the kind's own extra values reach its templates
    assert (await conversations.get(services.db, member)).kind == "report"


async def test_limits_and_strangers_are_refused_and_change_nothing(services, cast):
    """Too long, too many files, nothing to keep, another member's draft, 提交 on an empty draft: each refused
    politely, and the draft is as it was."""
    author, other = cast.people[0].telegram_id, cast.people[1].telegram_id
    draft = await drafts.start(services, UP, author)
    data = {"submission_id": draft.submission.id}
    assert await _refused(drafts.submit(services, author, draft.submission.id)) == "drafts/empty.j2"
    for index in range(3):
        await drafts.add(services, author, data, None, (f"p{index}", "photo"))
    assert await _refused(drafts.add(services, author, data, None, ("p4", "photo"))) == "drafts/too_many.j2"
    assert await _refused(drafts.add(services, author, data, "字" * 5001, None)) == "common/too_long.j2"
    assert await _refused(drafts.add(services, author, data, "  ", None)) == "drafts/what.j2"
    assert await _refused(drafts.add(services, other, data, "别人的", None)) == "common/stale.j2"
    assert await _refused(drafts.clear(services, other, draft.submission.id)) == "common/stale.j2"
    kept = await submissions.get(services.db, draft.submission.id)
    assert kept.content["text"] == "" and len(await submissions.files(services.db, kept.id)) == 3


async def test_preview_shows_what_the_reviewer_will_see_and_clear_starts_again(services, cast):
    """预览 gives the review kind's card body with the draft's content and its photos and files to send first;
    清空重写 drops text and files and keeps the form on the draft."""
    author = cast.people[0].telegram_id
    draft = await drafts.start(services, UP, author)
    data = {"submission_id": draft.submission.id}
    await drafts.add(services, author, data, "上半年党建工作总结", ("p1", "photo"))
    await drafts.add(services, author, data, None, ("d1", "document"))
    shown, message = await drafts.preview(services, author, draft.submission.id)
    assert message.params["body"] == "reports/card.j2" and message.params["content"]["text"] == "上半年党建工作总结"
    assert [(a.file_id, a.kind) for a in message.attachments] == [("p1", "photo"), ("d1", "document")]
    cleared = await drafts.clear(services, author, draft.submission.id)
    assert cleared.empty and not await submissions.files(services.db, draft.submission.id)
    assert await _refused(drafts.preview(services, author, draft.submission.id)) == "drafts/empty.j2"


async def test_a_kind_reviewed_by_the_unit_above_goes_to_its_officer_not_the_secretary(services, cast, drainer,
                                                                                     sender):
    """The branch is placed under 城关镇党委: the secretary's 报送材料 goes to the 党委's officer (no member), not to
    the branch's approvers; the secretary may not decide it and /pending does not list it for them; the officer's
    /pending does, the officer approves, the author is told the officer's name and the card keeps it."""
    async with services.db.write() as db:
        unit = await unit_store.create(db, "城关镇党委", 1, services.now(), "党委")
        await unit_store.place_branch(db, cast.branch_id, unit.id)
        await unit_store.add_officer(db, unit.id, OFFICER_ID, "刘志强", services.now())
    draft = await drafts.start(services, UP, SECRETARY_ID, ref="task:1")
    await drafts.add(services, SECRETARY_ID, {"submission_id": draft.submission.id}, "支部上半年工作总结", None)
    submitted = await drafts.submit(services, SECRETARY_ID, draft.submission.id)
    assert submitted.submission.status is SubmissionStatus.SUBMITTED
    assert await conversations.get(services.db, SECRETARY_ID) is None
    await drainer.drain_now()
    assert sender.templates_to(OFFICER_ID) == ["review/card.j2"] and sender.to(SECRETARY_ID) == []

    sid, version = submitted.submission.id, submitted.submission.version
    assert await _refused(review.decide(services, SECRETARY_ID, sid, version, Decision.APPROVE)) == \
        "review/own_case.j2"
    assert await _refused(review.decide(services, cast.people[0].telegram_id, sid, version, Decision.APPROVE)) == \
        "common/not_allowed.j2"
    assert [s.id for s, _, _ in await review.waiting_for(services, SECRETARY_ID)] == []
    assert [(s.id, label, author) for s, label, author in await review.waiting_for(services, OFFICER_ID)] == \
        [(sid, "报送材料", "王书记")]
    assert await _refused(review.waiting_for(services, cast.people[0].telegram_id)) == "common/not_allowed.j2"

    decided = await review.decide(services, OFFICER_ID, sid, version, Decision.APPROVE)
    assert not decided.already and decided.submission.decided_by is None
    await drainer.drain_now()
    told = [m for m in sender.to(SECRETARY_ID) if m.template == "review/decided_author.j2"]
    assert told[0].params["reviewer"] == "刘志强" and told[0].params["status"] == "approved"
    card = await review.decided_card(services, services.db, decided.submission)
    assert card.params["reviewer"] == "刘志强" and card.params["decided_at"] is not None


async def test_a_branch_placed_nowhere_goes_to_the_county(services, cast, drainer, sender):
    """A branch not placed under any unit belongs to the root: the county's admin gets the card and decides it,
    named by the unit when no name is stored for them; returned, the draft opens again with the reason."""
    author = cast.people[0].telegram_id
    draft = await drafts.start(services, UP, author, ref="task:2")
    await drafts.add(services, author, {"submission_id": draft.submission.id}, None, ("p1", "photo"))
    submitted = await drafts.submit(services, author, draft.submission.id)
    await drainer.drain_now()
    assert sender.templates_to(ADMIN_ID) == ["review/card.j2"]
    await review.decide(services, ADMIN_ID, submitted.submission.id, submitted.submission.version, Decision.RETURN,
                        "请补充工作照片说明")
    again = await drafts.start(services, UP, author, ref="task:2")
    assert again.submission.status is SubmissionStatus.RETURNED and again.params()["comment"] == "请补充工作照片说明"
    assert (await submissions.get(services.db, again.submission.id)).decided_by_name == "县委组织部"
