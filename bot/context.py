"""The typed context handlers receive: `context.svc` instead of raw bot_data lookups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.services import Services

if TYPE_CHECKING:
    from bot.scheduler import Drainer
    from storage.leadership import Leadership


@dataclass
class BotData:
    """Application-wide state; filled in by post_init once the database is open."""

    svc: Services | None = None
    drainer: Drainer | None = None
    leadership: Leadership | None = None


class ZhibuContext(CallbackContext[ExtBot, dict, dict, BotData]):
    @property
    def svc(self) -> Services:
        svc = self.bot_data.svc
        if svc is None:
            raise RuntimeError("services are not ready: post_init has not run")
        return svc


CONTEXT_TYPES = ContextTypes(context=ZhibuContext, bot_data=BotData)
ZhibuApplication = Application[ExtBot, ZhibuContext, dict, dict, BotData, object]
