"""The county the interactive benchmarks run on: seeded, its start-up work done, a meeting open in every branch."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.catalog import core_registry
from bot.commands import commands_for
from bot.domain.meetings import MeetingKind
from bot.keys import meetings as meeting_keys
from bot.services import Services, themeday
from bot.services import meetings as meeting_service
from bot.settings import Settings
from storage import marks, meetings, members, outbox
from storage.bulk import seed_county
from storage.db import Database

NO_QUIET_HOURS = json.dumps({"quiet_start": "00:00", "quiet_end": "00:00"})


async def prepare(db: Database, db_path: Path, members_count: int, branches: int, *,
                  reminders: bool) -> tuple[list[tuple[int, int, list[int]]], dict[int, int], Services]:
    """Seed the county (no quiet hours; every member's command menu already set, as after joining), do what the
    bot does first at start-up (this month's theme days; their prompts to secretaries are dropped), and open one
    meeting per branch whose check-in began five minutes ago — with every member's "check-in is open" reminder
    due now if `reminders`. Returns the layout, the meeting per branch and services on `db`."""
    now = datetime.now(UTC)
    async with db.write() as tx:
        layout = await seed_county(tx, branches=branches, members=members_count, now=now,
                                   settings_json=NO_QUIET_HOURS)
        for branch_id, _, _ in layout:
            for member in await members.in_branch(tx, branch_id):
                await members.set_menu(tx, member.id, ",".join(c.command for c in commands_for(member)))
    svc = Services(db=db, settings=Settings(db=db_path), features=core_registry())
    await themeday.create_due(svc, now)
    by_branch = {}
    async with db.write() as tx:
        await outbox.cancel_prefix(tx, "", now)
        for branch_id, _, _ in layout:
            meeting = await meetings.create(
                tx, branch_id=branch_id, kind=MeetingKind.ASSEMBLY, starts_at=now + timedelta(hours=1),
                ends_at=now + timedelta(hours=3), checkin_opens_at=now - timedelta(minutes=5), now=now,
                place="党员活动室", title="支部党员大会（压力测试）")
            if reminders:
                await meeting_service.plan_reminders(svc, tx, meeting, now)
            else:  # as if planned today already: the daily re-plan leaves it be
                await marks.claim(tx, meeting_keys.replanned(meeting.id, now.date()), now)
            by_branch[branch_id] = meeting.id
    return layout, by_branch, svc
