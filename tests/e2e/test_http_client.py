"""Both HTTP clients the bot can talk through (ZHIBU_HTTP_CLIENT: aiohttp, the default, or httpx, PTB's own): the
time limits, a member's path, a file sent as a multipart upload, and the same truthful delivery when Telegram is
slow, cut off or unreachable. The rest of the suite runs on the default client."""

from __future__ import annotations

import socket
from io import BytesIO

import pytest
from openpyxl import load_workbook
from telegram.error import NetworkError
from telegram.request import HTTPXRequest, RequestData

from bot.domain.outbox import OutboxStatus
from bot.scheduler import Delivery
from handlers.telegram.aiohttp_request import AiohttpRequest
from handlers.telegram.delivery import network_outcome
from storage import outbox
from tests.e2e.helpers import (
    SAVED_NOTICE,
    branch_with_members,
    drain_until_settled,
    plan_saved_notice,
)

NOTICE = SAVED_NOTICE


@pytest.fixture(params=["aiohttp", "httpx"])
def harness_settings(request) -> dict:
    return {"http_client": request.param}


# The default client's delivery when Telegram is slow or cut off is tests/e2e/test_delivery.py's (the same scenarios,
# with more members and the recorded reason); here the same truths are proved for the other client.
HTTPX_ONLY = pytest.mark.parametrize("harness_settings", [{"http_client": "httpx"}], ids=["httpx"])


def limits(request) -> tuple:
    """(read, write, pool, connect) of a request object, whichever client it wraps."""
    if isinstance(request, AiohttpRequest):
        return request._read, request._write, request._pool, request._connect
    timeout = request._client.timeout  # the httpx limits PTB's own request object was built with
    return timeout.read, timeout.write, timeout.pool, timeout.connect


async def test_requests_wait_long_enough_for_a_slow_telegram(harness):
    """By default the bot waits 30 s for Telegram's answer (PTB's own default is 5 s), so answers up to 20 s slow
    are read, not taken for lost; getUpdates has its own, longer read limit. Each client is the one asked for."""
    assert harness.settings.send_timeout == 30
    polls, sends = harness.app.bot._request  # PTB keeps getUpdates' client apart from the rest
    wanted = AiohttpRequest if harness.settings.http_client == "aiohttp" else HTTPXRequest
    assert isinstance(polls, wanted) and isinstance(sends, wanted)
    assert limits(sends) == (30, 30, 30, 10)
    assert limits(polls)[0] == 1 + 10  # the harness polls with timeout=1


async def test_join_leave_and_an_excel_file(harness):
    """Joining by the link and approval (branch_with_members), a leave request and its review card's tap, and
    /export's workbook — a multipart upload — arrive intact."""
    secretary, (member, *_) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    await member.send("/leave")
    await member.expect("请假")
    await secretary.send("/export")
    await secretary.press("📄 考勤登记表", message=await secretary.expect("导出记录本"))
    await secretary.press("今年（2026）", message=await secretary.expect("请选择时间范围"))
    document = await secretary.expect("考勤登记表 2026")
    workbook = load_workbook(BytesIO(harness.emu.file(document.file_id).content))
    assert document.file_name == "第一党支部_考勤登记表_2026.xlsx" and "考勤登记" in workbook.sheetnames


@HTTPX_ONLY
async def test_slow_answers_within_the_timeout_make_no_duplicates(harness):
    """httpx: sendMessage answering at 0.4 of the send timeout makes no second copy; every row is marked sent."""
    _, people = await branch_with_members(harness, names=("李红梅", "赵建国"))
    harness.settings = harness.settings.model_copy(update={"send_timeout": 1.0})
    await harness.restart()
    for user in people:
        harness.emu.slow("sendMessage", 0.4, chat_id=user.id)
        await plan_saved_notice(harness, f"t:slow:{user.id}", user)
    await drain_until_settled(harness)
    assert [len([t for t in u.texts() if NOTICE in t]) for u in people] == [1, 1]
    for user in people:
        assert (await outbox.get(harness.svc.db, f"t:slow:{user.id}")).status is OutboxStatus.SENT


@HTTPX_ONLY
async def test_an_answer_slower_than_the_timeout_is_sent_once_more_then_taken_as_delivered(harness):
    """httpx's read timeout is an uncertain send, as aiohttp's is (test_delivery.py): exactly two copies, none lost."""
    _, (user,) = await branch_with_members(harness, names=("李红梅",))
    harness.settings = harness.settings.model_copy(update={"send_timeout": 0.5})
    await harness.restart()
    harness.emu.slow("sendMessage", 1.0, chat_id=user.id)
    await plan_saved_notice(harness, "t:slower", user)
    await drain_until_settled(harness)
    assert len([t for t in user.texts() if NOTICE in t]) == 2
    assert (await outbox.get(harness.svc.db, "t:slower")).status is OutboxStatus.SENT


@HTTPX_ONLY
async def test_a_connection_cut_after_the_request_went_out_is_repeated_at_most_once(harness):
    """httpx: a reset after sendMessage took effect is sent at most once more and then taken as delivered."""
    _, (user,) = await branch_with_members(harness, names=("李红梅",))
    harness.emu.reset("sendMessage", chat_id=user.id, times=None)
    await plan_saved_notice(harness, "t:reset", user)
    await drain_until_settled(harness)
    assert len([t for t in user.texts() if NOTICE in t]) == 2
    assert (await outbox.get(harness.svc.db, "t:reset")).status is OutboxStatus.SENT


async def test_a_refused_connection_is_known_to_have_sent_nothing():
    """No Bot API listening: the request never left, so the drain may simply try again later (TRANSIENT). (httpx's
    refusal is classified in tests/unit/test_delivery_outcomes.py.)"""
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest(connect_timeout=2, pool_timeout=2)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{port}/botTOKEN/sendMessage", RequestData())
    finally:
        await request.shutdown()
    assert network_outcome(raised.value) is Delivery.TRANSIENT
