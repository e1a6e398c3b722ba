"""The democratic evaluation's self-evaluation through the use cases: section by section, a self-grade, submit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain import evaluation as rules
from bot.domain.review import SubmissionStatus
from bot.errors import UserError
from bot.render import render
from bot.services import evaluation, membership, selfeval
from storage import evaluation as evaluation_store
from storage import submissions
from tests.services.helpers import grade_all, join, write_selfeval
from tests.support import SECRETARY_ID, labels, text_of


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


async def test_a_newcomer_approved_during_an_evaluation_leaves_everyone_reminded_of_the_deadline(services, cast,
                                                                                                 drainer, sender,
                                                                                                 clock):
    """An evaluation is open, a newcomer is approved (their catch-up re-plans the campaign's reminders); at the
    "3 days left" moment every member, the earlier ones as well as the newcomer, is reminded, and only once."""
    await evaluation.open_campaign(services, SECRETARY_ID, 14)
    await drainer.drain_now()
    invitation = await membership.current_invitation(services, SECRETARY_ID)
    newcomer = await join(services, invitation.code, 2009, "郑新")
    await drainer.drain_now()
    assert any("民主评议" in render(m.template, **m.params) for m in sender.to(newcomer.telegram_id))

    campaign = await evaluation_store.open_for_branch(services.db, cast.branch_id)
    first = min(at for _, at in rules.reminder_times(campaign.deadline, services.settings.tz, clock.now()))
    clock.set(first)
    await drainer.drain_now()

    for person in (cast.secretary, *cast.people, newcomer):
        texts = [render(m.template, **m.params) for m in sender.to(person.telegram_id)]
        reminders = [t for t in texts if "还有 3 天" in t]
        assert len([t for t in reminders if "个人自评" in t]) == 1, (person.name, texts[-3:])
        assert len([t for t in reminders if "互评" in t]) == 1, (person.name, texts[-3:])


async def test_reminders_reach_only_the_unfinished_and_follow_an_extension(services, branch, drainer, sender,
                                                                            clock):
    """3 and 1 days before the deadline, only those who have not submitted / not finished grading are reminded;
    an extension moves the reminders to the new date."""
    invitation = await membership.current_invitation(services, SECRETARY_ID)
    a = await join(services, invitation.code, 2001, "李红梅")
    b = await join(services, invitation.code, 2002, "赵建国")
    campaign = await evaluation.open_campaign(services, SECRETARY_ID, 7)  # deadline 11-30 23:59 Shanghai
    await drainer.drain_now()
    for person in (a, b):
        sender.expect(person.telegram_id, "民主评议党员开始了")
    await write_selfeval(services, a.telegram_id, campaign.id)
    await grade_all(services, a.telegram_id, campaign.id)
    await drainer.drain_now()

    clock.set(datetime(2026, 11, 27, 1, 30, tzinfo=UTC))  # 09:30 Shanghai, 3 days before
    await drainer.drain_now()
    self_reminder = sender.expect(b.telegram_id, "个人自评还没有提交")
    assert "还有 3 天" in text_of(self_reminder) and "写自评" in labels(self_reminder)[0]
    sender.expect(b.telegram_id, "互评还没有评完")
    digest = text_of(sender.expect(SECRETARY_ID, "今日待办"))
    assert "自评已提交 1/3，互评已评完 1/3" in digest
    assert not [t for t in sender.texts_to(a.telegram_id) if "🔔 提醒" in t]

    await evaluation.extend(services, SECRETARY_ID, campaign.id, 3)  # 延期3天 → 12-03 23:59
    await drainer.drain_now()
    sender.expect(b.telegram_id, "延长至 12月3日 23:59")
    clock.set(datetime(2026, 11, 29, 1, 30, tzinfo=UTC))  # the old 1-day mark: nothing any more
    await drainer.drain_now()
    assert len([t for t in sender.texts_to(b.telegram_id) if "还有 1 天" in t]) == 0

    await write_selfeval(services, b.telegram_id, campaign.id)
    clock.set(datetime(2026, 12, 2, 1, 30, tzinfo=UTC))  # 1 day before the new deadline
    await drainer.drain_now()
    peer = text_of(sender.expect(b.telegram_id, "还有 1 天"))
    assert "互评还没有评完" in peer and "12月3日" in peer
    assert not [t for t in sender.texts_to(b.telegram_id) if "个人自评还没有提交" in t and "还有 1 天" in t]
