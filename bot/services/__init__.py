"""Use cases: what a person can do, as Telegram-free functions over storage and the domain rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.clock import Clock
from bot.features import Registry
from bot.settings import Settings
from storage.db import Database


@dataclass
class Services:
    """What a use case needs: the database, the clock, the settings, the features' registry, and a way to wake
    the outbox."""

    db: Database
    settings: Settings
    clock: Clock = field(default_factory=Clock)
    # Called after something was put in the outbox for immediate delivery; the app wires it to the drain job.
    wake_outbox: Callable[[], None] = lambda: None
    bot_username: str = "zhibu_bot"
    # Review kinds, digest sections, join hooks, exporters, forms … of the features the app or CLI was built with.
    features: Registry = field(default_factory=Registry)

    def now(self) -> datetime:
        return self.clock.now()
