"""Planning reminders is convergent: after any sequence of plans, cancellations, joins, removals, reschedules,
restarts and drains at random clock moves, the outbox's pending rows are exactly what a fresh planning of the
current state wants (minus what already went out or was handled), and no message goes out twice.

Runs the real services over a real migrated database, the real Drainer with a recording sender, a manual clock."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.catalog import core_registry
from bot.domain.meetings import MeetingKind
from bot.domain.models import MemberStatus
from bot.domain.outbox import OutboxStatus, Planned
from bot.keys import compliance as compliance_keys
from bot.keys import evaluation as evaluation_keys
from bot.keys import meetings as meeting_keys
from bot.keys import minutes as minutes_keys
from bot.outgoing import Outgoing
from bot.scheduler import Delivery, Drainer, SendResult
from bot.services import (
    Services,
    compliance,
    evaluation,
    meeting_cancel,
    meetings,
    membership,
    minutes_deadline,
    notices,
    notify,
    scheduling,
    themeday,
)
from bot.settings import Settings
from storage import branches, members, outbox
from storage import evaluation as evaluation_store
from storage import meetings as meeting_store
from storage import notices as notice_store
from storage.db import Database, open_database
from tests.support import ManualClock, finish_row

SECRETARY = 1001
START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, a Monday
HANDLED = {OutboxStatus.SENDING, OutboxStatus.SENT, OutboxStatus.SKIPPED, OutboxStatus.EXPIRED, OutboxStatus.FAILED}
BOUNDED = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class World:
    """One branch on a fresh database, a clock, and a drainer whose sends are recorded."""

    def __init__(self, database: Database, clock: ManualClock) -> None:
        self.clock = clock
        self.svc = Services(db=database, settings=Settings(db=Path("unused.db"), token=None), clock=clock,
                            features=core_registry())
        self.sent: list[str] = []
        self.drainer = Drainer(self.svc, self.send, notify.member_unreachable, concurrency=1)
        self.next_telegram_id = 2001

    async def send(self, chat_id: int, message: Outgoing) -> SendResult:
        """Records the outbox key of what goes out (the row being sent to that chat with that message)."""
        sending = [r.key for r in await outbox.by_prefix(self.svc.db, "")
                   if r.status is OutboxStatus.SENDING and r.chat_id == chat_id and r.payload == message]
        assert sending, "a send with no row being sent"
        self.sent.append(" | ".join(sorted(sending)))
        return SendResult(Delivery.SENT, message_id=len(self.sent))

    async def setup(self, joined: int) -> None:
        branch, _, _ = await membership.create_branch(self.svc, "第一党支部", SECRETARY, "王书记")
        async with self.svc.db.write() as db:  # no quiet hours: a held reminder would blur "sent or withdrawn"
            await branches.save_settings(db, branch.id, branch.settings.model_copy(
                update={"quiet_start": "00:00", "quiet_end": "00:00"}))
        self.branch_id = branch.id
        for _ in range(joined):
            await self.join()

    async def join(self) -> None:
        """A person asks to join and the secretary approves: the join hooks catch them up."""
        async with self.svc.db.write() as db:
            person = await members.create(db, branch_id=self.branch_id, telegram_id=self.next_telegram_id,
                                          name=f"党员{self.next_telegram_id}", status=MemberStatus.PENDING,
                                          now=self.clock.now())
        self.next_telegram_id += 1
        await membership.decide_join(self.svc, SECRETARY, person.id, True)

    async def leave(self, index: int) -> None:
        """The secretary removes a member (never themselves)."""
        others = [m for m in await members.in_branch(self.svc.db, self.branch_id) if m.telegram_id != SECRETARY]
        if others:
            await membership.remove_member(self.svc, SECRETARY, others[index % len(others)].id)

    async def advance(self, hours: int) -> None:
        self.clock.advance(hours=hours)
        await self.drainer.drain_now()

    async def restart(self) -> None:
        """A new process: a new drainer recovers, then drains what is due."""
        self.drainer = Drainer(self.svc, self.send, notify.member_unreachable, concurrency=1)
        await self.drainer.recover()
        await self.drainer.drain_now()

    async def common_step(self, step: tuple) -> None:
        """The steps every feature's sequence draws from (`common_steps`): a join, a removal, a restart, time."""
        match step:
            case ("join",):
                await self.join()
            case ("leave", index):
                await self.leave(index)
            case ("restart",):
                await self.restart()
            case ("advance", hours):
                await self.advance(hours)
            case _:
                raise ValueError(f"no such step: {step}")

    async def assert_converged(self, scope: str, wanted: list[Planned]) -> None:
        rows = await outbox.by_prefix(self.svc.db, scope)
        handled = {r.key for r in rows if r.status in HANDLED}
        pending = {r.key: r for r in rows if r.status is OutboxStatus.PENDING}
        assert set(pending) == {w.key for w in wanted} - handled, scope
        for item in wanted:  # pending rows carry the current plan's time and text
            row = pending.get(item.key)
            if row is not None and item.due_at != self.clock.now():
                assert (row.due_at, row.payload, row.chat_id) == (item.due_at, item.payload, item.chat_id)
        assert len(self.sent) == len(set(self.sent)), "a message went out twice"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """One migrated database file that each example copies (migrating every time would dominate the run)."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"

    async def create() -> None:
        await (await open_database(path)).close()
    asyncio.run(create())
    return path


def run(migrated: Path, steps, joined: int, body) -> None:
    """Each example on its own fresh database (a copy of the migrated one) and clock."""
    async def main() -> None:
        with tempfile.TemporaryDirectory() as folder:
            shutil.copyfile(migrated, Path(folder) / "p.db")
            database = await open_database(Path(folder) / "p.db")
            try:
                world = World(database, ManualClock(START))
                await world.setup(joined)
                await body(world, steps)
            finally:
                await database.close()
    asyncio.run(main())


moves = st.sampled_from([1, 3, 8, 20, 30, 49, 72, 120])
common_steps = st.one_of(
    st.tuples(st.just("join")),
    st.tuples(st.just("leave"), st.integers(0, 5)),
    st.tuples(st.just("restart")),
    st.tuples(st.just("advance"), moves),
    st.tuples(st.just("advance"), moves),  # twice as likely: the interesting moments are days apart
)


# --- democratic evaluation: deadline reminders ---------------------------------------------------------------

async def _evaluation_converged(world: World) -> None:
    campaign = await evaluation_store.open_for_branch(world.svc.db, world.branch_id)
    if campaign is None:
        return
    wanted = await evaluation.reminders_wanted(world.svc, world.svc.db, campaign, world.clock.now())
    await world.assert_converged(evaluation_keys.reminder.scope(campaign.id), wanted)


async def _evaluation_steps(world: World, steps) -> None:
    for step in steps:
        campaign = await evaluation_store.open_for_branch(world.svc.db, world.branch_id)
        match step:
            case ("plan", days):
                if campaign is None:
                    await evaluation.open_campaign(world.svc, SECRETARY, days)
            case ("reschedule", days):
                if campaign is not None and campaign.deadline > world.clock.now():
                    await evaluation.extend(world.svc, SECRETARY, campaign.id, days)
            case _:
                await world.common_step(step)
        await _evaluation_converged(world)


@BOUNDED
@given(steps=st.lists(st.one_of(common_steps, st.tuples(st.just("plan"), st.sampled_from([7, 14, 30])),
                                st.tuples(st.just("reschedule"), st.sampled_from([3, 7]))), min_size=3, max_size=16),
       joined=st.integers(0, 3))
def test_evaluation_reminders_converge(migrated, steps, joined):
    """Opening, extending, joins (catch-ups), removals, restarts and drains never lose or double anyone's
    evaluation deadline reminder: the pending ones are always what the open campaign needs now."""
    # Opened with 14 days to go; its first reminders are due ten days later.
    run(migrated, [("plan", 14), ("advance", 120), *steps], joined, _evaluation_steps)


# --- theme day: check-in reminders ----------------------------------------------------------------------------

async def _meetings_converged(world: World) -> None:
    db, now = world.svc.db, world.clock.now()
    for meeting in await meeting_store.in_branch(db, world.branch_id):
        wanted = await meetings.reminders_wanted(world.svc, db, meeting, now)
        await world.assert_converged(meeting_keys.reminder.scope(meeting.id), wanted)
        for row in await meeting_store.attendance(db, meeting.id):  # the make-up reminders after the close
            member = await members.get(db, row.member_id)
            wanted = await meetings.makeup_reminders_of(world.svc, db, meeting.id, member, now)
            event("make-up reminders wanted" if wanted else "a closed meeting's attendance row")
            await world.assert_converged(meeting_keys.makeup_reminder.scope(meeting.id, member.id), wanted)


async def _correct_an_absence(world: World, index: int) -> None:
    """The secretary corrects an absence to present: that member's make-up task and reminders are withdrawn."""
    for meeting in reversed(await meeting_store.in_branch(world.svc.db, world.branch_id)):
        if meeting.status == "closed":
            absent = (await meetings.absentees(world.svc, SECRETARY, meeting.id))[1]
            if absent:
                await meetings.correct_to_present(world.svc, SECRETARY, meeting.id, absent[index % len(absent)].id)
                event("an absence corrected")
            return


