"""What the demo branch has going on when the page opens: a theme day two days ahead (also the dues day, and holding
the quarter's 支部党员大会), a member away on standing leave, a committee meeting (支委会) the day after, a 专题学习
four days ahead, an open evaluation, a 预备党员 whose thought report is due, a resident's order at the branch's 民心墙
waiting to be dispatched, a member of the second branch reporting to this one as a community (在职党员到社区报到)
with an afternoon's service waiting to be confirmed, and this quarter's 学习测试 under way (its question bank read from bot/demo/quiz_sample.py's
Excel file).

Each scene uses the features' own use cases, so the reminders, notices and cards are the real ones.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.demo import quiz_sample
from bot.domain import dates
from bot.domain.calendar import ThemeDaySettings
from bot.domain.review import Decision
from bot.domain.roles import Role
from bot.services import (
    Services,
    away,
    community_hours,
    community_service,
    dues,
    evaluation,
    quiz,
    quiz_bank,
    reports,
    review,
    scheduling,
    themeday,
    wall,
    wall_orders,
)
from storage import meetings, members, submissions
from storage import themeday as themeday_settings

VENUE = {"latitude": 34.2655, "longitude": 108.9542}  # the village committee's activity room
THEME = "学习贯彻党的二十届四中全会精神"


async def theme_day_soon(svc: Services, cast) -> None:
    """This month's theme day two days from now at 14:30, with a theme, a place and a venue for 📍 check-in."""
    tz = cast.branch.tz or svc.settings.tz
    now = svc.now()
    day = (now.astimezone(ZoneInfo(tz)) + timedelta(days=2)).date()
    settings = ThemeDaySettings(mode="monthday", day=day.day, start="14:30", end="16:30", place="村委会党员活动室",
                                venue_lat=VENUE["latitude"], venue_lon=VENUE["longitude"], venue_radius_m=300)
    async with svc.db.write() as db:
        await themeday_settings.save_settings(db, cast.branch.id, settings, now)
        meeting, _ = await themeday.ensure_meeting(svc, db, cast.branch, settings, day.year, day.month, now)
        await meetings.set_title(db, meeting.id, THEME, now)


# Monthly dues in fen, set as from /members (the county's rates by income; the demo's are made up).
DUES_FEN = {"王建国": 1500, "李红梅": 1000, "赵建国": 1250, "孙丽": 200, "周敏": 800, "吴刚": 600, "陈福生": 200}


async def dues_day(svc: Services, cast) -> None:
    """Everyone's monthly dues set, and 周敏 has already tapped 已交党费 on the theme day: the secretary and 李红梅
    (组织委员) have the card to confirm, and /dues lists who has not paid yet."""
    now = svc.now()
    async with svc.db.write() as db:
        for person in [cast.secretary, *cast.members]:
            await members.set_dues(db, person.id, DUES_FEN[person.name], now)
    zhou = next(m for m in cast.members if m.name == "周敏")
    theme_day = next(m for m in await meetings.upcoming_in_branch(svc.db, cast.branch.id, now) if m.period)
    await dues.report_paid(svc, zhou.telegram_id, theme_day.id)


async def away_on_leave(svc: Services, cast) -> None:
    """吴刚 works away (外出务工) until the end of next month: asked with /away, approved by the secretary, so the
    theme day counts him on leave and he gets no check-in reminder."""
    wu = next(m for m in cast.members if m.name == "吴刚")
    tz = cast.branch.tz or svc.settings.tz
    today = svc.now().astimezone(ZoneInfo(tz)).date()
    until = (today.replace(day=1) + timedelta(days=62)).replace(day=1) - timedelta(days=1)
    await away.submit(svc, wu.telegram_id, "外出务工（广东东莞）",
                      f"{dates.full_day(today)}到{dates.full_day(until)}")
    request = (await submissions.by_author(svc.db, wu.id, away.AWAY))[-1]
    await review.decide(svc, cast.secretary.telegram_id, request.id, request.version, Decision.APPROVE)


async def committee_meeting(svc: Services, cast) -> None:
    """A 支委会 three days from now, scheduled through /meeting's own steps; 李红梅 (组织委员) keeps the minutes."""
    tz = cast.branch.tz or svc.settings.tz
    day = (svc.now().astimezone(ZoneInfo(tz)) + timedelta(days=3)).date()
    secretary = cast.secretary.telegram_id
    recorder = next(m for m in cast.members if m.name == "李红梅")
    await scheduling.begin(svc, secretary)
    await scheduling.choose_kind(svc, secretary, "committee")
    await scheduling.answer(svc, secretary, "when", f"{dates.month_day(day)} 15:00-16:30")
    await scheduling.answer(svc, secretary, "place", "村委会会议室")
    await scheduling.answer(svc, secretary, "topic", "研究年度民主评议工作安排")
    await scheduling.choose_person(svc, secretary, "host", cast.secretary.id)
    await scheduling.choose_person(svc, secretary, "recorder", recorder.id)
    await scheduling.confirm(svc, secretary)


