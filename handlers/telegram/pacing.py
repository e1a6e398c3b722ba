"""PTB's AIORateLimiter, configured and adjusted so that the bot never bursts past Telegram's limits.

Two things in the stock set-up earn 429s under a broadcast:
- its buckets hold a whole second's worth of messages (30) and release them at once, which reaches Telegram
  with network jitter as slightly more than 30 in a second; we give each bucket room for one message and let
  it refill at the allowed rate, so messages leave evenly spaced (1/30 s apart; 3 s apart into one group);
- after a 429 it pauses, but requests that took their slot before the pause all go the moment it ends, which
  is the next burst and the next 429; here a request waits out a pause before it takes a slot.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import AIORateLimiter

GROUP_PER_MINUTE = 20


class SteadyRateLimiter(AIORateLimiter):
    def __init__(self, per_second: float, max_retries: int = 3) -> None:
        if per_second > 0:
            super().__init__(overall_max_rate=1, overall_time_period=1 / per_second, group_max_rate=1,
                             group_time_period=60 / GROUP_PER_MINUTE, max_retries=max_retries)
        else:  # pacing off: only the per-group limit and the 429 retries remain
            super().__init__(overall_max_rate=0, group_max_rate=1, group_time_period=60 / GROUP_PER_MINUTE,
                             max_retries=max_retries)

    async def _run_request(self, chat: bool, group: Any, allow_paid_broadcast: bool, callback: Any, args: Any,
                           kwargs: dict[str, Any]) -> Any:
        await self._retry_after_event.wait()
        return await super()._run_request(chat, group, allow_paid_broadcast, callback, args, kwargs)
