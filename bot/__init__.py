"""zhibu: a Telegram bot that runs a party branch's routine work."""

import os

# python-telegram-bot 22 is moving time periods (RetryAfter.retry_after and friends) from int seconds to
# timedelta and warns on every int access; we take the timedelta form now so nothing changes under us later.
os.environ.setdefault("PTB_TIMEDELTA", "1")
