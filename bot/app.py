"""Wiring: settings → features → ApplicationBuilder (rate limiter, job queue, typed context) → handlers → run.

The features are bot/catalog.py's list with their chat sides attached (handlers.with_chat); one registry built
from that list feeds the services (`svc.features`), the drain's ticks and relevance checks, and the handlers.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import signal

from telegram import Bot, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder

import handlers
from bot.catalog import core_features
from bot.clock import Clock
from bot.context import CONTEXT_TYPES, ZhibuContext
from bot.features import Feature, Registry
from bot.scheduler import Drainer
from bot.services import Services, filing, notices, notify, officer_notices, updates
from bot.settings import Settings
from handlers.telegram.aiohttp_request import AiohttpRequest
from handlers.telegram.delivery import make_sender
from handlers.telegram.menus import set_default_menu, set_officer_menus
from handlers.telegram.ordering import PerChatOrder
from handlers.telegram.pacing import SteadyRateLimiter, bulk_sends
from handlers.telegram.webhook import WebhookServer
from storage.db import open_database

log = logging.getLogger(__name__)


def features() -> list[Feature]:
    """Every feature of the bot, in the catalog's order, each with its chat side."""
    return handlers.with_chat(core_features())


def build_application(settings: Settings, clock: Clock | None = None, *, poll_timeout: int = 30) -> Application:
    """The bot as `zhibu run` and `zhibu demo` run it; tests build the very same one."""
    token = settings.require_token()
    clock = clock or Clock()
    listed = features()
    registry = Registry.from_features(listed)
    order = PerChatOrder()

    async def post_init(app: Application) -> None:
        db = await open_database(settings.db)
        svc = Services(db=db, settings=settings, clock=clock, bot_username=app.bot.username or "zhibu_bot",
                       features=registry)
        app.bot_data.svc = svc
        order.attach(db, svc.now)
        # The outbox's sends are bulk: a reply to someone waiting takes the next send slot before them.
        drainer = Drainer(svc, bulk_sends(make_sender(app.bot, lambda ref: filing.stored_file(svc, ref),
                                                      paid_kinds(settings))),
                          notify.member_unreachable,
                          spawn=lambda coroutine: app.create_task(coroutine, name="outbox-ticks"))
        app.bot_data.drainer = drainer
        svc.wake_outbox = lambda: app.create_task(drainer.drain(), name="outbox-wake")
        await drainer.recover()
        await set_default_menu(app.bot)
        # Officers have their ☰ menu before they first write (one call each, only when it changed).
        app.job_queue.run_once(_officer_menus_job, when=0, name="officer-menus")
        # A bot that was down sends what fell due while it was stopped as soon as the scheduler starts. This is
        # a one-off job with no misfire limit: an interval job whose start is already past when the scheduler
        # starts would wait a whole interval first (that is how APScheduler's interval trigger counts).
        app.job_queue.run_once(_drain_job, when=0, name="outbox-catch-up", job_kwargs={"misfire_grace_time": None})
        app.job_queue.run_repeating(_drain_job, interval=settings.drain_interval, first=settings.drain_interval,
                                    name="outbox-drain", job_kwargs={"max_instances": 1, "coalesce": True})
        app.job_queue.run_repeating(_forget_updates_job, interval=3600, first=60, name="forget-old-updates")
        log.info("zhibu is up as @%s, database %s", app.bot.username, settings.db_label)

    async def post_shutdown(app: Application) -> None:
        svc = app.bot_data.svc
        if svc is not None:
            await svc.db.close()

    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.api_base_url)
        .base_file_url(settings.api_file_url)
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(order)
        # Telegram's limits: 30 msg/s overall, 20 msg/min into one group; 429s are retried after retry_after.
        # We pace at ZHIBU_SEND_RATE (30/s by default), evenly spaced, never in bursts.
        .rate_limiter(SteadyRateLimiter(settings.send_rate))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    app = with_http_client(builder, settings, poll_timeout).build()
    handlers.register(app, listed)
    return app


def paid_kinds(settings: Settings) -> frozenset[str]:
    """What ZHIBU_PAID_BROADCAST pays for: the notices (a branch's and an officer's copies, and their 催读)."""
    if not settings.paid_broadcast:
        return frozenset()
    return frozenset({c.copy_kind for c in (notices.CHANNEL, officer_notices.CHANNEL)}
                     | {c.nudge_kind for c in (notices.CHANNEL, officer_notices.CHANNEL)})