async def _themeday_steps(world: World, steps) -> None:
    for step in steps:
        match step:
            case ("plan",):  # the coming theme day is created (lead time) and the daily re-plan runs
                await themeday.create_due(world.svc, world.clock.now())
                await meetings.replan_daily(world.svc, world.clock.now())
            case ("reschedule", minutes):  # the check-in window moves the coming theme day's opening
                try:
                    await themeday.set_option(world.svc, SECRETARY, "checkin_before_min", minutes)
                except Exception as error:  # a move into the past is refused, changing nothing
                    assert type(error).__name__ == "UserError", error
            case ("cancel", index):
                await _correct_an_absence(world, index)
            case _:
                await world.common_step(step)
        await _meetings_converged(world)


@BOUNDED
@given(steps=st.lists(st.one_of(common_steps, st.tuples(st.just("plan")), st.tuples(st.just("cancel"), st.integers(0, 5)),
                                st.tuples(st.just("reschedule"), st.sampled_from([15, 30, 60]))), min_size=3,
                      max_size=20),
       joined=st.integers(0, 3), head_start=st.sampled_from([120, 243]))
def test_theme_day_and_make_up_reminders_converge(migrated, steps, joined, head_start):
    """Theme days created and re-planned, their check-in opening moved, members joining and removed, absences
    corrected after the close, restarts and drains across days: every meeting's pending check-in reminders and
    every absentee's make-up reminders are what the state needs now, none sent twice."""
    # The theme day is on 3 December, 09:00–11:00: start two days before its first reminder, or just after its close.
    run(migrated, [("plan",), ("advance", head_start), *steps], joined, _themeday_steps)


