"""谈心谈话 (heart-to-heart talks): the secretary or a committee member records a talk in two taps and a line —
/talk, the member's button, then "when, topic" (today when no date is written). Before and during the yearly
democratic evaluation the digest names members nobody has talked with this year; the talk register is exported
by year (bot/exports/talks.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.callbacks.commands import Command
from bot.domain import talks as rules
from bot.domain.evaluation import campaign_year
from bot.domain.models import Branch, Member
from bot.domain.talks import Talk
from bot.errors import UserError
from bot.features import Feature, ForBranches
from bot.services import Services, membership
from bot.services.digest import line as digest_line
from storage import branches, conversations, evaluation, members, talks

FORM = "talk"
EVALUATION_SEASON = (11, 12, 1, 2, 3)  # the months in which branches hold the yearly evaluation
LIST_MAX = 60  # buttons in /talk's list (Telegram takes 100); those without a talk this year come first


def tz_of(svc: Services, branch: Branch) -> str:
    return branch.tz or svc.settings.tz


async def _talker(svc: Services, telegram_id: int) -> Member:
    """The secretary or a committee member (re-checked on every step)."""
    member = await membership.active_member(svc, telegram_id)
    if not member.is_committee:
        raise UserError("common/not_allowed.j2")
    return member


def talk_year(now: datetime, tz: str) -> int:
    """The year whose talks count: the year being evaluated (January–March still look back on the last)."""
    return campaign_year(now, tz)


def talk_window(year: int) -> tuple[date, date]:
    """The days whose talks count for the year: the year itself and the first quarter after it."""
    return date(year, 1, 1), date(year + 1, 4, 1)


async def talked_with(svc: Services, branch_id: int, year: int) -> dict[int, list[Talk]]:
    found: dict[int, list[Talk]] = {}
    for talk in await talks.in_branch(svc.db, branch_id, *talk_window(year)):
        found.setdefault(talk.member_id, []).append(talk)
    return found


@dataclass
class Candidate:
    member: Member
    talks: int  # talks with them this year


async def candidates(svc: Services, telegram_id: int) -> tuple[int, list[Candidate]]:
    """/talk: (the year, the branch's members other than the talker), those without a talk this year first."""
    actor = await _talker(svc, telegram_id)
    branch = await branches.get(svc.db, actor.branch_id)
    year = talk_year(svc.now(), tz_of(svc, branch))
    done = await talked_with(svc, actor.branch_id, year)
    people = [Candidate(m, len(done.get(m.id, []))) for m in await members.in_branch(svc.db, actor.branch_id)
              if m.id != actor.id]
    people.sort(key=lambda c: (c.talks > 0, c.member.id))
    return year, people[:LIST_MAX]


async def begin(svc: Services, telegram_id: int, member_id: int) -> Member:
    """A member's button: the next line the talker sends is the talk."""
    actor = await _talker(svc, telegram_id)
    target = await members.get(svc.db, member_id)
    if target is None or target.branch_id != actor.branch_id or not target.is_active or target.id == actor.id:
        raise UserError("common/stale.j2")
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, FORM, "line", {"member_id": target.id}, svc.now())
    return target


async def record(svc: Services, telegram_id: int, data: dict, text: str | None) -> tuple[Talk, Member]:
    """The line "when, topic": kept at once; a line that cannot be read changes nothing and is asked again."""
    actor = await _talker(svc, telegram_id)
    target = await members.get(svc.db, int(data["member_id"]))
    if target is None or target.branch_id != actor.branch_id or not target.is_active:
        raise UserError("common/stale.j2")
    branch = await branches.get(svc.db, actor.branch_id)
    now = svc.now()
    try:
        parsed = rules.read_talk_line(text or "", now, tz_of(svc, branch))
    except rules.TalkLineError as error:
        raise UserError("talks/bad_line.j2", reason=error.reason, max=rules.TOPIC_MAX) from None
    async with svc.db.write() as db:
        talk = await talks.add(db, branch_id=branch.id, member_id=target.id, talker_id=actor.id, day=parsed.day,
                               topic=parsed.topic, now=now)
        await conversations.clear(db, telegram_id)
    return talk, target


def evaluation_near(local_month: int, campaign_status: str | None) -> bool:
    """The digest asks for talks while an evaluation is open, and in the evaluation season before it opens."""
    if campaign_status == "open":
        return True
    return campaign_status is None and local_month in EVALUATION_SEASON


async def _without_talk(svc: Services, batch: Sequence[Branch], now: datetime) -> dict[int, list[str]]:
    """Digest: members with no talk this year, while the year's evaluation is near or open."""
    by_year: dict[int, list[Branch]] = {}
    for branch in batch:  # the year and the month are the branch's own (its time zone)
        by_year.setdefault(talk_year(now, tz_of(svc, branch)), []).append(branch)
    lines = {}
    for year, branches_of_year in by_year.items():
        campaigns = await evaluation.for_year_in(svc.db, [b.id for b in branches_of_year], year)
        asked = [b.id for b in branches_of_year if evaluation_near(
            now.astimezone(ZoneInfo(tz_of(svc, b))).month, c.status if (c := campaigns.get(b.id)) else None)]
        for branch_id, names in (await talks.names_without_talk(svc.db, asked, *talk_window(year))).items():
            lines[branch_id] = [digest_line("no_talk", names=names, year=year)]
    return lines


FEATURE = Feature(
    name="talks",
    digest_sections=(("talks_missing", ForBranches(_without_talk), Command.TALK),),
)
