"""The democratic evaluation's self-evaluation through the use cases: section by section, a self-grade, submit."""

from __future__ import annotations

import pytest

from bot.domain import evaluation as rules
from bot.domain.review import SubmissionStatus
from bot.errors import UserError
from bot.services import evaluation, selfeval
from storage import submissions
from tests.services.conftest import SECRETARY_ID


async def test_self_evaluation_is_written_section_by_section_and_submitted(services, cast, drainer, sender):
    """With a campaign open, a member is asked each section in turn (each message saved before the next prompt, the
    section kept open until 下一部分), then the self-grade, then sees the preview; submitting hands it to the secretary's review with a card, and the
    handed-in form can no longer be edited."""
    campaign = await evaluation.open_campaign(services, SECRETARY_ID, 14)
    member = cast.people[0]

    step = await selfeval.start(services, member.telegram_id, campaign.id)
    with pytest.raises(UserError):  # not every section written yet
        await selfeval.submit(services, member.telegram_id, step.submission.id)
    asked = []
    while step.what == "section":
        asked.append(step.section.key)
        step = await selfeval.save_section(services, member.telegram_id, f"section:{step.section.key}",
                                           {"submission_id": step.submission.id}, f"{step.section.title}：认真学习。")
        saved = await submissions.get(services.db, step.submission.id)
        assert asked[-1] in saved.content["sections"]  # stored before the next prompt
        assert step.what == "saved" and step.section.key == asked[-1]  # more may follow in the same section
        step = await selfeval.next_section(services, member.telegram_id, step.submission.id, asked[-1])
    assert asked == list(rules.SECTION_KEYS)
    assert step.what == "grade"
    step = await selfeval.set_grade(services, member.telegram_id, step.submission.id, rules.Grade.QUALIFIED.value)
    assert step.what == "preview" and step.grade is rules.Grade.QUALIFIED

    done = await selfeval.submit(services, member.telegram_id, step.submission.id)
    assert done.what == "view" and done.submission.status is SubmissionStatus.SUBMITTED
    await drainer.drain_now()
    cards = [m for m in sender.to(SECRETARY_ID) if m.template == "review/card.j2"]
    assert [c.params["author"] for c in cards] == [member.name]
    assert cards[0].params["label"] == "个人自评"
    with pytest.raises(UserError):
        await selfeval.set_grade(services, member.telegram_id, step.submission.id, rules.Grade.EXCELLENT.value)
    assert (await submissions.get(services.db, step.submission.id)).content["grade"] == rules.Grade.QUALIFIED.value


async def test_self_evaluation_of_another_member_is_refused(services, cast):
    """A member cannot write into someone else's self-evaluation by sending its id."""
    campaign = await evaluation.open_campaign(services, SECRETARY_ID, 14)
    owner, intruder = cast.people[0], cast.people[1]
    step = await selfeval.start(services, owner.telegram_id, campaign.id)
    with pytest.raises(UserError):
        await selfeval.save_section(services, intruder.telegram_id, f"section:{step.section.key}",
                                    {"submission_id": step.submission.id}, "冒名")
    assert (await submissions.get(services.db, step.submission.id)).content["sections"] == {}


async def test_peer_tallies_show_from_five_votes_or_after_the_close(services, cast):
    """While the evaluation runs, a member's tally (and the comments on them) shows only from 5 votes: 4 votes read
    as a count; the 5th shows the distribution; another member with 2 votes stays a count; closing shows all."""
    from bot.domain.evaluation import Grade
    from bot.services import evaluation_results
    from storage import evaluation as store

    campaign = await evaluation.open_campaign(services, SECRETARY_ID, 14)
    first, second = cast.people[0], cast.people[1]
    async with services.db.write() as db:
        for voter in range(4):
            await store.set_peer_grade(db, campaign.id, f"ballot-{voter}", first.id, Grade.QUALIFIED)
        for voter in range(2):
            await store.set_peer_grade(db, campaign.id, f"ballot-{voter}", second.id, Grade.EXCELLENT)

    def row(found, member):
        return next(r for r in found.rows if r.member.id == member.id)

    found = await evaluation_results.results_for(services, SECRETARY_ID, campaign.id)
    assert (row(found, first).votes, row(found, first).peer_shown) == (4, False)
    async with services.db.write() as db:
        await store.set_peer_grade(db, campaign.id, "ballot-4", first.id, Grade.BASIC)
    found = await evaluation_results.results_for(services, SECRETARY_ID, campaign.id)
    assert row(found, first).peer_shown and row(found, first).peer[Grade.QUALIFIED] == 4
    assert not row(found, second).peer_shown
    assert rules.peer_tally_shown(2, campaign_open=False)