# --- 三会一课: check-in reminders and the record's deadline -----------------------------------------------------

async def _sessions_converged(world: World) -> None:
    db, now = world.svc.db, world.clock.now()
    await _meetings_converged(world)
    for meeting_id in world.scheduled:  # cancelled ones included
        meeting = await meeting_store.get(db, meeting_id)
        await world.assert_converged(meeting_keys.reminder.scope(meeting.id),
                                     await meetings.reminders_wanted(world.svc, db, meeting, now))
        await world.assert_converged(minutes_keys.every.scope(meeting.id),
                                     await minutes_deadline.deadline_reminders_wanted(world.svc, db, meeting, now))


async def _schedule(world: World, days_ahead: int, recorder_index: int) -> None:
    """The secretary fills in /meeting (a branch assembly) and publishes it."""
    day = (world.clock.now() + timedelta(days=days_ahead)).astimezone(ZoneInfo("Asia/Shanghai")).date()
    active = await members.in_branch(world.svc.db, world.branch_id)
    recorder = active[recorder_index % len(active)]
    await scheduling.begin(world.svc, SECRETARY)
    await scheduling.choose_kind(world.svc, SECRETARY, MeetingKind.ASSEMBLY.value)
    await scheduling.answer(world.svc, SECRETARY, "when", f"{day.isoformat()} 14:30-16:30")
    await scheduling.answer(world.svc, SECRETARY, "place", "村委会会议室")
    await scheduling.answer(world.svc, SECRETARY, "topic", "学习党的二十大精神")
    await scheduling.choose_person(world.svc, SECRETARY, "host", active[0].id)
    await scheduling.choose_person(world.svc, SECRETARY, "recorder", recorder.id)
    meeting, _, _ = await scheduling.confirm(world.svc, SECRETARY)
    world.scheduled.append(meeting.id)


