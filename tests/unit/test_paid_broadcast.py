"""ZHIBU_PAID_BROADCAST: notices (and only notices) go with allow_paid_broadcast, and such a send takes no slot of
the free 30 a second; off by default."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from bot.app import paid_kinds
from bot.engine_types import Delivery, sending_kind
from bot.outgoing import Outgoing
from bot.settings import Settings
from handlers.telegram.delivery import make_sender
from handlers.telegram.pacing import SteadyRateLimiter


class RecordingBot:
    """Stands in for the Bot: records what send_message was asked to pass."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def send_message(self, chat_id: int, text: str, **options: Any) -> SimpleNamespace:
        self.sent.append({"chat_id": chat_id, **options})
        return SimpleNamespace(message_id=len(self.sent))


async def _send_as(send, kind: str) -> Delivery:
    token = sending_kind.set(kind)
    try:
        return (await send(5001, Outgoing(template="common/stale.j2"))).outcome
    finally:
        sending_kind.reset(token)


def test_off_by_default_and_notices_only_when_on():
    """No kind is paid unless the setting is on; then the notices' copies and 催读 are, and nothing else."""
    assert paid_kinds(Settings(_env_file=None)) == frozenset()
    on = paid_kinds(Settings(_env_file=None, paid_broadcast=True))
    assert {"notice", "notice.nudge", "overview.notice", "onotice.nudge"} == on
    assert not on & {"task.issued", "themeday.remind", "digest"}


async def test_the_sender_pays_for_the_paid_kinds_only():
    """A notice row is sent with allow_paid_broadcast=True; a reminder row, or a send outside the drain, without."""
    bot = RecordingBot()
    send = make_sender(bot, paid_kinds=frozenset({"notice"}))
    assert await _send_as(send, "notice") is Delivery.SENT
    assert await _send_as(send, "themeday.remind") is Delivery.SENT
    assert await send(5001, Outgoing(template="common/stale.j2"))
    assert [s["allow_paid_broadcast"] for s in bot.sent] == [True, None, None]


async def test_a_paid_send_takes_no_free_slot():
    """With the free pace at one send in 5 s, a free send takes the slot; 50 paid sends still go at once (PTB's own
    1,000/s limiter), and the next free send still waits its turn behind the first."""
    limiter = SteadyRateLimiter(per_second=0.2)
    log: list[str] = []

    async def send(name: str, paid: bool) -> None:
        async def call() -> bool:
            log.append(name)
            return True

        data = {"chat_id": 1, **({"allow_paid_broadcast": True} if paid else {})}
        await limiter.process_request(call, (), {}, "sendMessage", data, None)

    await send("free-0", False)
    waiting = asyncio.create_task(send("free-1", False))
    await asyncio.gather(*[send(f"paid-{i}", True) for i in range(50)])
    assert log[0] == "free-0" and len(log) == 51 and "free-1" not in log
    waiting.cancel()
