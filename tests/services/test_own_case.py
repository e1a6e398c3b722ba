"""Nobody decides their own case (bot/services/reviewers.py): the secretary's own leave, dues and final grade go to
the other deciders of the branch, or — where there is none — to the officers of the unit above, who decide under
their name; the author's own press is refused and changes nothing; a removed officer is refused too."""

from __future__ import annotations

import pytest

from bot.domain.review import Decision, SubmissionStatus
from bot.domain.roles import Role
from bot.errors import UserError
from bot.keys import refs
from bot.services import dues, evaluation, makeup_record, review
from bot.services import evaluation_results as results
from bot.services import meetings as meeting_service
from storage import audit, conversations, meetings, members, submissions
from storage import dues as dues_store
from storage import evaluation as evaluation_store
from storage import units as unit_store
from tests.support import SECRETARY_ID

OFFICER_ID = 7001


async def _refused(call) -> str:
    with pytest.raises(UserError) as refusal:
        await call
    return refusal.value.template


async def _give(services, member, role: Role) -> None:
    async with services.db.write() as db:
        await members.add_role(db, member.id, role)


async def _under_unit(services, cast) -> int:
    async with services.db.write() as db:
        unit = await unit_store.create(db, "城关镇党委", 1, services.now(), "党委")
        await unit_store.place_branch(db, cast.branch_id, unit.id)
        await unit_store.add_officer(db, unit.id, OFFICER_ID, "刘志强", services.now())
    return unit.id


async def _secretary_asks_leave(services, theme_day):
    await meeting_service.begin_leave(services, SECRETARY_ID, theme_day.id)
    await meeting_service.submit_leave(services, SECRETARY_ID, theme_day.id, "到县里参加培训")
    secretary = await members.by_telegram_id(services.db, SECRETARY_ID)
    return await submissions.find(services.db, meeting_service.LEAVE, refs.meeting(theme_day.id), secretary.id)


def _cards(sender, chat_id: int) -> list:
    return [m for m in sender.to(chat_id) if m.template == "review/card.j2"]


async def test_the_secretarys_own_leave_goes_to_the_deputy_and_says_why(services, cast, theme_day, drainer, sender):
    """With 李红梅 副书记: the secretary's leave card reaches her only, saying it is the secretary's own; the
    secretary's forged 批准 is refused as their own case and changes nothing; /pending lists it for her, not for
    the secretary; her 批准 records the leave."""
    deputy = cast.people[0]
    await _give(services, deputy, Role.DEPUTY)
    leave = await _secretary_asks_leave(services, theme_day)
    await drainer.drain_now()
    assert _cards(sender, SECRETARY_ID) == []
    [card] = _cards(sender, deputy.telegram_id)
    assert card.params["routed"]["why"] == "own" and card.params["routed"]["title"] == "支部书记"
    assert card.params["routed"]["verb"] == "审批"

    assert await _refused(review.decide(services, SECRETARY_ID, leave.id, leave.version, Decision.APPROVE)) == \
        "review/own_case.j2"
    assert await _refused(review.ask_comment(services, SECRETARY_ID, leave.id, leave.version, Decision.REJECT)) == \
        "review/own_case.j2"
    assert await _refused(review.resend_card(services, SECRETARY_ID, leave.id)) == "review/own_case.j2"
    assert (await submissions.get(services.db, leave.id)).status is SubmissionStatus.SUBMITTED
    assert [s.id for s, _, _ in await review.waiting_for(services, SECRETARY_ID)] == []
    assert [s.id for s, _, _ in await review.waiting_for(services, deputy.telegram_id)] == [leave.id]

    decided = await review.decide(services, deputy.telegram_id, leave.id, leave.version, Decision.APPROVE)
    assert decided.submission.status is SubmissionStatus.APPROVED and decided.submission.decided_by == deputy.id


async def test_with_no_deputy_the_unit_officer_decides_under_their_name(services, cast, theme_day, drainer, sender):
    """No other approver: the card goes to 城关镇党委's officer (no member) in their own chat, naming the branch;
    the officer's /pending lists it, their 批准 records the leave, the audit log names them, and an officer
    removed since is refused."""
    await _under_unit(services, cast)
    leave = await _secretary_asks_leave(services, theme_day)
    await drainer.drain_now()
    [card] = _cards(sender, OFFICER_ID)
    assert card.params["routed"]["branch"] == "第一党支部" and card.params["routed"]["unit"] == "城关镇党委"
    assert [s.id for s, _, _ in await review.waiting_for(services, OFFICER_ID)] == [leave.id]

    async with services.db.write() as db:
        await unit_store.remove_officer(db, 2, OFFICER_ID)
    assert await _refused(review.decide(services, OFFICER_ID, leave.id, leave.version, Decision.APPROVE)) == \
        "common/not_allowed.j2"
    async with services.db.write() as db:
        await unit_store.add_officer(db, 2, OFFICER_ID, "刘志强", services.now())

    decided = await review.decide(services, OFFICER_ID, leave.id, leave.version, Decision.APPROVE)
    assert decided.submission.decided_by is None and decided.submission.decided_by_name == "刘志强"
    entry = (await audit.for_branch(services.db, cast.branch_id))[0]
    assert entry.action == "leave.approved" and entry.detail["by"] == OFFICER_ID


