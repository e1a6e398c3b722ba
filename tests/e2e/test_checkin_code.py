"""Check-in by a code shown at the venue: the secretary sets 签到方式 → 签到码 on /settings, shows the code from the
open tally (it changes every 30 seconds); a member checks in by typing it; a wrong or stale code is refused
without saying which, and after five wrong ones the member's own check-in by code is closed for the meeting."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.domain import checkin_proof
from storage import meetings
from tests.e2e.helpers import branch_with_members

CHECKIN_OPENS = datetime(2026, 12, 3, 0, 30, tzinfo=UTC)  # the December theme day's window, 08:30 Shanghai


def shown_code(message) -> str:
    found = re.search(r"\b(\d{4})\b", message.plain)
    assert found, message.plain
    return found.group(1)


async def test_code_check_in_accepted_stale_and_wrong_codes_refused(harness):
    """Before any code was shown every code is wrong; the shown code a minute later is stale; the new one checks
    the member in; five wrong codes lock another member out of code check-in (the right one too)."""
    secretary, (a, b, c) = await branch_with_members(harness)
    await harness.drain()
    await secretary.send("/settings")
    await secretary.press("签到方式：核对位置", message=await secretary.expect("支部设置"))
    await secretary.expect("请选择")
    assert "已修改" in (await secretary.press("签到码")).text
    assert "签到方式：签到码" in (await secretary.expect("支部设置")).plain

    harness.clock.set(CHECKIN_OPENS)
    await harness.drain()
    await a.send("/checkin")
    await a.expect("本支部签到需要签到码")
    await a.send("0000")  # no code has been shown yet: nothing can match
    await a.expect("签到码不正确或已过期")

    await secretary.send("/attendance")
    tally = await secretary.expect("签到情况（进行中）")
    await secretary.press("🔢 签到码", message=tally)
    first = await secretary.expect("签到码")
    code = shown_code(first)
    assert "每 30 秒更换" in first.plain

    harness.clock.set(CHECKIN_OPENS + timedelta(seconds=61))  # two changes later: stale
    await a.send(code)
    stale = await a.expect("签到码不正确或已过期")
    assert "还可以再试 3 次" in stale.plain
    assert await meetings.attendance_of(harness.svc.db, 1, 2) is None
    await secretary.press("🔄 换新码", message=first)
    fresh = shown_code(await secretary.expect("签到码"))
    await a.send(f" {fresh} ")
    await a.expect("签到成功")
    assert (await meetings.attendance_of(harness.svc.db, 1, 2)).status == "checked_in"

    secret = await meetings.checkin_secret(harness.svc.db, 1)
    now = harness.clock.now()
    valid = {checkin_proof.code_at(secret, now), checkin_proof.code_at(secret, now - timedelta(seconds=30))}
    wrong = [f"{n:04d}" for n in range(10) if f"{n:04d}" not in valid][:5]
    await b.send("/checkin")
    await b.expect("本支部签到需要签到码")
    for typed in wrong:
        await b.send(typed)
        await b.expect("签到码不正确或已过期")
    await b.send(fresh)
    await b.expect("不能再用签到码签到")
    assert await meetings.attendance_of(harness.svc.db, 1, 3) is None
