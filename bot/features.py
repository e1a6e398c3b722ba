"""Importing this module registers every feature's review kinds, reminders, ticks and exporters.

The Telegram handlers import their services, but the CLI and benchmarks run without handlers,
so registration hangs off the services and exporters listed here.
"""

from __future__ import annotations

import bot.services.digest  # noqa: F401,E402
import bot.services.notices  # noqa: F401,E402
import bot.services.meetings  # noqa: F401,E402
import bot.services.themeday  # noqa: F401,E402
import bot.exports.attendance  # noqa: F401,E402
import bot.services.minutes  # noqa: F401,E402
import bot.services.compliance  # noqa: F401,E402
import bot.exports.minutes  # noqa: F401,E402
import bot.services.evaluation  # noqa: F401,E402
import bot.services.selfeval  # noqa: F401,E402
import bot.exports.evaluation  # noqa: F401,E402