async def test_a_members_case_still_goes_to_the_secretary(services, cast, theme_day, drainer, sender):
    """A plain member's leave goes to the secretary as before, with nothing said about why."""
    member = cast.people[1]
    await meeting_service.begin_leave(services, member.telegram_id, theme_day.id)
    await meeting_service.submit_leave(services, member.telegram_id, theme_day.id, "家中有事")
    await drainer.drain_now()
    [card] = _cards(sender, SECRETARY_ID)
    assert card.params["routed"]["why"] is None and card.params["routed"]["branch"] is None


async def test_the_secretarys_own_dues_go_to_the_organizer_or_up(services, cast, theme_day, drainer, sender):
    """The secretary taps 已交党费: the card reaches the 组织委员 and not the secretary, whose own 确认收到 is
    refused; the 组织委员 confirms. With no 组织委员, a second month's report goes to the unit's officer, who
    confirms it (recorded with no member as confirmer, the audit naming the officer)."""
    organizer = cast.people[2]
    await _give(services, organizer, Role.ORGANIZER)
    secretary = await members.by_telegram_id(services.db, SECRETARY_ID)
    await dues.report_paid(services, SECRETARY_ID, theme_day.id)
    await drainer.drain_now()
    assert [m.template for m in sender.to(SECRETARY_ID)] == []
    assert "dues/reported_card.j2" in sender.templates_to(organizer.telegram_id)
    code = int(theme_day.period.replace("-", ""))
    assert await _refused(dues.confirm(services, SECRETARY_ID, secretary.id, code)) == "review/own_case.j2"
    assert (await dues_store.get(services.db, secretary.id, theme_day.period)).status == "reported"
    await dues.confirm(services, organizer.telegram_id, secretary.id, code)
    assert (await dues_store.get(services.db, secretary.id, theme_day.period)).status == "confirmed"

    await _under_unit(services, cast)
    async with services.db.write() as db:
        await members.remove_role(db, organizer.id, Role.ORGANIZER)
    route = await dues.reviewers.deciders(services, services.db, cast.branch_id, secretary,
                                          dues.COLLECTOR_ROLES)
    assert [r.telegram_id for r in route.reviewers] == [OFFICER_ID]
    assert await _refused(dues.confirm(services, organizer.telegram_id, secretary.id, 202701)) == \
        "common/not_allowed.j2"
    await dues.confirm(services, OFFICER_ID, secretary.id, 202701)
    paid = await dues_store.get(services.db, secretary.id, "2027-01")
    assert paid.status == "confirmed" and paid.confirmed_by is None


async def test_the_secretarys_own_grade_is_set_by_others(services, cast, drainer, sender):
    """The secretary cannot grade themselves (their card offers 请他人评定, not the grades); asking sends the grade
    card to the unit's officer (no deputy, no other committee member), who sets it; the secretary sets the others'."""
    await _under_unit(services, cast)
    campaign = await evaluation.open_campaign(services, SECRETARY_ID, 14)
    secretary = await members.by_telegram_id(services.db, SECRETARY_ID)
    assert await _refused(results.set_final_grade(services, SECRETARY_ID, campaign.id, secretary.id,
                                                  "excellent")) == "review/own_case.j2"
    own = await results.member_card(services, SECRETARY_ID, campaign.id, secretary.id)
    assert not own.may_grade
    sender.clear()
    route = await results.ask_others(services, SECRETARY_ID, campaign.id)
    assert [r.telegram_id for r in route.reviewers] == [OFFICER_ID]
    await drainer.drain_now()
    [card] = sender.to(OFFICER_ID)
    assert card.template == "evaluation/grade_card.j2" and card.params["routed"]["why"] == "own"
    assert len([b for row in card.buttons for b in row]) == 5  # four grades and 备注/理由

    await results.set_final_grade(services, OFFICER_ID, campaign.id, secretary.id, "qualified")
    await results.set_final_grade(services, SECRETARY_ID, campaign.id, cast.people[0].id, "excellent")
    found = await evaluation_store.results(services.db, campaign.id)
    assert found[secretary.id].final_grade.value == "qualified"
    [graded] = [e for e in await audit.for_branch(services.db, cast.branch_id)
                if e.action == "evaluation.final" and e.subject == refs.member(secretary.id)]
    assert graded.detail["by"] == OFFICER_ID and graded.actor_id is None
    assert await _refused(results.set_final_grade(services, cast.people[0].telegram_id, campaign.id,
                                                  cast.people[1].id, "excellent")) == "common/not_allowed.j2"


