"""The democratic evaluation's self-evaluation through the use cases: section by section, a self-grade, submit."""

from __future__ import annotations

import pytest

from bot.domain import evaluation as rules
from bot.domain.review import SubmissionStatus
from bot.errors import UserError
from bot.render import render
from bot.services import evaluation, membership, selfeval
from storage import evaluation as evaluation_store
from storage import submissions
from tests.services.helpers import join
from tests.support import SECRETARY_ID


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
