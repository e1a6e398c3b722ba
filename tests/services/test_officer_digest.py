"""The officer's weekly digest: one message a week per officer, whatever the number of units they oversee, a section
per unit, no branch named twice when one of their units lies under another, nothing when all is well, and once a
week across a second tick, a restart and the week digests went from one per unit to one per officer."""

from __future__ import annotations

from datetime import timedelta

from bot.render import button_label, render
from bot.scheduler import Drainer
from bot.services import Services, membership, notify, units
from bot.services.overview import digest_week
from storage import marks, outbox
from storage import units as unit_store
from tests.support import ADMIN_ID, RecordingSender

OFFICER = 7001
ADMIN = ADMIN_ID  # ZHIBU_ADMINS in the services fixture


async def _branch(svc: Services, clock, name: str, unit_id: int, secretary: int, secretary_name: str,
                  days_old: int) -> int:
    """A branch made `days_old` days ago (no meeting, no submission since: silent once 30 days old)."""
    today = clock.now()
    clock.set(today - timedelta(days=days_old))
    created, _, _ = await membership.create_branch(svc, name, secretary, secretary_name)
    clock.set(today)
    async with svc.db.write() as tx:
        await unit_store.place_branch(tx, created.id, unit_id)
    return created.id


async def _county(svc: Services, clock, days_old: int = 60) -> dict[str, int]:
    """城关镇党委 with a branch of its own and 机关党总支 (one branch) under it; 河口镇党委 with one branch; the
    officer is an officer of all three units."""
    chengguan = await units.create_unit(svc, "城关镇党委", None, "党委")
    organs = await units.create_unit(svc, "城关镇机关党总支", "城关镇党委", "党总支")
    hekou = await units.create_unit(svc, "河口镇党委", None, "党委")
    await _branch(svc, clock, "城关镇第一党支部", chengguan.id, 1101, "周书记", days_old)
    await _branch(svc, clock, "机关第一党支部", organs.id, 1102, "吴书记", days_old)
    await _branch(svc, clock, "河口镇第一党支部", hekou.id, 1103, "郑书记", days_old)
    for unit in (chengguan, organs, hekou):
        await units.add_officer(svc, unit.id, OFFICER, "刘志强")
    return {"chengguan": chengguan.id, "organs": organs.id, "hekou": hekou.id}


def _listed(text: str) -> tuple[list[str], list[str]]:
    """The branches named in a digest: (silent ones, endangered ones), in order."""
    lines = [line[2:] for line in text.splitlines() if line.startswith("· ")]
    return [n for n in lines if "：" not in n], [n.split("：")[0] for n in lines if "：" in n]


def _digests(sender: RecordingSender, chat_id: int) -> list[str]:
    return [render(m.template, **m.params) for m in sender.to(chat_id) if m.template == "overview/digest.j2"]


async def test_one_digest_for_an_officer_of_several_units_each_branch_once(services, clock, drainer, sender):
    """An officer of two 党委 and of a 党总支 under one of them gets one message: a section per 党委, the 党总支's
    branch under 城关镇党委 only, named once; the button counts the three branches /overview's alerts show."""
    await _county(services, clock)
    await drainer.drain_now()
    (text,) = _digests(sender, OFFICER)
    assert "🏛 <b>城关镇党委</b>" in text and "🏛 <b>河口镇党委</b>" in text
    assert "城关镇机关党总支" not in text
    chengguan, hekou = text.split("🏛")[1:]
    assert _listed(chengguan)[0] == ["城关镇第一党支部", "机关第一党支部"] and "共 2 个" in chengguan
    assert _listed(hekou)[0] == ["河口镇第一党支部"]
    silent, risky = _listed(text)
    assert len(silent) == len(set(silent)) == 3 and len(risky) == len(set(risky))
    (message,) = [m for m in sender.to(OFFICER) if m.template == "overview/digest.j2"]
    assert "3 个支部" in button_label(message.buttons[0][0])
    week = digest_week(clock.now(), services.settings.tz)
    assert [row.key for row in await outbox.by_prefix(services.db, "officer-digest:")
            if row.chat_id == OFFICER] == [f"officer-digest:{OFFICER}:{week}"]


async def test_an_admin_who_is_also_a_units_officer_gets_one_digest(services, clock, drainer, sender):
    """A county admin stored as an officer of 河口镇党委 too gets one message, the county's: every branch once."""
    ids = await _county(services, clock)
    await units.add_officer(services, ids["hekou"], ADMIN, "县委组织部")
    await drainer.drain_now()
    (text,) = _digests(sender, ADMIN)
    assert "每周支部预警" in text and "🏛" not in text  # one unit: the root, no sections
    silent, risky = _listed(text)
    assert sorted(silent) == ["城关镇第一党支部", "机关第一党支部", "河口镇第一党支部"]
    assert len(risky) == len(set(risky))


async def test_nothing_when_all_is_well(services, clock, drainer, sender):
    """Branches made today are neither silent nor endangered: no digest for their officer (nor the admin's)."""
    await _county(services, clock, days_old=0)
    await drainer.drain_now()
    assert _digests(sender, OFFICER) == [] and _digests(sender, ADMIN) == []
    assert await outbox.by_prefix(services.db, "officer-digest:") == []


async def test_once_a_week_across_ticks_and_a_restart(services, clock, drainer, sender, database, settings):
    """One digest on Monday; a tick three hours later and a restarted drainer on Thursday send no other; the next
    Monday brings the next week's."""
    await _county(services, clock)
    await drainer.drain_now()
    assert len(_digests(sender, OFFICER)) == 1
    clock.advance(hours=3)
    await drainer.drain_now()
    clock.advance(days=3)
    restarted = Drainer(Services(db=database, settings=settings, clock=clock, features=services.features), sender,
                        notify.member_unreachable)
    await restarted.drain_now()
    assert len(_digests(sender, OFFICER)) == 1
    clock.advance(days=4)
    await restarted.drain_now()
    assert len(_digests(sender, OFFICER)) == 2


async def test_a_week_whose_per_unit_digest_went_out_before_the_upgrade_gets_no_second(services, clock, drainer,
                                                                                         sender):
    """The week digests became one per officer: an officer already sent 河口镇党委's digest under the old per-unit
    key gets no combined one that week; the next week's covers all their units."""
    ids = await _county(services, clock)
    week = digest_week(clock.now(), services.settings.tz)
    async with services.db.write() as tx:
        await marks.claim(tx, f"officer-digest:{ids['hekou']}:{OFFICER}:{week}", clock.now())
    await drainer.drain_now()
    assert _digests(sender, OFFICER) == []

    clock.advance(days=7)
    await drainer.drain_now()
    (text,) = _digests(sender, OFFICER)
    assert "城关镇党委" in text and "河口镇党委" in text
