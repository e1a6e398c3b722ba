"""Start the emulator, seed a demo branch, run the real bot against it, and serve the page until stopped."""

from __future__ import annotations

import json
import logging
import tempfile
from datetime import timedelta
from pathlib import Path

from pydantic import SecretStr
from telegram.ext import Application

from bot.app import build_application
from bot.catalog import core_registry
from bot.clock import ShiftedClock
from bot.demo.scenes import VENUE
from bot.demo.seed import OFFICER, RESIDENT, SECOND_BRANCH, VISITOR, Cast, seed_demo
from bot.demo.web import add_time_travel, clock_face
from bot.emulator import Emulator
from bot.emulator.control import add_control_routes
from bot.emulator.page import add_page_routes
from bot.services import Services
from bot.settings import Settings
from bot.signals import until_stopped
from handlers.telegram.menus import set_member_menu
from storage import branches, meetings, members
from storage import units as unit_store
from storage.db import is_postgresql, open_database

log = logging.getLogger(__name__)


class Demo:
    """One demo: `await demo.start()`, then `demo.url`; `await demo.stop()` ends it."""

    def __init__(self, settings: Settings, host: str, port: int, db: Path | str | None = None) -> None:
        self.settings = settings
        self.clock = ShiftedClock()
        self.emu = Emulator(host=host, port=port)
        self._tmp = tempfile.TemporaryDirectory(prefix="zhibu-demo-") if db is None else None
        self.db: Path | str = db or Path(self._tmp.name) / "demo.db"
        self.clock_file = clock_file(self.db)
        self.resumed = False
        self.app: Application | None = None
        self.cast: Cast | None = None
        self.extra_info: dict = {"venue": VENUE}  # where the page's 📍 button says the phone is
        add_control_routes(self.emu)
        add_page_routes(self.emu.app, self.info)
        add_time_travel(self.emu.app, self.clock, self.tz, self.drain, self.landmarks)

    @property
    def url(self) -> str:
        return f"{self.emu.root_url}/"

    def tz(self) -> str:
        return self.cast.branch.tz or self.settings.tz

    async def info(self) -> dict:
        """Who holds the page's phones, by the names the branch knows now: the members (a visitor the secretary
        approved among them), then people the emulator knows who are not members. The visitor who opens the next
        invite link is someone who has not talked to the bot yet, or none (the page then brings a new person)."""
        assert self.cast is not None and self.app is not None
        active = await members.in_branch(self.app.bot_data.svc.db, self.cast.branch.id)
        phones = [{"id": m.telegram_id, "name": m.name, "title": m.title} for m in active if m.telegram_id]
        known = {phone["id"] for phone in phones}
        outsiders = [p for p in self.emu.people.values() if p.id not in known]
        officers = {o.telegram_id: unit for unit in await unit_store.every(self.app.bot_data.svc.db)
                    for o in await unit_store.officers_of(self.app.bot_data.svc.db, unit.id)}
        elsewhere = {p.id: m for p in outsiders
                     if (m := await members.by_telegram_id(self.app.bot_data.svc.db, p.id)) is not None}
        phones += [{"id": p.id, "name": p.first_name,
                    "title": f"{officers[p.id].name}管理员" if p.id in officers
                    else "居民（民心墙）" if p.id == RESIDENT[0]
                    else f"{SECOND_BRANCH[0]} · 在职党员报到" if p.id in elsewhere
                    else "尚未加入"} for p in outsiders]
        fresh = next((p for p in outsiders if not self.emu.events(p.id)
                      and p.id not in (*officers, *elsewhere, RESIDENT[0])), None)
        return {"title": self.cast.branch.name, "bot": self.emu.bot_username, "phones": phones,
                "visitor": {"id": fresh.id, "name": fresh.first_name} if fresh else None,
                "clock": clock_face(self.clock, self.tz()), **self.extra_info}

    async def landmarks(self) -> dict:
        """Moments worth jumping to: the next meeting's check-in (a minute in) and just after it ends."""
        upcoming = await meetings.upcoming_in_branch(self.app.bot_data.svc.db, self.cast.branch.id, self.clock.now())
        if not upcoming:
            return {}
        meeting = min(upcoming, key=lambda m: m.starts_at)
        opens = max(meeting.checkin_opens_at, self.clock.now()) + timedelta(minutes=1)
        return {"checkin": opens, "after": meeting.ends_at + timedelta(minutes=5)}

    async def drain(self):
        """The reminder engine's run after a jump in time; the jump is kept first, so a restart resumes there."""
        self._save_clock()
        return await self.app.bot_data.drainer.drain_now()

    def _save_clock(self) -> None:
        self.clock_file.write_text(json.dumps({"offset_seconds": self.clock.offset.total_seconds()}),
                                   encoding="utf-8")
        self.clock_file.chmod(0o600)

    def _restore_clock(self) -> None:
        """A kept demo resumes at the time it had reached (its meetings and reminders are set in that time)."""
        try:
            saved = json.loads(self.clock_file.read_text(encoding="utf-8"))
            self.clock.advance(timedelta(seconds=max(0.0, float(saved["offset_seconds"]))))
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            return

    async def start(self) -> None:
        await self.emu.start()
        bot_settings = self.settings.model_copy(update={
            "token": SecretStr(self.emu.token), "db": self.db, "api_base_url": self.emu.base_url,
            "api_file_url": self.emu.base_file_url, "drain_interval": 5.0,
        })
        db = await open_database(self.db)
        try:
            fresh = not await branches.every(db)
            if not fresh:
                self.resumed = True
                self._restore_clock()
            svc = Services(db=db, settings=bot_settings, clock=self.clock, bot_username=self.emu.bot_username,
                           features=core_registry())
            self.cast = await seed_demo(svc) if fresh else await _existing_cast(svc)
        finally:
            await db.close()
        for phone in self.cast.phones():
            self.emu.user(phone["id"], phone["name"])
        self.emu.user(*VISITOR)
        self.emu.user(*OFFICER)
        self.emu.user(*RESIDENT)
        self.emu.user(*SECOND_BRANCH[1])  # the second branch's secretary, reporting to this community (报到)
        self.app = build_application(bot_settings, self.clock, poll_timeout=10)
        # The same order run_polling uses.
        await self.app.initialize()
        await self.app.post_init(self.app)
        await self.app.updater.start_polling(poll_interval=0, timeout=10)
        await self.app.start()
        for member in [self.cast.secretary, *self.cast.members]:
            await set_member_menu(self.app.bot, self.app.bot_data.svc, member)

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.updater.stop()
            await self.app.stop()
            await self.app.shutdown()
            await self.app.post_shutdown(self.app)
            self.app = None
        await self.emu.stop()
        if self._tmp is not None:
            self._tmp.cleanup()


