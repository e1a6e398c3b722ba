"""Webhook mode on the emulator: the bot registers its HTTPS address with a secret, the emulator (playing Telegram
and the office's reverse proxy) posts every update to the bot's listen address, and a member's core path — join,
check-in, minutes through review — works as with long polling; a request without the secret changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp
import pytest

from storage import meetings, submissions
from tests.e2e.helpers import branch_with_members

SECRET = "county-A_secret-123"
URL = "https://zhibu.example.gov.cn/tg/county-a"
# 12月10日 14:30–16:30 Shanghai is 06:30–08:30 UTC; check-in opens 30 minutes before.
CHECKIN_OPENS = datetime(2026, 12, 10, 6, 0, tzinfo=UTC)
AFTER_END = datetime(2026, 12, 10, 8, 35, tzinfo=UTC)


@pytest.fixture
def harness_settings() -> dict:
    return {"webhook_url": URL, "webhook_secret": SECRET, "webhook_listen": "127.0.0.1:0"}


async def _schedule(secretary) -> None:
    await secretary.send("/meeting")
    await secretary.expect("请选择会议类型")
    await secretary.press("支部党员大会")
    await secretary.expect("请发送会议日期和时间")
    await secretary.send("12月10日 14:30-16:30")
    await secretary.expect("请发送会议地点")
    await secretary.send("村委会")
    await secretary.expect("请发送会议主题")
    await secretary.send("学习贯彻全会精神")
    await secretary.expect("请选择主持人")
    await secretary.press("王书记")
    await secretary.expect("请选择记录人")
    await secretary.press("李红梅")
    await secretary.expect("会议安排预览")
    await secretary.press("📤 发布")
    await secretary.expect("支部党员大会已发布")


async def _write_minutes(recorder):
    await recorder.send("/minutes")
    await recorder.expect("请选择会议")
    await recorder.press("支部党员大会 12-10")
    await recorder.expect("以下由签到和会议安排自动填好")
    await recorder.press("✅ 信息无误，继续")
    await recorder.expect("请发送本次会议的议题")
    await recorder.send("传达学习全会精神")
    await recorder.expect("已保存（议题")
    await recorder.press("▶️ 下一项")
    await recorder.expect("请发送会议内容及讨论情况")
    await recorder.send("书记传达了全会精神，大家逐一发言。")
    await recorder.expect("已保存（内容")
    await recorder.press("▶️ 下一项")
    await recorder.expect("会议记录 · 决议")
    await recorder.send("无")
    await recorder.expect("已保存（决议")
    await recorder.press("▶️ 下一项")
    return await recorder.expect("会议记录 · 照片")


async def test_core_path_over_the_webhook(harness):
    """The webhook is registered with its secret; join, check-in and minutes (submitted, approved) all arrive by
    POST, and getUpdates is refused while the webhook is set, as Telegram refuses it."""
    info = harness.emu.webhook.info()
    assert info["url"] == URL and harness.emu.webhook.secret == SECRET
    secretary, (a, b, _c) = await branch_with_members(harness)
    await harness.drain()
    await _schedule(secretary)
    await harness.drain()
    await a.expect("会议通知：支部党员大会")

    harness.clock.set(CHECKIN_OPENS)
    await harness.drain()
    opened = await a.expect("支部党员大会现在可以签到")
    assert "签到成功" in (await a.press("✅ 签到", message=opened)).text
    await b.send("/checkin")
    await b.expect("签到成功")
    assert len(await meetings.attendance(harness.svc.db, 2)) == 2

    harness.clock.set(AFTER_END)
    await harness.drain()
    photos = await _write_minutes(a)
    skip = next(label for label in photos.labels() if "跳过" in label or "完成" in label)
    await a.press(skip)
    await a.expect("会议记录预览")
    await a.press("📤 提交审核")
    await a.expect("已提交审核")
    await harness.drain()
    await secretary.press("✅ 通过", message=await secretary.expect("会议记录待审核"))
    await harness.drain()
    await a.expect("审核通过")
    record = (await submissions.for_ref(harness.svc.db, "minutes", "meeting:2"))[0]
    assert record.status == "approved"
    assert not [c for c in harness.emu.calls if c.method == "getUpdates" and c.ok]


async def test_a_request_without_the_secret_is_refused_and_changes_nothing(harness):
    """A POST to the webhook with no secret or a wrong one gets 403 and nobody is answered; the right one works."""
    person = harness.emu.user(4242, "路人")
    update = {"update_id": 999_001, "message": {
        "message_id": 1, "date": 0, "chat": {"id": person.id, "type": "private", "first_name": "路人"},
        "from": {"id": person.id, "is_bot": False, "first_name": "路人"}, "text": "/start"}}
    address = f"{harness.emu.webhook_via}/tg/county-a"
    async with aiohttp.ClientSession() as session:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            async with session.post(address, json=update, headers=headers) as response:
                assert response.status == 403
        await harness.emu.idle()
        assert person.texts() == []
        async with session.post(address, data=b"{not json", headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as r:
            assert r.status == 400
        async with session.post(address, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as r:
            assert r.status == 200
    assert "您好" in (await person.expect("您好")).plain


async def test_the_emulator_refuses_what_telegram_refuses(harness):
    """setWebhook wants HTTPS on 443/80/88/8443 and a secret of Telegram's characters; getUpdates is refused with
    409 while a webhook is set."""
    bot = harness.app.bot
    from telegram.error import BadRequest, Conflict

    with pytest.raises(BadRequest, match="(?i)https url must be provided"):
        await bot.set_webhook("http://zhibu.example.gov.cn/tg")
    with pytest.raises(BadRequest, match="(?i)ports 80, 88, 443 or 8443"):
        await bot.set_webhook("https://zhibu.example.gov.cn:9000/tg")
    with pytest.raises(BadRequest, match="(?i)unallowed characters"):
        await bot.set_webhook(URL, secret_token="有空格 的")
    with pytest.raises(Conflict, match="(?i)webhook is active"):
        await bot.get_updates(timeout=0)
    assert (await bot.get_webhook_info()).url == URL  # the refused calls changed nothing
