"""Wiring of the roll-up bot (`zhibu rollup`): its own token, the counties' databases opened for reading and its
tasks being drafted loaded in post_init, its command menu, the roll-up's handlers, long polling. It has no outbox
of its own: what it issues, each county's bot delivers."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, CallbackContext, ContextTypes, ExtBot

from bot.app import with_http_client
from bot.clock import Clock
from bot.rollup.config import RollupSettings
from bot.rollup.counties import close_counties, open_counties
from bot.rollup.drafts import Drafts
from bot.rollup.service import Rollup
from bot.settings import Settings
from handlers import rollup as chat
from handlers.telegram.pacing import SteadyRateLimiter

log = logging.getLogger(__name__)


@dataclass
class RollupData:
    rollup: Rollup | None = None


class RollupContext(CallbackContext[ExtBot, dict, dict, RollupData]):
    @property
    def svc(self) -> Rollup:
        """What the presses table hands its use cases (handlers/telegram/presses.py): here, the roll-up."""
        if self.bot_data.rollup is None:
            raise RuntimeError("the counties are not open yet: post_init has not run")
        return self.bot_data.rollup


def build_rollup(settings: Settings, config: RollupSettings, clock: Clock | None = None, *,
                 poll_timeout: int = 30) -> Application[Any, Any, Any, Any, Any, Any]:
    clock = clock or Clock()
    found = config.county_settings(settings)

    async def post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        drafts = Drafts.load(config.drafts)  # before the counties: an unreadable file stops the start
        counties = await open_counties(found, clock)
        app.bot_data.rollup = Rollup(config.name, config.officers, counties, drafts, clock)
        await chat.set_menus(app.bot, app.bot_data.rollup)
        log.info("zhibu roll-up is up as @%s over %d counties", app.bot.username, len(counties))

    async def post_shutdown(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        if app.bot_data.rollup is not None:
            await close_counties(app.bot_data.rollup.counties)

    builder = (ApplicationBuilder().token(config.require_token()).base_url(settings.api_base_url)
               .base_file_url(settings.api_file_url)
               .context_types(ContextTypes(context=RollupContext, bot_data=RollupData))
               .rate_limiter(SteadyRateLimiter(settings.send_rate))
               .post_init(post_init).post_shutdown(post_shutdown))
    app = with_http_client(builder, settings, poll_timeout).build()
    app.add_handlers(chat.handlers())
    return app


def run_rollup(settings: Settings, config: RollupSettings) -> None:
    build_rollup(settings, config).run_polling(allowed_updates=Update.ALL_TYPES)