def with_http_client(builder: ApplicationBuilder, settings: Settings, poll_timeout: int) -> ApplicationBuilder:
    """The HTTP client (ZHIBU_HTTP_CLIENT) and its time limits.

    PTB waits 5 s for an answer by default; a send Telegram answers later than that has usually arrived, and
    treating it as lost made duplicates. Waiting for a connection or a free pool slot sends nothing, so those limits
    are only about giving up in time. getUpdates holds the request open for `poll_timeout` seconds by design; it
    gets its own limits."""
    wait = settings.send_timeout
    sends = dict(read_timeout=wait, write_timeout=wait, connect_timeout=min(wait, 10.0), pool_timeout=wait)
    polls = dict(read_timeout=poll_timeout + 10, write_timeout=10.0, connect_timeout=10.0, pool_timeout=10.0)
    if settings.http_client == "aiohttp":
        return (builder.request(AiohttpRequest(**sends, media_write_timeout=max(wait, 60.0)))
                .get_updates_request(AiohttpRequest(pool_size=1, **polls)))
    return (builder.read_timeout(sends["read_timeout"]).write_timeout(sends["write_timeout"])
            .media_write_timeout(max(wait, 60.0)).connect_timeout(sends["connect_timeout"])
            .pool_timeout(sends["pool_timeout"])
            .get_updates_read_timeout(polls["read_timeout"]).get_updates_write_timeout(polls["write_timeout"])
            .get_updates_connect_timeout(polls["connect_timeout"]).get_updates_pool_timeout(polls["pool_timeout"]))


async def _drain_job(context: ZhibuContext) -> None:
    await context.bot_data.drainer.drain()


async def _officer_menus_job(context: ZhibuContext) -> None:
    await set_officer_menus(context.bot, context.bot_data.svc)


async def _forget_updates_job(context: ZhibuContext) -> None:
    svc = context.bot_data.svc
    await updates.forget_old(svc.db, svc.now())


def run_polling(settings: Settings) -> None:
    """`zhibu run`: long polling until Ctrl-C / SIGTERM; first wait for the Bot API (a stop while waiting ends it)."""
    if not asyncio.run(wait_for_api(settings)):
        return
    app = build_application(settings)
    # Should the API drop again between the check and start-up, PTB retries start-up too (quietly) instead of dying.
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False, bootstrap_retries=-1)


def run_webhook(settings: Settings) -> None:
    """`zhibu run` with ZHIBU_WEBHOOK_URL set: updates arrive by HTTPS POST through the office's reverse proxy."""
    if not asyncio.run(wait_for_api(settings)):
        return
    asyncio.run(_serve_webhook(settings))


async def _serve_webhook(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    app = build_application(settings)
    # The order run_polling keeps: initialize, post_init, start; then the server, and the Bot API told last, so
    # the first update finds someone listening.
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    server = WebhookServer(app, settings)
    try:
        await server.listen()
        await server.register()
        await stop.wait()
    finally:
        await server.close()
        await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


RETRY_DELAYS = (1, 2, 4, 8, 15, 30)  # seconds between attempts to reach the Bot API; the last one repeats


async def wait_for_api(settings: Settings, delays: tuple[float, ...] = RETRY_DELAYS) -> bool:
    """Ask the Bot API who we are until it answers (True), with one log line per failed attempt and growing pauses
    — a network or Telegram outage at start must not end the process. Ctrl-C or SIGTERM while waiting: False."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    bot = Bot(settings.require_token(), base_url=settings.api_base_url, base_file_url=settings.api_file_url)
    try:
        for attempt in itertools.count(1):
            try:
                async with bot:  # initialize() asks getMe
                    return True
            except InvalidToken:
                raise
            except TelegramError as exc:
                delay = delays[min(attempt, len(delays)) - 1]
                log.warning("Bot API not reachable (attempt %d: %s); trying again in %s s", attempt, exc, delay)
            try:
                await asyncio.wait_for(stop.wait(), delay)
            except TimeoutError:
                continue
            log.warning("stopped before the Bot API could be reached")
            return False
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
