"""在职党员到社区报到 on a real database: a member of one branch registers with a community branch (once, confirmed
by its secretary), claims its posts, logs service that the community confirms; bad lines, a second registration,
one's own branch and confirming one's own service are refused with nothing stored; their own branch's evaluation
and the unit's totals show the confirmed hours; a star can rest on confirmed service."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import openpyxl
import pytest

from bot.domain.review import Decision
from bot.domain.wall import OrderStatus
from bot.errors import UserError
from bot.services import (
    community_hours,
    community_service,
    drafts,
    evaluation,
    membership,
    review,
    stars,
    units,
    wall,
    wall_orders,
)
from bot.services.evaluation_results import compile_results
from storage import community as store
from storage import units as unit_store
from storage import wall as wall_store
from tests.support import SECRETARY_ID

COMMUNITY_SECRETARY = 3001
RESIDENT = 5001


async def _community(services) -> tuple[int, str]:
    """A community branch with its own secretary, and its 报到 code (from /serve's link)."""
    created, _, _ = await membership.create_branch(services, "幸福社区党支部", COMMUNITY_SECRETARY, "周书记")
    found = await community_service.overview(services, COMMUNITY_SECRETARY)
    assert found.link is not None
    return created.id, found.link.rsplit("start=serve_", 1)[1]


async def _registered(services, worker) -> int:
    community_id, code = await _community(services)
    done = await community_service.register(services, worker.telegram_id, code)
    await community_service.confirm(services, COMMUNITY_SECRETARY, done.registration.id)
    return done.registration.id


async def test_register_confirm_claim_log_confirm_and_the_own_branch_sees_it(services, cast):
    """The whole path: the member stays in their own branch; the community's posts are claimed; the service line
    is kept unconfirmed, confirmed by the community, and counted in the member's /evaluation and the register."""
    worker = cast.people[0]
    community_id, code = await _community(services)
    done = await community_service.register(services, worker.telegram_id, code)
    assert not done.registration.confirmed
    with pytest.raises(UserError, match="community/not_confirmed.j2"):
        await community_hours.begin(services, worker.telegram_id, done.registration.id)
    await community_service.confirm(services, COMMUNITY_SECRETARY, done.registration.id)
    assert (await membership.member_of(services, worker.telegram_id)).branch_id == cast.branch_id

    await community_service.begin_posts(services, COMMUNITY_SECRETARY)
    await community_service.save_posts(services, COMMUNITY_SECRETARY, {"branch_id": community_id}, "水电维修\n助老助残")
    shown = await community_service.posts_of(services, worker.telegram_id, done.registration.id)
    water = next(post for post, name, _ in shown.posts if name == "水电维修")
    await community_service.toggle(services, worker.telegram_id, done.registration.id, water)
    assert [(m.id, posts) for m, posts in await community_service.servers(services, community_id)] == [
        (worker.id, ["水电维修"])]

    await community_hours.begin(services, worker.telegram_id, done.registration.id)
    logged = await community_hours.log(services, worker.telegram_id, {"registration_id": done.registration.id},
                                       "11月20日 3小时 为独居老人修理水管")
    campaign = await evaluation.open_campaign(services, SECRETARY_ID, 14)
    assert (await evaluation.own_status(services, worker.telegram_id)).service == ""
    await community_hours.confirm(services, COMMUNITY_SECRETARY, logged.service.id)

    line = "到幸福社区党支部报到，志愿服务 1 次、共 3 小时（社区已确认）"
    assert (await evaluation.own_status(services, worker.telegram_id)).service == line
    row = next(r for r in (await compile_results(services, campaign)).rows if r.member.id == worker.id)
    assert row.service == line
    totals = await store.branch_totals(services.db, [cast.branch_id], date(2026, 1, 1), date(2026, 12, 31))
    assert (totals[cast.branch_id].members, totals[cast.branch_id].times, totals[cast.branch_id].minutes) == (1, 1, 180)


async def test_bad_input_is_refused_and_nothing_is_stored(services, cast):
    """A second registration, one's own branch, an unknown link, a non-member; hours that are no number, 0, over 24
    (or a day over 24 in all), a day to come: each refused, and no row is added."""
    worker = cast.people[0]
    registration_id = await _registered(services, worker)
    code = (await community_service.overview(services, COMMUNITY_SECRETARY)).link.rsplit("serve_", 1)[1]
    with pytest.raises(UserError, match="community/already.j2"):
        await community_service.register(services, worker.telegram_id, code)
    with pytest.raises(UserError, match="community/unknown_link.j2"):
        await community_service.register(services, worker.telegram_id, "nope")
    with pytest.raises(UserError, match="community/members_only.j2"):
        await community_service.register(services, 777, code)
    own = (await community_service.overview(services, SECRETARY_ID)).link.rsplit("serve_", 1)[1]
    with pytest.raises(UserError, match="community/own_branch.j2"):
        await community_service.register(services, worker.telegram_id, own)

    data = {"registration_id": registration_id}
    await community_hours.log(services, worker.telegram_id, data, "11月20日 20小时 防汛值守")
    for line, why in (("11月20日 很久 修水管", "no_hours"), ("11月20日 0小时 修水管", "zero"),
                      ("11月20日 25小时 修水管", "too_many"), ("11月20日 5小时 修水管", "day_full"),
                      ("2026-12-25 2小时 修水管", "future")):
        with pytest.raises(UserError, match="community/service_bad.j2") as caught:
            await community_hours.log(services, worker.telegram_id, data, line)
        assert caught.value.params["why"] == why
    assert len(await store.services_of(services.db, worker.id, date(2026, 1, 1), date(2026, 12, 31),
                                       confirmed=False)) == 1
    assert len(await store.of_member(services.db, worker.id)) == 1


async def test_only_the_community_confirms_and_only_the_member_logs(services, cast):
    """The member's own secretary cannot confirm the community's registration or service; another member cannot log
    on someone's registration or claim their posts; a plain member of the community cannot confirm."""
    worker, other = cast.people[0], cast.people[1]
    community_id, code = await _community(services)
    done = await community_service.register(services, worker.telegram_id, code)
    with pytest.raises(UserError, match="common/not_allowed.j2"):
        await community_service.confirm(services, SECRETARY_ID, done.registration.id)
    await community_service.confirm(services, COMMUNITY_SECRETARY, done.registration.id)
    with pytest.raises(UserError, match="common/stale.j2"):
        await community_hours.begin(services, other.telegram_id, done.registration.id)
    logged = await community_hours.log(services, worker.telegram_id, {"registration_id": done.registration.id},
                                       "11月21日 2小时 陪护老人")
    with pytest.raises(UserError, match="community/not_confirmer.j2"):
        await community_hours.confirm(services, SECRETARY_ID, logged.service.id)
    with pytest.raises(UserError, match="community/not_confirmer.j2"):
        await community_hours.confirm(services, worker.telegram_id, logged.service.id)
    assert not (await store.service(services.db, logged.service.id)).confirmed


async def test_a_star_can_rest_on_confirmed_service_once(services, cast):
    """The own branch's secretary is offered the confirmed service as evidence; once starred it is offered no more."""
    worker = cast.people[0]
    registration_id = await _registered(services, worker)
    logged = await community_hours.log(services, worker.telegram_id, {"registration_id": registration_id},
                                       "11月20日 3小时 为独居老人修理水管")
    assert (await stars.evidence_for(services, SECRETARY_ID, worker.id)).services == []
    await community_hours.confirm(services, COMMUNITY_SECRETARY, logged.service.id)
    assert [s.id for s in (await stars.evidence_for(services, SECRETARY_ID, worker.id)).services] == [logged.service.id]
    await stars.begin_service(services, SECRETARY_ID, worker.id, logged.service.id)
    done = await stars.award(services, SECRETARY_ID, {"member_id": worker.id, "service_id": logged.service.id},
                             "坚持为独居老人义务维修")
    assert done.note == "11月20日（周五） 到社区志愿服务 3 小时（为独居老人修理水管），社区已确认"
    assert (await stars.evidence_for(services, SECRETARY_ID, worker.id)).services == []
    with pytest.raises(UserError, match="common/stale.j2"):
        await stars.begin_service(services, SECRETARY_ID, worker.id, logged.service.id)




async def test_the_community_wall_dispatches_to_a_reporting_member_who_reports_to_it(services, cast):
    """派单 offers the confirmed member of another branch with their claimed post; the order goes to them; their
    report (handed in under their own branch) waits for the community's dispatcher, who accepts it — and their own
    secretary may not."""
    worker = cast.people[0]
    registration_id = await _registered(services, worker)
    community_id = (await store.registration(services.db, registration_id)).community_id
    await community_service.save_posts(services, COMMUNITY_SECRETARY, {"branch_id": community_id}, "水电维修")
    post = (await store.posts(services.db, community_id))[0][0]
    await community_service.toggle(services, worker.telegram_id, registration_id, post)
    _, link, _ = await wall.wall_of(services, COMMUNITY_SECRETARY)
    shown = await wall_orders.open_wall(services, RESIDENT, link.rsplit("start=wall_", 1)[1])
    await wall_orders.add(services, RESIDENT, {"order_id": shown.order.id}, "水管漏水", None, None, other=False)
    order = await wall_orders.submit(services, RESIDENT, shown.order.id)

    offered = await wall.choices(services, COMMUNITY_SECRETARY, order.id)
    assert worker.id in [m.id for m in offered.people] and offered.posts[worker.id] == ["水电维修"]
    with pytest.raises(UserError, match="common/stale.j2"):
        await wall.assign(services, COMMUNITY_SECRETARY, order.id, 1, cast.people[1].id)
    await wall.assign(services, COMMUNITY_SECRETARY, order.id, 1, worker.id)
    await wall.take(services, worker.telegram_id, order.id, 1)
    draft = await wall.start_report(services, worker.telegram_id, order.id, 1)
    await drafts.add(services, worker.telegram_id, {"submission_id": draft.submission.id}, "换了阀门", None)
    handed = await drafts.submit(services, worker.telegram_id, draft.submission.id)
    assert [s.id for s, _, _ in await review.waiting_for(services, COMMUNITY_SECRETARY)] == [handed.submission.id]
    assert handed.submission.id not in [s.id for s, _, _ in await review.waiting_for(services, SECRETARY_ID)]
    with pytest.raises(UserError, match="wall/not_dispatcher.j2"):
        await review.decide(services, SECRETARY_ID, handed.submission.id, handed.submission.version, Decision.APPROVE)
    await review.decide(services, COMMUNITY_SECRETARY, handed.submission.id, handed.submission.version,
                        Decision.APPROVE)
    assert (await wall_store.get(services.db, order.id)).status is OrderStatus.REPORTED


async def test_the_unit_sees_totals_per_branch_and_no_member(services, cast):
    """`/export service 2026` for a unit: one line per branch — members who served, times, hours — confirmed service
    only, and no member's name anywhere."""
    worker, other = cast.people[0], cast.people[1]
    registration_id = await _registered(services, worker)
    logged = await community_hours.log(services, worker.telegram_id, {"registration_id": registration_id},
                                       "11月20日 2.5小时 社区政策宣讲")
    await community_hours.log(services, worker.telegram_id, {"registration_id": registration_id},
                              "11月21日 1小时 清扫楼道")  # not confirmed: not counted
    await community_hours.confirm(services, COMMUNITY_SECRETARY, logged.service.id)
    unit = await units.create_unit(services, "城关镇党委", None, "党委")
    async with services.db.write() as db:
        await unit_store.place_branch(db, cast.branch_id, unit.id)
    made = await services.features.unit_exporters["service"].export(services, unit.id, 2026, "2026")
    sheet = openpyxl.load_workbook(BytesIO(made.data)).active
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert ["第一党支部", 1, 1, 2.5] in values
    assert not any(name in str(v) for row in values for v in row for name in (worker.name, other.name))


async def test_a_year_adds_up_over_communities_and_counts_only_that_years_confirmed_service(services, cast):
    """Service at two communities adds up into one line naming both (the one served first, first); a service of the
    year before and an unconfirmed one are left out."""
    worker = cast.people[0]
    first = await _registered(services, worker)
    await membership.create_branch(services, "和平社区党支部", 3002, "郑书记")
    code = (await community_service.overview(services, 3002)).link.rsplit("serve_", 1)[1]
    second = (await community_service.register(services, worker.telegram_id, code)).registration.id
    await community_service.confirm(services, 3002, second)
    lines = ((first, "11月18日 2小时 政策宣讲", COMMUNITY_SECRETARY), (second, "11月10日 1.5小时 助老", 3002),
             (first, "2025-12-30 4小时 扫雪", COMMUNITY_SECRETARY), (second, "11月19日 1小时 清扫", None))
    for registration_id, line, confirmer in lines:
        logged = await community_hours.log(services, worker.telegram_id, {"registration_id": registration_id}, line)
        if confirmer is not None:
            await community_hours.confirm(services, confirmer, logged.service.id)
    total = await community_hours.year_total(services.db, worker.id, 2026)
    assert (total.times, total.hours, total.communities) == (2, "3.5", ("和平社区党支部", "幸福社区党支部"))
    assert community_hours.register_line(total) == ("到和平社区党支部、幸福社区党支部报到，"
                                                    "志愿服务 2 次、共 3.5 小时（社区已确认）")
    assert (await community_hours.year_total(services.db, worker.id, 2025)).hours == "4"