async def _sessions_steps(world: World, steps) -> None:
    world.scheduled = []
    for step in steps:
        match step:
            case ("plan", days_ahead, recorder_index):
                await _schedule(world, days_ahead, recorder_index)
            case ("cancel", index):  # 取消会议, for one not yet begun
                cancellable = [m for m in world.scheduled
                               if (await meeting_store.get(world.svc.db, m)).status == "scheduled"
                               and (await meeting_store.get(world.svc.db, m)).starts_at > world.clock.now()]
                if cancellable:
                    await meeting_cancel.cancel(world.svc, SECRETARY, cancellable[index % len(cancellable)])
            case _:
                await world.common_step(step)
        await _sessions_converged(world)


@settings(BOUNDED, max_examples=20)  # the heaviest example: the whole /meeting form for each plan
@given(steps=st.lists(st.one_of(common_steps, st.tuples(st.just("plan"), st.integers(1, 6), st.integers(0, 5)),
                                st.tuples(st.just("cancel"), st.integers(0, 3))), min_size=3, max_size=16),
       joined=st.integers(0, 3))
def test_session_reminders_and_minutes_deadlines_converge(migrated, steps, joined):
    """Meetings published and cancelled, recorders and members joining and removed, restarts and drains through
    the meetings, their close and the record's deadline: each meeting's pending check-in reminders, make-up
    reminders and deadline messages are what its state needs now, none sent twice."""
    run(migrated, [("plan", 2, 1), *steps], joined, _sessions_steps)


# --- compliance: warnings about required meetings not scheduled ------------------------------------------------

async def _compliance_steps(world: World, steps) -> None:
    world.scheduled = []
    for step in steps:
        match step:
            case ("plan", days_ahead, recorder_index):  # a meeting is scheduled: its window's warning is no longer true
                await _schedule(world, days_ahead, recorder_index)
            case _:
                await world.common_step(step)
        branch = await branches.get(world.svc.db, world.branch_id)
        wanted = await compliance.warnings_of(world.svc, branch, world.clock.now())
        event("warnings wanted" if wanted else "no warning")
        await world.assert_converged(compliance_keys.warn.scope(branch.id), wanted)


@settings(BOUNDED, max_examples=20)
@given(steps=st.lists(st.one_of(common_steps, st.tuples(st.just("plan"), st.integers(1, 6), st.integers(0, 5))),
                      min_size=3, max_size=12),
       joined=st.integers(0, 3), head_start=st.sampled_from([24 * 20, 24 * 50, 24 * 80]))
def test_compliance_warnings_converge(migrated, steps, joined, head_start):
    """Days pass through required meetings' windows while meetings are scheduled, members join and leave and the
    bot restarts: the pending warnings are today's, each window's warning goes out once, never twice."""
    run(migrated, [("advance", head_start), *steps], joined, _compliance_steps)


# --- notices: the automatic nudge ------------------------------------------------------------------------------

async def _notices_converged(world: World) -> None:
    for notice in await notice_store.recent(world.svc.db, world.branch_id, limit=100):
        wanted = await notices.nudges_of(world.svc.db, notice)
        await world.assert_converged(notices.nudge_scope(notice.id), wanted)