async def assembly_on_theme_day(svc: Services, cast) -> None:
    """主题党日+: the quarter's 支部党员大会 typed in /meeting for the theme day's hours, and 并入 held within it — one
    check-in for both; 李红梅 keeps the minutes."""
    tz = cast.branch.tz or svc.settings.tz
    day = (svc.now().astimezone(ZoneInfo(tz)) + timedelta(days=2)).date()
    secretary = cast.secretary.telegram_id
    recorder = next(m for m in cast.members if m.name == "李红梅")
    await scheduling.begin(svc, secretary)
    await scheduling.choose_kind(svc, secretary, "assembly")
    await scheduling.answer(svc, secretary, "when", f"{dates.month_day(day)} 14:30-16:30")
    await scheduling.answer(svc, secretary, "place", "村委会党员活动室")
    await scheduling.answer(svc, secretary, "topic", "讨论孙丽同志转正")
    await scheduling.choose_person(svc, secretary, "host", cast.secretary.id)
    draft = await scheduling.choose_person(svc, secretary, "recorder", recorder.id)
    theme_day = next(o for o in draft.summary["overlaps"] if o.combinable)
    await scheduling.combine(svc, secretary, theme_day.meeting_id)


async def study_session(svc: Services, cast) -> None:
    """A 专题学习 four days from now (seed 002's 每周一次专题学习, an hour and a half), scheduled through /meeting's own
    steps: members check in as at any meeting, and those present are asked for a 学习心得 after it."""
    tz = cast.branch.tz or svc.settings.tz
    day = (svc.now().astimezone(ZoneInfo(tz)) + timedelta(days=4)).date()
    secretary = cast.secretary.telegram_id
    recorder = next(m for m in cast.members if m.name == "周敏")
    await scheduling.begin(svc, secretary)
    await scheduling.choose_kind(svc, secretary, "study")
    await scheduling.answer(svc, secretary, "when", f"{dates.month_day(day)} 15:00-16:30")
    await scheduling.answer(svc, secretary, "place", "村委会党员活动室")
    await scheduling.answer(svc, secretary, "topic", THEME)
    await scheduling.choose_person(svc, secretary, "host", cast.secretary.id)
    await scheduling.choose_person(svc, secretary, "recorder", recorder.id)
    await scheduling.confirm(svc, secretary)


async def evaluation_open(svc: Services, cast) -> None:
    """This year's democratic evaluation, open for two weeks; members are told as on a real opening."""
    await evaluation.open_campaign(svc, cast.secretary.telegram_id, 14)


async def report_due(svc: Services, cast) -> None:
    """The 预备党员 孙丽 is asked for this quarter's thought report (the reminder with its 写思想汇报 button)."""
    for member in cast.members:
        if Role.PROBATIONARY in member.roles:
            await reports.ask_now(svc, member)


RESIDENT_ID = 3101  # bot/demo/seed.py's RESIDENT (张大妈)


async def wall_order(svc: Services, cast) -> None:
    """张大妈 (a resident, no member) opened the branch's 民心墙 link and asked for help, with her phone number: the
    secretary has the order's card with 派单, and her phone can follow it (/wall)."""
    _, link, _ = await wall.wall_of(svc, cast.secretary.telegram_id)
    shown = await wall_orders.open_wall(svc, RESIDENT_ID, link.rsplit("start=wall_", 1)[1])
    data = {"order_id": shown.order.id}
    await wall_orders.add(svc, RESIDENT_ID, data, "家里水管漏水，老伴腿脚不便，想请人帮忙看看。住村东头第三排。", None,
                          None, other=False)
    await wall_orders.add(svc, RESIDENT_ID, data, "13709171234", None, None, other=False)
    await wall_orders.submit(svc, RESIDENT_ID, shown.order.id)


async def quiz_going(svc: Services, cast) -> None:
    """The secretary uploaded the sample bank and started this quarter's test, 5 questions a member, due in two
    weeks: every member's phone has the test's first quiz poll to answer."""
    secretary, content = cast.secretary.telegram_id, quiz_sample.bank_xlsx()
    await quiz_bank.begin_upload(svc, secretary)
    await quiz_bank.preview(svc, secretary, "demo-bank", "学习测试题库.xlsx", content)
    await quiz_bank.confirm(svc, secretary, content)
    today = dates.local(svc.now(), svc.settings.tz).date()
    await quiz.begin_start(svc, secretary)
    await quiz.start(svc, secretary, f"5 {dates.numeric_day(today + timedelta(days=14))}")


IN_SERVICE_ID = 1002  # bot/demo/seed.py's SECOND_BRANCH secretary (马文华): a member of another branch


async def reporting_member(svc: Services, cast) -> None:
    """马文华, of the second branch, opened this branch's 报到 link; the secretary confirmed him, set the posts, he
    claimed one and logged yesterday's service, which waits for the secretary's 确认服务 (his card, and /serve)."""
    secretary = cast.secretary.telegram_id
    found = await community_service.overview(svc, secretary)
    assert found.link is not None
    done = await community_service.register(svc, IN_SERVICE_ID, found.link.rsplit("start=serve_", 1)[1])
    await community_service.confirm(svc, secretary, done.registration.id)
    await community_service.save_posts(svc, secretary, {"branch_id": cast.branch.id}, "政策宣讲\n水电维修\n助老助残")
    shown = await community_service.posts_of(svc, IN_SERVICE_ID, done.registration.id)
    await community_service.toggle(svc, IN_SERVICE_ID, done.registration.id, shown.posts[1][0])
    await community_hours.log(svc, IN_SERVICE_ID, {"registration_id": done.registration.id},
                              "昨天 2小时 为村东头独居老人检修电路")


SCENES = (theme_day_soon, dues_day, away_on_leave, committee_meeting, assembly_on_theme_day, study_session,
          evaluation_open, report_due, wall_order, reporting_member, quiz_going)