async def _existing_cast(svc: Services) -> Cast:
    listing = await branches.list_with_counts(svc.db)
    branch = listing[0][0]
    people = await members.in_branch(svc.db, branch.id)
    secretary = next(m for m in people if m.is_secretary)
    return Cast(branch, secretary, [m for m in people if m.id != secretary.id])


def clock_file(db: Path | str) -> Path:
    """Where a kept demo's clock is: beside the SQLite file; for a PostgreSQL database, in the working folder under
    the database's name."""
    if is_postgresql(db):
        return Path(f"zhibu-demo-{str(db).rsplit('/', 1)[-1].split('?')[0]}.clock")
    return Path(f"{db}.clock")


def forget(db: Path) -> None:
    """Start the demo afresh: its database (with -wal and -shm) and its clock removed."""
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}.clock")):
        path.unlink(missing_ok=True)


async def serve(settings: Settings, host: str, port: int, db: Path | str | None = None) -> None:
    demo = Demo(settings, host, port, db)
    await demo.start()
    where = f"kept in {settings.model_copy(update={'db': demo.db}).db_label}" if demo._tmp is None else "a fresh one, thrown away when it stops"
    print(f"zhibu demo: open {demo.url} in a browser (Ctrl-C stops it)", flush=True)
    print(f"zhibu demo: database {where}{' (resumed)' if demo.resumed else ''}", flush=True)
    try:
        await until_stopped()
    finally:
        await demo.stop()
