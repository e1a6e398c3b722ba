"""Check-in by the QR picture shown at the venue: 🔢 签到码 sends the picture of a deep link (Telegram's 64-character
start parameter) with the code; scanning it (the link's /start) checks the member in; a link a minute old, or one
altered, is refused with the same polite answer; 🔄 换新码 and the refresh job edit the photo in place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.documents.qr import qr_png
from bot.domain import checkin_proof
from storage import meetings
from tests.e2e.helpers import branch_with_members

CHECKIN_OPENS = datetime(2026, 12, 3, 0, 30, tzinfo=UTC)  # the December theme day's window, 08:30 Shanghai


async def _link_now(harness) -> str:
    secret = await meetings.checkin_secret(harness.svc.db, 1)
    return checkin_proof.link_payload(secret, 1, harness.clock.now())


async def test_qr_link_checks_in_and_a_stale_or_altered_link_is_refused(harness):
    """The photo is the QR of https://t.me/zhibu_bot?start=<payload> (≤ 64 characters); opening it checks the member
    in; a minute later the same link, and a link with one character changed, get the same refusal; 🔄 and the
    refresh job put the picture of the new link in place."""
    secretary, (a, b, c) = await branch_with_members(harness)
    await harness.drain()
    await secretary.send("/settings")
    await secretary.press("签到方式：核对位置", message=await secretary.expect("支部设置"))
    await secretary.expect("请选择")
    await secretary.press("位置或签到码")
    harness.clock.set(CHECKIN_OPENS)
    await harness.drain()

    await secretary.send("/attendance")
    await secretary.press("🔢 签到码", message=await secretary.expect("签到情况（进行中）"))
    shown = await secretary.expect("签到二维码")
    payload = await _link_now(harness)
    assert shown.kind == "photo" and len(payload) <= 64 and payload.replace("_", "").replace("-", "").isalnum()
    assert harness.emu.files[shown.file_id].content == qr_png(f"https://t.me/zhibu_bot?start={payload}")
    assert "自动更新" in shown.plain

    await a.send(f"/start {payload}")
    await a.expect("签到成功")
    assert (await meetings.attendance_of(harness.svc.db, 1, 2)).status == "checked_in"
    altered = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    await b.send(f"/start {altered}")
    refused = (await b.expect("签到二维码已失效或无法识别")).plain
    harness.clock.set(CHECKIN_OPENS + timedelta(seconds=61))  # two changes later: stale
    await c.send(f"/start {payload}")
    assert (await c.expect("签到二维码已失效或无法识别")).plain == refused
    assert await meetings.attendance_of(harness.svc.db, 1, 3) is None
    assert await meetings.attendance_of(harness.svc.db, 1, 4) is None

    await secretary.press("🔄 换新码", message=shown)
    edited = await secretary.expect("签到二维码")
    fresh = await _link_now(harness)
    assert edited.message_id == shown.message_id and fresh != payload
    assert harness.emu.files[edited.file_id].content == qr_png(f"https://t.me/zhibu_bot?start={fresh}")
    await b.send(f"/start {fresh}")
    await b.expect("签到成功")

    harness.clock.set(CHECKIN_OPENS + timedelta(minutes=30))  # past the picture's 10 minutes: the last refresh
    (job,) = harness.app.job_queue.get_jobs_by_name(f"qr:{shown.chat_id}:{shown.message_id}")
    await job.run(harness.app)
    last = await secretary.expect("已停止自动更新")
    assert harness.emu.files[last.file_id].content == qr_png(f"https://t.me/zhibu_bot?start={await _link_now(harness)}")
    assert not harness.app.job_queue.get_jobs_by_name(f"qr:{shown.chat_id}:{shown.message_id}")