async def _notice_steps(world: World, steps) -> None:
    for step in steps:
        match step:
            case ("plan",):  # the secretary sends a notice to everyone
                await notices.begin(world.svc, SECRETARY)
                draft = await notices.draft(world.svc, SECRETARY, "周五下午学习，请准时参加。", None, None)
                try:
                    await notices.send(world.svc, SECRETARY, draft.id)
                except Exception as error:  # nobody to send to
                    assert type(error).__name__ == "UserError", error
            case ("cancel", index):  # a recipient reads the latest notice: its nudge to them is skipped at send
                sent = await notice_store.recent(world.svc.db, world.branch_id, limit=1)
                others = [m for m in await members.in_branch(world.svc.db, world.branch_id)
                          if m.telegram_id != SECRETARY]
                if sent and others:
                    reader = others[index % len(others)]
                    try:
                        await notices.mark_read(world.svc, reader.telegram_id, sent[0].id)
                    except Exception as error:  # joined after it was sent: not a recipient
                        assert type(error).__name__ == "UserError", error
            case _:
                await world.common_step(step)
        await _notices_converged(world)


@BOUNDED
@given(steps=st.lists(st.one_of(common_steps, st.tuples(st.just("plan")), st.tuples(st.just("cancel"), st.integers(0, 5))),
                      min_size=3, max_size=16),
       joined=st.integers(1, 3))
def test_notice_nudges_converge(migrated, steps, joined):
    """Notices sent at random moments, recipients reading them, joining (not recipients of earlier notices) and
    removed, restarts and drains past the nudge day: each notice's pending nudges are what it needs now, none
    sent twice."""
    run(migrated, [("plan",), *steps], joined, _notice_steps)


# --- the engine itself ------------------------------------------------------------------------------------------

def _planned(key: str, member_id: int, due: datetime, text: str) -> Planned:
    return Planned(key=key, chat_id=1, kind="t", payload=Outgoing(template="common/cancelled.j2", params={"t": text}),
                   due_at=due, member_id=member_id)


KEYS = st.integers(0, 5)  # row k belongs to member k % 3 + 1 (the secretary and two members)


@BOUNDED
@given(steps=st.lists(st.one_of(
    st.tuples(st.just("converge"), st.sets(KEYS), st.integers(0, 3)),
    st.tuples(st.just("finish"), KEYS, st.sampled_from(sorted(HANDLED - {OutboxStatus.SENDING}))),
    st.tuples(st.just("cancel_all")),
    st.tuples(st.just("unreachable"), st.integers(1, 3)),
    st.tuples(st.just("restore"), st.integers(1, 3)),
), max_size=20))
def test_converge_makes_pending_rows_exactly_the_wanted_ones(migrated, steps):
    """Whatever came before (rows planned, handled, cancelled by an event's end, cancelled because the member is
    unreachable, restored), converging on a set leaves exactly its members pending with the latest time and text —
    except rows already handled and rows of unreachable members, which it never touches."""
    async def body(world: World, steps) -> None:
        db, now, scope = world.svc.db, world.clock.now(), "x:1:"
        for step in steps:
            async with db.write() as tx:
                match step:
                    case ("converge", keys, version):
                        wanted = [_planned(f"{scope}{k}", k % 3 + 1, now + timedelta(hours=k + version), f"v{version}")
                                  for k in sorted(keys)]
                        before = {r.key: r for r in await outbox.by_prefix(tx, scope) if r.status in HANDLED
                                  or (r.status is OutboxStatus.CANCELLED and r.last_error == outbox.UNREACHABLE)}
                        await outbox.converge(tx, scope, wanted, now)
                        after = {r.key: r for r in await outbox.by_prefix(tx, scope)}
                        assert all(after[k] == row for k, row in before.items()), "a handled row was changed"
                        untouchable = {k for k, row in before.items() if row.status is OutboxStatus.CANCELLED}
                        await world.assert_converged(scope, [w for w in wanted if w.key not in untouchable])
                    case ("finish", k, status):
                        row = await outbox.get(tx, f"{scope}{k}")
                        if row is not None and row.status is OutboxStatus.PENDING:
                            await finish_row(tx, row.id, status, now)
                    case ("cancel_all",):
                        await outbox.cancel_prefix(tx, scope, now)
                    case ("unreachable", member_id):
                        await outbox.cancel_for_member(tx, member_id, now)
                    case ("restore", member_id):
                        await outbox.restore_for_member(tx, member_id, now)
    run(migrated, steps, 2, body)