async def test_nobody_records_their_own_make_up(services, cast, theme_day):
    """The secretary and a 组织委员 both missed the theme day: the secretary's list of make-ups to record names the
    组织委员, not the secretary; a forged press for the secretary's own make-up is refused and opens no form; the
    组织委员 records the secretary's."""
    organizer = cast.people[0]
    await _give(services, organizer, Role.ORGANIZER)
    secretary = await members.by_telegram_id(services.db, SECRETARY_ID)
    async with services.db.write() as db:
        await meetings.record_absences(db, theme_day.id, [secretary.id, organizer.id], services.now())
        await meetings.mark_closed(db, theme_day.id, services.now())
    _, listed = await makeup_record.waiting(services, SECRETARY_ID, theme_day.id)
    assert [m.id for m in listed] == [organizer.id]
    assert await _refused(makeup_record.begin(services, SECRETARY_ID, theme_day.id, secretary.id)) \
        == "review/own_case.j2"
    assert await conversations.get(services.db, SECRETARY_ID) is None
    _, listed = await makeup_record.waiting(services, organizer.telegram_id, theme_day.id)
    assert [m.id for m in listed] == [secretary.id]
    target = await makeup_record.begin(services, organizer.telegram_id, theme_day.id, secretary.id)
    assert target.member.id == secretary.id


async def test_an_officers_dues_card_says_why_and_is_kept_in_step(services, cast, theme_day, drainer, sender):
    """The secretary's dues with no other collector: the officer's card says why it came and names the branch; the
    officer's 确认收到 turns their card into the confirmed one with ↩️ 撤销确认; the secretary's own 撤销 is refused
    and changes nothing, the officer's undoes it and the card waits again."""
    await _under_unit(services, cast)
    secretary = await members.by_telegram_id(services.db, SECRETARY_ID)
    await dues.report_paid(services, SECRETARY_ID, theme_day.id)
    await drainer.drain_now()
    [card] = [m for m in sender.to(OFFICER_ID) if m.template == "dues/reported_card.j2"]
    assert card.params["routed"]["why"] == "own" and card.params["routed"]["branch"]
    code = int(theme_day.period.replace("-", ""))
    sender.clear()
    done = await dues.confirm(services, OFFICER_ID, secretary.id, code)
    assert done.changed and done.card.template == "dues/confirmed_card.j2" and done.card.params["undo"]
    await drainer.drain_now()
    [edited] = [m for m in sender.to(OFFICER_ID) if m.edit_message_id is not None]
    assert edited.template == "dues/confirmed_card.j2" and edited.params["undo"]
    assert await _refused(dues.undo(services, SECRETARY_ID, secretary.id, code)) == "review/own_case.j2"
    assert (await dues_store.get(services.db, secretary.id, theme_day.period)).status == "confirmed"
    _, _, undone = await dues.undo(services, OFFICER_ID, secretary.id, code)
    assert undone is not None
    assert (await dues_store.get(services.db, secretary.id, theme_day.period)).status == "reported"
    entry = (await audit.for_branch(services.db, cast.branch_id))[0]
    assert entry.action == "dues.unconfirm" and entry.actor_id is None and entry.detail["by"] == OFFICER_ID


async def test_the_rest_qualified_leaves_the_graders_own_row(services, cast):
    """其余全部合格 by the secretary grades every other member 合格 and leaves the secretary's own grade unset (it is
    the rest of the committee's or the unit above's to set)."""
    campaign = await evaluation.open_campaign(services, SECRETARY_ID, 14)
    secretary = await members.by_telegram_id(services.db, SECRETARY_ID)
    found = await results.results_for(services, SECRETARY_ID, campaign.id)
    assert secretary.id not in [r.member.id for r in found.rest] and len(found.rest) == len(found.rows) - 1
    graded = await results.rest_qualified(services, SECRETARY_ID, campaign.id)
    finals = await evaluation_store.results(services.db, campaign.id)
    assert secretary.id not in [m.id for m in graded] and secretary.id not in finals
    assert sorted(finals) == sorted(r.member.id for r in found.rows if r.member.id != secretary.id)
